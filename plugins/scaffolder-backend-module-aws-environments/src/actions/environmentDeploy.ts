import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import { type ActionDependencies, openOperation } from '../lib/actionSupport';
import { assertNoCidrOverlap } from '../lib/environmentSpec';
import { formatSettings, settingsOutputSchema } from '../lib/currentSettings';
import {
  authorizeEnvironmentRequest,
  checkEnvironmentRequest,
  deployEnvironment,
  prepareEnvironment,
  previewEnvironment,
  summarizePreview,
} from '../lib/environmentRun';
import { assertHostedZoneServesDomain } from '../lib/hostedZone';
import {
  assertNewEnvironmentVersionsOffered,
  assertVersionsOffered,
} from '../lib/versions';
import { consoleUrlFor } from '../lib/names';
import { SecretRegistry, maskOutputs } from '../lib/secrets';
import { noteStackChanges } from '../lib/auditTrail';
import { examples } from './environmentDeploy.examples';

/**
 * `innovate:environment:deploy`: validates an environment request, checks who asks (on the environment as it is
 * now), then deploys the blueprint's layered stacks as a dependency graph (independent stacks in parallel).
 * `mode: create` refuses a name that exists; `mode: update` changes an existing environment as its owners.
 */
export function createEnvironmentDeployAction(deps: ActionDependencies) {
  return createTemplateAction({
    id: 'innovate:environment:deploy',
    description:
      'Deploys a whole environment of the reference architecture (network, security, data, compute, edge, observability stacks) through change sets, independent stacks in parallel.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        // Checked by the handler, which names each field by its form title; a schema here would reach the user as
        // raw JSON-schema text from the scaffolder's own input check.
        environment: z =>
          z
            .object(
              {},
              {
                description:
                  'The environment: name, stage, accountId, region, owner, system (and vpcCidr for a new one); a field left out keeps its current value, or for a new environment takes the stage default. See environmentSpecSchema for every field',
              },
            )
            .passthrough(),
        mode: z =>
          z
            .enum(['create', 'update'], {
              description:
                'create (default): a new environment; refused when one of that name exists. update: an existing environment, by its owners or the platform team',
            })
            .optional(),
      },
      output: {
        stacks: z =>
          z.array(
            z.object({
              layer: z.string(),
              stackName: z.string(),
              outcome: z.string(),
              status: z.string(),
              outputs: z.record(z.string()),
              startedAt: z.string(),
              completedAt: z.string(),
            }),
            {
              description:
                'Per layer: stack, outcome (created/updated/unchanged/previewed), status, outputs (secrets masked), start and end times',
            },
          ),
        consoleUrl: z =>
          z.string({
            description: "AWS console link to the environment's stacks",
          }),
        environment: z =>
          z
            .object(
              {},
              {
                description:
                  'The request with blank fields filled from the current stacks or the stage defaults',
              },
            )
            .passthrough(),
        settings: z => settingsOutputSchema(z),
      },
    },
    async handler(ctx) {
      const mode = ctx.input.mode ?? 'create';
      const checked = await checkEnvironmentRequest(
        ctx.input.environment,
        deps,
      );
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
      );
      const prepared = await prepareEnvironment(checked, op.client);
      const { spec } = prepared;
      formatSettings(spec.name, prepared.settings).forEach(line =>
        op.logger.info(line),
      );
      ctx.output('settings', prepared.settings);
      if (mode === 'update') {
        // Before any change set: EKS and RDS refuse a version they do not offer only when the stack gets to it.
        await assertVersionsOffered(
          deps.awsClients,
          spec,
          prepared.settings,
          op.logger,
          deps.now?.(),
        );
      }
      await assertNoCidrOverlap(op.client, spec);
      await assertHostedZoneServesDomain({
        awsClients: deps.awsClients,
        target: { accountId: spec.accountId, region: spec.region },
        domainName: spec.domainName,
        hostedZoneId: spec.hostedZoneId,
      });

      ctx.output('consoleUrl', consoleUrlFor(spec.region, spec.name));
      ctx.output('environment', spec as unknown as JsonObject);

      if (ctx.isDryRun) {
        const previews = await previewEnvironment(op, prepared, secrets);
        op.logger.info(summarizePreview(spec.name, previews));
        const now = new Date().toISOString();
        ctx.output(
          'stacks',
          previews.map(p => ({
            layer: p.layer,
            stackName: p.stackName,
            outcome: 'previewed',
            status: p.changeSetType === 'CREATE' ? 'NOT_CREATED' : 'UNCHANGED',
            outputs: {},
            startedAt: now,
            completedAt: now,
          })),
        );
        return;
      }

      op.logger.info(
        `Deploying ${spec.name} (${spec.stage}) into ${spec.accountId} ${
          spec.region
        }: ${prepared.planned.map(p => p.stackName).join(', ')}`,
      );
      const deployments = await deployEnvironment(op, prepared, secrets);
      noteStackChanges(ctx, deployments);
      ctx.output(
        'stacks',
        deployments.map(d => ({
          layer: d.layer,
          stackName: d.stackName,
          outcome: d.outcome,
          status: d.status,
          outputs: maskOutputs(d.outputs, secrets),
          startedAt: d.startedAt,
          completedAt: d.completedAt,
        })),
      );
      op.logger.info(
        `${spec.name}: ${deployments
          .map(d => `${d.layer} ${d.outcome}`)
          .join(', ')}`,
      );
    },
  });
}
