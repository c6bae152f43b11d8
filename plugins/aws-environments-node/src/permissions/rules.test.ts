import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import type { Entity } from '@backstage/catalog-model';

function environmentEntity(options: { name: string; owner: string }): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: options.name, namespace: 'default' },
    spec: { type: 'aws-environment', owner: options.owner },
  };
}
import {
  awsEnvironmentsPermissionRules,
  findingsReadDecision,
  isEnvironmentOwner,
} from './rules';

const platformTeam = 'group:default/platform-team';
const webEnv = environmentEntity({ name: 'innovate-dev', owner: 'web-team' });
const opsEnv = environmentEntity({
  name: 'innovate-prod',
  owner: 'group:default/ops-team',
});
const authorize = createConditionAuthorizer(
  Object.values(awsEnvironmentsPermissionRules),
);

describe('findings permission', () => {
  it('lets the platform team see every environment', () => {
    const decision = findingsReadDecision(
      ['user:default/alice', 'group:default/Platform-Team'],
      { platformTeam },
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets members of the owner group see their environments and nothing else', () => {
    const decision = findingsReadDecision(
      ['user:default/bob', 'group:default/web-team'],
      { platformTeam },
    );
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    expect(authorize(decision, webEnv)).toBe(true);
    expect(authorize(decision, opsEnv)).toBe(false);
  });

  it('denies callers without ownership claims', () => {
    expect(findingsReadDecision([], { platformTeam })).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('matches the owner from relations as well as from spec.owner', () => {
    const withRelation = {
      ...opsEnv,
      relations: [{ type: 'ownedBy', targetRef: 'group:default/sre' }],
    };
    expect(
      isEnvironmentOwner.apply(withRelation, { claims: ['group:default/sre'] }),
    ).toBe(true);
    expect(
      isEnvironmentOwner.apply(withRelation, {
        claims: ['group:default/ops-team'],
      }),
    ).toBe(true);
    expect(
      isEnvironmentOwner.apply(withRelation, {
        claims: ['group:default/web-team'],
      }),
    ).toBe(false);
  });
});
