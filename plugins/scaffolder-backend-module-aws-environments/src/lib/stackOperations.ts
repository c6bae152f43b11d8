import {
  type Capability,
  type Change,
  type CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Parameter,
  type Stack,
  type StackEvent,
  type Tag,
  SetStackPolicyCommand,
  UpdateTerminationProtectionCommand,
  paginateDescribeChangeSet,
  paginateDescribeStackEvents,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackWaitTimeoutError, TaskCancelledError } from './errors';
import { changeSetNameFor, requestTokenFor } from './names';
import type { ProvisioningSettings } from './settings';

/** Everything a stack operation needs from the running task. */
export interface OperationContext {
  /** Client for the target account/Region, already bound to the task's abort signal. */
  client: CloudFormationClient;
  logger: LoggerService;
  signal?: AbortSignal;
  settings: ProvisioningSettings;
  checkpoint: ActionContext<any>['checkpoint'];
  taskId: string;
  /** CloudFormation service role named on every change set; undefined deploys with the caller's own permissions. */
  roleArn?: string;
}

export interface StackRequest {
  stackName: string;
  /** Ignored when `usePreviousTemplate` is set. */
  templateBody: string;
  /** Update with the stack's current template, e.g. to change one parameter and keep the others (`UsePreviousValue`). */
  usePreviousTemplate?: boolean;
  parameters: Parameter[];
  tags: Tag[];
  capabilities: string[];
  /** Production stack: termination protection and a stack policy protecting the database. */
  protect: boolean;
  /** Termination protection without the database stack policy (e.g. the account baseline). */
  terminationProtection?: boolean;
}

export interface ResourceChangeSummary {
  action: string;
  logicalId: string;
  resourceType: string;
  replacement?: string;
}

interface PreparedChangeSet {
  id: string;
  type: 'CREATE' | 'UPDATE';
  noChanges: boolean;
  changes: ResourceChangeSummary[];
}

export type StackOutcome = 'created' | 'updated' | 'unchanged' | 'previewed';

export interface StackDeployment {
  stackName: string;
  outcome: StackOutcome;
  changeSetType?: 'CREATE' | 'UPDATE';
  status: string;
  outputs: Record<string, string>;
  changes: ResourceChangeSummary[];
  startedAt: string;
  completedAt: string;
}

/**
 * Denies replacing or deleting any RDS resource through a stack update, so that a template change can never
 * recreate the production database; everything else may be updated.
 */
export const DATABASE_STACK_POLICY = JSON.stringify({
  Statement: [
    {
      Effect: 'Allow',
      Action: 'Update:*',
      Principal: '*',
      Resource: '*',
    },
    {
      Effect: 'Deny',
      Action: ['Update:Replace', 'Update:Delete'],
      Principal: '*',
      Resource: '*',
      Condition: { StringLike: { ResourceType: ['AWS::RDS::*'] } },
    },
  ],
});

const NO_CHANGES_PATTERN =
  /didn't contain changes|No updates are to be performed/i;

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name;
}

function errorMessage(error: unknown): string {
  return String((error as { message?: string } | undefined)?.message ?? error);
}

function throwIfCancelled(op: OperationContext, what: string): void {
  if (op.signal?.aborted) {
    throw new TaskCancelledError(
      `Cancelled while ${what}; an operation CloudFormation already started keeps running`,
    );
  }
}

/** The stack, or undefined when it does not exist (CloudFormation answers ValidationError). */
export async function describeStack(
  client: CloudFormationClient,
  stackName: string,
): Promise<Stack | undefined> {
  try {
    const response = await client.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    return response?.Stacks?.[0];
  } catch (error) {
    if (
      errorName(error) === 'ValidationError' &&
      /does not exist/i.test(errorMessage(error))
    ) {
      return undefined;
    }
    throw error;
  }
}

export function stackOutputs(stack: Stack | undefined): Record<string, string> {
  return Object.fromEntries(
    (stack?.Outputs ?? [])
      .filter(o => o.OutputKey)
      .map(o => [o.OutputKey!, o.OutputValue ?? '']),
  );
}

/**
 * Follows a stack's events while an operation runs, logging each new event once, in order, and a heartbeat when
 * nothing happened for a while (a load balancer closes a silent live log after 60 s).
 */
export class StackEventTail {
  private readonly seen = new Set<string>();
  private readonly failures: StackEvent[] = [];
  private lastLogAt = Date.now();
  private readonly startedAt = Date.now();

  constructor(
    private readonly op: OperationContext,
    private readonly stackName: string,
    private readonly activity: string,
  ) {}

