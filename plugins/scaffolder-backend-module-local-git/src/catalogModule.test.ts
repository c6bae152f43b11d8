import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { catalogModuleFileLocations } from './catalogModule';

// The real catalog processes locations in the background; give it time on a busy machine.
jest.setTimeout(120_000);

/** Calls the test backend over HTTP as a signed-in user. */
async function call(
  server: { address(): AddressInfo | string | null },
  method: 'GET' | 'POST',
  pathname: string,
  body?: unknown,
) {
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}${pathname}`, {
    method,
    headers: {
      Authorization: mockCredentials.user.header(),
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: await response.json().catch(() => undefined),
  };
}

const component = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-api
spec:
  type: service
  lifecycle: experimental
  owner: group:default/web-team
  system: system:default/innovate-web
  dependsOn:
    - resource:default/innovate-dev
`;

describe('catalogModuleFileLocations', () => {
  const root = createMockDirectory({
    content: { 'orders-api': { 'catalog-info.yaml': component } },
  });
  const target = () => root.resolve('orders-api/catalog-info.yaml');
  const config = mockServices.rootConfig.factory({
    data: {
      catalog: { processingInterval: { seconds: 1 } },
      localGit: { repositoriesDir: root.path },
    },
  });

  it('lets the catalog register a file location, and the component appears with its environment', async () => {
    const backend = await startTestBackend({
      features: [catalogBackend, catalogModuleFileLocations, config],
    });
    const server = backend.server;
    try {
      const created = await call(server, 'POST', '/api/catalog/locations', {
        type: 'file',
        target: target(),
      });
      expect(created.status).toBe(201);

      let entity: any;
      for (
        let attempt = 0;
        attempt < 100 && !entity?.relations?.length;
        attempt++
      ) {
        await sleep(500);
        const response = await call(
          server,
          'GET',
          '/api/catalog/entities/by-name/component/default/orders-api',
        );
        entity = response.status === 200 ? response.body : undefined;
      }
      expect(entity?.relations).toEqual(
        expect.arrayContaining([
          { type: 'dependsOn', targetRef: 'resource:default/innovate-dev' },
        ]),
      );
    } finally {
      await backend.stop();
    }
  });

  it('is what makes the difference: without it the catalog refuses file locations', async () => {
    const backend = await startTestBackend({
      features: [catalogBackend, config],
    });
    const server = backend.server;
    try {
      const refused = await call(server, 'POST', '/api/catalog/locations', {
        type: 'file',
        target: target(),
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain(
        'Registered locations must be of an allowed type',
      );
    } finally {
      await backend.stop();
    }
  });

  it.each([
    ['a system file', '/etc/passwd'],
    [
      'a path that climbs out of the repositories folder',
      () => `${root.path}/orders-api/../../../etc/passwd`,
    ],
    ['a glob outside the repository', '/etc/*'],
  ])(
    'refuses to read %s, in a dry run too, without showing its content',
    async (_what, fileTarget) => {
      const backend = await startTestBackend({
        features: [catalogBackend, catalogModuleFileLocations, config],
      });
      try {
        const refused = await call(
          backend.server,
          'POST',
          '/api/catalog/locations?dryRun=true',
          {
            type: 'file',
            target:
              typeof fileTarget === 'function' ? fileTarget() : fileTarget,
          },
        );
        expect(refused.status).toBe(400);
        expect(refused.body.error.message).toContain(
          'File locations are read only inside the portal’s repository',
        );
        expect(JSON.stringify(refused.body)).not.toContain('root:');
      } finally {
        await backend.stop();
      }
    },
  );

  it('still reads a file inside the local repositories folder in a dry run', async () => {
    const backend = await startTestBackend({
      features: [catalogBackend, catalogModuleFileLocations, config],
    });
    try {
      const dryRun = await call(
        backend.server,
        'POST',
        '/api/catalog/locations?dryRun=true',
        { type: 'file', target: target() },
      );
      expect(dryRun.status).toBe(201);
      expect(dryRun.body.entities.map((e: any) => e.metadata.name)).toContain(
        'orders-api',
      );
    } finally {
      await backend.stop();
    }
  });
});
