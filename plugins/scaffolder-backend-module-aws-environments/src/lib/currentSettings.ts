import type { Stack } from '@aws-sdk/client-cloudformation';
import { InputError } from '@backstage/errors';
import {
  TAG_COST_CENTER,
  TAG_LAYER,
  TAG_OWNER,
  TAG_SYSTEM,
} from '@internal/plugin-aws-environments-common';
import {
  type EnvironmentBlueprint,
  type EnvironmentSpec,
  stageDefaults,
} from '@internal/plugin-aws-environments-node';
import type { z } from 'zod/v3';
import { MASK, secretParameterKeys } from './secrets';

export type SettingValue = string | number | boolean;
type SettingKind = 'string' | 'number' | 'boolean';

/**
 * Fields that name the environment and where it lives. They are always part of the request (the Update template
 * takes them from the catalog entity), so they are never "kept" from the stacks.
 */
const IDENTITY_FIELDS = new Set(['name', 'stage', 'accountId', 'region']);

/**
 * `environmentTags` writes these spec fields verbatim into these tags, and the blueprint passes the tags on as
 * stack parameters (`{ tag: ... }`), so a tag-sourced parameter gives the field's current value back.
 */
const FIELD_OF_TAG: Record<string, string> = {
  [TAG_OWNER]: 'owner',
  [TAG_SYSTEM]: 'system',
  [TAG_COST_CENTER]: 'costCenter',
};

function leafKinds(
  value: unknown,
  prefix: string,
  into: Map<string, SettingKind>,
): Map<string, SettingKind> {
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child && typeof child === 'object') leafKinds(child, path, into);
    else into.set(path, typeof child as SettingKind);
  }
  return into;
}

/**
 * Every setting of an environment an update may keep or change, as dotted paths (`frontendNodes.min`) with their
 * type. Taken from the stage defaults so a field added to the spec is covered without touching this file.
 */
export const SETTING_FIELDS: ReadonlyMap<string, SettingKind> = leafKinds(
  { ...stageDefaults('dev'), vpcCidr: '' },
  '',
  new Map(),
);

/** One setting's value in the environment's stacks today. */
export interface CurrentSetting {
  value: SettingValue;
  /** The stacks whose parameters carry it. */
  stackNames: string[];
  /** Other values other stacks carry for the same field: the stacks disagree, and keeping any would be a guess. */
  disagreeing?: Array<{ value: SettingValue; stackName: string }>;
}

/** The settings an existing environment runs with, by dotted field path. Empty for a new environment. */
export type CurrentSettings = ReadonlyMap<string, CurrentSetting>;

export const NO_CURRENT_SETTINGS: CurrentSettings = new Map();

function coerce(raw: string, kind: SettingKind, where: string): SettingValue {
  if (kind === 'string') return raw;
  if (kind === 'boolean') {
    if (raw === 'true') return true;
    if (raw === 'false') return false;
  } else if (/^-?\d+(\.\d+)?$/.test(raw.trim())) {
    return Number(raw);
  }
  throw new InputError(
    `${where} is "${raw}", which is not a ${kind}; the stack was changed outside the portal`,
  );
}

function layerOfStack(stack: Stack, blueprint: EnvironmentBlueprint) {
  const tagged = stack.Tags?.find(t => t.Key === TAG_LAYER)?.Value;
  return blueprint.layers.find(layer =>
    tagged
      ? layer.name === tagged
      : stack.StackName?.endsWith(`-${layer.name}`),
  );
}

/** Stacks whose parameters say nothing about what runs: never created, or rolled back from their creation. */
const WITHOUT_SETTINGS = new Set([
  'REVIEW_IN_PROGRESS',
  'ROLLBACK_COMPLETE',
  'DELETE_COMPLETE',
  'DELETE_IN_PROGRESS',
]);

