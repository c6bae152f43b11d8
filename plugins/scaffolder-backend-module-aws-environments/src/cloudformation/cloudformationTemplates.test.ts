import { promises as fs } from 'fs';
import { resolve as resolvePath } from 'path';
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import {
  TAG_APPLICATION,
  TAG_COST_CENTER,
  TAG_ENVIRONMENT,
  TAG_OWNER,
  TAG_STAGE,
  TAG_SYSTEM,
  TAG_TEMPLATE,
  TAG_TEMPLATE_VERSION,
} from '@internal/plugin-aws-environments-common';
import {
  type CfnTemplate,
  loadBlueprint,
  parseTemplate,
} from '@internal/plugin-aws-environments-node';
import { isAlias, parseDocument, visit } from 'yaml';
import {
  findCloudFormationFiles,
  gitHubTrustProblems,
  lookupResource,
  parameterValues,
  specProblems,
  substitute,
  TemplateEvaluator,
  unresolvedReferences,
  type SpecDatabase,
} from './templateChecks';

const TEMPLATES_ROOT = resolvePath(__dirname, '../../../../templates');
const ENVIRONMENT_DIR = resolvePath(
  TEMPLATES_ROOT,
  'aws-environment/cloudformation',
);
const TEMPLATE_BODY_LIMIT = 51_200;

const ENVIRONMENT_TAG_KEYS = [
  TAG_ENVIRONMENT,
  TAG_STAGE,
  TAG_APPLICATION,
  TAG_OWNER,
  TAG_COST_CENTER,
  TAG_SYSTEM,
  TAG_TEMPLATE,
  TAG_TEMPLATE_VERSION,
];
const BASELINE_TAG_KEYS = [
  TAG_OWNER,
  TAG_COST_CENTER,
  TAG_TEMPLATE,
  TAG_TEMPLATE_VERSION,
];

let db: SpecDatabase;
const bodies = new Map<string, string>();
const templates = new Map<string, CfnTemplate>();
let files: string[] = [];

beforeAll(async () => {
  db = await loadAwsServiceSpec();
  files = await findCloudFormationFiles(TEMPLATES_ROOT);
  for (const file of files) {
    const body = await fs.readFile(resolvePath(TEMPLATES_ROOT, file), 'utf8');
    bodies.set(file, body);
    templates.set(file, parseTemplate(body, file));
  }
}, 60_000);

function template(file: string): CfnTemplate {
  const found = templates.get(file);
  if (!found) throw new Error(`no template ${file}`);
  return found;
}

/** Parameters every environment layer takes, for evaluating its conditions. */
const identity = (stage: string) => ({
  EnvironmentName: 'innovate-qa',
  Stage: stage,
  Application: 'innovate-web',
  Owner: 'group:default/web-team',
  CostCenter: 'web',
  System: 'system:default/innovate-web',
  TemplateName: 'aws-environment',
  TemplateVersion: '1.0.0',
});

function evaluate(
  file: string,
  given: Record<string, string>,
  region?: string,
) {
  const t = template(file);
  return new TemplateEvaluator(
    t,
    parameterValues(t, given),
    region
      ? {
          'AWS::Region': region,
          'AWS::AccountId': '222222222222',
          'AWS::Partition': 'aws',
        }
      : undefined,
  );
}

describe('CloudFormation templates under templates/', () => {
  it('finds the six environment layers, both account baselines and the component image repository', () => {
    expect(files).toEqual([
      'aws-account-baseline/cloudformation/shared-services.yaml',
      'aws-account-baseline/cloudformation/workload-account.yaml',
      'aws-environment/cloudformation/compute.yaml',
      'aws-environment/cloudformation/data.yaml',
      'aws-environment/cloudformation/edge.yaml',
      'aws-environment/cloudformation/network.yaml',
      'aws-environment/cloudformation/observability.yaml',
      'aws-environment/cloudformation/security.yaml',
      'component-image-repository/cloudformation/image-repository.yaml',
    ]);
  });

  it('fit in a TemplateBody (51,200 bytes)', () => {
    for (const [file, body] of bodies) {
      expect({
        file,
        bytes: Buffer.byteLength(body) <= TEMPLATE_BODY_LIMIT,
      }).toEqual({
        file,
        bytes: true,
      });
    }
  });

  it('use no YAML anchors or aliases, which CloudFormation rejects', () => {
    for (const [file, body] of bodies) {
      const aliases: string[] = [];
      visit(parseDocument(body, { customTags: () => [], logLevel: 'silent' }), {
        Alias: (_key, node) => {
          if (isAlias(node)) aliases.push(node.source);
        },
      });
      expect({ file, aliases }).toEqual({ file, aliases: [] });
    }
  });

  it('resolve every Ref, GetAtt, Sub variable, condition and mapping', () => {
    for (const file of files) {
      expect({ file, problems: unresolvedReferences(template(file)) }).toEqual({
        file,
        problems: [],
      });
    }
  });

  it('use only resource types, properties and attributes of the CloudFormation specification, with every required property', () => {
    for (const file of files) {
      expect({ file, problems: specProblems(template(file), db) }).toEqual({
        file,
        problems: [],
      });
    }
  });

  it('give parameter defaults that their own constraints accept', () => {
    const rejected: string[] = [];
    for (const file of files) {
      for (const [name, parameter] of Object.entries(
        template(file).Parameters ?? {},
      )) {
        if (parameter.Default === undefined) continue;
        const value = String(parameter.Default);
        const allowed =
          !parameter.AllowedValues ||
          parameter.AllowedValues.map(String).includes(value);
        const matches =
          !parameter.AllowedPattern ||
          new RegExp(parameter.AllowedPattern).test(value);
        if (!allowed || !matches) rejected.push(`${file}: ${name}=${value}`);
      }
    }
    expect(rejected).toEqual([]);
  });

  it('tag every taggable resource with the cost-allocation and discovery tags', () => {
    for (const file of files) {
      const required = file.startsWith('aws-environment/')
        ? ENVIRONMENT_TAG_KEYS
        : BASELINE_TAG_KEYS;
      for (const [id, resource] of Object.entries(template(file).Resources)) {
        const tagInformation = lookupResource(
          db,
          resource.Type,
        )?.tagInformation;
        if (!tagInformation) continue;
        const tags = resource.Properties?.[tagInformation.tagPropertyName];
        let keys: string[] = [];
        if (Array.isArray(tags)) {
          keys = tags.map(t => (t as { Key: string }).Key);
        } else if (tags && typeof tags === 'object') {
          keys = Object.keys(tags);
        }
        // Launch templates carry their tags in TagSpecifications.
        if (
          tagInformation.tagPropertyName === 'TagSpecifications' &&
          Array.isArray(tags)
        ) {
          keys = tags.flatMap(spec =>
            ((spec as { Tags?: Array<{ Key: string }> }).Tags ?? []).map(
              t => t.Key,
            ),
          );
        }
        const missing = required.filter(key => !keys.includes(key));
        expect({ file, id, missing }).toEqual({ file, id, missing: [] });
      }
    }
  });
});

