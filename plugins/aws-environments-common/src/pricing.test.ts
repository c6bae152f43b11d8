import {
  CostEstimateInput,
  HOURS_PER_MONTH,
  PRICE_TABLE,
  estimateMonthlyCost,
} from './pricing';

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
    expect(item(mixed, 'compute.frontend-nodes')?.label).toBe('Frontend nodes (spot)');
  });

  it('always prices a Multi-AZ standby in prod, as the data layer enforces', () => {
    const estimate = estimateMonthlyCost({ ...devOptions, stage: 'prod', multiAz: false });
    expect(item(estimate, 'database.primary')?.label).toBe('RDS PostgreSQL (Multi-AZ)');
  });

  it('prices every node type and database class the New AWS environment template offers', () => {
    const templateNodeTypes = ['t4g.medium', 't4g.large', 't4g.xlarge', 'm7g.large', 'm7g.xlarge', 'c7g.large', 'c7g.xlarge', 'r7g.large'];
    const templateDbClasses = ['db.t4g.medium', 'db.t4g.large', 'db.r7g.large', 'db.r7g.xlarge', 'db.r7g.2xlarge'];
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
    expect(item(estimate, 'database.instances')?.detail).toMatch(/^3 × db\.r6g\.large/);
    expect(item(estimate, 'database.storage')?.label).toBe('Aurora storage');
  });

  it('falls back to us-east-1 prices for a Region not in the table and says so', () => {
    const estimate = estimateMonthlyCost({ ...devOptions, region: 'ap-south-2' });
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
    expect(estimate.lineItems.every(line => Number.isFinite(line.monthly))).toBe(
      true,
    );
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
});