/**
 * The settings the environment's stacks run with today, read back from their Parameters through the blueprint:
 * each parameter whose source is `input: <field>` (or one of the tags the spec fills) gives that field's value,
 * coerced to the field's type. Parameters a stack does not have (an older template version) give nothing.
 * Secret parameters are skipped: CloudFormation shows them as `****`.
 *
 * Stacks that disagree on a field are recorded (`disagreeing`), not resolved: `mergeWithCurrentSettings` refuses to
 * keep such a field, since guessing which stack is right would quietly change the other.
 */
export function currentSettingsOf(
  stacks: Array<Stack | undefined>,
  blueprint: EnvironmentBlueprint,
): CurrentSettings {
  const found = new Map<string, CurrentSetting>();
  for (const stack of stacks) {
    if (!stack?.StackName || WITHOUT_SETTINGS.has(stack.StackStatus ?? '')) {
      continue;
    }
    const layer = layerOfStack(stack, blueprint);
    if (!layer) continue;
    const values = new Map(
      (stack.Parameters ?? []).map(p => [p.ParameterKey, p.ParameterValue]),
    );
    const secret = secretParameterKeys(
      layer.templateBody,
      Object.keys(layer.parameters),
    );
    for (const [parameter, source] of Object.entries(layer.parameters)) {
      let field: string | undefined;
      if ('input' in source) field = String(source.input);
      else if ('tag' in source) field = FIELD_OF_TAG[source.tag];
      const kind = field ? SETTING_FIELDS.get(field) : undefined;
      const raw = values.get(parameter);
      if (!field || !kind || raw === undefined || secret.has(parameter)) {
        continue;
      }
      if (raw === MASK) continue;
      const value = coerce(
        raw,
        kind,
        `Parameter ${parameter} of ${stack.StackName}`,
      );
      const seen = found.get(field);
      if (!seen) {
        found.set(field, { value, stackNames: [stack.StackName] });
      } else if (seen.value === value) {
        seen.stackNames.push(stack.StackName);
      } else {
        seen.disagreeing = [
          ...(seen.disagreeing ?? []),
          { value, stackName: stack.StackName },
        ];
      }
    }
  }
  return found;
}

/** Where a setting's effective value came from. */
export type SettingStatus =
  /** Left blank; the current stacks' value is kept. */
  | 'kept'
  /** Asked for, and the same as the current value. */
  | 'unchanged'
  /** Asked for, and different from the current value. */
  | 'changed'
  /** Asked for; no stack carries the field yet. */
  | 'set'
  /** Left blank and no stack carries it: the stage default. */
  | 'default';

export interface EffectiveSetting {
  field: string;
  current?: SettingValue;
  requested?: SettingValue;
  effective: SettingValue;
  status: SettingStatus;
}

