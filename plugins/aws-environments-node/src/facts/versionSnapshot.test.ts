import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseTemplate } from '../blueprint/cfnYaml';
import { stageDefaults } from '../blueprint/defaults';
import {
  AURORA_POSTGRES_MAJOR_VERSIONS,
  EKS_KUBERNETES_VERSIONS,
  RDS_POSTGRES_MAJOR_VERSIONS,
  VERSION_SNAPSHOT_DATE,
  snapshotKubernetesPhase,
  startOfDay,
} from './versionSnapshot';

const TEMPLATES = path.resolve(__dirname, '../../../../templates');
const SNAPSHOT_DAY = startOfDay(VERSION_SNAPSHOT_DATE);

function readYaml(file: string): any {
  return parse(fs.readFileSync(path.join(TEMPLATES, file), 'utf8'));
}

/** A form field by name, from any page of a scaffolder template. */
function formField(template: any, name: string): any {
  for (const page of template.spec.parameters) {
    if (page.properties?.[name]) return page.properties[name];
  }
  throw new Error(`The template has no field ${name}`);
}

function expectKubernetesInStandardSupport(version: string) {
  const fact = EKS_KUBERNETES_VERSIONS.find(f => f.version === version);
  expect(fact).toBeDefined();
  expect(snapshotKubernetesPhase(fact!, SNAPSHOT_DAY)).toBe('standard');
}

/** A database version default: a major version both engines create, still in standard support. */
function expectPostgresInStandardSupport(version: string) {
  expect(version).toMatch(/^\d+$/);
  for (const majors of [
    RDS_POSTGRES_MAJOR_VERSIONS,
    AURORA_POSTGRES_MAJOR_VERSIONS,
  ]) {
    const major = majors.find(m => m.majorVersion === version);
    expect(major?.creatableVersions.length).toBeGreaterThan(0);
    expect(startOfDay(major!.endOfStandardSupport)).toBeGreaterThan(
      SNAPSHOT_DAY,
    );
  }
}

describe('the templates default to versions the snapshot allows on its date', () => {
  it('New AWS environment: Kubernetes and PostgreSQL defaults', () => {
    const template = readYaml('aws-environment/template.yaml');
    const kubernetes = formField(template, 'kubernetesVersion');
    expect(kubernetes.enum).toBeUndefined();
    expectKubernetesInStandardSupport(kubernetes.default);
    expectPostgresInStandardSupport(
      formField(template, 'databaseEngineVersion').default,
    );
  });

  it('New AWS environment: the newest Kubernetes version in standard support is the default', () => {
    const template = readYaml('aws-environment/template.yaml');
    const newestStandard = EKS_KUBERNETES_VERSIONS.find(
      f => snapshotKubernetesPhase(f, SNAPSHOT_DAY) === 'standard',
    );
    expect(formField(template, 'kubernetesVersion').default).toBe(
      newestStandard?.version,
    );
  });

  it('data layer: the EngineVersion parameter default', () => {
    const data = parseTemplate(
      fs.readFileSync(
        path.join(TEMPLATES, 'aws-environment/cloudformation/data.yaml'),
        'utf8',
      ),
    );
    const engineVersion = data.Parameters?.EngineVersion;
    expect(engineVersion?.AllowedPattern).toBeDefined();
    expectPostgresInStandardSupport(String(engineVersion?.Default));
  });

  it('the blueprint defaults match the form', () => {
    const template = readYaml('aws-environment/template.yaml');
    for (const stage of ['dev', 'staging', 'prod'] as const) {
      expect(stageDefaults(stage).kubernetesVersion).toBe(
        formField(template, 'kubernetesVersion').default,
      );
      expect(stageDefaults(stage).databaseEngineVersion).toBe(
        formField(template, 'databaseEngineVersion').default,
      );
    }
  });

  it('Update an AWS environment: both versions keep the current one unless chosen', () => {
    const template = readYaml('aws-environment-update/template.yaml');
    for (const name of ['kubernetesVersion', 'databaseEngineVersion']) {
      const field = formField(template, name);
      expect(field.enum).toBeUndefined();
      expect(field.default).toBe('');
    }
  });
});

describe('the snapshot is consistent', () => {
  it('dates every Kubernetes version in order, newest first', () => {
    const versions = EKS_KUBERNETES_VERSIONS.map(f => f.version);
    expect(versions).toEqual(
      [...versions].sort(
        (a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]),
      ),
    );
    for (const fact of EKS_KUBERNETES_VERSIONS) {
      expect(startOfDay(fact.releaseDate)).toBeLessThan(
        startOfDay(fact.endOfStandardSupport),
      );
      expect(startOfDay(fact.endOfStandardSupport)).toBeLessThan(
        startOfDay(fact.endOfExtendedSupport),
      );
    }
  });

  it('makes each major version default to one of its creatable minor versions', () => {
    for (const major of [
      ...RDS_POSTGRES_MAJOR_VERSIONS,
      ...AURORA_POSTGRES_MAJOR_VERSIONS,
    ]) {
      expect(major.creatableVersions).toContain(major.defaultVersion);
      for (const version of [
        ...major.creatableVersions,
        ...major.deprecatedVersions,
      ]) {
        expect(version.split('.')[0]).toBe(major.majorVersion);
      }
      expect(
        major.creatableVersions.filter(v =>
          major.deprecatedVersions.includes(v),
        ),
      ).toEqual([]);
    }
  });
});
