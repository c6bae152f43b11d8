import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { parse } from 'yaml';
import { productionConfigProblems } from './productionGuard';

const githubSignIn = {
  production: {
    clientId: 'id',
    clientSecret: 'secret',
    signIn: { resolvers: [{ resolver: 'usernameMatchingUserEntityName' }] },
  },
};

const production = {
  app: { signInProviders: ['github'] },
  auth: { environment: 'production', providers: { github: githubSignIn } },
  permission: { enabled: true },
  backend: { database: { client: 'pg' } },
};

describe('productionConfigProblems', () => {
  it('accepts a production configuration with real sign-in, permissions and PostgreSQL', () => {
    expect(productionConfigProblems(new ConfigReader(production))).toEqual([]);
  });

  it('accepts the shipped app-config.production.yaml', () => {
    const shipped = parse(
      fs.readFileSync(
        path.resolve(__dirname, '../../../app-config.production.yaml'),
        'utf8',
      ),
    );
    expect(productionConfigProblems(new ConfigReader(shipped))).toEqual([]);
  });

  it('refuses guest sign-in in production', () => {
    const config = new ConfigReader({
      ...production,
      auth: {
        environment: 'production',
        providers: { github: githubSignIn, guest: {} },
      },
    });
    expect(productionConfigProblems(config)).toEqual([
      expect.stringContaining('guest sign-in is configured'),
    ]);
  });

  it('refuses a production sign-in page that offers guest sign-in', () => {
    const config = new ConfigReader({
      ...production,
      app: { signInProviders: ['github', 'guest'] },
    });
    expect(productionConfigProblems(config)).toEqual([
      expect.stringContaining('sign-in page offers guest sign-in'),
    ]);
  });

  it('refuses production without a sign-in provider, with a message that says what to configure', () => {
    const config = new ConfigReader({
      ...production,
      app: { signInProviders: [] },
      auth: { environment: 'production' },
    });
    expect(productionConfigProblems(config)).toEqual([
      'no sign-in provider is configured (auth.providers.<provider>.production.signIn.resolvers): configure GitHub or OIDC with a resolver that maps people to catalog users',
      expect.stringContaining('the sign-in page names no provider'),
    ]);
  });

  it('refuses a provider that cannot sign anyone in because it has no resolver', () => {
    const config = new ConfigReader({
      ...production,
      auth: {
        environment: 'production',
        providers: {
          github: { production: { clientId: 'id', clientSecret: 'secret' } },
        },
      },
    });
    expect(productionConfigProblems(config)).toEqual([
      expect.stringContaining('no sign-in provider is configured'),
      expect.stringContaining(
        'the sign-in page offers github (app.signInProviders), which has no sign-in resolver',
      ),
    ]);
  });

  it('refuses a production sign-in page left to its guest default', () => {
    const config = new ConfigReader({ ...production, app: {} });
    expect(productionConfigProblems(config)).toEqual([
      expect.stringContaining(
        'the sign-in page names no provider (app.signInProviders), so it would offer guest sign-in',
      ),
    ]);
  });

  it('refuses production with the default auth policy disabled', () => {
    const config = new ConfigReader({
      ...production,
      backend: {
        ...production.backend,
        auth: { dangerouslyDisableDefaultAuthPolicy: true },
      },
    });
    expect(productionConfigProblems(config)).toEqual([
      expect.stringContaining('the default auth policy is disabled'),
    ]);
  });

  it('refuses production with the permission framework off', () => {
    const config = new ConfigReader({
      ...production,
      permission: { enabled: false },
    });
    expect(productionConfigProblems(config)).toEqual([
      expect.stringContaining('permission framework is off'),
    ]);
  });

  it('leaves the embedded default alone', () => {
    const config = new ConfigReader({
      auth: { environment: 'development', providers: { guest: {} } },
      backend: { database: { client: 'better-sqlite3' } },
    });
    expect(productionConfigProblems(config)).toEqual([]);
  });
});
