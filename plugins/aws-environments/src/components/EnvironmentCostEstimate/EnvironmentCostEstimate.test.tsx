import { screen, waitFor, within } from '@testing-library/react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  PRICE_TABLE,
  estimateMonthlyCost,
} from '@internal/plugin-aws-environments-common';
import type { ReactElement } from 'react';
import {
  EnvironmentCostEstimate,
  costInputFromForm,
} from './EnvironmentCostEstimate';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import type { AwsEnvironmentsApi } from '../../api/types';
import {
  FakeAwsEnvironmentsApi,
  pending,
} from '../../__fixtures__/FakeAwsEnvironmentsApi';
import { makeRegionPrices } from '../../__fixtures__';

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
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 0,
  }).format(amount);
const usd2 = (amount: number) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
  }).format(amount);

function renderEstimate(
  element: ReactElement,
  api: AwsEnvironmentsApi = new FakeAwsEnvironmentsApi(),
) {
  return renderInTestApp(
    <TestApiProvider apis={[[awsEnvironmentsApiRef, api]]}>
      {element}
    </TestApiProvider>,
  );
}

function estimateRegion() {
  return screen.getByRole('region', { name: 'Estimated monthly cost' });
}

/** What the estimate shows once the backend's prices for the form's Region have arrived. */
function liveEstimate(form: Record<string, unknown>) {
  return estimateMonthlyCost(costInputFromForm(form), {
    prices: makeRegionPrices(String(form.region)),
  });
}

