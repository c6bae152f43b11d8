import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

/** What checkChart could verify about a chart without a Helm binary. */
export interface ChartReport {
  /** Problems found; empty when the chart passed every check. */
  problems: string[];
  /** `kind` of every object the templates declare (with every optional block switched on). */
  kinds: string[];
  values: Record<string, unknown>;
  /** Each template after its Go-template actions were stubbed, parsed. */
  objects: Array<Record<string, any>>;
}

const CONTROL_OPEN = /\{\{-?\s*(if|range|with|define|block)\b/g;
const CONTROL_END = /\{\{-?\s*end\s*-?\}\}/g;

function hasPath(values: unknown, keys: string[]): boolean {
  let current = values;
  for (const key of keys) {
    if (!current || typeof current !== 'object' || !(key in current)) {
      return false;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return true;
}

/**
 * Static checks of a Helm chart, for want of `helm template`: every `.Values.x.y` a template reads is declared in
 * values.yaml; control blocks are balanced; every `include`d helper is defined; and each template is valid
 * YAML describing Kubernetes objects once its Go-template actions are stubbed (whole-line actions dropped,
 * inline ones replaced by a placeholder). It cannot catch type errors or indentation produced by nindent.
 */
export function checkChart(chartDir: string): ChartReport {
  const problems: string[] = [];
  const chart = yaml.parse(
    fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8'),
  );
  if (chart?.apiVersion !== 'v2' || !chart?.name || !chart?.version) {
    problems.push('Chart.yaml needs apiVersion v2, name and version');
  }
  const values =
    yaml.parse(fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8')) ??
    {};
  const templatesDir = path.join(chartDir, 'templates');
  const files = fs.readdirSync(templatesDir).sort();
  const sources = new Map(
    files.map(file => [
      file,
      fs.readFileSync(path.join(templatesDir, file), 'utf8'),
    ]),
  );

  const defined = new Set<string>();
  for (const source of sources.values()) {
    for (const match of source.matchAll(/\{\{-?\s*define\s+"([^"]+)"/g)) {
      defined.add(match[1]);
    }
  }

  const kinds: string[] = [];
  const objects: Array<Record<string, any>> = [];
  for (const [file, source] of sources) {
    for (const match of source.matchAll(
      /\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g,
    )) {
      const keys = match[1].slice(1).split('.');
      if (!hasPath(values, keys)) {
        problems.push(
          `${file}: .Values.${keys.join('.')} is not declared in values.yaml`,
        );
      }
    }
    for (const match of source.matchAll(/\binclude\s+"([^"]+)"/g)) {
      if (!defined.has(match[1])) {
        problems.push(`${file}: includes undefined template "${match[1]}"`);
      }
    }
    const opened = [...source.matchAll(CONTROL_OPEN)].length;
    const ended = [...source.matchAll(CONTROL_END)].length;
    if (opened !== ended) {
      problems.push(
        `${file}: ${opened} if/range/with/define blocks but ${ended} end`,
      );
    }
    if (!file.endsWith('.yaml')) {
      continue;
    }
    const stubbed = source
      .split('\n')
      .filter(line => !/^\s*\{\{.*\}\}\s*$/.test(line))
      .map(line => line.replace(/\{\{.*?\}\}/g, 'stub'))
      .join('\n');
    const documents = yaml.parseAllDocuments(stubbed);
    for (const document of documents) {
      if (document.errors.length > 0) {
        problems.push(
          `${file}: not valid YAML once stubbed: ${document.errors[0].message}`,
        );
        continue;
      }
      const object = document.toJS();
      if (!object) {
        continue;
      }
      if (!object.apiVersion || !object.kind || !object.metadata?.name) {
        problems.push(
          `${file}: an object without apiVersion, kind or metadata.name`,
        );
        continue;
      }
      kinds.push(object.kind);
      objects.push(object);
    }
  }
  return { problems, kinds: kinds.sort(), values, objects };
}
