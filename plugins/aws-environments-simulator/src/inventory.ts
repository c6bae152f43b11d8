import {
  TAG_ENVIRONMENT,
  TAG_STAGE,
  type Stage,
} from '@internal/plugin-aws-environments-common';
import type {
  CloudFormationEngine,
  RegionState,
} from './cloudformation/engine';
import type { ResourceRecord, StackRecord } from './cloudformation/model';

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

/** What one Region's live stacks hold, computed once per change of the engine's stacks. */
interface RegionInventory {
  changeCount: number;
  stackCount: number;
  resources: LiveResource[];
  byType: Map<string, LiveResource[]>;
  environments: EnvironmentInfo[];
}

const inventories = new WeakMap<RegionState, RegionInventory>();

/** The Region's inventory after applying the due steps; rebuilt only when a stack changed since the last call. */
function regionInventory(
  engine: CloudFormationEngine,
  state: RegionState,
): RegionInventory {
  engine.advance(state);
  const cached = inventories.get(state);
  if (
    cached &&
    cached.changeCount === engine.changeCount(state) &&
    cached.stackCount === state.stacks.length
  ) {
    return cached;
  }
  const resources: LiveResource[] = [];
  const byType = new Map<string, LiveResource[]>();
  const byName = new Map<string, EnvironmentInfo>();
  for (const stack of engine.liveStacks(state)) {
    const environment = environmentOf(stack);
    for (const resource of Object.values(stack.definition.resources)) {
      if (!resource.physicalId || GONE.has(resource.status)) continue;
      const live = { stack, resource, environment };
      resources.push(live);
      const ofType = byType.get(resource.type);
      if (ofType) ofType.push(live);
      else byType.set(resource.type, [live]);
    }
    if (!environment || stack.status === 'REVIEW_IN_PROGRESS') continue;
    let info = byName.get(environment);
    if (!info) {
      const stage = (stack.definition.tags.find(t => t.Key === TAG_STAGE)
        ?.Value ?? 'dev') as Stage;
      info = {
        name: environment,
        accountId: state.accountId,
        region: state.region,
        stage,
        createdAt: stack.creationTime,
        stacks: [],
      };
      byName.set(environment, info);
    }
    info.createdAt = Math.min(info.createdAt, stack.creationTime);
    info.stacks.push(stack);
  }
  const inventory = {
    changeCount: engine.changeCount(state),
    stackCount: state.stacks.length,
    resources,
    byType,
    environments: [...byName.values()],
  };
  inventories.set(state, inventory);
  return inventory;
}

/** Resources of live stacks in one account and Region, optionally of one type (a fresh array the caller may keep). */
export function liveResources(
  engine: CloudFormationEngine,
  accountId: string,
  region: string,
  type?: string,
): LiveResource[] {
  const inventory = regionInventory(engine, engine.region(accountId, region));
  return [...(type ? inventory.byType.get(type) ?? [] : inventory.resources)];
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
  const out: EnvironmentInfo[] = [];
  for (const state of engine.allRegions()) {
    if (filter.accountId && state.accountId !== filter.accountId) continue;
    if (filter.region && state.region !== filter.region) continue;
    out.push(...regionInventory(engine, state).environments);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Resources of one environment of a type. */
export function environmentResources(
  info: EnvironmentInfo,
  type: string,
): ResourceRecord[] {
  return info.stacks.flatMap(s =>
    Object.values(s.definition.resources).filter(
      r => r.type === type && r.physicalId && !GONE.has(r.status),
    ),
  );
}
