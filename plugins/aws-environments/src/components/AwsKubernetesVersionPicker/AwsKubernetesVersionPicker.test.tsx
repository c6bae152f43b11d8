import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useState } from 'react';
import {
  AwsKubernetesVersionPicker,
  type AwsKubernetesVersionPickerUiOptions,
} from './AwsKubernetesVersionPicker';
import { validateKubernetesVersion } from './validation';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import type { AwsEnvironmentsApi } from '../../api/types';
import {
  FakeAwsEnvironmentsApi,
  pending,
} from '../../__fixtures__/FakeAwsEnvironmentsApi';
import { makeAwsVersions } from '../../__fixtures__';

type Props = FieldExtensionComponentProps<
  string,
  AwsKubernetesVersionPickerUiOptions
>;

const NEW_FORM = { accountId: '222222222222', region: 'eu-central-1' };
const UPDATE_FORM = { environment: 'resource:default/innovate-dev' };
const UPDATE_OPTIONS = {
  'ui:options': { allowEmpty: true, environmentField: 'environment' },
};

function fieldProps(overrides: Partial<Props> = {}): Props {
  return {
    name: 'kubernetesVersion',
    schema: { title: 'Kubernetes version', type: 'string' },
    uiSchema: {},
    idSchema: { $id: 'root_kubernetesVersion' },
    formData: undefined,
    onChange: jest.fn(),
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    rawErrors: [],
    required: true,
    disabled: false,
    readonly: false,
    formContext: { formData: NEW_FORM },
    ...overrides,
  } as unknown as Props;
}

function renderPicker(
  props: Props,
  api: AwsEnvironmentsApi = new FakeAwsEnvironmentsApi(),
) {
  return renderInTestApp(
    <TestApiProvider apis={[[awsEnvironmentsApiRef, api]]}>
      <AwsKubernetesVersionPicker {...props} />
    </TestApiProvider>,
  );
}

/** The picker as the form holds it: the value it writes is the value it shows next. */
function Form(props: { initial?: string; formData?: Record<string, unknown> }) {
  const [version, setVersion] = useState(props.initial);
  return (
    <AwsKubernetesVersionPicker
      {...fieldProps({
        formData: version,
        onChange: setVersion as Props['onChange'],
        formContext: {
          formData: {
            ...(props.formData ?? NEW_FORM),
            kubernetesVersion: version,
          },
        },
      } as Partial<Props>)}
    />
  );
}

function select() {
  return screen.getByRole('combobox', {
    name: /Kubernetes version/,
  }) as HTMLSelectElement;
}

function optionLabels() {
  return Array.from(select().options).map(option => option.textContent);
}

async function validate(
  value: string,
  formData: Record<string, unknown>,
  api: AwsEnvironmentsApi = new FakeAwsEnvironmentsApi(),
  uiSchema: Record<string, unknown> = {},
) {
  const addError = jest.fn();
  await validateKubernetesVersion(value, { addError } as any, {
    apiHolder: {
      get: (ref: unknown) => (ref === awsEnvironmentsApiRef ? api : undefined),
    } as any,
    formData: formData as any,
    schema: {},
    uiSchema: uiSchema as any,
  });
  return addError.mock.calls.map(call => call[0]);
}

