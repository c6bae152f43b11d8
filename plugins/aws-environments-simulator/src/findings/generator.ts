/**
 * The findings of the simulated organization: a stable handful per environment, drawn from the checks its
 * resources fail, first observed after the stack that holds the resource was created.
 */
import type { CloudFormationEngine } from '../cloudformation/engine';
import type { ResourceRecord, StackRecord } from '../cloudformation/model';
import { arnFor } from '../cloudformation/resourceTypes';
import { environments, type EnvironmentInfo } from '../inventory';
import { hashSeed, SeededRandom } from '../random';
import { GUARDDUTY_TEMPLATES } from './guardDuty.templates';
import { INSPECTOR_TEMPLATES } from './inspector.templates';
import { SECURITY_HUB_TEMPLATES } from './securityHub.templates';
import {
  ASFF_TYPE,
  CFN_TYPE,
  type CheckContext,
  type FindingTemplate,
  type Product,
  type Target,
} from './templates';

export const TEMPLATES: FindingTemplate[] = [
  ...GUARDDUTY_TEMPLATES,
  ...INSPECTOR_TEMPLATES,
  ...SECURITY_HUB_TEMPLATES,
];

/** Internal form of one finding, from which every product's view is rendered. */
export interface SimulatedFinding {
  template: FindingTemplate;
  environment?: string;
  accountId: string;
  region: string;
  resourceArn: string;
  resourceId: string;
  resourceType: string;
  tags: Record<string, string>;
  firstObservedAt: number;
  updatedAt: number;
  workflowStatus: 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';
  recordState: 'ACTIVE' | 'ARCHIVED';
  guardDutyId: string;
  detectorId: string;
  asffId: string;
}

const DAY = 86_400_000;
const MINUTE = 60_000;

/** The first choice whose cumulative weight exceeds `roll` (weights sum to 1). */
function pickWeighted<T>(
  roll: number,
  choices: ReadonlyArray<readonly [T, number]>,
): T {
  let cumulative = 0;
  for (const [choice, weight] of choices) {
    cumulative += weight;
    if (roll < cumulative) return choice;
  }
  return choices[choices.length - 1][0];
}

export function detectorIdFor(
  seed: number,
  accountId: string,
  region: string,
): string {
  return SeededRandom.for(seed, 'detector', accountId, region).hex(32);
}

const GONE = new Set(['DELETE_COMPLETE', 'DELETE_SKIPPED']);

interface Candidate {
  resource: ResourceRecord;
  stack: StackRecord;
}

/** Resources of the environment of one type, with the stack that holds each. */
function candidatesOf(info: EnvironmentInfo, type: string): Candidate[] {
  return info.stacks.flatMap(stack =>
    Object.values(stack.definition.resources)
      .filter(r => r.type === type && r.physicalId && !GONE.has(r.status))
      .map(resource => ({ resource, stack })),
  );
}

/**
 * Where a finding of the template can land in the environment: the resources that fail its check, or, for worker
 * nodes and images (not CloudFormation resources: the node groups launch them), the cluster's stack.
 */
function placesFor(
  info: EnvironmentInfo,
  template: FindingTemplate,
  context: CheckContext,
): Candidate[] {
  const cfnType = CFN_TYPE[template.target];
  if (cfnType) {
    return candidatesOf(info, cfnType).filter(
      c => !template.fails || template.fails(c.resource, context),
    );
  }
  return candidatesOf(info, 'AWS::EKS::Cluster')
    .slice(0, 1)
    .filter(c => !template.fails || template.fails(c.resource, context));
}

function resourceFor(
  info: EnvironmentInfo,
  target: Target,
  place: Candidate,
  random: SeededRandom,
): { id: string; arn: string; tags: Record<string, string> } {
  const envTags = Object.fromEntries(
    info.stacks[0].definition.tags.map(t => [t.Key, t.Value]),
  );
  if (CFN_TYPE[target]) {
    const { resource } = place;
    const arn = arnFor(
      resource.type,
      resource.physicalId!,
      info.accountId,
      info.region,
    );
    const tags = {
      ...envTags,
      ...Object.fromEntries(resource.tags.map(t => [t.Key, t.Value])),
    };
    return {
      id:
        target === 'bucket' || target === 'database' || target === 'cluster'
          ? resource.physicalId!
          : arn,
      arn,
      tags,
    };
  }
  if (target === 'image') {
    const digest = random.hex(64);
    const repo = random.pick(['innovate/web-frontend', 'innovate/api']);
    const arn = `arn:aws:ecr:${info.region}:111111111111:repository/${repo}/sha256:${digest}`;
    return { id: arn, arn, tags: envTags };
  }
  const instanceId = `i-0${random.hex(16)}`;
  const arn = `arn:aws:ec2:${info.region}:${info.accountId}:instance/${instanceId}`;
  return {
    id: instanceId,
    arn,
    tags: { ...envTags, 'eks:nodegroup-name': `${info.name}-backend` },
  };
}

/**
 * The findings of one environment: a stable handful, more in bigger, older environments. `day` (UTC midnight)
 * dates the findings of older environments; a finding is first observed a few minutes after the stack holding its
 * resource was created at the earliest, which may be later than `day` (the model leaves it out until then).
 */
