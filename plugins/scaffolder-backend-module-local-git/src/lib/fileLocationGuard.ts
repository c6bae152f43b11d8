import {
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorEmit,
  type LocationSpec,
} from '@backstage/plugin-catalog-node';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder holding the portal's `backstage.json`, looked for from the backend's working directory upwards (two
 * levels: the backend runs from packages/backend under `yarn start` and from the repository root elsewhere).
 */
export function findRepositoryRoot(cwd: string = process.cwd()): string {
  const candidates = [cwd, path.resolve(cwd, '..'), path.resolve(cwd, '../..')];
  return (
    candidates.find(dir => fs.existsSync(path.join(dir, 'backstage.json'))) ??
    cwd
  );
}

/** The real path of `target`, or of its nearest existing parent joined with the rest (so a missing file still resolves). */
function realPathOf(target: string): string {
  const missing: string[] = [];
  let current = path.resolve(target);
  for (;;) {
    try {
      return path.join(fs.realpathSync(current), ...missing.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) {
        return path.resolve(target);
      }
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Stops the catalog from reading `file` locations outside the folders the portal serves from: its own repository
 * (catalog files, templates) and the local repositories that the application templates publish. It runs before the
 * catalog's file reader, so a location elsewhere (`/etc/passwd`, a path with `..`, a symlink out) is refused with an
 * error that names no file content, in dry runs too.
 */
export class FileLocationGuardProcessor implements CatalogProcessor {
  private readonly roots: string[];

  constructor(options: { allowedRoots: string[] }) {
    this.roots = options.allowedRoots.map(realPathOf);
  }

  getProcessorName(): string {
    return 'FileLocationGuardProcessor';
  }

  /** Before the default processors (priority 20), which include the file reader. */
  getPriority(): number {
    return 10;
  }

  async readLocation(
    location: LocationSpec,
    _optional: boolean,
    emit: CatalogProcessorEmit,
  ): Promise<boolean> {
    if (location.type !== 'file') {
      return false;
    }
    // Targets may be glob patterns (`templates/*/template.yaml`): their fixed part decides where they can reach.
    const fixedPart = location.target.split(/[*?[{]/)[0];
    const resolved = realPathOf(fixedPart);
    if (this.roots.some(root => isInside(root, resolved))) {
      return false;
    }
    emit(
      processingResult.inputError(
        location,
        'File locations are read only inside the portal’s repository and its local repositories folder',
      ),
    );
    return true;
  }
}
