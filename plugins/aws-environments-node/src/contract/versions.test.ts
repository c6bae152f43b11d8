import { readAwsVersions } from '../facts/versions';
import {
  AwsWire,
  XMLNS,
  epochSeconds,
  guardDns,
  isolateFromAwsEnvironment,
  members,
  queryResult,
  restJson,
} from './awsWire';
import { DEV, answerAssumeRole, realModeFactory } from './realMode';

/**
 * Versions and dates below are made up for the test; only their shapes come from the API references:
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeClusterVersions.html,
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBEngineVersions.html and
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBMajorEngineVersions.html.
 */
const NOW = new Date('2026-12-03T06:00:00Z');
const day = (iso: string) => epochSeconds(new Date(`${iso}T00:00:00Z`));
const rdsDay = (iso: string) => new Date(`${iso}T00:00:00Z`);

function clusterVersion(
  version: string,
  status: string,
  dates: { release: string; standardEnd: string; extendedEnd: string },
  extra: Record<string, unknown> = {},
) {
  return {
    clusterVersion: version,
    clusterType: 'eks',
    defaultPlatformVersion: 'eks.3',
    defaultVersion: false,
    releaseDate: day(dates.release),
    endOfStandardSupportDate: day(dates.standardEnd),
    endOfExtendedSupportDate: day(dates.extendedEnd),
    status: status.toLowerCase().replace('_', '-'),
    versionStatus: status,
    kubernetesPatchVersion: `${version}.4`,
    ...extra,
  };
}

function engineVersion(
  engine: string,
  version: string,
  upgradeTargets: string[],
  status = 'available',
) {
  const major = version.split('.')[0];
  return {
    Engine: engine,
    EngineVersion: version,
    MajorEngineVersion: major,
    DBParameterGroupFamily: `${engine}${major}`,
    DBEngineDescription:
      engine === 'postgres' ? 'PostgreSQL' : 'Aurora (PostgreSQL Compatible)',
    DBEngineVersionDescription: `PostgreSQL ${version}`,
    ValidUpgradeTarget: members(
      'UpgradeTarget',
      upgradeTargets.map(target => ({
        Engine: engine,
        EngineVersion: target,
        AutoUpgrade: false,
        IsMajorVersionUpgrade: target.split('.')[0] !== major,
      })),
    ),
    Status: status,
    SupportsReadReplica: true,
  };
}

function majorVersion(
  engine: string,
  major: string,
  standardEnd: string,
  extendedEnd: string,
) {
  return {
    Engine: engine,
    MajorEngineVersion: major,
    SupportedEngineLifecycles: members('SupportedEngineLifecycle', [
      {
        LifecycleSupportName: 'open-source-rds-standard-support',
        LifecycleSupportStartDate: rdsDay('2024-01-01'),
        LifecycleSupportEndDate: rdsDay(standardEnd),
      },
      {
        LifecycleSupportName: 'open-source-rds-extended-support',
        LifecycleSupportStartDate: rdsDay(standardEnd),
        LifecycleSupportEndDate: rdsDay(extendedEnd),
      },
    ]),
  };
}

const ENGINE_VERSIONS: Record<
  string,
  Array<ReturnType<typeof engineVersion>>
> = {
  postgres: [
    engineVersion('postgres', '17.6', []),
    engineVersion('postgres', '17.5', ['17.6']),
    engineVersion('postgres', '16.10', ['16.11', '17.6']),
    engineVersion('postgres', '16.9', ['16.10'], 'deprecated'),
  ],
  'aurora-postgresql': [engineVersion('aurora-postgresql', '16.8', [])],
};
const DEFAULTS: Record<string, string> = {
  'postgres/17': '17.6',
  'postgres/16': '16.10',
  'aurora-postgresql/16': '16.8',
};

