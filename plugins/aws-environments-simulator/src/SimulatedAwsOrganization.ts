import fs from 'node:fs';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotImplementedError } from '@backstage/errors';
import type { AwsAccountSummary } from '@internal/plugin-aws-environments-common';
import {
  DEFAULT_SIMULATED_ACCOUNTS,
  DEFAULT_SIMULATION_SETTINGS,
  type SimulationSettings,
} from '@internal/plugin-aws-environments-node';
import type { EnvironmentBlueprint } from '@internal/plugin-aws-environments-node';
import { cloudFormationHandlers } from './cloudformation/commands';
import { CloudFormationEngine } from './cloudformation/engine';
import type { StackRecord } from './cloudformation/model';
import { budgetsHandlers, costExplorerHandlers, CostModel } from './costs';
import {
  FindingsModel,
  guardDutyHandlers,
  inspectorHandlers,
  securityHubHandlers,
} from './findings';
import { stsHandlers, taggingHandlers } from './identity';
import { environments, environmentResources } from './inventory';
import { pricingHandlers } from './pricing';
import { route53Handlers } from './route53';
import { SimulationStateFile, UnreadableStateFileError } from './state';
import { loadSeedBlueprint, seedEnvironments, seedPlans } from './seed';
import type { CommandHandlers } from './types';
import {
  eksVersionHandlers,
  rdsVersionHandlers,
  versionRefusalHook,
} from './versions';
import {
  cloudWatchHandlers,
  eksHandlers,
  rdsHandlers,
  type AlarmOverrides,
} from './workloads';

export interface SimulatedAwsOrganizationOptions
  extends Partial<SimulationSettings> {
  accounts?: AwsAccountSummary[];
  /** Directory of blueprint.yaml; default: `templates/aws-environment/cloudformation` from the working directory. */
  blueprintDir?: string;
  /** An already loaded blueprint (tests); wins over `blueprintDir`. */
  blueprint?: EnvironmentBlueprint;
  /** false: start with no environments at all. */
  seedEnvironments?: boolean;
  /** Clock, epoch ms (tests). */
  now?: () => number;
  /** GetCostAndUsage groups per page before a NextPageToken. */
  costGroupsPerPage?: number;
  logger?: LoggerService;
}

/** One simulated request. */
export interface SimulatedRequest {
  service: string;
  accountId: string;
  region: string;
  commandName: string;
  input: unknown;
}

const SEEDED = ['innovate-dev', 'innovate-staging', 'innovate-prod'];

/**
 * The simulated AWS organization: the accounts, the environments in them and every AWS service the portal calls,
 * answered from one deterministic in-memory state behind the SDK clients' middleware.
 */
export class SimulatedAwsOrganization {
  readonly accounts: AwsAccountSummary[];
  readonly settings: SimulationSettings;
  readonly engine: CloudFormationEngine;
  private readonly handlers: Record<string, CommandHandlers>;
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly now: () => number;
  private failResources: Set<string>;
  private seeding = false;
  private alarms: AlarmOverrides = { inAlarm: new Map() };
  private saveTimer?: NodeJS.Timeout;
  private stateFile?: SimulationStateFile;
  /** Stacks changed since the state file was last written. */
  private readonly dirty = new Set<StackRecord>();
  private readonly ready: Promise<void>;

  static async create(
    options: SimulatedAwsOrganizationOptions = {},
  ): Promise<SimulatedAwsOrganization> {
    const organization = new SimulatedAwsOrganization(options);
    await organization.whenReady();
    return organization;
  }

