import { promises as fs } from 'fs';
import { join, relative } from 'path';
import type { CfnTemplate } from '@internal/plugin-aws-environments-node';
import type { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';

/**
 * Checks that CloudFormation would otherwise only make at deploy time (or, for unreachable branches, never),
 * run against every template under templates/. Each check returns human-readable problems; an empty list passes.
 */

export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** Every CloudFormation template (not blueprints) under `root`'s `cloudformation` folders, relative paths. */
export async function findCloudFormationFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string) {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (
        /\.(ya?ml|json)$/.test(entry.name) &&
        entry.name !== 'blueprint.yaml' &&
        relative(root, path).split(/[\\/]/).includes('cloudformation')
      ) {
        found.push(relative(root, path));
      }
    }
  }
  await walk(root);
  return found.sort();
}

type Visitor = (node: Record<string, unknown>, path: string) => void;

/** Calls `visit` on every object node (intrinsics included) below `value`. */
export function walkObjects(value: unknown, visit: Visitor, path = ''): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkObjects(v, visit, `${path}[${i}]`));
  } else if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    visit(node, path);
    for (const [k, v] of Object.entries(node))
      walkObjects(v, visit, `${path}.${k}`);
  }
}

/** `${Name}` and `${Resource.Attribute}` variables of an Fn::Sub string; `${!Literal}` is an escape. */
export function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]+)\}/g)]
    .map(m => m[1].trim())
    .filter(v => !v.startsWith('!'));
}

/**
 * Every Ref, GetAtt, Sub variable, condition name, DependsOn target and FindInMap mapping must name something the
 * template declares (or a pseudo parameter).
 */
export function unresolvedReferences(template: CfnTemplate): string[] {
  const problems: string[] = [];
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const resources = new Set(Object.keys(template.Resources));
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const mappings = new Set(Object.keys(template.Mappings ?? {}));
  const referable = (name: string) =>
    parameters.has(name) || resources.has(name) || PSEUDO_PARAMETERS.has(name);

  const checkCondition = (name: unknown, where: string) => {
    if (typeof name !== 'string' || !conditions.has(name)) {
      problems.push(`${where}: unknown condition ${String(name)}`);
    }
  };

  const sections: Array<[string, unknown]> = [
    ['Conditions', template.Conditions],
    ['Resources', template.Resources],
    ['Outputs', template.Outputs],
  ];
  for (const [section, content] of sections) {
    walkObjects(content, (node, path) => {
      const where = `${section}${path}`;
      if ('Ref' in node && Object.keys(node).length === 1) {
        if (typeof node.Ref !== 'string' || !referable(node.Ref)) {
          problems.push(`${where}: Ref to unknown ${String(node.Ref)}`);
        }
      }
      if ('Fn::GetAtt' in node) {
        const [resource] = node['Fn::GetAtt'] as [string, string];
        if (!resources.has(resource)) {
          problems.push(`${where}: GetAtt of unknown resource ${resource}`);
        }
      }
      if ('Fn::Sub' in node) {
        const sub = node['Fn::Sub'];
        const [text, vars] = Array.isArray(sub)
          ? [sub[0] as string, (sub[1] ?? {}) as Record<string, unknown>]
          : [sub as string, {}];
        for (const variable of subVariables(text)) {
          const [head] = variable.split('.');
          if (variable in vars || referable(variable)) continue;
          if (variable.includes('.') && resources.has(head)) continue;
          problems.push(`${where}: Sub variable \${${variable}} names nothing`);
        }
      }
      if ('Fn::If' in node) {
        checkCondition((node['Fn::If'] as unknown[])[0], where);
      }
      if ('Condition' in node && Object.keys(node).length === 1) {
        checkCondition(node.Condition, where);
      }
      if ('Fn::FindInMap' in node) {
        const [map] = node['Fn::FindInMap'] as [string];
        if (!mappings.has(map)) {
          problems.push(`${where}: FindInMap of unknown mapping ${map}`);
        }
      }
    });
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Condition)
      checkCondition(resource.Condition, `Resources.${id}.Condition`);
    const dependsOn = resource.DependsOn
      ? ([] as string[]).concat(resource.DependsOn)
      : [];
    for (const dep of dependsOn) {
      if (!resources.has(dep))
        problems.push(`Resources.${id}.DependsOn: unknown ${dep}`);
    }
  }
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition)
      checkCondition(output.Condition, `Outputs.${id}.Condition`);
  }
  return problems;
}

/** The CloudFormation resource specification database. */
export type SpecDatabase = Awaited<ReturnType<typeof loadAwsServiceSpec>>;

