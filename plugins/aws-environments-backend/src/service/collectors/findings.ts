import {
  GetFindingsCommand as GetGuardDutyFindingsCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  paginateListFindings as paginateListGuardDutyFindings,
} from '@aws-sdk/client-guardduty';
import {
  Inspector2Client,
  paginateListFindings as paginateListInspectorFindings,
} from '@aws-sdk/client-inspector2';
import {
  AwsSecurityFinding,
  SecurityHubClient,
  paginateGetFindings,
} from '@aws-sdk/client-securityhub';
import {
  EnvironmentFindings,
  FINDING_SEVERITIES,
  Finding,
  FindingSeverity,
  SectionMeta,
  TAG_ENVIRONMENT,
} from '@internal/plugin-aws-environments-common';
import type { AwsClientFactory } from '@internal/plugin-aws-environments-node';
import { groupBy } from '../concurrency';

export type FindingsReport = Omit<EnvironmentFindings, keyof SectionMeta>;

/** How many findings are kept per environment, most severe and oldest first. */
export const STORED_FINDINGS = 100;
/** Environments per Security Hub query: values of one filter field are OR-ed, and their number is limited. */
export const ENVIRONMENTS_PER_QUERY = 10;
/** GuardDuty GetFindings accepts at most 50 ids. */
const GUARDDUTY_BATCH = 50;

const SEVERITY_RANK: Record<FindingSeverity, number> = {
  CRITICAL: 0,
  HIGH: 1,
  MEDIUM: 2,
  LOW: 3,
  INFORMATIONAL: 4,
};

interface TaggedFinding {
  environment: string;
  finding: Finding;
}

function toSeverity(label: string | undefined): FindingSeverity {
  const upper = (label ?? '').toUpperCase();
  return (FINDING_SEVERITIES as string[]).includes(upper)
    ? (upper as FindingSeverity)
    : 'INFORMATIONAL';
}

/** GuardDuty scores severity 1.0 to 10.0. */
export function guardDutySeverity(score: number | undefined): FindingSeverity {
  const value = score ?? 0;
  if (value >= 9) return 'CRITICAL';
  if (value >= 7) return 'HIGH';
  if (value >= 4) return 'MEDIUM';
  if (value >= 1) return 'LOW';
  return 'INFORMATIONAL';
}

function securityHubProduct(finding: AwsSecurityFinding): string {
  const name =
    finding.ProductName ??
    finding.ProductFields?.['aws/securityhub/ProductName'];
  if (!name || name === 'Security Hub') {
    return 'Security Hub';
  }
  return name;
}

const encode = encodeURIComponent;

function securityHubLink(region: string, id: string): string {
  return `https://${region}.console.aws.amazon.com/securityhub/home?region=${region}#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A${encode(
    encode(id),
  )}`;
}

/** Collects tag values of `TAG_ENVIRONMENT` anywhere in a GuardDuty resource (instance, cluster, database, ...). */
function environmentTagsIn(
  value: unknown,
  found: Set<string> = new Set(),
): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (
        item &&
        typeof item === 'object' &&
        (item as { Key?: unknown }).Key === TAG_ENVIRONMENT &&
        typeof (item as { Value?: unknown }).Value === 'string'
      ) {
        found.add((item as { Value: string }).Value);
      } else {
        environmentTagsIn(item, found);
      }
    }
  } else if (value && typeof value === 'object') {
    for (const child of Object.values(value)) {
      environmentTagsIn(child, found);
    }
  }
  return found;
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

async function fromSecurityHub(
  client: SecurityHubClient,
  region: string,
  environments: string[],
): Promise<TaggedFinding[]> {
  const wanted = new Set(environments);
  const found: TaggedFinding[] = [];
  for (const group of chunks(environments, ENVIRONMENTS_PER_QUERY)) {
    for await (const page of paginateGetFindings(
      { client, pageSize: 100 },
      {
        Filters: {
          ResourceTags: group.map(name => ({
            Key: TAG_ENVIRONMENT,
            Value: name,
            Comparison: 'EQUALS',
          })),
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
          WorkflowStatus: [
            { Value: 'NEW', Comparison: 'EQUALS' },
            { Value: 'NOTIFIED', Comparison: 'EQUALS' },
          ],
        },
      },
    )) {
      for (const finding of page.Findings ?? []) {
        const resource =
          finding.Resources?.find(r =>
            wanted.has(r.Tags?.[TAG_ENVIRONMENT] ?? ''),
          ) ?? undefined;
        const environment = resource?.Tags?.[TAG_ENVIRONMENT];
        if (!environment) {
          continue;
        }
        found.push({
          environment,
          finding: {
            id: finding.Id ?? '',
            title: finding.Title ?? '',
            severity: toSeverity(finding.Severity?.Label),
            product: securityHubProduct(finding),
            resourceId: resource?.Id ?? '',
            resourceType: resource?.Type,
            workflowState: finding.Workflow?.Status,
            firstObservedAt: finding.FirstObservedAt ?? finding.CreatedAt,
            updatedAt: finding.UpdatedAt,
            consoleUrl: securityHubLink(region, finding.Id ?? ''),
          },
        });
      }
    }
  }
  return found;
}

