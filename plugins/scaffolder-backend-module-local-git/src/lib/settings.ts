import type { Config } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';

/** Settings of the local git publishing, read once from config. */
export interface LocalGitSettings {
  /**
   * Whether components may be published to local git at all: only when config has a `localGit` block (the embedded
   * default). In production, components go to GitHub.
   */
  enabled: boolean;
  /** Absolute directory holding one repository per component. */
  repositoriesDir: string;
}

/**
 * The backend runs from packages/backend under `yarn start` but from the repo root in containers and scripts; the
 * nearest `.data` folder up to two levels above is the portal's data folder in both cases.
 */
export function defaultRepositoriesDir(cwd: string): string {
  const candidates = [cwd, path.resolve(cwd, '..'), path.resolve(cwd, '../..')];
  const dataDir = candidates
    .map(dir => path.join(dir, '.data'))
    .find(dir => fs.existsSync(dir));
  return path.join(dataDir ?? path.join(cwd, '.data'), 'repositories');
}

export function readLocalGitSettings(
  config: Config,
  cwd: string = process.cwd(),
): LocalGitSettings {
  const configured = config.getOptionalString('localGit.repositoriesDir');
  return {
    enabled: config.has('localGit'),
    repositoriesDir: configured
      ? path.resolve(cwd, configured)
      : defaultRepositoriesDir(cwd),
  };
}

/** Where application images live: the account of stage `shared` in `awsEnvironments.accounts`, and its Region. */
export interface SharedServicesAccount {
  accountId: string;
  region: string;
}

export function readSharedServicesAccount(
  config: Config,
): SharedServicesAccount | undefined {
  const shared = (
    config.getOptionalConfigArray('awsEnvironments.accounts') ?? []
  ).find(account => account.getOptionalString('stage') === 'shared');
  if (!shared) {
    return undefined;
  }
  const region =
    shared.getOptionalString('defaultRegion') ??
    shared.getOptionalStringArray('regions')?.[0];
  return region
    ? { accountId: shared.getString('accountId'), region }
    : undefined;
}
