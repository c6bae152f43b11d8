import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AwsAccountSummary } from '@internal/plugin-aws-environments-common';
import { SimulatedAwsOrganization } from './SimulatedAwsOrganization';

const BLUEPRINT_DIR = path.resolve(
  __dirname,
  '../../../templates/aws-environment/cloudformation',
);
const NOW = Date.parse('2026-06-01T08:00:00Z');

// Seeding builds every environment's stacks through the simulated CloudFormation: seconds, not milliseconds.
jest.setTimeout(120_000);

function manyAccounts(count: number): AwsAccountSummary[] {
  const stages = ['dev', 'staging', 'prod'] as const;
  return Array.from({ length: count }, (_, i) => ({
    accountId: `1000000000${String(i).padStart(2, '0')}`,
    name: `account-${i}`,
    stage: stages[i % stages.length],
    regions: ['eu-central-1', 'eu-west-1'],
    defaultRegion: 'eu-central-1',
  }));
}

function logger() {
  const lines: string[] = [];
  const log = (message: string) => {
    lines.push(message);
  };
  const service: any = { error: log, warn: log, info: log, debug: () => {} };
  service.child = () => service;
  return { service, lines };
}

describe('simulation state in SQLite', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-sim-state-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('spreads extra environments over every environment account and Region', async () => {
    const accounts = manyAccounts(10);
    const organization = await SimulatedAwsOrganization.create({
      blueprintDir: BLUEPRINT_DIR,
      now: () => NOW,
      accounts,
      extraEnvironments: 40,
    });
    const envs = organization.listEnvironments();
    expect(envs).toHaveLength(43);
    const places = new Set(envs.map(e => `${e.accountId}/${e.region}`));
    expect(places.size).toBe(20);
    const prodAccounts = new Set(
      accounts.filter(a => a.stage === 'prod').map(a => a.accountId),
    );
    for (const env of envs.filter(e => e.name.startsWith('sim-env-'))) {
      expect(env.stage === 'prod').toBe(prodAccounts.has(env.accountId));
    }
  });

  it('restores the environments and their stacks after a restart', async () => {
    const stateFile = path.join(dir, 'simulation.sqlite');
    const options = {
      blueprintDir: BLUEPRINT_DIR,
      now: () => NOW,
      accounts: manyAccounts(4),
      extraEnvironments: 6,
      stateFile,
    };
    const before = await SimulatedAwsOrganization.create(options);
    const after = await SimulatedAwsOrganization.create({
      ...options,
      // Seeding again would build the same names: a restored organization must not seed at all.
      extraEnvironments: 0,
    });
    expect(after.listEnvironments()).toEqual(before.listEnvironments());
    expect(after.listEnvironments()).toHaveLength(9);
  });

  it('grows linearly with the environments', async () => {
    const sizeFor = async (extraEnvironments: number) => {
      const stateFile = path.join(dir, `state-${extraEnvironments}.sqlite`);
      const organization = await SimulatedAwsOrganization.create({
        blueprintDir: BLUEPRINT_DIR,
        now: () => NOW,
        accounts: manyAccounts(10),
        extraEnvironments,
        stateFile,
      });
      const count = organization.listEnvironments().length;
      const bytes = [stateFile, `${stateFile}-wal`]
        .filter(f => fs.existsSync(f))
        .reduce((total, f) => total + fs.statSync(f).size, 0);
      return bytes / count;
    };
    const small = await sizeFor(22);
    const large = await sizeFor(222);
    // Template bodies are stored once, so an environment costs the same or less in a larger organization.
    expect(large).toBeLessThanOrEqual(small * 1.1);
    expect(large).toBeLessThan(64 * 1024);
  });

  it('ignores the JSON state file of an older version with a warning and starts afresh', async () => {
    const stateFile = path.join(dir, 'state.json');
    fs.writeFileSync(stateFile, JSON.stringify({ version: 1, regions: [] }));
    const { service, lines } = logger();
    const organization = await SimulatedAwsOrganization.create({
      blueprintDir: BLUEPRINT_DIR,
      now: () => NOW,
      stateFile,
      logger: service,
    });
    expect(organization.listEnvironments()).toHaveLength(3);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Ignoring simulation state file .*state\.json: /),
      ]),
    );
    const restarted = await SimulatedAwsOrganization.create({
      blueprintDir: BLUEPRINT_DIR,
      now: () => NOW,
      stateFile,
      seedEnvironments: false,
    });
    expect(restarted.listEnvironments()).toHaveLength(3);
  });

  it('ignores a state file of another seed', async () => {
    const stateFile = path.join(dir, 'simulation.sqlite');
    await SimulatedAwsOrganization.create({
      blueprintDir: BLUEPRINT_DIR,
      now: () => NOW,
      stateFile,
      seed: 1,
    });
    const { service, lines } = logger();
    const other = await SimulatedAwsOrganization.create({
      blueprintDir: BLUEPRINT_DIR,
      now: () => NOW,
      stateFile,
      seed: 2,
      seedEnvironments: false,
      logger: service,
    });
    expect(other.listEnvironments()).toHaveLength(0);
    expect(lines.join('\n')).toMatch(/another seed or format/);
  });
});