/** The parts of a specification resource these checks read. */
export interface SpecResource {
  cloudFormationType: string;
  properties: Record<string, SpecProperty>;
  attributes: Record<string, unknown>;
  tagInformation?: { tagPropertyName: string; variant: string };
}
interface SpecProperty {
  required?: boolean;
  type: SpecType;
}
type SpecType =
  | { type: 'ref'; reference: { $ref: string } }
  | { type: 'array' | 'map'; element: SpecType }
  | { type: 'union'; types: SpecType[] }
  | { type: string };

const INTRINSIC_KEYS = /^(Ref|Fn::.+)$/;

function isIntrinsic(value: unknown): boolean {
  return (
    !!value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    INTRINSIC_KEYS.test(Object.keys(value)[0])
  );
}

/** The concrete alternatives of a value: both branches of Fn::If, minus AWS::NoValue. */
function alternatives(value: unknown): unknown[] {
  if (value && typeof value === 'object' && 'Fn::If' in (value as object)) {
    const [, whenTrue, whenFalse] = (value as { 'Fn::If': unknown[] })[
      'Fn::If'
    ];
    return [...alternatives(whenTrue), ...alternatives(whenFalse)];
  }
  if (
    value &&
    typeof value === 'object' &&
    (value as { Ref?: unknown }).Ref === 'AWS::NoValue'
  ) {
    return [];
  }
  return [value];
}

export function lookupResource(
  db: SpecDatabase,
  cloudFormationType: string,
): SpecResource | undefined {
  const found = db.lookup(
    'resource',
    'cloudFormationType',
    'equals',
    cloudFormationType,
  );
  return found.length > 0 ? (found[0] as unknown as SpecResource) : undefined;
}

function checkProperties(
  db: SpecDatabase,
  properties: Record<string, SpecProperty>,
  value: Record<string, unknown>,
  where: string,
  problems: string[],
) {
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in value)) {
      problems.push(`${where}: required property ${name} is missing`);
    }
  }
  for (const [name, propertyValue] of Object.entries(value)) {
    const property = properties[name];
    if (!property) {
      problems.push(`${where}: unknown property ${name}`);
      continue;
    }
    checkValue(db, property.type, propertyValue, `${where}.${name}`, problems);
  }
}

function checkValue(
  db: SpecDatabase,
  type: SpecType,
  value: unknown,
  where: string,
  problems: string[],
) {
  for (const alternative of alternatives(value)) {
    if (isIntrinsic(alternative)) continue;
    if (type.type === 'union') {
      const types = (type as { types: SpecType[] }).types;
      // A union passes when any member accepts the value.
      const attempts = types.map(member => {
        const memberProblems: string[] = [];
        checkValue(db, member, alternative, where, memberProblems);
        return memberProblems;
      });
      if (!attempts.some(a => a.length === 0)) problems.push(...attempts[0]);
    } else if (type.type === 'ref') {
      if (
        !alternative ||
        typeof alternative !== 'object' ||
        Array.isArray(alternative)
      ) {
        problems.push(`${where}: expected an object`);
        continue;
      }
      const definition = db.get(
        'typeDefinition',
        (type as { reference: { $ref: string } }).reference.$ref,
      ) as unknown as { properties: Record<string, SpecProperty> };
      checkProperties(
        db,
        definition.properties,
        alternative as Record<string, unknown>,
        where,
        problems,
      );
    } else if (type.type === 'array') {
      if (!Array.isArray(alternative)) {
        problems.push(`${where}: expected a list`);
        continue;
      }
      alternative.forEach((element, i) =>
        checkValue(
          db,
          (type as { element: SpecType }).element,
          element,
          `${where}[${i}]`,
          problems,
        ),
      );
    } else if (type.type === 'map') {
      if (
        !alternative ||
        typeof alternative !== 'object' ||
        Array.isArray(alternative)
      ) {
        problems.push(`${where}: expected a map`);
      }
    } else if (
      type.type === 'string' ||
      type.type === 'number' ||
      type.type === 'integer' ||
      type.type === 'boolean'
    ) {
      if (typeof alternative === 'object' && alternative !== null) {
        problems.push(
          `${where}: expected a ${type.type}, got ${
            Array.isArray(alternative) ? 'a list' : 'an object'
          }`,
        );
      }
    }
  }
}

/**
 * Resource types, property names (recursively into property types), required properties and GetAtt attributes,
 * checked against the CloudFormation resource specification of `@aws-cdk/aws-service-spec`.
 */
