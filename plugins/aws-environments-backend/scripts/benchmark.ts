/*
 * Benchmark of the insights backend against the simulated AWS organization (not a test: it prints figures).
 *
 *   cd plugins/aws-environments-backend && yarn benchmark
 *   BENCH_ENVIRONMENTS=50,500 BENCH_ACCOUNTS=20 BENCH_REQUESTS=300 yarn benchmark
 *
 * For each environment count (default 500 and 5,000) it starts a process of its own, configures the simulated
 * organization with BENCH_ACCOUNTS accounts (default 100) of two Regions each, scales it (seeded environments plus
 * `extraEnvironments`, spread over every account and Region) with its state in an SQLite state file, runs one
 * refresh of every section into an SQLite store (a file, as on the embedded default) and prints:
 *   - AWS requests per refresh, by service and section (Cost Explorer must not grow with environments); health runs
 *     three times: the first reads every stack and starts drift detection, the second reads the resources of the
 *     checked stacks again (their drift changed), the third is the steady state, keeping unchanged stacks' details;
 *     costs run twice: the first reads each account's whole 90 days, the second only the refresh window;
 *   - the overview endpoint's p50/p95 latency over HTTP for the first page the Environments page asks for
 *     (GET /environments?limit=50, with totals and facets) and the answer's size, served from the store, with
 *     permissions on: as a platform-team member and as a member of the web team (an application team that owns half
 *     of the environments), with the permission backend's request body limit (100 KB) enforced, and the answers'
 *     statuses; then the same page filtered by health and sorted by cost;
 *   - the latency of the same data fetched live from the simulated AWS APIs (BENCH_LIVE_ROUNDS, default 0);
 *   - the process's memory (RSS) after the refreshes and the state file's size;
 * and at the end the health, findings and cost collection times of the largest count against the smallest.
 */
import type {
  BackstageCredentials,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { readAwsEnvironmentsSettings } from '@internal/plugin-aws-environments-node';
import { simulatedAwsClientFactoryFor } from '@internal/plugin-aws-environments-simulator';
import express from 'express';
import knexFactory from 'knex';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readInsightsConfig } from '../src/config';
import { runCostExplorerBudget } from './costExplorerBudget';
import { ownerOrPlatformTeamDecision } from '../src/permissions';
import { createRouter } from '../src/router';
import { collectAccountCosts } from '../src/service/collectors/costs';
import { collectAccountFindings } from '../src/service/collectors/findings';
import { collectHealthAndStacks } from '../src/service/collectors/health';
import { groupBy, mapWithConcurrency } from '../src/service/concurrency';
import {
  EnvironmentDirectory,
  toEnvironmentTarget,
} from '../src/service/EnvironmentDirectory';
import { InsightsService } from '../src/service/InsightsService';
import { DatabaseInsightsStore } from '../src/service/InsightsStore';
import type { EnvironmentTarget } from '../src/service/types';

const SEEDED_ENVIRONMENTS = 3;
const counts = (process.env.BENCH_ENVIRONMENTS ?? '500,5000')
  .split(',')
  .map(Number)
  .filter(n => n >= SEEDED_ENVIRONMENTS);
const accountCount = Number(process.env.BENCH_ACCOUNTS ?? 100);
const REGIONS = ['eu-central-1', 'eu-west-1'];
const overviewRequests = Number(process.env.BENCH_REQUESTS ?? 200);
const liveRounds = Number(process.env.BENCH_LIVE_ROUNDS ?? 0);
/** Set in the process that measures one count; its last line is the figures the first process compares. */
const CHILD_COUNT_VARIABLE = 'BENCH_ONE_COUNT';
const RESULT_PREFIX = 'benchmark result: ';
const blueprintDir = path.resolve(
  __dirname,
  '../../../templates/aws-environment/cloudformation',
);

const quietLogger: LoggerService = {
  error: message => console.error(message),
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quietLogger,
};

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The benchmark's configuration: `accountCount` accounts (generated ids), two Regions each, stages in turn. */
function benchmarkConfig(extraEnvironments: number, stateFile: string) {
  const stages = ['dev', 'staging', 'prod'];
  return new ConfigReader({
    awsEnvironments: {
      mode: 'simulated',
      accounts: Array.from({ length: accountCount }, (_, i) => ({
        accountId: `1000000000${String(i).padStart(2, '0')}`,
        name: `bench-${stages[i % stages.length]}-${i}`,
        stage: stages[i % stages.length],
        regions: REGIONS,
      })),
      simulation: { extraEnvironments, stateFile },
    },
  });
}

/** The state file with SQLite's write-ahead log beside it. */
function stateFileBytes(file: string): number {
  return [file, `${file}-wal`]
    .filter(f => fs.existsSync(f))
    .reduce((total, f) => total + fs.statSync(f).size, 0);
}

