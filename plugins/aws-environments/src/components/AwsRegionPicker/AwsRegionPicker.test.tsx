import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import type { AwsAccountSummary } from '@internal/plugin-aws-environments-common';
import { useState } from 'react';
import { AwsRegionPicker, type AwsRegionPickerUiOptions } from './AwsRegionPicker';
import { validateAwsRegion } from './validation';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import { FakeAwsEnvironmentsApi } from '../../__fixtures__/FakeAwsEnvironmentsApi';

const ACCOUNTS: AwsAccountSummary[] = [
  { accountId: '111111111111', name: 'shared-services', stage: 'shared', regions: ['eu-central-1'], defaultRegion: 'eu-central-1' },
  { accountId: '222222222222', name: 'innovate-dev', stage: 'dev', regions: ['eu-central-1', 'eu-west-1'], defaultRegion: 'eu-central-1' },
  { accountId: '333333333333', name: 'innovate-prod', stage: 'prod', regions: ['eu-west-1', 'us-east-1'], defaultRegion: 'us-east-1' },
];

function makeApi() {
  return new FakeAwsEnvironmentsApi({ listAccounts: async () => ACCOUNTS });
}

type Props = FieldExtensionComponentProps<string, AwsRegionPickerUiOptions>;

function fieldProps(overrides: Partial<Props> = {}): Props {
  return {
    name: 'region',
    schema: { title: 'Region', type: 'string' },
    uiSchema: {},
    idSchema: { $id: 'root_region' },
    formData: undefined,
    onChange: jest.fn(),
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    rawErrors: [],
    required: true,
    disabled: false,
    readonly: false,
    formContext: { formData: {} },
    ...overrides,
  } as unknown as Props;
}

/** The form's account and Region, as the scaffolder keeps them: an account select next to the picker. */
function Form({ initialAccount, onRegion }: { initialAccount?: string; onRegion: (r?: string) => void }) {
  const [accountId, setAccountId] = useState(initialAccount);
  const [region, setRegion] = useState<string | undefined>();
  return (
    <>
      <label htmlFor="account">Account</label>
      <select id="account" value={accountId ?? ''} onChange={e => setAccountId(e.target.value || undefined)}>
        <option value="">none</option>
        {ACCOUNTS.map(a => (
          <option key={a.accountId} value={a.accountId}>
            {a.name}
          </option>
        ))}
      </select>
      <AwsRegionPicker
        {...fieldProps({
          formData: region,
          onChange: ((value?: string) => {
            setRegion(value);
            onRegion(value);
          }) as Props['onChange'],
          formContext: { formData: { accountId, region } },
        })}
      />
    </>
  );
}

function regionOptions() {
  const select = screen.getByRole('combobox', { name: /Region/ }) as HTMLSelectElement;
  return Array.from(select.options).map(o => o.value);
}

async function validate(value: string, formData: Record<string, unknown>, api = makeApi()) {
  const addError = jest.fn();
  await validateAwsRegion(value, { addError } as any, {
    apiHolder: { get: (ref: unknown) => (ref === awsEnvironmentsApiRef ? api : undefined) } as any,
    formData: formData as any,
    schema: {},
  });
  return addError.mock.calls.map(call => call[0]);
}

