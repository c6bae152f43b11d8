import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { estimateMonthlyCost } from '@internal/plugin-aws-environments-common';
import { EnvironmentCostEstimate, costInputFromForm } from './EnvironmentCostEstimate';

const devForm = {
  name: 'innovate-qa',
  stage: 'dev',
  accountId: '222222222222',
  region: 'eu-central-1',
  azCount: 2,
  natGateways: 'single',
  nodeStrategy: 'on-demand',
  frontendInstanceType: 't3.medium',
  backendInstanceType: 't3.large',
  frontendNodes: { min: 1, max: 3, desired: 2 },
  backendNodes: { min: 1, max: 3, desired: 2 },
  databaseEngine: 'rds-postgresql',
  databaseInstanceClass: 'db.t3.medium',
  databaseStorageGb: 50,
  multiAz: false,
  readReplica: false,
  drCopyRegion: '',
  enableWaf: false,
};

function fieldProps(form: Record<string, unknown>, formData?: number) {
  return {
    name: 'costEstimate',
    schema: { title: 'Estimated monthly cost', type: 'number' },
    uiSchema: {},
    idSchema: { $id: 'root_costEstimate' },
    formData,
    formContext: { formData: form },
    onChange: jest.fn(),
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    rawErrors: [],
    disabled: false,
    readonly: true,
  } as unknown as FieldExtensionComponentProps<number>;
}

const usd = (amount: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(amount);

describe('EnvironmentCostEstimate', () => {
  it('shows the monthly total and line items of the options chosen so far, and records the total', async () => {
    const props = fieldProps(devForm);
    const expected = estimateMonthlyCost(costInputFromForm(devForm));
    await renderInTestApp(<EnvironmentCostEstimate {...props} />);

    expect(screen.getByRole('region', { name: 'Estimated monthly cost' })).toHaveTextContent(
      `${usd(expected.total)} per month`,
    );
    const table = screen.getByRole('table', { name: 'Cost estimate by item' });
    expect(within(table).getByText('EKS control plane')).toBeInTheDocument();
    expect(within(table).getByText('NAT gateway')).toBeInTheDocument();
    expect(within(table).queryByText('WAF web ACL')).not.toBeInTheDocument();
    expect(screen.getByText(/On-demand list prices for eu-central-1/)).toBeInTheDocument();
    expect(props.onChange).toHaveBeenCalledWith(expected.total);
  });

  it('follows the form: production options cost more and add their items', async () => {
    const prodForm = {
      ...devForm,
      azCount: 3,
      natGateways: 'per-az',
      multiAz: true,
      enableWaf: true,
      drCopyRegion: 'us-east-1',
    };
    const { rerender } = await renderInTestApp(
      <EnvironmentCostEstimate {...fieldProps(devForm)} />,
    );
    const devTotal = estimateMonthlyCost(costInputFromForm(devForm)).total;

    rerender(<EnvironmentCostEstimate {...fieldProps(prodForm)} />);

    const prodTotal = estimateMonthlyCost(costInputFromForm(prodForm)).total;
    expect(prodTotal).toBeGreaterThan(devTotal);
    expect(screen.getByRole('region', { name: 'Estimated monthly cost' })).toHaveTextContent(usd(prodTotal));
    expect(screen.getByText('WAF web ACL')).toBeInTheDocument();
    expect(screen.getByText('Backup copy to us-east-1')).toBeInTheDocument();
    expect(screen.getByText('NAT gateways (one per AZ)')).toBeInTheDocument();
  });

  it('prices the New AWS environment template defaults completely', async () => {
    const templateDefaults = {
      stage: 'prod',
      region: 'eu-central-1',
      azCount: 3,
      natGateways: 'per-az',
      nodeStrategy: 'mixed',
      frontendInstanceType: 't4g.medium',
      backendInstanceType: 't4g.large',
      frontendNodes: { min: 1, desired: 2, max: 4 },
      backendNodes: { min: 1, desired: 2, max: 4 },
      databaseEngine: 'rds-postgresql',
      databaseInstanceClass: 'db.t4g.medium',
      databaseStorageGb: 20,
      multiAz: false,
      drCopyRegion: '',
      enableWaf: false,
    };
    await renderInTestApp(<EnvironmentCostEstimate {...fieldProps(templateDefaults)} />);
    expect(screen.getByText('Frontend nodes (spot)')).toBeInTheDocument();
    expect(screen.getByText('Backend nodes (on-demand)')).toBeInTheDocument();
    expect(screen.getByText('RDS PostgreSQL (Multi-AZ)')).toBeInTheDocument();
    expect(screen.queryByText(/No price recorded/)).not.toBeInTheDocument();
  });

  it('does not write the value again when it has not changed', async () => {
    const total = estimateMonthlyCost(costInputFromForm(devForm)).total;
    const props = fieldProps(devForm, total);
    await renderInTestApp(<EnvironmentCostEstimate {...props} />);
    expect(props.onChange).not.toHaveBeenCalled();
  });

  it('reads numbers typed as text and ignores what is not yet filled in', () => {
    expect(
      costInputFromForm({
        azCount: '3',
        databaseStorageGb: '',
        frontendNodes: { desired: '4' },
        multiAz: 'true',
      }),
    ).toMatchObject({
      azCount: 3,
      databaseStorageGb: undefined,
      frontendNodes: { desired: 4 },
      multiAz: true,
    });
  });
});