  /** Marks the events that exist now as already seen, so only this operation's events are streamed. */
  async seed(): Promise<void> {
    try {
      for await (const page of paginateDescribeStackEvents(
        { client: this.op.client },
        { StackName: this.stackName },
      )) {
        for (const event of page?.StackEvents ?? []) {
          if (event.EventId) this.seen.add(event.EventId);
        }
        break;
      }
    } catch {
      // A stack that does not exist yet has no events to skip.
    }
  }

  async poll(): Promise<void> {
    let fresh: StackEvent[] = [];
    try {
      fresh = await this.unseenEvents();
    } catch (error) {
      this.op.logger.debug(
        `Could not read events of ${this.stackName}: ${errorMessage(error)}`,
      );
    }
    // DescribeStackEvents lists newest first; the log reads oldest first.
    for (const event of fresh.reverse()) {
      this.seen.add(event.EventId!);
      if (event.ResourceStatus?.endsWith('_FAILED')) this.failures.push(event);
      this.op.logger.info(
        `${this.stackName} ${event.LogicalResourceId} [${event.ResourceType}] ${
          event.ResourceStatus
        }${
          event.ResourceStatusReason ? `: ${event.ResourceStatusReason}` : ''
        }`,
      );
      this.lastLogAt = Date.now();
    }
  }

  /** Events newer than the last one seen; pages are read only until a seen event shows up. */
  private async unseenEvents(): Promise<StackEvent[]> {
    const fresh: StackEvent[] = [];
    for await (const page of paginateDescribeStackEvents(
      { client: this.op.client },
      { StackName: this.stackName },
    )) {
      for (const event of page?.StackEvents ?? []) {
        if (!event.EventId || this.seen.has(event.EventId)) return fresh;
        fresh.push(event);
      }
    }
    return fresh;
  }

  heartbeat(): void {
    const now = Date.now();
    if (now - this.lastLogAt >= this.op.settings.heartbeatSeconds * 1000) {
      this.op.logger.info(
        `Still ${this.activity} ${this.stackName} (${Math.round(
          (now - this.startedAt) / 1000,
        )} s elapsed)`,
      );
      this.lastLogAt = now;
    }
  }

  async run(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      try {
        await sleep(this.op.settings.pollIntervalSeconds * 1000, undefined, {
          signal: stop,
        });
      } catch {
        return;
      }
      await this.poll();
      this.heartbeat();
    }
  }

  /** Why resources failed, most useful first: the first failure usually caused the rest. */
  failureReasons(): string[] {
    return this.failures
      .filter(
        e =>
          e.ResourceStatusReason &&
          !/Resource (creation|update) cancelled/i.test(e.ResourceStatusReason),
      )
      .map(
        e =>
          `${e.LogicalResourceId} (${e.ResourceType}): ${e.ResourceStatusReason}`,
      );
  }
}

type StackActivity = 'create' | 'update' | 'delete';

const WAITERS = {
  create: waitUntilStackCreateComplete,
  update: waitUntilStackUpdateComplete,
  delete: waitUntilStackDeleteComplete,
};

const ACTIVITY_WORDS: Record<StackActivity, string> = {
  create: 'creating',
  update: 'updating',
  delete: 'deleting',
};

function waiterTiming(op: OperationContext) {
  return {
    minDelay: op.settings.pollIntervalSeconds,
    maxDelay: op.settings.pollIntervalSeconds,
    maxWaitTime: op.settings.maxWaitSeconds,
  };
}

/**
 * Waits, bounded by `maxWaitSeconds` and cancelled by the task's signal, until the stack operation ends, streaming
 * its events meanwhile. Throws with the failed resources' reasons when the operation failed.
 */
export async function waitForStack(
  op: OperationContext,
  stackName: string,
  activity: StackActivity,
  tail: StackEventTail,
): Promise<void> {
  const stop = new AbortController();
  const tailing = tail.run(stop.signal);
  let failure: unknown;
  try {
    await WAITERS[activity](
      { client: op.client, abortSignal: op.signal, ...waiterTiming(op) },
      { StackName: stackName },
    );
  } catch (error) {
    failure = error;
  } finally {
    stop.abort();
    await tailing;
  }
  throwIfCancelled(op, `${ACTIVITY_WORDS[activity]} ${stackName}`);
  await tail.poll();
  if (!failure) return;
  if (errorName(failure) === 'TimeoutError') {
    throw new StackWaitTimeoutError(
      `Gave up waiting for ${stackName} after ${op.settings.maxWaitSeconds} s; CloudFormation may still be working on it, re-run the task to resume waiting`,
    );
  }
  const stack = await describeStack(op.client, stackName).catch(
    () => undefined,
  );
  const reasons = tail.failureReasons();
  throw new ConflictError(
    `${ACTIVITY_WORDS[activity][0].toUpperCase()}${ACTIVITY_WORDS[
      activity
    ].slice(1)} stack ${stackName} failed${
      stack?.StackStatus ? ` (${stack.StackStatus})` : ''
    }: ${
      reasons.length
        ? reasons.join('; ')
        : stack?.StackStatusReason ?? errorMessage(failure)
    }`,
  );
}

