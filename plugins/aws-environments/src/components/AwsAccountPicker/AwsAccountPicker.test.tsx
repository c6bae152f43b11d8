import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { AwsAccountPicker, type AwsAccountPickerUiOptions } from './AwsAccountPicker';
import { validateAwsAccountId } from './validation';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import { FakeAwsEnvironmentsApi } from '../../__fixtures__/FakeAwsEnvironmentsApi';
import { makeAccounts } from '../../__fixtures__';

function fieldProps(
  overrides: Partial<FieldExtensionComponentProps<string, AwsAccountPickerUiOptions>> = {},
) {
  return {
    name: 'accountId',
    schema: { title: 'AWS account', type: 'string' },
    uiSchema: {},
    idSchema: { $id: 'root_accountId' },
    formData: undefined,
    onChange: jest.fn(),
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    rawErrors: [],
    required: true,
    disabled: false,
    readonly: false,
    ...overrides,
  } as unknown as FieldExtensionComponentProps<string, AwsAccountPickerUiOptions>;
}

function renderPicker(props: FieldExtensionComponentProps<string, AwsAccountPickerUiOptions>, api = new FakeAwsEnvironmentsApi()) {
  return renderInTestApp(
    <TestApiProvider apis={[[awsEnvironmentsApiRef, api]]}>
      <AwsAccountPicker {...props} />
    </TestApiProvider>,
  );
}

describe('AwsAccountPicker', () => {
  it('offers exactly the configured accounts, each with its stage', async () => {
    await renderPicker(fieldProps());
    const select = await screen.findByLabelText(/AWS account/);
    const options = Array.from((select as HTMLSelectElement).options).map(o => o.textContent);
    expect(options).toEqual([
      'Choose an account',
      'shared-services (111111111111) · shared',
      'innovate-dev (222222222222) · dev',
      'innovate-prod (333333333333) · prod',
    ]);
  });

  it('sets the account id as the value when an account is chosen', async () => {
    const props = fieldProps();
    await renderPicker(props);
    await userEvent.selectOptions(await screen.findByLabelText(/AWS account/), '333333333333');
    expect(props.onChange).toHaveBeenCalledWith('333333333333');
  });

  it('shows the chosen account stage and Regions', async () => {
    await renderPicker(fieldProps({ formData: '222222222222' }));
    expect(await screen.findByText('Stage dev; Regions eu-central-1')).toBeInTheDocument();
  });

  it('offers only the stages the template allows and picks the only one left', async () => {
    const props = fieldProps({ uiSchema: { 'ui:options': { stages: ['prod'] } } });
    await renderPicker(props);
    const select = (await screen.findByLabelText(/AWS account/)) as HTMLSelectElement;
    expect(select.options).toHaveLength(2);
    expect(props.onChange).toHaveBeenCalledWith('333333333333');
  });

  it('offers the accounts that may hold the stage chosen in the form', async () => {
    const props = fieldProps({
      uiSchema: { 'ui:options': { matchStage: true } },
      formContext: { formData: { stage: 'staging' } },
    });
    await renderPicker(props);
    const select = (await screen.findByLabelText(/AWS account/)) as HTMLSelectElement;
    expect(Array.from(select.options).map(o => o.value)).toEqual(['', '222222222222']);
    expect(props.onChange).toHaveBeenCalledWith('222222222222');
  });

  it('clears an account the chosen stage no longer allows', async () => {
    const props = fieldProps({
      formData: '222222222222',
      uiSchema: { 'ui:options': { stages: ['prod', 'shared'] } },
    });
    await renderPicker(props);
    await screen.findByLabelText(/AWS account/);
    expect(props.onChange).toHaveBeenCalledWith(undefined);
  });

  it('shows the error when the accounts cannot be read', async () => {
    await renderPicker(
      fieldProps(),
      new FakeAwsEnvironmentsApi({ listAccounts: () => Promise.reject(new Error('Forbidden')) }),
    );
    expect(await screen.findByRole('heading', { name: /Forbidden/ })).toBeInTheDocument();
  });
});

describe('validateAwsAccountId', () => {
  it('accepts twelve digits and refuses anything else', () => {
    const addError = jest.fn();
    const context = { apiHolder: { get: () => undefined }, formData: {}, schema: {} };
    validateAwsAccountId(makeAccounts()[1].accountId, { addError } as any, context);
    expect(addError).not.toHaveBeenCalled();
    validateAwsAccountId('12345', { addError } as any, context);
    expect(addError).toHaveBeenCalledWith('An AWS account id has twelve digits.');
  });

  it("asks for an account when the form starts the field empty (''), and leaves an unset field to the schema", () => {
    const addError = jest.fn();
    const context = { apiHolder: { get: () => undefined }, formData: {}, schema: {} };
    validateAwsAccountId('', { addError } as any, context);
    expect(addError).toHaveBeenCalledWith('Choose the AWS account the environment runs in.');
    addError.mockClear();
    validateAwsAccountId(undefined as unknown as string, { addError } as any, context);
    expect(addError).not.toHaveBeenCalled();
  });
});
