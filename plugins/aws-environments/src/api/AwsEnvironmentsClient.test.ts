import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ResponseError } from '@backstage/errors';
import { AwsEnvironmentsClient } from './AwsEnvironmentsClient';
import {
  makeAccounts,
  makeAwsVersions,
  makeFindings,
  makeRegionPrices,
  makeHealth,
  makeSeededSummaries,
} from '../__fixtures__';

const baseUrl = 'http://backstage.test/api/aws-environments';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function makeClient(token = 'user-token') {
  return new AwsEnvironmentsClient({
    discoveryApi: {
      getBaseUrl: async pluginId => `http://backstage.test/api/${pluginId}`,
    },
    fetchApi: {
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: { ...init?.headers, authorization: `Bearer ${token}` },
        }),
    },
  });
}

const ref = { namespace: 'default', name: 'innovate-prod' };

describe('AwsEnvironmentsClient', () => {
  it('lists environments through the fetch API, so the user is identified', async () => {
    let authorization: string | null = null;
    server.use(
      http.get(`${baseUrl}/environments`, ({ request }) => {
        authorization = request.headers.get('authorization');
        return HttpResponse.json({
          mode: 'simulated',
          items: makeSeededSummaries(),
        });
      }),
    );

    const response = await makeClient().listEnvironments();

    expect(response.mode).toBe('simulated');
    expect(response.items.map(item => item.name)).toEqual([
      'innovate-dev',
      'innovate-staging',
      'innovate-prod',
    ]);
    expect(authorization).toBe('Bearer user-token');
  });

  it('asks for one environment only when a form needs just that one', async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${baseUrl}/environments`, ({ request }) => {
        queries.push(new URL(request.url).search);
        return HttpResponse.json({ mode: 'simulated', items: [] });
      }),
    );

    await makeClient().listEnvironments({
      entityRef: 'resource:default/innovate-prod',
    });
    await makeClient().listEnvironments();

    expect(queries).toEqual([
      '?entityRef=resource%3Adefault%2Finnovate-prod',
      '',
    ]);
  });

  it('asks for a page with its filters, search and order as query parameters', async () => {
    const queries: URLSearchParams[] = [];
    server.use(
      http.get(`${baseUrl}/environments`, ({ request }) => {
        queries.push(new URL(request.url).searchParams);
        return HttpResponse.json({ mode: 'simulated', items: [] });
      }),
    );

    await makeClient().listEnvironments({
      owner: ['group:default/web-team', 'group:default/data-team'],
      health: ['down'],
      behind: ['true'],
      q: ' shop ',
      orderBy: { field: 'monthToDate', order: 'desc' },
      limit: 25,
      offset: 50,
    });

    expect(queries).toHaveLength(1);
    expect(queries[0].getAll('owner')).toEqual([
      'group:default/web-team',
      'group:default/data-team',
    ]);
    expect(Object.fromEntries(queries[0])).toMatchObject({
      health: 'down',
      behind: 'true',
      q: 'shop',
      orderBy: 'monthToDate,desc',
      limit: '25',
      offset: '50',
    });
  });

  it('reads an environment section from its namespace and name', async () => {
    server.use(
      http.get(`${baseUrl}/environments/default/innovate-prod/health`, () =>
        HttpResponse.json(makeHealth({ verdict: 'degraded' })),
      ),
    );
    await expect(makeClient().getHealth(ref)).resolves.toMatchObject({
      verdict: 'degraded',
    });
  });

  it('passes findings filters as repeatable query parameters', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(
        `${baseUrl}/environments/default/innovate-prod/findings`,
        ({ request }) => {
          query = new URL(request.url).searchParams;
          return HttpResponse.json(makeFindings());
        },
      ),
    );

    await makeClient().getFindings(ref, {
      severity: ['CRITICAL', 'HIGH'],
      product: 'GuardDuty',
      limit: 20,
    });

    expect(query?.getAll('severity')).toEqual(['CRITICAL', 'HIGH']);
    expect(query?.get('product')).toBe('GuardDuty');
    expect(query?.get('limit')).toBe('20');
  });

  it('escapes names that are not URL-safe', async () => {
    let path = '';
    server.use(
      http.get(
        `${baseUrl}/environments/:namespace/:name/stacks`,
        ({ request }) => {
          path = new URL(request.url).pathname;
          return HttpResponse.json({ stacks: [] });
        },
      ),
    );
    await makeClient().getStacks({ namespace: 'team a', name: 'x/y' });
    expect(path).toBe(
      '/api/aws-environments/environments/team%20a/x%2Fy/stacks',
    );
  });

  it('posts a refresh', async () => {
    const posted = jest.fn();
    server.use(
      http.post(`${baseUrl}/environments/default/innovate-prod/refresh`, () => {
        posted();
        return HttpResponse.json({
          entityRef: 'resource:default/innovate-prod',
          sections: [{ section: 'health', ok: true }],
        });
      }),
    );
    await expect(makeClient().refresh(ref)).resolves.toMatchObject({
      sections: [{ section: 'health', ok: true }],
    });
    expect(posted).toHaveBeenCalledTimes(1);
  });

  it('turns an error response into a ResponseError carrying the server message', async () => {
    server.use(
      http.get(`${baseUrl}/environments/default/innovate-prod/costs`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'No environment default/innovate-prod',
            },
            request: {
              method: 'GET',
              url: '/environments/default/innovate-prod/costs',
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );

    const error = await makeClient()
      .getCosts(ref)
      .catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.body.error.message).toBe(
      'No environment default/innovate-prod',
    );
  });

  it('lists the configured accounts', async () => {
    server.use(
      http.get(`${baseUrl}/accounts`, () =>
        HttpResponse.json({ items: makeAccounts() }),
      ),
    );
    const accounts = await makeClient().listAccounts();
    expect(accounts.map(a => a.stage)).toEqual(['shared', 'dev', 'prod']);
  });

  it('says when a refresh is refused because the last one was too recent', async () => {
    server.use(
      http.post(`${baseUrl}/environments/default/innovate-prod/refresh`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'TooManyRequestsError',
              message:
                'resource:default/innovate-prod was refreshed recently; try again in 42 s',
            },
            request: { method: 'POST', url: '/refresh' },
            response: { statusCode: 429 },
          },
          { status: 429, headers: { 'Retry-After': '42' } },
        ),
      ),
    );
    const error = await makeClient()
      .refresh(ref)
      .catch(e => e);
    expect(error.statusCode).toBe(429);
    expect(error.body.error.message).toContain('try again in 42 s');
  });

  it('asks for the mode once and asks again after a failure', async () => {
    let calls = 0;
    server.use(
      http.get(`${baseUrl}/mode`, () => {
        calls += 1;
        return calls === 1
          ? new HttpResponse('unavailable', { status: 503 })
          : HttpResponse.json({ mode: 'aws' });
      }),
    );
    const client = makeClient();

    await expect(client.getMode()).rejects.toBeInstanceOf(ResponseError);
    await expect(client.getMode()).resolves.toBe('aws');
    await expect(client.getMode()).resolves.toBe('aws');
    expect(calls).toBe(2);
  });

  it('posts a refresh of one section', async () => {
    let section: string | null = null;
    server.use(
      http.post(
        `${baseUrl}/environments/default/innovate-prod/refresh`,
        ({ request }) => {
          section = new URL(request.url).searchParams.get('section');
          return HttpResponse.json({
            entityRef: 'resource:default/innovate-prod',
            sections: [],
          });
        },
      ),
    );
    await makeClient().refresh(ref, { section: 'findings' });
    expect(section).toBe('findings');
  });

  it('asks whether the user may refresh', async () => {
    server.use(
      http.get(`${baseUrl}/environments/default/innovate-prod/refresh`, () =>
        HttpResponse.json({
          entityRef: 'resource:default/innovate-prod',
          canRefresh: false,
          reason:
            'Only the owners of resource:default/innovate-prod and the platform team may refresh it.',
          sections: [],
          budget: { perHour: 30, remaining: 30 },
        }),
      ),
    );
    await expect(makeClient().getRefreshAccess(ref)).resolves.toMatchObject({
      canRefresh: false,
    });
  });

  it('checks an environment name, encoding it', async () => {
    let path = '';
    server.use(
      http.get(`${baseUrl}/environment-names/:name`, ({ request, params }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json({
          name: params.name,
          available: false,
          problem: 'Use 3 to 32 …',
        });
      }),
    );
    const answer = await makeClient().checkEnvironmentName('a/b c?');
    expect(path).toBe('/api/aws-environments/environment-names/a%2Fb%20c%3F');
    expect(answer).toMatchObject({ name: 'a/b c?', available: false });
  });

  it('lists the VPC ranges of an account and Region', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${baseUrl}/vpc-ranges`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({
          items: [
            {
              environment: 'innovate-prod',
              entityRef: 'resource:default/innovate-prod',
              vpcCidr: '10.30.0.0/16',
            },
          ],
        });
      }),
    );
    const ranges = await makeClient().listVpcRanges(
      '333333333333',
      'eu-central-1',
    );
    expect(query?.get('accountId')).toBe('333333333333');
    expect(query?.get('region')).toBe('eu-central-1');
    expect(ranges.map(r => r.vpcCidr)).toEqual(['10.30.0.0/16']);
  });

  it('reads the versions AWS offers in an account and Region, and shares one answer between the fields that ask', async () => {
    const queries: URLSearchParams[] = [];
    server.use(
      http.get(`${baseUrl}/aws-versions`, ({ request }) => {
        queries.push(new URL(request.url).searchParams);
        return HttpResponse.json(makeAwsVersions());
      }),
    );
    const client = makeClient();

    const [first, second] = await Promise.all([
      client.getAwsVersions({
        accountId: '222222222222',
        region: 'eu-central-1',
      }),
      client.getAwsVersions({
        accountId: '222222222222',
        region: 'eu-central-1',
      }),
    ]);

    expect(first.kubernetes.map(k => k.version)).toEqual([
      '1.35',
      '1.34',
      '1.33',
      '1.32',
    ]);
    expect(second).toEqual(first);
    expect(queries).toHaveLength(1);
    expect(queries[0].get('accountId')).toBe('222222222222');
    expect(queries[0].get('region')).toBe('eu-central-1');

    await client.getAwsVersions({
      accountId: '222222222222',
      region: 'eu-west-1',
    });
    expect(queries.map(q => q.get('region'))).toEqual([
      'eu-central-1',
      'eu-west-1',
    ]);
  });

  it("reads a Region's prices and asks again after a failure", async () => {
    let calls = 0;
    let path = '';
    server.use(
      http.get(`${baseUrl}/prices/:region`, ({ request }) => {
        calls += 1;
        path = new URL(request.url).pathname;
        return calls === 1
          ? new HttpResponse('unavailable', { status: 503 })
          : HttpResponse.json(makeRegionPrices('eu-central-1'));
      }),
    );
    const client = makeClient();

    await expect(client.getRegionPrices('eu-central-1')).rejects.toBeInstanceOf(
      ResponseError,
    );
    await expect(client.getRegionPrices('eu-central-1')).resolves.toMatchObject(
      {
        source: 'aws',
        asOf: '2026-11-27',
      },
    );
    await client.getRegionPrices('eu-central-1');
    expect(calls).toBe(2);
    expect(path).toBe('/api/aws-environments/prices/eu-central-1');
  });

  it('reads the versions again once the shared answer is a few minutes old', async () => {
    let calls = 0;
    server.use(
      http.get(`${baseUrl}/aws-versions`, () => {
        calls += 1;
        return HttpResponse.json(makeAwsVersions());
      }),
    );
    const client = makeClient();
    const now = jest.spyOn(Date, 'now');
    try {
      now.mockReturnValue(Date.parse('2026-11-27T12:00:00Z'));
      await client.getAwsVersions({
        accountId: '222222222222',
        region: 'eu-central-1',
      });
      now.mockReturnValue(Date.parse('2026-11-27T12:04:00Z'));
      await client.getAwsVersions({
        accountId: '222222222222',
        region: 'eu-central-1',
      });
      expect(calls).toBe(1);
      now.mockReturnValue(Date.parse('2026-11-27T12:06:00Z'));
      await client.getAwsVersions({
        accountId: '222222222222',
        region: 'eu-central-1',
      });
      expect(calls).toBe(2);
    } finally {
      now.mockRestore();
    }
  });
});
