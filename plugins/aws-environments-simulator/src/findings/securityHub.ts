import { awsError } from '../errors';
import type { CommandContext, CommandHandlers } from '../types';
import { toAsff } from './asff';
import { mapFilterMatches, pageOf, stringFilterMatches } from './filters';
import type { FindingsModel } from './generator';

export function securityHubHandlers(model: FindingsModel): CommandHandlers {
  return {
    GetFindings: (
      ctx: CommandContext,
      input: {
        Filters?: Record<string, any>;
        MaxResults?: number;
        NextToken?: string;
        SortCriteria?: Array<{ Field?: string; SortOrder?: string }>;
      },
    ) => {
      const max = input.MaxResults ?? 100;
      if (max < 1 || max > 100) {
        throw awsError(
          'securityhub',
          'InvalidInputException',
          'MaxResults must be between 1 and 100',
        );
      }
      const f = input.Filters ?? {};
      let findings = model
        .list(ctx.accountId, ctx.region, ctx.now())
        .map(toAsff);
      findings = findings.filter(
        a =>
          stringFilterMatches(f.ProductName, a.ProductName) &&
          stringFilterMatches(f.SeverityLabel, a.Severity.Label) &&
          stringFilterMatches(f.WorkflowStatus, a.Workflow.Status) &&
          stringFilterMatches(f.RecordState, a.RecordState) &&
          stringFilterMatches(f.AwsAccountId, a.AwsAccountId) &&
          stringFilterMatches(f.Region, a.Region) &&
          stringFilterMatches(f.ResourceType, a.Resources[0].Type) &&
          stringFilterMatches(f.ResourceId, a.Resources[0].Id) &&
          stringFilterMatches(
            f.ComplianceStatus,
            (a as any).Compliance?.Status,
          ) &&
          stringFilterMatches(f.Title, a.Title) &&
          stringFilterMatches(f.Id, a.Id) &&
          stringFilterMatches(f.GeneratorId, a.GeneratorId) &&
          stringFilterMatches(f.Type, a.Types[0]) &&
          mapFilterMatches(f.ResourceTags, a.Resources[0].Tags ?? {}),
      );
      const sort = input.SortCriteria?.[0];
      if (sort?.Field) {
        const field = sort.Field;
        const special: Record<string, (a: any) => unknown> = {
          SeverityNormalized: a => a.Severity.Normalized,
          SeverityLabel: a => a.Severity.Label,
        };
        const value = (a: any) =>
          String((special[field] ?? ((x: any) => x[field]))(a) ?? '');
        const direction = sort.SortOrder === 'asc' ? 1 : -1;
        findings.sort(
          (x, y) =>
            direction *
            value(x).localeCompare(value(y), 'en', { numeric: true }),
        );
      }
      const { slice, next } = pageOf(
        findings,
        input.NextToken,
        max,
        'securityhub',
      );
      return { Findings: slice, ...(next ? { NextToken: next } : {}) };
    },
  };
}
