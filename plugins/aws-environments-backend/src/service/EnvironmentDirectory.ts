import type { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_REGION,
  ANNOTATION_STACKS,
  ANNOTATION_STAGE,
  ANNOTATION_TEMPLATE,
  ENVIRONMENT_LAYERS,
  ENVIRONMENT_RESOURCE_TYPE,
  STAGES,
  Stage,
  isAwsEnvironment,
  stackNameFor,
} from '@internal/plugin-aws-environments-common';
import type { EnvironmentTarget } from './types';

/** Annotation on a catalog Template entity naming the version of the template it currently publishes. */
export const ANNOTATION_TEMPLATE_VERSION = 'aws.innovate.io/template-version';

/** Maps an environment entity to what the collectors need; undefined when it is not an environment. */
export function toEnvironmentTarget(
  entity: Entity,
): EnvironmentTarget | undefined {
  if (!isAwsEnvironment(entity)) {
    return undefined;
  }
  const annotations = entity.metadata.annotations ?? {};
  const name = annotations[ANNOTATION_ENVIRONMENT] || entity.metadata.name;
  const stacks = (annotations[ANNOTATION_STACKS] ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  const stage = annotations[ANNOTATION_STAGE];
  const spec = (entity.spec ?? {}) as { owner?: unknown; system?: unknown };
  const namespace = entity.metadata.namespace ?? 'default';
  const templateAnnotation = annotations[ANNOTATION_TEMPLATE];
  let template: EnvironmentTarget['template'];
  if (templateAnnotation?.includes('@')) {
    const at = templateAnnotation.lastIndexOf('@');
    template = {
      name: templateAnnotation.slice(0, at),
      version: templateAnnotation.slice(at + 1),
    };
  }
  return {
    entityRef: stringifyEntityRef(entity),
    name,
    title: entity.metadata.title,
    namespace,
    accountId: annotations[ANNOTATION_ACCOUNT_ID],
    region: annotations[ANNOTATION_REGION],
    stacks: stacks.length
      ? stacks
      : ENVIRONMENT_LAYERS.map(layer => stackNameFor(name, layer)),
    stage: (STAGES as readonly string[]).includes(stage ?? '')
      ? (stage as Stage)
      : undefined,
    owner:
      typeof spec.owner === 'string'
        ? stringifyEntityRef(
            parseEntityRef(spec.owner, {
              defaultKind: 'group',
              defaultNamespace: namespace,
            }),
          )
        : undefined,
    system:
      typeof spec.system === 'string'
        ? stringifyEntityRef(
            parseEntityRef(spec.system, {
              defaultKind: 'system',
              defaultNamespace: namespace,
            }),
          )
        : undefined,
    template,
    entity,
  };
}

/** Compares dotted numeric versions (`1.10.0` > `1.9.2`); non-numeric parts compare as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.-]/);
  const pb = b.replace(/^v/, '').split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const diff =
      Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (diff !== 0) {
      return Math.sign(diff);
    }
  }
  return 0;
}

export interface EnvironmentSnapshot {
  environments: EnvironmentTarget[];
  /** Template name -> latest published version. */
  latestTemplateVersions: Map<string, string>;
}

/** Where the environments come from. Read afresh so that new environments appear without a restart. */
export interface EnvironmentDirectory {
  list(): Promise<EnvironmentSnapshot>;
  /** Forgets the cached list so that the next call reads the catalog. */
  invalidate(): void;
}

/**
 * Reads environments and template versions from the catalog with the plugin's own credentials. The result is kept
 * for a short time so that the overview endpoint does not query the catalog on every page view.
 */
export class CatalogEnvironmentDirectory implements EnvironmentDirectory {
  private cached?: { at: number; snapshot: Promise<EnvironmentSnapshot> };

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      cacheMs?: number;
      now?: () => number;
    },
  ) {}

  invalidate(): void {
    this.cached = undefined;
  }

  list(): Promise<EnvironmentSnapshot> {
    const now = (this.options.now ?? Date.now)();
    const cacheMs = this.options.cacheMs ?? 30_000;
    if (!this.cached || now - this.cached.at > cacheMs) {
      const snapshot = this.read();
      this.cached = { at: now, snapshot };
      // A failed read must not be served from the cache.
      snapshot.catch(() => {
        if (this.cached?.snapshot === snapshot) {
          this.cached = undefined;
        }
      });
    }
    return this.cached.snapshot;
  }

  private async read(): Promise<EnvironmentSnapshot> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const [environments, templates] = await Promise.all([
      catalog.getEntities(
        {
          filter: { kind: 'Resource', 'spec.type': ENVIRONMENT_RESOURCE_TYPE },
        },
        { credentials },
      ),
      catalog.getEntities(
        {
          filter: { kind: 'Template' },
          fields: ['kind', 'metadata.name', 'metadata.annotations'],
        },
        { credentials },
      ),
    ]);
    const latestTemplateVersions = new Map<string, string>();
    for (const template of templates.items) {
      const version =
        template.metadata.annotations?.[ANNOTATION_TEMPLATE_VERSION];
      if (version) {
        latestTemplateVersions.set(template.metadata.name, version);
      }
    }
    return {
      environments: environments.items
        .map(toEnvironmentTarget)
        .filter((e): e is EnvironmentTarget => Boolean(e))
        .sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
      latestTemplateVersions,
    };
  }
}
