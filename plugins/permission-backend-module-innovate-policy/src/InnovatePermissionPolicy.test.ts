import {
  AuthorizeResult,
  type ConditionalPolicyDecision,
  type PermissionCriteria,
  type PermissionCondition,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  actionExecutePermission,
  taskCreatePermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { awsEnvironmentsFindingsReadPermission } from '@internal/plugin-aws-environments-common';
import { InnovatePermissionPolicy } from './InnovatePermissionPolicy';

const PLATFORM = 'group:default/platform-team';
const WEB_TEAM = 'group:default/web-team';
const PROD_ACCOUNT = '333333333333';
const DEV_ACCOUNT = '222222222222';
const SHARED_ACCOUNT = '111111111111';

function userOf(...groups: string[]): PolicyQueryUser {
  return {
    info: {
      userEntityRef: 'user:default/someone',
      ownershipEntityRefs: ['user:default/someone', ...groups],
    },
  } as unknown as PolicyQueryUser;
}

const policy = new InnovatePermissionPolicy({
  platformTeam: PLATFORM,
  prodAccountIds: [PROD_ACCOUNT],
  sharedAccountIds: [SHARED_ACCOUNT],
  ownership: {
    async ownedBy(claims) {
      return claims.includes(WEB_TEAM)
        ? {
            systems: ['system:default/innovate-web'],
            environments: ['innovate-dev', 'innovate-staging'],
          }
        : { systems: [], environments: [] };
    },
  },
});

/**
 * Evaluates a scaffolder action decision against a step, with the semantics of the scaffolder's own
 * HAS_ACTION_ID and HAS_STRING_PROPERTY rules (equality on the action id and on a dotted input path).
 */
function allowsStep(
  decision: PolicyDecision,
  action: string,
  input: Record<string, unknown>,
): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW;
  }
  const get = (path: string) =>
    path
      .split('.')
      .reduce<unknown>(
        (value, key) =>
          value && typeof value === 'object'
            ? (value as Record<string, unknown>)[key]
            : undefined,
        input,
      );
  const evaluate = (
    criteria: PermissionCriteria<PermissionCondition<'scaffolder-action'>>,
  ): boolean => {
    if ('allOf' in criteria) return criteria.allOf.every(evaluate);
    if ('anyOf' in criteria) return criteria.anyOf.some(evaluate);
    if ('not' in criteria) return !evaluate(criteria.not);
    const params = criteria.params as {
      actionId?: string;
      key?: string;
      value?: string;
    };
    switch (criteria.rule) {
      case 'HAS_ACTION_ID':
        return action === params.actionId;
      case 'HAS_STRING_PROPERTY':
        return get(params.key!) === params.value;
      default:
        throw new Error(`rule ${criteria.rule} not covered by this test`);
    }
  };
  return evaluate(
    (decision as ConditionalPolicyDecision).conditions as PermissionCriteria<
      PermissionCondition<'scaffolder-action'>
    >,
  );
}

const query = (permission: any) => ({ permission });

