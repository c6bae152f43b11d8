import { parseEntityRef } from '@backstage/catalog-model';
import {
  HOURS_PER_MONTH,
  type AwsVersionsResponse,
  type ComponentLifecycle,
  type DatabaseEngine,
  type DatabaseEngineVersionInfo,
  type EksControlPlanePrices,
  type EnvironmentHealth,
  type KubernetesVersionInfo,
} from '@internal/plugin-aws-environments-common';
import type {
  AwsEnvironmentsApi,
  EnvironmentRef,
  VersionsQuery,
} from '../../api/types';
import { formatCurrency } from './format';

/** `ui:options` the version pickers share: where the form keeps the account, the Region and (Update) the environment. */
export interface VersionPickerUiOptions {
  /** The form field holding the AWS account id; `accountId` when absent. */
  accountField?: string;
  /** The form field holding the Region; `region` when absent. */
  regionField?: string;
  /**
   * The Update form: the form field holding the entity ref of the environment updated (`environment` when absent).
   * Its account and Region are used when the form has none, and its current version is shown and proposed from.
   */
  environmentField?: string;
  /** The Update form's choice: an empty value keeps the environment's current version. */
  allowEmpty?: boolean;
}

type FormValues = Record<string, unknown> | undefined;

export function textValue(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A backend sentence as part of a paragraph: capitalised, with its full stop. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** Orders `1.9` before `1.10` and `16.10` after `16.9`: version parts compare as numbers. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0 && Number.isFinite(difference)) {
      return difference;
    }
  }
  return a.localeCompare(b);
}

/** Newest first, whatever order the answer came in. */
export function newestFirst<T extends { version: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => compareVersions(b.version, a.version));
}

/** How many versions a sentence names before it points to the list instead. */
const VERSIONS_NAMED = 6;

/** "1.35, 1.34 or 1.33": the versions a sentence offers; a long list names the newest and points to the rest. */
export function listVersions(versions: string[]): string {
  if (versions.length <= 1) {
    return versions.join('');
  }
  if (versions.length > VERSIONS_NAMED) {
    return `${versions
      .slice(0, VERSIONS_NAMED)
      .join(', ')} or another version the list offers`;
  }
  return `${versions.slice(0, -1).join(', ')} or ${
    versions[versions.length - 1]
  }`;
}

/** "choose 1.35" or "choose one of 1.35, 1.34 or 1.33". */
export function chooseFrom(versions: string[]): string {
  return versions.length === 1
    ? `choose ${versions[0]}`
    : `choose one of ${listVersions(versions)}`;
}

/** What a cluster on a version in extended support costs on top of standard support, per month (USD). */
export function extendedSupportSurchargeMonthly(
  pricing: EksControlPlanePrices,
): number {
  return (
    Math.round(
      (pricing.extendedHourly - pricing.standardHourly) * HOURS_PER_MONTH * 100,
    ) / 100
  );
}

/** "+$365/month" */
export function formatSurcharge(monthly: number): string {
  return `+${formatCurrency(monthly, 'USD', {
    cents: !Number.isInteger(monthly),
  })}/month`;
}

/** The version a new cluster gets when the form has none: the newest in standard support (else the newest). */
export function defaultKubernetesVersion(
  versions: KubernetesVersionInfo[],
): string | undefined {
  const sorted = newestFirst(versions);
  return (sorted.find(version => version.phase === 'standard') ?? sorted[0])
    ?.version;
}

/**
 * "1.33 (extended support, +$365/month)" for versions EKS bills at the extended-support price; `notes` such as
 * "current" come first.
 */
export function kubernetesVersionLabel(
  version: KubernetesVersionInfo,
  pricing: EksControlPlanePrices | undefined,
  notes: string[] = [],
): string {
  const all = [...notes];
  if (version.phase === 'extended') {
    const surcharge = pricing ? extendedSupportSurchargeMonthly(pricing) : 0;
    all.push(
      surcharge > 0
        ? `extended support, ${formatSurcharge(surcharge)}`
        : 'extended support',
    );
  }
  return all.length > 0
    ? `${version.version} (${all.join('; ')})`
    : version.version;
}

/** The version after `current` in a list: what the Update form proposes when the backend names none. */
export function nextVersionAfter(
  current: string,
  versions: string[],
): string | undefined {
  return [...versions]
    .sort(compareVersions)
    .find(version => compareVersions(version, current) > 0);
}

/** One sentence on where a Kubernetes version stands in EKS's support calendar. */
export function kubernetesSupportSentence(
  version: KubernetesVersionInfo,
  pricing: EksControlPlanePrices | undefined,
): string {
  const surcharge = pricing ? extendedSupportSurchargeMonthly(pricing) : 0;
  const cost =
    surcharge > 0 ? ` at ${formatSurcharge(surcharge)} per cluster` : '';
  if (version.phase === 'extended') {
    return `Kubernetes ${version.version} is in extended support${cost}${
      version.endOfExtendedSupport
        ? ` until ${version.endOfExtendedSupport}`
        : ''
    }${
      version.endOfStandardSupport
        ? `; its standard support ended ${version.endOfStandardSupport}`
        : ''
    }.`;
  }
  if (!version.endOfStandardSupport) {
    return `Kubernetes ${version.version} is in standard support.`;
  }
  return `Standard support for Kubernetes ${version.version} ends ${
    version.endOfStandardSupport
  }${
    version.endOfExtendedSupport
      ? `, then extended support${cost} until ${version.endOfExtendedSupport}`
      : ''
  }.`;
}