/** Waits for an operation that was already running (e.g. started before a backend restart) to end. */
async function waitForRunningOperation(
  op: OperationContext,
  stack: Stack,
): Promise<Stack | undefined> {
  const status = stack.StackStatus ?? '';
  if (!status.endsWith('_IN_PROGRESS') || status === 'REVIEW_IN_PROGRESS') {
    return stack;
  }
  let activity: StackActivity = 'update';
  if (status.startsWith('DELETE')) activity = 'delete';
  else if (status.startsWith('CREATE')) activity = 'create';
  op.logger.info(
    `${stack.StackName} is ${status}; waiting for that operation to end first`,
  );
  const tail = new StackEventTail(op, stack.StackName!, 'waiting for');
  await tail.seed();
  await waitForStack(op, stack.StackName!, activity, tail).catch(error => {
    if (error instanceof TaskCancelledError) throw error;
    if (error instanceof StackWaitTimeoutError) throw error;
    // A failed earlier operation leaves a state the next step handles (rollback complete, update rolled back).
  });
  return describeStack(op.client, stack.StackName!);
}

async function summarizeChangeSet(
  op: OperationContext,
  stackName: string,
  changeSetId: string,
): Promise<{
  status?: string;
  reason?: string;
  changes: ResourceChangeSummary[];
}> {
  const changes: ResourceChangeSummary[] = [];
  let status: string | undefined;
  let reason: string | undefined;
  for await (const page of paginateDescribeChangeSet(
    { client: op.client },
    { ChangeSetName: changeSetId, StackName: stackName },
  )) {
    status = page?.Status ?? status;
    reason = page?.StatusReason ?? reason;
    for (const change of page?.Changes ?? ([] as Change[])) {
      const resource = change.ResourceChange;
      if (!resource) continue;
      changes.push({
        action: resource.Action ?? 'Unknown',
        logicalId: resource.LogicalResourceId ?? '',
        resourceType: resource.ResourceType ?? '',
        ...(resource.Replacement ? { replacement: resource.Replacement } : {}),
      });
    }
  }
  return { status, reason, changes };
}

function logChanges(
  op: OperationContext,
  stackName: string,
  changes: ResourceChangeSummary[],
): void {
  op.logger.info(`${stackName}: ${changes.length} resource change(s)`);
  for (const change of changes) {
    op.logger.info(
      `  ${change.action} ${change.logicalId} (${change.resourceType})${
        change.replacement && change.replacement !== 'False'
          ? ` replacement: ${change.replacement}`
          : ''
      }`,
    );
  }
}

async function createChangeSet(
  op: OperationContext,
  request: StackRequest,
  changeSetName: string,
  changeSetType: 'CREATE' | 'UPDATE',
): Promise<string> {
  try {
    const response = await op.client.send(
      new CreateChangeSetCommand({
        StackName: request.stackName,
        ChangeSetName: changeSetName,
        ChangeSetType: changeSetType,
        ...(request.usePreviousTemplate
          ? { UsePreviousTemplate: true }
          : { TemplateBody: request.templateBody }),
        ...(op.roleArn ? { RoleARN: op.roleArn } : {}),
        Parameters: request.parameters,
        Tags: request.tags,
        Capabilities: request.capabilities as Capability[],
        ClientToken: requestTokenFor(
          op.taskId,
          request.stackName,
          `change-set-${changeSetName}`,
        ),
        Description: `Innovate portal task ${op.taskId}`,
      }),
    );
    return response?.Id ?? changeSetName;
  } catch (error) {
    if (errorName(error) === 'AlreadyExistsException') {
      // This task made the change set before a restart; carry on with it.
      const existing = await op.client.send(
        new DescribeChangeSetCommand({
          ChangeSetName: changeSetName,
          StackName: request.stackName,
        }),
      );
      return existing?.ChangeSetId ?? changeSetName;
    }
    if (errorName(error) === 'ValidationError') {
      throw new InputError(
        `CloudFormation rejected ${request.stackName}: ${errorMessage(error)}`,
      );
    }
    throw error;
  }
}

