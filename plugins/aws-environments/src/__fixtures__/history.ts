import type {
  EnvironmentHistoryEntry,
  EnvironmentHistoryResponse,
} from '@internal/plugin-aws-environments-common';

/** One history entry of `environment`; the defaults describe a successful create by a web-team member. */
export function makeHistoryEntry(
  overrides: Partial<EnvironmentHistoryEntry> = {},
  environment = 'innovate-dev',
): EnvironmentHistoryEntry {
  const taskId = overrides.task?.id ?? 'a1b2c3d4-0000-4000-8000-000000000001';
  return {
    id: `task:${taskId}:deploy`,
    entityRef: `resource:default/${environment}`,
    operation: 'create',
    actor: 'user:default/aisha.khan',
    template: {
      entityRef: 'template:default/aws-environment',
      version: '1.2.0',
    },
    task: { id: taskId, stepId: 'deploy', url: `/create/tasks/${taskId}` },
    inputs: { mode: 'create', environment: { name: environment } },
    changes: [
      {
        stackName: `${environment}-network`,
        layer: 'network',
        outcome: 'created',
        add: 14,
        modify: 0,
        remove: 0,
        replacements: 0,
      },
    ],
    result: 'succeeded',
    message: `Created ${environment}: 1 of 1 stack(s) changed (14 added, 0 modified, 0 removed, 0 replacement(s)).`,
    startedAt: '2026-11-20T10:00:00.000Z',
    completedAt: '2026-11-20T10:18:00.000Z',
    ...overrides,
  };
}

/** A history of three operations on `environment`, newest first: a failed update, an update and the create. */
export function makeHistory(
  environment = 'innovate-dev',
): EnvironmentHistoryEntry[] {
  return [
    makeHistoryEntry(
      {
        id: 'task:t-3:deploy',
        operation: 'update',
        actor: 'user:default/maria.lopez',
        template: {
          entityRef: 'template:default/aws-environment-update',
          version: '1.2.0',
        },
        task: { id: 't-3', stepId: 'deploy', url: '/create/tasks/t-3' },
        changes: [],
        result: 'failed',
        message: `${environment}-data: the update failed and was rolled back.`,
        startedAt: '2026-11-25T09:00:00.000Z',
        completedAt: '2026-11-25T09:12:00.000Z',
      },
      environment,
    ),
    makeHistoryEntry(
      {
        id: 'task:t-2:deploy',
        operation: 'update',
        template: {
          entityRef: 'template:default/aws-environment-update',
          version: '1.1.0',
        },
        task: { id: 't-2', stepId: 'deploy', url: '/create/tasks/t-2' },
        changes: [
          {
            stackName: `${environment}-data`,
            layer: 'data',
            outcome: 'updated',
            add: 0,
            modify: 2,
            remove: 0,
            replacements: 1,
          },
        ],
        message: `Updated ${environment}: 1 of 6 stack(s) changed (0 added, 2 modified, 0 removed, 1 replacement(s)).`,
        startedAt: '2026-11-22T14:00:00.000Z',
        completedAt: '2026-11-22T14:09:00.000Z',
      },
      environment,
    ),
    makeHistoryEntry({}, environment),
  ];
}

/** The backend's answer for one page of `entries`. */
export function historyPage(
  entityRef: string,
  entries: EnvironmentHistoryEntry[],
  limit = 20,
  offset = 0,
): EnvironmentHistoryResponse {
  const items = entries.slice(offset, offset + limit);
  const next = offset + items.length;
  return {
    entityRef,
    items,
    totalCount: entries.length,
    ...(next < entries.length ? { nextOffset: next } : {}),
  };
}
