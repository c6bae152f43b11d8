/** The AWS Security Finding Format view of a finding, as Security Hub serves it. */
import type { SimulatedFinding } from './generator';
import { GUARDDUTY_SEVERITY, NORMALIZED, type Product } from './templates';

const PRODUCT_ARN_NAME: Record<Product, string> = {
  GuardDuty: 'guardduty',
  Inspector: 'inspector',
  'Security Hub': 'securityhub',
};

const WORKFLOW_STATE: Record<SimulatedFinding['workflowStatus'], string> = {
  NEW: 'NEW',
  NOTIFIED: 'ASSIGNED',
  RESOLVED: 'RESOLVED',
  SUPPRESSED: 'ASSIGNED',
};

export const iso = (ms: number) => new Date(ms).toISOString();

export function toAsff(f: SimulatedFinding) {
  const t = f.template;
  const productArn = `arn:aws:securityhub:${f.region}::product/aws/${
    PRODUCT_ARN_NAME[t.product]
  }`;
  return {
    SchemaVersion: '2018-10-08',
    Id: f.asffId,
    ProductArn: productArn,
    ProductName: t.product,
    CompanyName: 'AWS',
    Region: f.region,
    GeneratorId:
      t.product === 'Security Hub'
        ? `aws-foundational-security-best-practices/v/1.0.0/${t.code}`
        : t.code,
    AwsAccountId: f.accountId,
    Types: [t.type],
    FirstObservedAt: iso(f.firstObservedAt),
    LastObservedAt: iso(f.updatedAt),
    CreatedAt: iso(f.firstObservedAt),
    UpdatedAt: iso(f.updatedAt),
    Severity: {
      Label: t.severity,
      Normalized: NORMALIZED[t.severity],
      Original:
        t.product === 'GuardDuty'
          ? String(GUARDDUTY_SEVERITY[t.severity])
          : t.severity,
    },
    Title: t.title(f.resourceId),
    Description: t.description,
    Remediation: {
      Recommendation: {
        Text:
          t.product === 'Security Hub'
            ? `For information on how to correct this issue, consult the AWS Security Hub controls documentation for ${t.code}.`
            : 'Review the finding and follow the remediation guidance of the product.',
        Url:
          t.product === 'Security Hub'
            ? `https://docs.aws.amazon.com/console/securityhub/${t.code}/remediation`
            : undefined,
      },
    },
    ProductFields: {
      'aws/securityhub/ProductName': t.product,
      'aws/securityhub/CompanyName': 'AWS',
    },
    Resources: [
      {
        Type: f.resourceType,
        Id: f.resourceArn,
        Partition: 'aws',
        Region: f.region,
        ...(Object.keys(f.tags).length ? { Tags: f.tags } : {}),
      },
    ],
    ...(t.product === 'Security Hub'
      ? {
          Compliance: {
            Status: f.workflowStatus === 'RESOLVED' ? 'PASSED' : 'FAILED',
            SecurityControlId: t.code,
          },
        }
      : {}),
    ...(t.product === 'Inspector'
      ? {
          Vulnerabilities: [
            {
              Id: t.code,
              VulnerablePackages: [{ Name: t.packageName }],
              FixAvailable: 'YES',
            },
          ],
        }
      : {}),
    WorkflowState: WORKFLOW_STATE[f.workflowStatus],
    Workflow: { Status: f.workflowStatus },
    RecordState: f.recordState,
    FindingProviderFields: {
      Severity: { Label: t.severity, Original: t.severity },
      Types: [t.type],
    },
    ProcessedAt: iso(f.updatedAt),
  };
}