const PLATFORM_TEAM = 'group:default/platform-team';
const WEB_TEAM = 'group:default/web-team';
/** The page size the Environments page opens with. */
const FIRST_PAGE_SIZE = 50;
/** The permission backend's default JSON body limit: a larger authorize request is answered 413. */
const PERMISSION_BODY_LIMIT_BYTES = 100 * 1024;

/** Who calls the overview, with the groups the policy sees. */
const CALLERS = [
  {
    label: 'platform-team member',
    userEntityRef: 'user:default/maria.lopez',
    claims: [PLATFORM_TEAM],
  },
  {
    label: 'web-team member',
    userEntityRef: 'user:default/aisha.khan',
    claims: [WEB_TEAM],
  },
];

function environmentEntity(
  env: {
    name: string;
    accountId: string;
    region: string;
    stage: string;
    stacks: string[];
  },
  index: number,
) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: env.name,
      namespace: 'default',
      annotations: {
        'aws.innovate.io/account-id': env.accountId,
        'aws.innovate.io/region': env.region,
        'aws.innovate.io/environment': env.name,
        'aws.innovate.io/stage': env.stage,
        'aws.innovate.io/stacks': env.stacks.join(','),
        'aws.innovate.io/template': 'aws-environment@1.0.0',
      },
    },
    spec: {
      type: 'aws-environment',
      // Half the environments are the web team's, half the platform team's: the web team sees only its own findings.
      owner: index % 2 === 0 ? WEB_TEAM : PLATFORM_TEAM,
      system: 'innovate-web',
    },
  };
}