function environmentFindings(
  seed: number,
  info: EnvironmentInfo,
  day: number,
  seeded: boolean,
): SimulatedFinding[] {
  const random = SeededRandom.for(seed, 'findings', info.name, info.createdAt);
  const context: CheckContext = { info, now: day };
  const eligible = TEMPLATES.filter(
    t => !t.stages || t.stages.includes(info.stage),
  )
    .map(template => ({ template, places: placesFor(info, template, context) }))
    .filter(e => e.places.length > 0);
  const count = seeded
    ? { prod: 13, staging: 11, dev: 10 }[info.stage] ?? 10
    : random.int(2, 4);
  const chosen = [...eligible]
    .sort(
      (a, b) =>
        hashSeed(seed, info.name, a.template.code) -
        hashSeed(seed, info.name, b.template.code),
    )
    .slice(0, count);
  const detectorId = detectorIdFor(seed, info.accountId, info.region);
  return chosen.map(({ template, places }, index) => {
    const r = SeededRandom.for(seed, 'finding', info.name, template.code);
    const place = r.pick(places);
    const resource = resourceFor(info, template.target, place, r);
    const ageDays = r.between(1, 60);
    const observedAfterCreation =
      place.stack.creationTime + r.between(1, 15) * MINUTE;
    const firstObservedAt = Math.max(
      day - ageDays * DAY,
      observedAfterCreation,
    );
    const updatedAt =
      firstObservedAt + r.next() * Math.max(0, day - firstObservedAt);
    const workflowStatus = pickWeighted(r.next(), [
      ['NEW', 0.6],
      ['NOTIFIED', 0.2],
      ['RESOLVED', 0.12],
      ['SUPPRESSED', 0.08],
    ] as const);
    const guardDutyId = r.hex(32);
    const asffIds: Record<Product, () => string> = {
      GuardDuty: () =>
        `arn:aws:guardduty:${info.region}:${info.accountId}:detector/${detectorId}/finding/${guardDutyId}`,
      Inspector: () =>
        `arn:aws:inspector2:${info.region}:${info.accountId}:finding/${guardDutyId}`,
      'Security Hub': () =>
        `arn:aws:securityhub:${info.region}:${
          info.accountId
        }:subscription/aws-foundational-security-best-practices/v/1.0.0/${
          template.code
        }/finding/${r.uuid()}`,
    };
    const asffId = asffIds[template.product]();
    return {
      template,
      environment: info.name,
      accountId: info.accountId,
      region: info.region,
      resourceArn: resource.arn,
      resourceId: resource.id,
      resourceType: ASFF_TYPE[template.target],
      tags: resource.tags,
      firstObservedAt,
      updatedAt,
      workflowStatus,
      recordState:
        workflowStatus === 'RESOLVED' && index % 2 === 0
          ? 'ARCHIVED'
          : 'ACTIVE',
      guardDutyId,
      detectorId,
      asffId,
    } satisfies SimulatedFinding;
  });
}

/** Account-level findings that belong to no environment. */
function accountFindings(
  seed: number,
  accountId: string,
  region: string,
  now: number,
): SimulatedFinding[] {
  const r = SeededRandom.for(seed, 'account-findings', accountId);
  const template: FindingTemplate = {
    product: 'Security Hub',
    severity: 'CRITICAL',
    target: 'key',
    code: 'IAM.6',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark',
    title: () => 'Hardware MFA should be enabled for the root user',
    description:
      'The root user of the account signs in without a hardware MFA device.',
  };
  return [
    {
      template,
      accountId,
      region,
      resourceArn: `arn:aws:iam::${accountId}:root`,
      resourceId: `AWS::::Account:${accountId}`,
      resourceType: 'AwsAccount',
      tags: {},
      firstObservedAt: now - 75 * DAY,
      updatedAt: now - 2 * DAY,
      workflowStatus: 'NOTIFIED',
      recordState: 'ACTIVE',
      guardDutyId: r.hex(32),
      detectorId: detectorIdFor(seed, accountId, region),
      asffId: `arn:aws:securityhub:${region}:${accountId}:subscription/cis-aws-foundations-benchmark/v/1.4.0/1.6/finding/${r.uuid()}`,
    },
  ];
}

/** What the findings of an environment depend on: its stacks as they stand, and the day. */
function fingerprint(info: EnvironmentInfo, day: number): string {
  return [
    day,
    ...info.stacks.map(
      s => `${s.stackId}:${s.status}:${s.lastUpdatedTime ?? ''}`,
    ),
  ].join('|');
}

export class FindingsModel {
  /** The findings of each environment, computed again when its stacks change or a day passes. */
  private readonly cache = new Map<
    string,
    { fingerprint: string; findings: SimulatedFinding[] }
  >();

  constructor(
    private readonly engine: CloudFormationEngine,
    private readonly seed: number,
    private readonly seededEnvironments: ReadonlySet<string>,
  ) {}

  list(accountId: string, region: string, now: number): SimulatedFinding[] {
    const day = Math.floor(now / DAY) * DAY;
    const out: SimulatedFinding[] = accountFindings(
      this.seed,
      accountId,
      region,
      day,
    );
    for (const info of environments(this.engine, { accountId, region })) {
      const key = `${accountId}/${region}/${info.name}@${info.createdAt}`;
      const print = fingerprint(info, day);
      let cached = this.cache.get(key);
      if (cached?.fingerprint !== print) {
        cached = {
          fingerprint: print,
          findings: environmentFindings(
            this.seed,
            info,
            day,
            this.seededEnvironments.has(info.name),
          ),
        };
        this.cache.set(key, cached);
      }
      // A finding exists from its first observation on.
      out.push(...cached.findings.filter(f => f.firstObservedAt <= now));
    }
    return out.sort(
      (a, b) => b.updatedAt - a.updatedAt || a.asffId.localeCompare(b.asffId),
    );
  }
}
