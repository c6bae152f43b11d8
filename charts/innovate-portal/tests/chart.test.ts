import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ChartRenderer } from './helmTemplate';

const chartDir = path.resolve(__dirname, '..');
const repoRoot = path.resolve(chartDir, '../..');
const renderer = new ChartRenderer(chartDir);

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: any;
  data?: Record<string, string>;
}

/** `helm template` with the chart's values.yaml plus `overrides`, parsed into Kubernetes objects by kind. */
function manifests(overrides: Record<string, unknown> = {}) {
  const objects: K8sObject[] = [];
  for (const [file, text] of renderer.render(overrides)) {
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) {
        throw new Error(
          `${file} is not valid YAML: ${document.errors[0].message}\n${text}`,
        );
      }
      const object = document.toJS() as K8sObject | null;
      if (object) objects.push(object);
    }
  }
  const one = (kind: string) => {
    const found = objects.filter(o => o.kind === kind);
    if (found.length !== 1)
      throw new Error(`Expected one ${kind}, found ${found.length}`);
    return found[0];
  };
  return { objects, one };
}

/** The values the chart README's install example uses. */
const readmeValues = {
  baseUrl: 'https://portal.innovate.example',
  image: { tag: '2026.11.27-ba8719b' },
  ingress: {
    certificateArn: 'arn:aws:acm:eu-central-1:111111111111:certificate/portal',
  },
};

