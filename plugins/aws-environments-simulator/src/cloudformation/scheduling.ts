/**
 * Scheduling stack operations: the steps of a creation, update or deletion (with rollbacks and cleanups), each due
 * at the time the resources' dependencies and durations give.
 */
import type { CfnTemplate } from '@internal/plugin-aws-environments-node';
import { SeededRandom } from '../random';
import type { EngineOptions } from './engine';
import type {
  ChangeRecord,
  ResourceRecord,
  ScheduledStep,
  StackDefinition,
  StackRecord,
} from './model';
import type { PlannedDefinition } from './planning';
import {
  creationSeconds,
  deletionSeconds,
  updateSeconds,
} from './resourceTypes';
import { resourceDependencies } from './template';

export class OperationScheduler {
  constructor(
    private readonly options: EngineOptions,
    private readonly parsed: (templateBody: string) => CfnTemplate,
  ) {}

  /** How long deleting each resource of a stack takes, by logical id. */
  private deletionDuration(definition: StackDefinition) {
    return (id: string) =>
      this.duration(
        deletionSeconds(
          definition.resources[id].type,
          definition.resources[id].properties,
        ),
      );
  }

  private duration(seconds: number): number {
    return Math.round(seconds * 1000 * this.options.timeScale);
  }

  private isFailing(stack: StackRecord, logicalId: string): boolean {
    return this.options.failResources().has(`${stack.stackName}/${logicalId}`);
  }

  /** Reasons of the resources among `ids` that their service refuses, by logical id. */
  private refusals(
    stack: StackRecord,
    resources: Record<string, ResourceRecord>,
    ids: Iterable<string>,
    previous: Record<string, ResourceRecord> = {},
  ): Map<string, string> {
    const refusals = new Map<string, string>();
    const refuse = this.options.refuseResource;
    if (!refuse) return refusals;
    for (const id of ids) {
      const reason = refuse({
        stack,
        resource: resources[id],
        previous: previous[id],
      });
      if (reason) refusals.set(id, reason);
    }
    return refusals;
  }

  private failureReason(stack: StackRecord, logicalId: string): string {
    const token = SeededRandom.for(
      this.options.seed,
      stack.stackId,
      logicalId,
      'failure',
    ).uuid();
    return `Resource handler returned message: "Simulated failure of ${stack.stackName}/${logicalId} (awsEnvironments.simulation.failResources)" (RequestToken: ${token}, HandlerErrorCode: GeneralServiceException)`;
  }

  /**
   * Forward pass: each resource starts when its dependencies are done; independent resources run concurrently.
   * Returns start/end times and, when a resource fails, the time it fails at.
   */
  private forwardSchedule(
    stack: StackRecord,
    order: string[],
    dependencies: Map<string, string[]>,
    durationOf: (logicalId: string) => number,
    touched: Set<string>,
    start: number,
    refusals: ReadonlyMap<string, string> = new Map(),
  ) {
    const times = new Map<string, { start: number; end: number }>();
    for (const logicalId of order) {
      const ready = Math.max(
        start,
        ...(dependencies.get(logicalId) ?? []).map(
          d => times.get(d)?.end ?? start,
        ),
      );
      // A refused request fails as soon as the service answers, not after the resource's usual duration.
      let duration = 0;
      if (touched.has(logicalId)) {
        duration = refusals.has(logicalId)
          ? this.duration(5)
          : durationOf(logicalId);
      }
      times.set(logicalId, { start: ready, end: ready + duration });
    }
    const failing = order.filter(
      id => touched.has(id) && (refusals.has(id) || this.isFailing(stack, id)),
    );
    const failAt =
      failing.length > 0
        ? Math.min(...failing.map(id => times.get(id)!.end))
        : undefined;
    return {
      times,
      failing: failing.filter(id => times.get(id)!.end === failAt),
      failAt,
    };
  }

  /** Reverse pass for deletions: a resource goes once everything depending on it is gone. */
  private reverseSchedule(
    ids: string[],
    dependencies: Map<string, string[]>,
    durationOf: (logicalId: string) => number,
    start: number,
  ) {
    const set = new Set(ids);
    const dependents = new Map<string, string[]>();
    for (const id of ids) {
      for (const dep of dependencies.get(id) ?? []) {
        if (!set.has(dep)) continue;
        dependents.set(dep, [...(dependents.get(dep) ?? []), id]);
      }
    }
    const times = new Map<string, { start: number; end: number }>();
    const visit = (id: string): number => {
      const known = times.get(id);
      if (known) return known.end;
      const ready = Math.max(start, ...(dependents.get(id) ?? []).map(visit));
      const end = ready + durationOf(id);
      times.set(id, { start: ready, end });
      return end;
    };
    ids.forEach(visit);
    return times;
  }

