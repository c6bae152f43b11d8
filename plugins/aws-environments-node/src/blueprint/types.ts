import type { Stage } from '@internal/plugin-aws-environments-common';

/**
 * An environment blueprint: the platform team's description of how the layered CloudFormation stacks of one
 * environment fit together. It lives beside the templates it names, in
 * `templates/aws-environment/cloudformation/blueprint.yaml`, and is read by the deploy/destroy actions and by the
 * simulated organization's seeding, so both build environments from the same files.
 */
export interface EnvironmentBlueprint {
  /** Template name recorded on every stack (`innovate:template`), e.g. `aws-environment`. */
  name: string;
  /** Semantic version recorded on every stack (`innovate:template-version`). */
  version: string;
  description?: string;
  /** Absolute directory holding blueprint.yaml and the layer templates. */
  dir: string;
  layers: BlueprintLayer[];
}

/** Where one CloudFormation parameter's value comes from. */
export type ParameterSource =
  /** A field of the environment spec (the template form), e.g. `{ input: 'azCount' }`. */
  | { input: keyof EnvironmentSpec | string }
  /** An output of a layer this one depends on: `{ output: 'network.VpcId' }`. */
  | { output: string }
  /**
   * The value of one of the environment's tags (see `environmentTags`), e.g. `{ tag: 'innovate:template-version' }`,
   * so templates tag their resources with exactly what the stacks are tagged with.
   */
  | { tag: string }
  /** A literal. */
  | { value: string | number | boolean };

export interface BlueprintLayer {
  /** Layer name: network, security, data, compute, edge, observability. Stack name is `<env>-<layer>`. */
  name: string;
  /** Template file, relative to the blueprint directory. */
  template: string;
  /** The template file's content, read by `loadBlueprint`. */
  templateBody: string;
  /** Names of the template's Outputs, so consumers can check output references without parsing it again. */
  outputs: string[];
  /** Layers whose outputs this one consumes; they are deployed first. */
  dependsOn: string[];
  /** CloudFormation parameter name -> source. */
  parameters: Record<string, ParameterSource>;
  /** IAM capabilities the template needs (CAPABILITY_IAM, CAPABILITY_NAMED_IAM). */
  capabilities?: string[];
}

/**
 * Everything that describes one environment: the New AWS environment template's form, validated.
 * Field names are the `input` names blueprints refer to.
 */
export interface EnvironmentSpec {
  name: string;
  stage: Stage;
  accountId: string;
  region: string;
  /** Catalog entity ref of the owning group, e.g. `group:default/web-team`. */
  owner: string;
  /** Catalog entity ref of the system, e.g. `system:default/innovate-web`. */
  system: string;
  costCenter: string;
  azCount: 2 | 3;
  vpcCidr: string;
  natGateways: 'single' | 'per-az';
  nodeStrategy: 'on-demand' | 'spot' | 'mixed';
  frontendInstanceType: string;
  backendInstanceType: string;
  frontendNodes: { min: number; max: number; desired: number };
  backendNodes: { min: number; max: number; desired: number };
  kubernetesVersion: string;
  databaseEngine: 'rds-postgresql' | 'aurora-postgresql';
  /**
   * PostgreSQL version of the database: a major version (`17`, which RDS resolves to its default minor version) or
   * a minor version (`17.7`).
   */
  databaseEngineVersion: string;
  databaseInstanceClass: string;
  databaseStorageGb: number;
  multiAz: boolean;
  readReplica: boolean;
  backupRetentionDays: number;
  /** Region to copy backups to for disaster recovery; empty for none. */
  drCopyRegion: string;
  enableWaf: boolean;
  /** Optional custom domain (ACM certificate + Route 53 alias); empty for the CloudFront default domain. */
  domainName: string;
  hostedZoneId: string;
  budgetMonthlyUsd: number;
  alertEmail: string;
}

/** One layer ready to deploy: stack name, template body, parameters resolved as far as inputs allow. */
export interface PlannedStack {
  layer: string;
  stackName: string;
  templateBody: string;
  dependsOn: string[];
  capabilities: string[];
  /** Resolved parameters; values that come from other layers' outputs are filled by `resolveParameters`. */
  parameterSources: Record<string, ParameterSource>;
}
