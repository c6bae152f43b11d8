import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useState } from 'react';
import {
  AwsDatabaseVersionPicker,
  type AwsDatabaseVersionPickerUiOptions,
} from './AwsDatabaseVersionPicker';
import { validateDatabaseVersion } from './validation';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import type { AwsEnvironmentsApi } from '../../api/types';
import {
  FakeAwsEnvironmentsApi,
  pending,
} from '../../__fixtures__/FakeAwsEnvironmentsApi';
import {
  makeDatabaseLifecycle,
  makeHealth,
  makeKubernetesLifecycle,
  makeLifecycle,
} from '../../__fixtures__';

type Props = FieldExtensionComponentProps<
  string,
  AwsDatabaseVersionPickerUiOptions
>;

const NEW_FORM = {
  accountId: '222222222222',
  region: 'eu-central-1',
  databaseEngine: 'rds-postgresql',
};
const UPDATE_FORM = {
  environment: 'resource:default/innovate-prod',
  databaseEngine: '',
};
const UPDATE_OPTIONS = { 'ui:options': { allowEmpty: true } };

function fieldProps(overrides: Partial<Props> = {}): Props {
  return {
    name: 'databaseEngineVersion',
    schema: { title: 'Engine version', type: 'string' },
    uiSchema: {},
    idSchema: { $id: 'root_databaseEngineVersion' },
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
      <AwsDatabaseVersionPicker {...props} />
    </TestApiProvider>,
  );
}

/** The form's engine select next to the picker, as the Database step has them. */
function Form() {
  const [engine, setEngine] = useState('rds-postgresql');
  const [version, setVersion] = useState<string | undefined>();
  return (
    <>
      <label htmlFor="engine">Engine</label>
      <select
        id="engine"
        value={engine}
        onChange={event => setEngine(event.target.value)}
      >
        <option value="rds-postgresql">RDS for PostgreSQL</option>
        <option value="aurora-postgresql">Aurora PostgreSQL</option>
      </select>
      <AwsDatabaseVersionPicker
        {...fieldProps({
          formData: version,
          onChange: setVersion as Props['onChange'],
          formContext: {
            formData: {
              ...NEW_FORM,
              databaseEngine: engine,
              databaseEngineVersion: version,
            },
          },
        } as Partial<Props>)}
      />
    </>
  );
}

function select() {
  return screen.getByRole('combobox', {
    name: /Engine version/,
  }) as HTMLSelectElement;
}

function optionLabels() {
  return Array.from(select().options).map(option => option.textContent);
}

/** innovate-prod's database on 16.10, which RDS upgrades in place to 17.5 and 17.6 (see the versions fixture). */
function apiWithDatabaseOn16() {
  return new FakeAwsEnvironmentsApi({
    getHealth: async () =>
      makeHealth({
        lifecycle: makeLifecycle('innovate-prod', [
          makeKubernetesLifecycle(),
          makeDatabaseLifecycle({
            version: '16.10',
            nextVersion: '17.5',
            summary: 'In standard support; standard support ends in 823 days',
          }),
        ]),
      }),
  });
}

async function validate(
  value: string,
  formData: Record<string, unknown>,
  api: AwsEnvironmentsApi = new FakeAwsEnvironmentsApi(),
  uiSchema: Record<string, unknown> = {},
) {
  const addError = jest.fn();
  await validateDatabaseVersion(value, { addError } as any, {
    apiHolder: {
      get: (ref: unknown) => (ref === awsEnvironmentsApiRef ? api : undefined),
    } as any,
    formData: formData as any,
    schema: {},
    uiSchema: uiSchema as any,
  });
  return addError.mock.calls.map(call => call[0]);
}

