import {
  parseTemplate,
  type CfnTemplate,
} from '@internal/plugin-aws-environments-node';
import { awsError } from '../errors';
import { hashSeed, SeededRandom } from '../random';
import { stackEvent } from './events';
import type {
  ChangeRecord,
  ChangeSetRecord,
  ResourceRecord,
  ScheduledStep,
  StackDefinition,
  StackOperation,
  StackRecord,
  Tag,
} from './model';
import { sameParameters, sameTags, StackPlanner } from './planning';
import { OperationScheduler } from './scheduling';
import { StackStore } from './stackStore';
import { TemplateError, validateTemplate } from './template';

const cfnError = (name: string, message: string) =>
  awsError('cloudformation', name, message);
export const validationError = (message: string) =>
  cfnError('ValidationError', message);

const TERMINAL_OK = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);

/** Stack states from which CloudFormation accepts an update. */
const UPDATABLE = new Set([...TERMINAL_OK]);

export interface StackInput {
  stackName: string;
  templateBody: string;
  parameters: Array<{
    ParameterKey?: string;
    ParameterValue?: string;
    UsePreviousValue?: boolean;
  }>;
  tags: Tag[];
  capabilities: string[];
}

export interface EngineOptions {
  seed: number;
  timeScale: number;
  now: () => number;
  /** `<stackName>/<LogicalId>` that fail when created or updated. */
  failResources: () => ReadonlySet<string>;
  /**
   * The status reason when the service behind a resource refuses to create it, or to change it from `previous`
   * (e.g. EKS on a Kubernetes version it no longer supports); undefined when it accepts.
   */
  refuseResource?: (request: {
    stack: StackRecord;
    resource: ResourceRecord;
    previous?: ResourceRecord;
  }) => string | undefined;
  /** Called after every state change, with the stack that changed, e.g. to save it in the state file. */
  onChange?: (stack: StackRecord) => void;
}

/**
 * The simulated CloudFormation of one organization: every account and Region's stacks, their operations scheduled
 * on the clock (each step has a due time; reads apply the steps that are due), change sets, drift and tokens.
 */
export class CloudFormationEngine {
  private readonly regions = new Map<string, RegionState>();
  /** Where stacks at rest keep their resources and events, compressed. */
  readonly store = new StackStore();
  private readonly templates = new Map<string, CfnTemplate>();
  private readonly validBodies = new Set<string>();
  private readonly planner: StackPlanner;
  private readonly scheduler: OperationScheduler;

  /** Changes so far, by `<accountId>/<region>`. */
  private readonly changes = new Map<string, number>();

  constructor(private readonly options: EngineOptions) {
    this.planner = new StackPlanner(options.seed, (stack, name) =>
      this.exportedValue(stack, name),
    );
    this.scheduler = new OperationScheduler(options, body => this.parsed(body));
  }

  /** Grows with every change of a Region's stacks: views derived from them are valid while it stays the same. */
  changeCount(state: RegionState): number {
    return this.changes.get(`${state.accountId}/${state.region}`) ?? 0;
  }

  /** Records that a stack changed outside an operation (e.g. its drift status), for the views and the state file. */
  changed(stack: StackRecord): void {
    this.countChange(stack.accountId, stack.region);
    this.options.onChange?.(stack);
  }

  private countChange(accountId: string, region: string) {
    const key = `${accountId}/${region}`;
    this.changes.set(key, (this.changes.get(key) ?? 0) + 1);
  }

  // ---------------------------------------------------------------- state access

  region(accountId: string, region: string): RegionState {
    const key = `${accountId}/${region}`;
    let state = this.regions.get(key);
    if (!state) {
      state = {
        accountId,
        region,
        stacks: [],
        tokens: new Map(),
        driftDetections: new Map(),
      };
      this.regions.set(key, state);
    }
    return state;
  }

  allRegions(): RegionState[] {
    return [...this.regions.values()];
  }

  /** Applies every scheduled step that is due. Cheap when nothing is in progress. */
  advance(state: RegionState): void {
    const now = this.options.now();
    for (const stack of state.stacks) {
      if (stack.operation && this.advanceStack(stack, now)) this.changed(stack);
    }
  }

  advanceAll(): void {
    for (const state of this.regions.values()) this.advance(state);
  }

  /** Live stacks (not deleted) of a Region. */
  liveStacks(state: RegionState): StackRecord[] {
    return state.stacks.filter(s => s.status !== 'DELETE_COMPLETE');
  }

