/*
 * Deploys one environment on the simulated organization with innovate:environment:deploy and prints its wall time
 * against the critical path: the longest chain of stack durations through the blueprint's dependency graph. A ratio
 * near 1 means the action adds little beyond what CloudFormation itself takes (parallel layers, prompt polling).
 *
 *   cd plugins/scaffolder-backend-module-aws-environments
 *   node --require @backstage/cli/config/nodeTransform.cjs scripts/benchmark-provisioning.ts [timeScale] [runs]
 *
 * timeScale multiplies AWS's real resource durations (default 0.02: an EKS cluster takes about 14 s).
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { loadBlueprint } from '@internal/plugin-aws-environments-node';
import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import path from 'node:path';
import { createEnvironmentDeployAction } from '../src/actions/environmentDeploy';

const BLUEPRINT_DIR = path.resolve(
  __dirname,
  '../../../templates/aws-environment/cloudformation',
);

const silentLogger: LoggerService = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
  child: () => silentLogger,
};

interface StackTiming {
  layer: string;
  startedAt: string;
  completedAt: string;
}

/** Longest chain of stack durations where each stack waits for the stacks it depends on. */
function criticalPath(
  dependsOn: Map<string, string[]>,
  durations: Map<string, number>,
): { seconds: number; chain: string[] } {
  const memo = new Map<string, { seconds: number; chain: string[] }>();
  const longest = (layer: string): { seconds: number; chain: string[] } => {
    const known = memo.get(layer);
    if (known) return known;
    const before = (dependsOn.get(layer) ?? [])
      .map(longest)
      .reduce((a, b) => (b.seconds > a.seconds ? b : a), {
        seconds: 0,
        chain: [] as string[],
      });
    const result = {
      seconds: before.seconds + (durations.get(layer) ?? 0),
      chain: [...before.chain, layer],
    };
    memo.set(layer, result);
    return result;
  };
  return [...durations.keys()]
    .map(longest)
    .reduce((a, b) => (b.seconds > a.seconds ? b : a));
}

async function deployOnce(timeScale: number, run: number) {
  const awsClients = createSimulatedAwsClientFactory({
    blueprintDir: BLUEPRINT_DIR,
    seedEnvironments: false,
    timeScale,
  });
  const action = createEnvironmentDeployAction({
    awsClients,
    settings: {
      pollIntervalSeconds: 0.1,
      maxWaitSeconds: 3600,
      heartbeatSeconds: 25,
      registrationTimeoutSeconds: 60,
      blueprintDir: BLUEPRINT_DIR,
    },
  });
  const outputs: Record<string, unknown> = {};
  const checkpoints = new Map<string, unknown>();
  // The parts of a scaffolder task the deploy action uses.
  const ctx = {
    input: {
      environment: {
        name: `bench-${run}`,
        stage: 'dev',
        accountId: '222222222222',
        region: 'eu-central-1',
        vpcCidr: '10.90.0.0/16',
        alertEmail: 'platform-team@innovate.example',
      },
    },
    logger: silentLogger,
    secrets: {},
    task: { id: `benchmark-${run}` },
    workspacePath: process.cwd(),
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    checkpoint: async ({ key, fn }: { key: string; fn: () => unknown }) => {
      if (!checkpoints.has(key)) checkpoints.set(key, await fn());
      return checkpoints.get(key);
    },
  };

  const started = Date.now();
  await action.handler(ctx as any);
  const wallSeconds = (Date.now() - started) / 1000;
  const stacks = outputs.stacks as StackTiming[];
  return { wallSeconds, stacks };
}

async function main() {
  const timeScale = Number(process.argv[2] ?? 0.02);
  const runs = Number(process.argv[3] ?? 1);
  const blueprint = await loadBlueprint(BLUEPRINT_DIR);
  const dependsOn = new Map(
    blueprint.layers.map(l => [l.name, [...l.dependsOn]]),
  );
  process.stdout.write(
    `Deploying one dev environment on the simulated organization, timeScale ${timeScale}, ${runs} run(s)\n`,
  );
  for (let run = 1; run <= runs; run++) {
    const { wallSeconds, stacks } = await deployOnce(timeScale, run);
    const durations = new Map(
      stacks.map(s => [
        s.layer,
        (Date.parse(s.completedAt) - Date.parse(s.startedAt)) / 1000,
      ]),
    );
    const path_ = criticalPath(dependsOn, durations);
    process.stdout.write(`\nrun ${run}\n`);
    for (const stack of stacks) {
      process.stdout.write(
        `  ${stack.layer.padEnd(14)} ${durations
          .get(stack.layer)!
          .toFixed(2)} s\n`,
      );
    }
    process.stdout.write(
      [
        `  wall time      ${wallSeconds.toFixed(2)} s`,
        `  critical path  ${path_.seconds.toFixed(2)} s (${path_.chain.join(
          ' -> ',
        )})`,
        `  ratio          ${(wallSeconds / path_.seconds).toFixed(
          3,
        )} (target <= 1.1)`,
        '',
      ].join('\n'),
    );
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
