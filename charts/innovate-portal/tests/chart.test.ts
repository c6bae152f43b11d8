import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  chartDir,
  Helm,
  K8sObject,
  only,
  readmeInstallCommand,
  repoRoot,
} from './helm';
import {
  findUnknownFields,
  kubernetesModelFor,
  validateAgainstKubernetesSchema,
} from './kubernetesSchema';

const productionConfigText = fs.readFileSync(
  path.join(repoRoot, 'app-config.production.yaml'),
  'utf8',
);
const readmeText = fs.readFileSync(path.join(chartDir, 'README.md'), 'utf8');

/** The keys of the Secret, from the chart README's "Secret" table. */
const documentedSecretKeys = [
  ...readmeText
    .slice(readmeText.indexOf('## Secret'))
    .matchAll(/^\|\s*`(\w+)`\s*\|/gm),
].map(m => m[1]);

/** A value of the README install command's --set flags, e.g. `ingress.certificateArn`. */
function readmeSetting(key: string): string {
  const { valueArgs } = readmeInstallCommand();
  const setting = valueArgs.find(arg => arg.startsWith(`${key}=`));
  if (!setting)
    throw new Error(`The README install command does not set ${key}`);
  return setting.slice(key.length + 1);
}

/** Every optional value set, so that each `with`/`if` branch of the templates renders. */
const everyOptionalValue = {
  env: {
    LOG_LEVEL: 'info',
    NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca.pem',
    FEATURE_FLAG: true,
  },
  appConfig: { app: { title: 'Portal' } },
  serviceAccount: { annotations: { 'example.com/team': 'platform' } },
  ingress: {
    scheme: 'internal',
    annotations: {
      'alb.ingress.kubernetes.io/wafv2-acl-arn':
        'arn:aws:wafv2:eu-central-1:111111111111:regional/webacl/portal/1',
    },
  },
  nodeSelector: { 'kubernetes.io/arch': 'amd64' },
  tolerations: [
    {
      key: 'dedicated',
      operator: 'Equal',
      value: 'portal',
      effect: 'NoSchedule',
    },
  ],
  podAnnotations: { 'example.com/scrape': 'true' },
};

let helm: Helm;
let readmeRender: K8sObject[];

beforeAll(async () => {
  helm = await Helm.locate();
  readmeRender = await helm.template({ readme: true });
});

afterAll(() => helm?.dispose());

const containerOf = (objects: K8sObject[]) =>
  only(objects, 'Deployment').spec.template.spec.containers[0];