/** Measures the overview endpoint over HTTP for one caller, with the policy's decisions for that caller. */
async function measureOverview(
  caller: (typeof CALLERS)[number],
  deps: {
    config: ConfigReader;
    insightsConfig: ReturnType<typeof readInsightsConfig>;
    factory: ReturnType<typeof simulatedAwsClientFactoryFor>;
    insights: InsightsService;
    store: DatabaseInsightsStore;
    environments: EnvironmentTarget[];
  },
) {
  const { config, insightsConfig, factory, insights, store, environments } =
    deps;
  const credentials = {
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'user', userEntityRef: caller.userEntityRef },
  } as BackstageCredentials;
  const claims = [caller.userEntityRef, ...caller.claims];
  let permissionRequests = 0;
  const app = express();
  app.use(
    await createRouter({
      httpAuth: { credentials: async () => credentials } as any,
      // Innovate's policy decides these permissions for the owners and the platform team; requests larger than the
      // permission backend accepts fail as they would over HTTP.
      permissions: {
        authorize: async (requests: unknown[]) => {
          permissionRequests++;
          const size = Buffer.byteLength(JSON.stringify({ items: requests }));
          if (size > PERMISSION_BODY_LIMIT_BYTES) {
            throw Object.assign(new Error('request entity too large'), {
              statusCode: 413,
            });
          }
          return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
        },
        authorizeConditional: async (requests: Array<{ permission: any }>) => {
          permissionRequests++;
          return requests.map(({ permission }) =>
            ownerOrPlatformTeamDecision(permission, claims, {
              platformTeam: PLATFORM_TEAM,
            }),
          );
        },
      } as any,
      logger: quietLogger,
      config,
      insightsConfig,
      factory,
      insights,
      store,
    }),
  );
  const server = app.listen(0);
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/environments`;
  // The first page the Environments page asks for: the first 50 in name order, with totals and facets.
  const url = `${base}?limit=${FIRST_PAGE_SIZE}`;
  for (let i = 0; i < 10; i++) {
    await (await fetch(url)).arrayBuffer();
  }
  const measure = async (
    beforeEach?: (i: number) => Promise<void>,
    target = url,
  ) => {
    const samples: number[] = [];
    let bytes = 0;
    const statuses: Record<number, number> = {};
    for (let i = 0; i < overviewRequests; i++) {
      await beforeEach?.(i);
      const start = performance.now();
      const response = await fetch(target);
      const body = await response.arrayBuffer();
      samples.push(performance.now() - start);
      bytes = body.byteLength;
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
    return { samples, bytes, statuses };
  };
  // Steady state: the store is unchanged between requests, so each request checks its version and reuses the
  // overview built from it.
  const steady = await measure();
  // Worst case: a collection wrote to the store before every request, so each request rebuilds the overview.
  const touched = environments[0];
  const health = await store.get(touched.entityRef, 'health');
  const rebuilt = await measure(i =>
    store.saveSuccess({
      entityRef: touched.entityRef,
      section: 'health',
      data: health?.data ?? {},
      summary: { verdict: 'healthy', reasons: [] },
      collectedAt: new Date(Date.now() + i),
    }),
  );
  // A filtered page sorted by cost, as the page asks for once someone picks a health filter and sorts.
  const filtered = await measure(
    undefined,
    `${base}?limit=${FIRST_PAGE_SIZE}&health=healthy&health=degraded&orderBy=monthToDate,desc`,
  );
  server.close();
  const kib = (steady.bytes / 1024).toFixed(1);
  const statusText = Object.entries(steady.statuses)
    .map(([status, count]) => `${count}× ${status}`)
    .join(', ');
  console.log(
    `overview first page as a ${
      caller.label
    } (GET /environments?limit=${FIRST_PAGE_SIZE}, ${overviewRequests} requests, answer ${kib} KiB, ${statusText}, ${(
      permissionRequests /
      (3 * overviewRequests + 10)
    ).toFixed(1)} permission requests per view): p50 ${ms(
      percentile(steady.samples, 50),
    )}, p95 ${ms(percentile(steady.samples, 95))}`,
  );
  console.log(
    `overview filtered by health, sorted by cost, as a ${
      caller.label
    } (answer ${(filtered.bytes / 1024).toFixed(1)} KiB): p50 ${ms(
      percentile(filtered.samples, 50),
    )}, p95 ${ms(percentile(filtered.samples, 95))}`,
  );
  console.log(
    `overview as a ${
      caller.label
    }, rebuilt after a write before each request: p50 ${ms(
      percentile(rebuilt.samples, 50),
    )}, p95 ${ms(percentile(rebuilt.samples, 95))}`,
  );
}

interface RunResult {
  environments: number;
  refreshMs: Record<string, number>;
  rssBytes: number;
  stateBytes: number;
}

async function run(environmentCount: number): Promise<RunResult> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'insights-bench-'));
  const stateFile = path.join(stateDir, 'simulation.sqlite');
  const settings = readAwsEnvironmentsSettings(
    benchmarkConfig(environmentCount - SEEDED_ENVIRONMENTS, stateFile),
  );
  const factory = simulatedAwsClientFactoryFor({ ...settings, blueprintDir });
  const seedStart = performance.now();
  await factory.organization.whenReady();
  const seedMs = performance.now() - seedStart;
  const environments = factory.organization
    .listEnvironments()
    .map((env, index) => toEnvironmentTarget(environmentEntity(env, index))!)
    .filter(Boolean);
  const accounts = new Set(environments.map(e => e.accountId)).size;

  // A database file, as the embedded default keeps its SQLite databases (an in-memory one would count in RSS).
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(stateDir, 'insights.sqlite') },
    useNullAsDefault: true,
  });
  const database: DatabaseService = { getClient: async () => knex };
  const store = await DatabaseInsightsStore.create({ database });
  const snapshot = {
    environments,
    latestTemplateVersions: new Map([['aws-environment', '1.1.0']]),
  };
  const directory: EnvironmentDirectory = {
    list: async () => snapshot,
    invalidate: () => {},
  };
  const config = new ConfigReader({});
  const insightsConfig = readInsightsConfig(config);
  const insights = new InsightsService({
    factory,
    store,
    directory,
    catalog: {} as any, // only per-entity routes read the catalog; the benchmark uses the overview
    logger: quietLogger,
    config: insightsConfig,
  });

  console.log(
    `\n== ${
      environments.length
    } environments over ${accounts} accounts with environments (${
      factory.listAccounts().length
    } allowed); organization seeded in ${ms(seedMs)}`,
  );

  // One refresh per section, counting the simulated requests it made.
  const requestRows: Array<[string, string, number]> = [];
  const refreshMs: Record<string, number> = {};
  for (const [section, refresh] of [
    ['health', () => insights.refreshHealth()],
    ['health+1', () => insights.refreshHealth()],
    ['health+2', () => insights.refreshHealth()],
    ['findings', () => insights.refreshFindings()],
    ['costs', () => insights.refreshCosts()],
    ['costs+1', () => insights.refreshCosts()],
  ] as const) {
    factory.resetRequestCounts();
    const start = performance.now();
    const outcome = await refresh();
    const took = performance.now() - start;
    refreshMs[section] = took;
    console.log(
      `refresh ${section.padEnd(8)} ${ms(took).padStart(10)}  ${
        outcome.succeeded
      } ok, ${outcome.failed} failed`,
    );
    for (const [service, commands] of Object.entries(
      factory.getRequestCounts(),
    )) {
      for (const [command, count] of Object.entries(commands)) {
        requestRows.push([section, `${service}:${command}`, count]);
      }
    }
  }
  console.log(
    'AWS requests per refresh (section, service:command, requests, per environment):',
  );
  for (const [section, command, count] of requestRows) {
    console.log(
      `  ${section.padEnd(8)} ${command.padEnd(44)} ${String(count).padStart(
        6,
      )}  ${(count / environments.length).toFixed(2)}`,
    );
  }

  // The overview endpoint over HTTP, served from the store, with the policy's decisions for each caller.
  for (const caller of CALLERS) {
    await measureOverview(caller, {
      config,
      insightsConfig,
      factory,
      insights,
      store,
      environments,
    });
  }

  const memory = process.memoryUsage();
  const rssBytes = memory.rss;
  // Let the organization write what the refreshes changed before measuring its state file.
  factory.organization.saveNow();
  const stateBytes = stateFileBytes(stateFile);
  const [{ bytes: storeBytes }] = await knex.raw(
    'SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()',
  );
  console.log(
    `backend process memory after the refreshes: ${mib(
      rssBytes,
    )} RSS (V8 heap ${mib(memory.heapUsed)} used of ${mib(
      memory.heapTotal,
    )}, buffers ${mib(memory.external)}, insights store ${mib(
      storeBytes,
    )}); simulation state file: ${mib(stateBytes)}`,
  );
  const result = {
    environments: environments.length,
    refreshMs,
    rssBytes,
    stateBytes,
  };

  // The same data fetched live from the (simulated) AWS APIs, as a portal without a store would on every view.
  if (liveRounds < 1) {
    await knex.destroy();
    fs.rmSync(stateDir, { recursive: true, force: true });
    return result;
  }
  const live: number[] = [];
  for (let round = 0; round < liveRounds; round++) {
    factory.resetRequestCounts();
    const start = performance.now();
    await Promise.all([
      mapWithConcurrency(
        environments,
        insightsConfig.concurrency,
        (env: EnvironmentTarget) => collectHealthAndStacks(factory, env),
      ),
      ...[...groupBy(environments, e => e.accountId)].map(([accountId, envs]) =>
        collectAccountCosts(
          factory,
          { accountId, region: envs[0].region },
          envs.map(e => e.name),
        ),
      ),
      ...[
        ...groupBy(environments, e => `${e.accountId}/${e.region}`).values(),
      ].map(envs =>
        collectAccountFindings(
          factory,
          envs[0],
          envs.map(e => e.name),
        ),
      ),
    ]);
    live.push(performance.now() - start);
  }
  const liveRequests = Object.values(factory.getRequestCounts())
    .flatMap(commands => Object.values(commands))
    .reduce((a, b) => a + b, 0);
  console.log(
    `same data live from simulated AWS (${liveRounds} rounds, ${liveRequests} requests each): p50 ${ms(
      percentile(live, 50),
    )}, p95 ${ms(percentile(live, 95))}`,
  );
  await knex.destroy();
  fs.rmSync(stateDir, { recursive: true, force: true });
  return result;
}

/** Measures one count in a process of its own, so that its memory is its own; returns its figures. */
function runInChild(count: number): RunResult {
  const output = execFileSync(
    process.execPath,
    [...process.execArgv, ...process.argv.slice(1)],
    {
      env: { ...process.env, [CHILD_COUNT_VARIABLE]: String(count) },
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const lines = output.trimEnd().split('\n');
  const last = lines.pop() ?? '';
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!last.startsWith(RESULT_PREFIX)) {
    throw new Error(`The run of ${count} environments printed no figures`);
  }
  return JSON.parse(last.slice(RESULT_PREFIX.length));
}

/** How the largest run's collection times and memory compare with the smallest's. */
function printScaling(results: RunResult[]) {
  if (results.length < 2) return;
  const small = results[0];
  const large = results[results.length - 1];
  console.log(
    `\n== scaling from ${small.environments} to ${
      large.environments
    } environments (${(large.environments / small.environments).toFixed(0)}x)`,
  );
  for (const section of ['health', 'findings', 'costs']) {
    const a = small.refreshMs[section];
    const b = large.refreshMs[section];
    console.log(
      `${section.padEnd(8)} collection ${ms(a)} -> ${ms(b)}: ${(b / a).toFixed(
        1,
      )}x`,
    );
  }
  console.log(
    `memory ${mib(small.rssBytes)} -> ${mib(
      large.rssBytes,
    )} RSS; state file ${mib(small.stateBytes)} -> ${mib(large.stateBytes)}`,
  );
}

async function main() {
  const one = process.env[CHILD_COUNT_VARIABLE];
  if (one) {
    const result = await run(Number(one));
    console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
    return;
  }
  console.log(
    `Insights benchmark on Node ${
      process.version
    }; simulated organization of ${accountCount} accounts x ${
      REGIONS.length
    } Regions; environments ${counts.join(', ')}`,
  );
  const results = counts.map(runInChild);
  printScaling(results);
  await runCostExplorerBudget();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
