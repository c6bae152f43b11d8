/**
 * Processes of the multi-replica test: Redis, the shared simulated AWS organization and the backend replicas, all
 * on loopback, each with its output in a log file, all stopped by `stopAll()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';

export const repoRoot = path.resolve(__dirname, '../..');
const backendDir = path.join(repoRoot, 'packages/backend');
const processes = new Set<ChildProcess>();

export function logDir(): string {
  const dir = path.join(repoRoot, 'test-results/replicas');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function start(
  name: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { child: ChildProcess; logFile: string } {
  const logFile = path.join(logDir(), `${name}.log`);
  const out = fs.openSync(logFile, 'w');
  const child = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  processes.add(child);
  child.once('exit', () => processes.delete(child));
  return { child, logFile };
}

/** Thrown by a `waitFor` check when waiting longer cannot help (a process died). */
export class GiveUp extends Error {}

/** Polls `check` every `intervalMs` until it returns a value, at most `timeoutMs`; other errors are retried. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 500 }: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      lastError = error;
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `Gave up waiting for ${what} after ${timeoutMs} ms${
      lastError ? ` (last error: ${lastError})` : ''
    }`,
  );
}

export async function startRedis(): Promise<string> {
  const port = await freePort();
  start('redis', 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await waitFor(
    'Redis',
    () =>
      new Promise<true | undefined>(resolve => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(undefined));
      }),
    { timeoutMs: 20_000, intervalMs: 200 },
  );
  return `redis://127.0.0.1:${port}`;
}

const nodeTransform = require.resolve(
  '@backstage/cli/config/nodeTransform.cjs',
);

export async function startSharedSimulation(options: {
  timeScale: number;
}): Promise<string> {
  const { child, logFile } = start(
    'simulation',
    process.execPath,
    ['--require', nodeTransform, path.join(__dirname, 'simulationServer.ts')],
    { env: { SIMULATION_TIME_SCALE: String(options.timeScale) } },
  );
  const port = await waitFor(
    'the shared simulated AWS organization',
    async () => {
      if (child.exitCode !== null) {
        throw new GiveUp(fs.readFileSync(logFile, 'utf8'));
      }
      const first = fs.readFileSync(logFile, 'utf8').split('\n')[0];
      return first.startsWith('{')
        ? (JSON.parse(first).port as number)
        : undefined;
    },
    { timeoutMs: 120_000 },
  );
  return `http://127.0.0.1:${port}`;
}

export interface Replica {
  name: string;
  url: string;
  logFile: string;
  child: ChildProcess;
  /** SIGKILL: the process dies at once, as when a node is lost. */
  kill(): Promise<void>;
}

/**
 * One backend process on the embedded default plus app-config.replicas.yaml, run from TypeScript with the
 * Backstage CLI's transform (what `yarn start` does, without the file watcher).
 */
export function startReplica(options: {
  name: string;
  port: number;
  postgresUrl: string;
  databasePrefix: string;
  redisUrl: string;
  simulationUrl: string;
}): Replica {
  const { child, logFile } = start(
    options.name,
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      nodeTransform,
      'src/index.ts',
      '--config',
      path.join(repoRoot, 'app-config.yaml'),
      '--config',
      path.join(__dirname, 'app-config.replicas.yaml'),
    ],
    {
      cwd: backendDir,
      env: {
        NODE_ENV: 'development',
        REPLICA_PORT: String(options.port),
        REPLICAS_PG_URL: options.postgresUrl,
        REPLICAS_DB_PREFIX: options.databasePrefix,
        REPLICAS_REDIS_URL: options.redisUrl,
        REPLICAS_SIMULATION_URL: options.simulationUrl,
        FORCE_COLOR: '0',
      },
    },
  );
  return {
    name: options.name,
    url: `http://127.0.0.1:${options.port}`,
    logFile,
    child,
    kill: () => stopProcess(child, 'SIGKILL'),
  };
}

async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  child.kill(signal);
  const timeout = new Promise<'timeout'>(resolve =>
    setTimeout(() => resolve('timeout'), 15_000).unref(),
  );
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Stops every process this harness started (SIGTERM, then SIGKILL after 15 s). */
export async function stopAll(): Promise<void> {
  await Promise.all([...processes].map(child => stopProcess(child, 'SIGTERM')));
}

/** Lines of a log file, without terminal colour codes. */
export async function readLogLines(logFile: string): Promise<string[]> {
  const lines: string[] = [];
  const input = readline.createInterface({
    input: fs.createReadStream(logFile),
    crlfDelay: Infinity,
  });
  for await (const line of input) {
    // eslint-disable-next-line no-control-regex
    lines.push(line.replace(/\u001b\[[0-9;]*m/g, ''));
  }
  return lines;
}
