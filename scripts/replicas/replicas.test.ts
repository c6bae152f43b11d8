/**
 * Two backend replicas on one PostgreSQL and one Redis, provisioning on one shared simulated AWS organization:
 * what a platform team relies on when the portal runs as several pods.
 *
 * Run with scripts/replicas/run.sh (it provides PostgreSQL); see docs/operations.md.
 */
import {
  GiveUp,
  readLogLines,
  startRedis,
  startReplica,
  startSharedSimulation,
  stopAll,
  waitFor,
  type Replica,
} from './harness';
import type { AcceptedOperation } from './simulationServer';

const postgresUrl = process.env.PORTAL_TEST_PG_URL;
const LAYERS = [
  'network',
  'security',
  'data',
  'compute',
  'edge',
  'observability',
];
const TASK_TIMEOUT_MS = 240_000;
const HEALTH_CADENCE_MS = 5_000;

interface TaskEvent {
  id: number;
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  body: {
    message?: string;
    status?: string;
    stepId?: string;
    error?: { name: string; message: string };
  };
}

const replicas: Replica[] = [];
let simulationUrl = '';
const tokens = new Map<string, string>();

const PLATFORM_TEAM = 'group:default/platform-team';

/**
 * The guest's token, once the catalog has made the guest a platform-team member (catalog/org.yaml). A token issued
 * before the catalog read the organisation carries no group, and the permission policy would refuse every
 * provisioning step made with it.
 */
async function tokenFor(replica: Replica): Promise<string> {
  let token = tokens.get(replica.name);
  if (!token) {
    const response = await fetch(`${replica.url}/api/auth/guest/refresh`);
    const body = (await response.json()) as {
      backstageIdentity: {
        token: string;
        identity: { ownershipEntityRefs: string[] };
      };
    };
    if (
      !body.backstageIdentity.identity.ownershipEntityRefs.includes(
        PLATFORM_TEAM,
      )
    ) {
      throw new Error(
        `the guest is not yet a member of ${PLATFORM_TEAM} on ${replica.name}`,
      );
    }
    token = body.backstageIdentity.token;
    tokens.set(replica.name, token);
  }
  return token;
}

