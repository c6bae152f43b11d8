import {
  CostEstimateInput,
  HOURS_PER_MONTH,
  PRICE_TABLE,
  estimateMonthlyCost,
} from './pricing';
import type { RegionPricesResponse } from './lifecycle';

const devOptions: CostEstimateInput = {
  region: 'eu-central-1',
  azCount: 2,
  natGateways: 'single',
  nodeStrategy: 'on-demand',
  frontendInstanceType: 't3.medium',
  backendInstanceType: 't3.large',
  frontendNodes: { min: 1, max: 3, desired: 2 },
  backendNodes: { min: 1, max: 4, desired: 2 },
  databaseEngine: 'rds-postgresql',
  databaseInstanceClass: 'db.t3.medium',
  databaseStorageGb: 50,
  multiAz: false,
  readReplica: false,
  drCopyRegion: '',
  enableWaf: false,
};

const prodOptions: CostEstimateInput = {
  ...devOptions,
  azCount: 3,
  natGateways: 'per-az',
  frontendInstanceType: 'm6i.large',
  backendInstanceType: 'm6i.xlarge',
  frontendNodes: { min: 3, max: 6, desired: 3 },
  backendNodes: { min: 3, max: 9, desired: 3 },
  databaseInstanceClass: 'db.r6g.large',
  databaseStorageGb: 200,
  multiAz: true,
  readReplica: true,
  drCopyRegion: 'us-east-1',
  enableWaf: true,
};

function item(estimate: ReturnType<typeof estimateMonthlyCost>, key: string) {
  return estimate.lineItems.find(line => line.key === key);
}