describe('AwsDatabaseVersionPicker', () => {
  it("offers the engine's versions newest first and starts on RDS's default of the newest major version", async () => {
    const props = fieldProps();
    await renderPicker(props);

    await waitFor(() => expect(optionLabels()).toHaveLength(4));
    expect(optionLabels()).toEqual([
      '17.6',
      '17.5 (RDS default for 17)',
      '16.10 (RDS default for 16)',
      '16.9',
    ]);
    expect(props.onChange).toHaveBeenCalledWith('17.5');
  });

  it("turns a major version alone, as the template's default, into RDS's default minor version of it", async () => {
    const props = fieldProps({ formData: '16' });
    await renderPicker(props);
    await waitFor(() => expect(props.onChange).toHaveBeenCalledWith('16.10'));
  });

  it('gives the end of support of the chosen version and follows the engine', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[[awsEnvironmentsApiRef, new FakeAwsEnvironmentsApi()]]}
      >
        <Form />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        'Standard support for RDS for PostgreSQL 17 ends 2030-02-28, then RDS Extended Support (charged extra) until 2033-02-28.',
      ),
    ).toBeInTheDocument();
    await userEvent.selectOptions(select(), '17.6');
    expect(select()).toHaveValue('17.6');

    // Aurora offers no 17.6 here: the version becomes Aurora's default, and the list is Aurora's.
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Engine' }),
      'aurora-postgresql',
    );
    await waitFor(() => expect(select()).toHaveValue('17.5'));
    expect(optionLabels()).toEqual([
      '17.5 (RDS default for 17)',
      '16.9 (RDS default for 16)',
      '16.8',
    ]);
    expect(
      screen.getByText(
        'Standard support for Aurora PostgreSQL 17 ends 2030-02-28.',
      ),
    ).toBeInTheDocument();

    // A version both engines offer is kept.
    await userEvent.selectOptions(select(), '16.9');
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Engine' }),
      'rds-postgresql',
    );
    expect(select()).toHaveValue('16.9');
  });

  it("says so while the versions load, or when they cannot be read, and keeps the template's default", async () => {
    const loading = fieldProps({ formData: '16.9' });
    const { unmount } = await renderPicker(
      loading,
      new FakeAwsEnvironmentsApi({ getAwsVersions: () => pending() }),
    );
    expect(
      screen.getByText(
        'Reading the RDS for PostgreSQL versions RDS offers in eu-central-1… Until then the form keeps 16.9.',
      ),
    ).toBeInTheDocument();
    expect(select()).toHaveValue('16.9');
    unmount();

    const failed = fieldProps({ formData: '16.9' });
    await renderPicker(
      failed,
      new FakeAwsEnvironmentsApi({
        getAwsVersions: () => Promise.reject(new Error('Service Unavailable')),
      }),
    );
    expect(
      await screen.findByText(
        'The RDS for PostgreSQL versions offered in eu-central-1 could not be read (Service Unavailable). The form keeps 16.9; creating the environment checks it again.',
      ),
    ).toBeInTheDocument();
    expect(select()).toHaveValue('16.9');
    expect(loading.onChange).not.toHaveBeenCalled();
    expect(failed.onChange).not.toHaveBeenCalled();
  });

  it("on the Update form keeps the database's version by default and proposes the next one", async () => {
    const props = fieldProps({
      uiSchema: UPDATE_OPTIONS,
      formContext: { formData: UPDATE_FORM },
      required: false,
    } as Partial<Props>);
    await renderPicker(props, apiWithDatabaseOn16());

    await waitFor(() => expect(optionLabels()).toHaveLength(5));
    expect(optionLabels()).toEqual([
      'Keep current (16.10)',
      '17.6',
      '17.5 (next version; RDS default for 17)',
      '16.10 (current; RDS default for 16)',
      '16.9',
    ]);
    expect(select()).toHaveValue('');
    expect(
      screen.getByText(
        'Keeps RDS for PostgreSQL 16.10. In standard support; standard support ends in 823 days. 17.5 is the next version RDS can upgrade it to.',
      ),
    ).toBeInTheDocument();
    expect(props.onChange).not.toHaveBeenCalled();
  });
});

describe('validateDatabaseVersion', () => {
  it("accepts a version the form's engine offers", async () => {
    expect(await validate('16.9', NEW_FORM)).toEqual([]);
  });

  it('refuses one the engine does not offer, naming those it does', async () => {
    expect(
      await validate('17.6', {
        ...NEW_FORM,
        databaseEngine: 'aurora-postgresql',
      }),
    ).toEqual([
      'RDS does not offer Aurora PostgreSQL 17.6 in eu-central-1; choose one of 17.5, 16.9 or 16.8.',
    ]);
  });

  it('accepts a major version the engine offers, which RDS resolves to its default minor version', async () => {
    expect(await validate('17', NEW_FORM)).toEqual([]);
    expect(await validate('12', NEW_FORM)).toEqual([
      'RDS does not offer RDS for PostgreSQL 12 in eu-central-1; choose one of 17.6, 17.5, 16.10 or 16.9.',
    ]);
  });

  it('lets the value through when the versions cannot be read', async () => {
    const failing = new FakeAwsEnvironmentsApi({
      getAwsVersions: () => Promise.reject(new Error('Service Unavailable')),
    });
    expect(await validate('9.6', NEW_FORM, failing)).toEqual([]);
  });

  it('on the Update form refuses a version RDS cannot upgrade the database to in place', async () => {
    const api = apiWithDatabaseOn16();
    expect(await validate('16.9', UPDATE_FORM, api, UPDATE_OPTIONS)).toEqual([
      "innovate-prod's database runs RDS for PostgreSQL 16.10, which RDS upgrades in place only to 17.6 or 17.5; choose one of those or Keep current.",
    ]);
    expect(await validate('17.6', UPDATE_FORM, api, UPDATE_OPTIONS)).toEqual(
      [],
    );
    expect(await validate('17', UPDATE_FORM, api, UPDATE_OPTIONS)).toEqual([]);
    expect(await validate('16.10', UPDATE_FORM, api, UPDATE_OPTIONS)).toEqual(
      [],
    );
  });
});