describe('innovate-portal chart, rendered by helm with the README install command', () => {
  it('renders a Deployment, Service, Ingress, PodDisruptionBudget, ServiceAccount and ConfigMap', () => {
    expect(readmeRender.map(o => o.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'Ingress',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
    for (const object of readmeRender) {
      expect(object.metadata.name).toMatch(/^innovate-portal/);
      expect(object.metadata.labels?.['app.kubernetes.io/instance']).toBe(
        'innovate-portal',
      );
    }
  });

  it('passes helm lint --strict, with the README values and with the chart defaults', async () => {
    await expect(helm.lint({ readme: true })).resolves.toContain(
      '0 chart(s) failed',
    );
    await expect(helm.lint()).resolves.toContain('0 chart(s) failed');
  });

  it('renders only objects that match the Kubernetes schema of their kind, whatever optional values are set', async () => {
    const renders = [
      readmeRender,
      await helm.template(),
      await helm.template({ readme: true, values: everyOptionalValue }),
      await helm.template({
        values: {
          serviceAccount: { roleArn: '' },
          ingress: { enabled: false },
        },
      }),
      await helm.template({
        values: { serviceAccount: { create: false, name: 'portal' } },
      }),
    ];
    for (const objects of renders) {
      for (const object of objects) {
        expect(() => validateAgainstKubernetesSchema(object)).not.toThrow();
        // Stable APIs only: alpha and beta versions are removed within the cluster versions Chart.yaml admits.
        expect(object.apiVersion).toMatch(/(^|\/)v[0-9]+$/);
      }
    }
    expect(findUnknownFields(renders.flat())).toEqual([]);
  });

  it('fails schema validation for kinds it has no Kubernetes model for, and for objects that break the schema', () => {
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
    };
    expect(() => validateAgainstKubernetesSchema(widget)).toThrow(
      /No Kubernetes schema for Widget/,
    );
    expect(() => kubernetesModelFor('v1', 'PodSpec')).toThrow(/no such kind/);
    expect(() => kubernetesModelFor('app/v1', 'Deployment')).toThrow(
      /no such API group\/version/,
    );
    const deployment = structuredClone(only(readmeRender, 'Deployment'));
    deployment.spec.replicas = 'two';
    expect(() => validateAgainstKubernetesSchema(deployment)).toThrow(
      /Deployment innovate-portal .*replicas must be integer/,
    );
  });

  it('finds fields the Kubernetes schema does not have, which the API server would silently drop', () => {
    const deployment = structuredClone(only(readmeRender, 'Deployment'));
    const [container] = deployment.spec.template.spec.containers;
    container.readinesProbe = container.readinessProbe;
    container.securityContext.readOnlyRootFileSystem = true;
    const serviceAccount = structuredClone(
      only(readmeRender, 'ServiceAccount'),
    );
    (serviceAccount as any).automountToken = false;
    expect(findUnknownFields([deployment, serviceAccount])).toEqual([
      'Deployment innovate-portal: spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem is not a field of apps/v1 Deployment',
      'Deployment innovate-portal: spec.template.spec.containers[0].readinesProbe is not a field of apps/v1 Deployment',
      'ServiceAccount innovate-portal: automountToken is not a field of v1 ServiceAccount',
    ]);
  });

  it('runs two or more replicas probed on Backstage health endpoints, rolled one at a time', () => {
    const deployment = only(readmeRender, 'Deployment');
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    const container = containerOf(readmeRender);
    expect(container.image).toBe(
      `111111111111.dkr.ecr.eu-central-1.amazonaws.com/innovate-portal:${readmeSetting(
        'image.tag',
      )}`,
    );
    expect(container.startupProbe.httpGet).toEqual({
      path: '/.backstage/health/v1/liveness',
      port: 'http',
    });
    // Five minutes for migrations on a fresh database before the first restart.
    expect(
      container.startupProbe.periodSeconds *
        container.startupProbe.failureThreshold,
    ).toBeGreaterThanOrEqual(300);
    expect(container.readinessProbe.httpGet).toEqual({
      path: '/.backstage/health/v1/readiness',
      port: 'http',
    });
    expect(container.livenessProbe.httpGet).toEqual({
      path: '/.backstage/health/v1/liveness',
      port: 'http',
    });
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 7007, protocol: 'TCP' },
    ]);
    expect(container.resources.requests).toEqual({
      cpu: '500m',
      memory: '1Gi',
    });
    // args, not command: the image's tini entrypoint stays PID 1 and forwards SIGTERM to the backend.
    expect(container.command).toBeUndefined();
    expect(container.args.slice(0, 2)).toEqual(['node', 'packages/backend']);
  });

  it('falls back to the chart appVersion as image tag', async () => {
    const chart = parse(
      fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8'),
    );
    expect(containerOf(await helm.template()).image).toBe(
      `111111111111.dkr.ecr.eu-central-1.amazonaws.com/innovate-portal:${chart.appVersion}`,
    );
  });

  it('runs as non-root on a read-only root file system with /tmp writable, spread over zones', () => {
    const pod = only(readmeRender, 'Deployment').spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const [container] = pod.containers;
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    const tmpMount = container.volumeMounts.find(
      (m: any) => m.mountPath === '/tmp',
    );
    const tmpVolume = pod.volumes.find((v: any) => v.name === tmpMount.name);
    expect(tmpVolume.emptyDir).toBeDefined();
    expect(pod.topologySpreadConstraints[0]).toMatchObject({
      topologyKey: 'topology.kubernetes.io/zone',
      maxSkew: 1,
    });
  });

  it('selects the same pods from the Service, the PodDisruptionBudget and the spread constraints', () => {
    const deployment = only(readmeRender, 'Deployment');
    const podLabels = deployment.spec.template.metadata.labels;
    expect(deployment.spec.selector.matchLabels).toEqual(podLabels);
    expect(only(readmeRender, 'Service').spec.selector).toEqual(podLabels);
    const pdb = only(readmeRender, 'PodDisruptionBudget');
    expect(pdb.spec.selector.matchLabels).toEqual(podLabels);
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec.maxUnavailable).toBeLessThan(deployment.spec.replicas);
    for (const constraint of deployment.spec.template.spec
      .topologySpreadConstraints) {
      expect(constraint.labelSelector.matchLabels).toEqual(podLabels);
    }
  });

  it('routes an ALB with a one-hour idle timeout to the Service, so the live task log is not cut', () => {
    const ingress = only(readmeRender, 'Ingress');
    const service = only(readmeRender, 'Service');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/load-balancer-attributes':
        'idle_timeout.timeout_seconds=3600',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/healthcheck-path':
        '/.backstage/health/v1/readiness',
      'alb.ingress.kubernetes.io/certificate-arn': readmeSetting(
        'ingress.certificateArn',
      ),
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
    });
    // The redirect is attached to an HTTP listener, so there must be one beside HTTPS.
    expect(
      JSON.parse(
        ingress.metadata.annotations!['alb.ingress.kubernetes.io/listen-ports'],
      ),
    ).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
    const [rule] = ingress.spec.rules;
    expect(rule.host).toBe(new URL(readmeSetting('baseUrl')).host);
    expect(rule.http.paths[0].backend.service).toEqual({
      name: service.metadata.name,
      port: { name: 'http' },
    });
    expect(service.spec.ports[0].targetPort).toBe('http');
  });

  it('drains a stopping pod from the ALB before its grace period ends, so rolling updates drop no request', () => {
    const ingress = only(readmeRender, 'Ingress');
    const deployment = only(readmeRender, 'Deployment');
    const drainSeconds = Number(
      /deregistration_delay\.timeout_seconds=(\d+)/.exec(
        ingress.metadata.annotations![
          'alb.ingress.kubernetes.io/target-group-attributes'
        ] ?? '',
      )?.[1],
    );
    expect(drainSeconds).toBeGreaterThan(0);
    expect(drainSeconds).toBeLessThan(
      deployment.spec.template.spec.terminationGracePeriodSeconds,
    );
  });

  it('binds the pods to the portal IAM role through the service account', () => {
    const serviceAccount = only(readmeRender, 'ServiceAccount');
    expect(
      serviceAccount.metadata.annotations?.['eks.amazonaws.com/role-arn'],
    ).toBe('arn:aws:iam::111111111111:role/innovate-portal');
    expect(
      only(readmeRender, 'Deployment').spec.template.spec.serviceAccountName,
    ).toBe(serviceAccount.metadata.name);
  });

  it('leaves the IRSA annotation out for EKS Pod Identity', async () => {
    const serviceAccount = only(
      await helm.template({
        readme: true,
        values: { serviceAccount: { roleArn: '' } },
      }),
      'ServiceAccount',
    );
    expect(serviceAccount.metadata.annotations).toBeUndefined();
  });

  it('ships app-config.production.yaml in the ConfigMap and starts the backend with it', async () => {
    const objects = await helm.template({
      readme: true,
      values: { appConfig: { organization: { name: 'Innovate' } } },
    });
    const configMap = only(objects, 'ConfigMap');
    expect(parse(configMap.data!['app-config.production.yaml'])).toEqual(
      parse(productionConfigText),
    );
    expect(parse(configMap.data!['app-config.overrides.yaml'])).toEqual({
      organization: { name: 'Innovate' },
    });
    const pod = only(objects, 'Deployment').spec.template.spec;
    const [container] = pod.containers;
    const configMount = container.volumeMounts.find(
      (m: any) => m.name === 'config',
    );
    expect(
      pod.volumes.find((v: any) => v.name === 'config').configMap.name,
    ).toBe(configMap.metadata.name);
    // The image's WORKDIR resolves the relative --config paths.
    const workdir = /^WORKDIR\s+(\S+)/m.exec(
      fs.readFileSync(
        path.join(repoRoot, 'packages/backend/Dockerfile'),
        'utf8',
      ),
    )![1];
    const configFiles = container.args
      .filter((_: string, i: number) => container.args[i - 1] === '--config')
      .map((file: string) => path.posix.join(workdir, file));
    expect(configFiles).toEqual(
      Object.keys(configMap.data!).map(key =>
        path.posix.join(configMount.mountPath, key),
      ),
    );
  });

  it('rolls the pods when the configuration changes', async () => {
    const checksum = async (values: Record<string, unknown>) =>
      only(await helm.template({ values }), 'Deployment').spec.template.metadata
        .annotations['checksum/config'];
    const defaults = await checksum({});
    expect(defaults).toMatch(/^[0-9a-f]{64}$/);
    expect(await checksum({})).toBe(defaults);
    expect(
      await checksum({ appConfig: { app: { title: 'Portal' } } }),
    ).not.toBe(defaults);
  });

  it('provides every ${VARIABLE} of the production config from the pod env or the documented Secret', () => {
    const referenced = new Set(
      [...productionConfigText.matchAll(/\$\{(\w+)\}/g)].map(m => m[1]),
    );
    const container = containerOf(readmeRender);
    expect(container.envFrom).toEqual([
      { secretRef: { name: 'innovate-portal-secrets' } },
    ]);
    const fromEnv = container.env.map((e: { name: string }) => e.name);
    const missing = [...referenced].filter(
      v => !fromEnv.includes(v) && !documentedSecretKeys.includes(v),
    );
    expect(missing).toEqual([]);
  });

  it('renders no secret value: secrets are only referenced by the Secret name', () => {
    expect(readmeRender.filter(o => o.kind === 'Secret')).toEqual([]);
    const envNames = containerOf(readmeRender).env.map(
      (e: { name: string }) => e.name,
    );
    expect(
      envNames.filter((name: string) => documentedSecretKeys.includes(name)),
    ).toEqual([]);
    // Credentials in the shipped configuration are ${...} placeholders filled from the Secret at start-up.
    const credentialValues: Array<[string, unknown]> = [];
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node))
        node.forEach((item, i) => walk(item, `${at}[${i}]`));
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (/password|secret|token|externalId|clientId/i.test(key))
            credentialValues.push([`${at}.${key}`, value]);
          walk(value, `${at}.${key}`);
        }
      }
    };
    walk(
      parse(
        only(readmeRender, 'ConfigMap').data!['app-config.production.yaml'],
      ),
      '',
    );
    expect(credentialValues.length).toBeGreaterThan(0);
    for (const [key, value] of credentialValues) {
      expect({ key, value }).toEqual({
        key,
        value: expect.stringMatching(/^\$\{\w+\}$/),
      });
    }
  });

  it('renders no Ingress when it is disabled and any replica count of two or more', async () => {
    const objects = await helm.template({
      values: { ingress: { enabled: false }, replicaCount: 3 },
    });
    expect(objects.some(o => o.kind === 'Ingress')).toBe(false);
    expect(only(objects, 'Deployment').spec.replicas).toBe(3);
  });
});