describe('AwsRegionPicker', () => {
  it('asks for an account first and offers no Region without one', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[awsEnvironmentsApiRef, makeApi()]]}>
        <AwsRegionPicker {...fieldProps()} />
      </TestApiProvider>,
    );
    const select = await screen.findByRole('combobox', { name: /Region/ });
    expect(select).toBeDisabled();
    expect(regionOptions()).toEqual(['']);
    expect(screen.getByText('Choose an AWS account first: each account allows its own Regions.')).toBeInTheDocument();
  });

  it("offers only the chosen account's Regions and starts on its default", async () => {
    const props = fieldProps({ formContext: { formData: { accountId: '333333333333' } } } as Partial<Props>);
    await renderInTestApp(
      <TestApiProvider apis={[[awsEnvironmentsApiRef, makeApi()]]}>
        <AwsRegionPicker {...props} />
      </TestApiProvider>,
    );
    await screen.findByRole('combobox', { name: /Region/ });
    expect(regionOptions()).toEqual(['eu-west-1', 'us-east-1']);
    expect(props.onChange).toHaveBeenCalledWith('us-east-1');
  });

  it('follows the account: the list changes, and a Region the new account does not allow goes back to its default', async () => {
    const onRegion = jest.fn();
    await renderInTestApp(
      <TestApiProvider apis={[[awsEnvironmentsApiRef, makeApi()]]}>
        <Form initialAccount="222222222222" onRegion={onRegion} />
      </TestApiProvider>,
    );
    await screen.findByRole('combobox', { name: /Region/ });
    await waitFor(() => expect(screen.getByRole('combobox', { name: /Region/ })).toHaveValue('eu-central-1'));
    expect(regionOptions()).toEqual(['eu-central-1', 'eu-west-1']);

    // A Region both accounts allow is kept.
    await userEvent.selectOptions(screen.getByRole('combobox', { name: /Region/ }), 'eu-west-1');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Account' }), '333333333333');
    expect(regionOptions()).toEqual(['eu-west-1', 'us-east-1']);
    expect(screen.getByRole('combobox', { name: /Region/ })).toHaveValue('eu-west-1');

    // One it does not allow becomes the new account's default.
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Account' }), '111111111111');
    await waitFor(() => expect(screen.getByRole('combobox', { name: /Region/ })).toHaveValue('eu-central-1'));
    expect(regionOptions()).toEqual(['eu-central-1']);
    expect(onRegion).toHaveBeenLastCalledWith('eu-central-1');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Account' }), '333333333333');
    await waitFor(() => expect(screen.getByRole('combobox', { name: /Region/ })).toHaveValue('us-east-1'));
  });

  it('shows the error when the accounts cannot be read', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[[awsEnvironmentsApiRef, new FakeAwsEnvironmentsApi({ listAccounts: () => Promise.reject(new Error('Forbidden')) })]]}
      >
        <AwsRegionPicker {...fieldProps()} />
      </TestApiProvider>,
    );
    expect(await screen.findByRole('heading', { name: /Forbidden/ })).toBeInTheDocument();
  });
});

describe('validateAwsRegion', () => {
  it("asks for a Region when the form starts the field empty ('')", async () => {
    expect(await validate('', {})).toEqual(['Choose the Region the environment runs in.']);
  });

  it('accepts a Region the chosen account allows', async () => {
    expect(await validate('eu-west-1', { accountId: '222222222222' })).toEqual([]);
  });

  it('refuses one it does not allow, naming the account and its Regions', async () => {
    expect(await validate('us-east-1', { accountId: '222222222222' })).toEqual([
      'The portal may not use us-east-1 in innovate-dev (222222222222); choose one of eu-central-1, eu-west-1.',
    ]);
    expect(await validate('eu-west-1', { accountId: '111111111111' })).toEqual([
      'The portal may not use eu-west-1 in shared-services (111111111111); choose eu-central-1.',
    ]);
  });

  it("reads the account from the field ui:options name and leaves unknown accounts to the account field", async () => {
    const addError = jest.fn();
    await validateAwsRegion('us-east-1', { addError } as any, {
      apiHolder: { get: () => makeApi() } as any,
      formData: { targetAccount: '111111111111' },
      schema: {},
      uiSchema: { 'ui:options': { accountField: 'targetAccount' } },
    });
    expect(addError).toHaveBeenCalledTimes(1);
    expect(await validate('us-east-1', { accountId: '999999999999' })).toEqual([]);
    expect(await validate('us-east-1', {})).toEqual([]);
  });
});
