/**
 * Template semantics of the simulated CloudFormation: validation, dependency analysis and intrinsic functions,
 * over templates parsed by `parseTemplate` (intrinsics in long form).
 */
import type { CfnTemplate } from '@internal/plugin-aws-environments-node';
import { isKnownResourceType } from './resourceTypes';

export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::Region',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::Partition',
  'AWS::URLSuffix',
  'AWS::NoValue',
  'AWS::NotificationARNs',
]);

/** Marker of `Ref: AWS::NoValue`: the property is dropped. */
export const NO_VALUE = Symbol('AWS::NoValue');

/** A template problem, reported by the engine as CloudFormation's `ValidationError`. */
export class TemplateError extends Error {}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names a `Fn::Sub` string refers to (`${Name}` or `${Name.Attr}`); `${!Literal}` is not a reference. */
export function subReferences(
  text: string,
): Array<{ name: string; attribute?: string }> {
  const refs: Array<{ name: string; attribute?: string }> = [];
  for (const match of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
    const inner = match[1].trim();
    if (PSEUDO_PARAMETERS.has(inner)) {
      refs.push({ name: inner });
      continue;
    }
    const dot = inner.indexOf('.');
    refs.push(
      dot === -1
        ? { name: inner }
        : { name: inner.slice(0, dot), attribute: inner.slice(dot + 1) },
    );
  }
  return refs;
}

export interface References {
  refs: Set<string>;
  getAtts: Set<string>;
  conditions: Set<string>;
}

/** Every logical name a fragment refers to through Ref, Fn::GetAtt, Fn::Sub and Condition. */
export function collectReferences(
  value: Json,
  into: References = {
    refs: new Set(),
    getAtts: new Set(),
    conditions: new Set(),
  },
): References {
  if (Array.isArray(value)) {
    value.forEach(v => collectReferences(v, into));
    return into;
  }
  if (!isObject(value)) return into;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys;
    const arg = value[key];
    if (key === 'Ref' && typeof arg === 'string') {
      into.refs.add(arg);
      return into;
    }
    if (key === 'Fn::GetAtt') {
      const target = Array.isArray(arg) ? arg[0] : String(arg).split('.')[0];
      if (typeof target === 'string') into.getAtts.add(target);
      if (Array.isArray(arg)) collectReferences(arg.slice(1), into);
      return into;
    }
    if (key === 'Fn::Sub') {
      const [text, vars] = Array.isArray(arg)
        ? [arg[0], arg[1]]
        : [arg, undefined];
      const local = new Set(isObject(vars) ? Object.keys(vars) : []);
      if (typeof text === 'string') {
        for (const ref of subReferences(text)) {
          if (local.has(ref.name)) continue;
          if (ref.attribute) into.getAtts.add(ref.name);
          else into.refs.add(ref.name);
        }
      }
      if (isObject(vars)) collectReferences(Object.values(vars), into);
      return into;
    }
    if (key === 'Condition' && typeof arg === 'string') {
      into.conditions.add(arg);
      return into;
    }
    if (key === 'Fn::If' && Array.isArray(arg) && typeof arg[0] === 'string') {
      into.conditions.add(arg[0]);
      collectReferences(arg.slice(1), into);
      return into;
    }
  }
  Object.values(value).forEach(v => collectReferences(v, into));
  return into;
}

function dependsOnList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.map(String);
  return [];
}

/** Resource -> resources it depends on (Ref, GetAtt, Sub, DependsOn), restricted to `active`. */
export function resourceDependencies(
  template: CfnTemplate,
  active: Set<string>,
): Map<string, string[]> {
  const deps = new Map<string, string[]>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!active.has(logicalId)) continue;
    const refs = collectReferences(resource.Properties ?? {});
    const names = new Set([
      ...refs.refs,
      ...refs.getAtts,
      ...dependsOnList(resource.DependsOn),
    ]);
    deps.set(
      logicalId,
      [...names].filter(n => n !== logicalId && active.has(n)),
    );
  }
  return deps;
}

/** Resources in an order where every resource follows its dependencies; throws on a cycle. */
export function topologicalOrder(deps: Map<string, string[]>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    const seen = state.get(id);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = path.slice(path.indexOf(id));
      throw new TemplateError(
        `Circular dependency between resources: [${cycle.sort().join(', ')}]`,
      );
    }
    state.set(id, 'visiting');
    for (const dep of deps.get(id) ?? []) visit(dep, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of deps.keys()) visit(id, []);
  return order;
}