describe('the environment blueprint', () => {
  it('loads, and each output it passes on is an output of the producing template', async () => {
    const blueprint = await loadBlueprint(ENVIRONMENT_DIR);
    expect(blueprint.name).toBe('aws-environment');
    expect(blueprint.layers.map(l => l.name).sort()).toEqual([
      'compute',
      'data',
      'edge',
      'network',
      'observability',
      'security',
    ]);
    const outputs = new Map(
      blueprint.layers.map(l => [
        l.name,
        Object.keys(
          template(`aws-environment/cloudformation/${l.template}`).Outputs ??
            {},
        ),
      ]),
    );
    for (const layer of blueprint.layers) {
      for (const source of Object.values(layer.parameters)) {
        if (!('output' in source)) continue;
        const [producer, output] = source.output.split('.');
        expect({
          ref: source.output,
          found: outputs.get(producer)?.includes(output),
        }).toEqual({
          ref: source.output,
          found: true,
        });
      }
    }
  });

  it('declares the IAM capabilities each layer needs', async () => {
    const blueprint = await loadBlueprint(ENVIRONMENT_DIR);
    for (const layer of blueprint.layers) {
      const resources = Object.values(
        template(`aws-environment/cloudformation/${layer.template}`).Resources,
      );
      const iam = resources.filter(r => r.Type.startsWith('AWS::IAM::'));
      const named = iam.some(r => r.Properties?.RoleName !== undefined);
      let needed: string[] = [];
      if (named) needed = ['CAPABILITY_NAMED_IAM'];
      else if (iam.length > 0) needed = ['CAPABILITY_IAM'];
      expect({
        layer: layer.name,
        capabilities: layer.capabilities ?? [],
      }).toEqual({
        layer: layer.name,
        capabilities: needed,
      });
    }
  });

  it('lets the slow layers (data, compute) start together', async () => {
    const blueprint = await loadBlueprint(ENVIRONMENT_DIR);
    const layer = (name: string) =>
      blueprint.layers.find(l => l.name === name)!;
    expect(layer('data').dependsOn).not.toContain('compute');
    expect(layer('compute').dependsOn).not.toContain('data');
  });
});

