/*
 * Benchmark of the insights backend against the simulated AWS organization (not a test: it prints figures).
 *
 *   cd plugins/aws-environments-backend && yarn benchmark
 *   BENCH_ENVIRONMENTS=3,100,500 BENCH_REQUESTS=300 yarn benchmark
 *
 * For each environment count it scales the simulated organization (seeded environments plus `extraEnvironments`),
 * runs one refresh of every section into an in-memory SQLite store and prints:
 *   - AWS requests per refresh, by service and section (Cost Explorer must not grow with environments); health runs
 *     three times: the first reads every stack and starts drift detection, the second reads the resources of the
 *     checked stacks again (their drift changed), the third is the steady state, keeping unchanged stacks' details;
 *     costs run twice: the first reads each account's whole 90 days, the second only the refresh window;
 *   - the overview endpoint's (GET /environments) p50/p95 latency over HTTP, served from the store, with permissions
 *     on: as a platform-team member and as a member of the web team (an application team that owns half of the
 *     environments), with the permission backend's request body limit (100 KB) enforced, and the answers' statuses;
 *   - the latency of the same data fetched live from the simulated AWS APIs.
 */
import type {
  BackstageCredentials,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import express from 'express';
import knexFactory from 'knex';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readInsightsConfig } from '../src/config';
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
const counts = (process.env.BENCH_ENVIRONMENTS ?? '3,100,500')
  .split(',')
  .map(Number)
  .filter(n => n >= SEEDED_ENVIRONMENTS);
const overviewRequests = Number(process.env.BENCH_REQUESTS ?? 200);
const liveRounds = Number(process.env.BENCH_LIVE_ROUNDS ?? 3);
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

const PLATFORM_TEAM = 'group:default/platform-team';
const WEB_TEAM = 'group:default/web-team';
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
    factory: ReturnType<typeof createSimulatedAwsClientFactory>;
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
  const url = `http://127.0.0.1:${port}/environments`;
  for (let i = 0; i < 10; i++) {
    await (await fetch(url)).arrayBuffer();
  }
  const measure = async (beforeEach?: (i: number) => Promise<void>) => {
    const samples: number[] = [];
    let bytes = 0;
    const statuses: Record<number, number> = {};
    for (let i = 0; i < overviewRequests; i++) {
      await beforeEach?.(i);
      const start = performance.now();
      const response = await fetch(url);
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
  server.close();
  const kib = (steady.bytes / 1024).toFixed(0);
  const statusText = Object.entries(steady.statuses)
    .map(([status, count]) => `${count}× ${status}`)
    .join(', ');
  console.log(
    `overview as a ${
      caller.label
    } (GET /environments, ${overviewRequests} requests, ${kib} KiB, ${statusText}, ${(
      permissionRequests /
      (2 * overviewRequests + 10)
    ).toFixed(1)} permission requests per view): p50 ${ms(
      percentile(steady.samples, 50),
    )}, p95 ${ms(percentile(steady.samples, 95))}`,
  );
  console.log(
    `overview as a ${
      caller.label
    }, rebuilt after a write before each request: p50 ${ms(
      percentile(rebuilt.samples, 50),
    )}, p95 ${ms(percentile(rebuilt.samples, 95))}`,
  );
}

async function run(environmentCount: number) {
  const factory = createSimulatedAwsClientFactory({
    blueprintDir,
    extraEnvironments: environmentCount - SEEDED_ENVIRONMENTS,
  });
  const seedStart = performance.now();
  await factory.organization.whenReady();
  const seedMs = performance.now() - seedStart;
  const environments = factory.organization
    .listEnvironments()
    .map((env, index) => toEnvironmentTarget(environmentEntity(env, index))!)
    .filter(Boolean);
  const accounts = new Set(environments.map(e => e.accountId)).size;

  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
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

  // The same data fetched live from the (simulated) AWS APIs, as a portal without a store would on every view.
  if (liveRounds < 1) {
    await knex.destroy();
    return;
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
}

async function main() {
  console.log(
    `Insights benchmark on Node ${
      process.version
    }; simulated organization; environments ${counts.join(', ')}`,
  );
  for (const count of counts) {
    await run(count);
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
