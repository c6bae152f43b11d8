import path from 'node:path';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { createSimulatedAwsClientFactory } from './factory';
import { readAwsVersions } from '@internal/plugin-aws-environments-node';
import { laggingKubernetesVersion } from './seed';

const BLUEPRINT_DIR = path.resolve(
  __dirname,
  '../../../templates/aws-environment/cloudformation',
);
const NOW = Date.parse('2026-12-03T12:00:00Z');

describe('the seeded environments', () => {
  it('all run versions the snapshot allows, and only innovate-staging runs one in extended support', async () => {
    const factory = createSimulatedAwsClientFactory({
      blueprintDir: BLUEPRINT_DIR,
      now: () => NOW,
      extraEnvironments: 4,
    });
    await factory.organization.whenReady();
    const environments = factory.organization.listEnvironments();
    expect(environments.map(e => e.name)).toEqual(
      expect.arrayContaining([
        'innovate-dev',
        'innovate-staging',
        'innovate-prod',
      ]),
    );

    const phases: Record<string, string> = {};
    for (const env of environments) {
      const target = { accountId: env.accountId, region: env.region };
      const offered = await readAwsVersions(factory, target, {
        now: new Date(NOW),
      });
      const eks = await factory.getClient(EKSClient, target);
      const { cluster } = await eks.send(
        new DescribeClusterCommand({ name: env.name }),
      );
      const kubernetes = offered.kubernetes.find(
        v => v.version === cluster?.version,
      );
      expect(kubernetes).toBeDefined();
      phases[env.name] = kubernetes!.phase;

      const rds = await factory.getClient(RDSClient, target);
      const { DBInstances } = await rds.send(
        new DescribeDBInstancesCommand({
          DBInstanceIdentifier: `${env.name}-db`,
        }),
      );
      expect(offered.databases.postgres.map(v => v.version)).toContain(
        DBInstances![0].EngineVersion,
      );
    }
    expect(
      Object.entries(phases).filter(([, phase]) => phase !== 'standard'),
    ).toEqual([['innovate-staging', 'extended']]);
  });

  it('keeps the staging cluster two minor versions behind while EKS creates that version', () => {
    expect(laggingKubernetesVersion('1.35', NOW)).toBe('1.33');
    // Once 1.33 is past the end of extended support, the next older one EKS still creates is gone too.
    expect(
      laggingKubernetesVersion('1.35', Date.parse('2027-08-01T00:00:00Z')),
    ).toBe('1.35');
  });
});
