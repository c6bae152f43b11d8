import type {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { EventsService } from '@backstage/plugin-events-node';
import type { JsonObject } from '@backstage/types';
import {
  ENVIRONMENT_HISTORY_TOPIC,
  type EnvironmentHistoryEntry,
  type EnvironmentOperation,
  type StackChangeSummary,
  TAG_ENVIRONMENT,
  TEMPLATE_VERSION_ANNOTATION,
  taskPagePath,
} from '@internal/plugin-aws-environments-common';
import {
  MASK,
  SecretRegistry,
  looksSecret,
  secretParameterKeys,
} from './secrets';
import type { ResourceChangeSummary } from './stackOperations';

/** What the audit trail is recorded through: the auditor (the log an organization ships), and the history topic. */
export interface AuditTrailDependencies {
  auditor?: AuditorService;
  events?: EventsService;
  logger?: LoggerService;
}

interface AuditedOperation {
  operation: EnvironmentOperation;
  /** The environment's name; absent for a stack that belongs to no environment (the account baseline). */
  environment?: string;
  severityLevel: AuditorServiceEventSeverityLevel;
}

type Input = Record<string, any>;

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** The mutating actions of this module and what each does; `innovate:environment:plan` only reads. */
const AUDITED: Record<string, (input: Input) => AuditedOperation> = {
  'innovate:environment:deploy': input => ({
    operation: input.mode === 'update' ? 'update' : 'create',
    environment: stringOf(input.environment?.name),
    severityLevel: input.environment?.stage === 'prod' ? 'high' : 'medium',
  }),
  'innovate:environment:destroy': input => ({
    operation: 'teardown',
    environment: stringOf(input.name),
    severityLevel: 'high',
  }),
  'innovate:environment:register': input => ({
    operation: 'register',
    environment: stringOf(input.name),
    severityLevel: 'medium',
  }),
  'innovate:environment:drift': input => ({
    operation: 'drift-check',
    environment: stringOf(input.name),
    severityLevel: 'low',
  }),
  'innovate:cloudformation:deploy': input => ({
    operation: 'stack-deploy',
    environment: stringOf(input.tags?.[TAG_ENVIRONMENT]),
    severityLevel: 'medium',
  }),
};

/** Keys whose values are never recorded: secret-looking names (password, token, secret, ...) and keys. */
export function isSecretKey(key: string): boolean {
  return looksSecret(key) || /key$/i.test(key);
}

/** Long strings (template bodies) are recorded by their length only. */
const LONGEST_RECORDED_STRING = 500;

/**
 * A copy of the inputs with secrets removed: every value under a secret-looking key, and every occurrence of a
 * registered secret value (the task's secrets, NoEcho parameters) wherever it appears, become `****`.
 */
export function redactInputs(
  value: unknown,
  secrets: SecretRegistry,
  secretKeys: Set<string> = new Set(),
  key?: string,
): unknown {
  if (key !== undefined && (isSecretKey(key) || secretKeys.has(key))) {
    return MASK;
  }
  if (typeof value === 'string') {
    const masked = secrets.mask(value);
    return masked.length > LONGEST_RECORDED_STRING
      ? `(${masked.length} characters)`
      : masked;
  }
  if (Array.isArray(value)) {
    return value.map(item => redactInputs(item, secrets, secretKeys));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        redactInputs(v, secrets, secretKeys, k),
      ]),
    );
  }
  return value;
}

/** Counts of one stack's resource changes. */
export function summarizeStackChanges(
  stack: { stackName: string; layer?: string; outcome: string },
  changes: ResourceChangeSummary[],
): StackChangeSummary {
  const count = (action: string) =>
    changes.filter(c => c.action === action).length;
  return {
    stackName: stack.stackName,
    ...(stack.layer ? { layer: stack.layer } : {}),
    outcome: stack.outcome,
    add: count('Add'),
    modify: count('Modify'),
    remove: count('Remove'),
    replacements: changes.filter(
      c =>
        c.action === 'Modify' &&
        (c.replacement === 'True' || c.replacement === 'Conditional'),
    ).length,
  };
}