  private stackStep(
    stack: StackRecord,
    at: number,
    status: string,
    reason?: string,
  ): ScheduledStep {
    return {
      at,
      logicalId: stack.stackName,
      resourceType: 'AWS::CloudFormation::Stack',
      status,
      reason,
      physicalId: stack.stackId,
    };
  }

  scheduleCreate(
    stack: StackRecord,
    planned: PlannedDefinition,
    at: number,
  ): ScheduledStep[] {
    const { definition, order, dependencies } = planned;
    const steps: ScheduledStep[] = [
      this.stackStep(stack, at, 'CREATE_IN_PROGRESS', 'User Initiated'),
    ];
    const durationOf = (id: string) =>
      this.duration(
        creationSeconds(
          definition.resources[id].type,
          definition.resources[id].properties,
        ),
      );
    const refusals = this.refusals(stack, definition.resources, order);
    const { times, failing, failAt } = this.forwardSchedule(
      stack,
      order,
      dependencies,
      durationOf,
      new Set(order),
      at,
      refusals,
    );
    const reached = new Set<string>();
    for (const id of order) {
      const resource = definition.resources[id];
      const { start, end } = times.get(id)!;
      if (failAt !== undefined && start > failAt) continue;
      reached.add(id);
      steps.push({
        at: start,
        logicalId: id,
        resourceType: resource.type,
        status: 'CREATE_IN_PROGRESS',
        resource: {
          ...resource,
          status: 'CREATE_IN_PROGRESS',
          physicalId: undefined,
          timestamp: start,
        },
      });
      steps.push({
        at: start,
        logicalId: id,
        resourceType: resource.type,
        status: 'CREATE_IN_PROGRESS',
        reason: 'Resource creation Initiated',
        physicalId: resource.physicalId,
        resource: {
          ...resource,
          status: 'CREATE_IN_PROGRESS',
          timestamp: start,
        },
      });
      if (failAt === undefined || end < failAt) {
        steps.push({
          at: end,
          logicalId: id,
          resourceType: resource.type,
          status: 'CREATE_COMPLETE',
          physicalId: resource.physicalId,
          resource: { ...resource, status: 'CREATE_COMPLETE', timestamp: end },
        });
      } else {
        const failed = failing.includes(id);
        const reason = failed
          ? refusals.get(id) ?? this.failureReason(stack, id)
          : 'Resource creation cancelled';
        steps.push({
          at: failAt,
          logicalId: id,
          resourceType: resource.type,
          status: 'CREATE_FAILED',
          reason,
          physicalId: resource.physicalId,
          resource: {
            ...resource,
            status: 'CREATE_FAILED',
            statusReason: reason,
            timestamp: failAt,
          },
        });
      }
    }
    const end = Math.max(at, ...[...times.values()].map(t => t.end));
    if (failAt === undefined) {
      steps.push({
        ...this.stackStep(stack, end, 'CREATE_COMPLETE'),
        definition,
      });
      return steps;
    }
    const reason = `The following resource(s) failed to create: [${failing.join(
      ', ',
    )}]. `;
    if (stack.disableRollback) {
      const partial = { ...definition, outputs: [], resources: {} };
      steps.push({
        ...this.stackStep(stack, failAt, 'CREATE_FAILED', reason),
        definition: partial,
      });
      return steps;
    }
    steps.push(
      this.stackStep(
        stack,
        failAt,
        'ROLLBACK_IN_PROGRESS',
        `${reason}Rollback requested by user.`,
      ),
    );
    const toDelete = order.filter(id => reached.has(id));
    const deletion = this.reverseSchedule(
      toDelete,
      dependencies,
      this.deletionDuration(definition),
      failAt,
    );
    for (const id of toDelete) {
      const resource = definition.resources[id];
      const { start: s, end: e } = deletion.get(id)!;
      steps.push({
        at: s,
        logicalId: id,
        resourceType: resource.type,
        status: 'DELETE_IN_PROGRESS',
        physicalId: resource.physicalId,
      });
      steps.push({
        at: e,
        logicalId: id,
        resourceType: resource.type,
        status: 'DELETE_COMPLETE',
        physicalId: resource.physicalId,
        resource: { ...resource, status: 'DELETE_COMPLETE', timestamp: e },
      });
    }
    const rolledBack = Math.max(
      failAt,
      ...[...deletion.values()].map(t => t.end),
    );
    steps.push({
      ...this.stackStep(stack, rolledBack, 'ROLLBACK_COMPLETE'),
      definition: {
        ...definition,
        outputs: [],
        resources: mapValues(definition.resources, r => ({
          ...r,
          status: 'DELETE_COMPLETE',
          timestamp: rolledBack,
        })),
      },
    });
    return steps;
  }