/** The checks CloudFormation's ValidateTemplate makes before anything is created. */
export function validateTemplate(template: CfnTemplate): void {
  const resources = template.Resources;
  if (!isObject(resources) || Object.keys(resources).length === 0) {
    throw new TemplateError(
      'Template format error: At least one Resources member must be defined.',
    );
  }
  const unknownTypes = [
    ...new Set(
      Object.values(resources)
        .map(r => r?.Type)
        .filter(type => typeof type !== 'string' || !isKnownResourceType(type)),
    ),
  ];
  if (unknownTypes.length > 0) {
    throw new TemplateError(
      `Template format error: Unrecognized resource types: [${unknownTypes.join(
        ', ',
      )}]`,
    );
  }
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const resourceIds = new Set(Object.keys(resources));
  const conditionNames = new Set(Object.keys(template.Conditions ?? {}));

  const check = (fragment: unknown, block: string) => {
    const refs = collectReferences(fragment);
    const unresolved = [...refs.refs].filter(
      r =>
        !parameters.has(r) && !resourceIds.has(r) && !PSEUDO_PARAMETERS.has(r),
    );
    if (unresolved.length > 0) {
      throw new TemplateError(
        `Template format error: Unresolved resource dependencies [${unresolved.join(
          ', ',
        )}] in the ${block} block of the template`,
      );
    }
    const badGetAtt = [...refs.getAtts].find(r => !resourceIds.has(r));
    if (badGetAtt) {
      throw new TemplateError(
        `Template error: instance of Fn::GetAtt references undefined resource ${badGetAtt}`,
      );
    }
    const badCondition = [...refs.conditions].find(c => !conditionNames.has(c));
    if (badCondition) {
      throw new TemplateError(
        `Template error: unresolved condition dependency ${badCondition} in Fn::If`,
      );
    }
  };

  for (const [logicalId, resource] of Object.entries(resources)) {
    check(resource.Properties ?? {}, 'Resources');
    const missing = dependsOnList(resource.DependsOn).filter(
      d => !resourceIds.has(d),
    );
    if (missing.length > 0) {
      throw new TemplateError(
        `Template format error: Unresolved resource dependencies [${missing.join(
          ', ',
        )}] in the Resources block of the template`,
      );
    }
    if (resource.Condition && !conditionNames.has(resource.Condition)) {
      throw new TemplateError(
        `Template format error: Unresolved dependencies [${resource.Condition}]. Cannot reference resources in the Conditions block of the template (resource ${logicalId})`,
      );
    }
  }
  check(template.Outputs ?? {}, 'Outputs');
  check(template.Conditions ?? {}, 'Conditions');
  topologicalOrder(resourceDependencies(template, resourceIds));
}

