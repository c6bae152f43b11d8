/**
 * The history of an environment: one entry per mutating operation (create, update, teardown, registration, drift
 * check, a single stack deployment, an on-demand refresh), as recorded through the auditor and shown on the
 * environment's page.
 */

/**
 * Events-service topic on which the scaffolder actions publish each finished operation on an environment; the
 * insights backend stores it as the environment's history. Payload: an {@link EnvironmentHistoryEntry}.
 */
export const ENVIRONMENT_HISTORY_TOPIC = 'aws-environments.history';

/** What was done to the environment. */
export type EnvironmentOperation =
  | 'create'
  | 'update'
  | 'teardown'
  | 'register'
  | 'drift-check'
  | 'stack-deploy'
  | 'refresh';

export const ENVIRONMENT_OPERATIONS: EnvironmentOperation[] = [
  'create',
  'update',
  'teardown',
  'register',
  'drift-check',
  'stack-deploy',
  'refresh',
];

/** What an operation did to one stack: resources added, modified, removed, and how many modifications replace. */
export interface StackChangeSummary {
  stackName: string;
  layer?: string;
  /** created, updated, unchanged, deleted (or the action's own outcome word). */
  outcome: string;
  add: number;
  modify: number;
  remove: number;
  replacements: number;
}

export type EnvironmentOperationResult = 'succeeded' | 'failed';

export interface EnvironmentHistoryEntry {
  /** Stable per operation: a task step that runs again after a restart replaces its entry. */
  id: string;
  /** Catalog ref of the environment, `resource:default/<name>`. */
  entityRef: string;
  operation: EnvironmentOperation;
  /** Entity ref of the user the operation ran for, or the service that ran it. */
  actor: string;
  /** The software template the task ran, when it came from one. */
  template?: { entityRef: string; version?: string };
  /** The scaffolder task and step, with the portal path of the task page. */
  task?: { id: string; stepId?: string; url: string };
  /** The operation's inputs, with every secret replaced by `****`. */
  inputs: Record<string, unknown>;
  /** Per stack that was touched (empty when no stack changed or the operation failed before any). */
  changes: StackChangeSummary[];
  result: EnvironmentOperationResult;
  /** One sentence saying what happened (for a failure: why). */
  message: string;
  /** ISO times. */
  startedAt: string;
  completedAt: string;
}

/** `GET /environments/:namespace/:name/history`: newest first. */
export interface EnvironmentHistoryResponse {
  entityRef: string;
  items: EnvironmentHistoryEntry[];
  /** Entries in the whole history. */
  totalCount: number;
  /** The `offset` to ask for the next page; absent on the last page. */
  nextOffset?: number;
}

/** Portal path of a scaffolder task's page. */
export function taskPagePath(taskId: string): string {
  return `/create/tasks/${encodeURIComponent(taskId)}`;
}

/** Annotation of a software template carrying its released version (e.g. on the New AWS environment template). */
export const TEMPLATE_VERSION_ANNOTATION = 'aws.innovate.io/template-version';