/** Change summaries an action noted for the audit trail, per action context. */
const notedChanges = new WeakMap<object, StackChangeSummary[]>();

/** Notes what the action changed per stack, for the audit entry of the running step. */
export function noteStackChanges(
  ctx: object,
  stacks: Array<{
    stackName: string;
    layer?: string;
    outcome: string;
    changes: ResourceChangeSummary[];
  }>,
): void {
  notedChanges
    .get(ctx)
    ?.push(...stacks.map(stack => summarizeStackChanges(stack, stack.changes)));
}

/** What the action's outputs say it changed, when it noted nothing itself. */
function changesFromOutputs(
  actionId: string,
  outputs: Record<string, unknown>,
): StackChangeSummary[] {
  if (actionId === 'innovate:environment:destroy') {
    const deleted = Array.isArray(outputs.deleted) ? outputs.deleted : [];
    return deleted.map(stackName => ({
      stackName: String(stackName),
      outcome: 'deleted',
      add: 0,
      modify: 0,
      remove: 0,
      replacements: 0,
    }));
  }
  if (
    actionId === 'innovate:cloudformation:deploy' &&
    typeof outputs.stackName === 'string'
  ) {
    return [
      summarizeStackChanges(
        {
          stackName: outputs.stackName,
          outcome: String(outputs.outcome ?? 'updated'),
        },
        Array.isArray(outputs.changes)
          ? (outputs.changes as ResourceChangeSummary[])
          : [],
      ),
    ];
  }
  return [];
}

const DONE: Record<EnvironmentOperation, string> = {
  create: 'Created',
  update: 'Updated',
  teardown: 'Tore down',
  register: 'Registered',
  'drift-check': 'Checked the drift of',
  'stack-deploy': 'Deployed a stack of',
  refresh: 'Refreshed',
};

function successMessage(
  what: AuditedOperation,
  subject: string,
  changes: StackChangeSummary[],
  outputs: Record<string, unknown>,
): string {
  const changed = changes.filter(c => c.outcome !== 'unchanged');
  const totals = changed.reduce(
    (sum, c) => ({
      add: sum.add + c.add,
      modify: sum.modify + c.modify,
      remove: sum.remove + c.remove,
      replacements: sum.replacements + c.replacements,
    }),
    { add: 0, modify: 0, remove: 0, replacements: 0 },
  );
  let detail = '';
  if (what.operation === 'teardown') {
    detail = `: ${changes.length} stack(s) deleted`;
  } else if (what.operation === 'drift-check') {
    detail = outputs.drifted === true ? ': drift found' : ': no drift';
  } else if (changes.length > 0) {
    detail = `: ${changed.length} of ${changes.length} stack(s) changed (${totals.add} added, ${totals.modify} modified, ${totals.remove} removed, ${totals.replacements} replacement(s))`;
  }
  return `${DONE[what.operation]} ${subject}${detail}.`;
}

/** One sentence from the error, with secrets masked: its first line, never a stack trace. */
function failureMessage(error: unknown, secrets: SecretRegistry): string {
  const raw = String(
    (error as { message?: unknown } | undefined)?.message ?? error,
  );
  const firstLine = raw.split('\n')[0].trim() || 'The operation failed';
  const masked = secrets.mask(firstLine);
  return /[.!?]$/.test(masked) ? masked : `${masked}.`;
}

/** An error for the auditor's `fail` that carries the readable message and no stack. */
function auditedError(error: unknown, message: string): Error {
  const audited = new Error(message);
  audited.name = (error as Error | undefined)?.name ?? 'Error';
  audited.stack = `${audited.name}: ${message}`;
  return audited;
}

/** The smallest shape of a template action this needs. */
interface ActionLike {
  id: string;
  handler(ctx: any): Promise<unknown>;
}

/**
 * The action with an audit trail around its handler: each run that is not a dry run is recorded through the auditor
 * when it starts and when it ends (who, what, when, inputs without secrets, change-set summary, result), and, when
 * it concerns an environment, published on the history topic for the environment's page.
 */