describe('the security-group chain CloudFront -> ALB -> pods -> RDS', () => {
  const security = 'aws-environment/cloudformation/security.yaml';
  const compute = 'aws-environment/cloudformation/compute.yaml';

  /** Ingress rules per group: inline ones and AWS::EC2::SecurityGroupIngress resources of both templates. */
  function ingressRules(stage: string, domain = '') {
    const securityLayer = evaluate(security, {
      ...identity(stage),
      VpcId: 'vpc-1',
      VpcCidr: '10.0.0.0/16',
      DomainName: domain,
    });
    const computeLayer = evaluate(compute, { ...identity(stage) });
    const rules: Record<string, Array<Record<string, unknown>>> = {};
    for (const group of securityLayer.resources('AWS::EC2::SecurityGroup')) {
      rules[group.id] =
        (group.properties.SecurityGroupIngress as Array<
          Record<string, unknown>
        >) ?? [];
    }
    // Outside this template the pods group is the PodSecurityGroupId parameter.
    const groupOf = (value: unknown) => {
      const ref = (value as { Ref?: string }).Ref;
      return ref === 'PodSecurityGroupId'
        ? 'PodSecurityGroup'
        : ref ?? JSON.stringify(value);
    };
    for (const layer of [securityLayer, computeLayer]) {
      for (const rule of layer.resources('AWS::EC2::SecurityGroupIngress')) {
        const target = groupOf(rule.properties.GroupId);
        (rules[target] ??= []).push(rule.properties);
      }
    }
    return { rules, securityLayer };
  }

  const sourceOf = (rule: Record<string, unknown>) => {
    if (rule.SourcePrefixListId) return 'cloudfront-prefix-list';
    const source = rule.SourceSecurityGroupId as
      | Record<string, unknown>
      | undefined;
    if (!source) return `cidr:${String(rule.CidrIp ?? rule.CidrIpv6)}`;
    if ('Ref' in source) {
      return source.Ref === 'PodSecurityGroupId'
        ? 'PodSecurityGroup'
        : String(source.Ref);
    }
    if ('Fn::GetAtt' in source)
      return (source['Fn::GetAtt'] as string[]).join('.');
    return JSON.stringify(source);
  };

  it.each(['dev', 'prod'])(
    'admits the ALB only from the CloudFront origin-facing prefix list (%s)',
    stage => {
      for (const domain of ['', 'app.innovate.example']) {
        const { rules, securityLayer } = ingressRules(stage, domain);
        expect(rules.AlbSecurityGroup.map(sourceOf)).toEqual([
          'cloudfront-prefix-list',
        ]);
        expect(rules.AlbSecurityGroup[0]).toMatchObject({
          IpProtocol: 'tcp',
          FromPort: domain ? 443 : 80,
          ToPort: domain ? 443 : 80,
        });
        const prefixList = securityLayer.resolve(
          rules.AlbSecurityGroup[0].SourcePrefixListId,
        );
        expect(prefixList).toEqual({
          'Fn::FindInMap': [
            'CloudFrontOriginFacing',
            'eu-central-1',
            'PrefixListId',
          ],
        });
        expect(
          template(security).Mappings?.CloudFrontOriginFacing['eu-central-1'],
        ).toBeDefined();
      }
    },
  );

  it('admits pods only from the ALB, the control plane, the cluster group and other pods', () => {
    const { rules } = ingressRules('prod');
    expect(rules.PodSecurityGroup.map(sourceOf).sort()).toEqual(
      [
        'AlbSecurityGroup',
        'Cluster.ClusterSecurityGroupId',
        'ControlPlaneSecurityGroup',
        'PodSecurityGroup',
      ].sort(),
    );
  });

  it('admits the database only from the pods, on 5432', () => {
    const { rules } = ingressRules('prod');
    expect(rules.DatabaseSecurityGroup).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        SourceSecurityGroupId: { Ref: 'PodSecurityGroup' },
      }),
    ]);
  });

  it('puts the database in the database group and nodes in the pods group', () => {
    const data = evaluate('aws-environment/cloudformation/data.yaml', {
      ...identity('prod'),
      DatabaseEngine: 'rds-postgresql',
      MultiAz: 'false',
      ReadReplica: 'false',
    });
    const [database] = data.resources('AWS::RDS::DBInstance');
    expect(database.properties.VPCSecurityGroups).toEqual([
      { Ref: 'DatabaseSecurityGroupId' },
    ]);
    const [launchTemplate] = evaluate(compute, identity('prod')).resources(
      'AWS::EC2::LaunchTemplate',
    );
    expect(
      (
        launchTemplate.properties.LaunchTemplateData as {
          SecurityGroupIds: unknown[];
        }
      ).SecurityGroupIds,
    ).toContainEqual({ Ref: 'PodSecurityGroupId' });
  });

  it('makes CloudFront send the secret origin header the ALB listener rules require', () => {
    const edge = evaluate('aws-environment/cloudformation/edge.yaml', {
      ...identity('prod'),
      EnableWaf: 'false',
    });
    const headerValue = {
      'Fn::Sub':
        '{{resolve:secretsmanager:${OriginVerifySecretArn}:SecretString}}',
    };
    const [distribution] = edge.resources('AWS::CloudFront::Distribution');
    const origin = (
      distribution.properties.DistributionConfig as {
        Origins: Array<{ OriginCustomHeaders: unknown }>;
      }
    ).Origins[0];
    expect(origin.OriginCustomHeaders).toEqual([
      { HeaderName: 'X-Origin-Verify', HeaderValue: headerValue },
    ]);
    const [listener] = edge.resources('AWS::ElasticLoadBalancingV2::Listener');
    expect(listener.properties.DefaultActions).toEqual([
      expect.objectContaining({ Type: 'fixed-response' }),
    ]);
    for (const rule of edge.resources(
      'AWS::ElasticLoadBalancingV2::ListenerRule',
    )) {
      expect(rule.properties.Conditions).toContainEqual({
        Field: 'http-header',
        HttpHeaderConfig: {
          HttpHeaderName: 'X-Origin-Verify',
          Values: [headerValue],
        },
      });
    }
  });
});