describe('AwsKubernetesVersionPicker', () => {
  it("offers EKS's versions for the account and Region newest first, labels extended support with its cost, and starts on the newest in standard support", async () => {
    const api = new FakeAwsEnvironmentsApi();
    const props = fieldProps();
    await renderPicker(props, api);

    await waitFor(() => expect(optionLabels()).toHaveLength(4));
    expect(optionLabels()).toEqual([
      '1.35',
      '1.34',
      '1.33 (extended support, +$365/month)',
      '1.32 (extended support, +$365/month)',
    ]);
    expect(props.onChange).toHaveBeenCalledWith('1.35');
    expect(api.versionQueries).toEqual([
      { accountId: '222222222222', region: 'eu-central-1' },
    ]);
  });

  it('gives the end of support of the chosen version, and its cost in extended support', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[[awsEnvironmentsApiRef, new FakeAwsEnvironmentsApi()]]}
      >
        <Form />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        'Standard support for Kubernetes 1.35 ends 2027-03-27, then extended support at +$365/month per cluster until 2028-03-27.',
      ),
    ).toBeInTheDocument();

    await userEvent.selectOptions(select(), '1.33');
    expect(select()).toHaveValue('1.33');
    expect(
      screen.getByText(
        'Kubernetes 1.33 is in extended support at +$365/month per cluster until 2027-07-29; its standard support ended 2026-07-29.',
      ),
    ).toBeInTheDocument();
  });

  it('keeps a version EKS offers and replaces one it no longer offers with the newest in standard support', async () => {
    const kept = fieldProps({ formData: '1.34' });
    const { unmount } = await renderPicker(kept);
    await waitFor(() => expect(optionLabels()).toHaveLength(4));
    expect(select()).toHaveValue('1.34');
    expect(kept.onChange).not.toHaveBeenCalled();
    unmount();

    const retired = fieldProps({ formData: '1.29' });
    await renderPicker(retired);
    await waitFor(() => expect(retired.onChange).toHaveBeenCalledWith('1.35'));
  });

  it('computes the surcharge from the Region’s EKS prices', async () => {
    const api = new FakeAwsEnvironmentsApi({
      getAwsVersions: async () =>
        makeAwsVersions({
          eksPricing: {
            standardHourly: 0.1,
            extendedHourly: 0.7,
            source: 'aws',
            asOf: '2026-11-27',
          },
        }),
    });
    await renderPicker(fieldProps(), api);
    await waitFor(() =>
      expect(optionLabels()).toContain('1.33 (extended support, +$438/month)'),
    );
  });

  it('reads the account and Region from the fields ui:options names', async () => {
    const api = new FakeAwsEnvironmentsApi();
    await renderPicker(
      fieldProps({
        uiSchema: {
          'ui:options': {
            accountField: 'targetAccount',
            regionField: 'targetRegion',
          },
        },
        formContext: {
          formData: {
            targetAccount: '333333333333',
            targetRegion: 'eu-west-1',
          },
        },
      } as Partial<Props>),
      api,
    );
    await waitFor(() => expect(optionLabels()).toHaveLength(4));
    expect(api.versionQueries).toEqual([
      { accountId: '333333333333', region: 'eu-west-1' },
    ]);
  });

  it("says so while the versions load and keeps the template's default meanwhile", async () => {
    const props = fieldProps({ formData: '1.33' });
    await renderPicker(
      props,
      new FakeAwsEnvironmentsApi({ getAwsVersions: () => pending() }),
    );

    expect(
      screen.getByText(
        'Reading the Kubernetes versions EKS offers in eu-central-1… Until then the form keeps 1.33.',
      ),
    ).toBeInTheDocument();
    expect(select()).toHaveValue('1.33');
    expect(select()).toBeEnabled();
    expect(props.onChange).not.toHaveBeenCalled();
  });

  it("says in a sentence when the versions cannot be read and keeps the template's default", async () => {
    const props = fieldProps({ formData: '1.33' });
    await renderPicker(
      props,
      new FakeAwsEnvironmentsApi({
        getAwsVersions: () => Promise.reject(new Error('Service Unavailable')),
      }),
    );

    expect(
      await screen.findByText(
        'The Kubernetes versions EKS offers in eu-central-1 could not be read (Service Unavailable). The form keeps 1.33; creating the environment checks it again.',
      ),
    ).toBeInTheDocument();
    expect(select()).toHaveValue('1.33');
    expect(props.onChange).not.toHaveBeenCalled();
  });

  it('asks for the account and Region first', async () => {
    const api = new FakeAwsEnvironmentsApi();
    await renderPicker(
      fieldProps({ formContext: { formData: {} } } as Partial<Props>),
      api,
    );
    expect(
      screen.getByText(
        'Choose an AWS account and Region first: each Region offers its own Kubernetes versions.',
      ),
    ).toBeInTheDocument();
    expect(select()).toBeDisabled();
    expect(api.versionQueries).toEqual([]);
  });

  it("on the Update form keeps the cluster's version by default and proposes the next one", async () => {
    const api = new FakeAwsEnvironmentsApi();
    const props = fieldProps({
      uiSchema: UPDATE_OPTIONS,
      formContext: { formData: UPDATE_FORM },
      required: false,
    } as Partial<Props>);
    await renderPicker(props, api);

    await waitFor(() => expect(optionLabels()).toHaveLength(5));
    expect(optionLabels()).toEqual([
      'Keep current (1.33)',
      '1.35',
      '1.34 (next version)',
      '1.33 (current; extended support, +$365/month)',
      '1.32 (extended support, +$365/month)',
    ]);
    expect(select()).toHaveValue('');
    expect(
      screen.getByText(
        'Keeps Kubernetes 1.33. In extended support (+$365/month); support ends in 244 days. 1.34 is the next version EKS can move the cluster to.',
      ),
    ).toBeInTheDocument();
    expect(props.onChange).not.toHaveBeenCalled();
    // The environment's own account and Region, from the environments list.
    expect(api.versionQueries).toEqual([
      { accountId: '222222222222', region: 'eu-central-1' },
    ]);
  });
});

describe('validateKubernetesVersion', () => {
  it('accepts a version EKS offers in the account and Region', async () => {
    expect(await validate('1.33', NEW_FORM)).toEqual([]);
  });

  it('refuses one it does not offer, naming those it does', async () => {
    expect(await validate('1.29', NEW_FORM)).toEqual([
      'EKS does not offer Kubernetes 1.29 in eu-central-1; choose one of 1.35, 1.34, 1.33 or 1.32.',
    ]);
  });

  it('lets the value through when the versions cannot be read or the Region is not chosen yet', async () => {
    const failing = new FakeAwsEnvironmentsApi({
      getAwsVersions: () => Promise.reject(new Error('Service Unavailable')),
    });
    expect(await validate('1.29', NEW_FORM, failing)).toEqual([]);
    expect(await validate('1.29', { accountId: '222222222222' })).toEqual([]);
  });

  it('on the Update form refuses a version older than the cluster runs, and checks against its Region', async () => {
    const api = new FakeAwsEnvironmentsApi();
    expect(await validate('1.32', UPDATE_FORM, api, UPDATE_OPTIONS)).toEqual([
      'innovate-dev runs Kubernetes 1.33 and EKS cannot move a cluster to an older version; choose 1.33 or newer, or Keep current.',
    ]);
    expect(await validate('1.34', UPDATE_FORM, api, UPDATE_OPTIONS)).toEqual(
      [],
    );
    expect(await validate('1.29', UPDATE_FORM, api, UPDATE_OPTIONS)).toEqual([
      'EKS does not offer Kubernetes 1.29 in eu-central-1; choose one of 1.35, 1.34, 1.33 or 1.32.',
    ]);
  });
});
