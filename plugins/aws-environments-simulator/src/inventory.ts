import {
  TAG_ENVIRONMENT,
  TAG_STAGE,
  type Stage,
} from '@internal/plugin-aws-environments-common';
import type { CloudFormationEngine } from './cloudformation/engine';
import type { ResourceRecord, StackRecord } from './cloudformation/model';
import { hasResourceType } from './cloudformation/stackStore';

/** A resource that exists in AWS right now (created or being changed, not deleted). */
export interface LiveResource {
  stack: StackRecord;
  resource: ResourceRecord;
  environment?: string;
}

export function environmentOf(stack: StackRecord): string | undefined {
  return stack.definition.tags.find(t => t.Key === TAG_ENVIRONMENT)?.Value;
}

const GONE = new Set(['DELETE_COMPLETE', 'DELETE_SKIPPED']);

/** Resources of live stacks in one account and Region, optionally of one type. */
export function liveResources(
  engine: CloudFormationEngine,
  accountId: string,
  region: string,
  type?: string,
): LiveResource[] {
  const state = engine.region(accountId, region);
  engine.advance(state);
  const out: LiveResource[] = [];
  for (const stack of engine.liveStacks(state)) {
    if (type && !hasResourceType(stack, type)) continue;
    const environment = environmentOf(stack);
    for (const resource of Object.values(stack.definition.resources)) {
      if (type && resource.type !== type) continue;
      if (!resource.physicalId || GONE.has(resource.status)) continue;
      out.push({ stack, resource, environment });
    }
  }
  return out;
}

/** The status word EKS, RDS and friends report for a resource in a given CloudFormation state. */
export function serviceStatus(
  resourceStatus: string,
  words: {
    creating: string;
    active: string;
    updating: string;
    deleting: string;
    failed: string;
  },
): string {
  if (resourceStatus.startsWith('CREATE_IN_PROGRESS')) return words.creating;
  if (resourceStatus === 'CREATE_FAILED' || resourceStatus === 'UPDATE_FAILED')
    return words.failed;
  if (resourceStatus.startsWith('UPDATE_IN_PROGRESS')) return words.updating;
  if (resourceStatus.startsWith('DELETE_IN_PROGRESS')) return words.deleting;
  return words.active;
}

export interface EnvironmentInfo {
  name: string;
  accountId: string;
  region: string;
  stage: Stage;
  /** Creation time of its first stack, epoch ms. */
  createdAt: number;
  stacks: StackRecord[];
}

/** Environments that exist: live stacks grouped by their `innovate:environment` tag. */
export function environments(
  engine: CloudFormationEngine,
  filter: { accountId?: string; region?: string } = {},
): EnvironmentInfo[] {
  const byKey = new Map<string, EnvironmentInfo>();
  for (const state of engine.allRegions()) {
    if (filter.accountId && state.accountId !== filter.accountId) continue;
    if (filter.region && state.region !== filter.region) continue;
    engine.advance(state);
    for (const stack of engine.liveStacks(state)) {
      const name = environmentOf(stack);
      if (!name || stack.status === 'REVIEW_IN_PROGRESS') continue;
      const key = `${state.accountId}/${state.region}/${name}`;
      let info = byKey.get(key);
      if (!info) {
        const stage = (stack.definition.tags.find(t => t.Key === TAG_STAGE)
          ?.Value ?? 'dev') as Stage;
        info = {
          name,
          accountId: state.accountId,
          region: state.region,
          stage,
          createdAt: stack.creationTime,
          stacks: [],
        };
        byKey.set(key, info);
      }
      info.createdAt = Math.min(info.createdAt, stack.creationTime);
      info.stacks.push(stack);
    }
  }
  return [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Resources of one environment of a type. */
export function environmentResources(
  info: EnvironmentInfo,
  type: string,
): ResourceRecord[] {
  return info.stacks.flatMap(s =>
    !hasResourceType(s, type)
      ? []
      : Object.values(s.definition.resources).filter(
          r => r.type === type && r.physicalId && !GONE.has(r.status),
        ),
  );
}