describe('estimateMonthlyCost', () => {
  it('prices a dev environment from the eu-central-1 table and sums its line items', () => {
    const estimate = estimateMonthlyCost(devOptions);
    const prices = PRICE_TABLE.regions['eu-central-1'];

    expect(estimate.pricedAs).toBe('eu-central-1');
    expect(estimate.pricesAsOf).toBe(PRICE_TABLE.asOf);
    expect(item(estimate, 'network.nat-gateways')?.monthly).toBeCloseTo(
      HOURS_PER_MONTH * prices.natGatewayHourly,
      2,
    );
    expect(item(estimate, 'compute.eks-cluster')?.monthly).toBe(73);
    expect(item(estimate, 'edge.waf')).toBeUndefined();
    expect(item(estimate, 'database.read-replica')).toBeUndefined();
    expect(item(estimate, 'backup.dr-copy')).toBeUndefined();

    const sum = estimate.lineItems.reduce((s, line) => s + line.monthly, 0);
    expect(estimate.total).toBeCloseTo(sum, 2);
    expect(estimate.total).toBeGreaterThan(250);
    expect(estimate.total).toBeLessThan(500);
  });

  it('makes a production set-up cost several times a dev one', () => {
    const dev = estimateMonthlyCost(devOptions);
    const prod = estimateMonthlyCost(prodOptions);

    expect(item(prod, 'network.nat-gateways')?.detail).toMatch(/^3 ×/);
    expect(item(prod, 'database.primary')?.label).toContain('Multi-AZ');
    expect(item(prod, 'database.read-replica')).toBeDefined();
    expect(item(prod, 'edge.waf')?.monthly).toBe(9);
    expect(item(prod, 'backup.dr-copy')?.label).toBe(
      'Backup copy to us-east-1',
    );
    expect(prod.total).toBeGreaterThan(dev.total * 3);
  });

  it('doubles the database instance for Multi-AZ', () => {
    const single = estimateMonthlyCost(devOptions);
    const multi = estimateMonthlyCost({ ...devOptions, multiAz: true });
    expect(item(multi, 'database.primary')!.monthly).toBeCloseTo(
      item(single, 'database.primary')!.monthly * 2,
      1,
    );
  });

  it('makes spot nodes cheaper than on-demand and says the price is assumed', () => {
    const onDemand = estimateMonthlyCost(devOptions);
    const spot = estimateMonthlyCost({ ...devOptions, nodeStrategy: 'spot' });

    const frontend = (e: typeof onDemand) =>
      item(e, 'compute.frontend-nodes')!.monthly;
    expect(frontend(spot)).toBeLessThan(frontend(onDemand) / 2);
    expect(spot.notes.join(' ')).toMatch(/Spot capacity priced/);
    expect(onDemand.notes.join(' ')).not.toMatch(/Spot/);
  });

  it('runs the frontend on spot and the API on-demand when capacity is mixed', () => {
    const spot = estimateMonthlyCost({ ...devOptions, nodeStrategy: 'spot' });
    const onDemand = estimateMonthlyCost(devOptions);
    const mixed = estimateMonthlyCost({ ...devOptions, nodeStrategy: 'mixed' });

    expect(item(mixed, 'compute.frontend-nodes')).toEqual(
      item(spot, 'compute.frontend-nodes'),
    );
    expect(item(mixed, 'compute.backend-nodes')).toEqual(
      item(onDemand, 'compute.backend-nodes'),
    );
    expect(item(mixed, 'compute.frontend-nodes')?.label).toBe(
      'Frontend nodes (spot)',
    );
  });

  it('always prices a Multi-AZ standby in prod, as the data layer enforces', () => {
    const estimate = estimateMonthlyCost({
      ...devOptions,
      stage: 'prod',
      multiAz: false,
    });
    expect(item(estimate, 'database.primary')?.label).toBe(
      'RDS PostgreSQL (Multi-AZ)',
    );
  });

  it('prices every node type and database class the New AWS environment template offers', () => {
    const templateNodeTypes = [
      't4g.medium',
      't4g.large',
      't4g.xlarge',
      'm7g.large',
      'm7g.xlarge',
      'c7g.large',
      'c7g.xlarge',
      'r7g.large',
    ];
    const templateDbClasses = [
      'db.t4g.medium',
      'db.t4g.large',
      'db.r7g.large',
      'db.r7g.xlarge',
      'db.r7g.2xlarge',
    ];
    for (const prices of Object.values(PRICE_TABLE.regions)) {
      for (const type of templateNodeTypes) {
        expect(prices.ec2Hourly[type]).toBeGreaterThan(0);
      }
      for (const dbClass of templateDbClasses) {
        expect(prices.rdsPostgresHourly[dbClass]).toBeGreaterThan(0);
        expect(prices.auroraPostgresHourly[dbClass]).toBeGreaterThan(0);
      }
    }
  });

  it('prices the maximum node counts separately from the desired ones', () => {
    const estimate = estimateMonthlyCost(devOptions);
    expect(estimate.totalAtMaxScale).toBeGreaterThan(estimate.total);
  });

  it('prices Aurora as one instance per AZ plus replicas, with its own storage', () => {
    const estimate = estimateMonthlyCost({
      ...prodOptions,
      databaseEngine: 'aurora-postgresql',
    });
    expect(item(estimate, 'database.instances')?.detail).toMatch(
      /^3 × db\.r6g\.large/,
    );
    expect(item(estimate, 'database.storage')?.label).toBe('Aurora storage');
  });

  it('falls back to us-east-1 prices for a Region not in the table and says so', () => {
    const estimate = estimateMonthlyCost({
      ...devOptions,
      region: 'ap-south-2',
    });
    expect(estimate.region).toBe('ap-south-2');
    expect(estimate.pricedAs).toBe('us-east-1');
    expect(estimate.notes[0]).toMatch(/No prices recorded for ap-south-2/);
  });

  it('leaves out an instance type it has no price for, and names it', () => {
    const estimate = estimateMonthlyCost({
      ...devOptions,
      backendInstanceType: 'x9z.huge',
    });
    expect(item(estimate, 'compute.backend-nodes')).toBeUndefined();
    expect(estimate.notes.join(' ')).toContain('x9z.huge');
  });

  it('gives a sensible figure for a form that is still empty', () => {
    const estimate = estimateMonthlyCost({});
    expect(estimate.total).toBeGreaterThan(0);
    expect(
      estimate.lineItems.every(line => Number.isFinite(line.monthly)),
    ).toBe(true);
  });

  it('has a price for every instance type in both Regions of the table', () => {
    const [first, second] = Object.values(PRICE_TABLE.regions);
    expect(Object.keys(first.ec2Hourly).sort()).toEqual(
      Object.keys(second.ec2Hourly).sort(),
    );
    expect(Object.keys(first.rdsPostgresHourly).sort()).toEqual(
      Object.keys(second.rdsPostgresHourly).sort(),
    );
    expect(Object.keys(first.auroraPostgresHourly).sort()).toEqual(
      Object.keys(second.auroraPostgresHourly).sort(),
    );
  });

  describe('EKS extended support', () => {
    it('prices a cluster on a version in standard support at $0.10 an hour', () => {
      const estimate = estimateMonthlyCost({
        ...devOptions,
        kubernetesVersion: '1.34',
        kubernetesVersionPhase: 'standard',
      });
      const controlPlane = item(estimate, 'compute.eks-cluster')!;
      expect(controlPlane.monthly).toBe(73);
      expect(controlPlane.label).toBe('EKS control plane');
      expect(controlPlane.detail).toBe('730 h × $0.1');
    });

    it('prices a cluster on a version in extended support at $0.60 an hour, $365 a month more, and says why', () => {
      const standard = estimateMonthlyCost({
        ...devOptions,
        kubernetesVersionPhase: 'standard',
      });
      const extended = estimateMonthlyCost({
        ...devOptions,
        kubernetesVersion: '1.31',
        kubernetesVersionPhase: 'extended',
      });
      const controlPlane = item(extended, 'compute.eks-cluster')!;
      expect(controlPlane.monthly).toBe(438);
      expect(controlPlane.label).toBe('EKS control plane (extended support)');
      expect(controlPlane.detail).toContain('730 h × $0.6');
      expect(controlPlane.detail).toContain(
        'Kubernetes 1.31 is in extended support',
      );
      expect(extended.total - standard.total).toBeCloseTo(365, 2);
    });

    it('prices the control plane as standard support when the phase is not known', () => {
      const estimate = estimateMonthlyCost({
        ...devOptions,
        kubernetesVersion: '1.33',
      });
      expect(item(estimate, 'compute.eks-cluster')?.monthly).toBe(73);
    });

    it('says when the chosen version is no longer supported', () => {
      const estimate = estimateMonthlyCost({
        ...devOptions,
        kubernetesVersion: '1.28',
        kubernetesVersionPhase: 'unsupported',
      });
      expect(estimate.notes.join(' ')).toContain(
        'EKS no longer supports Kubernetes 1.28',
      );
      expect(item(estimate, 'compute.eks-cluster')?.monthly).toBe(73);
    });
  });

  describe('where the prices come from', () => {
    const readPrices = (
      overrides: Partial<RegionPricesResponse> = {},
    ): RegionPricesResponse => ({
      region: 'eu-central-1',
      pricedRegion: 'eu-central-1',
      fallback: false,
      source: 'aws',
      asOf: '2026-12-02',
      currency: 'USD',
      prices: {
        ...PRICE_TABLE.regions['eu-central-1'],
        natGatewayHourly: 0.06,
        eksClusterExtendedHourly: 0.7,
      },
      ...overrides,
    });

    it('reports the shipped table and its month when no prices are given', () => {
      const estimate = estimateMonthlyCost(devOptions);
      expect(estimate.pricesSource).toBe('snapshot');
      expect(estimate.pricesAsOf).toBe(PRICE_TABLE.asOf);
      expect(estimate.pricesAsOf).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
    });

    it('uses the prices read from AWS and reports their source and day', () => {
      const estimate = estimateMonthlyCost(
        { ...devOptions, kubernetesVersionPhase: 'extended' },
        { prices: readPrices() },
      );
      expect(estimate.pricesSource).toBe('aws');
      expect(estimate.pricesAsOf).toBe('2026-12-02');
      expect(item(estimate, 'network.nat-gateways')?.monthly).toBeCloseTo(
        730 * 0.06,
        2,
      );
      expect(item(estimate, 'compute.eks-cluster')?.monthly).toBeCloseTo(
        730 * 0.7,
        2,
      );
    });

    it('reports the fallback Region the backend priced a Region as', () => {
      const estimate = estimateMonthlyCost(
        { ...devOptions, region: 'ap-south-2' },
        {
          prices: readPrices({
            region: 'ap-south-2',
            pricedRegion: 'us-east-1',
            fallback: true,
            source: 'simulated',
          }),
        },
      );
      expect(estimate.pricedAs).toBe('us-east-1');
      expect(estimate.pricesSource).toBe('simulated');
      expect(estimate.notes[0]).toMatch(
        /No prices recorded for ap-south-2; priced as us-east-1/,
      );
    });

    it('ignores prices of another Region, so a form whose Region just changed is not misquoted', () => {
      const estimate = estimateMonthlyCost(
        { ...devOptions, region: 'us-east-1' },
        { prices: readPrices() },
      );
      expect(estimate.pricesSource).toBe('snapshot');
      expect(estimate.pricedAs).toBe('us-east-1');
      expect(item(estimate, 'network.nat-gateways')?.monthly).toBeCloseTo(
        730 * PRICE_TABLE.regions['us-east-1'].natGatewayHourly,
        2,
      );
    });

    it('falls back to the table, and says so, when the prices given are incomplete', () => {
      const broken = readPrices();
      const { albHourly, ...withoutAlb } = broken.prices;
      const estimate = estimateMonthlyCost(devOptions, {
        prices: { ...broken, prices: withoutAlb as typeof broken.prices },
      });
      expect(albHourly).toBeGreaterThan(0);
      expect(estimate.pricesSource).toBe('snapshot');
      expect(estimate.notes.join(' ')).toContain(
        'The prices read for eu-central-1 were incomplete',
      );
      expect(
        estimate.lineItems.every(line => Number.isFinite(line.monthly)),
      ).toBe(true);
    });

    it("prices the disaster-recovery copy from that Region's prices when given", () => {
      const drPrices = readPrices({
        region: 'us-east-1',
        pricedRegion: 'us-east-1',
        prices: {
          ...PRICE_TABLE.regions['us-east-1'],
          backupStorageGbMonth: 0.2,
        },
      });
      const estimate = estimateMonthlyCost(
        { ...devOptions, drCopyRegion: 'us-east-1' },
        { drCopyPrices: drPrices },
      );
      expect(item(estimate, 'backup.dr-copy')?.monthly).toBeCloseTo(
        50 * (0.2 + PRICE_TABLE.regions['eu-central-1'].interRegionTransferGb),
        2,
      );
    });
  });
});