/** Deletes a preview change set, and the empty REVIEW_IN_PROGRESS stack a CREATE change set leaves behind. */
async function discardChangeSet(
  op: OperationContext,
  stackName: string,
  changeSetId: string,
  changeSetType: 'CREATE' | 'UPDATE',
): Promise<void> {
  await op.client.send(
    new DeleteChangeSetCommand({
      ChangeSetName: changeSetId,
      StackName: stackName,
    }),
  );
  if (changeSetType === 'CREATE') {
    await op.client.send(new DeleteStackCommand({ StackName: stackName }));
  }
}

async function protectStack(
  op: OperationContext,
  request: StackRequest,
): Promise<void> {
  const { stackName } = request;
  await op.checkpoint({
    key: `protect:${stackName}`,
    fn: async () => {
      await op.client.send(
        new UpdateTerminationProtectionCommand({
          StackName: stackName,
          EnableTerminationProtection: true,
        }),
      );
      if (request.protect) {
        await op.client.send(
          new SetStackPolicyCommand({
            StackName: stackName,
            StackPolicyBody: DATABASE_STACK_POLICY,
          }),
        );
      }
    },
  });
  op.logger.info(
    request.protect
      ? `${stackName}: termination protection on; stack policy denies replacing or deleting RDS resources`
      : `${stackName}: termination protection on`,
  );
}

function wantsProtection(request: StackRequest): boolean {
  return request.protect || Boolean(request.terminationProtection);
}

/**
 * Creates or updates one stack through a change set. A change set without changes is a successful no-op; a dry run
 * creates and describes the change set, then deletes it without executing. Every mutation is checkpointed, so a
 * re-run of the task (after a restart) continues where it stopped instead of starting a second operation.
 */
