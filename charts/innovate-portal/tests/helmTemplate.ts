/**
 * Renders this chart's templates the way `helm template` does, for the subset of Go templates and Sprig the chart
 * uses: actions with whitespace trimming, comments, `define`/`include`, `if`/`else`, `range` (lists and maps, with
 * `$key, $value :=`), `with`, pipelines, parenthesised arguments, `.Values`/`.Release`/`.Chart`/`.Files.Get`, `$`,
 * and the functions in FUNCTIONS below. Anything else throws, so a template that strays outside the subset fails
 * the chart test instead of rendering wrongly. No helm binary is available where the tests run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';

type Value = unknown;
interface Scope {
  dot: Value;
  root: Value;
  vars: Record<string, Value>;
}
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; pipe: string }
  | {
      kind: 'if';
      branches: Array<{ pipe: string; body: Node[] }>;
      otherwise: Node[];
    }
  | { kind: 'with'; pipe: string; body: Node[]; otherwise: Node[] }
  | {
      kind: 'range';
      pipe: string;
      keyVar?: string;
      valueVar?: string;
      body: Node[];
    };

export class TemplateError extends Error {}

function tokenizeActions(
  source: string,
): Array<{ text: string } | { action: string }> {
  const parts: Array<{ text: string } | { action: string }> = [];
  let position = 0;
  while (position < source.length) {
    const open = source.indexOf('{{', position);
    if (open < 0) {
      parts.push({ text: source.slice(position) });
      break;
    }
    let text = source.slice(position, open);
    let inner = '';
    let close = open + 2;
    // Find the closing braces outside string literals.
    let quote: string | undefined;
    for (; close < source.length; close++) {
      const c = source[close];
      if (quote) {
        if (c === '\\') close++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === '`') quote = c;
      else if (source.startsWith('}}', close)) break;
    }
    if (close >= source.length) throw new TemplateError('Unclosed action');
    inner = source.slice(open + 2, close);
    let end = close + 2;
    if (/^-\s/.test(inner)) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    if (/\s-$/.test(inner)) {
      inner = inner.slice(0, -1);
      const rest = source.slice(end);
      end += rest.length - rest.replace(/^\s+/, '').length;
    }
    if (text) parts.push({ text });
    parts.push({ action: inner.trim() });
    position = end;
  }
  return parts;
}

function parseTemplate(source: string, defines: Map<string, Node[]>): Node[] {
  const parts = tokenizeActions(source);
  let index = 0;
  function block(terminators: string[]): { nodes: Node[]; ended: string } {
    const nodes: Node[] = [];
    while (index < parts.length) {
      const part = parts[index++];
      if ('text' in part) {
        nodes.push({ kind: 'text', text: part.text });
        continue;
      }
      const action = part.action;
      if (action.startsWith('/*')) continue;
      const [keyword] = action.split(/\s+/, 1);
      if (terminators.includes(keyword)) {
        return { nodes, ended: action };
      }
      if (keyword === 'define') {
        const name = JSON.parse(action.slice('define'.length).trim());
        defines.set(name, block(['end']).nodes);
      } else if (keyword === 'if') {
        const branches = [{ pipe: action.slice(2).trim(), body: [] as Node[] }];
        let otherwise: Node[] = [];
        for (;;) {
          const { nodes: body, ended } = block(['else', 'end']);
          branches[branches.length - 1].body = body;
          if (ended === 'end') break;
          const rest = ended.slice('else'.length).trim();
          if (rest.startsWith('if ')) {
            branches.push({ pipe: rest.slice(3).trim(), body: [] });
          } else {
            otherwise = block(['end']).nodes;
            break;
          }
        }
        nodes.push({ kind: 'if', branches, otherwise });
      } else if (keyword === 'with') {
        const { nodes: body, ended } = block(['else', 'end']);
        const otherwise = ended === 'end' ? [] : block(['end']).nodes;
        nodes.push({
          kind: 'with',
          pipe: action.slice(4).trim(),
          body,
          otherwise,
        });
      } else if (keyword === 'range') {
        const spec = action.slice(5).trim();
        const declared = spec.match(/^(\$\w+)\s*(?:,\s*(\$\w+))?\s*:=\s*(.+)$/);
        const body = block(['end']).nodes;
        nodes.push(
          declared
            ? {
                kind: 'range',
                pipe: declared[3],
                keyVar: declared[2] ? declared[1] : undefined,
                valueVar: declared[2] ?? declared[1],
                body,
              }
            : { kind: 'range', pipe: spec, body },
        );
      } else if (['end', 'else', 'template', 'block'].includes(keyword)) {
        throw new TemplateError(
          `Unexpected or unsupported action {{ ${action} }}`,
        );
      } else {
        nodes.push({ kind: 'output', pipe: action });
      }
    }
    if (terminators.length > 0) throw new TemplateError(`Missing {{ end }}`);
    return { nodes, ended: '' };
  }
  return block([]).nodes;
}

/** Splits a pipeline or command on a separator outside strings and parentheses. */
function splitTopLevel(source: string, separator: RegExp): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      current += c;
      if (c === '\\') current += source[++i];
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === '`') quote = c;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth === 0 && separator.test(c)) {
      if (current.trim()) pieces.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}

