import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type GitAuthor, runGit } from '../lib/git';
import {
  assertRepositoryAbsent,
  fileUrlOf,
  repositoryPath,
} from '../lib/repositories';
import type { LocalGitSettings } from '../lib/settings';
import { examples } from './publishLocal.examples';

/**
 * `innovate:publish:local`: the embedded default's stand-in for publish:github. Commits the workspace into a new
 * git repository on the portal's own disk so the whole create-a-service flow works without any SCM account.
 */
export function createPublishLocalAction(deps: {
  settings: LocalGitSettings;
  defaultAuthor: GitAuthor;
}) {
  return createTemplateAction({
    id: 'innovate:publish:local',
    description:
      'Initialises a git repository under localGit.repositoriesDir, commits the workspace into it and refuses a repository that already exists.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z.string({
            description:
              'Repository name (DNS-safe); the repository lands in <localGit.repositoriesDir>/<repoName>',
          }),
        sourcePath: z =>
          z
            .string({
              description:
                'Workspace sub-folder to publish instead of the whole workspace',
            })
            .optional(),
        defaultBranch: z =>
          z
            .string({
              description: 'Branch of the initial commit; default main',
            })
            .regex(/^[A-Za-z0-9._/-]+$/)
            .optional(),
        gitCommitMessage: z =>
          z.string({ description: 'Message of the initial commit' }).optional(),
        gitAuthorName: z =>
          z.string({ description: 'Author of the initial commit' }).optional(),
        gitAuthorEmail: z =>
          z
            .string({
              description: 'E-mail of the author of the initial commit',
            })
            .optional(),
      },
      output: {
        remoteUrl: z =>
          z.string({
            description: 'file:// URL of the repository (git clone it)',
          }),
        repoContentsUrl: z =>
          z.string({
            description: 'file:// URL of the repository folder, ending in /',
          }),
        catalogInfoPath: z =>
          z.string({
            description: 'Path of catalog-info.yaml inside the repository',
          }),
        commitHash: z =>
          z.string({ description: 'Hash of the initial commit' }),
      },
    },
    async handler(ctx) {
      const repoPath = repositoryPath(
        deps.settings.repositoriesDir,
        ctx.input.repoName,
      );
      const sourceDir = path.resolve(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );
      if (path.relative(ctx.workspacePath, sourceDir).startsWith('..')) {
        throw new InputError(
          `sourcePath ${ctx.input.sourcePath} is outside the workspace`,
        );
      }
      const catalogInfoPath = '/catalog-info.yaml';
      const remoteUrl = fileUrlOf(repoPath);
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoContentsUrl', fileUrlOf(repoPath, true));
      ctx.output('catalogInfoPath', catalogInfoPath);

      // Checked before the dry run returns so that a dry run reports the conflict the real run would hit.
      assertRepositoryAbsent(repoPath);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would publish ${sourceDir} to ${repoPath}`);
        ctx.output('commitHash', '0000000000000000000000000000000000000000');
        return;
      }

      const author: GitAuthor = {
        name: ctx.input.gitAuthorName ?? deps.defaultAuthor.name,
        email: ctx.input.gitAuthorEmail ?? deps.defaultAuthor.email,
      };
      const branch = ctx.input.defaultBranch ?? 'main';
      const message = ctx.input.gitCommitMessage ?? 'Initial commit';

      const commitHash = await ctx.checkpoint({
        key: `publish.local.${ctx.input.repoName}`,
        fn: async () => {
          await fs.mkdir(deps.settings.repositoriesDir, { recursive: true });
          try {
            // Non-recursive: the folder's creation is the atomic claim on the name.
            await fs.mkdir(repoPath);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
              throw new ConflictError(
                `Repository ${ctx.input.repoName} already exists in the portal's local repositories`,
              );
            }
            throw error;
          }
          await fs.cp(sourceDir, repoPath, { recursive: true });
          await runGit(
            ['init', '--quiet', '--initial-branch', branch],
            repoPath,
          );
          await runGit(['add', '--all'], repoPath);
          await runGit(
            ['commit', '--quiet', '--message', message],
            repoPath,
            author,
          );
          return runGit(['rev-parse', 'HEAD'], repoPath);
        },
      });
      ctx.logger.info(
        `Published to ${repoPath} (branch ${branch}, commit ${commitHash}); clone it with: git clone ${remoteUrl}`,
      );
      ctx.output('commitHash', commitHash);
    },
  });
}
