import { useApi } from '@backstage/core-plugin-api';
import {
  scaffolderApiRef,
  type ScaffolderTask,
} from '@backstage/plugin-scaffolder';
import { useCallback, useEffect, useRef, useState } from 'react';

/** How many of the user's latest tasks the home page reads: the recent ones shown, and those still running. */
export const TASKS_READ = 20;
/** How often the home page reads the tasks again, so a request that finishes leaves "Pending requests". */
export const TASKS_REFRESH_MS = 15_000;

export interface MyTasksState {
  tasks?: ScaffolderTask[];
  error?: Error;
}

/**
 * The signed-in user's latest scaffolder tasks, newest first, read again every `refreshMs` milliseconds (`0` reads
 * once). A failed refresh keeps the tasks already shown.
 */
export function useMyTasks(refreshMs: number = TASKS_REFRESH_MS): MyTasksState {
  const scaffolderApi = useApi(scaffolderApiRef);
  const [state, setState] = useState<MyTasksState>({});
  const mounted = useRef(true);

  const read = useCallback(async () => {
    try {
      const { tasks } = await scaffolderApi.listTasks({
        filterByOwnership: 'owned',
        limit: TASKS_READ,
      });
      const newestFirst = [...tasks].sort((a, b) =>
        b.createdAt.localeCompare(a.createdAt),
      );
      if (mounted.current) setState({ tasks: newestFirst });
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      if (mounted.current) setState(current => ({ ...current, error }));
    }
  }, [scaffolderApi]);

  useEffect(() => {
    mounted.current = true;
    read();
    const timer = refreshMs > 0 ? setInterval(read, refreshMs) : undefined;
    return () => {
      mounted.current = false;
      if (timer) clearInterval(timer);
    };
  }, [read, refreshMs]);

  return state;
}

/** Tasks that have not finished: waiting for a worker or running. */
export function isPending(task: ScaffolderTask): boolean {
  return task.status === 'open' || task.status === 'processing';
}

/** "New AWS environment: team-a-dev": the template's title and, when the form had one, the name asked for. */
export function describeTask(task: ScaffolderTask): string {
  const info = task.spec.templateInfo;
  let template = info?.entity?.metadata.title ?? info?.entity?.metadata.name;
  if (!template && info?.entityRef) {
    // "template:default/flask-api": the name is what follows the kind and namespace.
    template = info.entityRef.replace(/^.*[:/]/, '');
  }
  const name = task.spec.parameters?.name;
  const title = template ?? 'Template task';
  return typeof name === 'string' && name ? `${title}: ${name}` : title;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "5 minutes ago": how long ago an ISO time was, in the largest unit that fits. */
export function formatAgo(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (!Number.isFinite(seconds)) {
    return '';
  }
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) {
      return relative.format(Math.round(seconds / size), unit);
    }
  }
  return 'just now';
}
