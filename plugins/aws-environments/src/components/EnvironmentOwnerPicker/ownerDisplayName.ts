import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';

/** The catalog fields an owner choice needs: its ref and the name people know it by. */
export const OWNER_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.profile.displayName',
];

/** The name a team goes by: its profile's display name, else its title, else its catalog name. */
export function ownerDisplayName(entity: Entity): string {
  const profile = (entity.spec as { profile?: { displayName?: unknown } } | undefined)
    ?.profile;
  if (typeof profile?.displayName === 'string' && profile.displayName !== '') {
    return profile.displayName;
  }
  return entity.metadata.title || entity.metadata.name;
}

export interface OwnerOption {
  /** The owner's entity ref, e.g. group:default/platform-team: what the template receives. */
  ref: string;
  label: string;
}

/** Owner choices sorted by the name shown, so a team is found where a person looks for it. */
export function ownerOptions(entities: Entity[]): OwnerOption[] {
  return entities
    .map(entity => ({
      ref: stringifyEntityRef(entity),
      label: ownerDisplayName(entity),
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