function readPath(source: unknown, path: string): unknown {
  let value: unknown = source;
  for (const key of path.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function writePath(
  target: Record<string, unknown>,
  path: string,
  value: unknown,
) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function isScalar(value: unknown): value is SettingValue {
  return ['string', 'number', 'boolean'].includes(typeof value);
}

/**
 * The rule an update follows, field by field: what the request sets wins; a field the request leaves blank keeps
 * the value the current stacks run with; only a field no stack carries yet (a new environment, a new layer) takes
 * the stage default. Returns the merged request (still to be validated) and one row per setting for the log.
 *
 * `request` must already have its blanks removed (undefined, not ''). Throws `InputError` naming the stacks when a
 * blank field's stacks disagree on its current value.
 */
export function mergeWithCurrentSettings(
  request: Record<string, unknown> & { stage: EnvironmentSpec['stage'] },
  current: CurrentSettings,
): { merged: Record<string, unknown>; settings: EffectiveSetting[] } {
  const defaults = stageDefaults(request.stage);
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (IDENTITY_FIELDS.has(key)) merged[key] = value;
  }
  const settings: EffectiveSetting[] = [];
  const conflicts: string[] = [];
  for (const field of SETTING_FIELDS.keys()) {
    const requestedValue = readPath(request, field);
    const requested = isScalar(requestedValue) ? requestedValue : undefined;
    const known = current.get(field);
    const currentValue = known?.value;
    if (requested === undefined && known?.disagreeing) {
      const values = [
        `${JSON.stringify(known.value)} in ${known.stackNames.join(', ')}`,
        ...known.disagreeing.map(
          d => `${JSON.stringify(d.value)} in ${d.stackName}`,
        ),
      ];
      conflicts.push(`${field} is ${values.join(' but ')}`);
      continue;
    }
    const fallback = readPath(defaults, field);
    const effective =
      requested ?? currentValue ?? (isScalar(fallback) ? fallback : undefined);
    if (effective === undefined) continue;
    writePath(merged, field, effective);
    let status: SettingStatus;
    if (requested === undefined) {
      status = currentValue === undefined ? 'default' : 'kept';
    } else if (currentValue === undefined) {
      status = 'set';
    } else {
      status = requested === currentValue ? 'unchanged' : 'changed';
    }
    settings.push({
      field,
      ...(currentValue === undefined ? {} : { current: currentValue }),
      ...(requested === undefined ? {} : { requested }),
      effective,
      status,
    });
  }
  if (conflicts.length > 0) {
    throw new InputError(
      `The environment's stacks disagree on the current value of a field left blank, so it cannot be kept: ${conflicts.join(
        '; ',
      )}. Set the field explicitly to the value you want.`,
    );
  }
  return { merged, settings };
}

/** The settings rows with the values of secret fields replaced by the mask, for logs and outputs. */
export function maskSettings(
  settings: EffectiveSetting[],
  secretFields: ReadonlySet<string>,
): EffectiveSetting[] {
  return settings.map(row =>
    secretFields.has(row.field)
      ? {
          ...row,
          ...(row.current === undefined ? {} : { current: MASK }),
          ...(row.requested === undefined ? {} : { requested: MASK }),
          effective: MASK,
        }
      : row,
  );
}

/** Fields whose blueprint parameter is secret (NoEcho or a secret-looking name) in any layer. */
export function secretSettingFields(
  blueprint: EnvironmentBlueprint,
): Set<string> {
  const fields = new Set<string>();
  for (const layer of blueprint.layers) {
    const secret = secretParameterKeys(
      layer.templateBody,
      Object.keys(layer.parameters),
    );
    for (const [parameter, source] of Object.entries(layer.parameters)) {
      if (secret.has(parameter) && 'input' in source) {
        fields.add(String(source.input));
      }
    }
  }
  return fields;
}

function show(value: SettingValue | undefined): string {
  return value === '' ? '(none)' : String(value);
}

/** The `settings` output of the plan and deploy actions. */
export function settingsOutputSchema(zImpl: typeof z) {
  const value = zImpl.union([zImpl.string(), zImpl.number(), zImpl.boolean()]);
  return zImpl.array(
    zImpl.object({
      field: zImpl.string(),
      current: value.optional(),
      requested: value.optional(),
      effective: value,
      status: zImpl.enum(['kept', 'unchanged', 'changed', 'set', 'default']),
    }),
    {
      description:
        'Per setting (dotted for node counts): the value in the current stacks, the requested one and the one deployed; status kept (left blank, current value kept), changed, unchanged, set (no current value) or default (stage default). Secret values masked',
    },
  );
}

/** A table a reviewer reads: every setting, its effective value, and whether it was kept, changed or defaulted. */
export function formatSettings(
  environment: string,
  settings: EffectiveSetting[],
): string[] {
  const width = Math.max(...settings.map(s => s.field.length));
  const lines = settings.map(s => {
    let note: string;
    switch (s.status) {
      case 'kept':
        note = 'kept';
        break;
      case 'changed':
        note = `changed from ${show(s.current)}`;
        break;
      case 'unchanged':
        note = 'as requested, unchanged';
        break;
      case 'set':
        note = 'as requested';
        break;
      default:
        note = 'stage default';
    }
    return `  ${s.field.padEnd(width)}  ${show(s.effective)} (${note})`;
  });
  const changed = settings.filter(s => s.status === 'changed').length;
  const kept = settings.filter(s => s.status === 'kept').length;
  return [
    `Settings of ${environment}: ${changed} changed, ${kept} kept from the current stacks`,
    ...lines,
  ];
}
