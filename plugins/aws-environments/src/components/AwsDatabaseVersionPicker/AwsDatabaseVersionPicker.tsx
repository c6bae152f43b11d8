import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useEffect, useMemo } from 'react';
import { useVersionField } from '../../hooks/useVersions';
import { describeError } from '../shared/ErrorPanel';
import { VersionSelect, type VersionOption } from '../shared/VersionSelect';
import {
  DATABASE_ENGINE_NAMES,
  asSentence,
  databaseSupportSentence,
  databaseVersionLabel,
  defaultDatabaseVersion,
  newestFirst,
  nextVersionAfter,
  resolveDatabaseVersion,
  versionsSourceNote,
} from '../shared/versions';
import {
  type AwsDatabaseVersionPickerUiOptions,
  chosenDatabaseEngine,
} from './engine';

export type { AwsDatabaseVersionPickerUiOptions } from './engine';

/**
 * Form field `ui:field: AwsDatabaseVersionPicker`: one of the engine versions RDS lets anyone create today for the
 * engine chosen in the form, in its account and Region, newest first (`GET /aws-versions`), with the end of
 * standard support of the chosen version's major version underneath. On the New form an empty value, or one the
 * engine does not offer (the engine changed), becomes RDS's default minor version of the newest major version. On
 * the Update form (`allowEmpty`) the empty choice keeps the database's version and the next one is proposed.
 * While the versions load, or when they cannot be read, the field keeps the value it has and says so.
 */
export function AwsDatabaseVersionPicker(
  props: FieldExtensionComponentProps<
    string,
    AwsDatabaseVersionPickerUiOptions
  >,
) {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    idSchema,
    rawErrors,
    required,
    disabled,
    readonly,
    formContext,
  } = props;
  const options = uiSchema?.['ui:options'];
  const { allowEmpty, form, located, versions, health, current, answer } =
    useVersionField(formContext, options, 'database');
  const engine = chosenDatabaseEngine(form, options, current);
  const offered = useMemo(
    () => newestFirst(engine && answer ? answer.databases[engine] ?? [] : []),
    [answer, engine],
  );

  // A new database gets RDS's default version unless the person chose another one the engine offers; a major
  // version alone (the template's default) becomes RDS's default minor version of it, so the form shows what RDS
  // will create.
  useEffect(() => {
    if (allowEmpty || offered.length === 0) {
      return;
    }
    if (!formData || !offered.some(version => version.version === formData)) {
      const fallback =
        resolveDatabaseVersion(formData, offered)?.version ??
        defaultDatabaseVersion(offered);
      if (fallback && fallback !== formData) {
        onChange(fallback);
      }
    }
  }, [allowEmpty, offered, formData, onChange]);

  // The current version counts only while the engine stays the same: another engine replaces the database.
  const sameEngine =
    current && (!current.engine || current.engine === engine)
      ? current
      : undefined;
  const currentInfo =
    sameEngine &&
    offered.find(version => version.version === sameEngine.version);
  const next =
    sameEngine &&
    (sameEngine.nextVersion ??
      nextVersionAfter(
        sameEngine.version,
        currentInfo
          ? currentInfo.upgradeTargets
          : offered.map(version => version.version),
      ));
  const keep: VersionOption[] = allowEmpty
    ? [
        {
          value: '',
          label: sameEngine
            ? `Keep current (${sameEngine.version})`
            : 'Keep current',
        },
      ]
    : [];
  const kept: VersionOption[] = formData
    ? [{ value: formData, label: formData }]
    : [];
  const place = located.place;
  const engineName = engine
    ? DATABASE_ENGINE_NAMES[engine]
    : 'the database engine';

  let choices: VersionOption[];
  let helperText: string;
  if (!place) {
    choices = [...keep, ...kept];
    if (located.loading) {
      helperText = "Reading the environment's account and Region…";
    } else if (located.error) {
      helperText = `The environment's account and Region could not be read (${describeError(
        located.error,
      )}); the current version is kept.`;
    } else {
      helperText = allowEmpty
        ? 'Choose the environment first: its Region decides which versions RDS offers.'
        : 'Choose an AWS account and Region first: each Region offers its own engine versions.';
    }
  } else if (!engine) {
    choices = [...keep, ...kept];
    helperText =
      allowEmpty && health.loading
        ? "Reading the database's current engine…"
        : 'Choose the database engine first: each engine has its own versions.';
  } else if (!answer) {
    choices = [...keep, ...kept];
    helperText = versions.error
      ? `The ${engineName} versions offered in ${
          place.region
        } could not be read (${describeError(versions.error)}).${
          formData
            ? ` The form keeps ${formData}; creating the environment checks it again.`
            : ''
        }`
      : `Reading the ${engineName} versions RDS offers in ${place.region}…${
          formData ? ` Until then the form keeps ${formData}.` : ''
        }`;
  } else {
    const notesFor = (version: string) => [
      ...(sameEngine?.version === version ? ['current'] : []),
      ...(next === version ? ['next version'] : []),
    ];
    choices = [
      ...keep,
      ...offered.map(version => ({
        value: version.version,
        label: databaseVersionLabel(version, notesFor(version.version)),
      })),
    ];
    const chosen = resolveDatabaseVersion(formData, offered);
    if (formData && !offered.some(version => version.version === formData)) {
      choices.push({
        value: formData,
        label: chosen
          ? `${formData} (RDS default minor version, now ${chosen.version})`
          : `${formData} (not offered for ${engineName})`,
      });
    }
    if (chosen) {
      helperText = databaseSupportSentence(chosen);
    } else if (formData) {
      helperText = `RDS does not offer ${engineName} ${formData} in ${place.region}.`;
    } else if (sameEngine) {
      helperText = `Keeps ${engineName} ${sameEngine.version}.${
        sameEngine.summary ? ` ${asSentence(sameEngine.summary)}` : ''
      }${next ? ` ${next} is the next version RDS can upgrade it to.` : ''}`;
    } else {
      helperText = "Keeps the database's current version.";
    }
    helperText += versionsSourceNote(answer);
  }

  return (
    <VersionSelect
      id={idSchema?.$id ?? 'aws-database-version-picker'}
      label={schema.title ?? 'Engine version'}
      value={formData ?? ''}
      options={choices}
      helperText={helperText}
      onChange={onChange}
      required={required}
      disabled={disabled || readonly || choices.length === 0}
      error={(rawErrors?.length ?? 0) > 0}
    />
  );
}
