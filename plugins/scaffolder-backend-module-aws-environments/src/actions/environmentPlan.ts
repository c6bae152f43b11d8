import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { type ActionDependencies, openOperation } from '../lib/actionSupport';
import { assertNoCidrOverlap } from '../lib/environmentSpec';
import { formatSettings, settingsOutputSchema } from '../lib/currentSettings';
import {
  authorizeEnvironmentRequest,
  checkEnvironmentRequest,
  prepareEnvironment,
  previewEnvironment,
  summarizePreview,
} from '../lib/environmentRun';
import { assertHostedZoneServesDomain } from '../lib/hostedZone';
import {
  assertNewEnvironmentVersionsOffered,
  assertVersionsOffered,
} from '../lib/versions';
import { SecretRegistry } from '../lib/secrets';
import { examples } from './environmentPlan.examples';

/**
 * `innovate:environment:plan`: what updating an existing environment would change, from change sets that are
 * created, described and deleted again. Never executes anything; its owners and the platform team only.
 */
export function createEnvironmentPlanAction(deps: ActionDependencies) {
  return createTemplateAction({
    id: 'innovate:environment:plan',
    description:
      'Previews an environment deployment: a change set per stack, described and deleted, never executed.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        // Checked by the handler, which names each field by its form title (see innovate:environment:deploy).
        environment: z =>
          z
            .object(
              {},
              {
                description:
                  'An existing environment and the settings to change, as for innovate:environment:deploy',
              },
            )
            .passthrough(),
        mode: z =>
          z
            .enum(['create', 'update'], {
              description:
                'update (default): an existing environment, by its owners or the platform team. create: the preview of a new environment, refused when one of that name exists',
            })
            .optional(),
      },
      output: {
        changes: z =>
          z.array(
            z.object({
              layer: z.string(),
              stackName: z.string(),
              changeSetType: z.string(),
              source: z.string(),
              changes: z.array(
                z.object({
                  action: z.string(),
                  logicalId: z.string(),
                  resourceType: z.string(),
                  replacement: z.string().optional(),
                }),
              ),
            }),
            {
              description:
                'Per stack: CREATE or UPDATE and its resource changes',
            },
          ),
        summary: z =>
          z.string({
            description: 'One line: stacks created, updated, unchanged',
          }),
        settings: z => settingsOutputSchema(z),
      },
    },
    async handler(ctx) {
      const checked = await checkEnvironmentRequest(
        ctx.input.environment,
        deps,
      );
      const mode = ctx.input.mode ?? 'update';
      if (mode === 'create') {
        // A new environment's versions are known without its stacks: refused before any CloudFormation call.
        await assertNewEnvironmentVersionsOffered(
          deps.awsClients,
          checked.request,
          ctx.logger,
          deps.now?.(),
        );
      }
      const secrets = new SecretRegistry();
      const op = await openOperation(
        ctx,
        deps,
        {
          accountId: checked.request.accountId,
          region: checked.request.region,
        },
        secrets,
      );
      await authorizeEnvironmentRequest(
        deps,
        ctx,
        checked.request,
        op.client,
        mode,
        'preview changes to',
      );
      const prepared = await prepareEnvironment(checked, op.client);
      formatSettings(prepared.spec.name, prepared.settings).forEach(line =>
        op.logger.info(line),
      );
      ctx.output('settings', prepared.settings);
      if (mode === 'update') {
        // Before any change set: EKS and RDS refuse a version they do not offer only when the stack gets to it.
        await assertVersionsOffered(
          deps.awsClients,
          prepared.spec,
          prepared.settings,
          op.logger,
          deps.now?.(),
        );
      }
      await assertNoCidrOverlap(op.client, prepared.spec);
      await assertHostedZoneServesDomain({
        awsClients: deps.awsClients,
        target: {
          accountId: prepared.spec.accountId,
          region: prepared.spec.region,
        },
        domainName: prepared.spec.domainName,
        hostedZoneId: prepared.spec.hostedZoneId,
      });
      const previews = await previewEnvironment(op, prepared, secrets);
      const summary = summarizePreview(prepared.spec.name, previews);
      op.logger.info(summary);
      ctx.output('changes', previews);
      ctx.output('summary', summary);
    },
  });
}
