import { InputError } from '@backstage/errors';
import {
  type AwsAccountSummary,
  TAG_APPLICATION,
  TAG_COST_CENTER,
  TAG_OWNER,
  TAG_SYSTEM,
  TAG_TEMPLATE,
  TAG_TEMPLATE_VERSION,
} from '@internal/plugin-aws-environments-common';
import fs from 'node:fs';
import path from 'node:path';

/**
 * CloudFormation templates of the platform team that `innovate:cloudformation:deploy` reads from the portal's own
 * `templates/` folder rather than from the task. A step naming one gives only the parameters listed here; the action
 * fixes everything else (stack name, account stage, pull accounts, no service role). That is what lets the permission
 * policy open such a step to application teams: an equality on `platformTemplate` then means "this template, these
 * limits", which an equality on a workspace path or a stack name never could.
 */
export interface PlatformTemplate {
  /** Path below `templates/`. */
  file: string;
  /** Stage of the only accounts the stack may go to. */
  accountStage: AwsAccountSummary['stage'];
  /** Parameters the step may set; any other is refused. */
  stepParameters: readonly string[];
  /**
   * Stack tags the step may set. Others are refused: `innovate:environment` on a stack would make the catalog's
   * environment discovery take it for part of an environment.
   */
  stepTags: readonly string[];
  /** The one stack name the step's parameters allow. */
  stackNameFor(parameters: Record<string, string>): string;
  /** Parameters the action sets from configuration, never from the step. */
  fixedParameters(accounts: AwsAccountSummary[]): Record<string, string>;
}

export const PLATFORM_TEMPLATES = {
  'component-image-repository': {
    file: 'component-image-repository/cloudformation/image-repository.yaml',
    accountStage: 'shared',
    stepParameters: ['ComponentName', 'Owner', 'System', 'CostCenter'],
    stepTags: [
      TAG_APPLICATION,
      TAG_OWNER,
      TAG_SYSTEM,
      TAG_COST_CENTER,
      TAG_TEMPLATE,
      TAG_TEMPLATE_VERSION,
    ],
    stackNameFor(parameters) {
      const component = parameters.ComponentName ?? '';
      // The app templates' own name rule; it also keeps the repository name inside ECR's grammar.
      if (!/^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/.test(component)) {
        throw new InputError(
          `ComponentName "${component}" must be DNS-safe: lower-case letters, digits and hyphens, starting with a letter, at most 40 characters`,
        );
      }
      return `ecr-${component}`;
    },
    fixedParameters(accounts) {
      // Only the organization's own workload accounts may pull: a step must not be able to name someone else's.
      const workloadAccounts = accounts
        .filter(account => account.stage && account.stage !== 'shared')
        .map(account => account.accountId);
      if (workloadAccounts.length === 0) {
        throw new InputError(
          'No workload account (stage dev, staging or prod) is configured in awsEnvironments.accounts to pull images',
        );
      }
      return { PullAccountIds: workloadAccounts.join(',') };
    },
  },
} satisfies Record<string, PlatformTemplate>;

export type PlatformTemplateName = keyof typeof PLATFORM_TEMPLATES;
export const PLATFORM_TEMPLATE_NAMES = Object.keys(PLATFORM_TEMPLATES) as [
  PlatformTemplateName,
  ...PlatformTemplateName[],
];

/** The portal runs from the repository root (container image) or from packages/backend (yarn start, tests). */
function templatesDir(): string {
  const candidates = [
    path.resolve(process.cwd(), 'templates'),
    path.resolve(process.cwd(), '../../templates'),
  ];
  return candidates.find(dir => fs.existsSync(dir)) ?? candidates[0];
}

export interface PlatformStack {
  templateBody: string;
  stackName: string;
  parameters: Record<string, string>;
}

/**
 * Checks a step that names a platform template against that template's limits and returns what to deploy.
 * Everything is decided before any AWS call, so a refused step creates nothing.
 */
export async function resolvePlatformStack(
  name: PlatformTemplateName,
  request: {
    stackName: string;
    parameters: Record<string, string>;
    tags: Record<string, string>;
    account: AwsAccountSummary;
    accounts: AwsAccountSummary[];
  },
): Promise<PlatformStack> {
  const definition: PlatformTemplate = PLATFORM_TEMPLATES[name];
  const unexpected = Object.keys(request.parameters).filter(
    key => !definition.stepParameters.includes(key),
  );
  if (unexpected.length > 0) {
    throw new InputError(
      `The ${name} template takes only ${definition.stepParameters.join(
        ', ',
      )} from a step; refused: ${unexpected.join(', ')}`,
    );
  }
  const unexpectedTags = Object.keys(request.tags).filter(
    key => !definition.stepTags.includes(key),
  );
  if (unexpectedTags.length > 0) {
    throw new InputError(
      `The ${name} template takes only the tags ${definition.stepTags.join(
        ', ',
      )} from a step; refused: ${unexpectedTags.join(', ')}`,
    );
  }
  if (request.account.stage !== definition.accountStage) {
    throw new InputError(
      `The ${name} template deploys only into the ${definition.accountStage} account; account ${request.account.accountId} has stage ${request.account.stage}`,
    );
  }
  const expectedStackName = definition.stackNameFor(request.parameters);
  if (request.stackName !== expectedStackName) {
    throw new InputError(
      `The ${name} template's stack for these parameters is ${expectedStackName}, not ${request.stackName}`,
    );
  }
  const file = path.join(templatesDir(), definition.file);
  const templateBody = await fs.promises.readFile(file, 'utf8').catch(error => {
    throw new InputError(
      `Cannot read the ${name} template (${file}): ${error.message}`,
    );
  });
  return {
    templateBody,
    stackName: expectedStackName,
    parameters: {
      ...request.parameters,
      ...definition.fixedParameters(request.accounts),
    },
  };
}
