import { promises as fs } from 'fs';
import { resolve as resolvePath, relative, isAbsolute } from 'path';
import { InputError } from '@backstage/errors';
import {
  stackNameFor,
  TAG_APPLICATION,
  TAG_COST_CENTER,
  TAG_ENVIRONMENT,
  TAG_LAYER,
  TAG_OWNER,
  TAG_STAGE,
  TAG_SYSTEM,
  TAG_TEMPLATE,
  TAG_TEMPLATE_VERSION,
} from '@internal/plugin-aws-environments-common';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseTemplate } from './cfnYaml';
import type {
  BlueprintLayer,
  EnvironmentBlueprint,
  EnvironmentSpec,
  ParameterSource,
  PlannedStack,
} from './types';

/** File name of a blueprint inside its directory. */
export const BLUEPRINT_FILE = 'blueprint.yaml';

const LAYER_NAME = /^[a-z][a-z0-9-]*$/;
const OUTPUT_REF = /^([a-z][a-z0-9-]*)\.([A-Za-z0-9]+)$/;

const parameterSourceSchema = z.union([
  z.strictObject({ input: z.string().min(1) }),
  z
    .strictObject({ output: z.string() })
    .refine(s => OUTPUT_REF.test(s.output), {
      message: "output references are written '<layer>.<OutputName>'",
    }),
  z.strictObject({ tag: z.string().min(1) }),
  z.strictObject({ value: z.union([z.string(), z.number(), z.boolean()]) }),
]);

const blueprintSchema = z.strictObject({
  name: z.string().regex(LAYER_NAME),
  version: z
    .string()
    .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'version must be semver'),
  description: z.string().optional(),
  layers: z
    .array(
      z.strictObject({
        name: z
          .string()
          .regex(LAYER_NAME, 'layer names are lower-case DNS labels'),
        template: z.string().min(1),
        dependsOn: z.array(z.string()).default([]),
        parameters: z.record(z.string(), parameterSourceSchema).default({}),
        capabilities: z
          .array(
            z.enum([
              'CAPABILITY_IAM',
              'CAPABILITY_NAMED_IAM',
              'CAPABILITY_AUTO_EXPAND',
            ]),
          )
          .optional(),
      }),
    )
    .min(1),
});

