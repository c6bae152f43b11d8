import type { AuthService } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';
import { fileUrlOf, pathInside } from '../lib/repositories';
import type { LocalGitSettings } from '../lib/settings';
import { examples } from './registerFile.examples';

/** The catalog answers 409 for a location it already has; over HTTP that arrives as a ResponseError. */
function isConflict(error: unknown): boolean {
  const candidate = error as {
    name?: string;
    cause?: { name?: string };
    response?: { status?: number };
  };
  return (
    candidate?.name === ConflictError.name ||
    candidate?.cause?.name === ConflictError.name ||
    candidate?.response?.status === 409
  );
}

/** The user and the groups they belong to, as catalog refs. */
function claimsOf(user?: { entity?: Entity; ref?: string }): string[] {
  const refs = new Set<string>();
  if (user?.ref) {
    refs.add(user.ref);
  }
  for (const relation of user?.entity?.relations ?? []) {
    if (relation.type === RELATION_MEMBER_OF) {
      refs.add(relation.targetRef);
    }
  }
  return [...refs];
}

function ownerRefOf(owner: unknown): string | undefined {
  if (typeof owner !== 'string' || !owner) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * `innovate:catalog:register-file`: registers a local repository's catalog-info.yaml as a `file` Location, the
 * local counterpart of catalog:register (which only registers `url` locations). Needs the catalog module of this
 * package that allows `file` locations.
 *
 * On the embedded default only the platform team may register catalog locations; this step registers with the
 * backend's own credentials instead, after checking what the person could not be trusted to: the file lies in the
 * local repositories folder (no symlink out), holds a component, and the component's owner is one of the person's
 * groups (or the person is in the platform team).
 */
export function createRegisterFileAction(deps: {
  settings: LocalGitSettings;
  catalog: CatalogService;
  auth: AuthService;
  /** Catalog ref of the platform team, whose members may register components of any owner. */
  platformTeam: string;
  /** How long to wait for the catalog to show the entity before the step ends; default 90 s. */
  waitForEntityMs?: number;
  /** Pause between two looks at the catalog; default 1 s. */
  pollIntervalMs?: number;
}) {
  const waitForEntityMs = deps.waitForEntityMs ?? 90_000;
  const pollIntervalMs = deps.pollIntervalMs ?? 1_000;
  return createTemplateAction({
    id: 'innovate:catalog:register-file',
    description:
      'Registers catalog-info.yaml of a repository published by innovate:publish:local as a file location in the catalog.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoContentsUrl: z =>
          z.string({
            description:
              'file:// URL of the repository folder (output of innovate:publish:local)',
          }),
        catalogInfoPath: z =>
          z
            .string({
              description:
                'Path of the catalog file inside the repository; default /catalog-info.yaml',
            })
            .optional(),
      },
      output: {
        entityRef: z =>
          z.string({ description: 'Ref of the first entity in the file' }),
        catalogInfoUrl: z =>
          z.string({ description: 'Target of the registered location' }),
      },
    },
    async handler(ctx) {
      const repoPath = pathInside(
        deps.settings.repositoriesDir,
        ctx.input.repoContentsUrl,
      );
      const target = path.join(
        repoPath,
        ctx.input.catalogInfoPath ?? '/catalog-info.yaml',
      );
      pathInside(deps.settings.repositoriesDir, fileUrlOf(target));
      // Messages name the file inside the repositories folder, not where that folder is on the server.
      const shown = path.relative(deps.settings.repositoriesDir, target);
      if (ctx.isDryRun) {
        // A dry run published nothing, so there is no file to read yet.
        ctx.logger.info(`Dry run: would register file location ${target}`);
        ctx.output('entityRef', '');
        ctx.output('catalogInfoUrl', target);
        return;
      }

      let documents: unknown[];
      try {
        // A symlink committed in the repository must not lead the catalog to a file elsewhere on the host.
        pathInside(
          await fs.realpath(deps.settings.repositoriesDir),
          fileUrlOf(await fs.realpath(target)),
        );
        documents = yaml
          .parseAllDocuments(await fs.readFile(target, 'utf8'))
          .map(doc => doc.toJS());
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new NotFoundError(`No catalog file at ${shown}`);
        }
        if ((error as Error).name === InputError.name) {
          throw error;
        }
        throw new InputError(`${shown} is not valid YAML`, error);
      }
      const first = documents[0] as
        | {
            kind?: string;
            metadata?: { name?: string; namespace?: string };
            spec?: { owner?: unknown };
          }
        | undefined;
      if (!first?.kind || !first.metadata?.name) {
        throw new InputError(`${shown} holds no catalog entity`);
      }
      if (
        documents.some(
          document =>
            (document as { kind?: string } | null)?.kind !== 'Component',
        )
      ) {
        throw new InputError(
          `${shown} may hold components only; register other kinds through the platform team`,
        );
      }
      const claims = claimsOf(ctx.user);
      const owner = ownerRefOf(first.spec?.owner);
      if (
        !claims.includes(deps.platformTeam) &&
        !(owner && claims.includes(owner))
      ) {
        throw new NotAllowedError(
          owner
            ? `${first.metadata.name} would be owned by ${owner}, which is not one of your groups; choose your own team as its owner`
            : `${first.metadata.name} names no owner; choose your own team as its owner`,
        );
      }
      const entityRef = stringifyEntityRef({
        kind: first.kind,
        namespace: first.metadata.namespace,
        name: first.metadata.name,
      });
      ctx.output('entityRef', entityRef);
      ctx.output('catalogInfoUrl', target);

      const credentials = await deps.auth.getOwnServiceCredentials();
      await ctx.checkpoint({
        key: `catalog.register.file.${target}`,
        fn: async () => {
          try {
            await deps.catalog.addLocation(
              { type: 'file', target },
              { credentials },
            );
          } catch (error) {
            // Re-registering the same file is harmless (e.g. a retried task); anything else is not.
            if (!isConflict(error)) {
              throw error;
            }
            ctx.logger.info(`${target} was already registered`);
          }
        },
      });
      // "Open in catalog" is offered as soon as the task ends: wait until the catalog has processed the file, so
      // the link leads to the entity and not to "not found".
      const deadline = Date.now() + waitForEntityMs;
      for (;;) {
        const entity = await deps.catalog.getEntityByRef(entityRef, {
          credentials,
        });
        if (entity) {
          ctx.logger.info(
            `Registered ${target}; ${entityRef} is in the catalog`,
          );
          return;
        }
        if (Date.now() >= deadline || ctx.signal?.aborted) {
          ctx.logger.warn(
            `Registered ${target}; the catalog has not shown ${entityRef} yet and will once it has processed the location`,
          );
          return;
        }
        await new Promise(resolve => setTimeout(resolve, pollIntervalMs));
      }
    },
  });
}