/** Capabilities a template needs, as CloudFormation reports them. */
export function requiredCapabilities(template: CfnTemplate): string[] {
  const iam = Object.values(template.Resources).filter(r =>
    r.Type.startsWith('AWS::IAM::'),
  );
  if (iam.length === 0) return [];
  const named = iam.some(r =>
    [
      'RoleName',
      'ManagedPolicyName',
      'InstanceProfileName',
      'UserName',
      'GroupName',
    ].some(p => r.Properties?.[p] !== undefined),
  );
  return [named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM'];
}

export interface EvaluationScope {
  parameters: Record<string, string>;
  parameterTypes: Record<string, string>;
  pseudo: Record<string, string>;
  conditions: Record<string, boolean>;
  mappings: CfnTemplate['Mappings'];
  ref(logicalId: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
  importValue(name: string): unknown;
}

function parameterValue(scope: EvaluationScope, name: string): unknown {
  const value = scope.parameters[name];
  const type = scope.parameterTypes[name] ?? 'String';
  if (type.startsWith('List<') || type === 'CommaDelimitedList') {
    return value === '' ? [] : value.split(',').map(v => v.trim());
  }
  return value;
}

function resolveRef(scope: EvaluationScope, name: string): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name in scope.pseudo) return scope.pseudo[name];
  if (name in scope.parameters) return parameterValue(scope, name);
  return scope.ref(name);
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function intToIp(value: number): string {
  return [24, 16, 8, 0]
    .map(shift => Math.floor(value / 2 ** shift) % 256)
    .join('.');
}

/** Fn::Cidr: `count` blocks with `cidrBits` host bits each, carved from the start of `ipBlock`. */
export function cidrBlocks(
  ipBlock: string,
  count: number,
  cidrBits: number,
): string[] {
  const [base] = ipBlock.split('/');
  const size = 2 ** cidrBits;
  const start = ipToInt(base);
  return Array.from(
    { length: count },
    (_, i) => `${intToIp(start + i * size)}/${32 - cidrBits}`,
  );
}

/** Evaluates intrinsic functions and conditions; `NO_VALUE` removes properties and list items. */
export function evaluate(value: Json, scope: EvaluationScope): unknown {
  if (Array.isArray(value)) {
    return value.map(v => evaluate(v, scope)).filter(v => v !== NO_VALUE);
  }
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (
    keys.length === 1 &&
    (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')
  ) {
    const [fn] = keys;
    const arg = value[fn];
    switch (fn) {
      case 'Ref':
        return resolveRef(scope, String(arg));
      case 'Condition':
        return scope.conditions[String(arg)] ?? false;
      case 'Fn::GetAtt': {
        const [target, ...rest] = Array.isArray(arg)
          ? [String(arg[0]), String(evaluate(arg[1], scope))]
          : String(arg).split('.');
        return scope.getAtt(
          target,
          Array.isArray(rest) ? rest.join('.') : String(rest),
        );
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg)
          ? [String(arg[0]), arg[1]]
          : [String(arg), undefined];
        const locals = isObject(vars)
          ? Object.fromEntries(
              Object.entries(vars).map(([k, v]) => [k, evaluate(v, scope)]),
            )
          : {};
        return text.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
          if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
          const name = inner.trim();
          if (name in locals) return String(locals[name]);
          if (PSEUDO_PARAMETERS.has(name) || name in scope.parameters) {
            return String(resolveRef(scope, name));
          }
          const dot = name.indexOf('.');
          if (dot === -1) return String(scope.ref(name));
          return String(scope.getAtt(name.slice(0, dot), name.slice(dot + 1)));
        });
      }
      case 'Fn::Join': {
        const [delimiter, list] = arg as [string, Json];
        const items = evaluate(list, scope);
        return (Array.isArray(items) ? items : [items])
          .map(String)
          .join(delimiter);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [Json, Json];
        const items = evaluate(list, scope) as unknown[];
        return items[Number(evaluate(index, scope))];
      }
      case 'Fn::Split': {
        const [delimiter, text] = arg as [string, Json];
        return String(evaluate(text, scope)).split(delimiter);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = arg as [string, Json, Json];
        return evaluate(
          scope.conditions[condition] ? whenTrue : whenFalse,
          scope,
        );
      }
      case 'Fn::Equals': {
        const [a, b] = arg as [Json, Json];
        return String(evaluate(a, scope)) === String(evaluate(b, scope));
      }
      case 'Fn::And':
        return (arg as Json[]).every(c => evaluate(c, scope) === true);
      case 'Fn::Or':
        return (arg as Json[]).some(c => evaluate(c, scope) === true);
      case 'Fn::Not':
        return evaluate((arg as Json[])[0], scope) !== true;
      case 'Fn::FindInMap': {
        const [map, top, second] = (arg as Json[]).map(a =>
          String(evaluate(a, scope)),
        );
        const found = scope.mappings?.[map]?.[top]?.[second];
        if (found === undefined) {
          throw new TemplateError(
            `Template error: Unable to get mapping for ${map}::${top}::${second}`,
          );
        }
        return found;
      }
      case 'Fn::GetAZs': {
        const region = String(
          evaluate(arg, scope) || scope.pseudo['AWS::Region'],
        );
        return ['a', 'b', 'c'].map(s => `${region}${s}`);
      }
      case 'Fn::Base64':
        return Buffer.from(String(evaluate(arg, scope))).toString('base64');
      case 'Fn::Cidr': {
        const [block, count, bits] = (arg as Json[]).map(a =>
          evaluate(a, scope),
        );
        return cidrBlocks(String(block), Number(count), Number(bits));
      }
      case 'Fn::ImportValue':
        return scope.importValue(String(evaluate(arg, scope)));
      case 'Fn::ToJsonString':
        return JSON.stringify(evaluate(arg, scope));
      case 'Fn::Length': {
        const items = evaluate(arg, scope);
        return Array.isArray(items) ? items.length : 0;
      }
      default:
        throw new TemplateError(
          `Template format error: Unsupported intrinsic function ${fn}`,
        );
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const evaluated = evaluate(v, scope);
    if (evaluated !== NO_VALUE) out[key] = evaluated;
  }
  return out;
}

/** Conditions in dependency order (a condition may use another through `Condition`). */
export function evaluateConditions(
  template: CfnTemplate,
  scope: Omit<EvaluationScope, 'conditions'>,
): Record<string, boolean> {
  const conditions: Record<string, boolean> = {};
  const definitions = template.Conditions ?? {};
  const resolving = new Set<string>();
  const resolve = (name: string): boolean => {
    if (name in conditions) return conditions[name];
    if (resolving.has(name)) {
      throw new TemplateError(`Template error: circular condition ${name}`);
    }
    resolving.add(name);
    for (const dep of collectReferences(definitions[name]).conditions)
      resolve(dep);
    conditions[name] =
      evaluate(definitions[name], { ...scope, conditions }) === true;
    return conditions[name];
  };
  Object.keys(definitions).forEach(resolve);
  return conditions;
}
