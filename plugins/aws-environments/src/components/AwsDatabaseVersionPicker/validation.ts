import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import {
  DATABASE_ENGINE_NAMES,
  chooseFrom,
  currentComponent,
  environmentRefOf,
  listVersions,
  newestFirst,
  placeFields,
  resolveDatabaseVersion,
  resolveVersionsPlace,
} from '../shared/versions';
import {
  type AwsDatabaseVersionPickerUiOptions,
  chosenDatabaseEngine,
} from './engine';

/**
 * Refuses an engine version RDS does not let anyone create today for the form's engine in its account and Region,
 * naming the versions it offers; a major version alone (`17`) passes when RDS offers a version of it. On the Update form, with the engine unchanged, it also refuses a version RDS cannot
 * upgrade the database to in place (RDS lists those as the current version's upgrade targets). When the versions
 * cannot be read the form lets the value through: the deploy action checks it again.
 */
export const validateDatabaseVersion: CustomFieldValidator<
  string,
  AwsDatabaseVersionPickerUiOptions
> = async (value, validation, context) => {
  if (!value) {
    return;
  }
  const api = context.apiHolder.get(awsEnvironmentsApiRef);
  if (!api) {
    return;
  }
  const options = context.uiSchema?.['ui:options'];
  const form = (context.formData ?? {}) as Record<string, unknown>;
  try {
    const ref = options?.allowEmpty
      ? environmentRefOf(placeFields(form, options).environmentRef)
      : undefined;
    const current = ref
      ? currentComponent(await api.getHealth(ref), 'database')
      : undefined;
    const engine = chosenDatabaseEngine(form, options, current);
    const place = await resolveVersionsPlace(api, form, options);
    if (!engine || !place) {
      return;
    }
    const versions = newestFirst(
      (await api.getAwsVersions(place)).databases[engine] ?? [],
    );
    const offered = versions.map(version => version.version);
    const engineName = DATABASE_ENGINE_NAMES[engine];
    // A major version alone stands for RDS's default minor version of it, as the deploy action reads it.
    const resolved = resolveDatabaseVersion(value, versions);
    if (!resolved) {
      validation.addError(
        offered.length === 0
          ? `RDS offers no ${engineName} version for new databases in ${place.region} at the moment; try again later.`
          : `RDS does not offer ${engineName} ${value} in ${
              place.region
            }; ${chooseFrom(offered)}.`,
      );
      return;
    }
    if (
      !current ||
      (current.engine && current.engine !== engine) ||
      resolved.version === current.version
    ) {
      return;
    }
    const targets = versions.find(
      version => version.version === current.version,
    )?.upgradeTargets;
    if (targets && !targets.includes(resolved.version)) {
      validation.addError(
        targets.length === 0
          ? `${ref!.name}'s database runs ${engineName} ${
              current.version
            }, which RDS cannot upgrade in place; choose Keep current.`
          : `${ref!.name}'s database runs ${engineName} ${
              current.version
            }, which RDS upgrades in place only to ${listVersions(
              newestFirst(targets.map(version => ({ version }))).map(
                target => target.version,
              ),
            )}; choose one of those or Keep current.`,
      );
    }
  } catch {
    // The versions could not be read; the deploy action checks the version again before changing anything.
  }
};
