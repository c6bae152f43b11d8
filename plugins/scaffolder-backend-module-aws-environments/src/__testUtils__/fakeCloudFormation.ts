import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  ExecuteChangeSetCommand,
  type Parameter,
  SetStackPolicyCommand,
  type Stack,
  type StackEvent,
  type Tag,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { NotAllowedError } from '@backstage/errors';
import type { AwsAccountSummary } from '@internal/plugin-aws-environments-common';
import { type AwsClientFactory, DEFAULT_SIMULATED_ACCOUNTS, parseTemplate, serviceKeyOf } from '@internal/plugin-aws-environments-node';
import { SimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import { mockClient } from 'aws-sdk-client-mock';

function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

interface Pending {
  activity: 'CREATE' | 'UPDATE' | 'DELETE';
  remainingPolls: number;
}

export interface FakeStack {
  StackId: string;
  StackName: string;
  StackStatus: string;
  StackStatusReason?: string;
  TemplateBody: string;
  Parameters: Parameter[];
  Tags: Tag[];
  Outputs: Array<{ OutputKey: string; OutputValue: string }>;
  EnableTerminationProtection: boolean;
  StackPolicyBody?: string;
  events: StackEvent[];
  pending?: Pending;
}

interface FakeChangeSet {
  Id: string;
  Name: string;
  StackName: string;
  Type: 'CREATE' | 'UPDATE';
  Status: string;
  StatusReason?: string;
  ExecutionStatus: string;
  TemplateBody: string;
  Parameters: Parameter[];
  Tags: Tag[];
  Changes: Array<{
    Type: 'Resource';
    ResourceChange: {
      Action: string;
      LogicalResourceId: string;
      ResourceType: string;
      Replacement?: string;
    };
  }>;
}

/** The simulated organization's accounts: shared services, dev and prod. */
export const TEST_ACCOUNTS: AwsAccountSummary[] = DEFAULT_SIMULATED_ACCOUNTS;

/** The day the version checks of the action tests run on: the date of the portal's version snapshot. */
export const VERSIONS_CLOCK = new Date('2026-12-03T12:00:00Z');

/** Services whose clients the simulated organization answers (the versions EKS and RDS offer, from the snapshot). */
const SIMULATED_SERVICES = new Set(['eks', 'rds']);

/**
 * An allowlisting client factory that hands out real client instances (answered by the mock); EKS and RDS clients
 * are answered by an empty simulated organization on `VERSIONS_CLOCK`.
 */
export function fakeAwsClients(): AwsClientFactory {
  let simulated: SimulatedAwsClientFactory | undefined;
  const assertAllowed = ({
    accountId,
    region,
  }: {
    accountId: string;
    region: string;
  }) => {
    const account = TEST_ACCOUNTS.find(a => a.accountId === accountId);
    if (!account || !account.regions.includes(region)) {
      throw new NotAllowedError(
        `${accountId}/${region} is not on the allowlist`,
      );
    }
    return account;
  };
  return {
    mode: 'simulated',
    listAccounts: () => TEST_ACCOUNTS,
    assertAllowed,
    async getClient(ClientClass, target) {
      assertAllowed(target);
      if (SIMULATED_SERVICES.has(serviceKeyOf(ClientClass))) {
        simulated ??= new SimulatedAwsClientFactory({
          accounts: TEST_ACCOUNTS,
          seedEnvironments: false,
          now: () => VERSIONS_CLOCK.getTime(),
        });
        return simulated.getClient(ClientClass, target);
      }
      return new ClientClass({
        region: target.region,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
    },
  };
}

/**
 * A small in-memory CloudFormation behind aws-sdk-client-mock: change sets, stacks that complete after a number of
 * status polls, events, termination protection, failures and drift. It records the order of mutations in
 * `timeline`.
 */
export class FakeCloudFormation {
  readonly mock = mockClient(CloudFormationClient);
  readonly stacks = new Map<string, FakeStack>();
  readonly changeSets = new Map<string, FakeChangeSet>();
  readonly timeline: string[] = [];
  /** Status polls before an operation of the stack ends. */
  pollsToComplete: (stackName: string) => number = () => 2;
  /** An operation of the stack does not end while this returns true. */
  holdWhile: (stackName: string) => boolean = () => false;
  /** Stacks whose create fails on the given logical resource. */
  readonly failOn = new Map<string, string>();
  /** Output values by stack name and output key; others are derived from the parameters. */
  readonly outputValues = new Map<string, Record<string, string>>();
  /** Stacks reported as drifted, with the drifted logical ids. */
  readonly drifted = new Map<string, string[]>();
  private sequence = 0;

  constructor() {
    const m = this.mock;
    m.on(DescribeStacksCommand).callsFake(input => this.describeStacks(input));
    m.on(CreateChangeSetCommand).callsFake(input =>
      this.createChangeSet(input),
    );
    m.on(DescribeChangeSetCommand).callsFake(input =>
      this.describeChangeSet(input),
    );
    m.on(ExecuteChangeSetCommand).callsFake(input =>
      this.executeChangeSet(input),
    );
    m.on(DeleteChangeSetCommand).callsFake(input => {
      const changeSet = this.findChangeSet(
        input.ChangeSetName,
        input.StackName,
      );
      this.changeSets.delete(changeSet.Id);
      return {};
    });
    m.on(DeleteStackCommand).callsFake(input => this.deleteStack(input));
    m.on(DescribeStackEventsCommand).callsFake(input => ({
      StackEvents: [...this.requireStack(input.StackName!).events],
    }));
    m.on(UpdateTerminationProtectionCommand).callsFake(input => {
      const stack = this.requireStack(input.StackName!);
      stack.EnableTerminationProtection = Boolean(
        input.EnableTerminationProtection,
      );
      this.timeline.push(
        `protection:${stack.StackName}:${stack.EnableTerminationProtection}`,
      );
      return { StackId: stack.StackId };
    });
    m.on(SetStackPolicyCommand).callsFake(input => {
      this.requireStack(input.StackName!).StackPolicyBody =
        input.StackPolicyBody;
      return {};
    });
    m.on(DetectStackDriftCommand).callsFake(input => ({
      StackDriftDetectionId: `drift-${
        this.requireStack(input.StackName!).StackName
      }`,
    }));
    m.on(DescribeStackDriftDetectionStatusCommand).callsFake(input => {
      const stackName = input.StackDriftDetectionId!.replace(/^drift-/, '');
      return {
        StackDriftDetectionId: input.StackDriftDetectionId,
        DetectionStatus: 'DETECTION_COMPLETE',
        StackDriftStatus: this.drifted.has(stackName) ? 'DRIFTED' : 'IN_SYNC',
      };
    });
    m.on(DescribeStackResourceDriftsCommand).callsFake(input => ({
      StackResourceDrifts: (this.drifted.get(input.StackName!) ?? []).map(
        id => ({
          StackId: input.StackName,
          LogicalResourceId: id,
          ResourceType: 'AWS::EC2::SecurityGroup',
          StackResourceDriftStatus: 'MODIFIED',
          Timestamp: new Date(),
        }),
      ),
    }));
  }

  /** Puts a complete stack in place, as if deployed earlier. */
  seedStack(options: {
    stackName: string;
    templateBody?: string;
    parameters?: Record<string, string>;
    tags?: Record<string, string>;
    outputs?: Record<string, string>;
    status?: string;
    terminationProtection?: boolean;
  }): FakeStack {
    const stack: FakeStack = {
      StackId: `arn:aws:cloudformation:eu-central-1:222222222222:stack/${
        options.stackName
      }/${++this.sequence}`,
      StackName: options.stackName,
      StackStatus: options.status ?? 'CREATE_COMPLETE',
      TemplateBody: options.templateBody ?? 'Resources: {}',
      Parameters: Object.entries(options.parameters ?? {}).map(
        ([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }),
      ),
      Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({
        Key,
        Value,
      })),
      Outputs: Object.entries(options.outputs ?? {}).map(
        ([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }),
      ),
      EnableTerminationProtection: Boolean(options.terminationProtection),
      events: [],
    };
    this.addEvent(
      stack,
      stack.StackName,
      'AWS::CloudFormation::Stack',
      stack.StackStatus,
    );
    this.stacks.set(stack.StackName, stack);
    return stack;
  }

  /** Names of commands received, in order (for asserting what was and was not called). */
  commandNames(): string[] {
    return this.mock.calls().map(call => call.args[0].constructor.name);
  }

  private addEvent(
    stack: FakeStack,
    logicalId: string,
    type: string,
    status: string,
    reason?: string,
  ) {
    stack.events.unshift({
      StackId: stack.StackId,
      StackName: stack.StackName,
      EventId: `event-${++this.sequence}`,
      LogicalResourceId: logicalId,
      ResourceType: type,
      ResourceStatus: status as StackEvent['ResourceStatus'],
      ResourceStatusReason: reason,
      Timestamp: new Date(),
    });
  }

  private requireStack(name: string): FakeStack {
    const stack =
      this.stacks.get(name) ??
      [...this.stacks.values()].find(s => s.StackId === name);
    if (!stack) {
      throw awsError('ValidationError', `Stack with id ${name} does not exist`);
    }
    return stack;
  }

  private view(stack: FakeStack): Stack {
    return {
      StackId: stack.StackId,
      StackName: stack.StackName,
      StackStatus: stack.StackStatus as Stack['StackStatus'],
      StackStatusReason: stack.StackStatusReason,
      Parameters: stack.Parameters.map(p => ({ ...p })),
      Tags: stack.Tags.map(t => ({ ...t })),
      Outputs: stack.Outputs.map(o => ({ ...o })),
      EnableTerminationProtection: stack.EnableTerminationProtection,
      CreationTime: new Date(0),
    };
  }

  private describeStacks(input: { StackName?: string }) {
    if (!input.StackName) {
      return { Stacks: [...this.stacks.values()].map(s => this.view(s)) };
    }
    const stack = this.requireStack(input.StackName);
    this.progress(stack);
    if (!this.stacks.has(stack.StackName)) {
      throw awsError(
        'ValidationError',
        `Stack with id ${input.StackName} does not exist`,
      );
    }
    return { Stacks: [this.view(stack)] };
  }

  private progress(stack: FakeStack) {
    const pending = stack.pending;
    if (!pending) return;
    pending.remainingPolls -= 1;
    if (pending.remainingPolls > 0 || this.holdWhile(stack.StackName)) return;
    stack.pending = undefined;
    const type = 'AWS::CloudFormation::Stack';
    if (pending.activity === 'DELETE') {
      this.addEvent(stack, stack.StackName, type, 'DELETE_COMPLETE');
      this.stacks.delete(stack.StackName);
      this.timeline.push(`deleted:${stack.StackName}`);
      return;
    }
    const failing = this.failOn.get(stack.StackName);
    if (pending.activity === 'CREATE' && failing) {
      this.addEvent(
        stack,
        failing,
        'AWS::RDS::DBInstance',
        'CREATE_FAILED',
        'DB instance quota exceeded',
      );
      this.addEvent(stack, stack.StackName, type, 'ROLLBACK_IN_PROGRESS');
      this.addEvent(stack, stack.StackName, type, 'ROLLBACK_COMPLETE');
      stack.StackStatus = 'ROLLBACK_COMPLETE';
      this.timeline.push(`failed:${stack.StackName}`);
      return;
    }
    const parameters = Object.fromEntries(
      stack.Parameters.map(p => [p.ParameterKey!, p.ParameterValue ?? '']),
    );
    const declared = Object.keys(
      parseTemplate(stack.TemplateBody).Outputs ?? {},
    );
    const values = this.outputValues.get(stack.StackName) ?? {};
    stack.Outputs = declared.map(key => ({
      OutputKey: key,
      OutputValue:
        values[key] ?? parameters[key] ?? `${stack.StackName}:${key}`,
    }));
    stack.StackStatus = `${pending.activity}_COMPLETE`;
    this.addEvent(stack, stack.StackName, type, stack.StackStatus);
    this.timeline.push(`complete:${stack.StackName}`);
  }

  private createChangeSet(input: {
    StackName?: string;
    ChangeSetName?: string;
    ChangeSetType?: string;
    TemplateBody?: string;
    Parameters?: Parameter[];
    Tags?: Tag[];
  }) {
    const stackName = input.StackName!;
    const existing = this.stacks.get(stackName);
    const duplicate = [...this.changeSets.values()].find(
      c => c.StackName === stackName && c.Name === input.ChangeSetName,
    );
    if (duplicate) {
      throw awsError(
        'AlreadyExistsException',
        `ChangeSet ${input.ChangeSetName} already exists`,
      );
    }
    const type = input.ChangeSetType === 'CREATE' ? 'CREATE' : 'UPDATE';
    if (
      type === 'CREATE' &&
      existing &&
      existing.StackStatus !== 'REVIEW_IN_PROGRESS'
    ) {
      throw awsError(
        'ValidationError',
        `Stack [${stackName}] already exists and cannot be created again with the changeSet [${input.ChangeSetName}].`,
      );
    }
    if (type === 'UPDATE' && !existing) {
      throw awsError('ValidationError', `Stack [${stackName}] does not exist`);
    }
    let stack = existing;
    if (!stack) {
      stack = this.seedStack({
        stackName,
        status: 'REVIEW_IN_PROGRESS',
        templateBody: input.TemplateBody,
      });
      this.timeline.push(`review:${stackName}`);
    }
    const template = parseTemplate(input.TemplateBody!);
    const previous =
      type === 'UPDATE' ? parseTemplate(stack.TemplateBody) : undefined;
    const sameParameters =
      JSON.stringify(input.Parameters ?? []) ===
      JSON.stringify(stack.Parameters);
    const unchanged =
      type === 'UPDATE' &&
      input.TemplateBody === stack.TemplateBody &&
      sameParameters;
    const changes: FakeChangeSet['Changes'] = unchanged
      ? []
      : Object.entries(template.Resources).map(([logicalId, resource]) => ({
          Type: 'Resource' as const,
          ResourceChange: {
            Action: previous?.Resources[logicalId] ? 'Modify' : 'Add',
            LogicalResourceId: logicalId,
            ResourceType: resource.Type,
            ...(previous?.Resources[logicalId] ? { Replacement: 'False' } : {}),
          },
        }));
    const changeSet: FakeChangeSet = {
      Id: `arn:aws:cloudformation:eu-central-1:222222222222:changeSet/${
        input.ChangeSetName
      }/${++this.sequence}`,
      Name: input.ChangeSetName!,
      StackName: stackName,
      Type: type,
      Status: unchanged ? 'FAILED' : 'CREATE_COMPLETE',
      StatusReason: unchanged
        ? "The submitted information didn't contain changes. Submit different information to create a change set."
        : undefined,
      ExecutionStatus: unchanged ? 'UNAVAILABLE' : 'AVAILABLE',
      TemplateBody: input.TemplateBody!,
      Parameters: input.Parameters ?? [],
      Tags: input.Tags ?? [],
      Changes: changes,
    };
    this.changeSets.set(changeSet.Id, changeSet);
    this.timeline.push(`change-set:${type}:${stackName}`);
    return { Id: changeSet.Id, StackId: stack.StackId };
  }

  private findChangeSet(name?: string, stackName?: string): FakeChangeSet {
    const changeSet =
      this.changeSets.get(name ?? '') ??
      [...this.changeSets.values()].find(
        c => c.Name === name && c.StackName === stackName,
      );
    if (!changeSet) {
      throw awsError(
        'ChangeSetNotFoundException',
        `ChangeSet [${name}] does not exist`,
      );
    }
    return changeSet;
  }

  private describeChangeSet(input: {
    ChangeSetName?: string;
    StackName?: string;
  }) {
    const c = this.findChangeSet(input.ChangeSetName, input.StackName);
    return {
      ChangeSetId: c.Id,
      ChangeSetName: c.Name,
      StackName: c.StackName,
      Status: c.Status,
      StatusReason: c.StatusReason,
      ExecutionStatus: c.ExecutionStatus,
      Changes: c.Changes,
    };
  }

  private executeChangeSet(input: {
    ChangeSetName?: string;
    StackName?: string;
  }) {
    const changeSet = this.findChangeSet(input.ChangeSetName, input.StackName);
    const stack = this.requireStack(changeSet.StackName);
    stack.TemplateBody = changeSet.TemplateBody;
    stack.Parameters = changeSet.Parameters.map(p => ({ ...p }));
    stack.Tags = changeSet.Tags.map(t => ({ ...t }));
    stack.StackStatus = `${changeSet.Type}_IN_PROGRESS`;
    stack.pending = {
      activity: changeSet.Type,
      remainingPolls: this.pollsToComplete(stack.StackName),
    };
    this.addEvent(
      stack,
      stack.StackName,
      'AWS::CloudFormation::Stack',
      stack.StackStatus,
      'User Initiated',
    );
    for (const change of changeSet.Changes) {
      const secretEcho = changeSet.Parameters.find(p =>
        /Secret|Password/.test(p.ParameterKey ?? ''),
      );
      this.addEvent(
        stack,
        change.ResourceChange.LogicalResourceId,
        change.ResourceChange.ResourceType,
        `${changeSet.Type}_IN_PROGRESS`,
        // Some resource providers echo property values in their messages; the action must mask them.
        secretEcho
          ? `Resource creation Initiated with ${secretEcho.ParameterValue}`
          : undefined,
      );
    }
    for (const [id, other] of this.changeSets) {
      if (other.StackName === stack.StackName) this.changeSets.delete(id);
    }
    this.timeline.push(`execute:${stack.StackName}`);
    return {};
  }

  private deleteStack(input: { StackName?: string }) {
    const stack = this.stacks.get(input.StackName!);
    if (!stack) return {};
    if (stack.EnableTerminationProtection) {
      throw awsError(
        'ValidationError',
        `Stack [${stack.StackName}] cannot be deleted while TerminationProtection is enabled`,
      );
    }
    if (stack.StackStatus === 'REVIEW_IN_PROGRESS') {
      this.stacks.delete(stack.StackName);
      this.timeline.push(`discard:${stack.StackName}`);
      return {};
    }
    stack.StackStatus = 'DELETE_IN_PROGRESS';
    stack.pending = {
      activity: 'DELETE',
      remainingPolls: this.pollsToComplete(stack.StackName),
    };
    this.addEvent(
      stack,
      stack.StackName,
      'AWS::CloudFormation::Stack',
      'DELETE_IN_PROGRESS',
    );
    this.timeline.push(`delete:${stack.StackName}`);
    return {};
  }
}