describe('EnvironmentCostEstimate', () => {
  it("prices the options chosen so far with the Region's current list prices, says where they came from, and records the total", async () => {
    const api = new FakeAwsEnvironmentsApi();
    const props = fieldProps(devForm);
    const expected = liveEstimate(devForm);
    await renderEstimate(<EnvironmentCostEstimate {...props} />, api);

    expect(
      await screen.findByText(
        'Prices from the AWS Price List API, read 2026-11-27.',
      ),
    ).toBeInTheDocument();
    expect(estimateRegion()).toHaveTextContent(
      `${usd(expected.total)} per month`,
    );
    // The fixture's NAT gateway price is the table's doubled: the line shows the price that was read.
    const table = screen.getByRole('table', { name: 'Cost estimate by item' });
    const nat = within(table).getByText('NAT gateway').closest('tr')!;
    expect(nat).toHaveTextContent(
      `$${PRICE_TABLE.regions['eu-central-1'].natGatewayHourly * 2}`,
    );
    expect(within(table).getByText('EKS control plane')).toBeInTheDocument();
    expect(within(table).queryByText('WAF web ACL')).not.toBeInTheDocument();
    expect(
      screen.getByText(/On-demand list prices for eu-central-1/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(props.onChange).toHaveBeenLastCalledWith(expected.total),
    );
    expect(api.priceRegions).toContain('eu-central-1');
  });

  it("uses the shipped price table, and says so, while the Region's prices load", async () => {
    const expected = estimateMonthlyCost(costInputFromForm(devForm));
    await renderEstimate(
      <EnvironmentCostEstimate {...fieldProps(devForm)} />,
      new FakeAwsEnvironmentsApi({ getRegionPrices: () => pending() }),
    );
    expect(estimateRegion()).toHaveTextContent(
      `${usd(expected.total)} per month`,
    );
    expect(
      screen.getByText(
        `Prices from the shipped price table of ${PRICE_TABLE.asOf} while the current prices are read.`,
      ),
    ).toBeInTheDocument();
  });

  it('says when the current prices could not be read and estimates from the shipped table', async () => {
    const expected = estimateMonthlyCost(costInputFromForm(devForm));
    await renderEstimate(
      <EnvironmentCostEstimate {...fieldProps(devForm)} />,
      new FakeAwsEnvironmentsApi({
        getRegionPrices: () => Promise.reject(new Error('Service Unavailable')),
      }),
    );
    expect(
      await screen.findByText(
        `Prices from the shipped price table of ${PRICE_TABLE.asOf}: the current prices could not be read.`,
      ),
    ).toBeInTheDocument();
    expect(estimateRegion()).toHaveTextContent(
      `${usd(expected.total)} per month`,
    );
  });

  it("names the simulated organization's prices as such", async () => {
    await renderEstimate(
      <EnvironmentCostEstimate {...fieldProps(devForm)} />,
      new FakeAwsEnvironmentsApi({
        getRegionPrices: async region =>
          makeRegionPrices(region, { asOf: '2026-11-01' }, 'simulated'),
      }),
    );
    expect(
      await screen.findByText(
        'Prices from the simulated organization, as of 2026-11-01.',
      ),
    ).toBeInTheDocument();
  });

  it('prices the control plane of a Kubernetes version in extended support at the extended-support price', async () => {
    const extendedForm = { ...devForm, kubernetesVersion: '1.33' };
    await renderEstimate(
      <EnvironmentCostEstimate {...fieldProps(extendedForm)} />,
    );

    const line = (
      await screen.findByText('EKS control plane (extended support)')
    ).closest('tr')!;
    const { eksClusterExtendedHourly } = PRICE_TABLE.regions['eu-central-1'];
    expect(line).toHaveTextContent(usd2(730 * eksClusterExtendedHourly));
    expect(line).toHaveTextContent('Kubernetes 1.33 is in extended support');
  });

  it('prices a version in standard support at the standard price', async () => {
    const standardForm = { ...devForm, kubernetesVersion: '1.35' };
    await renderEstimate(
      <EnvironmentCostEstimate {...fieldProps(standardForm)} />,
    );
    await screen.findByText(
      'Prices from the AWS Price List API, read 2026-11-27.',
    );
    const line = screen.getByText('EKS control plane').closest('tr')!;
    expect(line).toHaveTextContent(
      usd2(730 * PRICE_TABLE.regions['eu-central-1'].eksClusterHourly),
    );
    expect(
      screen.queryByText('EKS control plane (extended support)'),
    ).not.toBeInTheDocument();
  });

  it('follows the form: production options cost more and add their items, with the DR Region priced too', async () => {
    const api = new FakeAwsEnvironmentsApi();
    const prodForm = {
      ...devForm,
      azCount: 3,
      natGateways: 'per-az',
      multiAz: true,
      enableWaf: true,
      drCopyRegion: 'us-east-1',
    };
    const { rerender } = await renderEstimate(
      <EnvironmentCostEstimate {...fieldProps(devForm)} />,
      api,
    );
    await screen.findByText(
      'Prices from the AWS Price List API, read 2026-11-27.',
    );
    const devTotal = liveEstimate(devForm).total;
    expect(estimateRegion()).toHaveTextContent(usd(devTotal));

    rerender(
      <TestApiProvider apis={[[awsEnvironmentsApiRef, api]]}>
        <EnvironmentCostEstimate {...fieldProps(prodForm)} />
      </TestApiProvider>,
    );

    const prodTotal = estimateMonthlyCost(costInputFromForm(prodForm), {
      prices: makeRegionPrices('eu-central-1'),
      drCopyPrices: makeRegionPrices('us-east-1'),
    }).total;
    expect(prodTotal).toBeGreaterThan(devTotal);
    await waitFor(() =>
      expect(estimateRegion()).toHaveTextContent(usd(prodTotal)),
    );
    expect(screen.getByText('WAF web ACL')).toBeInTheDocument();
    expect(screen.getByText('Backup copy to us-east-1')).toBeInTheDocument();
    expect(screen.getByText('NAT gateways (one per AZ)')).toBeInTheDocument();
    expect(api.priceRegions).toContain('us-east-1');
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
    await renderEstimate(
      <EnvironmentCostEstimate {...fieldProps(templateDefaults)} />,
    );
    await screen.findByText(
      'Prices from the AWS Price List API, read 2026-11-27.',
    );
    expect(screen.getByText('Frontend nodes (spot)')).toBeInTheDocument();
    expect(screen.getByText('Backend nodes (on-demand)')).toBeInTheDocument();
    expect(screen.getByText('RDS PostgreSQL (Multi-AZ)')).toBeInTheDocument();
    expect(screen.queryByText(/No price recorded/)).not.toBeInTheDocument();
  });

  it('does not write the value again when it has not changed', async () => {
    const total = estimateMonthlyCost(costInputFromForm(devForm)).total;
    const props = fieldProps(devForm, total);
    await renderEstimate(
      <EnvironmentCostEstimate {...props} />,
      new FakeAwsEnvironmentsApi({ getRegionPrices: () => pending() }),
    );
    expect(props.onChange).not.toHaveBeenCalled();
  });

  it('prices "No copy" (none) as no disaster-recovery copy', () => {
    const noCopy = estimateMonthlyCost(costInputFromForm({ ...devForm, drCopyRegion: 'none' }));
    expect(costInputFromForm({ ...devForm, drCopyRegion: 'none' }).drCopyRegion).toBe('');
    expect(noCopy.total).toBe(estimateMonthlyCost(costInputFromForm(devForm)).total);
    expect(noCopy.total).toBeLessThan(
      estimateMonthlyCost(costInputFromForm({ ...devForm, drCopyRegion: 'us-east-1' })).total,
    );
  });

  it('reads numbers typed as text and ignores what is not yet filled in', () => {
    expect(
      costInputFromForm({
        azCount: '3',
        databaseStorageGb: '',
        frontendNodes: { desired: '4' },
        multiAz: 'true',
        kubernetesVersion: '1.34',
      }),
    ).toMatchObject({
      azCount: 3,
      databaseStorageGb: undefined,
      frontendNodes: { desired: 4 },
      multiAz: true,
      kubernetesVersion: '1.34',
    });
  });
});