async function fromGuardDuty(
  client: GuardDutyClient,
  region: string,
  wanted: Set<string>,
): Promise<TaggedFinding[]> {
  const { DetectorIds } = await client.send(new ListDetectorsCommand({}));
  const detectorId = DetectorIds?.[0];
  if (!detectorId) {
    return [];
  }
  const ids: string[] = [];
  for await (const page of paginateListGuardDutyFindings(
    { client },
    {
      DetectorId: detectorId,
      FindingCriteria: {
        Criterion: { 'service.archived': { Equals: ['false'] } },
      },
    },
  )) {
    ids.push(...(page.FindingIds ?? []));
  }
  const found: TaggedFinding[] = [];
  for (const batch of chunks(ids, GUARDDUTY_BATCH)) {
    const { Findings } = await client.send(
      new GetGuardDutyFindingsCommand({
        DetectorId: detectorId,
        FindingIds: batch,
      }),
    );
    for (const finding of Findings ?? []) {
      const environment = [...environmentTagsIn(finding.Resource)].find(e =>
        wanted.has(e),
      );
      if (!environment) {
        continue;
      }
      found.push({
        environment,
        finding: {
          id: finding.Id ?? '',
          title: finding.Title ?? finding.Type ?? '',
          severity: guardDutySeverity(finding.Severity),
          product: 'GuardDuty',
          resourceId:
            finding.Resource?.InstanceDetails?.InstanceId ??
            finding.Resource?.EksClusterDetails?.Name ??
            finding.Resource?.RdsDbInstanceDetails?.DbInstanceIdentifier ??
            finding.Resource?.ResourceType ??
            '',
          resourceType: finding.Resource?.ResourceType,
          workflowState: 'NEW',
          firstObservedAt: finding.Service?.EventFirstSeen ?? finding.CreatedAt,
          updatedAt: finding.UpdatedAt,
          consoleUrl: `https://${region}.console.aws.amazon.com/guardduty/home?region=${region}#/findings?fId=${encode(
            finding.Id ?? '',
          )}`,
        },
      });
    }
  }
  return found;
}

async function fromInspector(
  client: Inspector2Client,
  region: string,
  wanted: Set<string>,
): Promise<TaggedFinding[]> {
  const found: TaggedFinding[] = [];
  try {
    for await (const page of paginateListInspectorFindings(
      { client },
      {
        filterCriteria: {
          findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
        },
      },
    )) {
      for (const finding of page.findings ?? []) {
        const resource = finding.resources?.find(r =>
          wanted.has(r.tags?.[TAG_ENVIRONMENT] ?? ''),
        );
        const environment = resource?.tags?.[TAG_ENVIRONMENT];
        if (!environment) {
          continue;
        }
        found.push({
          environment,
          finding: {
            id: finding.findingArn ?? '',
            title: finding.title ?? '',
            severity: toSeverity(finding.severity),
            product: 'Inspector',
            resourceId: resource?.id ?? '',
            resourceType: resource?.type,
            workflowState: finding.status,
            firstObservedAt: finding.firstObservedAt?.toISOString(),
            updatedAt: finding.updatedAt?.toISOString(),
            consoleUrl: `https://${region}.console.aws.amazon.com/inspector/v2/home?region=${region}#/findings/all`,
          },
        });
      }
    }
  } catch (error) {
    // Inspector answers AccessDeniedException when it is not enabled in the account: no findings to report.
    if ((error as { name?: string }).name === 'AccessDeniedException') {
      return [];
    }
    throw error;
  }
  return found;
}

function summarize(
  findings: Finding[],
  source: FindingsReport['source'],
): FindingsReport {
  const counts = Object.fromEntries(
    FINDING_SEVERITIES.map(s => [s, 0]),
  ) as Record<FindingSeverity, number>;
  const byProduct: Record<string, number> = {};
  for (const finding of findings) {
    counts[finding.severity] += 1;
    byProduct[finding.product] = (byProduct[finding.product] ?? 0) + 1;
  }
  const top = [...findings]
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        (a.firstObservedAt ?? '').localeCompare(b.firstObservedAt ?? ''),
    )
    .slice(0, STORED_FINDINGS);
  return { source, counts, byProduct, top };
}

/**
 * Collects the active findings of every environment in one account and Region with a few paginated Security Hub
 * queries (environments batched in one tag filter) and splits them by each resource's `innovate:environment` tag.
 * Where Security Hub is not enabled, GuardDuty and Inspector are read directly.
 */
export async function collectAccountFindings(
  factory: AwsClientFactory,
  target: { accountId: string; region: string },
  environments: string[],
): Promise<Map<string, FindingsReport>> {
  let tagged: TaggedFinding[];
  let source: FindingsReport['source'] = 'securityhub';
  try {
    const securityHub = await factory.getClient(SecurityHubClient, target);
    tagged = await fromSecurityHub(securityHub, target.region, environments);
  } catch (error) {
    if ((error as { name?: string }).name !== 'InvalidAccessException') {
      throw error;
    }
    source = 'guardduty-inspector';
    const wanted = new Set(environments);
    const [guardDuty, inspector] = await Promise.all([
      factory
        .getClient(GuardDutyClient, target)
        .then(client => fromGuardDuty(client, target.region, wanted)),
      factory
        .getClient(Inspector2Client, target)
        .then(client => fromInspector(client, target.region, wanted)),
    ]);
    tagged = [...guardDuty, ...inspector];
  }
  const byEnvironment = groupBy(tagged, t => t.environment);
  const reports = new Map<string, FindingsReport>();
  for (const environment of environments) {
    reports.set(
      environment,
      summarize(
        (byEnvironment.get(environment) ?? []).map(t => t.finding),
        source,
      ),
    );
  }
  return reports;
}