describe('innovate-portal chart, refusing values', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a single replica',
      { replicaCount: 1 },
      /'\/replicaCount': minimum: got 1, want 2/,
    ],
    [
      'a missing image repository',
      { image: { repository: '' } },
      /'\/image\/repository': minLength/,
    ],
    [
      'a missing Secret name',
      { secrets: { existingSecret: '' } },
      /'\/secrets\/existingSecret': minLength/,
    ],
    [
      'a base URL without https://',
      { baseUrl: 'portal.innovate.example' },
      /'\/baseUrl'/,
    ],
    [
      'a base URL with a path',
      { baseUrl: 'https://portal.innovate.example/portal' },
      /'\/baseUrl'/,
    ],
    [
      'an ALB idle timeout that would cut the live log',
      { ingress: { idleTimeoutSeconds: 60 } },
      /'\/ingress\/idleTimeoutSeconds': minimum: got 60, want 300/,
    ],
    [
      'an IRSA role that is not an IAM role ARN',
      { serviceAccount: { roleArn: 'innovate-portal' } },
      /'\/serviceAccount\/roleArn'/,
    ],
    [
      'a misspelt key',
      { replicas: 3 },
      /additional properties 'replicas' not allowed/,
    ],
    [
      'a PodDisruptionBudget allowing every pod down',
      { podDisruptionBudget: { maxUnavailable: 2 } },
      /podDisruptionBudget.maxUnavailable \(2\) must be below replicaCount \(2\)/,
    ],
    [
      'PORTAL_BASE_URL in env',
      { env: { PORTAL_BASE_URL: 'https://other.example' } },
      /env.PORTAL_BASE_URL is set by the chart from baseUrl/,
    ],
  ])(
    'refuses %s with a message naming the value',
    async (_, values, message) => {
      await expect(helm.templateError({ values })).resolves.toMatch(message);
    },
  );

  it.each(documentedSecretKeys)(
    'refuses the Secret key %s in env, without echoing its value',
    async key => {
      const output = await helm.templateError({
        values: { env: { [key]: 'do-not-print-me' } },
      });
      expect(output).toContain(
        `env.${key} is a secret: put it in the Secret "innovate-portal-secrets"`,
      );
      expect(output).not.toContain('do-not-print-me');
    },
  );

  it('refuses a cluster older than the chart supports', async () => {
    await expect(
      helm.templateError({ args: ['--kube-version', '1.28.0'] }),
    ).resolves.toMatch(/chart requires kubeVersion: >=1.29.0-0/);
  });
});
