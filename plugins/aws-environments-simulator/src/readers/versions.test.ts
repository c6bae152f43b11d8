import { DescribeClusterVersionsCommand, EKSClient } from '@aws-sdk/client-eks';
import {
  DescribeDBEngineVersionsCommand,
  DescribeDBMajorEngineVersionsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { createSimulatedAwsClientFactory } from '../factory';
import type { AwsClientFactory } from '@internal/plugin-aws-environments-node';
import {
  checkDatabaseVersion,
  checkKubernetesVersion,
  environmentLifecycle,
  lifecycleOf,
  readAwsVersions,
  snapshotAwsVersions,
  type AwsVersions,
} from '@internal/plugin-aws-environments-node';

const NOW = new Date('2026-12-03T12:00:00Z');
const dev = { accountId: '222222222222', region: 'eu-central-1' };

describe('readAwsVersions', () => {
  it('reads the simulated organization and says the data is simulated', async () => {
    const factory = createSimulatedAwsClientFactory({
      seedEnvironments: false,
      now: () => NOW.getTime(),
    });
    const versions = await readAwsVersions(factory, dev, { now: NOW });
    expect(versions.source).toBe('simulated');
    expect(versions.snapshotDate).toBe('2026-12-03');
    expect(versions.kubernetes.map(v => [v.version, v.phase])).toEqual([
      ['1.35', 'standard'],
      ['1.34', 'extended'],
      ['1.33', 'extended'],
      ['1.32', 'extended'],
    ]);
    expect(versions.kubernetes[0]).toMatchObject({
      defaultVersion: true,
      endOfStandardSupport: '2027-03-27',
      endOfExtendedSupport: '2028-03-27',
    });
    expect(versions.databases.postgres.map(v => v.version)).toEqual([
      '18.1',
      '17.7',
      '16.11',
      '15.15',
      '14.20',
    ]);
    expect(versions.databases.postgres[1]).toEqual({
      engine: 'postgres',
      version: '17.7',
      majorVersion: '17',
      defaultForMajor: true,
      upgradeTargets: ['18.1'],
      endOfStandardSupport: '2030-02-28',
      endOfExtendedSupport: '2033-02-28',
    });
    expect(
      versions.databases['aurora-postgresql'].map(v => [
        v.version,
        v.defaultForMajor ?? false,
      ]),
    ).toEqual([
      ['17.7', true],
      ['17.6', false],
    ]);
    expect(versions.eksPricing).toMatchObject({
      standardHourly: 0.1,
      extendedHourly: 0.6,
      source: 'simulated',
    });
  });

  it('agrees with the snapshot fallback, which says it is the snapshot', async () => {
    const factory = createSimulatedAwsClientFactory({
      seedEnvironments: false,
      now: () => NOW.getTime(),
    });
    const read = await readAwsVersions(factory, dev, { now: NOW });
    const fallback = snapshotAwsVersions(dev, { now: NOW });
    expect(fallback.source).toBe('snapshot');
    expect(fallback.kubernetes).toEqual(read.kubernetes);
    expect(fallback.databases).toEqual(read.databases);
  });

  describe('against AWS', () => {
    // Mocked only here: the simulated factory's clients are of the same classes.
    let eks: AwsStub<any, any, any>;
    let rds: AwsStub<any, any, any>;
    beforeAll(() => {
      eks = mockClient(EKSClient);
      rds = mockClient(RDSClient);
    });
    afterAll(() => {
      eks.restore();
      rds.restore();
    });
    const factory: AwsClientFactory = {
      mode: 'aws',
      getClient: async Client => new Client({ region: dev.region }),
      listAccounts: () => [],
      assertAllowed: () => ({
        accountId: dev.accountId,
        name: 'dev',
        regions: [dev.region],
        defaultRegion: dev.region,
      }),
    };

    afterEach(() => {
      eks.reset();
      rds.reset();
    });

    it('reads every page, computes phases for the day asked and keeps only what can be created', async () => {
      eks
        .on(DescribeClusterVersionsCommand, { nextToken: undefined })
        .resolves({
          clusterVersions: [
            {
              clusterVersion: '1.34',
              versionStatus: 'STANDARD_SUPPORT',
              // EKS answers in its own time zone; the calendar day is UTC's.
              endOfStandardSupportDate: new Date('2026-12-01T16:00:00-08:00'),
              endOfExtendedSupportDate: new Date('2027-12-01T16:00:00-08:00'),
            },
          ],
          nextToken: 'page-2',
        })
        .on(DescribeClusterVersionsCommand, { nextToken: 'page-2' })
        .resolves({
          clusterVersions: [
            {
              clusterVersion: '1.35',
              versionStatus: 'STANDARD_SUPPORT',
              defaultVersion: true,
              endOfStandardSupportDate: new Date('2027-03-27T00:00:00Z'),
              endOfExtendedSupportDate: new Date('2028-03-27T00:00:00Z'),
            },
            {
              clusterVersion: '1.31',
              versionStatus: 'EXTENDED_SUPPORT',
              endOfStandardSupportDate: new Date('2025-11-26T00:00:00Z'),
              endOfExtendedSupportDate: new Date('2026-11-26T00:00:00Z'),
            },
          ],
        });
      rds
        .on(DescribeDBEngineVersionsCommand, {
          Engine: 'postgres',
          Marker: undefined,
        })
        .resolves({
          DBEngineVersions: [
            {
              Engine: 'postgres',
              EngineVersion: '16.6',
              MajorEngineVersion: '16',
              Status: 'deprecated',
            },
            {
              Engine: 'postgres',
              EngineVersion: '16.11',
              MajorEngineVersion: '16',
              Status: 'available',
              ValidUpgradeTarget: [{ EngineVersion: '17.7' }],
            },
          ],
          Marker: 'm2',
        })
        .on(DescribeDBEngineVersionsCommand, {
          Engine: 'postgres',
          Marker: 'm2',
        })
        .resolves({
          DBEngineVersions: [
            {
              Engine: 'postgres',
              EngineVersion: '17.7',
              MajorEngineVersion: '17',
              Status: 'available',
            },
          ],
        })
        .on(DescribeDBEngineVersionsCommand, {
          Engine: 'postgres',
          EngineVersion: '17',
          DefaultOnly: true,
        })
        .resolves({
          DBEngineVersions: [{ Engine: 'postgres', EngineVersion: '17.7' }],
        })
        .on(DescribeDBEngineVersionsCommand, {
          Engine: 'postgres',
          EngineVersion: '16',
          DefaultOnly: true,
        })
        .resolves({
          DBEngineVersions: [{ Engine: 'postgres', EngineVersion: '16.11' }],
        })
        .on(DescribeDBEngineVersionsCommand, { Engine: 'aurora-postgresql' })
        .resolves({ DBEngineVersions: [] })
        .on(DescribeDBMajorEngineVersionsCommand, { Engine: 'postgres' })
        .resolves({
          DBMajorEngineVersions: [
            {
              Engine: 'postgres',
              MajorEngineVersion: '16',
              SupportedEngineLifecycles: [
                {
                  LifecycleSupportName: 'open-source-rds-standard-support',
                  LifecycleSupportStartDate: new Date('2023-11-01T00:00:00Z'),
                  LifecycleSupportEndDate: new Date('2029-02-28T00:00:00Z'),
                },
                {
                  LifecycleSupportName: 'open-source-rds-extended-support',
                  LifecycleSupportStartDate: new Date('2029-03-01T00:00:00Z'),
                  LifecycleSupportEndDate: new Date('2032-02-29T00:00:00Z'),
                },
              ],
            },
          ],
        })
        .on(DescribeDBMajorEngineVersionsCommand, {
          Engine: 'aurora-postgresql',
        })
        .resolves({ DBMajorEngineVersions: [] });

      const versions = await readAwsVersions(factory, dev, { now: NOW });

      expect(versions.source).toBe('aws');
      expect(versions.snapshotDate).toBeUndefined();
      // 1.34 left standard support on 2026-12-02 (UTC); 1.31 is gone since 2026-11-26 whatever its status says.
      expect(versions.kubernetes.map(v => [v.version, v.phase])).toEqual([
        ['1.35', 'standard'],
        ['1.34', 'extended'],
      ]);
      expect(versions.kubernetes[1].endOfStandardSupport).toBe('2026-12-02');
      expect(versions.databases.postgres).toEqual([
        {
          engine: 'postgres',
          version: '17.7',
          majorVersion: '17',
          defaultForMajor: true,
          upgradeTargets: [],
        },
        {
          engine: 'postgres',
          version: '16.11',
          majorVersion: '16',
          defaultForMajor: true,
          upgradeTargets: ['17.7'],
          endOfStandardSupport: '2029-02-28',
          endOfExtendedSupport: '2032-02-29',
        },
      ]);
      expect(versions.databases['aurora-postgresql']).toEqual([]);
    });
  });
});

const versions: AwsVersions = snapshotAwsVersions(dev, { now: NOW });

describe('checkKubernetesVersion', () => {
  it('accepts a version EKS creates clusters on, in standard or extended support', () => {
    expect(checkKubernetesVersion('1.35', versions, NOW)).toBeUndefined();
    expect(checkKubernetesVersion('1.32', versions, NOW)).toBeUndefined();
  });

  it('refuses any other with the versions EKS offers and what extended support costs', () => {
    expect(checkKubernetesVersion('1.31', versions, NOW)).toBe(
      'Kubernetes 1.31 cannot be created in eu-central-1: EKS offers 1.35, 1.34 (extended support, +$365/month), 1.33 (extended support, +$365/month), 1.32 (extended support, +$365/month).',
    );
  });

  it('judges on the day asked, not the day the list was read', () => {
    expect(
      checkKubernetesVersion(
        '1.32',
        versions,
        new Date('2027-03-23T00:00:00Z'),
      ),
    ).toMatch(
      /^Kubernetes 1\.32 cannot be created in eu-central-1: EKS offers 1\.35, 1\.34 \(extended/,
    );
  });
});

describe('checkDatabaseVersion', () => {
  it('accepts a creatable minor version, and a major version RDS resolves', () => {
    expect(
      checkDatabaseVersion('postgres', '17.7', versions, NOW),
    ).toBeUndefined();
    expect(
      checkDatabaseVersion('postgres', '16', versions, NOW),
    ).toBeUndefined();
    expect(
      checkDatabaseVersion('aurora-postgresql', '17', versions, NOW),
    ).toBeUndefined();
  });

  it('refuses a retired minor version with the versions RDS creates', () => {
    expect(checkDatabaseVersion('postgres', '16.6', versions, NOW)).toBe(
      'PostgreSQL 16.6 cannot be created in eu-central-1: RDS offers 18.1, 17.7, 16.11, 15.15, 14.20.',
    );
    expect(checkDatabaseVersion('aurora-postgresql', '16', versions, NOW)).toBe(
      'Aurora PostgreSQL 16 cannot be created in eu-central-1: Aurora offers 17.7, 17.6.',
    );
  });

  it('marks versions whose major version is in RDS Extended Support', () => {
    expect(
      checkDatabaseVersion(
        'postgres',
        '13',
        versions,
        new Date('2027-03-01T00:00:00Z'),
      ),
    ).toContain('14.20 (RDS Extended Support, charged extra)');
  });
});

describe('lifecycleOf', () => {
  it('gives a cluster in standard support its end date and the days left', () => {
    expect(
      lifecycleOf(
        { kind: 'kubernetes', resource: 'innovate-dev', version: '1.35' },
        versions,
        NOW,
      ),
    ).toEqual({
      kind: 'kubernetes',
      resource: 'innovate-dev',
      version: '1.35',
      phase: 'standard',
      endOfStandardSupport: '2027-03-27',
      endOfExtendedSupport: '2028-03-27',
      daysLeft: 113,
      summary: 'In standard support until 2027-03-27 (113 days left)',
    });
  });

  it('prices extended support from the EKS prices and proposes the next minor version', () => {
    const lifecycle = lifecycleOf(
      { kind: 'kubernetes', resource: 'innovate-staging', version: '1.33' },
      {
        ...versions,
        eksPricing: {
          standardHourly: 0.1,
          extendedHourly: 0.6,
          source: 'aws',
          asOf: '2026-12-03',
        },
      },
      NOW,
    );
    expect(lifecycle).toMatchObject({
      phase: 'extended',
      daysLeft: 237,
      extendedSupportMonthly: 365,
      nextVersion: '1.34',
      summary:
        'In extended support (+$365/month); support ends on 2027-07-29, in 237 days',
    });
  });

  it('says when a cluster is past the end of support', () => {
    expect(
      lifecycleOf(
        { kind: 'kubernetes', resource: 'old', version: '1.31' },
        versions,
        NOW,
      ),
    ).toMatchObject({ phase: 'unsupported', daysLeft: 0, nextVersion: '1.32' });
  });

  it('dates a database by its major version and proposes the newest upgrade within it, else the next major', () => {
    expect(
      lifecycleOf(
        {
          kind: 'database',
          resource: 'innovate-dev-db',
          engine: 'aurora-postgresql',
          version: '17.6',
        },
        versions,
        NOW,
      ),
    ).toMatchObject({
      phase: 'standard',
      endOfStandardSupport: '2030-02-28',
      nextVersion: '17.7',
    });
    expect(
      lifecycleOf(
        {
          kind: 'database',
          resource: 'reports-db',
          engine: 'postgres',
          version: '14.20',
        },
        versions,
        NOW,
      ),
    ).toMatchObject({
      phase: 'standard',
      daysLeft: 86,
      nextVersion: '15.15',
    });
    // A retired minor version is still dated by its major version.
    expect(
      lifecycleOf(
        {
          kind: 'database',
          resource: 'legacy-db',
          engine: 'postgres',
          version: '16.6',
        },
        versions,
        NOW,
      ),
    ).toMatchObject({ phase: 'standard', nextVersion: '16.11' });
  });

  it('rolls components up into the environment: worst phase, fewest days, total surcharge', () => {
    const components = [
      lifecycleOf(
        { kind: 'kubernetes', resource: 'staging', version: '1.33' },
        versions,
        NOW,
      ),
      lifecycleOf(
        {
          kind: 'database',
          resource: 'staging-db',
          engine: 'postgres',
          version: '17.7',
        },
        versions,
        NOW,
      ),
    ];
    expect(environmentLifecycle(components)).toEqual({
      components,
      worst: 'extended',
      daysLeft: 237,
      extendedSupportMonthly: 365,
    });
  });
});