export function specProblems(
  template: CfnTemplate,
  db: SpecDatabase,
): string[] {
  const problems: string[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (
      resource.Type.startsWith('Custom::') ||
      resource.Type === 'AWS::CloudFormation::CustomResource'
    ) {
      continue;
    }
    const spec = lookupResource(db, resource.Type);
    if (!spec) {
      problems.push(`${id}: unknown resource type ${resource.Type}`);
      continue;
    }
    checkProperties(
      db,
      spec.properties,
      resource.Properties ?? {},
      `${id} (${resource.Type})`,
      problems,
    );
  }
  walkObjects([template.Resources, template.Outputs], (node, path) => {
    const getAtt = node['Fn::GetAtt'] as [string, string] | undefined;
    const sub = node['Fn::Sub'];
    const subs: string[] = [];
    if (typeof sub === 'string') subs.push(sub);
    else if (Array.isArray(sub)) subs.push(sub[0] as string);
    const attributes: Array<[string, string]> = [];
    if (getAtt) attributes.push(getAtt);
    for (const text of subs) {
      for (const variable of subVariables(text)) {
        const dot = variable.indexOf('.');
        if (dot > 0 && template.Resources[variable.slice(0, dot)]) {
          attributes.push([variable.slice(0, dot), variable.slice(dot + 1)]);
        }
      }
    }
    for (const [resourceId, attribute] of attributes) {
      const resource = template.Resources[resourceId];
      if (!resource) continue;
      const spec = lookupResource(db, resource.Type);
      if (spec && !(attribute in spec.attributes)) {
        problems.push(
          `${path}: ${resource.Type} has no attribute ${attribute}`,
        );
      }
    }
  });
  return problems;
}

/** Parameter values for evaluation: each parameter's Default, overridden by `given`. */
export function parameterValues(
  template: CfnTemplate,
  given: Record<string, string>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    if (parameter.Default !== undefined)
      values[name] = String(parameter.Default);
  }
  return { ...values, ...given };
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Evaluates the template's conditions and resolves Fn::If/Ref-to-parameter inside `value` for the given parameters,
 * leaving other intrinsics in place. This is how the invariant tests ask "what does prod get?".
 */
export class TemplateEvaluator {
  private readonly conditionCache = new Map<string, boolean>();

  constructor(
    readonly template: CfnTemplate,
    private readonly parameters: Record<string, string>,
    private readonly pseudo: Record<string, string> = {
      'AWS::Region': 'eu-central-1',
      'AWS::AccountId': '222222222222',
      'AWS::Partition': 'aws',
    },
  ) {}

  condition(name: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const expression = this.template.Conditions?.[name];
    if (expression === undefined) throw new Error(`unknown condition ${name}`);
    const result = this.truth(expression);
    this.conditionCache.set(name, result);
    return result;
  }

  /** Whether the resource exists for these parameters. */
  exists(resourceId: string): boolean {
    const condition = this.template.Resources[resourceId]?.Condition;
    return condition ? this.condition(condition) : true;
  }

  private truth(expression: unknown): boolean {
    const node = expression as Record<string, unknown[]> & {
      Condition?: string;
    };
    if (node.Condition !== undefined) return this.condition(node.Condition);
    if (node['Fn::Equals']) {
      const [a, b] = node['Fn::Equals'].map(v => this.resolve(v));
      return String(a) === String(b);
    }
    if (node['Fn::And']) return node['Fn::And'].every(v => this.truth(v));
    if (node['Fn::Or']) return node['Fn::Or'].some(v => this.truth(v));
    if (node['Fn::Not']) return !this.truth(node['Fn::Not'][0]);
    throw new Error(`cannot evaluate condition ${JSON.stringify(expression)}`);
  }

