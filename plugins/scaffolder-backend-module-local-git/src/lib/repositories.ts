import { ConflictError, InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { assertDnsSafeName } from './naming';

/** Absolute path of the repository a component is published to; refuses names that could escape the folder. */
export function repositoryPath(
  repositoriesDir: string,
  repoName: string,
): string {
  assertDnsSafeName(repoName, 'Repository name');
  return path.join(repositoriesDir, repoName);
}

export function assertRepositoryAbsent(repoPath: string): void {
  if (fs.existsSync(repoPath)) {
    throw new ConflictError(
      `Repository ${path.basename(
        repoPath,
      )} already exists in the portal's local repositories; choose another name or remove it first`,
    );
  }
}

export function fileUrlOf(filePath: string, directory = false): string {
  const url = pathToFileURL(filePath).href;
  return directory && !url.endsWith('/') ? `${url}/` : url;
}

/** Turns a `file://` URL into a path inside `root`, refusing anything outside it. */
export function pathInside(root: string, fileUrl: string): string {
  let filePath: string;
  try {
    filePath = fileURLToPath(fileUrl);
  } catch {
    throw new InputError(`'${fileUrl}' is not a file:// URL`);
  }
  const relative = path.relative(root, filePath);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new InputError(
      `${filePath} is outside the portal's local repositories folder`,
    );
  }
  return filePath;
}