describe('data protection', () => {
  const data = 'aws-environment/cloudformation/data.yaml';
  const dataParams = (
    stage: string,
    engine: string,
    extra: Record<string, string> = {},
  ) => ({
    ...identity(stage),
    DatabaseEngine: engine,
    MultiAz: 'false',
    ReadReplica: 'false',
    ...extra,
  });

  it('runs RDS Multi-AZ with deletion protection in prod, even when the form says otherwise', () => {
    const prod = evaluate(data, dataParams('prod', 'rds-postgresql'));
    const [database] = prod.resources('AWS::RDS::DBInstance');
    expect(database.properties).toMatchObject({
      MultiAZ: true,
      DeletionProtection: true,
    });
    expect(template(data).Resources.Database.DeletionPolicy).toBe('Snapshot');
  });

  it('runs Aurora with a reader in another AZ and deletion protection in prod', () => {
    const prod = evaluate(data, dataParams('prod', 'aurora-postgresql'));
    const [cluster] = prod.resources('AWS::RDS::DBCluster');
    expect(cluster.properties).toMatchObject({ DeletionProtection: true });
    expect(prod.exists('AuroraReader')).toBe(true);
    expect(template(data).Resources.AuroraCluster.DeletionPolicy).toBe(
      'Snapshot',
    );
  });

  it('releases deletion protection only when a confirmed teardown asks for it', () => {
    const released = evaluate(
      data,
      dataParams('prod', 'rds-postgresql', {
        ReleaseDeletionProtection: 'true',
      }),
    );
    expect(
      released.resources('AWS::RDS::DBInstance')[0].properties,
    ).toMatchObject({ MultiAZ: true, DeletionProtection: false });
    const edge = (release: string) =>
      evaluate('aws-environment/cloudformation/edge.yaml', {
        ...identity('prod'),
        EnableWaf: 'false',
        ReleaseDeletionProtection: release,
      }).resources('AWS::ElasticLoadBalancingV2::LoadBalancer')[0].properties
        .LoadBalancerAttributes;
    expect(edge('false')).toContainEqual({
      Key: 'deletion_protection.enabled',
      Value: 'true',
    });
    expect(edge('true')).toContainEqual({
      Key: 'deletion_protection.enabled',
      Value: 'false',
    });
  });

  it('lets dev run single-AZ without deletion protection, so teardown works', () => {
    const dev = evaluate(data, dataParams('dev', 'rds-postgresql'));
    const [database] = dev.resources('AWS::RDS::DBInstance');
    expect(database.properties).toMatchObject({
      MultiAZ: false,
      DeletionProtection: false,
    });
    expect(dev.exists('ReadReplicaInstance')).toBe(false);
    expect(
      evaluate(
        data,
        dataParams('dev', 'rds-postgresql', { ReadReplica: 'true' }),
      ).exists('ReadReplicaInstance'),
    ).toBe(true);
  });

  it('encrypts database storage, secrets, backups and Kubernetes secrets with the environment CMK', () => {
    for (const engine of ['rds-postgresql', 'aurora-postgresql']) {
      const layer = evaluate(data, dataParams('prod', engine));
      const primaries = [
        ...layer.resources('AWS::RDS::DBCluster'),
        ...layer
          .resources('AWS::RDS::DBInstance')
          .filter(
            r =>
              !r.properties.DBClusterIdentifier &&
              !r.properties.SourceDBInstanceIdentifier,
          ),
      ];
      expect(primaries).toHaveLength(1);
      for (const primary of primaries) {
        expect(primary.properties).toMatchObject({
          StorageEncrypted: true,
          KmsKeyId: { Ref: 'DataKeyArn' },
          ManageMasterUserPassword: true,
          MasterUserSecret: { KmsKeyId: { Ref: 'DataKeyArn' } },
        });
      }
      const [vault] = layer.resources('AWS::Backup::BackupVault');
      expect(vault.properties.EncryptionKeyArn).toEqual({ Ref: 'DataKeyArn' });
    }
    const [cluster] = evaluate(
      'aws-environment/cloudformation/compute.yaml',
      identity('dev'),
    ).resources('AWS::EKS::Cluster');
    expect(cluster.properties.EncryptionConfig).toEqual([
      {
        Provider: { KeyArn: { Ref: 'ClusterKeyArn' } },
        Resources: ['secrets'],
      },
    ]);
  });

  it('copies backups to the DR Region only when one is chosen', () => {
    const copyActions = (region: string) => {
      const [plan] = evaluate(
        data,
        dataParams('prod', 'rds-postgresql', { DrCopyRegion: region }),
      ).resources('AWS::Backup::BackupPlan');
      return (
        plan.properties.BackupPlan as {
          BackupPlanRule: Array<{ CopyActions?: unknown }>;
        }
      ).BackupPlanRule[0].CopyActions;
    };
    expect(copyActions('')).toBeUndefined();
    expect(copyActions('eu-west-1')).toEqual([
      expect.objectContaining({
        DestinationBackupVaultArn: {
          'Fn::Sub':
            'arn:${AWS::Partition}:backup:${DrCopyRegion}:${AWS::AccountId}:backup-vault:${DrVaultName}',
        },
      }),
    ]);
  });
});

describe('network', () => {
  const network = 'aws-environment/cloudformation/network.yaml';
  const networkParams = (azCount: string, nat: string) => ({
    ...identity('prod'),
    VpcCidr: '10.20.0.0/16',
    AzCount: azCount,
    NatGateways: nat,
  });

  it.each([
    ['2', 'single', 6, 1],
    ['3', 'per-az', 9, 3],
    ['3', 'single', 9, 1],
  ])(
    'creates public, app and database subnets in %s AZs with %s NAT',
    (azCount, nat, subnets, nats) => {
      const layer = evaluate(network, networkParams(azCount, nat));
      expect(layer.resources('AWS::EC2::Subnet')).toHaveLength(subnets);
      expect(layer.resources('AWS::EC2::NatGateway')).toHaveLength(nats);
      // Every application route table leads to a NAT gateway that exists.
      const natTargets = layer
        .resources('AWS::EC2::Route')
        .filter(r => r.properties.NatGatewayId)
        .map(r => (r.properties.NatGatewayId as { Ref: string }).Ref);
      expect(natTargets).toHaveLength(Number(azCount));
      expect(natTargets.filter(id => !layer.exists(id))).toEqual([]);
    },
  );

  it('keeps database subnets without a route to the internet', () => {
    const layer = evaluate(network, networkParams('3', 'per-az'));
    const routes = layer.resources('AWS::EC2::Route');
    expect(
      routes.filter(
        r =>
          (r.properties.RouteTableId as { Ref: string }).Ref ===
          'DatabaseRouteTable',
      ),
    ).toEqual([]);
  });
});

describe('edge: WAF and certificates where CloudFront can use them', () => {
  const edge = 'aws-environment/cloudformation/edge.yaml';
  const edgeParams = (extra: Record<string, string>) => ({
    ...identity('prod'),
    EnableWaf: 'true',
    ...extra,
  });

  it('puts a CLOUDFRONT web ACL on the distribution in us-east-1', () => {
    const layer = evaluate(edge, edgeParams({}), 'us-east-1');
    expect(
      layer.resources('AWS::WAFv2::WebACL').map(a => a.properties.Scope),
    ).toEqual(['CLOUDFRONT']);
    const [distribution] = layer.resources('AWS::CloudFront::Distribution');
    expect(
      (distribution.properties.DistributionConfig as { WebACLId: unknown })
        .WebACLId,
    ).toEqual({
      'Fn::GetAtt': ['EdgeWebAcl', 'Arn'],
    });
  });

  it('guards the ALB with a REGIONAL web ACL elsewhere, unless a us-east-1 web ACL is given', () => {
    const regional = evaluate(edge, edgeParams({}), 'eu-central-1');
    expect(
      regional.resources('AWS::WAFv2::WebACL').map(a => a.properties.Scope),
    ).toEqual(['REGIONAL']);
    expect(regional.resources('AWS::WAFv2::WebACLAssociation')).toHaveLength(1);

    const shared = evaluate(
      edge,
      edgeParams({ WebAclArn: 'arn:aws:wafv2:us-east-1:1:global/webacl/x/y' }),
      'eu-central-1',
    );
    expect(shared.resources('AWS::WAFv2::WebACL')).toEqual([]);
    const [distribution] = shared.resources('AWS::CloudFront::Distribution');
    expect(
      (distribution.properties.DistributionConfig as { WebACLId: unknown })
        .WebACLId,
    ).toBe('arn:aws:wafv2:us-east-1:1:global/webacl/x/y');
  });

  it('has no web ACL when WAF is off', () => {
    const layer = evaluate(
      edge,
      edgeParams({ EnableWaf: 'false' }),
      'us-east-1',
    );
    expect(layer.resources('AWS::WAFv2::WebACL')).toEqual([]);
  });

  it('adds certificates and DNS records only with a domain', () => {
    const none = evaluate(edge, edgeParams({}), 'us-east-1');
    expect(none.resources('AWS::CertificateManager::Certificate')).toEqual([]);
    expect(none.resources('AWS::Route53::RecordSet')).toEqual([]);
    const withDomain = evaluate(
      edge,
      edgeParams({ DomainName: 'app.innovate.example', HostedZoneId: 'Z1' }),
      'us-east-1',
    );
    expect(
      withDomain
        .resources('AWS::CertificateManager::Certificate')
        .map(c => c.properties.DomainName),
    ).toEqual([{ 'Fn::Sub': 'origin.${DomainName}' }, 'app.innovate.example']);
    expect(withDomain.resources('AWS::Route53::RecordSet')).toHaveLength(3);
  });
});