  scheduleUpdate(
    stack: StackRecord,
    planned: PlannedDefinition,
    changes: ChangeRecord[],
    at: number,
  ): ScheduledStep[] {
    const before = stack.definition;
    const after = planned.definition;
    const steps: ScheduledStep[] = [
      this.stackStep(stack, at, 'UPDATE_IN_PROGRESS', 'User Initiated'),
    ];
    const byId = new Map(changes.map(c => [c.logicalId, c]));
    const touched = new Set(
      changes.filter(c => c.action !== 'Remove').map(c => c.logicalId),
    );
    const durationOf = (id: string) => {
      const change = byId.get(id)!;
      const resource = after.resources[id];
      return change.action === 'Add' || change.replacement === 'True'
        ? this.duration(creationSeconds(resource.type, resource.properties))
        : this.duration(updateSeconds(resource.type, resource.properties));
    };
    const refusals = this.refusals(
      stack,
      after.resources,
      touched,
      before.resources,
    );
    const { times, failing, failAt } = this.forwardSchedule(
      stack,
      planned.order,
      planned.dependencies,
      durationOf,
      touched,
      at,
      refusals,
    );
    const reached: string[] = [];
    for (const id of planned.order) {
      if (!touched.has(id)) continue;
      const change = byId.get(id)!;
      const resource = after.resources[id];
      const { start, end } = times.get(id)!;
      if (failAt !== undefined && start > failAt) continue;
      reached.push(id);
      const adding = change.action === 'Add';
      const replacing = change.replacement === 'True';
      const progress = adding ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
      const complete = adding ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE';
      const failed = adding ? 'CREATE_FAILED' : 'UPDATE_FAILED';
      steps.push({
        at: start,
        logicalId: id,
        resourceType: resource.type,
        status: progress,
        reason: replacing
          ? 'Requested update requires the creation of a new physical resource; hence creating one.'
          : undefined,
        physicalId: adding ? undefined : before.resources[id]?.physicalId,
      });
      if (failAt === undefined || end < failAt) {
        steps.push({
          at: end,
          logicalId: id,
          resourceType: resource.type,
          status: complete,
          physicalId: resource.physicalId,
          resource: { ...resource, status: complete, timestamp: end },
        });
      } else {
        const cancelled = adding
          ? 'Resource creation cancelled'
          : 'Resource update cancelled';
        const reason = failing.includes(id)
          ? refusals.get(id) ?? this.failureReason(stack, id)
          : cancelled;
        steps.push({
          at: failAt,
          logicalId: id,
          resourceType: resource.type,
          status: failed,
          reason,
          physicalId: resource.physicalId,
        });
      }
    }
    const forwardEnd = Math.max(at, ...[...times.values()].map(t => t.end));
    const oldDependencies = resourceDependencies(
      this.parsed(before.templateBody),
      new Set(Object.keys(before.resources)),
    );

    if (failAt === undefined) {
      steps.push(
        this.stackStep(
          stack,
          forwardEnd,
          'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
        ),
      );
      // Cleanup: resources removed from the template and the old copies of replaced ones.
      const cleanup = changes
        .filter(c => c.action === 'Remove' || c.replacement === 'True')
        .map(c => c.logicalId);
      const deletion = this.reverseSchedule(
        cleanup,
        oldDependencies,
        this.deletionDuration(before),
        forwardEnd,
      );
      for (const id of cleanup) {
        const old = before.resources[id];
        const { start, end } = deletion.get(id)!;
        const removed = byId.get(id)!.action === 'Remove';
        const retained = old.deletionPolicy === 'Retain';
        steps.push({
          at: start,
          logicalId: id,
          resourceType: old.type,
          status: retained ? 'DELETE_SKIPPED' : 'DELETE_IN_PROGRESS',
          physicalId: old.physicalId,
          ...(retained && removed ? { resource: null } : {}),
        });
        if (!retained) {
          steps.push({
            at: end,
            logicalId: id,
            resourceType: old.type,
            status: 'DELETE_COMPLETE',
            physicalId: old.physicalId,
            ...(removed ? { resource: null } : {}),
          });
        }
      }
      const done = Math.max(
        forwardEnd,
        ...[...deletion.values()].map(t => t.end),
      );
      steps.push({
        ...this.stackStep(stack, done, 'UPDATE_COMPLETE'),
        definition: after,
      });
      return steps;
    }

    const failedVerb = failing.some(id => byId.get(id)?.action === 'Add')
      ? 'create'
      : 'update';
    steps.push(
      this.stackStep(
        stack,
        failAt,
        'UPDATE_ROLLBACK_IN_PROGRESS',
        `The following resource(s) failed to ${failedVerb}: [${failing.join(
          ', ',
        )}]. `,
      ),
    );
    // Roll back modified resources to their previous configuration, in reverse order.
    const modified = reached.filter(id => byId.get(id)!.action === 'Modify');
    const revert = this.reverseSchedule(
      modified,
      planned.dependencies,
      id =>
        this.duration(
          updateSeconds(
            before.resources[id].type,
            before.resources[id].properties,
          ),
        ),
      failAt,
    );
    for (const id of modified) {
      const old = before.resources[id];
      const { start, end } = revert.get(id)!;
      steps.push({
        at: start,
        logicalId: id,
        resourceType: old.type,
        status: 'UPDATE_IN_PROGRESS',
        physicalId: old.physicalId,
      });
      steps.push({
        at: end,
        logicalId: id,
        resourceType: old.type,
        status: 'UPDATE_COMPLETE',
        physicalId: old.physicalId,
        resource: { ...old, status: 'UPDATE_COMPLETE', timestamp: end },
      });
    }
    const revertEnd = Math.max(failAt, ...[...revert.values()].map(t => t.end));
    steps.push(
      this.stackStep(
        stack,
        revertEnd,
        'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      ),
    );
    // Cleanup: what the failed update created (new resources and new copies of replaced ones).
    const created = reached.filter(
      id =>
        byId.get(id)!.action === 'Add' || byId.get(id)!.replacement === 'True',
    );
    const deletion = this.reverseSchedule(
      created,
      planned.dependencies,
      this.deletionDuration(after),
      revertEnd,
    );
    for (const id of created) {
      const fresh = after.resources[id];
      const { start, end } = deletion.get(id)!;
      steps.push({
        at: start,
        logicalId: id,
        resourceType: fresh.type,
        status: 'DELETE_IN_PROGRESS',
        physicalId: fresh.physicalId,
      });
      steps.push({
        at: end,
        logicalId: id,
        resourceType: fresh.type,
        status: 'DELETE_COMPLETE',
        physicalId: fresh.physicalId,
      });
    }
    const done = Math.max(revertEnd, ...[...deletion.values()].map(t => t.end));
    steps.push({
      ...this.stackStep(stack, done, 'UPDATE_ROLLBACK_COMPLETE'),
      definition: before,
    });
    return steps;
  }

  scheduleDelete(
    stack: StackRecord,
    at: number,
    retain: Set<string>,
  ): ScheduledStep[] {
    const definition = stack.definition;
    const steps: ScheduledStep[] = [
      this.stackStep(stack, at, 'DELETE_IN_PROGRESS', 'User Initiated'),
    ];
    const ids = Object.keys(definition.resources).filter(
      id => definition.resources[id].status !== 'DELETE_COMPLETE',
    );
    const dependencies = definition.templateBody
      ? resourceDependencies(this.parsed(definition.templateBody), new Set(ids))
      : new Map<string, string[]>();
    const times = this.reverseSchedule(
      ids,
      dependencies,
      this.deletionDuration(definition),
      at,
    );
    for (const id of ids) {
      const resource = definition.resources[id];
      const { start, end } = times.get(id)!;
      if (retain.has(id) || resource.deletionPolicy === 'Retain') {
        steps.push({
          at: start,
          logicalId: id,
          resourceType: resource.type,
          status: 'DELETE_SKIPPED',
          physicalId: resource.physicalId,
          resource: { ...resource, status: 'DELETE_SKIPPED', timestamp: start },
        });
        continue;
      }
      steps.push({
        at: start,
        logicalId: id,
        resourceType: resource.type,
        status: 'DELETE_IN_PROGRESS',
        physicalId: resource.physicalId,
        resource: {
          ...resource,
          status: 'DELETE_IN_PROGRESS',
          timestamp: start,
        },
      });
      steps.push({
        at: end,
        logicalId: id,
        resourceType: resource.type,
        status: 'DELETE_COMPLETE',
        physicalId: resource.physicalId,
        resource: { ...resource, status: 'DELETE_COMPLETE', timestamp: end },
      });
    }
    const done = Math.max(at, ...[...times.values()].map(t => t.end));
    steps.push({
      ...this.stackStep(stack, done, 'DELETE_COMPLETE'),
      deleted: true,
    });
    return steps;
  }
}

function mapValues<T, U>(
  record: Record<string, T>,
  fn: (value: T) => U,
): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}