describe('InnovatePermissionPolicy', () => {
  it('lets the platform team do everything, production included', async () => {
    const decision = await policy.handle(
      query(actionExecutePermission),
      userOf(PLATFORM),
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });

  it('refuses production deployments to an application team, whatever the template is called', async () => {
    const decision = await policy.handle(
      query(actionExecutePermission),
      userOf(WEB_TEAM),
    );
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    expect(
      allowsStep(decision, 'innovate:environment:deploy', {
        environment: {
          name: 'innovate-prod2',
          stage: 'prod',
          accountId: PROD_ACCOUNT,
          system: 'system:default/innovate-web',
        },
      }),
    ).toBe(false);
    // A stage that claims dev but targets the production account is still production.
    expect(
      allowsStep(decision, 'innovate:environment:deploy', {
        environment: {
          name: 'sneaky',
          stage: 'dev',
          accountId: PROD_ACCOUNT,
          system: 'system:default/innovate-web',
        },
      }),
    ).toBe(false);
    expect(
      allowsStep(decision, 'innovate:environment:destroy', {
        name: 'innovate-dev',
        accountId: PROD_ACCOUNT,
        region: 'eu-central-1',
      }),
    ).toBe(false);
  });

  it('lets an application team create and update dev and staging environments of the systems it owns', async () => {
    const decision = await policy.handle(
      query(actionExecutePermission),
      userOf(WEB_TEAM),
    );
    expect(
      allowsStep(decision, 'innovate:environment:deploy', {
        environment: {
          name: 'innovate-qa',
          stage: 'staging',
          accountId: DEV_ACCOUNT,
          system: 'system:default/innovate-web',
        },
      }),
    ).toBe(true);
    expect(
      allowsStep(decision, 'innovate:environment:deploy', {
        environment: {
          name: 'other',
          stage: 'dev',
          accountId: DEV_ACCOUNT,
          system: 'system:default/developer-platform',
        },
      }),
    ).toBe(false);
    expect(
      allowsStep(decision, 'innovate:environment:destroy', {
        name: 'innovate-dev',
        accountId: DEV_ACCOUNT,
        region: 'eu-central-1',
      }),
    ).toBe(true);
  });

  it('leaves steps that do not touch environments alone', async () => {
    const decision = await policy.handle(
      query(actionExecutePermission),
      userOf(WEB_TEAM),
    );
    expect(allowsStep(decision, 'fetch:template', { url: './skeleton' })).toBe(
      true,
    );
    expect(
      allowsStep(decision, 'innovate:environment:register', {
        name: 'innovate-dev',
      }),
    ).toBe(true);
  });

  it('allows no environment change at all to someone who owns nothing', async () => {
    const decision = await policy.handle(
      query(actionExecutePermission),
      userOf('group:default/visitors'),
    );
    expect(
      allowsStep(decision, 'innovate:environment:deploy', {
        environment: {
          name: 'x-dev',
          stage: 'dev',
          accountId: DEV_ACCOUNT,
          system: 'system:default/innovate-web',
        },
      }),
    ).toBe(false);
    expect(allowsStep(decision, 'fetch:plain', {})).toBe(true);
  });

  describe('a component’s image repository in the shared-services account', () => {
    // The step the flask-api and react-spa templates render for a component called "orders".
    const imageRepositoryStep = {
      accountId: SHARED_ACCOUNT,
      region: 'eu-central-1',
      platformTemplate: 'component-image-repository',
      stackName: 'ecr-orders',
      parameters: {
        ComponentName: 'orders',
        Owner: WEB_TEAM,
        System: 'system:default/innovate-web',
      },
    };

    it('lets an application team, or anyone who owns nothing yet, create it through the platform template', async () => {
      for (const groups of [[WEB_TEAM], ['group:default/visitors']]) {
        const decision = await policy.handle(
          query(actionExecutePermission),
          userOf(...groups),
        );
        expect(
          allowsStep(
            decision,
            'innovate:cloudformation:deploy',
            imageRepositoryStep,
          ),
        ).toBe(true);
      }
    });

    it('opens no other CloudFormation in the shared-services account to application teams', async () => {
      const decision = await policy.handle(
        query(actionExecutePermission),
        userOf(WEB_TEAM),
      );
      const { platformTemplate: _dropped, ...withoutPlatformTemplate } =
        imageRepositoryStep;
      // Only the platform template is trusted: a workspace file of the same name or an ecr- stack name is not.
      for (const input of [
        {
          ...withoutPlatformTemplate,
          templatePath: 'component-image-repository/image-repository.yaml',
        },
        {
          ...withoutPlatformTemplate,
          templateBody: 'Resources: {}',
          stackName: 'innovate-shared-services-baseline',
        },
        { ...withoutPlatformTemplate, templateBody: 'Resources: {}' },
      ]) {
        expect(
          allowsStep(decision, 'innovate:cloudformation:deploy', input),
        ).toBe(false);
      }
    });

    it('allows the platform template in the shared-services account only', async () => {
      const decision = await policy.handle(
        query(actionExecutePermission),
        userOf(WEB_TEAM),
      );
      for (const accountId of [DEV_ACCOUNT, PROD_ACCOUNT]) {
        expect(
          allowsStep(decision, 'innovate:cloudformation:deploy', {
            ...imageRepositoryStep,
            accountId,
          }),
        ).toBe(false);
      }
      // The same input on another action is that action's business, decided as before.
      expect(
        allowsStep(
          decision,
          'innovate:environment:destroy',
          imageRepositoryStep,
        ),
      ).toBe(false);
    });

    it('refuses it when no account is configured as shared', async () => {
      const withoutShared = new InnovatePermissionPolicy({
        platformTeam: PLATFORM,
        prodAccountIds: [PROD_ACCOUNT],
        ownership: { ownedBy: async () => ({ systems: [], environments: [] }) },
      });
      const decision = await withoutShared.handle(
        query(actionExecutePermission),
        userOf(WEB_TEAM),
      );
      expect(
        allowsStep(
          decision,
          'innovate:cloudformation:deploy',
          imageRepositoryStep,
        ),
      ).toBe(false);
    });
  });

  it('shows an environment’s findings to its owners with the plugin’s own condition, applied to a whole list at once', async () => {
    const decision = await policy.handle(
      query(awsEnvironmentsFindingsReadPermission),
      userOf(WEB_TEAM),
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'aws-environments',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENVIRONMENT_OWNER',
        params: { claims: expect.arrayContaining([WEB_TEAM]) },
      },
    });
  });

  it('keeps Backstage’s default for everything else', async () => {
    for (const permission of [
      taskCreatePermission,
      catalogEntityReadPermission,
    ]) {
      const decision = await policy.handle(query(permission), userOf(WEB_TEAM));
      expect(decision.result).toBe(AuthorizeResult.ALLOW);
    }
  });

  describe('registering catalog locations', () => {
    const embeddedDefault = new InnovatePermissionPolicy({
      platformTeam: PLATFORM,
      prodAccountIds: [PROD_ACCOUNT],
      ownership: { ownedBy: async () => ({ systems: [], environments: [] }) },
      platformTeamRegistersLocations: true,
    });

    it('is the platform team’s alone on the embedded default', async () => {
      expect(
        (
          await embeddedDefault.handle(
            query(catalogLocationCreatePermission),
            userOf(WEB_TEAM),
          )
        ).result,
      ).toBe(AuthorizeResult.DENY);
      expect(
        (
          await embeddedDefault.handle(
            query(catalogLocationCreatePermission),
            userOf(PLATFORM),
          )
        ).result,
      ).toBe(AuthorizeResult.ALLOW);
    });

    it('stays open where the catalog reads URL locations only', async () => {
      expect(
        (
          await policy.handle(
            query(catalogLocationCreatePermission),
            userOf(WEB_TEAM),
          )
        ).result,
      ).toBe(AuthorizeResult.ALLOW);
    });
  });
});