export async function deployStack(
  op: OperationContext,
  request: StackRequest,
  options: {
    dryRun?: boolean;
    /** Names the change set and checkpoints, so that two deployments of one stack in one task stay apart. */
    purpose?: 'deploy' | 'release';
  } = {},
): Promise<StackDeployment> {
  const { stackName } = request;
  const dryRun = Boolean(options.dryRun);
  const purpose = options.purpose ?? 'deploy';
  // Existing task checkpoints keep their keys for plain deploys.
  const keySuffix = purpose === 'deploy' ? '' : `:${purpose}`;
  const startedAt = new Date().toISOString();
  const finish = (
    outcome: StackOutcome,
    stack: Stack | undefined,
    changes: ResourceChangeSummary[],
    changeSetType?: 'CREATE' | 'UPDATE',
  ): StackDeployment => ({
    stackName,
    outcome,
    ...(changeSetType ? { changeSetType } : {}),
    status: stack?.StackStatus ?? (dryRun ? 'NOT_CREATED' : 'UNKNOWN'),
    outputs: stackOutputs(stack),
    changes,
    startedAt,
    completedAt: new Date().toISOString(),
  });

  let existing = await describeStack(op.client, stackName);
  if (existing && !dryRun)
    existing = await waitForRunningOperation(op, existing);

  if (existing?.StackStatus === 'ROLLBACK_COMPLETE') {
    if (dryRun) {
      op.logger.info(
        `${stackName} is in ROLLBACK_COMPLETE after a failed create; a real run deletes it and creates it again`,
      );
      return finish('previewed', existing, []);
    }
    op.logger.info(
      `${stackName} is in ROLLBACK_COMPLETE after a failed create; deleting it before creating it again`,
    );
    await deleteStack(op, stackName, { disableProtection: false });
    existing = undefined;
  }

  const plannedType: 'CREATE' | 'UPDATE' =
    existing && existing.StackStatus !== 'REVIEW_IN_PROGRESS'
      ? 'UPDATE'
      : 'CREATE';
  const changeSetName = changeSetNameFor(
    op.taskId,
    stackName,
    dryRun ? 'preview' : purpose,
  );
  const prepare = async (): Promise<PreparedChangeSet> => {
    op.logger.info(
      `${stackName}: creating ${plannedType} change set ${changeSetName}`,
    );
    const id = await createChangeSet(op, request, changeSetName, plannedType);
    try {
      await waitUntilChangeSetCreateComplete(
        { client: op.client, abortSignal: op.signal, ...waiterTiming(op) },
        { ChangeSetName: id, StackName: stackName },
      );
    } catch (error) {
      throwIfCancelled(op, `creating the change set of ${stackName}`);
      const summary = await summarizeChangeSet(op, stackName, id);
      if (NO_CHANGES_PATTERN.test(summary.reason ?? '')) {
        await discardChangeSet(op, stackName, id, 'UPDATE');
        return { id, type: plannedType, noChanges: true, changes: [] };
      }
      throw new InputError(
        `Change set for ${stackName} failed: ${
          summary.reason ?? errorMessage(error)
        }`,
      );
    }
    const { changes } = await summarizeChangeSet(op, stackName, id);
    return { id, type: plannedType, noChanges: false, changes };
  };
  // The whole preparation is one checkpoint: after a restart, a change set that was already executed (and so
  // removed by CloudFormation) is not looked for again.
  const prepared = dryRun
    ? await prepare()
    : ((await op.checkpoint({
        key: `change-set:${stackName}${keySuffix}`,
        fn: async () => (await prepare()) as unknown as JsonObject,
      })) as unknown as PreparedChangeSet);
  const changeSetId = prepared.id;
  const changeSetType = prepared.type;
  const changes = prepared.changes;

  if (prepared.noChanges) {
    op.logger.info(`${stackName}: no changes, nothing to deploy`);
    const stack = await describeStack(op.client, stackName);
    if (wantsProtection(request) && !dryRun) await protectStack(op, request);
    return finish(dryRun ? 'previewed' : 'unchanged', stack, [], changeSetType);
  }
  logChanges(op, stackName, changes);

  if (dryRun) {
    await discardChangeSet(op, stackName, changeSetId, changeSetType);
    op.logger.info(
      `${stackName}: dry run, change set deleted without executing`,
    );
    return finish('previewed', existing, changes, changeSetType);
  }

  if (wantsProtection(request) && changeSetType === 'UPDATE') {
    await protectStack(op, request);
  }

  const tail = new StackEventTail(
    op,
    stackName,
    changeSetType === 'CREATE' ? 'creating' : 'updating',
  );
  await tail.seed();
  await op.checkpoint({
    key: `execute-change-set:${stackName}${keySuffix}`,
    fn: async () => {
      try {
        await op.client.send(
          new ExecuteChangeSetCommand({
            ChangeSetName: changeSetId,
            StackName: stackName,
            ClientRequestToken: requestTokenFor(
              op.taskId,
              stackName,
              purpose === 'deploy' ? 'execute' : `execute-${purpose}`,
            ),
          }),
        );
      } catch (error) {
        // Executed before a restart: CloudFormation has already removed the change set or is running it.
        if (
          errorName(error) !== 'ChangeSetNotFoundException' &&
          errorName(error) !== 'InvalidChangeSetStatusException'
        ) {
          throw error;
        }
      }
    },
  });
  await waitForStack(
    op,
    stackName,
    changeSetType === 'CREATE' ? 'create' : 'update',
    tail,
  );
  if (wantsProtection(request)) await protectStack(op, request);
  const stack = await describeStack(op.client, stackName);
  op.logger.info(`${stackName}: ${stack?.StackStatus}`);
  return finish(
    changeSetType === 'CREATE' ? 'created' : 'updated',
    stack,
    changes,
    changeSetType,
  );
}

/**
 * Deletes one stack and waits until it is gone. A stack with termination protection is refused unless
 * `disableProtection` is set, in which case protection is turned off first.
 */
export async function deleteStack(
  op: OperationContext,
  stackName: string,
  options: { disableProtection: boolean },
): Promise<'deleted' | 'absent'> {
  let stack = await describeStack(op.client, stackName);
  if (!stack) return 'absent';
  if (stack.EnableTerminationProtection) {
    if (!options.disableProtection) {
      throw new NotAllowedError(
        `${stackName} has termination protection; confirm the production teardown to delete it`,
      );
    }
    await op.checkpoint({
      key: `unprotect:${stackName}`,
      fn: async () => {
        await op.client.send(
          new UpdateTerminationProtectionCommand({
            StackName: stackName,
            EnableTerminationProtection: false,
          }),
        );
      },
    });
    op.logger.info(`${stackName}: termination protection turned off`);
  }
  stack = await waitForRunningOperation(op, stack);
  if (!stack) return 'deleted';
  const tail = new StackEventTail(op, stackName, 'deleting');
  await tail.seed();
  await op.checkpoint({
    key: `delete-stack:${stackName}:${stack.StackId ?? ''}`,
    fn: async () => {
      await op.client.send(
        new DeleteStackCommand({
          StackName: stackName,
          ClientRequestToken: requestTokenFor(
            op.taskId,
            stack?.StackId ?? stackName,
            'delete',
          ),
        }),
      );
    },
  });
  op.logger.info(`${stackName}: deleting`);
  await waitForStack(op, stackName, 'delete', tail);
  op.logger.info(`${stackName}: deleted`);
  return 'deleted';
}
