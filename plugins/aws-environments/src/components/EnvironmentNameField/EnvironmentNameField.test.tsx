import { fireEvent, screen } from '@testing-library/react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { EnvironmentNameField } from './EnvironmentNameField';
import { validateEnvironmentName } from './validation';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import { FakeAwsEnvironmentsApi } from '../../__fixtures__/FakeAwsEnvironmentsApi';

function fieldProps(overrides: Partial<FieldExtensionComponentProps<string>> = {}) {
  return {
    name: 'name',
    schema: { title: 'Name', type: 'string' },
    uiSchema: {},
    idSchema: { $id: 'root_name' },
    formData: undefined,
    onChange: jest.fn(),
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    rawErrors: [],
    required: true,
    disabled: false,
    readonly: false,
    ...overrides,
  } as unknown as FieldExtensionComponentProps<string>;
}

async function validate(value: string | undefined, api: FakeAwsEnvironmentsApi | undefined) {
  const addError = jest.fn();
  await validateEnvironmentName(value as string, { addError } as any, {
    apiHolder: { get: (ref: unknown) => (ref === awsEnvironmentsApiRef ? api : undefined) } as any,
    formData: { name: value ?? null },
    schema: {},
  });
  return addError.mock.calls.map(call => call[0]);
}

describe('EnvironmentNameField', () => {
  it('is a text box that reports what is typed, and nothing for an empty box', async () => {
    const props = fieldProps({ formData: 'innovate-q' });
    await renderInTestApp(
      <TestApiProvider apis={[[awsEnvironmentsApiRef, new FakeAwsEnvironmentsApi()]]}>
        <EnvironmentNameField {...props} />
      </TestApiProvider>,
    );
    const box = screen.getByRole('textbox', { name: /Name/ });
    expect(box).toHaveValue('innovate-q');
    fireEvent.change(box, { target: { value: 'innovate-qa' } });
    expect(props.onChange).toHaveBeenLastCalledWith('innovate-qa');
    fireEvent.change(box, { target: { value: '' } });
    expect(props.onChange).toHaveBeenLastCalledWith(undefined);
  });
});

describe('validateEnvironmentName', () => {
  it('accepts a free name that follows the rules', async () => {
    expect(await validate('innovate-qa', new FakeAwsEnvironmentsApi())).toEqual([]);
  });

  it('explains the naming rules without asking the backend', async () => {
    const api = new FakeAwsEnvironmentsApi();
    const check = jest.spyOn(api, 'checkEnvironmentName');
    expect(await validate('Innovate_QA', api)).toEqual([
      'Use 3 to 32 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen (e.g. innovate-qa).',
    ]);
    expect(await validate('', api)).toEqual(['Enter a name for the environment.']);
    expect(check).not.toHaveBeenCalled();
  });

  it("refuses a name that is taken with the backend's sentence, which names the Update template", async () => {
    const api = new FakeAwsEnvironmentsApi();
    const [message, ...rest] = await validate('innovate-prod', api);
    expect(rest).toEqual([]);
    expect(message).toBe(
      'innovate-prod already exists (owner group:default/web-team, account 333333333333 eu-central-1). To change it, use the "Update an AWS environment" template.',
    );
  });

  it('has a sentence of its own when the backend gives none', async () => {
    const api = new FakeAwsEnvironmentsApi({
      checkEnvironmentName: async name => ({ name, available: false }),
    });
    expect(await validate('innovate-dev', api)).toEqual([
      'An environment named innovate-dev already exists; to change it, use the "Update an AWS environment" template.',
    ]);
  });

  it('lets the name through when the backend cannot be asked (the action checks again)', async () => {
    const api = new FakeAwsEnvironmentsApi({
      checkEnvironmentName: () => Promise.reject(new Error('Service Unavailable')),
    });
    expect(await validate('innovate-qa', api)).toEqual([]);
    expect(await validate('innovate-qa', undefined)).toEqual([]);
  });
});