describe('observability and cost', () => {
  it('alarms on the key signals and budgets on the environment tag', () => {
    const observability = evaluate(
      'aws-environment/cloudformation/observability.yaml',
      {
        ...identity('prod'),
        DatabaseEngine: 'rds-postgresql',
        AlertEmail: 'ops@innovate.example',
        BudgetMonthlyUsd: '500',
      },
    );
    const edge = evaluate('aws-environment/cloudformation/edge.yaml', {
      ...identity('prod'),
      EnableWaf: 'false',
    });
    const metrics = [
      ...observability.resources('AWS::CloudWatch::Alarm'),
      ...edge.resources('AWS::CloudWatch::Alarm'),
    ]
      .flatMap(a => [
        a.properties.MetricName,
        ...(
          (a.properties.Metrics as Array<{
            MetricStat?: { Metric: { MetricName: string } };
          }>) ?? []
        ).map(m => m.MetricStat?.Metric.MetricName),
      ])
      .filter(Boolean);
    expect(metrics).toEqual(
      expect.arrayContaining([
        'CPUUtilization',
        'FreeStorageSpace',
        'DatabaseConnections',
        'node_memory_utilization',
        'node_cpu_utilization',
        'HTTPCode_ELB_5XX_Count',
        'HTTPCode_Target_5XX_Count',
      ]),
    );
    const [budget] = observability.resources('AWS::Budgets::Budget');
    expect(
      (budget.properties.Budget as { CostFilters: unknown }).CostFilters,
    ).toEqual({
      TagKeyValue: [
        { 'Fn::Sub': 'user:innovate:environment$${EnvironmentName}' },
      ],
    });
    expect(budget.properties.NotificationsWithSubscribers).toHaveLength(2);
    const [bucket] = observability.resources('AWS::S3::Bucket');
    expect(bucket.properties.LifecycleConfiguration).toBeDefined();
  });
});

describe('workload account baseline', () => {
  const workload = 'aws-account-baseline/cloudformation/workload-account.yaml';
  const baseline = (extra: Record<string, string> = {}) =>
    evaluate(workload, {
      PortalRoleArn: 'arn:aws:iam::111111111111:role/portal',
      ExternalId: 'x',
      Owner: 'group:default/platform-team',
      CostCenter: 'platform',
      TemplateName: 'aws-account-baseline',
      TemplateVersion: '1.0.0',
      ...extra,
    });

  it('grants the insights role exactly the read actions the insights use', () => {
    const roles = baseline().resources('AWS::IAM::Role');
    const insights = roles.find(r => r.id === 'InsightsRole')!;
    const actions = (
      insights.properties.Policies as Array<{
        PolicyDocument: {
          Statement: Array<{ Effect: string; Action: string[] }>;
        };
      }>
    )
      .flatMap(p => p.PolicyDocument.Statement)
      .filter(s => s.Effect === 'Allow')
      .flatMap(s => s.Action)
      .sort();
    expect(actions).toEqual(
      [
        'cloudformation:Describe*',
        'cloudformation:List*',
        'cloudformation:GetTemplate',
        'cloudformation:DetectStackDrift*',
        'eks:Describe*',
        'eks:List*',
        'rds:Describe*',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:GetMetricData',
        'ce:GetCostAndUsage',
        'ce:GetCostForecast',
        'budgets:ViewBudget',
        'securityhub:GetFindings',
        'guardduty:List*',
        'guardduty:GetFindings',
        'inspector2:ListFindings',
        'tag:GetResources',
        'pricing:GetProducts',
      ].sort(),
    );
  });

  it('lets only the portal role assume the portal roles, and only with the external id', () => {
    const layer = baseline();
    for (const id of ['InsightsRole', 'ProvisioningRole']) {
      const role = layer.resources('AWS::IAM::Role').find(r => r.id === id)!;
      expect(role.properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111111111111:role/portal' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'x' } },
          },
        ],
      });
    }
  });

  it('enables GuardDuty, Security Hub and Inspector only on request', () => {
    const off = baseline();
    expect(off.resources('AWS::GuardDuty::Detector')).toEqual([]);
    expect(off.resources('AWS::SecurityHub::Hub')).toEqual([]);
    const on = baseline({
      EnableGuardDuty: 'true',
      EnableSecurityHub: 'true',
      EnableInspector: 'true',
    });
    expect(on.resources('AWS::GuardDuty::Detector')).toHaveLength(1);
    expect(on.resources('AWS::SecurityHub::Hub')).toHaveLength(1);
    expect(
      on.resources().some(r => r.type === 'Custom::InspectorEnablement'),
    ).toBe(true);
  });
});