  /** Starts building at once; `whenReady()` resolves when the seeded environments exist. */
  constructor(private readonly options: SimulatedAwsOrganizationOptions = {}) {
    this.accounts = options.accounts ?? DEFAULT_SIMULATED_ACCOUNTS;
    this.settings = {
      seed: options.seed ?? DEFAULT_SIMULATION_SETTINGS.seed,
      timeScale: options.timeScale ?? DEFAULT_SIMULATION_SETTINGS.timeScale,
      extraEnvironments: options.extraEnvironments ?? 0,
      failResources: options.failResources ?? [],
      stateFile: options.stateFile,
    };
    this.now = options.now ?? Date.now;
    this.failResources = new Set(this.settings.failResources);
    this.engine = new CloudFormationEngine({
      seed: this.settings.seed,
      timeScale: this.settings.timeScale,
      now: this.now,
      failResources: () => (this.seeding ? new Set() : this.failResources),
      refuseResource: versionRefusalHook(this.settings.seed, this.now),
      onChange: stack => this.scheduleSave(stack),
    });
    const seed = this.settings.seed;
    const costs = new CostModel(this.engine, seed, this.now);
    const findings = new FindingsModel(this.engine, seed, new Set(SEEDED));
    const allowed = new Set(this.accounts.map(a => a.accountId));
    this.handlers = {
      cloudformation: cloudFormationHandlers(this.engine, seed),
      eks: { ...eksHandlers(this.engine, seed), ...eksVersionHandlers() },
      rds: { ...rdsHandlers(this.engine, seed), ...rdsVersionHandlers() },
      cloudwatch: cloudWatchHandlers(
        this.engine,
        seed,
        this.settings.timeScale,
        () => this.alarms,
      ),
      costexplorer: costExplorerHandlers(costs, {
        groupsPerPage: options.costGroupsPerPage ?? 5000,
      }),
      budgets: budgetsHandlers(this.engine, costs, seed, {
        overrunEnvironment: 'innovate-dev',
      }),
      securityhub: securityHubHandlers(findings),
      guardduty: guardDutyHandlers(findings, seed),
      inspector2: inspectorHandlers(findings),
      sts: stsHandlers(seed, accountId => allowed.has(accountId)),
      resourcegroupstaggingapi: taggingHandlers(this.engine),
      route53: route53Handlers(this.accounts),
      pricing: pricingHandlers(),
    };
    this.ready = this.initialize().catch(error => {
      options.logger?.error(
        `Simulated AWS organization could not start: ${error}`,
      );
      throw error;
    });
    // The promise is awaited by every client; this keeps an early failure from being reported as unhandled.
    this.ready.catch(() => {});
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  private async initialize() {
    if (this.settings.stateFile && this.loadState(this.settings.stateFile))
      return;
    if (this.options.seedEnvironments === false) return;
    const blueprint =
      this.options.blueprint ??
      (await loadSeedBlueprint(this.options.blueprintDir, this.options.logger));
    if (!blueprint) return;
    const started = Date.now();
    this.seeding = true;
    try {
      await seedEnvironments(
        this.engine,
        blueprint,
        seedPlans(this.accounts, this.settings.extraEnvironments, this.now()),
        this.now(),
        this.options.logger,
      );
    } finally {
      this.seeding = false;
    }
    this.markIncidents();
    this.options.logger?.info(
      `Simulated AWS organization ready: ${
        environments(this.engine).length
      } environments from blueprint ${blueprint.name}@${blueprint.version} in ${
        Date.now() - started
      } ms`,
    );
    this.saveNow();
  }

  /** One drifted stack (prod security layer) and one alarm in ALARM (staging database CPU). */
  private markIncidents() {
    const envs = environments(this.engine);
    const prod = envs.find(e => e.name === 'innovate-prod');
    const securityStack =
      prod?.stacks.find(s => s.stackName === 'innovate-prod-security') ??
      prod?.stacks[0];
    if (securityStack) {
      const resources = Object.values(securityStack.definition.resources);
      const target =
        resources.find(r => r.type === 'AWS::EC2::SecurityGroup') ??
        resources[0];
      if (target) {
        securityStack.outOfBandChange = {
          logicalId: target.logicalId,
          differences:
            target.type === 'AWS::EC2::SecurityGroup'
              ? [
                  {
                    path: '/SecurityGroupIngress/1',
                    expected: 'null',
                    actual:
                      '{"CidrIp":"0.0.0.0/0","FromPort":22,"IpProtocol":"tcp","ToPort":22}',
                    type: 'ADD',
                  },
                ]
              : [
                  {
                    path: '/Tags/0/Value',
                    expected: 'web-team',
                    actual: 'manual-change',
                    type: 'NOT_EQUAL',
                  },
                ],
        };
      }
    }
    const staging = envs.find(e => e.name === 'innovate-staging');
    if (staging) {
      const alarms = environmentResources(staging, 'AWS::CloudWatch::Alarm');
      const cpu =
        alarms.find(
          a =>
            a.properties.MetricName === 'CPUUtilization' &&
            a.properties.Namespace === 'AWS/RDS',
        ) ??
        alarms.find(a => a.properties.MetricName === 'CPUUtilization') ??
        alarms[0];
      if (cpu?.physicalId) {
        const threshold = Number(cpu.properties.Threshold ?? 80).toFixed(1);
        this.alarms.inAlarm.set(
          cpu.physicalId,
          `Threshold Crossed: 3 out of the last 3 datapoints [91.4, 89.7, 93.2] were greater than or equal to the threshold (${threshold}) (minimum 3 datapoints for OK -> ALARM transition).`,
        );
      }
    }
  }

  /** Answers one SDK command, as the client's middleware asks. */
  async handle(request: SimulatedRequest): Promise<Record<string, unknown>> {
    await this.ready;
    const command = request.commandName.replace(/Command$/, '');
    const handler = this.handlers[request.service]?.[command];
    if (!handler) {
      throw new NotImplementedError(
        `The simulated AWS organization does not support ${request.service} ${command}; use awsEnvironments.mode 'aws' or add the command to the simulation`,
      );
    }
    let byCommand = this.counts.get(request.service);
    if (!byCommand) {
      byCommand = new Map();
      this.counts.set(request.service, byCommand);
    }
    byCommand.set(command, (byCommand.get(command) ?? 0) + 1);
    const output = handler(
      {
        service: request.service,
        accountId: request.accountId,
        region: request.region,
        now: this.now,
      },
      request.input ?? {},
    );
    // Callers get their own copy, never references into the simulated state.
    return structuredClone(output ?? {}) as Record<string, unknown>;
  }

  /** Requests answered so far, by service and command (e.g. `{ costexplorer: { GetCostAndUsage: 3 } }`). */
  getRequestCounts(): Record<string, Record<string, number>> {
    return Object.fromEntries(
      [...this.counts].map(([service, commands]) => [
        service,
        Object.fromEntries(commands),
      ]),
    );
  }

  resetRequestCounts(): void {
    this.counts.clear();
  }

  /** Replaces `simulation.failResources` at run time (tests and demos): `<stackName>/<LogicalId>` entries. */
  setFailResources(entries: string[]): void {
    this.failResources = new Set(entries);
  }

  /** Names of the environments that exist now, by account. */
  listEnvironments(): Array<{
    name: string;
    accountId: string;
    region: string;
    stage: string;
    stacks: string[];
  }> {
    return environments(this.engine).map(e => ({
      name: e.name,
      accountId: e.accountId,
      region: e.region,
      stage: e.stage,
      stacks: e.stacks.map(s => s.stackName),
    }));
  }

  // ---------------------------------------------------------------- persistence

  private scheduleSave(stack?: StackRecord) {
    if (!this.settings.stateFile) return;
    if (stack) this.dirty.add(stack);
    if (this.seeding || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveChanges();
    }, 250);
    this.saveTimer.unref?.();
  }

