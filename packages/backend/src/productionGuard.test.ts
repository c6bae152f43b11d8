import { ConfigReader } from '@backstage/config';
import { productionConfigProblems } from './productionGuard';

const production = {
  auth: { environment: 'production', providers: { github: {} } },
  permission: { enabled: true },
  backend: { database: { client: 'pg' } },
};

describe('productionConfigProblems', () => {
  it('accepts a production configuration with real sign-in, permissions and PostgreSQL', () => {
    expect(productionConfigProblems(new ConfigReader(production))).toEqual([]);
  });

  it('refuses guest sign-in in production', () => {
    const config = new ConfigReader({
      ...production,
      auth: { environment: 'production', providers: { guest: {} } },
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