async function api<T>(
  replica: Replica,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(`${replica.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${await tokenFor(replica)}`,
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  if (!response.ok) {
    throw new Error(
      `${init.method ?? 'GET'} ${path} on ${replica.name}: ${
        response.status
      } ${await response.text()}`,
    );
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function simulation<T>(path: string): Promise<T> {
  const response = await fetch(`${simulationUrl}${path}`);
  return (await response.json()) as T;
}

/** The New AWS environment form's answers for a dev environment. */
function environmentRequest(name: string, cidrOctet: number) {
  return {
    templateRef: 'template:default/aws-environment',
    values: {
      name,
      owner: 'group:default/web-team',
      system: 'system:default/innovate-web',
      stage: 'dev',
      accountId: '222222222222',
      region: 'eu-central-1',
      azCount: 2,
      natGateways: 'single',
      vpcCidr: `10.${cidrOctet}.0.0/16`,
      nodeStrategy: 'mixed',
      frontendInstanceType: 't4g.medium',
      backendInstanceType: 't4g.large',
      frontendNodes: { min: 1, desired: 2, max: 4 },
      backendNodes: { min: 1, desired: 2, max: 4 },
      kubernetesVersion: '1.33',
      databaseEngine: 'rds-postgresql',
      databaseEngineVersion: '17',
      databaseInstanceClass: 'db.t4g.medium',
      databaseStorageGb: 20,
      multiAz: false,
      readReplica: false,
      backupRetentionDays: 7,
      drCopyRegion: 'none',
      enableWaf: false,
      domainName: '',
      hostedZoneId: '',
      budgetMonthlyUsd: 800,
      alertEmail: 'web-team@innovate.example',
      costCenter: 'web',
    },
  };
}

async function submit(replica: Replica, name: string, cidrOctet: number) {
  const { id } = await api<{ id: string }>(
    replica,
    '/api/scaffolder/v2/tasks',
    {
      method: 'POST',
      body: environmentRequest(name, cidrOctet),
    },
  );
  return id;
}

async function taskStatus(replica: Replica, taskId: string): Promise<string> {
  const task = await api<{ status: string }>(
    replica,
    `/api/scaffolder/v2/tasks/${taskId}`,
  );
  return task.status;
}

async function untilFinished(replica: Replica, taskId: string) {
  return waitFor(
    `task ${taskId} to finish`,
    async () => {
      const status = await taskStatus(replica, taskId);
      return ['completed', 'failed', 'cancelled'].includes(status)
        ? status
        : undefined;
    },
    { timeoutMs: TASK_TIMEOUT_MS, intervalMs: 1_000 },
  );
}

function events(replica: Replica, taskId: string) {
  return api<TaskEvent[]>(replica, `/api/scaffolder/v2/tasks/${taskId}/events`);
}

/** Stack mutations AWS accepted, each with the name of the replica that sent it. */
async function acceptedOperations(): Promise<AcceptedOperation[]> {
  const all = await simulation<AcceptedOperation[]>('/operations');
  // A backend names itself `<hostname>/<pid>` to the shared simulation.
  return all.map(op => ({
    ...op,
    replica:
      replicas.find(r => op.caller?.endsWith(`/${r.child.pid}`))?.name ??
      op.caller,
  }));
}

/** Stack mutations AWS accepted for one environment. */
async function operationsOf(environment: string) {
  return (await acceptedOperations()).filter(op =>
    op.stackName?.startsWith(`${environment}-`),
  );
}

/**
 * Successful stack executions per stack name: 1 means created once. A repeated request with the same
 * ClientRequestToken is a retry that CloudFormation answers without executing again (a recovered task re-sends its
 * last request that way), so it is not counted twice.
 */
function executionsPerStack(operations: AcceptedOperation[]) {
  const counts: Record<string, number> = {};
  const seenTokens = new Set<string>();
  for (const op of operations) {
    if (
      op.commandName === 'ExecuteChangeSetCommand' ||
      op.commandName === 'CreateStackCommand'
    ) {
      const token = op.clientRequestToken
        ? `${op.commandName}:${op.clientRequestToken}`
        : undefined;
      if (token && seenTokens.has(token)) continue;
      if (token) seenTokens.add(token);
      counts[op.stackName!] = (counts[op.stackName!] ?? 0) + 1;
    }
  }
  return counts;
}

function oncePerLayer(environment: string) {
  return Object.fromEntries(LAYERS.map(l => [`${environment}-${l}`, 1]));
}

async function stacksOf(environment: string) {
  const environments = await simulation<
    Array<{ name: string; stacks: string[] }>
  >('/environments');
  return environments
    .filter(e => e.name === environment)
    .map(e => [...e.stacks].sort());
}

/** Which replica sent the environment's stack mutations (the one running its task). */
async function runnerOf(environment: string): Promise<Replica> {
  const name = await waitFor(
    `the first stack of ${environment}`,
    async () =>
      (
        await operationsOf(environment)
      ).find(op => op.commandName === 'ExecuteChangeSetCommand')?.replica,
    { timeoutMs: TASK_TIMEOUT_MS },
  );
  return replicas.find(r => r.name === name)!;
}

describe('two replicas on PostgreSQL and Redis', () => {
  beforeAll(async () => {
    if (!postgresUrl) {
      throw new Error(
        'PORTAL_TEST_PG_URL is not set: run this test through scripts/replicas/run.sh, which starts PostgreSQL',
      );
    }
    const [redisUrl, sharedUrl] = await Promise.all([
      startRedis(),
      // Tiny durations, long enough that a replica can be killed while stacks are being created.
      startSharedSimulation({ timeScale: 0.005 }),
    ]);
    simulationUrl = sharedUrl;
    const databasePrefix = `replicas_${Date.now().toString(36)}_`;
    const ports = [
      Number(process.env.REPLICA_A_PORT ?? 7101),
      Number(process.env.REPLICA_B_PORT ?? 7102),
    ];
    // Both at once on a fresh database, as a first install brings its pods up: the backend's start-up lock makes
    // them take turns migrating instead of one failing with knex's MigrationLocked.
    for (const [i, name] of ['replica-a', 'replica-b'].entries()) {
      replicas.push(
        startReplica({
          name,
          port: ports[i],
          postgresUrl,
          databasePrefix,
          redisUrl,
          simulationUrl,
        }),
      );
    }
    await Promise.all(
      replicas.map(replica =>
        waitFor(
          `${replica.name} to be ready`,
          async () => {
            if (replica.child.exitCode !== null) {
              throw new GiveUp(
                `${replica.name} exited; see ${replica.logFile}`,
              );
            }
            const response = await fetch(
              `${replica.url}/.backstage/health/v1/readiness`,
            );
            return response.ok ? true : undefined;
          },
          { timeoutMs: 420_000, intervalMs: 1_000 },
        ),
      ),
    );
    // Both replicas read one catalog: the template (and the guest's team) is there once either has processed its
    // locations; api() waits for a guest token that carries the platform team.
    await Promise.all(
      replicas.map(replica =>
        waitFor(
          `the aws-environment template on ${replica.name}`,
          () =>
            api(
              replica,
              '/api/catalog/entities/by-name/template/default/aws-environment',
            ),
          { timeoutMs: 120_000, intervalMs: 1_000 },
        ),
      ),
    );
  }, 600_000);

  afterAll(async () => {
    await stopAll();
  }, 60_000);

  it('starts both replicas together on a fresh database, one migrating at a time', async () => {
    for (const replica of replicas) {
      const lines = await readLogLines(replica.logFile);
      expect(lines.some(line => line.includes('MigrationLocked'))).toBe(false);
      expect(
        lines.some(line =>
          line.includes(
            'Holding the start-up lock until every plugin has started',
          ),
        ),
      ).toBe(true);
    }
  });

  it('runs each of several provisioning tasks exactly once', async () => {
    const names = [
      'replicas-one',
      'replicas-two',
      'replicas-three',
      'replicas-four',
    ];
    const taskIds = await Promise.all(
      names.map((name, i) => submit(replicas[i % 2], name, 101 + i)),
    );

    for (const [i, taskId] of taskIds.entries()) {
      // Polled through the other replica than the one that accepted it.
      expect(await untilFinished(replicas[(i + 1) % 2], taskId)).toBe(
        'completed',
      );
    }

    for (const [i, name] of names.entries()) {
      expect(await stacksOf(name)).toEqual([
        LAYERS.map(l => `${name}-${l}`).sort(),
      ]);
      const operations = await operationsOf(name);
      expect(executionsPerStack(operations)).toEqual(oncePerLayer(name));
      // Every AWS call of one task came from one replica.
      expect(new Set(operations.map(op => op.replica)).size).toBe(1);
      const log = await events(replicas[0], taskIds[i]);
      expect(
        log.filter(
          e => e.body.message === 'Beginning step Deploy the environment',
        ),
      ).toHaveLength(1);
      expect(log.filter(e => e.type === 'completion')).toHaveLength(1);
    }
    const runners = new Set(
      (await acceptedOperations())
        .filter(op => names.some(n => op.stackName?.startsWith(`${n}-`)))
        .map(op => op.replica),
    );
    // eslint-disable-next-line no-console
    console.log(`Tasks were run by: ${[...runners].join(', ')}`);
  });

  it('serves the same task log through either replica, while the task runs and after', async () => {
    const taskId = await submit(replicas[0], 'replicas-logs', 111);
    const runner = await runnerOf('replicas-logs');
    const other = replicas.find(r => r !== runner)!;

    const whileRunning = await events(other, taskId);
    expect(
      whileRunning.some(e =>
        e.body.message?.includes('Deploying replicas-logs'),
      ),
    ).toBe(true);

    expect(await untilFinished(other, taskId)).toBe('completed');
    const [fromA, fromB] = await Promise.all(
      replicas.map(r => events(r, taskId)),
    );
    expect(fromA.length).toBeGreaterThan(whileRunning.length);
    expect(fromB.map(e => e.id)).toEqual(fromA.map(e => e.id));
  });

  it('cancels a task through the replica that is not running it', async () => {
    const taskId = await submit(replicas[1], 'replicas-cancel', 112);
    const runner = await runnerOf('replicas-cancel');
    const other = replicas.find(r => r !== runner)!;

    await api(other, `/api/scaffolder/v2/tasks/${taskId}/cancel`, {
      method: 'POST',
    });

    // Backstage records a run stopped by cancellation as failed; the cancellation stays in the task's log.
    expect(await untilFinished(runner, taskId)).toBe('failed');
    const log = await events(other, taskId);
    expect(log.filter(e => e.type === 'cancelled')).toHaveLength(1);
    const completion = log.find(e => e.type === 'completion');
    expect(completion?.body.error?.name).toBe('TaskCancelledError');
    // Stopped during the deploy step: the environment was never registered in the catalog.
    expect(
      log.some(
        e => e.body.message === 'Beginning step Register in the catalog',
      ),
    ).toBe(false);
  });

  it('collects insights once per cadence across both replicas', async () => {
    const runs: Array<{ at: number; replica: string }> = [];
    for (const replica of replicas) {
      for (const line of await readLogLines(replica.logFile)) {
        const match = line.match(
          /^(\S+Z)\s+aws-environments\s+info\s+Collected health of/,
        );
        if (match)
          runs.push({ at: Date.parse(match[1]), replica: replica.name });
      }
    }
    runs.sort((a, b) => a.at - b.at);
    // By now the replicas have been up for well over a minute with a 5 s health cadence.
    expect(runs.length).toBeGreaterThanOrEqual(5);
    const gaps = runs.slice(1).map((run, i) => run.at - runs[i].at);
    // Each replica scheduling on its own would run twice per cadence; one global schedule never does.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(HEALTH_CADENCE_MS / 2);
    const span = runs[runs.length - 1].at - runs[0].at;
    expect(runs.length).toBeLessThanOrEqual(
      Math.floor(span / HEALTH_CADENCE_MS) + 2,
    );
  });

  it('leaves no duplicate stacks and a completed task when the replica running it is killed', async () => {
    const taskId = await submit(replicas[0], 'replicas-failover', 113);
    const runner = await runnerOf('replicas-failover');
    const survivor = replicas.find(r => r !== runner)!;

    await runner.kill();

    // The survivor notices the missing heartbeat (scaffolder.taskRecovery.staleTimeout) and runs the task again;
    // the deploy action resumes from its checkpoints instead of creating anything twice.
    expect(await untilFinished(survivor, taskId)).toBe('completed');
    const log = await events(survivor, taskId);
    expect(log.filter(e => e.type === 'recovered')).toHaveLength(1);
    expect(await stacksOf('replicas-failover')).toEqual([
      LAYERS.map(l => `replicas-failover-${l}`).sort(),
    ]);
    expect(executionsPerStack(await operationsOf('replicas-failover'))).toEqual(
      oncePerLayer('replicas-failover'),
    );
    const entity = await api<{ metadata: { name: string } }>(
      survivor,
      '/api/catalog/entities/by-name/resource/default/replicas-failover',
    );
    expect(entity.metadata.name).toBe('replicas-failover');
  });
});
