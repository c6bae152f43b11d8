import type { CfnTemplate } from '@internal/plugin-aws-environments-node';

export interface Tag {
  Key: string;
  Value: string;
}

/** One resource of a simulated stack, as it stands. */
export interface ResourceRecord {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: string;
  statusReason?: string;
  /** Epoch ms of the last status change. */
  timestamp: number;
  /** Properties with intrinsics resolved. */
  properties: Record<string, unknown>;
  /** Fn::GetAtt values computed so far. */
  attributes: Record<string, unknown>;
  /** Tags the resource carries in AWS (stack tags plus its own `Tags`), for taggable types. */
  tags: Tag[];
  deletionPolicy?: string;
}

export interface OutputRecord {
  OutputKey: string;
  OutputValue: string;
  Description?: string;
  ExportName?: string;
}

/** Everything about a stack that an update replaces and a rollback restores. */
export interface StackDefinition {
  templateBody: string;
  parameters: Record<string, string>;
  tags: Tag[];
  capabilities: string[];
  description?: string;
  outputs: OutputRecord[];
  resources: Record<string, ResourceRecord>;
}

/**
 * One scheduled step of a stack operation. Steps are plain data (no closures) so that an operation in progress can
 * be saved to the state file and resumed.
 */
export interface ScheduledStep {
  at: number;
  logicalId: string;
  resourceType: string;
  status: string;
  reason?: string;
  physicalId?: string;
  /** The resource after this step; `null` removes it from the stack's resource list. Absent: no state change. */
  resource?: ResourceRecord | null;
  /** Set on the last step: the stack definition from then on. */
  definition?: StackDefinition;
  /** Set on the step after which the stack is gone. */
  deleted?: boolean;
}

export interface StackOperation {
  kind: 'CREATE' | 'UPDATE' | 'DELETE';
  clientRequestToken?: string;
  changeSetId?: string;
  steps: ScheduledStep[];
  next: number;
}

export interface StackEventRecord {
  EventId: string;
  StackId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Timestamp: number;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  ResourceProperties?: string;
  ClientRequestToken?: string;
}

export interface ChangeRecord {
  action: 'Add' | 'Modify' | 'Remove';
  logicalId: string;
  physicalId?: string;
  type: string;
  replacement?: 'True' | 'False' | 'Conditional';
  changedProperties: Array<{
    name: string;
    requiresRecreation: 'Always' | 'Never';
  }>;
}

export interface ChangeSetRecord {
  changeSetId: string;
  changeSetName: string;
  changeSetType: 'CREATE' | 'UPDATE';
  createdAt: number;
  readyAt: number;
  description?: string;
  templateBody: string;
  parameters: Record<string, string>;
  tags: Tag[];
  capabilities: string[];
  changes: ChangeRecord[];
  failedReason?: string;
  /** Service role named on the change set; becomes the stack's role when executed. */
  roleArn?: string;
  executionStatus:
    | 'AVAILABLE'
    | 'UNAVAILABLE'
    | 'EXECUTE_IN_PROGRESS'
    | 'EXECUTE_COMPLETE'
    | 'EXECUTE_FAILED'
    | 'OBSOLETE';
  clientToken?: string;
}

export interface StackRecord {
  stackId: string;
  stackName: string;
  accountId: string;
  region: string;
  status: string;
  statusReason?: string;
  creationTime: number;
  lastUpdatedTime?: number;
  deletionTime?: number;
  definition: StackDefinition;
  events: StackEventRecord[];
  terminationProtection: boolean;
  disableRollback: boolean;
  stackPolicyBody?: string;
  roleArn?: string;
  notificationArns: string[];
  driftStatus: 'DRIFTED' | 'IN_SYNC' | 'NOT_CHECKED' | 'UNKNOWN';
  driftCheckedAt?: number;
  /** A difference between template and reality, made outside CloudFormation (shown by drift detection). */
  outOfBandChange?: {
    logicalId: string;
    differences: Array<{
      path: string;
      expected: string;
      actual: string;
      type: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
    }>;
  };
  operation?: StackOperation;
  changeSets: ChangeSetRecord[];
  /** Counter for event ids and generated names, so ids stay deterministic. */
  sequence: number;
}

/** The parsed template of a stack definition, cached because parsing is the dearest step. */
export type TemplateCache = Map<string, CfnTemplate>;
