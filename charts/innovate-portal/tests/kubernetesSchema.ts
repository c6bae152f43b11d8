import path from 'node:path';
import ts from 'typescript';
import type { K8sObject } from './helm';

interface KubernetesModel {
  new (data: object): { validate(): void };
  apiVersion?: string;
  kind?: string;
}

const apiVersionPattern =
  /^([a-z0-9]+(\.[a-z0-9-]+)*\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;

/**
 * The kubernetes-models class of an apiVersion and kind: `apps/v1` + `Deployment` is `kubernetes-models/apps/v1`'s
 * `Deployment`. Throws for anything kubernetes-models does not know (a custom resource, an API version it lacks, a typo), so
 * such an object fails the test instead of going unchecked.
 */
export function kubernetesModelFor(
  apiVersion: string,
  kind: string,
): KubernetesModel {
  const unknown = (why: string) =>
    new Error(
      `No Kubernetes schema for ${kind} of apiVersion ${apiVersion}: ${why}`,
    );
  if (!apiVersionPattern.test(apiVersion)) throw unknown('not an apiVersion');
  let models: Record<string, unknown>;
  try {
    models = require(`kubernetes-models/${apiVersion}`);
  } catch {
    throw unknown('kubernetes-models has no such API group/version');
  }
  const model = models[kind] as KubernetesModel | undefined;
  // The modules also export nested types (PodSpec, ...); only top-level kinds carry their own apiVersion and kind.
  if (
    typeof model !== 'function' ||
    model.kind !== kind ||
    model.apiVersion !== apiVersion
  ) {
    throw unknown('kubernetes-models has no such kind');
  }
  return model;
}

/** Validates an object against the OpenAPI schema of its kind; the error names the object and each violation. */
export function validateAgainstKubernetesSchema(object: K8sObject): void {
  const Model = kubernetesModelFor(object.apiVersion, object.kind);
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(
      `${object.kind} ${
        object.metadata?.name
      } does not match the Kubernetes schema: ${(error as Error).message}`,
    );
  }
}

/**
 * Fields of the objects that their kind's schema does not have, e.g. a misspelt `readinesProbe`. The OpenAPI schemas
 * (and so `validate()`) allow unknown fields and the API server drops them with at most a warning, so a typo in a
 * template would silently lose a setting. The field lists come from kubernetes-models' type declarations, read with
 * the TypeScript compiler.
 */
export function findUnknownFields(objects: K8sObject[]): string[] {
  const kinds = [...new Set(objects.map(o => `${o.apiVersion}/${o.kind}`))];
  for (const object of objects)
    kubernetesModelFor(object.apiVersion, object.kind);
  const entry = path.join(__dirname, '__kubernetes-kinds__.ts');
  // A virtual module declaring one value of each kind's interface, e.g. IDeployment from kubernetes-models/apps/v1.
  const source = kinds
    .map((kind, i) => {
      const name = kind.slice(kind.lastIndexOf('/') + 1);
      return `import type { I${name} as Kind${i} } from 'kubernetes-models/${kind}';
export declare const kind${i}: Kind${i};`;
    })
    .join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = file => (file === entry ? source : readFile(file));
  host.fileExists = file => file === entry || ts.sys.fileExists(file);
  host.getSourceFile = (file, language, ...rest) =>
    file === entry
      ? ts.createSourceFile(file, source, language)
      : getSourceFile(file, language, ...rest);
  const program = ts.createProgram([entry], options, host);
  const checker = program.getTypeChecker();
  const entryFile = program.getSourceFile(entry)!;
  const problems = ts.getPreEmitDiagnostics(program, entryFile);
  if (problems.length > 0) {
    throw new Error(
      `Could not read kubernetes-models' declarations: ${ts.flattenDiagnosticMessageText(
        problems[0].messageText,
        '\n',
      )}`,
    );
  }
  const kindTypes = new Map<string, ts.Type>();
  const moduleSymbol = checker.getSymbolAtLocation(entryFile)!;
  for (const [i, kind] of kinds.entries()) {
    const declared = checker
      .getExportsOfModule(moduleSymbol)
      .find(s => s.name === `kind${i}`)!;
    kindTypes.set(kind, checker.getTypeOfSymbolAtLocation(declared, entryFile));
  }

  const unknown: string[] = [];
  const walk = (value: unknown, type: ts.Type, at: string) => {
    if (value === null || typeof value !== 'object') return;
    const candidates = (type.isUnion() ? type.types : [type]).map(t =>
      checker.getNonNullableType(t),
    );
    if (Array.isArray(value)) {
      const arrayType = candidates.find(t => checker.isArrayType(t));
      if (arrayType) {
        const [item] = checker.getTypeArguments(arrayType as ts.TypeReference);
        value.forEach((element, i) => walk(element, item, `${at}[${i}]`));
      }
      return;
    }
    const objectType = candidates.find(
      t => t.flags & ts.TypeFlags.Object && !checker.isArrayType(t),
    );
    if (!objectType) return;
    const indexType = objectType.getStringIndexType();
    for (const [key, child] of Object.entries(value)) {
      const property = objectType.getProperty(key);
      const field = at ? `${at}.${key}` : key;
      if (property)
        walk(
          child,
          checker.getTypeOfSymbolAtLocation(property, entryFile),
          field,
        );
      else if (indexType)
        walk(child, indexType, `${at}[${JSON.stringify(key)}]`);
      else unknown.push(field);
    }
  };
  for (const object of objects) {
    const before = unknown.length;
    walk(object, kindTypes.get(`${object.apiVersion}/${object.kind}`)!, '');
    for (let i = before; i < unknown.length; i++) {
      unknown[
        i
      ] = `${object.kind} ${object.metadata?.name}: ${unknown[i]} is not a field of ${object.apiVersion} ${object.kind}`;
    }
  }
  return unknown;
}
