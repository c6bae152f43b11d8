import type { EnvironmentSummary, HealthVerdict } from './api';
import { selectEnvironmentPage } from './environmentList';

function summary(
  name: string,
  options: {
    owner: string;
    verdict?: HealthVerdict;
    monthToDate?: number;
    critical?: number;
  },
): EnvironmentSummary {
  return {
    entityRef: `resource:default/${name}`,
    name,
    owner: options.owner,
    stage: 'dev',
    accountId: '222222222222',
    accountName: 'innovate-dev',
    region: 'eu-central-1',
    health: {
      verdict: options.verdict ?? 'healthy',
      reasons: [],
      stale: false,
    },
    costs: {
      monthToDate: options.monthToDate ?? 10,
      currency: 'USD',
      stale: false,
    },
    findings: { critical: options.critical ?? 0, high: 0, stale: false },
  };
}

const WEB = 'group:default/web-team';
const DATA = 'group:default/data-team';
const items = [
  summary('shop-b', { owner: WEB, verdict: 'down', monthToDate: 30 }),
  summary('lake-a', { owner: DATA, monthToDate: 50, critical: 3 }),
  summary('shop-a', { owner: WEB, monthToDate: 20, critical: 1 }),
  summary('lake-b', { owner: DATA, verdict: 'degraded', monthToDate: 40 }),
  summary('shop-c', { owner: WEB, monthToDate: 5, critical: 2 }),
];

describe('selectEnvironmentPage', () => {
  it('pages in name order and counts every match', async () => {
    const first = await selectEnvironmentPage(items, { limit: 2 });
    expect(first.items.map(i => i.name)).toEqual(['lake-a', 'lake-b']);
    expect(first.totalItems).toBe(5);
    const second = await selectEnvironmentPage(items, { limit: 2, offset: 2 });
    expect(second.items.map(i => i.name)).toEqual(['shop-a', 'shop-b']);
    expect(second.summary.health).toEqual({
      healthy: 3,
      degraded: 1,
      down: 1,
      unknown: 0,
    });
  });

  it('counts each facet over what the other filters keep', async () => {
    const page = await selectEnvironmentPage(items, {
      owner: [WEB],
      health: ['healthy'],
    });
    expect(page.items.map(i => i.name)).toEqual(['shop-a', 'shop-c']);
    // The owner facet ignores the owner filter, the health facet the health filter.
    expect(page.facets.owner).toEqual([
      { value: DATA, count: 1 },
      { value: WEB, count: 2 },
    ]);
    expect(page.facets.health).toEqual([
      { value: 'down', count: 1 },
      { value: 'healthy', count: 2 },
    ]);
    expect(page.facets.accountId).toEqual([
      { value: '222222222222', label: 'innovate-dev', count: 2 },
    ]);
    expect(page.summary.health.healthy).toBe(2);
  });

  it('sorts both ways and searches names in any case', async () => {
    const desc = await selectEnvironmentPage(items, {
      orderBy: { field: 'monthToDate', order: 'desc' },
      limit: 3,
    });
    expect(desc.items.map(i => i.name)).toEqual(['lake-a', 'lake-b', 'shop-b']);
    const health = await selectEnvironmentPage(items, {
      orderBy: { field: 'health' },
      q: 'SHOP',
    });
    expect(health.items.map(i => i.name)).toEqual([
      'shop-b',
      'shop-a',
      'shop-c',
    ]);
  });

  it('asks about findings only for the page, or for every match when it sorts by them', async () => {
    const asked: string[][] = [];
    const webOnly = async (indexes: number[]) => {
      asked.push(indexes.map(i => items[i].name));
      return (index: number) => items[index].owner === WEB;
    };
    const page = await selectEnvironmentPage(
      items,
      { limit: 2 },
      { findingsVisibility: webOnly },
    );
    expect(asked).toEqual([['lake-a', 'lake-b']]);
    expect(page.items.every(i => i.findings === undefined)).toBe(true);

    asked.length = 0;
    const byFindings = await selectEnvironmentPage(
      items,
      { orderBy: { field: 'findings', order: 'desc' }, limit: 3 },
      { findingsVisibility: webOnly },
    );
    expect(asked).toHaveLength(1);
    expect(asked[0].sort()).toEqual(items.map(i => i.name).sort());
    // lake-a's 3 critical findings are not the caller's to see, so they do not lead the order.
    expect(byFindings.items.map(i => [i.name, i.findings?.critical])).toEqual([
      ['shop-c', 2],
      ['shop-a', 1],
      ['shop-b', 0],
    ]);
  });

  it('leaves out what the caller excludes, from the page and the totals', async () => {
    const page = await selectEnvironmentPage(
      items,
      {},
      { exclude: index => items[index].name === 'lake-a' },
    );
    expect(page.totalItems).toBe(4);
    expect(page.items.map(i => i.name)).not.toContain('lake-a');
  });
});
