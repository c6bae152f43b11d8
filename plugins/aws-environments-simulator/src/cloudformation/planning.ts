/**
 * Planning a stack operation: checking the request (name, capabilities, parameters), resolving a template against
 * a stack into the resources and outputs it would have, and the changes between two definitions.
 */
import type { CfnTemplate } from '@internal/plugin-aws-environments-node';
import { awsError } from '../errors';
import { hashSeed, SeededRandom } from '../random';
import type { StackInput } from './engine';
import type {
  ChangeRecord,
  OutputRecord,
  ResourceRecord,
  StackDefinition,
  StackRecord,
  Tag,
} from './model';
import {
  attributeFor,
  physicalIdFor,
  requiresReplacement,
} from './resourceTypes';
import {
  evaluate,
  evaluateConditions,
  requiredCapabilities,
  resourceDependencies,
  TemplateError,
  topologicalOrder,
  type EvaluationScope,
} from './template';

const cfnError = (name: string, message: string) =>
  awsError('cloudformation', name, message);
const validationError = (message: string) =>
  cfnError('ValidationError', message);

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

/** Result of planning a definition: resources ready to create, in order, and their dependencies. */
export interface PlannedDefinition {
  definition: StackDefinition;
  order: string[];
  dependencies: Map<string, string[]>;
}

export class StackPlanner {
  private readonly orders = new Map<
    string,
    { dependencies: Map<string, string[]>; order: string[] }
  >();

  /** `exportedValue`: the value of an export (Fn::ImportValue) seen from a stack's account and Region. */
  constructor(
    private readonly seed: number,
    private readonly exportedValue: (
      stack: StackRecord,
      name: string,
    ) => string | undefined,
  ) {}

  assertStackName(name: string) {
    if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name)) {
      throw validationError(
        `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
      );
    }
  }

  assertCapabilities(template: CfnTemplate, granted: string[]) {
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

  resolveParameterValues(
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
  planDefinition(
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
    const stackSeed = hashSeed(this.seed, stack.stackId, generation);
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
        const value = this.exportedValue(stack, name);
        if (value !== undefined) return value;
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
}

function mergeTags(base: Tag[], own: Tag[]): Tag[] {
  const merged = new Map(base.map(t => [t.Key, t.Value]));
  for (const tag of own) merged.set(tag.Key, tag.Value);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

export function sameTags(a: Tag[], b: Tag[]): boolean {
  const key = (tags: Tag[]) =>
    JSON.stringify([...tags].sort((x, y) => x.Key.localeCompare(y.Key)));
  return key(a) === key(b);
}

export function sameParameters(
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
