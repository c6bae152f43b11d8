import { InputError } from '@backstage/errors';
import { parseDocument, type Tags, type YAMLMap, type YAMLSeq } from 'yaml';

/** One parameter of a CloudFormation template. */
export interface CfnParameter {
  Type: string;
  Default?: string | number | boolean;
  AllowedValues?: Array<string | number>;
  AllowedPattern?: string;
  Description?: string;
  MinValue?: number;
  MaxValue?: number;
  MinLength?: number;
  MaxLength?: number;
  NoEcho?: boolean;
  ConstraintDescription?: string;
}

/** One resource of a CloudFormation template; intrinsics are in their long (JSON) form. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, unknown>;
  CreationPolicy?: unknown;
  UpdatePolicy?: unknown;
}

export interface CfnOutput {
  Value: unknown;
  Description?: string;
  Condition?: string;
  Export?: { Name: unknown };
}

/** A parsed CloudFormation template with every short-form intrinsic (`!Ref`, `!Sub`, ...) expanded. */
export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Transform?: string | string[];
  Metadata?: Record<string, unknown>;
  Parameters?: Record<string, CfnParameter>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, CfnOutput>;
}

/** Short-form tag -> long-form key. `Ref` and `Condition` are not `Fn::` functions. */
const INTRINSICS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  FindInMap: 'Fn::FindInMap',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  Transform: 'Fn::Transform',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
};

function scalarValue(short: string, raw: string): unknown {
  // `!GetAtt Resource.Attribute` is the only dotted scalar form; nested attributes keep their dots
  // (`!GetAtt Db.Endpoint.Address` -> ['Db', 'Endpoint.Address']).
  if (short === 'GetAtt') {
    const dot = raw.indexOf('.');
    return dot < 0 ? [raw] : [raw.slice(0, dot), raw.slice(dot + 1)];
  }
  return raw;
}

/**
 * Every intrinsic may appear in scalar, sequence or mapping form (e.g. `!Base64 { 'Fn::Sub': ... }`), so each
 * gets three yaml tags; the yaml package chooses by node kind.
 */
function cfnTags(): Tags {
  const tags: Tags = [];
  for (const [short, long] of Object.entries(INTRINSICS)) {
    const tag = `!${short}`;
    tags.push({
      tag,
      resolve: (raw: string) => ({ [long]: scalarValue(short, raw) }),
    });
    for (const collection of ['seq', 'map'] as const) {
      tags.push({
        tag,
        collection,
        resolve: (node: YAMLSeq | YAMLMap) => ({ [long]: node.toJSON() }),
      });
    }
  }
  return tags;
}

const CUSTOM_TAGS = cfnTags();

/**
 * Parses a CloudFormation template written in YAML (with short-form intrinsic tags) or JSON into its long form,
 * the shape CloudFormation itself works with. Throws `InputError` naming the first problem.
 */
export function parseTemplate(body: string, source = 'template'): CfnTemplate {
  const doc = parseDocument(body, {
    customTags: CUSTOM_TAGS,
    prettyErrors: true,
    uniqueKeys: true,
  });
  // An unknown tag is only a warning to the yaml package, but CloudFormation would reject the template.
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    throw new InputError(
      `${source} is not valid CloudFormation YAML/JSON: ${
        problem.message.split('\n')[0]
      }`,
    );
  }
  // Templates are data: a low alias budget refuses alias bombs.
  const parsed: unknown = doc.toJS({ maxAliasCount: 100 });
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(
      `${source} must be a mapping with a Resources section`,
    );
  }
  const template = parsed as Partial<CfnTemplate>;
  if (
    !template.Resources ||
    typeof template.Resources !== 'object' ||
    Object.keys(template.Resources).length === 0
  ) {
    throw new InputError(`${source} declares no Resources`);
  }
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!resource || typeof resource.Type !== 'string') {
      throw new InputError(`${source}: resource ${logicalId} has no Type`);
    }
  }
  return template as CfnTemplate;
}