  /** Writes every stack to the state file now, in one transaction. */
  saveNow(): void {
    if (!this.stateFile) return;
    this.dirty.clear();
    this.writeState(this.engine.allRegions().flatMap(r => r.stacks));
  }

  /** Writes the stacks changed since the last save. */
  private saveChanges(): void {
    if (!this.stateFile) return;
    const changed = [...this.dirty];
    this.dirty.clear();
    this.writeState(changed);
  }

  private writeState(stacks: StackRecord[]) {
    try {
      this.stateFile?.save(
        this.engine.allRegions(),
        stacks,
        [...this.alarms.inAlarm],
        this.engine.store,
      );
    } catch (error) {
      this.options.logger?.error(
        `Simulated AWS organization could not save its state file ${this.settings.stateFile}: ${error}`,
      );
    }
  }

  /** Opens the state file and restores the organization from it; false when there is nothing to restore. */
  private loadState(file: string): boolean {
    let stateFile: SimulationStateFile;
    try {
      stateFile = SimulationStateFile.open(file, this.settings.seed);
    } catch (error) {
      if (!(error instanceof UnreadableStateFileError)) throw error;
      this.options.logger?.warn(
        `Ignoring simulation state file ${file}: ${error.message}; it is replaced by a new one`,
      );
      fs.rmSync(file, { force: true });
      fs.rmSync(`${file}-wal`, { force: true });
      fs.rmSync(`${file}-shm`, { force: true });
      stateFile = SimulationStateFile.open(file, this.settings.seed);
    }
    this.stateFile = stateFile;
    let saved;
    try {
      saved = stateFile.load(this.engine.store);
    } catch (error) {
      if (!(error instanceof UnreadableStateFileError)) throw error;
      this.options.logger?.warn(
        `Ignoring simulation state file ${file}: ${error.message}; it is replaced by a new one`,
      );
      stateFile.clear();
      return false;
    }
    if (!saved) return false;
    for (const region of saved.regions) {
      const state = this.engine.region(region.accountId, region.region);
      state.stacks.push(...region.stacks);
      region.tokens.forEach((v, k) => state.tokens.set(k, v));
      region.driftDetections.forEach((v, k) => state.driftDetections.set(k, v));
    }
    this.alarms = { inAlarm: new Map(saved.alarms) };
    this.options.logger?.info(
      `Simulated AWS organization restored from ${file}`,
    );
    return true;
  }
}
