import { parseTemplate, type CfnTemplate } from '@internal/plugin-aws-environments-node';
import { awsError } from '../errors';
import { hashSeed, SeededRandom } from '../random';
import type {
  ChangeRecord,
  ChangeSetRecord,
  OutputRecord,
  ResourceRecord,
  ScheduledStep,
  StackDefinition,
  StackEventRecord,
  StackOperation,
  StackRecord,
  Tag,
} from './model';
import {
  attributeFor,
  creationSeconds,
  deletionSeconds,
  physicalIdFor,
  requiresReplacement,
  updateSeconds,
} from './resourceTypes';
import {
  evaluate,
  evaluateConditions,
  requiredCapabilities,
  resourceDependencies,
  TemplateError,
  topologicalOrder,
  validateTemplate,
  type EvaluationScope,
} from './template';

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

const TAGGABLE_PREFIXES = [
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::NatGateway',
  'AWS::EC2::RouteTable',
  'AWS::EC2::EIP',
  'AWS::EC2::LaunchTemplate',
  'AWS::EC2::FlowLog',
  'AWS::EC2::VPCEndpoint',
  'AWS::EKS::Cluster',
  'AWS::EKS::Nodegroup',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBSubnetGroup',
  'AWS::S3::Bucket',
  'AWS::CloudFront::Distribution',
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::CloudWatch::Alarm',
  'AWS::SNS::Topic',
  'AWS::SecretsManager::Secret',
  'AWS::WAFv2::WebACL',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::IAM::Role',
  'AWS::Backup::BackupVault',
  'AWS::Backup::BackupPlan',
  'AWS::ECR::Repository',
  'AWS::CertificateManager::Certificate',
  'AWS::CloudTrail::Trail',
];

function isTaggable(type: string): boolean {
  return TAGGABLE_PREFIXES.includes(type);
}

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

/** Result of planning a definition: resources ready to create, in order, and their dependencies. */
interface PlannedDefinition {
  definition: StackDefinition;
  order: string[];
  dependencies: Map<string, string[]>;
}

/**
 * The simulated CloudFormation of one organization: every account and Region's stacks, their operations scheduled
 * on the clock (each step has a due time; reads apply the steps that are due), change sets, drift and tokens.
 */
export class CloudFormationEngine {
  private readonly regions = new Map<string, RegionState>();
  private readonly templates = new Map<string, CfnTemplate>();
  private readonly validBodies = new Set<string>();
  private readonly orders = new Map<
    string,
    { dependencies: Map<string, string[]>; order: string[] }
  >();

  /** Changes so far, by `<accountId>/<region>`. */
  private readonly changes = new Map<string, number>();

  constructor(private readonly options: EngineOptions) {}

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
    this.assertStackName(input.stackName);
    const template = this.validated(input.templateBody);
    const parameters = this.resolveParameterValues(
      template,
      input.parameters,
      undefined,
    );
    this.assertCapabilities(template, input.capabilities);