/** The scaffolder form's engine values (`rds-postgresql`, `aurora-postgresql`) as RDS names the engines. */
export function databaseEngineOf(
  formValue: unknown,
): DatabaseEngine | undefined {
  switch (formValue) {
    case 'rds-postgresql':
    case 'postgres':
      return 'postgres';
    case 'aurora-postgresql':
      return 'aurora-postgresql';
    default:
      return undefined;
  }
}

export const DATABASE_ENGINE_NAMES: Record<DatabaseEngine, string> = {
  postgres: 'RDS for PostgreSQL',
  'aurora-postgresql': 'Aurora PostgreSQL',
};

/** RDS's default minor version of the newest major version: what a new database gets when the form has none. */
export function defaultDatabaseVersion(
  versions: DatabaseEngineVersionInfo[],
): string | undefined {
  const sorted = newestFirst(versions);
  const newestMajor = sorted[0]?.majorVersion;
  const ofMajor = sorted.filter(
    version => version.majorVersion === newestMajor,
  );
  return (ofMajor.find(version => version.defaultForMajor) ?? ofMajor[0])
    ?.version;
}

/**
 * The version a form value stands for: itself when RDS offers it, or RDS's default minor version of it when it is a
 * major version (`17`), which the deploy action accepts and RDS resolves the same way.
 */
export function resolveDatabaseVersion(
  value: string | undefined,
  versions: DatabaseEngineVersionInfo[],
): DatabaseEngineVersionInfo | undefined {
  if (!value) {
    return undefined;
  }
  const exact = versions.find(version => version.version === value);
  if (exact) {
    return exact;
  }
  const ofMajor = versions.filter(version => version.majorVersion === value);
  const minor = defaultDatabaseVersion(ofMajor);
  return ofMajor.find(version => version.version === minor);
}

export function databaseVersionLabel(
  version: DatabaseEngineVersionInfo,
  notes: string[] = [],
): string {
  const all = [...notes];
  if (version.defaultForMajor) {
    all.push(`RDS default for ${version.majorVersion}`);
  }
  return all.length > 0
    ? `${version.version} (${all.join('; ')})`
    : version.version;
}

/** One sentence on the support dates RDS publishes for a version's major version. */
export function databaseSupportSentence(
  version: DatabaseEngineVersionInfo,
): string {
  const engine = DATABASE_ENGINE_NAMES[version.engine];
  if (!version.endOfStandardSupport) {
    return `${engine} ${version.majorVersion} has no published end of standard support yet.`;
  }
  return `Standard support for ${engine} ${version.majorVersion} ends ${
    version.endOfStandardSupport
  }${
    version.endOfExtendedSupport
      ? `, then RDS Extended Support (charged extra) until ${version.endOfExtendedSupport}`
      : ''
  }.`;
}

/** Where the versions came from, when that is not AWS itself: a sentence to add to the helper text. */
export function versionsSourceNote(versions: AwsVersionsResponse): string {
  if (versions.source === 'snapshot') {
    return ` AWS could not be read yet; these are the portal's versions of ${
      versions.snapshotDate ?? 'its snapshot'
    }.`;
  }
  return '';
}

/** `resource:default/innovate-dev` as the insights API names it; undefined for something that is no entity ref. */
export function environmentRefOf(
  ref: string | undefined,
): EnvironmentRef | undefined {
  if (!ref) {
    return undefined;
  }
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: 'resource',
      defaultNamespace: 'default',
    });
    return { namespace: parsed.namespace, name: parsed.name };
  } catch {
    return undefined;
  }
}

/** What the form says about where the versions are for: the account and Region, or the environment updated. */
export function placeFields(
  form: FormValues,
  options: VersionPickerUiOptions | undefined,
): { accountId?: string; region?: string; environmentRef?: string } {
  return {
    accountId: textValue(form?.[options?.accountField ?? 'accountId']),
    region: textValue(form?.[options?.regionField ?? 'region']),
    environmentRef: textValue(
      form?.[options?.environmentField ?? 'environment'],
    ),
  };
}

/**
 * The account and Region whose versions apply: the form's own (New), or those of the environment updated (Update),
 * which `GET /environments` knows.
 */
export async function resolveVersionsPlace(
  api: AwsEnvironmentsApi,
  form: FormValues,
  options: VersionPickerUiOptions | undefined,
): Promise<VersionsQuery | undefined> {
  const { accountId, region, environmentRef } = placeFields(form, options);
  if (accountId && region) {
    return { accountId, region };
  }
  if (!environmentRef) {
    return undefined;
  }
  const { items } = await api.listEnvironments({ entityRef: environmentRef });
  const environment = items.find(
    item => item.entityRef.toLowerCase() === environmentRef.toLowerCase(),
  );
  return environment
    ? { accountId: environment.accountId, region: environment.region }
    : undefined;
}

/** What an environment runs today, as far as its health says. */
export type CurrentComponent = Pick<
  ComponentLifecycle,
  'version' | 'resource'
> &
  Partial<Pick<ComponentLifecycle, 'nextVersion' | 'engine' | 'summary'>>;

/**
 * The version a part of an environment runs today, from its health: the lifecycle the backend computed, else the
 * bare version the cluster or database reports.
 */
export function currentComponent(
  health: EnvironmentHealth | undefined,
  kind: ComponentLifecycle['kind'],
): CurrentComponent | undefined {
  if (!health) {
    return undefined;
  }
  const component = health.lifecycle?.components.find(
    candidate => candidate.kind === kind,
  );
  if (component) {
    return component;
  }
  if (kind === 'kubernetes') {
    return health.eks?.version
      ? { version: health.eks.version, resource: health.eks.clusterName }
      : undefined;
  }
  const database = health.databases.find(db => db.engineVersion);
  return database?.engineVersion
    ? {
        version: database.engineVersion,
        resource: database.identifier,
        engine: databaseEngineOf(database.engine),
      }
    : undefined;
}
