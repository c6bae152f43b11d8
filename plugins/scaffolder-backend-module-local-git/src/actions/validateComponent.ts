import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  resolveEnvironments,
  type TargetEnvironment,
} from '../lib/environments';
import { assertDnsSafeName } from '../lib/naming';
import { assertRepositoryAbsent, repositoryPath } from '../lib/repositories';
import type { LocalGitSettings, SharedServicesAccount } from '../lib/settings';
import { examples } from './validateComponent.examples';

function groupByStage(environments: TargetEnvironment[]) {
  const byStage: Record<'dev' | 'staging' | 'prod', TargetEnvironment[]> = {
    dev: [],
    staging: [],
    prod: [],
  };
  for (const environment of environments) {
    // An environment without a known stage is treated as dev: it must never receive untested releases.
    const stage =
      environment.stage === 'prod' || environment.stage === 'staging'
        ? environment.stage
        : 'dev';
    byStage[stage].push(environment);
  }
  return byStage;
}

/**
 * `innovate:component:validate`: the first step of the application templates. Everything a user could get wrong
 * is refused here, before a file is written or a repository created.
 */
export function createValidateComponentAction(deps: {
  settings: LocalGitSettings;
  catalog: CatalogService;
  /** From `awsEnvironments.accounts` (stage `shared`): the component's image repository is created there. */
  sharedServices?: SharedServicesAccount;
}) {
  return createTemplateAction({
    id: 'innovate:component:validate',
    description:
      'Checks a new component: DNS-safe name, target environments that exist in the catalog, and (for local publishing) no repository of that name yet.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string({ description: 'Component name' }),
        environments: z =>
          z.array(z.string(), {
            description:
              'Target environments as entity refs (resource:default/innovate-dev) or names',
          }),
        localRepository: z =>
          z
            .string({
              description:
                'Name of the local repository innovate:publish:local will create; checked for existence when given',
            })
            .optional(),
      },
      output: {
        environments: z =>
          z.array(
            z.object({
              entityRef: z.string(),
              name: z.string(),
              stage: z.string(),
              accountId: z.string(),
              region: z.string(),
            }),
            {
              description:
                'The environments, resolved from the catalog (name, stage, account, Region)',
            },
          ),
        environmentsByStage: z =>
          z.object(
            {
              dev: z.array(
                z
                  .object({ name: z.string(), region: z.string() })
                  .passthrough(),
              ),
              staging: z.array(
                z
                  .object({ name: z.string(), region: z.string() })
                  .passthrough(),
              ),
              prod: z.array(
                z
                  .object({ name: z.string(), region: z.string() })
                  .passthrough(),
              ),
            },
            {
              description:
                'The same environments grouped by stage, for pipelines that deploy develop to dev, main to staging and tags to prod',
            },
          ),
        environmentRefs: z =>
          z.array(z.string(), {
            description: 'Full entity refs of the environments',
          }),
        sharedServicesAccountId: z =>
          z.string({
            description:
              'The shared-services account (awsEnvironments.accounts, stage shared), which holds the image repositories',
          }),
        sharedServicesRegion: z =>
          z.string({
            description: 'The shared-services account’s Region',
          }),
      },
    },
    async handler(ctx) {
      assertDnsSafeName(ctx.input.name);
      if (!deps.sharedServices) {
        throw new InputError(
          'No shared-services account is configured (an entry of awsEnvironments.accounts with stage: shared and a Region): the component’s image repository and pipeline roles live there',
        );
      }
      if (ctx.input.localRepository) {
        if (!deps.settings.enabled) {
          throw new InputError(
            "This portal does not publish to its own local git repositories (there is no localGit configuration): choose GitHub under 'Publish to'",
          );
        }
        assertRepositoryAbsent(
          repositoryPath(
            deps.settings.repositoriesDir,
            ctx.input.localRepository,
          ),
        );
      }
      const environments = await resolveEnvironments(
        ctx.input.environments,
        deps.catalog,
        await ctx.getInitiatorCredentials(),
      );
      ctx.logger.info(
        `${ctx.input.name} deploys to ${environments
          .map(env => `${env.name} (${env.stage})`)
          .join(', ')}`,
      );
      ctx.output('environments', environments);
      ctx.output('environmentsByStage', groupByStage(environments));
      ctx.output(
        'environmentRefs',
        environments.map(env => env.entityRef),
      );
      ctx.output('sharedServicesAccountId', deps.sharedServices.accountId);
      ctx.output('sharedServicesRegion', deps.sharedServices.region);
    },
  });
}