function describeZodError(error: z.ZodError): string {
  return error.issues
    .map(issue => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Orders layers so every layer comes after the ones it depends on; declaration order breaks ties. */
function topologicalOrder(
  layers: Array<{ name: string; dependsOn: string[] }>,
  source: string,
): string[] {
  const remaining = new Map(layers.map(l => [l.name, new Set(l.dependsOn)]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.entries()].find(([, deps]) => deps.size === 0);
    if (!ready) {
      throw new InputError(
        `${source}: layers depend on each other in a cycle: ${[
          ...remaining.keys(),
        ].join(', ')}`,
      );
    }
    const [name] = ready;
    order.push(name);
    remaining.delete(name);
    for (const deps of remaining.values()) deps.delete(name);
  }
  return order;
}

/**
 * Reads and validates `blueprint.yaml` in `dir` and the layer templates it names. Every problem a platform
 * engineer could make (unknown layer in dependsOn, dependency cycle, missing template, output of a layer that is
 * not a dependency, parameter or output the template does not declare) is an `InputError` naming the layer.
 */
export async function loadBlueprint(
  dir: string,
): Promise<EnvironmentBlueprint> {
  const root = resolvePath(dir);
  const file = resolvePath(root, BLUEPRINT_FILE);
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch {
    throw new InputError(`No ${BLUEPRINT_FILE} in ${root}`);
  }
  let document: unknown;
  try {
    document = parseYaml(raw);
  } catch (e) {
    throw new InputError(`${file} is not valid YAML: ${(e as Error).message}`);
  }
  const parsed = blueprintSchema.safeParse(document);
  if (!parsed.success) {
    throw new InputError(
      `${file} is not a valid blueprint: ${describeZodError(parsed.error)}`,
    );
  }
  const spec = parsed.data;

  const names = new Set<string>();
  for (const layer of spec.layers) {
    if (names.has(layer.name)) {
      throw new InputError(`${file}: layer ${layer.name} is declared twice`);
    }
    names.add(layer.name);
  }
  for (const layer of spec.layers) {
    for (const dep of layer.dependsOn) {
      if (!names.has(dep)) {
        throw new InputError(
          `${file}: layer ${layer.name} depends on unknown layer ${dep}`,
        );
      }
    }
  }
  const order = topologicalOrder(spec.layers, file);

  const layers = new Map<string, BlueprintLayer>();
  for (const layer of spec.layers) {
    const templatePath = resolvePath(root, layer.template);
    const rel = relative(root, templatePath);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new InputError(
        `${file}: template of layer ${layer.name} must sit inside the blueprint directory`,
      );
    }
    let templateBody: string;
    try {
      templateBody = await fs.readFile(templatePath, 'utf8');
    } catch {
      throw new InputError(
        `${file}: template ${layer.template} of layer ${layer.name} does not exist`,
      );
    }
    const template = parseTemplate(templateBody, layer.template);
    const declared = template.Parameters ?? {};
    for (const parameter of Object.keys(layer.parameters)) {
      if (!declared[parameter]) {
        throw new InputError(
          `${file}: layer ${layer.name} sets parameter ${parameter} that ${layer.template} does not declare`,
        );
      }
    }
    for (const [parameter, definition] of Object.entries(declared)) {
      if (definition.Default === undefined && !layer.parameters[parameter]) {
        throw new InputError(
          `${file}: layer ${layer.name} gives no value for ${parameter}, which ${layer.template} requires`,
        );
      }
    }
    layers.set(layer.name, {
      name: layer.name,
      template: layer.template,
      templateBody,
      outputs: Object.keys(template.Outputs ?? {}),
      dependsOn: layer.dependsOn,
      parameters: layer.parameters as Record<string, ParameterSource>,
      capabilities: layer.capabilities,
    });
  }

  for (const layer of layers.values()) {
    for (const [parameter, source] of Object.entries(layer.parameters)) {
      if (!('output' in source)) continue;
      const [, producer, output] = OUTPUT_REF.exec(source.output)!;
      if (!layer.dependsOn.includes(producer)) {
        throw new InputError(
          `${file}: parameter ${parameter} of layer ${layer.name} uses ${source.output}, but ${layer.name} does not depend on ${producer}`,
        );
      }
      if (!layers.get(producer)!.outputs.includes(output)) {
        throw new InputError(
          `${file}: parameter ${parameter} of layer ${layer.name} uses ${source.output}, which layer ${producer} does not output`,
        );
      }
    }
  }

  return {
    name: spec.name,
    version: spec.version,
    description: spec.description,
    dir: root,
    layers: order.map(name => layers.get(name)!),
  };
}

/** Last path segment of an entity ref: `system:default/innovate-web` -> `innovate-web`. */
function entityName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1).replace(/^[a-z]+:/i, '');
}

/**
 * The tags every stack of the environment carries (CloudFormation propagates stack tags to the resources that
 * support them; the templates also set them explicitly through parameters). `innovate:environment` is the
 * cost-allocation tag. Owner and system are full entity refs, so discovery can rebuild catalog relations.
 */
export function environmentTags(
  blueprint: Pick<EnvironmentBlueprint, 'name' | 'version'>,
  spec: Pick<
    EnvironmentSpec,
    'name' | 'stage' | 'owner' | 'system' | 'costCenter'
  >,
): Array<{ Key: string; Value: string }> {
  return [
    { Key: TAG_ENVIRONMENT, Value: spec.name },
    { Key: TAG_STAGE, Value: spec.stage },
    { Key: TAG_APPLICATION, Value: entityName(spec.system) },
    { Key: TAG_OWNER, Value: spec.owner },
    { Key: TAG_COST_CENTER, Value: spec.costCenter },
    { Key: TAG_SYSTEM, Value: spec.system },
    { Key: TAG_TEMPLATE, Value: blueprint.name },
    { Key: TAG_TEMPLATE_VERSION, Value: blueprint.version },
  ];
}