export function isTruthy(value: Value): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function toText(value: Value): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function lookup(base: Value, fields: string[]): Value {
  let value = base;
  for (const field of fields) {
    if (value === undefined || value === null) return undefined;
    value = (value as Record<string, Value>)[field];
  }
  return value;
}

export interface ChartContext {
  Values: Record<string, Value>;
  Release: { Name: string; Namespace: string; Service: string };
  Chart: { Name: string; Version: string; AppVersion: string };
  Files: { Get(file: string): string };
}

export class ChartRenderer {
  private readonly defines = new Map<string, Node[]>();
  private readonly templates = new Map<string, Node[]>();
  readonly chart: ChartContext['Chart'];
  readonly defaultValues: Record<string, Value>;

  constructor(private readonly chartDir: string) {
    const chartYaml = parse(
      fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8'),
    );
    this.chart = {
      Name: chartYaml.name,
      Version: chartYaml.version,
      AppVersion: chartYaml.appVersion,
    };
    this.defaultValues = parse(
      fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'),
    );
    const dir = path.join(chartDir, 'templates');
    for (const file of fs.readdirSync(dir).sort()) {
      const nodes = parseTemplate(
        fs.readFileSync(path.join(dir, file), 'utf8'),
        this.defines,
      );
      if (!file.startsWith('_') && /\.ya?ml$/.test(file))
        this.templates.set(file, nodes);
    }
  }

  /** Renders every manifest with the chart's values.yaml deep-merged with `overrides` (as `--set`/`-f` do). */
  render(
    overrides: Record<string, Value> = {},
    release: { name?: string; namespace?: string } = {},
  ): Map<string, string> {
    const context: ChartContext = {
      Values: deepMerge(this.defaultValues, overrides) as Record<string, Value>,
      Release: {
        Name: release.name ?? 'innovate-portal',
        Namespace: release.namespace ?? 'default',
        Service: 'Helm',
      },
      Chart: this.chart,
      Files: {
        Get: (file: string) =>
          fs.readFileSync(path.join(this.chartDir, file), 'utf8'),
      },
    };
    const output = new Map<string, string>();
    for (const [file, nodes] of this.templates) {
      output.set(
        file,
        this.run(nodes, { dot: context, root: context, vars: {} }),
      );
    }
    return output;
  }