export function withAuditTrail<T extends ActionLike>(
  action: T,
  deps: AuditTrailDependencies,
): T {
  const describe = AUDITED[action.id];
  if (!describe) return action;
  return {
    ...action,
    handler: async (ctx: any) => {
      if (ctx.isDryRun) return action.handler(ctx);
      const input: Input = ctx.input ?? {};
      const what = describe(input);
      const secrets = new SecretRegistry();
      for (const value of Object.values<string>(ctx.secrets ?? {})) {
        secrets.add(value);
      }
      const secretKeys =
        typeof input.templateBody === 'string' &&
        input.parameters &&
        typeof input.parameters === 'object'
          ? secretParameterKeys(
              input.templateBody,
              Object.keys(input.parameters),
            )
          : new Set<string>();
      const inputs = redactInputs(input, secrets, secretKeys) as JsonObject;
      const entityRef = what.environment
        ? stringifyEntityRef({
            kind: 'resource',
            namespace: 'default',
            name: what.environment,
          })
        : undefined;
      const templateRef: string | undefined = ctx.templateInfo?.entityRef;
      const templateVersion: string | undefined =
        ctx.templateInfo?.entity?.metadata?.annotations?.[
          TEMPLATE_VERSION_ANNOTATION
        ];
      const template = templateRef
        ? {
            entityRef: templateRef,
            ...(templateVersion ? { version: templateVersion } : {}),
          }
        : undefined;
      const taskId: string | undefined = ctx.task?.id;
      const stepId: string | undefined = ctx.step?.id;
      const task = taskId
        ? {
            id: taskId,
            ...(stepId ? { stepId } : {}),
            url: taskPagePath(taskId),
          }
        : undefined;
      const actor: string = ctx.user?.ref ?? 'unknown';
      const startedAt = new Date();

      const outputs: Record<string, unknown> = {};
      const noted: StackChangeSummary[] = [];
      const tracked = {
        ...ctx,
        output(name: string, value: unknown) {
          outputs[name] = value;
          ctx.output(name, value);
        },
      };
      notedChanges.set(tracked, noted);

      const event = await deps.auditor?.createEvent({
        eventId: `aws-environment-${what.operation}`,
        severityLevel: what.severityLevel,
        meta: {
          operation: what.operation,
          actionId: action.id,
          ...(entityRef ? { entityRef } : {}),
          actor,
          ...(template ? { template } : {}),
          ...(task ? { task } : {}),
          inputs,
        },
      });

      const finish = async (
        result: 'succeeded' | 'failed',
        message: string,
        error?: unknown,
      ) => {
        const changes = noted.length
          ? noted
          : changesFromOutputs(action.id, outputs);
        try {
          const meta = { changes, message } as unknown as JsonObject;
          if (result === 'succeeded') await event?.success({ meta });
          else await event?.fail({ error: auditedError(error, message), meta });
          if (entityRef && deps.events) {
            const entry: EnvironmentHistoryEntry = {
              id: `task:${taskId ?? 'unknown'}:${stepId ?? action.id}`,
              entityRef,
              operation: what.operation,
              actor,
              ...(template ? { template } : {}),
              ...(task ? { task } : {}),
              inputs,
              changes,
              result,
              message,
              startedAt: startedAt.toISOString(),
              completedAt: new Date().toISOString(),
            };
            await deps.events.publish({
              topic: ENVIRONMENT_HISTORY_TOPIC,
              eventPayload: entry as unknown as JsonObject,
            });
          }
        } catch (recordError) {
          // The operation itself is done: a trail that cannot be written is reported, never turned into its failure.
          deps.logger?.error(
            `Could not record ${
              action.id
            } of task ${taskId} in the audit trail: ${
              (recordError as Error).message
            }`,
          );
        }
      };

      try {
        const returned = await action.handler(tracked);
        const subject = what.environment ?? String(input.stackName ?? '');
        await finish(
          'succeeded',
          successMessage(
            what,
            subject,
            noted.length ? noted : changesFromOutputs(action.id, outputs),
            outputs,
          ),
        );
        return returned;
      } catch (error) {
        await finish('failed', failureMessage(error, secrets), error);
        throw error;
      }
    },
  } as T;
}
