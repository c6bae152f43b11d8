import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';

const execFileAsync = promisify(execFile);

export const chartDir = path.resolve(__dirname, '..');
export const repoRoot = path.resolve(chartDir, '../..');

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: any;
  data?: Record<string, string>;
}

/** A failed helm command; the message carries helm's own error, which is what an operator would read. */
export class HelmCommandError extends Error {
  constructor(args: string[], readonly output: string) {
    super(`helm ${args.join(' ')} failed:\n${output}`);
    this.name = 'HelmCommandError';
  }
}

/** `helm upgrade --install <release> <chart> [flags]` of the chart README's "Install" section, as helm arguments. */
export interface InstallCommand {
  release: string;
  chart: string;
  namespace: string;
  valueArgs: string[];
}

/**
 * Reads the install command operators copy from the chart README, so the test renders exactly what it documents.
 * Throws on flags it does not know, rather than rendering something else than the README says.
 */
export function readmeInstallCommand(): InstallCommand {
  const readme = fs.readFileSync(path.join(chartDir, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Install'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block)
    throw new Error('The chart README has no ```sh block under "## Install"');
  const command = block.replace(/\\\n/g, ' ').trim();
  if (/["'$`]/.test(command)) {
    throw new Error(
      `The README install command uses shell quoting or expansion, which this test does not interpret: ${command}`,
    );
  }
  const [helm, upgrade, ...rest] = command.split(/\s+/);
  if (helm !== 'helm' || upgrade !== 'upgrade') {
    throw new Error(
      `The README install command is not "helm upgrade": ${command}`,
    );
  }
  const positional: string[] = [];
  const valueArgs: string[] = [];
  let namespace = 'default';
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i];
    if (token === '--install' || token === '--create-namespace') continue;
    if (token === '--namespace' || token === '-n') {
      namespace = rest[++i];
    } else if (['--set', '--set-string', '--set-json'].includes(token)) {
      valueArgs.push(token, rest[++i]);
    } else if (token === '-f' || token === '--values') {
      valueArgs.push(token, path.resolve(repoRoot, rest[++i]));
    } else if (token.startsWith('-')) {
      throw new Error(
        `The README install command uses ${token}, which this test does not interpret`,
      );
    } else {
      positional.push(token);
    }
  }
  if (positional.length !== 2) {
    throw new Error(
      `Expected "<release> <chart>" in the README install command: ${command}`,
    );
  }
  return {
    release: positional[0],
    chart: path.resolve(repoRoot, positional[1]),
    namespace,
    valueArgs,
  };
}

export interface RenderOptions {
  /** Start from the README's install command (its release, namespace and --set values); otherwise the chart defaults. */
  readme?: boolean;
  /** Values layered over values.yaml with -f (the README's --set flags still win, as in helm). */
  values?: Record<string, unknown>;
  /** Further helm flags, e.g. --kube-version. */
  args?: string[];
}

/** The real helm binary (unpacked by scripts/helm.sh), with its configuration and cache in a private directory. */
export class Helm {
  private valuesFiles = 0;

  private constructor(readonly binary: string, private readonly home: string) {}

  static async locate(): Promise<Helm> {
    const script = path.join(repoRoot, 'scripts/helm.sh');
    let binary: string;
    try {
      binary = (await execFileAsync('bash', [script])).stdout.trim();
    } catch (error) {
      throw new Error(
        `${script} could not provide helm:\n${
          (error as { stderr?: string }).stderr ?? error
        }`,
      );
    }
    // An operator's ~/.config/helm (repositories, plugins, registry logins) must not change what the test sees.
    const home = fs.mkdtempSync(
      path.join(os.tmpdir(), 'innovate-portal-chart-'),
    );
    return new Helm(binary, home);
  }

  dispose(): void {
    fs.rmSync(this.home, { recursive: true, force: true });
  }

  async run(args: string[]): Promise<{ stdout: string; stderr: string }> {
    try {
      return await execFileAsync(this.binary, args, {
        cwd: repoRoot,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          HELM_CACHE_HOME: path.join(this.home, 'cache'),
          HELM_CONFIG_HOME: path.join(this.home, 'config'),
          HELM_DATA_HOME: path.join(this.home, 'data'),
        },
      });
    } catch (error) {
      const failure = error as { stdout?: string; stderr?: string };
      throw new HelmCommandError(
        args,
        `${failure.stdout ?? ''}${failure.stderr ?? String(error)}`,
      );
    }
  }

  /** Arguments selecting release, chart and values: the README's command or the chart's defaults, plus options. */
  private chartArgs(options: RenderOptions): string[] {
    const install: InstallCommand = options.readme
      ? readmeInstallCommand()
      : {
          release: 'innovate-portal',
          chart: chartDir,
          namespace: 'portal',
          valueArgs: [],
        };
    const args = [
      install.release,
      install.chart,
      '--namespace',
      install.namespace,
    ];
    if (options.values) {
      const file = path.join(this.home, `values-${++this.valuesFiles}.yaml`);
      fs.writeFileSync(file, stringify(options.values));
      args.push('--values', file);
    }
    return [...args, ...install.valueArgs, ...(options.args ?? [])];
  }

  /** `helm template`, parsed into the Kubernetes objects it renders. */
  async template(options: RenderOptions = {}): Promise<K8sObject[]> {
    const { stdout } = await this.run(['template', ...this.chartArgs(options)]);
    const objects: K8sObject[] = [];
    for (const document of parseAllDocuments(stdout)) {
      if (document.errors.length > 0) {
        throw new Error(
          `helm rendered invalid YAML: ${document.errors[0].message}\n${stdout}`,
        );
      }
      const object = document.toJS() as K8sObject | null;
      if (object) objects.push(object);
    }
    return objects;
  }

  /** The error helm reports for `helm template` with these values; fails if helm renders them. */
  async templateError(options: RenderOptions): Promise<string> {
    try {
      await this.template(options);
    } catch (error) {
      if (error instanceof HelmCommandError) return error.output;
      throw error;
    }
    throw new Error(
      `helm rendered the chart with ${JSON.stringify(
        options,
      )}; expected a refusal`,
    );
  }

  /** `helm lint --strict`: fails on warnings too. Returns helm's report. */
  async lint(options: RenderOptions = {}): Promise<string> {
    const [, chart, ...rest] = this.chartArgs(options);
    const { stdout } = await this.run(['lint', '--strict', chart, ...rest]);
    return stdout;
  }
}

/** The one object of a kind; throws when there are none or several. */
export function only(objects: K8sObject[], kind: string): K8sObject {
  const found = objects.filter(o => o.kind === kind);
  if (found.length !== 1)
    throw new Error(`Expected one ${kind}, found ${found.length}`);
  return found[0];
}