describe('EKS and RDS versions on the wire, read by readAwsVersions', () => {
  let wire: AwsWire;
  let dnsGuard: ReturnType<typeof guardDns>;
  let environment: ReturnType<typeof isolateFromAwsEnvironment>;

  beforeAll(async () => {
    wire = await AwsWire.start();
  });
  afterAll(() => wire.close());
  beforeEach(() => {
    wire.reset();
    environment = isolateFromAwsEnvironment();
    dnsGuard = guardDns();
    answerAssumeRole(wire);
  });
  afterEach(() => {
    dnsGuard.restore();
    environment.restore();
  });

  function answerVersions() {
    wire.on('eks', 'DescribeClusterVersions', request =>
      request.query.get('nextToken') === 'versions-2'
        ? restJson({
            clusterVersions: [
              clusterVersion('1.33', 'EXTENDED_SUPPORT', {
                release: '2025-05-29',
                standardEnd: '2026-07-29',
                extendedEnd: '2027-07-29',
              }),
            ],
          })
        : restJson({
            clusterVersions: [
              clusterVersion(
                '1.35',
                'STANDARD_SUPPORT',
                {
                  release: '2026-01-27',
                  standardEnd: '2027-03-27',
                  extendedEnd: '2028-03-27',
                },
                { defaultVersion: true },
              ),
              clusterVersion('1.34', 'STANDARD_SUPPORT', {
                release: '2025-10-02',
                standardEnd: '2026-12-20',
                extendedEnd: '2027-12-20',
              }),
            ],
            nextToken: 'versions-2',
          }),
    );
    wire.on('rds', 'DescribeDBEngineVersions', request => {
      const engine = request.params.get('Engine') ?? '';
      if (request.params.get('DefaultOnly') === 'true') {
        const version =
          DEFAULTS[`${engine}/${request.params.get('EngineVersion')}`];
        return queryResult(XMLNS.rds, 'DescribeDBEngineVersions', {
          DBEngineVersions: members(
            'DBEngineVersion',
            ENGINE_VERSIONS[engine].filter(v => v.EngineVersion === version),
          ),
        });
      }
      // Two versions per page, the Marker naming the next one.
      const all = ENGINE_VERSIONS[engine] ?? [];
      const start = Number(request.params.get('Marker') ?? 0);
      const next = start + 2 < all.length ? String(start + 2) : undefined;
      return queryResult(XMLNS.rds, 'DescribeDBEngineVersions', {
        DBEngineVersions: members(
          'DBEngineVersion',
          all.slice(start, start + 2),
        ),
        Marker: next,
      });
    });
    wire.on('rds', 'DescribeDBMajorEngineVersions', request =>
      queryResult(XMLNS.rds, 'DescribeDBMajorEngineVersions', {
        DBMajorEngineVersions: members(
          'DBMajorEngineVersion',
          request.params.get('Engine') === 'postgres'
            ? [
                majorVersion('postgres', '17', '2029-02-28', '2032-02-29'),
                majorVersion('postgres', '16', '2028-02-29', '2031-02-28'),
              ]
            : [
                majorVersion(
                  'aurora-postgresql',
                  '16',
                  '2028-02-29',
                  '2031-02-28',
                ),
              ],
        ),
      }),
    );
  }

  it('reads every page of DescribeClusterVersions and keeps the versions EKS creates, with their dates', async () => {
    answerVersions();

    const versions = await readAwsVersions(realModeFactory(wire), DEV, {
      now: NOW,
    });

    expect(versions.source).toBe('aws');
    expect(versions.kubernetes).toEqual([
      {
        version: '1.35',
        status: 'STANDARD_SUPPORT',
        phase: 'standard',
        releaseDate: '2026-01-27',
        endOfStandardSupport: '2027-03-27',
        endOfExtendedSupport: '2028-03-27',
        defaultVersion: true,
      },
      expect.objectContaining({
        version: '1.34',
        phase: 'standard',
        endOfStandardSupport: '2026-12-20',
      }),
      expect.objectContaining({
        version: '1.33',
        status: 'EXTENDED_SUPPORT',
        phase: 'extended',
        endOfExtendedSupport: '2027-07-29',
      }),
    ]);
    const requests = wire.requestsFor('eks', 'DescribeClusterVersions');
    expect(requests.map(r => r.method)).toEqual(['GET', 'GET']);
    expect(requests.map(r => r.path)).toEqual([
      '/cluster-versions',
      '/cluster-versions',
    ]);
    expect(requests[0].query.get('clusterType')).toBe('eks');
    expect(requests[0].query.has('nextToken')).toBe(false);
    expect(requests[1].query.get('nextToken')).toBe('versions-2');
    expect(requests[0].signature).toMatchObject({
      service: 'eks',
      region: DEV.region,
    });
    expect(dnsGuard.lookups).toEqual([]);
  });

  it('follows the Marker of DescribeDBEngineVersions, keeps creatable versions and joins the support dates of DescribeDBMajorEngineVersions', async () => {
    answerVersions();

    const versions = await readAwsVersions(realModeFactory(wire), DEV, {
      now: NOW,
    });

    expect(versions.databases.postgres).toEqual([
      {
        engine: 'postgres',
        version: '17.6',
        majorVersion: '17',
        defaultForMajor: true,
        upgradeTargets: [],
        endOfStandardSupport: '2029-02-28',
        endOfExtendedSupport: '2032-02-29',
      },
      expect.objectContaining({
        version: '17.5',
        upgradeTargets: ['17.6'],
      }),
      {
        engine: 'postgres',
        version: '16.10',
        majorVersion: '16',
        defaultForMajor: true,
        upgradeTargets: ['16.11', '17.6'],
        endOfStandardSupport: '2028-02-29',
        endOfExtendedSupport: '2031-02-28',
      },
    ]);
    expect(versions.databases['aurora-postgresql']).toEqual([
      expect.objectContaining({
        engine: 'aurora-postgresql',
        version: '16.8',
        endOfStandardSupport: '2028-02-29',
      }),
    ]);

    const lists = wire
      .requestsFor('rds', 'DescribeDBEngineVersions')
      .filter(r => r.params.get('Engine') === 'postgres')
      .filter(r => !r.params.has('DefaultOnly'));
    expect(lists.map(r => Object.fromEntries(r.params))).toEqual([
      {
        Action: 'DescribeDBEngineVersions',
        Version: '2014-10-31',
        Engine: 'postgres',
        IncludeAll: 'false',
      },
      {
        Action: 'DescribeDBEngineVersions',
        Version: '2014-10-31',
        Engine: 'postgres',
        IncludeAll: 'false',
        Marker: '2',
      },
    ]);
    const defaults = wire
      .requestsFor('rds', 'DescribeDBEngineVersions')
      .filter(r => r.params.get('DefaultOnly') === 'true')
      .map(r => `${r.params.get('Engine')}/${r.params.get('EngineVersion')}`);
    expect(defaults.sort()).toEqual([
      'aurora-postgresql/16',
      'postgres/16',
      'postgres/17',
    ]);
    expect(
      wire
        .requestsFor('rds', 'DescribeDBMajorEngineVersions')
        .map(r => r.params.get('Engine'))
        .sort(),
    ).toEqual(['aurora-postgresql', 'postgres']);
    expect(dnsGuard.lookups).toEqual([]);
  });
});