describe('shared-services account baseline', () => {
  it('scans images on push and lets only the workload accounts pull', () => {
    const layer = evaluate(
      'aws-account-baseline/cloudformation/shared-services.yaml',
      {
        WorkloadAccountIds: '222222222222,333333333333',
        Owner: 'group:default/platform-team',
        CostCenter: 'platform',
        TemplateName: 'aws-account-baseline',
        TemplateVersion: '1.0.0',
      },
    );
    const repositories = layer.resources('AWS::ECR::Repository');
    expect(repositories).toHaveLength(2);
    for (const repository of repositories) {
      expect(repository.properties.ImageScanningConfiguration).toEqual({
        ScanOnPush: true,
      });
      const statement = (
        repository.properties.RepositoryPolicyText as {
          Statement: Array<Record<string, unknown>>;
        }
      ).Statement[0];
      expect(statement).toMatchObject({
        Effect: 'Allow',
        Principal: { AWS: ['222222222222', '333333333333'] },
        Action: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:BatchGetImage',
          'ecr:GetDownloadUrlForLayer',
        ],
      });
    }
    const [trail] = layer.resources('AWS::CloudTrail::Trail');
    expect(trail.properties).toMatchObject({
      IsLogging: true,
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
    });
    const [bucket] = layer.resources('AWS::S3::Bucket');
    expect(bucket.properties.LifecycleConfiguration).toBeDefined();
  });
});

