import { awsError } from '../errors';
import type { CommandContext, CommandHandlers } from '../types';
import { mapFilterMatches, pageOf, stringFilterMatches } from './filters';
import type { FindingsModel, SimulatedFinding } from './generator';
import { NORMALIZED } from './templates';

const INSPECTOR_STATUS: Record<SimulatedFinding['workflowStatus'], string> = {
  NEW: 'ACTIVE',
  NOTIFIED: 'ACTIVE',
  RESOLVED: 'CLOSED',
  SUPPRESSED: 'SUPPRESSED',
};

export function inspectorHandlers(model: FindingsModel): CommandHandlers {
  type Filter = { comparison?: string; value?: string; key?: string };
  const matchesFilter = (
    filters: Filter[] | undefined,
    value: string | undefined,
  ) =>
    stringFilterMatches(
      filters?.map(f => ({ Value: f.value, Comparison: f.comparison })),
      value,
    );
  return {
    ListFindings: (
      ctx: CommandContext,
      input: {
        filterCriteria?: Record<string, Filter[]>;
        maxResults?: number;
        nextToken?: string;
      },
    ) => {
      const max = input.maxResults ?? 50;
      if (max < 1 || max > 100)
        throw awsError(
          'inspector2',
          'ValidationException',
          'maxResults must be between 1 and 100',
        );
      const c = input.filterCriteria ?? {};
      const findings = model
        .list(ctx.accountId, ctx.region, ctx.now())
        .filter(f => f.template.product === 'Inspector')
        .map(f => {
          const t = f.template;
          const status = INSPECTOR_STATUS[f.workflowStatus];
          const resourceType =
            t.target === 'image'
              ? 'AWS_ECR_CONTAINER_IMAGE'
              : 'AWS_EC2_INSTANCE';
          return {
            findingArn: f.asffId,
            awsAccountId: f.accountId,
            type: 'PACKAGE_VULNERABILITY',
            description: t.description,
            title: t.title(f.resourceId),
            remediation: {
              recommendation: {
                text: `Upgrade ${t.packageName} to a fixed version.`,
              },
            },
            severity: t.severity,
            firstObservedAt: new Date(f.firstObservedAt),
            lastObservedAt: new Date(f.updatedAt),
            updatedAt: new Date(f.updatedAt),
            status,
            resources: [
              {
                type: resourceType,
                id: f.resourceId,
                partition: 'aws',
                region: f.region,
                tags: f.tags,
              },
            ],
            inspectorScore: NORMALIZED[t.severity] / 10,
            packageVulnerabilityDetails: {
              vulnerabilityId: t.code,
              source: 'NVD',
              vulnerablePackages: [
                {
                  name: t.packageName,
                  version: '1.0.0',
                  fixedInVersion: '1.0.1',
                  packageManager:
                    resourceType === 'AWS_EC2_INSTANCE' ? 'OS' : 'GOMOD',
                },
              ],
              referenceUrls: [`https://nvd.nist.gov/vuln/detail/${t.code}`],
            },
            exploitAvailable: t.severity === 'CRITICAL' ? 'YES' : 'NO',
            fixAvailable: 'YES',
          };
        })
        .filter(
          v =>
            matchesFilter(c.severity, v.severity) &&
            matchesFilter(c.findingStatus, v.status) &&
            matchesFilter(c.resourceType, v.resources[0].type) &&
            matchesFilter(c.awsAccountId, v.awsAccountId) &&
            matchesFilter(c.findingType, v.type) &&
            matchesFilter(
              c.vulnerabilityId,
              v.packageVulnerabilityDetails.vulnerabilityId,
            ) &&
            mapFilterMatches(
              c.resourceTags?.map(f => ({
                Key: f.key,
                Value: f.value,
                Comparison: f.comparison,
              })),
              v.resources[0].tags,
            ),
        );
      const { slice, next } = pageOf(
        findings,
        input.nextToken,
        max,
        'inspector2',
      );
      return { findings: slice, ...(next ? { nextToken: next } : {}) };
    },
  };
}
