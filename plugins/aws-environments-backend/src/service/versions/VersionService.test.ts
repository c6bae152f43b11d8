import { mockServices } from '@backstage/backend-test-utils';
import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import path from 'node:path';
import type { StoredVersions, VersionStore } from './VersionStore';
import { VersionService } from './VersionService';

const blueprintDir = path.resolve(
  __dirname,
  '../../../../../templates/aws-environment/cloudformation',
);
const DEV = { accountId: '222222222222', region: 'eu-central-1' };

/** A store in memory that counts its reads. */
function memoryStore() {
  const rows = new Map<string, StoredVersions>();
  const store: VersionStore & { reads: number } = {
    reads: 0,
    async saveSuccess(o) {
      rows.set(`${o.accountId}/${o.region}`, {
        accountId: o.accountId,
        region: o.region,
        versions: o.versions,
        source: o.source,
        readAt: o.readAt,
      } as StoredVersions);
    },
    async saveFailure() {},
    async get(accountId, region) {
      store.reads++;
      return rows.get(`${accountId}/${region}`);
    },
  };
  return store;
}

describe('VersionService.versionsFor', () => {
  it('reads the store once for the many environments a health run dates in one account and Region, and again after a refresh', async () => {
    let now = new Date('2026-12-03T12:00:00Z');
    const factory = createSimulatedAwsClientFactory({
      blueprintDir,
      now: () => now.getTime(),
    });
    await factory.organization.whenReady();
    const store = memoryStore();
    const service = new VersionService({
      factory,
      store,
      logger: mockServices.logger.mock(),
      now: () => now,
    });

    const before = await Promise.all(
      Array.from({ length: 50 }, () => service.versionsFor(DEV)),
    );
    expect(store.reads).toBe(1);
    // Never read yet: the dated snapshot.
    expect(before[0].source).toBe('snapshot');

    await service.refreshTarget(DEV);
    const reads = store.reads;
    expect((await service.versionsFor(DEV)).source).toBe('simulated');
    expect(store.reads).toBe(reads + 1);

    // A minute later the stored versions are read again, so another replica's refresh shows.
    now = new Date(now.getTime() + 61_000);
    await service.versionsFor(DEV);
    expect(store.reads).toBe(reads + 2);
    expect(
      (await service.versionsFor(DEV)).kubernetes.map(k => k.version),
    ).toContain('1.35');
  });
});