  private run(nodes: Node[], scope: Scope): string {
    let out = '';
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          out += node.text;
          break;
        case 'output':
          out += toText(this.pipeline(node.pipe, scope));
          break;
        case 'if': {
          const branch = node.branches.find(b =>
            isTruthy(this.pipeline(b.pipe, scope)),
          );
          out += this.run(branch ? branch.body : node.otherwise, scope);
          break;
        }
        case 'with': {
          const value = this.pipeline(node.pipe, scope);
          out += isTruthy(value)
            ? this.run(node.body, { ...scope, dot: value })
            : this.run(node.otherwise, scope);
          break;
        }
        case 'range': {
          const value = this.pipeline(node.pipe, scope);
          const entries: Array<[Value, Value]> = Array.isArray(value)
            ? value.map((v, i) => [i, v])
            : value && typeof value === 'object'
            ? Object.keys(value)
                .sort()
                .map(k => [k, (value as Record<string, Value>)[k]])
            : [];
          for (const [key, item] of entries) {
            const vars = { ...scope.vars };
            if (node.keyVar) vars[node.keyVar] = key;
            if (node.valueVar) vars[node.valueVar] = item;
            out += this.run(node.body, { ...scope, dot: item, vars });
          }
          break;
        }
        default:
          throw new TemplateError('Unknown node');
      }
    }
    return out;
  }

  private pipeline(source: string, scope: Scope): Value {
    let piped: { value: Value } | undefined;
    for (const command of splitTopLevel(source, /\|/)) {
      piped = { value: this.command(command, scope, piped) };
    }
    return piped?.value;
  }

  private command(
    source: string,
    scope: Scope,
    piped?: { value: Value },
  ): Value {
    const [head, ...rest] = splitTopLevel(source, /\s/);
    const args = rest.map(a => this.operand(a, scope));
    if (piped) args.push(piped.value);
    if (
      /^[a-zA-Z]\w*$/.test(head) &&
      !['true', 'false', 'nil'].includes(head)
    ) {
      if (head === 'include') {
        const [name, dot] = args as [string, Value];
        const nodes = this.defines.get(name);
        if (!nodes) throw new TemplateError(`No template named "${name}"`);
        return this.run(nodes, { dot, root: scope.root, vars: {} });
      }
      const fn = FUNCTIONS[head];
      if (!fn) throw new TemplateError(`Unsupported function "${head}"`);
      return fn(...args);
    }
    const value = this.operand(head, scope);
    if (typeof value === 'function') return value(...args);
    if (args.length > 0) throw new TemplateError(`"${head}" is not a function`);
    return value;
  }

  private operand(token: string, scope: Scope): Value {
    if (token.startsWith('(') && token.endsWith(')')) {
      return this.pipeline(token.slice(1, -1), scope);
    }
    if (token.startsWith('"')) return JSON.parse(token);
    if (token.startsWith('`')) return token.slice(1, -1);
    if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'nil') return undefined;
    if (token === '.') return scope.dot;
    if (token.startsWith('.')) {
      const fields = token.slice(1).split('.');
      const value = lookup(scope.dot, fields);
      // Methods (.Files.Get) keep their receiver.
      if (typeof value === 'function')
        return value.bind(lookup(scope.dot, fields.slice(0, -1)));
      return value;
    }
    if (token.startsWith('$')) {
      const [name, ...fields] = token.split('.');
      const base = name === '$' ? scope.root : scope.vars[name];
      if (name !== '$' && !(name in scope.vars)) {
        throw new TemplateError(`Undefined variable ${name}`);
      }
      return lookup(base, fields);
    }
    throw new TemplateError(`Unsupported operand "${token}"`);
  }
}

function indentLines(spaces: number, text: string): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map(line => pad + line)
    .join('\n');
}

const FUNCTIONS: Record<string, (...args: any[]) => Value> = {
  default: (fallback: Value, value?: Value) =>
    isTruthy(value) ? value : fallback,
  quote: (value: Value) => JSON.stringify(toText(value)),
  toYaml: (value: Value) =>
    value === undefined || value === null
      ? 'null'
      : stringify(value).replace(/\n$/, ''),
  indent: (spaces: number, text: string) => indentLines(spaces, toText(text)),
  nindent: (spaces: number, text: string) =>
    `\n${indentLines(spaces, toText(text))}`,
  sha256sum: (text: string) =>
    crypto.createHash('sha256').update(toText(text)).digest('hex'),
  trunc: (length: number, text: string) => toText(text).slice(0, length),
  trimSuffix: (suffix: string, text: string) =>
    toText(text).endsWith(suffix)
      ? toText(text).slice(0, -suffix.length)
      : toText(text),
  trimPrefix: (prefix: string, text: string) =>
    toText(text).startsWith(prefix)
      ? toText(text).slice(prefix.length)
      : toText(text),
  contains: (needle: string, text: string) => toText(text).includes(needle),
  printf: (format: string, ...args: Value[]) => {
    let i = 0;
    return format.replace(/%[sdv]/g, () => toText(args[i++]));
  },
  not: (value: Value) => !isTruthy(value),
};

function deepMerge(base: Value, override: Value): Value {
  if (
    base &&
    override &&
    typeof base === 'object' &&
    typeof override === 'object' &&
    !Array.isArray(base) &&
    !Array.isArray(override)
  ) {
    const merged: Record<string, Value> = {
      ...(base as Record<string, Value>),
    };
    for (const [key, value] of Object.entries(
      override as Record<string, Value>,
    )) {
      merged[key] = deepMerge(merged[key], value);
    }
    return merged;
  }
  return override === undefined ? base : override;
}