  /** Resolves conditions and parameter refs; other intrinsics stay as they are. */
  resolve(value: unknown): unknown {
    const resolved = this.resolveInner(value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  private resolveInner(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map(v => this.resolveInner(v)).filter(v => v !== NO_VALUE);
    }
    if (!value || typeof value !== 'object') return value;
    const node = value as Record<string, unknown>;
    if (isIntrinsic(node)) {
      if ('Fn::If' in node) {
        const [condition, whenTrue, whenFalse] = node['Fn::If'] as [
          string,
          unknown,
          unknown,
        ];
        return this.resolveInner(
          this.condition(condition) ? whenTrue : whenFalse,
        );
      }
      if ('Ref' in node) {
        const name = node.Ref as string;
        if (name === 'AWS::NoValue') return NO_VALUE;
        if (name in this.parameters) {
          const type = this.template.Parameters?.[name]?.Type ?? '';
          return type === 'CommaDelimitedList' || type.startsWith('List<')
            ? this.parameters[name].split(',')
            : this.parameters[name];
        }
        if (name in this.pseudo) return this.pseudo[name];
        return node;
      }
      // Other functions stay, with their arguments resolved.
      const [fn] = Object.keys(node);
      return { [fn]: this.resolveInner(node[fn]) };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      const resolved = this.resolveInner(v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  /** Resources that exist for these parameters, with properties resolved. */
  resources(
    type?: string,
  ): Array<{ id: string; type: string; properties: Record<string, unknown> }> {
    return Object.entries(this.template.Resources)
      .filter(([id, r]) => (!type || r.Type === type) && this.exists(id))
      .map(([id, r]) => ({
        id,
        type: r.Type,
        properties: (this.resolve(r.Properties ?? {}) ?? {}) as Record<
          string,
          unknown
        >,
      }));
  }
}

/** GitHub Actions' OIDC issuer, as IAM names it in condition keys. */
export const GITHUB_OIDC_ISSUER = 'token.actions.githubusercontent.com';

/**
 * `Fn::Sub` text with its `${Parameter}` / `${AWS::...}` variables filled in from `values`; plain strings pass
 * through. Anything else (another intrinsic, a variable without a value) stays unresolved and is returned as is.
 */
export function substitute(
  value: unknown,
  values: Record<string, string>,
): unknown {
  if (Array.isArray(value)) return value.map(v => substitute(v, values));
  const sub = (value as { 'Fn::Sub'?: unknown } | undefined)?.['Fn::Sub'];
  if (typeof sub !== 'string') return value;
  const variables = subVariables(sub);
  if (!variables.every(v => v in values)) return value;
  return sub
    .replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => values[name.trim()])
    .replace(/\$\{!/g, '${');
}

/**
 * One GitHub subject IAM may match: a concrete organization, a repository (a wildcard is fine) and a concrete
 * context - a GitHub environment, or a branch/tag ref whose wildcard, if any, comes after a literal prefix. Git refs
 * and repository names cannot contain ':', so a wildcard here cannot swallow a different context.
 */
const GITHUB_SUBJECT =
  /^repo:([A-Za-z0-9][A-Za-z0-9-]*)\/[^:]+:(environment:[A-Za-z0-9_.-]+|ref:refs\/(?:heads|tags)\/[^*?:]+\*?)$/;

interface TrustStatement {
  Effect?: string;
  Principal?: { Federated?: unknown };
  Action?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Why a role trust policy that federates GitHub Actions would let more than `organization`'s intended workflows in.
 * Without a `sub` condition ANY repository on GitHub could assume the role, so `aud` must equal sts.amazonaws.com
 * and every `sub` must name the organization and a concrete environment or ref. Expects Sub strings already
 * substituted (see `substitute`).
 */
export function gitHubTrustProblems(
  policy: unknown,
  organization: string,
): string[] {
  const problems: string[] = [];
  const statements = asList(
    (policy as { Statement?: unknown } | undefined)?.Statement,
  ) as TrustStatement[];
  const federated = statements.filter(
    s =>
      s.Effect === 'Allow' &&
      asList(s.Action).includes('sts:AssumeRoleWithWebIdentity'),
  );
  if (federated.length === 0) {
    problems.push('no statement allows sts:AssumeRoleWithWebIdentity');
  }
  federated.forEach((statement, index) => {
    const where = `Statement[${index}]`;
    if (statement.Principal?.Federated === undefined) {
      problems.push(`${where}: no Federated principal`);
    }
    const conditions = statement.Condition ?? {};
    const valuesOf = (operator: string, key: string) =>
      asList(conditions[operator]?.[`${GITHUB_OIDC_ISSUER}:${key}`]);
    for (const [operator, keys] of Object.entries(conditions)) {
      for (const key of Object.keys(keys)) {
        if (
          key.startsWith(`${GITHUB_OIDC_ISSUER}:`) &&
          !['StringEquals', 'StringLike'].includes(operator)
        ) {
          problems.push(
            `${where}: ${key} under ${operator}; only StringEquals/StringLike narrow it`,
          );
        }
      }
    }
    const audiences = valuesOf('StringEquals', 'aud');
    if (audiences.length !== 1 || audiences[0] !== 'sts.amazonaws.com') {
      problems.push(
        `${where}: ${GITHUB_OIDC_ISSUER}:aud must be StringEquals sts.amazonaws.com`,
      );
    }
    const subjects = [
      ...valuesOf('StringEquals', 'sub'),
      ...valuesOf('StringLike', 'sub'),
    ];
    if (subjects.length === 0) {
      problems.push(
        `${where}: no ${GITHUB_OIDC_ISSUER}:sub condition, so any GitHub repository could assume the role`,
      );
    }
    for (const subject of subjects) {
      const match =
        typeof subject === 'string' ? GITHUB_SUBJECT.exec(subject) : null;
      if (!match) {
        problems.push(
          `${where}: sub ${JSON.stringify(
            subject,
          )} does not pin an organization, a repository and an environment or ref`,
        );
      } else if (match[1] !== organization) {
        problems.push(
          `${where}: sub ${subject} trusts organization ${match[1]}, not ${organization}`,
        );
      }
    }
  });
  return problems;
}