  findStack(state: RegionState, nameOrId: string): StackRecord | undefined {
    if (nameOrId.startsWith('arn:')) {
      return state.stacks.find(s => s.stackId === nameOrId);
    }
    return state.stacks.find(
      s => s.stackName === nameOrId && s.status !== 'DELETE_COMPLETE',
    );
  }

  requireStack(state: RegionState, nameOrId: string | undefined): StackRecord {
    if (!nameOrId) throw validationError('StackName is required');
    const stack = this.findStack(state, nameOrId);
    if (!stack)
      throw validationError(`Stack with id ${nameOrId} does not exist`);
    return stack;
  }

  parsed(templateBody: string): CfnTemplate {
    let template = this.templates.get(templateBody);
    if (!template) {
      try {
        template = parseTemplate(templateBody);
      } catch (error) {
        throw validationError(
          `Template format error: ${(error as Error).message}`,
        );
      }
      this.templates.set(templateBody, template);
    }
    return template;
  }

  /** Parses and validates; CloudFormation's ValidationError on a problem. */
  validated(templateBody: string): CfnTemplate {
    if (!templateBody)
      throw validationError(
        'Either Template URL or Template Body must be specified.',
      );
    if (Buffer.byteLength(templateBody) > 51200) {
      throw validationError(
        "1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200",
      );
    }
    const template = this.parsed(templateBody);
    if (this.validBodies.has(templateBody)) return template;
    try {
      validateTemplate(template);
      this.validBodies.add(templateBody);
    } catch (error) {
      if (error instanceof TemplateError) throw validationError(error.message);
      throw error;
    }
    return template;
  }

  /** Resource-level changes between two definitions, in the order CloudFormation lists them. */
  diff(before: StackDefinition, after: StackDefinition): ChangeRecord[] {
    return this.planner.diff(before, after);
  }

