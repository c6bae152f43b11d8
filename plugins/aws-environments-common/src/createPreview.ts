/**
 * The New AWS environment form's preview: the template's own deploy step, with the plan action in create mode in
 * its place, run through the scaffolder's dry run (`POST /v2/dry-run`) as the person filling in the form. The
 * scaffolder decides on it as it decides on Create: the same parameter checks, and the permission policy on the
 * step's input; the plan action creates, describes and deletes change sets and never executes one.
 */

/** The action that previews what deploying an environment would change. */
export const ENVIRONMENT_PLAN_ACTION = 'innovate:environment:plan';
/** The action whose input the preview takes over. */
export const ENVIRONMENT_DEPLOY_ACTION = 'innovate:environment:deploy';

/** The parts of a template entity the preview is built from. */
export interface PreviewTemplateSource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; title?: string };
  spec?: {
    owner?: unknown;
    type?: unknown;
    parameters?: unknown;
    steps?: Array<{
      id?: string;
      name?: string;
      action: string;
      input?: Record<string, unknown>;
    }>;
  };
}

/** The body of `POST /api/scaffolder/v2/dry-run`. */
export interface CreatePreviewDryRun {
  template: Record<string, unknown>;
  values: Record<string, unknown>;
  directoryContents: [];
}

/**
 * The dry run of a New environment template: its parameters (checked as on Create) and one step, the plan action
 * with the deploy step's input and `mode: create`. Throws when the template has no deploy step.
 */
export function createPreviewDryRun(
  template: PreviewTemplateSource,
  values: Record<string, unknown>,
): CreatePreviewDryRun {
  const deploy = template.spec?.steps?.find(
    step => step.action === ENVIRONMENT_DEPLOY_ACTION,
  );
  if (!deploy) {
    throw new Error(
      `The template ${template.metadata.name} has no ${ENVIRONMENT_DEPLOY_ACTION} step to preview.`,
    );
  }
  return {
    template: {
      apiVersion: template.apiVersion,
      kind: template.kind,
      metadata: {
        name: template.metadata.name,
        namespace: template.metadata.namespace ?? 'default',
        ...(template.metadata.title ? { title: template.metadata.title } : {}),
      },
      spec: {
        owner: template.spec?.owner,
        type: template.spec?.type,
        parameters: template.spec?.parameters ?? [],
        steps: [
          {
            id: 'preview',
            name: 'Preview the environment',
            action: ENVIRONMENT_PLAN_ACTION,
            input: { ...deploy.input, mode: 'create' },
          },
        ],
        output: {
          changes: '${{ steps.preview.output.changes }}',
          summary: '${{ steps.preview.output.summary }}',
        },
      },
    },
    values,
    directoryContents: [],
  };
}

/** One resource a stack would get. */
export interface PreviewResource {
  action: string;
  logicalId: string;
  resourceType: string;
  replacement?: string;
}

/** One stack of the preview. */
export interface PreviewStack {
  layer: string;
  stackName: string;
  changeSetType: string;
  /** `change-set` (CloudFormation described it) or `template` (a stack whose input stacks do not exist yet). */
  source: string;
  changes: PreviewResource[];
}

/** What the preview shows. */
export interface CreatePreview {
  summary: string;
  stacks: PreviewStack[];
  /** Resources that would be replaced: none for a new environment; listed so that the page can say so. */
  replacements: PreviewResource[];
}

const asArray = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : [];

/** The preview from the dry run's answer (`output.changes`, `output.summary`). */
export function readCreatePreview(body: unknown): CreatePreview {
  const output = ((body ?? {}) as { output?: Record<string, unknown> }).output;
  const stacks = asArray(output?.changes).map(item => {
    const stack = (item ?? {}) as Record<string, unknown>;
    return {
      layer: String(stack.layer ?? ''),
      stackName: String(stack.stackName ?? ''),
      changeSetType: String(stack.changeSetType ?? ''),
      source: String(stack.source ?? ''),
      changes: asArray(stack.changes).map(change => {
        const c = (change ?? {}) as Record<string, unknown>;
        return {
          action: String(c.action ?? ''),
          logicalId: String(c.logicalId ?? ''),
          resourceType: String(c.resourceType ?? ''),
          ...(typeof c.replacement === 'string'
            ? { replacement: c.replacement }
            : {}),
        };
      }),
    };
  });
  return {
    summary: typeof output?.summary === 'string' ? output.summary : '',
    stacks,
    replacements: stacks
      .flatMap(s => s.changes)
      .filter(c => c.replacement === 'True' || c.replacement === 'Conditional'),
  };
}

interface ParameterError {
  name?: string;
  argument?: unknown;
  property?: string;
  schema?: { title?: string; errorMessage?: unknown };
}

/** A parameter check's problem in the template's own words (its `errorMessage`), else named by the field's title. */
function parameterProblem(error: ParameterError): string {
  const messages = error.schema?.errorMessage;
  if (typeof messages === 'string') return messages;
  if (messages && typeof messages === 'object') {
    const byKeyword = messages as Record<string, unknown>;
    const sentence =
      error.name === 'required'
        ? (byKeyword.required as Record<string, unknown> | undefined)?.[
            String(error.argument)
          ]
        : byKeyword[error.name ?? ''];
    if (typeof sentence === 'string') return sentence;
  }
  const field =
    error.name === 'required'
      ? String(error.argument)
      : error.schema?.title ?? error.property?.replace(/^instance\.?/, '');
  return `${field || 'A field'}: check this field and try again.`;
}

const UNAUTHORIZED_ACTION = /Unauthorized action: ([\w:-]+)/;

/**
 * The sentence a person reads when the dry run is refused: the error's own message (the plan action's sentences name
 * form fields), or, for the permission policy's refusal of the step, what it means for them.
 */
export function createPreviewProblem(body: unknown, status: number): string {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    return errors.map(parameterProblem).join(' ');
  }
  const message = (body as { error?: { message?: unknown } } | undefined)?.error
    ?.message;
  const text = typeof message === 'string' ? message.trim() : '';
  if (UNAUTHORIZED_ACTION.test(text)) {
    return 'You may not create this environment with these settings, so it cannot be previewed: the permission policy refuses it (production environments, and environments of systems your teams do not own, are created by the platform team).';
  }
  if (text) {
    // The first line only: the sentence, without anything a server appended below it.
    return text.split('\n')[0].replace(/^(?:\w*Error: )+/, '');
  }
  return `The preview failed (HTTP ${status}); try again, or ask the platform team.`;
}