    const stack = existing ?? this.newStack(state, input.stackName, at);
    stack.terminationProtection = input.terminationProtection ?? false;
    stack.disableRollback = input.disableRollback ?? false;
    stack.roleArn = input.roleArn;
    stack.notificationArns = input.notificationArns ?? [];
    const planned = this.planDefinition(
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
      this.scheduleCreate(stack, planned, at),
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
    const parameters = this.resolveParameterValues(
      template,
      input.parameters,
      stack.definition.parameters,
    );
    this.assertCapabilities(template, input.capabilities);
    const planned = this.planDefinition(
      stack,
      template,
      templateBody,
      parameters,
      input.tags.length > 0 ? input.tags : stack.definition.tags,
      input.capabilities,
      stack.definition.resources,
    );
    const changes = this.diff(stack.definition, planned.definition);
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
      this.scheduleUpdate(stack, planned, changes, now),
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
      this.scheduleDelete(stack, now, new Set(options.retainResources ?? [])),
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
      this.assertStackName(input.stackName);
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
    const parameters = this.resolveParameterValues(
      template,
      input.parameters,
      previousParameters,
    );
    this.assertCapabilities(template, input.capabilities);
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
    const planned = this.planDefinition(
      stack,
      template,
      templateBody,
      parameters,
      tags,
      input.capabilities,
      stack.definition.resources,
      true,
    );
    const changes = this.diff(stack.definition, planned.definition);
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
      const planned = this.planDefinition(
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
        this.scheduleCreate(stack, planned, this.options.now()),
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

  // ---------------------------------------------------------------- planning

  private assertStackName(name: string) {
    if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name)) {
      throw validationError(
        `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
      );
    }
  }

  private assertCapabilities(template: CfnTemplate, granted: string[]) {
    const required = requiredCapabilities(template);
    const ok = required.every(
      c =>
        granted.includes(c) ||
        (c === 'CAPABILITY_IAM' && granted.includes('CAPABILITY_NAMED_IAM')),
    );
    if (!ok) {
      throw cfnError(
        'InsufficientCapabilitiesException',
        `Requires capabilities : [${required.join(', ')}]`,
      );
    }
  }

  private resolveParameterValues(
    template: CfnTemplate,
    given: StackInput['parameters'],
    previous: Record<string, string> | undefined,
  ): Record<string, string> {
    const declared = template.Parameters ?? {};
    const values: Record<string, string> = {};
    const givenByKey = new Map(given.map(p => [p.ParameterKey ?? '', p]));
    const unknown = [...givenByKey.keys()].filter(k => !(k in declared));
    if (unknown.length > 0) {
      throw validationError(
        `Parameters: [${unknown.join(', ')}] do not exist in the template`,
      );
    }
    const missing: string[] = [];
    for (const [key, definition] of Object.entries(declared)) {
      const entry = givenByKey.get(key);
      let value: string | undefined;
      if (entry?.UsePreviousValue) value = previous?.[key];
      else if (entry?.ParameterValue !== undefined)
        value = entry.ParameterValue;
      else if (definition.Default !== undefined)
        value = String(definition.Default);
      if (value === undefined) {
        missing.push(key);
        continue;
      }
      if (
        definition.AllowedValues &&
        !definition.AllowedValues.map(String).includes(value)
      ) {
        throw validationError(
          `Parameter '${key}' must be one of AllowedValues`,
        );
      }
      if (
        definition.AllowedPattern &&
        !new RegExp(`^(?:${definition.AllowedPattern})$`).test(value)
      ) {
        throw validationError(
          `Parameter '${key}' must match pattern ${definition.AllowedPattern}`,
        );
      }
      if (definition.Type === 'Number' && Number.isNaN(Number(value))) {
        throw validationError(`Parameter '${key}' must be a number`);
      }
      values[key] = value;
    }
    if (missing.length > 0) {
      throw validationError(
        `Parameters: [${missing.join(', ')}] must have values`,
      );
    }
    return values;
  }

  /**
   * Resolves a template against a stack: which resources exist, their properties, physical ids (kept for resources
   * that need no replacement, new ones otherwise) and the outputs.
   */
  private planDefinition(
    stack: StackRecord,
    template: CfnTemplate,
    templateBody: string,
    parameters: Record<string, string>,
    tags: Tag[],
    capabilities: string[],
    current: Record<string, ResourceRecord>,
    preview = false,
  ): PlannedDefinition {
    const pseudo = {
      'AWS::AccountId': stack.accountId,
      'AWS::Region': stack.region,
      'AWS::StackName': stack.stackName,
      'AWS::StackId': stack.stackId,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::NotificationARNs': stack.notificationArns.join(','),
    };
    const parameterTypes = Object.fromEntries(
      Object.entries(template.Parameters ?? {}).map(([k, v]) => [k, v.Type]),
    );
    const resources: Record<string, ResourceRecord> = {};
    const generation = stack.sequence + 1;
    const stackSeed = hashSeed(this.options.seed, stack.stackId, generation);
    const random = (...labels: Array<string | number>) =>
      SeededRandom.for(stackSeed, ...labels);
    const baseScope: Omit<EvaluationScope, 'conditions'> = {
      parameters,
      parameterTypes,
      pseudo,
      mappings: template.Mappings,
      ref: logicalId => {
        const resource = resources[logicalId];
        if (!resource)
          throw new TemplateError(
            `Template error: reference to inactive resource ${logicalId}`,
          );
        return resource.physicalId;
      },
      getAtt: (logicalId, attribute) => {
        const resource = resources[logicalId];
        if (!resource)
          throw new TemplateError(
            `Template error: Fn::GetAtt of inactive resource ${logicalId}`,
          );
        if (!(attribute in resource.attributes)) {
          resource.attributes[attribute] = attributeFor(
            resource.type,
            attribute,
            resource.physicalId ?? logicalId,
            resource.properties,
            {
              accountId: stack.accountId,
              region: stack.region,
              random: random(logicalId, resource.physicalId ?? '', attribute),
            },
          );
        }
        return resource.attributes[attribute];
      },
      importValue: name => {
        const state = this.region(stack.accountId, stack.region);
        for (const other of this.liveStacks(state)) {
          const output = other.definition.outputs.find(
            o => o.ExportName === name,
          );
          if (output) return output.OutputValue;
        }
        throw new TemplateError(
          `No export named ${name} found. Rollback requested by user.`,
        );
      },
    };
    try {
      const conditions = evaluateConditions(template, baseScope);
      const scope: EvaluationScope = { ...baseScope, conditions };
      const active = new Set(
        Object.entries(template.Resources)
          .filter(([, r]) => !r.Condition || conditions[r.Condition])
          .map(([id]) => id),
      );
      const { dependencies, order } = this.dependencyOrder(
        templateBody,
        template,
        active,
      );
      const stackTags = tags;
      for (const logicalId of order) {
        const declared = template.Resources[logicalId];
        const properties = evaluate(declared.Properties ?? {}, scope) as Record<
          string,
          unknown
        >;
        const previous = current[logicalId];
        let physicalId: string;
        let attributes: Record<string, unknown> = {};
        const keep =
          previous?.physicalId &&
          previous.type === declared.Type &&
          !changedProperties(previous.properties, properties).some(p =>
            requiresReplacement(declared.Type, p),
          );
        if (keep) {
          physicalId = previous.physicalId!;
          attributes = { ...previous.attributes };
        } else {
          physicalId = physicalIdFor(declared.Type, properties, {
            stackName: stack.stackName,
            logicalId,
            accountId: stack.accountId,
            region: stack.region,
            random: random(logicalId, 'physical'),
          });
        }
        const ownTags = Array.isArray(properties.Tags)
          ? (properties.Tags as Tag[])
              .filter(t => t && typeof t.Key === 'string')
              .map(t => ({ Key: t.Key, Value: String(t.Value) }))
          : [];
        const resourceTags = isTaggable(declared.Type)
          ? mergeTags(stackTags, ownTags)
          : ownTags;
        resources[logicalId] = {
          logicalId,
          type: declared.Type,
          physicalId,
          status: 'CREATE_COMPLETE',
          timestamp: 0,
          properties,
          attributes,
          tags: resourceTags,
          deletionPolicy: declared.DeletionPolicy,
        };
      }
      const outputs: OutputRecord[] = [];
      for (const [key, output] of Object.entries(template.Outputs ?? {})) {
        if (output.Condition && !conditions[output.Condition]) continue;
        const value = evaluate(output.Value, scope);
        const exportName = output.Export
          ? String(evaluate(output.Export.Name, scope))
          : undefined;
        outputs.push({
          OutputKey: key,
          OutputValue: Array.isArray(value) ? value.join(',') : String(value),
          ...(output.Description ? { Description: output.Description } : {}),
          ...(exportName ? { ExportName: exportName } : {}),
        });
      }
      return {
        definition: {
          templateBody,
          parameters,
          tags: stackTags,
          capabilities,
          description: template.Description,
          outputs,
          resources,
        },
        order,
        dependencies,
      };
    } catch (error) {
      if (error instanceof TemplateError) throw validationError(error.message);
      if (preview) throw error;
      throw error;
    }
  }

  /** Dependencies and creation order of a template's active resources; the same for every stack using it. */
  private dependencyOrder(
    templateBody: string,
    template: CfnTemplate,
    active: Set<string>,
  ) {
    const key = `${[...active].sort().join(',')}\u0000${templateBody}`;
    let cached = this.orders.get(key);
    if (!cached) {
      const dependencies = resourceDependencies(template, active);
      cached = { dependencies, order: topologicalOrder(dependencies) };
      this.orders.set(key, cached);
    }
    return cached;
  }

  /** Resource-level changes between two definitions, in the order CloudFormation lists them. */
  diff(before: StackDefinition, after: StackDefinition): ChangeRecord[] {
    const changes: ChangeRecord[] = [];
    for (const [logicalId, resource] of Object.entries(after.resources)) {
      const previous = before.resources[logicalId];
      if (!previous || previous.status === 'DELETE_COMPLETE') {
        changes.push({
          action: 'Add',
          logicalId,
          type: resource.type,
          changedProperties: [],
        });
        continue;
      }
      if (previous.type !== resource.type) {
        changes.push({
          action: 'Modify',
          logicalId,
          physicalId: previous.physicalId,
          type: resource.type,
          replacement: 'True',
          changedProperties: [{ name: 'Type', requiresRecreation: 'Always' }],
        });
        continue;
      }
      const changed = changedProperties(
        previous.properties,
        resource.properties,
      );
      if (changed.length === 0) continue;
      const replaced = changed.some(p => requiresReplacement(resource.type, p));
      changes.push({
        action: 'Modify',
        logicalId,
        physicalId: previous.physicalId,
        type: resource.type,
        replacement: replaced ? 'True' : 'False',
        changedProperties: changed.map(name => ({
          name,
          requiresRecreation: requiresReplacement(resource.type, name)
            ? 'Always'
            : 'Never',
        })),
      });
    }
    for (const [logicalId, resource] of Object.entries(before.resources)) {
      if (
        !after.resources[logicalId] &&
        resource.status !== 'DELETE_COMPLETE'
      ) {
        changes.push({
          action: 'Remove',
          logicalId,
          physicalId: resource.physicalId,
          type: resource.type,
          changedProperties: [],
        });
      }
    }
    return changes;
  }

  // ---------------------------------------------------------------- scheduling

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

  private scheduleCreate(
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
      id =>
        this.duration(
          deletionSeconds(
            definition.resources[id].type,
            definition.resources[id].properties,
          ),
        ),
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

  private scheduleUpdate(
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
    const deletionDuration = (def: StackDefinition) => (id: string) =>
      this.duration(
        deletionSeconds(def.resources[id].type, def.resources[id].properties),
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
        deletionDuration(before),
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
      deletionDuration(after),
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

  private scheduleDelete(
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
      id =>
        this.duration(
          deletionSeconds(
            definition.resources[id].type,
            definition.resources[id].properties,
          ),
        ),
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
    step: Pick<
      ScheduledStep,
      | 'logicalId'
      | 'resourceType'
      | 'status'
      | 'reason'
      | 'physicalId'
      | 'resource'
    >,
    clientRequestToken?: string,
  ) {
    const eventNumber = stack.events.length;
    const isStack = step.resourceType === 'AWS::CloudFormation::Stack';
    const event: StackEventRecord = {
      EventId: isStack
        ? SeededRandom.for(
            this.options.seed,
            stack.stackName,
            stack.creationTime,
            eventNumber,
          ).uuid()
        : `${step.logicalId}-${step.status}-${new Date(at).toISOString()}`,
      StackId: stack.stackId,
      StackName: stack.stackName,
      LogicalResourceId: step.logicalId,
      PhysicalResourceId: step.physicalId ?? '',
      ResourceType: step.resourceType,
      Timestamp: at,
      ResourceStatus: step.status,
      ...(step.reason ? { ResourceStatusReason: step.reason } : {}),
      // CloudFormation shows the requested properties once, on the event that starts the resource.
      ...(step.resource &&
      !step.reason &&
      step.status.endsWith('IN_PROGRESS') &&
      !isStack
        ? { ResourceProperties: JSON.stringify(step.resource.properties) }
        : {}),
      ...(clientRequestToken ? { ClientRequestToken: clientRequestToken } : {}),
    };
    stack.events.push(event);
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

function mapValues<T, U>(
  record: Record<string, T>,
  fn: (value: T) => U,
): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

function mergeTags(base: Tag[], own: Tag[]): Tag[] {
  const merged = new Map(base.map(t => [t.Key, t.Value]));
  for (const tag of own) merged.set(tag.Key, tag.Value);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

function sameTags(a: Tag[], b: Tag[]): boolean {
  const key = (tags: Tag[]) =>
    JSON.stringify([...tags].sort((x, y) => x.Key.localeCompare(y.Key)));
  return key(a) === key(b);
}

function sameParameters(
  a: Record<string, string>,
  b: Record<string, string>,
): boolean {
  return (
    JSON.stringify(Object.entries(a).sort()) ===
    JSON.stringify(Object.entries(b).sort())
  );
}

/** Top-level property names whose values differ. */
export function changedProperties(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter(
    name => JSON.stringify(before[name]) !== JSON.stringify(after[name]),
  );
}