  /** The value of an export of a live stack in the stack's account and Region. */
  private exportedValue(stack: StackRecord, name: string): string | undefined {
    const state = this.region(stack.accountId, stack.region);
    for (const other of this.liveStacks(state)) {
      const output = other.definition.outputs.find(o => o.ExportName === name);
      if (output) return output.OutputValue;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- operations

  /** Starts creating a stack; `at` back-dates it (seeding), otherwise now. */
  createStack(
    state: RegionState,
    input: StackInput & {
      clientRequestToken?: string;
      disableRollback?: boolean;
      terminationProtection?: boolean;
      roleArn?: string;
      notificationArns?: string[];
      description?: string;
    },
    at = this.options.now(),
  ): StackRecord {
    const existing = this.findStack(state, input.stackName);
    if (existing && existing.status !== 'REVIEW_IN_PROGRESS') {
      throw cfnError(
        'AlreadyExistsException',
        `Stack [${input.stackName}] already exists`,
      );
    }
    this.planner.assertStackName(input.stackName);
    const template = this.validated(input.templateBody);
    const parameters = this.planner.resolveParameterValues(
      template,
      input.parameters,
      undefined,
    );
    this.planner.assertCapabilities(template, input.capabilities);

    const stack = existing ?? this.newStack(state, input.stackName, at);
    stack.terminationProtection = input.terminationProtection ?? false;
    stack.disableRollback = input.disableRollback ?? false;
    stack.roleArn = input.roleArn;
    stack.notificationArns = input.notificationArns ?? [];
    const planned = this.planner.planDefinition(
      stack,
      template,
      input.templateBody,
      parameters,
      input.tags,
      input.capabilities,
      {},
    );
    this.startOperation(
      stack,
      this.scheduler.scheduleCreate(stack, planned, at),
      'CREATE',
      input.clientRequestToken,
    );
    return stack;
  }

  updateStack(
    stack: StackRecord,
    input: StackInput & {
      clientRequestToken?: string;
      usePreviousTemplate?: boolean;
      disableRollback?: boolean;
    },
    changeSetId?: string,
  ): StackRecord {
    if (!UPDATABLE.has(stack.status)) {
      throw validationError(
        `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`,
      );
    }
    const templateBody = input.usePreviousTemplate
      ? stack.definition.templateBody
      : input.templateBody;
    const template = this.validated(templateBody);
    const parameters = this.planner.resolveParameterValues(
      template,
      input.parameters,
      stack.definition.parameters,
    );
    this.planner.assertCapabilities(template, input.capabilities);
    const planned = this.planner.planDefinition(
      stack,
      template,
      templateBody,
      parameters,
      input.tags.length > 0 ? input.tags : stack.definition.tags,
      input.capabilities,
      stack.definition.resources,
    );
    const changes = this.planner.diff(stack.definition, planned.definition);
    if (
      !changeSetId &&
      changes.length === 0 &&
      sameTags(stack.definition.tags, planned.definition.tags) &&
      sameParameters(stack.definition.parameters, planned.definition.parameters)
    ) {
      throw validationError('No updates are to be performed.');
    }
    if (input.disableRollback !== undefined)
      stack.disableRollback = input.disableRollback;
    const now = this.options.now();
    this.startOperation(
      stack,
      this.scheduler.scheduleUpdate(stack, planned, changes, now),
      'UPDATE',
      input.clientRequestToken,
      changeSetId,
    );
    return stack;
  }

  deleteStack(
    stack: StackRecord,
    options: { clientRequestToken?: string; retainResources?: string[] } = {},
  ): void {
    if (
      stack.status === 'DELETE_COMPLETE' ||
      stack.status === 'DELETE_IN_PROGRESS'
    )
      return;
    if (stack.terminationProtection) {
      throw validationError(
        `Stack [${stack.stackName}] cannot be deleted while TerminationProtection is enabled`,
      );
    }
    if (stack.status === 'CREATE_IN_PROGRESS' && stack.operation) {
      // Deleting a stack that is still being created cancels the creation: what exists so far is deleted, in the
      // order the template's dependencies require.
      const planned =
        stack.operation.steps[stack.operation.steps.length - 1].definition;
      stack.operation = undefined;
      if (planned) {
        stack.definition = {
          ...planned,
          outputs: [],
          resources: stack.definition.resources,
        };
      }
    } else if (
      stack.status.endsWith('_IN_PROGRESS') &&
      stack.status !== 'REVIEW_IN_PROGRESS'
    ) {
      throw validationError(
        `Stack [${stack.stackName}] cannot be deleted while in status ${stack.status}`,
      );
    }
    const now = this.options.now();
    this.startOperation(
      stack,
      this.scheduler.scheduleDelete(
        stack,
        now,
        new Set(options.retainResources ?? []),
      ),
      'DELETE',
      options.clientRequestToken,
    );
  }

  /** Change set: validates and computes the changes it would make. */
  createChangeSet(
    state: RegionState,
    input: StackInput & {
      changeSetName: string;
      changeSetType: 'CREATE' | 'UPDATE';
      description?: string;
      usePreviousTemplate?: boolean;
      clientToken?: string;
      roleArn?: string;
    },
  ): ChangeSetRecord & { stackId: string } {
    const now = this.options.now();
    let stack = this.findStack(state, input.stackName);
    if (input.changeSetType === 'CREATE') {
      if (stack && stack.status !== 'REVIEW_IN_PROGRESS') {
        throw validationError(
          `Stack [${input.stackName}] already exists and cannot be created again with the changeSet [${input.changeSetName}].`,
        );
      }
      this.planner.assertStackName(input.stackName);
    } else if (!stack) {
      throw validationError(`Stack [${input.stackName}] does not exist`);
    } else if (!UPDATABLE.has(stack.status)) {
      throw validationError(
        `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`,
      );
    }
    if (stack?.changeSets.some(c => c.changeSetName === input.changeSetName)) {
      throw cfnError(
        'AlreadyExistsException',
        `ChangeSet ${input.changeSetName} already exists`,
      );
    }
    const templateBody =
      input.usePreviousTemplate && stack
        ? stack.definition.templateBody
        : input.templateBody;
    const template = this.validated(templateBody);
    const previousParameters =
      input.changeSetType === 'UPDATE'
        ? stack!.definition.parameters
        : undefined;
    const parameters = this.planner.resolveParameterValues(
      template,
      input.parameters,
      previousParameters,
    );
    this.planner.assertCapabilities(template, input.capabilities);
    if (!stack) {
      stack = this.newStack(state, input.stackName, now);
      stack.status = 'REVIEW_IN_PROGRESS';
      stack.statusReason = 'User Initiated';
      this.pushEvent(stack, now, {
        logicalId: stack.stackName,
        resourceType: 'AWS::CloudFormation::Stack',
        status: 'REVIEW_IN_PROGRESS',
        reason: 'User Initiated',
        physicalId: stack.stackId,
      });
    }
    const tags = input.tags.length > 0 ? input.tags : stack.definition.tags;
    const planned = this.planner.planDefinition(
      stack,
      template,
      templateBody,
      parameters,
      tags,
      input.capabilities,
      stack.definition.resources,
      true,
    );
    const changes = this.planner.diff(stack.definition, planned.definition);
    const noChanges =
      changes.length === 0 &&
      input.changeSetType === 'UPDATE' &&
      sameTags(stack.definition.tags, tags) &&
      sameParameters(stack.definition.parameters, parameters);
    stack.sequence += 1;
    const random = SeededRandom.for(
      this.options.seed,
      stack.stackId,
      'changeset',
      stack.sequence,
    );
    const changeSet: ChangeSetRecord = {
      changeSetId: `arn:aws:cloudformation:${state.region}:${
        state.accountId
      }:changeSet/${input.changeSetName}/${random.uuid()}`,
      changeSetName: input.changeSetName,
      changeSetType: input.changeSetType,
      createdAt: now,
      readyAt: now + 5000 * this.options.timeScale,
      description: input.description,
      templateBody,
      parameters,
      tags,
      capabilities: input.capabilities,
      changes,
      failedReason: noChanges
        ? "The submitted information didn't contain changes. Submit different information to create a change set."
        : undefined,
      executionStatus: noChanges ? 'UNAVAILABLE' : 'AVAILABLE',
      clientToken: input.clientToken,
      ...(input.roleArn ? { roleArn: input.roleArn } : {}),
    };
    stack.changeSets.push(changeSet);
    this.changed(stack);
    return { ...changeSet, stackId: stack.stackId };
  }

  findChangeSet(
    state: RegionState,
    changeSetName: string,
    stackName?: string,
  ): { stack: StackRecord; changeSet: ChangeSetRecord } {
    const byArn = changeSetName.startsWith('arn:');
    if (!byArn && !stackName) {
      throw validationError(
        'StackName must be specified if ChangeSetName is not specified as an ARN.',
      );
    }
    const named = stackName ? this.findStack(state, stackName) : undefined;
    const candidates = byArn
      ? state.stacks
      : [named].filter((s): s is StackRecord => Boolean(s));
    for (const stack of candidates) {
      const changeSet = stack.changeSets.find(c =>
        changeSetName.startsWith('arn:')
          ? c.changeSetId === changeSetName
          : c.changeSetName === changeSetName,
      );
      if (changeSet) return { stack, changeSet };
    }
    throw cfnError(
      'ChangeSetNotFound',
      `ChangeSet [${changeSetName}] does not exist`,
    );
  }

  changeSetStatus(changeSet: ChangeSetRecord): string {
    if (this.options.now() < changeSet.readyAt) return 'CREATE_IN_PROGRESS';
    return changeSet.failedReason ? 'FAILED' : 'CREATE_COMPLETE';
  }

  executeChangeSet(
    stack: StackRecord,
    changeSet: ChangeSetRecord,
    clientRequestToken?: string,
    disableRollback?: boolean,
  ): void {
    const status = this.changeSetStatus(changeSet);
    if (
      status !== 'CREATE_COMPLETE' ||
      changeSet.executionStatus !== 'AVAILABLE'
    ) {
      throw cfnError(
        'InvalidChangeSetStatus',
        `ChangeSet [${
          changeSet.changeSetId
        }] cannot be executed in its current status of [${
          status === 'CREATE_COMPLETE' ? changeSet.executionStatus : status
        }]`,
      );
    }
    const input: StackInput = {
      stackName: stack.stackName,
      templateBody: changeSet.templateBody,
      parameters: Object.entries(changeSet.parameters).map(
        ([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }),
      ),
      tags: changeSet.tags,
      capabilities: changeSet.capabilities,
    };
    if (changeSet.roleArn) stack.roleArn = changeSet.roleArn;
    if (changeSet.changeSetType === 'CREATE') {
      if (disableRollback !== undefined)
        stack.disableRollback = disableRollback;
      const template = this.parsed(changeSet.templateBody);
      const planned = this.planner.planDefinition(
        stack,
        template,
        changeSet.templateBody,
        changeSet.parameters,
        changeSet.tags,
        changeSet.capabilities,
        {},
      );
      this.startOperation(
        stack,
        this.scheduler.scheduleCreate(stack, planned, this.options.now()),
        'CREATE',
        clientRequestToken,
        changeSet.changeSetId,
      );
    } else {
      this.updateStack(
        stack,
        { ...input, clientRequestToken, disableRollback },
        changeSet.changeSetId,
      );
    }
    changeSet.executionStatus = 'EXECUTE_IN_PROGRESS';
    // Executing one change set makes the stack's other change sets obsolete; CloudFormation deletes them.
    stack.changeSets = stack.changeSets.filter(c => c === changeSet);
    this.changed(stack);
  }

  deleteChangeSet(stack: StackRecord, changeSet: ChangeSetRecord): void {
    if (changeSet.executionStatus === 'EXECUTE_IN_PROGRESS') {
      throw cfnError(
        'InvalidChangeSetStatus',
        `Cannot delete ChangeSet [${changeSet.changeSetId}] while it is being executed`,
      );
    }
    stack.changeSets = stack.changeSets.filter(c => c !== changeSet);
    this.changed(stack);
  }

  private startOperation(
    stack: StackRecord,
    steps: ScheduledStep[],
    kind: StackOperation['kind'],
    clientRequestToken?: string,
    changeSetId?: string,
  ): void {
    stack.sequence += 1;
    // Stable sort: steps at the same instant keep their causal order.
    const ordered = steps
      .map((step, index) => ({ step, index }))
      .sort((a, b) => a.step.at - b.step.at || a.index - b.index)
      .map(({ step }) => step);
    stack.definition = {
      ...stack.definition,
      resources: { ...stack.definition.resources },
    };
    stack.operation = {
      kind,
      clientRequestToken,
      changeSetId,
      steps: ordered,
      next: 0,
    };
    this.advanceStack(stack, this.options.now());
    this.changed(stack);
  }

  private advanceStack(stack: StackRecord, now: number): boolean {
    const operation = stack.operation;
    if (!operation) return false;
    let changed = false;
    while (
      operation.next < operation.steps.length &&
      operation.steps[operation.next].at <= now
    ) {
      const step = operation.steps[operation.next++];
      this.applyStep(stack, operation, step);
      changed = true;
    }
    if (operation.next >= operation.steps.length) {
      const changeSet = operation.changeSetId
        ? stack.changeSets.find(c => c.changeSetId === operation.changeSetId)
        : undefined;
      if (changeSet) {
        changeSet.executionStatus =
          TERMINAL_OK.has(stack.status) && !stack.status.includes('ROLLBACK')
            ? 'EXECUTE_COMPLETE'
            : 'EXECUTE_FAILED';
      }
      stack.operation = undefined;
      this.store.compact(stack);
    }
    return changed;
  }

  private applyStep(
    stack: StackRecord,
    operation: StackOperation,
    step: ScheduledStep,
  ) {
    this.pushEvent(stack, step.at, step, operation.clientRequestToken);
    if (
      step.resourceType === 'AWS::CloudFormation::Stack' &&
      step.logicalId === stack.stackName
    ) {
      stack.status = step.status;
      stack.statusReason = step.reason;
      if (
        operation.kind !== 'CREATE' &&
        step.status.endsWith('_IN_PROGRESS') &&
        operation.next === 1
      ) {
        stack.lastUpdatedTime = step.at;
      }
      if (step.definition) stack.definition = step.definition;
      if (step.deleted) {
        stack.deletionTime = step.at;
        stack.changeSets = [];
      }
      return;
    }
    // In place: startOperation gave the stack a resource map of its own, so definitions kept for a rollback stay intact.
    if (step.resource === null) {
      delete stack.definition.resources[step.logicalId];
    } else if (step.resource) {
      stack.definition.resources[step.logicalId] = step.resource;
    }
  }

  private pushEvent(
    stack: StackRecord,
    at: number,
    step: Parameters<typeof stackEvent>[4],
    clientRequestToken?: string,
  ) {
    this.store.thawEvents(stack);
    stack.events.push(
      stackEvent(
        this.options.seed,
        stack,
        stack.events.length,
        at,
        step,
        clientRequestToken,
      ),
    );
  }

  private newStack(
    state: RegionState,
    stackName: string,
    at: number,
  ): StackRecord {
    const random = SeededRandom.for(
      this.options.seed,
      state.accountId,
      state.region,
      stackName,
      state.stacks.length,
    );
    const stack: StackRecord = {
      stackId: `arn:aws:cloudformation:${state.region}:${
        state.accountId
      }:stack/${stackName}/${random.uuid()}`,
      stackName,
      accountId: state.accountId,
      region: state.region,
      status: 'CREATE_IN_PROGRESS',
      creationTime: at,
      definition: {
        templateBody: '',
        parameters: {},
        tags: [],
        capabilities: [],
        outputs: [],
        resources: {},
      },
      events: [],
      terminationProtection: false,
      disableRollback: false,
      notificationArns: [],
      driftStatus: 'NOT_CHECKED',
      changeSets: [],
      sequence: hashSeed(this.options.seed, stackName) % 1000,
    };
    state.stacks.push(stack);
    this.countChange(state.accountId, state.region);
    return stack;
  }
}

export interface RegionState {
  accountId: string;
  region: string;
  stacks: StackRecord[];
  /** ClientRequestToken -> the request it was first used for. */
  tokens: Map<string, { command: string; stackId: string }>;
  driftDetections: Map<string, { stackId: string; at: number }>;
}

export { changedProperties } from './planning';