describe('innovate-portal chart', () => {
  it('renders a Deployment, Service, Ingress, PodDisruptionBudget, ServiceAccount and ConfigMap', () => {
    const { objects } = manifests(readmeValues);
    expect(objects.map(o => o.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'Ingress',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
    for (const object of objects) {
      expect(object.metadata.name).toMatch(/^innovate-portal/);
      expect(object.metadata.labels?.['app.kubernetes.io/instance']).toBe(
        'innovate-portal',
      );
    }
  });

  it('runs two or more replicas probed on Backstage health endpoints, rolled one at a time', () => {
    const deployment = manifests(readmeValues).one('Deployment');
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy.rollingUpdate).toEqual({
      maxSurge: 1,
      maxUnavailable: 0,
    });
    const [container] = deployment.spec.template.spec.containers;
    expect(container.image).toBe(
      '111111111111.dkr.ecr.eu-central-1.amazonaws.com/innovate-portal:2026.11.27-ba8719b',
    );
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
  });

  it('falls back to the chart appVersion as image tag', () => {
    const [container] =
      manifests().one('Deployment').spec.template.spec.containers;
    expect(container.image).toMatch(/:1\.0\.0$/);
  });

  it('runs as non-root on a read-only root file system with /tmp writable, spread over zones', () => {
    const pod = manifests(readmeValues).one('Deployment').spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBe(1000);
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
    const { one } = manifests(readmeValues);
    const podLabels = one('Deployment').spec.template.metadata.labels;
    expect(one('Deployment').spec.selector.matchLabels).toEqual(podLabels);
    expect(one('Service').spec.selector).toEqual(podLabels);
    expect(one('PodDisruptionBudget').spec.selector.matchLabels).toEqual(
      podLabels,
    );
    expect(one('PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    for (const constraint of one('Deployment').spec.template.spec
      .topologySpreadConstraints) {
      expect(constraint.labelSelector.matchLabels).toEqual(podLabels);
    }
  });

  it('routes an ALB with a one-hour idle timeout to the Service, so the live task log is not cut', () => {
    const { one } = manifests(readmeValues);
    const ingress = one('Ingress');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/load-balancer-attributes':
        'idle_timeout.timeout_seconds=3600',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/healthcheck-path':
        '/.backstage/health/v1/readiness',
      'alb.ingress.kubernetes.io/certificate-arn':
        readmeValues.ingress.certificateArn,
    });
    const [rule] = ingress.spec.rules;
    expect(rule.host).toBe('portal.innovate.example');
    expect(rule.http.paths[0].backend.service).toEqual({
      name: one('Service').metadata.name,
      port: { name: 'http' },
    });
    expect(one('Service').spec.ports[0].targetPort).toBe('http');
  });

  it('binds the pods to the portal IAM role through the service account', () => {
    const { one } = manifests(readmeValues);
    const serviceAccount = one('ServiceAccount');
    expect(
      serviceAccount.metadata.annotations?.['eks.amazonaws.com/role-arn'],
    ).toBe('arn:aws:iam::111111111111:role/innovate-portal');
    expect(one('Deployment').spec.template.spec.serviceAccountName).toBe(
      serviceAccount.metadata.name,
    );
  });

  it('leaves the IRSA annotation out for EKS Pod Identity', () => {
    const serviceAccount = manifests({ serviceAccount: { roleArn: '' } }).one(
      'ServiceAccount',
    );
    expect(serviceAccount.metadata.annotations ?? {}).toEqual({});
  });

  it('ships app-config.production.yaml in the ConfigMap and starts the backend with it', () => {
    const { one } = manifests({
      ...readmeValues,
      appConfig: { organization: { name: 'Innovate' } },
    });
    const configMap = one('ConfigMap');
    expect(parse(configMap.data!['app-config.production.yaml'])).toEqual(
      parse(
        fs.readFileSync(
          path.join(repoRoot, 'app-config.production.yaml'),
          'utf8',
        ),
      ),
    );
    expect(parse(configMap.data!['app-config.overrides.yaml'])).toEqual({
      organization: { name: 'Innovate' },
    });
    const pod = one('Deployment').spec.template.spec;
    const [container] = pod.containers;
    const configMount = container.volumeMounts.find(
      (m: any) => m.name === 'config',
    );
    expect(
      pod.volumes.find((v: any) => v.name === 'config').configMap.name,
    ).toBe(configMap.metadata.name);
    const configFiles = container.args
      .filter((_: string, i: number) => container.args[i - 1] === '--config')
      .map((file: string) => path.posix.join('/app', file));
    expect(configFiles).toEqual(
      Object.keys(configMap.data!).map(key =>
        path.posix.join(configMount.mountPath, key),
      ),
    );
  });

  it('rolls the pods when the configuration changes', () => {
    const checksum = (values: Record<string, unknown>) =>
      manifests(values).one('Deployment').spec.template.metadata.annotations[
        'checksum/config'
      ];
    expect(checksum({})).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum({})).toBe(checksum({}));
    expect(checksum({ appConfig: { app: { title: 'Portal' } } })).not.toBe(
      checksum({}),
    );
  });

  it('provides every ${VARIABLE} of the production config from the pod env or the documented secret', () => {
    const productionConfig = fs.readFileSync(
      path.join(repoRoot, 'app-config.production.yaml'),
      'utf8',
    );
    const referenced = [...productionConfig.matchAll(/\$\{(\w+)\}/g)].map(
      m => m[1],
    );
    const { one } = manifests(readmeValues);
    const [container] = one('Deployment').spec.template.spec.containers;
    expect(container.envFrom).toEqual([
      { secretRef: { name: 'innovate-portal-secrets' } },
    ]);
    const fromEnv = container.env.map((e: { name: string }) => e.name);
    const readme = fs.readFileSync(path.join(chartDir, 'README.md'), 'utf8');
    const secretTable = readme.slice(readme.indexOf('## Secret'));
    const fromSecret = [...secretTable.matchAll(/^\|\s*`(\w+)`\s*\|/gm)].map(
      m => m[1],
    );
    for (const variable of new Set(referenced)) {
      expect({
        variable,
        provided: fromEnv.includes(variable) || fromSecret.includes(variable),
      }).toEqual({
        variable,
        provided: true,
      });
    }
  });

  it('renders no Ingress when it is disabled and any replica count asked for', () => {
    const { objects, one } = manifests({
      ingress: { enabled: false },
      replicaCount: 3,
    });
    expect(objects.some(o => o.kind === 'Ingress')).toBe(false);
    expect(one('Deployment').spec.replicas).toBe(3);
  });
});
