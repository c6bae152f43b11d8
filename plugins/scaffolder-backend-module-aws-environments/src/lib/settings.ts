import type { Config } from '@backstage/config';
import type { AwsMode } from '@internal/plugin-aws-environments-common';
import fs from 'node:fs';
import path from 'node:path';

/** How the actions wait for CloudFormation. */
export interface ProvisioningSettings {
  /** Seconds between status and event polls while waiting. */
  pollIntervalSeconds: number;
  /** Upper bound of one wait (one stack operation or change set). */
  maxWaitSeconds: number;
  /** The log gets a line at least this often while waiting, so proxies never cut the live log as idle. */
  heartbeatSeconds: number;
  /** How long `innovate:environment:register` waits for the catalog to show the entity. */
  registrationTimeoutSeconds: number;
  /** Directory of blueprint.yaml and the layer templates. */
  blueprintDir: string;
  /**
   * CloudFormation service role per account id (`awsEnvironments.accounts[].cloudFormationRoleName`); accounts not
   * listed use `innovate-cloudformation-execution`, the role the account baseline creates.
   */
  executionRoleNames?: Record<string, string>;
}

/** The CloudFormation service role the workload-account baseline creates. */
export const DEFAULT_EXECUTION_ROLE_NAME = 'innovate-cloudformation-execution';

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * ARN of the role CloudFormation acts as in the account. The portal's provisioning role may only manage stacks and
 * pass this role, so every stack operation names it; CloudFormation keeps it with the stack for later deletes.
 */
export function executionRoleArnFor(
  settings: Pick<ProvisioningSettings, 'executionRoleNames'>,
  target: { accountId: string; region: string },
): string {
  const roleName =
    settings.executionRoleNames?.[target.accountId] ??
    DEFAULT_EXECUTION_ROLE_NAME;
  return `arn:${partitionOf(target.region)}:iam::${
    target.accountId
  }:role/${roleName}`;
}

function defaultBlueprintDir(): string {
  const candidates = [
    path.resolve(process.cwd(), 'templates/aws-environment/cloudformation'),
    path.resolve(
      process.cwd(),
      '../../templates/aws-environment/cloudformation',
    ),
  ];
  return candidates.find(dir => fs.existsSync(dir)) ?? candidates[0];
}

/**
 * Reads `awsEnvironments.provisioning` and `awsEnvironments.blueprintDir`. The simulated organization finishes
 * stacks in seconds, so it is polled more often than AWS (where stacks take minutes and polls cost API quota).
 */
export function readProvisioningSettings(
  config: Config,
  mode: AwsMode,
): ProvisioningSettings {
  const section = config.getOptionalConfig('awsEnvironments.provisioning');
  return {
    pollIntervalSeconds:
      section?.getOptionalNumber('pollIntervalSeconds') ??
      (mode === 'simulated' ? 1 : 10),
    maxWaitSeconds: (section?.getOptionalNumber('maxWaitMinutes') ?? 90) * 60,
    heartbeatSeconds: section?.getOptionalNumber('heartbeatSeconds') ?? 25,
    registrationTimeoutSeconds:
      section?.getOptionalNumber('registrationTimeoutSeconds') ?? 120,
    blueprintDir:
      config.getOptionalString('awsEnvironments.blueprintDir') ??
      defaultBlueprintDir(),
    executionRoleNames: Object.fromEntries(
      (config.getOptionalConfigArray('awsEnvironments.accounts') ?? []).flatMap(
        account => {
          const roleName = account.getOptionalString('cloudFormationRoleName');
          return roleName ? [[account.getString('accountId'), roleName]] : [];
        },
      ),
    ),
  };
}
