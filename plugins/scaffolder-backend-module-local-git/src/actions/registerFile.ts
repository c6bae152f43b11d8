import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';
import { pathInside } from '../lib/repositories';
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

/**
 * `innovate:catalog:register-file`: registers a local repository's catalog-info.yaml as a `file` Location, the
 * local counterpart of catalog:register (which only registers `url` locations). Needs the catalog module of this
 * package that allows `file` locations.
 */
export function createRegisterFileAction(deps: {
  settings: LocalGitSettings;
  catalog: CatalogService;
}) {
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
      pathInside(deps.settings.repositoriesDir, `file://${target}`);

      let documents: unknown[];
      try {
        documents = yaml
          .parseAllDocuments(await fs.readFile(target, 'utf8'))
          .map(doc => doc.toJS());
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new NotFoundError(`No catalog file at ${target}`);
        }
        throw new InputError(`${target} is not valid YAML`, error);
      }
      const first = documents[0] as
        | { kind?: string; metadata?: { name?: string; namespace?: string } }
        | undefined;
      if (!first?.kind || !first.metadata?.name) {
        throw new InputError(`${target} holds no catalog entity`);
      }
      const entityRef = stringifyEntityRef({
        kind: first.kind,
        namespace: first.metadata.namespace,
        name: first.metadata.name,
      });
      ctx.output('entityRef', entityRef);
      ctx.output('catalogInfoUrl', target);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register file location ${target}`);
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
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
      ctx.logger.info(
        `Registered ${target}; the catalog shows ${entityRef} once it has processed the location`,
      );
    },
  });
}
