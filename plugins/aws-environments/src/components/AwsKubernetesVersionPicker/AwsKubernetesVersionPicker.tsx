import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useEffect, useMemo } from 'react';
import { useVersionField } from '../../hooks/useVersions';
import { describeError } from '../shared/ErrorPanel';
import { VersionSelect, type VersionOption } from '../shared/VersionSelect';
import {
  type VersionPickerUiOptions,
  asSentence,
  defaultKubernetesVersion,
  kubernetesSupportSentence,
  kubernetesVersionLabel,
  newestFirst,
  nextVersionAfter,
  versionsSourceNote,
} from '../shared/versions';

/** `ui:options` of `AwsKubernetesVersionPicker`; see {@link VersionPickerUiOptions}. */
export type AwsKubernetesVersionPickerUiOptions = VersionPickerUiOptions;

/**
 * Form field `ui:field: AwsKubernetesVersionPicker`: one of the Kubernetes versions EKS creates clusters on in the
 * account and Region chosen in the form, newest first, read from the backend (`GET /aws-versions`). Versions in
 * extended support carry their surcharge in the label, and the helper text gives the chosen version's end of
 * support. On the New form an empty value (or one EKS does not offer there) becomes the newest version in standard
 * support. On the Update form (`allowEmpty`) the empty choice keeps the cluster's version and the next one is
 * proposed. While the versions load, or when they cannot be read, the field keeps the value it has (the template's
 * default) and says so.
 */
export function AwsKubernetesVersionPicker(
  props: FieldExtensionComponentProps<
    string,
    AwsKubernetesVersionPickerUiOptions
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
  const { allowEmpty, located, versions, current, answer } = useVersionField(
    formContext,
    options,
    'kubernetes',
  );
  const offered = useMemo(
    () => newestFirst(answer?.kubernetes ?? []),
    [answer],
  );

  // A new cluster gets the newest version in standard support unless the person chose another one EKS offers.
  useEffect(() => {
    if (allowEmpty || offered.length === 0) {
      return;
    }
    if (!formData || !offered.some(version => version.version === formData)) {
      const fallback = defaultKubernetesVersion(offered);
      if (fallback && fallback !== formData) {
        onChange(fallback);
      }
    }
  }, [allowEmpty, offered, formData, onChange]);

  const next =
    current &&
    (current.nextVersion ??
      nextVersionAfter(
        current.version,
        offered.map(version => version.version),
      ));
  const keep: VersionOption[] = allowEmpty
    ? [
        {
          value: '',
          label: current ? `Keep current (${current.version})` : 'Keep current',
        },
      ]
    : [];
  const kept: VersionOption[] = formData
    ? [{ value: formData, label: formData }]
    : [];
  const place = located.place;

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
        ? 'Choose the environment first: its Region decides which versions EKS offers.'
        : 'Choose an AWS account and Region first: each Region offers its own Kubernetes versions.';
    }
  } else if (!answer) {
    choices = [...keep, ...kept];
    const keeps = formData ? ` Until then the form keeps ${formData}.` : '';
    helperText = versions.error
      ? `The Kubernetes versions EKS offers in ${
          place.region
        } could not be read (${describeError(versions.error)}).${
          formData
            ? ` The form keeps ${formData}; creating the environment checks it again.`
            : ''
        }`
      : `Reading the Kubernetes versions EKS offers in ${place.region}…${keeps}`;
  } else {
    const notesFor = (version: string) => [
      ...(current?.version === version ? ['current'] : []),
      ...(next === version ? ['next version'] : []),
    ];
    choices = [
      ...keep,
      ...offered.map(version => ({
        value: version.version,
        label: kubernetesVersionLabel(
          version,
          answer.eksPricing,
          notesFor(version.version),
        ),
      })),
    ];
    if (formData && !offered.some(version => version.version === formData)) {
      choices.push({
        value: formData,
        label: `${formData} (not offered in ${place.region})`,
      });
    }
    const chosen = offered.find(version => version.version === formData);
    if (chosen) {
      helperText = kubernetesSupportSentence(chosen, answer.eksPricing);
    } else if (formData) {
      helperText = `EKS does not offer Kubernetes ${formData} in ${place.region}.`;
    } else if (current) {
      helperText = `Keeps Kubernetes ${current.version}.${
        current.summary ? ` ${asSentence(current.summary)}` : ''
      }${
        next ? ` ${next} is the next version EKS can move the cluster to.` : ''
      }`;
    } else {
      helperText = "Keeps the cluster's current version.";
    }
    helperText += versionsSourceNote(answer);
  }

  return (
    <VersionSelect
      id={idSchema?.$id ?? 'aws-kubernetes-version-picker'}
      label={schema.title ?? 'Kubernetes version'}
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
