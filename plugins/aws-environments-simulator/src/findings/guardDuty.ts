import { awsError } from '../errors';
import { hashSeed } from '../random';
import type { CommandContext, CommandHandlers } from '../types';
import { iso } from './asff';
import { pageOf } from './filters';
import {
  detectorIdFor,
  type FindingsModel,
  type SimulatedFinding,
} from './generator';
import { GUARDDUTY_SEVERITY } from './templates';

export function guardDutyHandlers(
  model: FindingsModel,
  seed: number,
): CommandHandlers {
  const own = (ctx: CommandContext, detectorId: string | undefined) => {
    if (detectorId !== detectorIdFor(seed, ctx.accountId, ctx.region)) {
      throw awsError(
        'guardduty',
        'BadRequestException',
        `The request is rejected because the input detectorId is not owned by the current account.`,
      );
    }
    return model
      .list(ctx.accountId, ctx.region, ctx.now())
      .filter(f => f.template.product === 'GuardDuty');
  };
  const view = (f: SimulatedFinding) => {
    const t = f.template;
    const isCluster = t.target === 'cluster';
    const tags = Object.entries(f.tags).map(([Key, Value]) => ({ Key, Value }));
    return {
      AccountId: f.accountId,
      Arn: f.asffId,
      CreatedAt: iso(f.firstObservedAt),
      Description: t.description,
      Id: f.guardDutyId,
      Partition: 'aws',
      Region: f.region,
      Resource: isCluster
        ? {
            ResourceType: 'EKSCluster',
            EksClusterDetails: {
              Name: f.resourceId,
              Arn: f.resourceArn,
              Status: 'ACTIVE',
              Tags: tags,
            },
          }
        : {
            ResourceType: 'Instance',
            InstanceDetails: {
              InstanceId: f.resourceId,
              InstanceState: 'running',
              Tags: tags,
            },
          },
      SchemaVersion: '2.0',
      Service: {
        ServiceName: 'guardduty',
        DetectorId: f.detectorId,
        Archived: f.recordState === 'ARCHIVED',
        Count: 1 + (hashSeed(seed, f.guardDutyId) % 40),
        EventFirstSeen: iso(f.firstObservedAt),
        EventLastSeen: iso(f.updatedAt),
        ResourceRole: 'TARGET',
      },
      Severity: GUARDDUTY_SEVERITY[t.severity],
      Title: t.title(f.resourceId),
      Type: t.code,
      UpdatedAt: iso(f.updatedAt),
    };
  };
  type Condition = {
    Eq?: string[];
    Neq?: string[];
    Gt?: number;
    Gte?: number;
    Lt?: number;
    Lte?: number;
    Equals?: string[];
    NotEquals?: string[];
    GreaterThanOrEqual?: number;
  };
  const criterionMatches = (
    finding: ReturnType<typeof view>,
    field: string,
    condition: Condition,
  ): boolean => {
    let values: Array<string | number>;
    switch (field) {
      case 'severity':
        values = [finding.Severity];
        break;
      case 'type':
        values = [finding.Type];
        break;
      case 'service.archived':
        values = [String(finding.Service.Archived)];
        break;
      case 'resource.resourceType':
        values = [finding.Resource.ResourceType];
        break;
      case 'accountId':
        values = [finding.AccountId];
        break;
      case 'resource.instanceDetails.tags.value':
      case 'resource.eksClusterDetails.tags.value':
        values = (
          (finding.Resource as any).InstanceDetails ??
          (finding.Resource as any).EksClusterDetails
        ).Tags.map((t: { Value: string }) => t.Value);
        break;
      case 'resource.instanceDetails.tags.key':
      case 'resource.eksClusterDetails.tags.key':
        values = (
          (finding.Resource as any).InstanceDetails ??
          (finding.Resource as any).EksClusterDetails
        ).Tags.map((t: { Key: string }) => t.Key);
        break;
      default:
        throw awsError(
          'guardduty',
          'BadRequestException',
          `The simulated GuardDuty does not support the criterion ${field}`,
        );
    }
    const eq = condition.Eq ?? condition.Equals;
    const neq = condition.Neq ?? condition.NotEquals;
    const gte = condition.Gte ?? condition.GreaterThanOrEqual;
    return (
      (!eq || values.some(v => eq.includes(String(v)))) &&
      (!neq || values.every(v => !neq.includes(String(v)))) &&
      (gte === undefined || values.some(v => Number(v) >= gte)) &&
      (condition.Gt === undefined ||
        values.some(v => Number(v) > condition.Gt!)) &&
      (condition.Lt === undefined ||
        values.some(v => Number(v) < condition.Lt!)) &&
      (condition.Lte === undefined ||
        values.some(v => Number(v) <= condition.Lte!))
    );
  };
  return {
    ListDetectors: (ctx: CommandContext) => ({
      DetectorIds: [detectorIdFor(seed, ctx.accountId, ctx.region)],
    }),
    ListFindings: (
      ctx: CommandContext,
      input: {
        DetectorId?: string;
        FindingCriteria?: { Criterion?: Record<string, Condition> };
        MaxResults?: number;
        NextToken?: string;
      },
    ) => {
      const max = input.MaxResults ?? 50;
      if (max < 1 || max > 50)
        throw awsError(
          'guardduty',
          'BadRequestException',
          'MaxResults must be between 1 and 50',
        );
      const criteria = Object.entries(input.FindingCriteria?.Criterion ?? {});
      const ids = own(ctx, input.DetectorId)
        .map(view)
        .filter(v =>
          criteria.every(([field, condition]) =>
            criterionMatches(v, field, condition),
          ),
        )
        .map(v => v.Id);
      const { slice, next } = pageOf(ids, input.NextToken, max, 'guardduty');
      return { FindingIds: slice, ...(next ? { NextToken: next } : {}) };
    },
    GetFindings: (
      ctx: CommandContext,
      input: { DetectorId?: string; FindingIds?: string[] },
    ) => {
      if ((input.FindingIds?.length ?? 0) > 50)
        throw awsError(
          'guardduty',
          'BadRequestException',
          'FindingIds can list at most 50 ids',
        );
      const byId = new Map(
        own(ctx, input.DetectorId).map(f => [f.guardDutyId, f]),
      );
      return {
        Findings: (input.FindingIds ?? [])
          .map(id => byId.get(id))
          .filter((f): f is SimulatedFinding => Boolean(f))
          .map(view),
      };
    },
  };
}
