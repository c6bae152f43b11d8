import { fireEvent, screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { TeardownConfirmationField } from './TeardownConfirmationField';
import { validateTeardownConfirmation } from './validation';
import type { TeardownConfirmationUiOptions } from './environmentName';

type Props = FieldExtensionComponentProps<string, TeardownConfirmationUiOptions>;

function fieldProps(overrides: Partial<Props> = {}): Props {
  return {
    name: 'confirmName',
    schema: { title: "Type the environment's name to confirm", type: 'string' },
    uiSchema: {},
    idSchema: { $id: 'root_confirmName' },
    formData: undefined,
    onChange: jest.fn(),
    onBlur: jest.fn(),
    rawErrors: [],
    required: true,
    formContext: { formData: {} },
    ...overrides,
  } as unknown as Props;
}

function validate(value: string | undefined, formData: Record<string, unknown>) {
  const addError = jest.fn();
  validateTeardownConfirmation(value as string, { addError } as any, {
    apiHolder: { get: () => undefined },
    formData: formData as any,
    schema: {},
  });
  return addError.mock.calls.map(call => call[0]);
}

describe('TeardownConfirmationField', () => {
  it('says which name to type once the environment is chosen', async () => {
    const props = fieldProps({ formContext: { formData: { environment: 'resource:default/innovate-dev' } } } as Partial<Props>);
    await renderInTestApp(<TeardownConfirmationField {...props} />);
    expect(screen.getByText('Type innovate-dev to confirm.')).toBeInTheDocument();
    fireEvent.change(screen.getByRole('textbox', { name: /name to confirm/ }), { target: { value: 'innovate-dev' } });
    expect(props.onChange).toHaveBeenLastCalledWith('innovate-dev');
  });

  it('asks for the environment first', async () => {
    await renderInTestApp(<TeardownConfirmationField {...fieldProps()} />);
    expect(screen.getByText('Choose the environment first.')).toBeInTheDocument();
  });
});

describe('validateTeardownConfirmation', () => {
  const form = { environment: 'resource:default/innovate-dev' };

  it('accepts exactly the chosen environment name', () => {
    expect(validate('innovate-dev', form)).toEqual([]);
    expect(validate('innovate-dev', { environment: 'innovate-dev' })).toEqual([]);
  });

  it('refuses anything else with the shared sentence', () => {
    const message = "Type the environment's name, innovate-dev, exactly to confirm the teardown.";
    expect(validate('innovate-prod', form)).toEqual([message]);
    expect(validate('Innovate-Dev', form)).toEqual([message]);
    expect(validate(' innovate-dev', form)).toEqual([message]);
    expect(validate('resource:default/innovate-dev', form)).toEqual([message]);
  });

  it('leaves the check to the Environment field until one is chosen', () => {
    expect(validate('anything', {})).toEqual([]);
  });
});