/** The tags of one layer's stack: the environment's tags plus `innovate:layer`. */
export function stackTags(
  blueprint: Pick<EnvironmentBlueprint, 'name' | 'version'>,
  spec: Pick<
    EnvironmentSpec,
    'name' | 'stage' | 'owner' | 'system' | 'costCenter'
  >,
  layer: string,
): Array<{ Key: string; Value: string }> {
  return [
    ...environmentTags(blueprint, spec),
    { Key: TAG_LAYER, Value: layer },
  ];
}

/**
 * The stacks of one environment in deployment order (dependencies first). Parameters taken from tags are
 * resolved here; inputs and outputs are resolved by `resolveParameters` once the producing stacks exist.
 */
export function planEnvironment(
  blueprint: EnvironmentBlueprint,
  spec: EnvironmentSpec,
): PlannedStack[] {
  const tags = new Map(
    environmentTags(blueprint, spec).map(t => [t.Key, t.Value]),
  );
  return blueprint.layers.map(layer => {
    const parameterSources: Record<string, ParameterSource> = {};
    for (const [parameter, source] of Object.entries(layer.parameters)) {
      if ('tag' in source) {
        const value = tags.get(source.tag);
        if (value === undefined) {
          throw new InputError(
            `Parameter ${parameter} of layer ${layer.name} uses unknown tag ${source.tag}`,
          );
        }
        parameterSources[parameter] = { value };
      } else {
        parameterSources[parameter] = source;
      }
    }
    return {
      layer: layer.name,
      stackName: stackNameFor(spec.name, layer.name),
      templateBody: layer.templateBody,
      dependsOn: [...layer.dependsOn],
      capabilities: [...(layer.capabilities ?? [])],
      parameterSources,
    };
  });
}

function toParameterValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'string') {
    return String(value);
  }
  if (Array.isArray(value)) return value.map(v => String(v)).join(',');
  return undefined;
}

/** Reads `frontendNodes.min`-style paths from the spec. */
function readInput(spec: EnvironmentSpec, path: string): unknown {
  let current: unknown = spec;
  for (const key of path.split('.')) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * CloudFormation parameters of one planned stack: inputs from the spec (booleans as 'true'/'false', numbers as
 * strings, lists comma-joined), outputs of the stacks it depends on, and literals.
 */
export function resolveParameters(
  planned: PlannedStack,
  spec: EnvironmentSpec,
  outputsByLayer: Record<string, Record<string, string>>,
): Array<{ ParameterKey: string; ParameterValue: string }> {
  return Object.entries(planned.parameterSources).map(
    ([ParameterKey, source]) => {
      let value: string | undefined;
      if ('value' in source) {
        value = toParameterValue(source.value);
      } else if ('input' in source) {
        value = toParameterValue(readInput(spec, String(source.input)));
        if (value === undefined) {
          throw new InputError(
            `Parameter ${ParameterKey} of ${
              planned.stackName
            } needs environment field ${String(
              source.input,
            )}, which is missing or not a scalar`,
          );
        }
      } else if ('output' in source) {
        const [producer, output] = source.output.split('.', 2);
        value = outputsByLayer[producer]?.[output];
        if (value === undefined) {
          throw new InputError(
            `Parameter ${ParameterKey} of ${planned.stackName} needs output ${output} of layer ${producer}, which is not available yet`,
          );
        }
      } else {
        throw new InputError(
          `Parameter ${ParameterKey} of ${planned.stackName} has an unresolved source; plan it with planEnvironment`,
        );
      }
      return { ParameterKey, ParameterValue: value ?? '' };
    },
  );
}