describe('GitHub Actions OIDC roles for the app templates', () => {
  const shared = 'aws-account-baseline/cloudformation/shared-services.yaml';
  const workload = 'aws-account-baseline/cloudformation/workload-account.yaml';
  const ORGANIZATION = 'innovate-inc';
  const APP_TEMPLATES = ['flask-api', 'react-spa'];
  const STAGES = ['dev', 'staging', 'prod'];
  const baselineTags = {
    Owner: 'group:default/platform-team',
    CostCenter: 'platform',
    TemplateName: 'aws-account-baseline',
    TemplateVersion: '1.1.0',
  };
  const sharedParams = (extra: Record<string, string> = {}) => ({
    ...baselineTags,
    WorkloadAccountIds: '222222222222,333333333333',
    GitHubOrganization: ORGANIZATION,
    ...extra,
  });
  const workloadParams = (extra: Record<string, string> = {}) => ({
    ...baselineTags,
    PortalRoleArn: 'arn:aws:iam::111111111111:role/portal',
    ExternalId: 'external-id',
    GitHubOrganization: ORGANIZATION,
    DeployStages: 'dev,staging,prod',
    ...extra,
  });
  const pseudo = (accountId: string) => ({
    'AWS::Region': 'eu-central-1',
    'AWS::AccountId': accountId,
    'AWS::Partition': 'aws',
  });
  const evaluateBaseline = (
    file: string,
    given: Record<string, string>,
    accountId: string,
  ) => {
    const t = template(file);
    return new TemplateEvaluator(
      t,
      parameterValues(t, given),
      pseudo(accountId),
    );
  };
  const sharedLayer = (extra?: Record<string, string>) =>
    evaluateBaseline(shared, sharedParams(extra), '111111111111');
  const workloadLayer = (extra?: Record<string, string>) =>
    evaluateBaseline(workload, workloadParams(extra), '222222222222');

  /** A resolved value with its Sub strings filled from the parameters and pseudo parameters. */
  function concrete(
    value: unknown,
    given: Record<string, string>,
    accountId: string,
  ): any {
    const values = { ...given, ...pseudo(accountId) };
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      const filled = substitute(v, values);
      if (filled !== v) return filled;
      if (v && typeof v === 'object') {
        return Object.fromEntries(
          Object.entries(v).map(([k, inner]) => [k, walk(inner)]),
        );
      }
      return v;
    };
    return walk(value);
  }

  /** Roles that GitHub Actions assume: every role whose trust federates a web identity. */
  function gitHubRoles(layer: TemplateEvaluator) {
    return layer
      .resources('AWS::IAM::Role')
      .filter(role =>
        JSON.stringify(role.properties.AssumeRolePolicyDocument).includes(
          'sts:AssumeRoleWithWebIdentity',
        ),
      );
  }

  type Statement = {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    Resource: unknown;
    Condition?: Record<string, Record<string, unknown>>;
  };
  const statementsOf = (role: { properties: Record<string, unknown> }) =>
    (
      role.properties.Policies as Array<{
        PolicyDocument: { Statement: Statement[] };
      }>
    ).flatMap(p => p.PolicyDocument.Statement);
  const actionsOf = (statement: Statement) =>
    ([] as string[]).concat(statement.Action);
  const subjectsOf = (trust: any): string[] =>
    trust.Statement.flatMap((statement: any) =>
      [].concat(
        statement.Condition?.StringLike?.[
          'token.actions.githubusercontent.com:sub'
        ] ?? [],
      ),
    );

  async function readWorkflow(app: string, file: string) {
    return fs.readFile(
      resolvePath(TEMPLATES_ROOT, app, 'skeleton/.github/workflows', file),
      'utf8',
    );
  }

  it('pins every GitHub role to the organization: aud is STS and sub names an environment or a ref', () => {
    const checked: string[] = [];
    for (const [file, given, accountId] of [
      [shared, sharedParams(), '111111111111'],
      [workload, workloadParams(), '222222222222'],
    ] as const) {
      const layer = evaluateBaseline(file, given, accountId);
      for (const role of gitHubRoles(layer)) {
        const trust = concrete(
          role.properties.AssumeRolePolicyDocument,
          given,
          accountId,
        );
        expect({
          role: role.id,
          problems: gitHubTrustProblems(trust, ORGANIZATION),
        }).toEqual({ role: role.id, problems: [] });
        checked.push(role.id);
      }
    }
    expect(checked.sort()).toEqual(
      [
        'DevDeployRole',
        'EcrPushRole',
        'ProdDeployRole',
        'StagingDeployRole',
      ].sort(),
    );
  });

  it('would fail a role whose trust lost its sub condition', () => {
    const [role] = gitHubRoles(sharedLayer());
    const trust = concrete(
      role.properties.AssumeRolePolicyDocument,
      sharedParams(),
      '111111111111',
    );
    delete trust.Statement[0].Condition.StringLike;
    expect(gitHubTrustProblems(trust, ORGANIZATION)).toEqual([
      expect.stringContaining('any GitHub repository could assume the role'),
    ]);
  });

  it('deploys each stage only from its GitHub environment; prod never from a branch', async () => {
    const layer = workloadLayer();
    const subjects = (id: string) =>
      subjectsOf(
        concrete(
          layer.resources('AWS::IAM::Role').find(r => r.id === id)!.properties
            .AssumeRolePolicyDocument,
          workloadParams(),
          '222222222222',
        ),
      );
    expect(subjects('DevDeployRole')).toEqual([
      'repo:innovate-inc/*:environment:dev',
    ]);
    expect(subjects('StagingDeployRole')).toEqual([
      'repo:innovate-inc/*:environment:staging',
    ]);
    const prod = subjects('ProdDeployRole');
    expect(prod).toEqual(['repo:innovate-inc/*:environment:prod']);
    expect(prod.filter(s => s.includes(':ref:refs/heads/'))).toEqual([]);

    // The subjects exist only because the deploy job runs in the GitHub environment named like the stage.
    for (const app of APP_TEMPLATES) {
      const deploy = await readWorkflow(app, 'deploy.yaml');
      expect(deploy).toMatch(/^\s+environment: \$\{\{ inputs\.stage \}\}$/m);
      const pipeline = await readWorkflow(app, 'pipeline.yaml');
      expect(pipeline).toContain(
        "{%- for stage in ['dev', 'staging', 'prod'] %}",
      );
      expect(pipeline).toContain('stage: ${{ stage }}');
    }
  });

  it('lets the image job push on exactly the refs the app pipelines push images on', async () => {
    const [role] = gitHubRoles(sharedLayer());
    expect(role.id).toBe('EcrPushRole');
    const subjects = subjectsOf(
      concrete(
        role.properties.AssumeRolePolicyDocument,
        sharedParams(),
        '111111111111',
      ),
    );
    for (const app of APP_TEMPLATES) {
      const pipeline = await readWorkflow(app, 'pipeline.yaml');
      const branches = /branches: \[([^\]]+)\]/.exec(pipeline)![1];
      const tags = /tags: \[([^\]]+)\]/.exec(pipeline)![1];
      const refs = [
        ...branches.split(',').map(b => `refs/heads/${b.trim()}`),
        ...tags.split(',').map(t => `refs/tags/${t.trim().replace(/'/g, '')}`),
      ];
      expect(subjects.sort()).toEqual(
        refs.map(ref => `repo:innovate-inc/*:ref:${ref}`).sort(),
      );
      // Pull requests run the tests but never reach the image job that assumes the role.
      expect(pipeline).toContain("if: github.event_name == 'push'");
    }
  });

  it("scopes image pushes to the organization's repositories; only the registry login is on '*'", () => {
    const [role] = gitHubRoles(sharedLayer());
    const statements = concrete(
      statementsOf(role),
      sharedParams({ ImageRepositoryPrefix: 'innovate' }),
      '111111111111',
    ) as Statement[];
    const onEverything = statements.filter(s =>
      [].concat(s.Resource as never).some(r => r === '*'),
    );
    expect(onEverything.flatMap(actionsOf)).toEqual([
      'ecr:GetAuthorizationToken',
    ]);
    const push = statements.filter(s => actionsOf(s).includes('ecr:PutImage'));
    expect(push).toHaveLength(1);
    expect(push[0].Resource).toBe(
      'arn:aws:ecr:eu-central-1:111111111111:repository/innovate/*',
    );
    expect(actionsOf(push[0]).sort()).toEqual(
      [
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:CompleteLayerUpload',
        'ecr:GetDownloadUrlForLayer',
        'ecr:InitiateLayerUpload',
        'ecr:PutImage',
        'ecr:UploadLayerPart',
      ].sort(),
    );
    // The app templates push to <prefix>/<service>, inside that scope.
    expect(
      statements
        .flatMap(actionsOf)
        .filter(a => /^ecr:(Delete|Set|Create)/.test(a)),
    ).toEqual([]);
  });

  it("lets deploy roles only find their stage's clusters and read the outputs the workflow passes to helm", () => {
    const layer = workloadLayer();
    for (const stage of STAGES) {
      const role = layer
        .resources('AWS::IAM::Role')
        .find(
          r => r.properties.RoleName === `innovate-github-deploy-${stage}`,
        )!;
      const statements = concrete(
        statementsOf(role),
        workloadParams(),
        '222222222222',
      ) as Statement[];
      expect(statements.flatMap(actionsOf).sort()).toEqual([
        'cloudformation:DescribeStacks',
        'eks:DescribeCluster',
      ]);
      const clusters = statements.find(s =>
        actionsOf(s).includes('eks:DescribeCluster'),
      )!;
      expect(clusters.Resource).toBe('arn:aws:eks:*:222222222222:cluster/*');
      expect(clusters.Condition).toEqual({
        StringEquals: { [`aws:ResourceTag/${TAG_STAGE}`]: stage },
      });
      const stacks = statements.find(s =>
        actionsOf(s).includes('cloudformation:DescribeStacks'),
      )!;
      expect(stacks.Resource).toEqual(
        ['edge', 'security', 'data'].map(
          layerName =>
            `arn:aws:cloudformation:*:222222222222:stack/*-${layerName}/*`,
        ),
      );
    }
  });

  it('creates deploy roles only for the stages the account hosts', () => {
    const rolesFor = (stages: string) =>
      gitHubRoles(workloadLayer({ DeployStages: stages }))
        .map(r => r.properties.RoleName)
        .sort();
    expect(rolesFor('dev,staging')).toEqual([
      'innovate-github-deploy-dev',
      'innovate-github-deploy-staging',
    ]);
    expect(rolesFor('prod')).toEqual(['innovate-github-deploy-prod']);
    expect(template(workload).Parameters?.DeployStages.AllowedValues).toContain(
      'dev,staging,prod',
    );
  });

  it.each([
    [shared, sharedParams, '111111111111'],
    [workload, workloadParams, '222222222222'],
  ] as const)(
    '%s creates the OIDC provider, or trusts the one the account already has',
    (file, params, accountId) => {
      const created = evaluateBaseline(file, params(), accountId);
      const [provider] = created.resources('AWS::IAM::OIDCProvider');
      expect(provider.properties).toMatchObject({
        Url: 'https://token.actions.githubusercontent.com',
        ClientIdList: ['sts.amazonaws.com'],
      });
      for (const role of gitHubRoles(created)) {
        expect(
          (role.properties.AssumeRolePolicyDocument as any).Statement[0]
            .Principal,
        ).toEqual({ Federated: { Ref: 'GitHubOidcProvider' } });
      }

      const existing = `arn:aws:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com`;
      expect(
        new RegExp(
          template(file).Parameters!.GitHubOidcProviderArn.AllowedPattern!,
        ).test(existing),
      ).toBe(true);
      const reused = evaluateBaseline(
        file,
        params({ GitHubOidcProviderArn: existing }),
        accountId,
      );
      expect(reused.resources('AWS::IAM::OIDCProvider')).toEqual([]);
      const roles = gitHubRoles(reused);
      expect(roles.length).toBeGreaterThan(0);
      for (const role of roles) {
        expect(
          (role.properties.AssumeRolePolicyDocument as any).Statement[0]
            .Principal,
        ).toEqual({ Federated: existing });
      }
    },
  );

  it.each([shared, workload])(
    '%s refuses organization names that would put a wildcard into sub',
    file => {
      const pattern = new RegExp(
        template(file).Parameters!.GitHubOrganization.AllowedPattern!,
      );
      expect(pattern.test(ORGANIZATION)).toBe(true);
      for (const bad of ['*', 'acme*', 'acme/shop', 'ac?me', 'acme:x', '']) {
        expect({ bad, accepted: pattern.test(bad) }).toEqual({
          bad,
          accepted: false,
        });
      }
    },
  );

  it("outputs each role ARN under the GitHub variable the app templates' workflows read", async () => {
    const variables = new Set<string>();
    for (const app of APP_TEMPLATES) {
      const pipeline = await readWorkflow(app, 'pipeline.yaml');
      for (const [, name, perStage] of pipeline.matchAll(
        /vars\.([A-Z_]+?)(_\$\{\{ stage \| upper \}\})?\s*\}\}/g,
      )) {
        if (perStage)
          STAGES.forEach(st => variables.add(`${name}_${st.toUpperCase()}`));
        else variables.add(name);
      }
    }
    expect([...variables].sort()).toEqual([
      'DEPLOY_ROLE_ARN_DEV',
      'DEPLOY_ROLE_ARN_PROD',
      'DEPLOY_ROLE_ARN_STAGING',
      'ECR_PUSH_ROLE_ARN',
    ]);

    const documented = new Map<
      string,
      { file: string; value: unknown; condition?: string }
    >();
    for (const file of [shared, workload]) {
      for (const [, output] of Object.entries(template(file).Outputs ?? {})) {
        const named = /GitHub repository variable ([A-Z_]+)/.exec(
          output.Description ?? '',
        );
        if (named) {
          documented.set(named[1], {
            file,
            value: output.Value,
            condition: output.Condition,
          });
        }
      }
    }
    expect([...documented.keys()].sort()).toEqual([...variables].sort());
    expect(documented.get('ECR_PUSH_ROLE_ARN')).toEqual({
      file: shared,
      value: { 'Fn::GetAtt': ['EcrPushRole', 'Arn'] },
      condition: undefined,
    });
    for (const stage of STAGES) {
      const title = stage[0].toUpperCase() + stage.slice(1);
      const output = documented.get(`DEPLOY_ROLE_ARN_${stage.toUpperCase()}`)!;
      // An output exists exactly when its role does.
      expect(output).toEqual({
        file: workload,
        value: { 'Fn::GetAtt': [`${title}DeployRole`, 'Arn'] },
        condition: template(workload).Resources[`${title}DeployRole`].Condition,
      });
    }
  });

  it("maps the stage's deploy role into the cluster with edit rights in the app namespace only, when asked", () => {
    const compute = 'aws-environment/cloudformation/compute.yaml';
    const entries = (stage: string, access?: string) =>
      evaluate(compute, {
        ...identity(stage),
        ...(access ? { GitHubDeployAccess: access } : {}),
      })
        .resources('AWS::EKS::AccessEntry')
        .filter(e => e.id === 'GitHubDeployAccessEntry');
    // Off by default: EKS refuses a principal that does not exist, and older account baselines have no such role.
    expect(entries('prod')).toEqual([]);
    const baselineRoles = workloadLayer().resources('AWS::IAM::Role');
    for (const stage of STAGES) {
      const [entry] = entries(stage, 'true');
      const principal = concrete(
        entry.properties.PrincipalArn,
        { ...identity(stage) },
        '222222222222',
      );
      const roleName = principal.split(':role/')[1];
      expect(
        baselineRoles.some(
          r =>
            r.properties.RoleName === roleName &&
            JSON.stringify(r.properties.AssumeRolePolicyDocument).includes(
              `:environment:${stage}`,
            ),
        ),
      ).toBe(true);
      expect(entry.properties).toMatchObject({
        Type: 'STANDARD',
        KubernetesGroups: ['innovate-ci-deployers'],
        AccessPolicies: [
          {
            PolicyArn: {
              'Fn::Sub':
                'arn:${AWS::Partition}:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
            },
            AccessScope: { Type: 'namespace', Namespaces: ['innovate'] },
          },
        ],
      });
    }
  });
});
