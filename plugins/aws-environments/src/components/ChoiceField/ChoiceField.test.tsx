import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { ChoiceField } from './ChoiceField';

type Value = string | number | boolean;

function fieldProps(
  overrides: Partial<FieldExtensionComponentProps<Value>> = {},
) {
  return {
    name: 'natGateways',
    schema: {
      title: 'NAT gateways',
      type: 'string',
      description: 'Empty keeps the current choice.',
      enum: ['', 'single', 'per-az'],
      enumNames: ['Keep current', 'One for the VPC', 'One per AZ'],
      default: '',
    },
    uiSchema: {
      'ui:enumNames': ['Keep current', 'One for the VPC', 'One per AZ'],
    },
    idSchema: { $id: 'root_natGateways' },
    formData: '',
    onChange: jest.fn(),
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    rawErrors: [],
    required: false,
    disabled: false,
    readonly: false,
    ...overrides,
  } as unknown as FieldExtensionComponentProps<Value>;
}

function shown(select: HTMLElement) {
  const element = select as HTMLSelectElement;
  return element.selectedOptions[0]?.textContent;
}

describe('ChoiceField', () => {
  it('shows the empty value by its name, "Keep current"', async () => {
    await renderInTestApp(<ChoiceField {...fieldProps()} />);
    const select = screen.getByLabelText('NAT gateways');
    expect(shown(select)).toBe('Keep current');
    expect(
      Array.from((select as HTMLSelectElement).options).map(o => o.textContent),
    ).toEqual(['Keep current', 'One for the VPC', 'One per AZ']);
  });

  it('shows "Keep current" when the form has no value yet but the schema defaults to the empty choice', async () => {
    await renderInTestApp(
      <ChoiceField {...fieldProps({ formData: undefined })} />,
    );
    expect(shown(screen.getByLabelText('NAT gateways'))).toBe('Keep current');
  });

  it('sets the enum value of the choice picked, the empty one included', async () => {
    const props = fieldProps();
    await renderInTestApp(<ChoiceField {...props} />);
    const select = screen.getByLabelText('NAT gateways');
    await userEvent.selectOptions(select, 'One per AZ');
    expect(props.onChange).toHaveBeenLastCalledWith('per-az');
    await userEvent.selectOptions(select, 'Keep current');
    expect(props.onChange).toHaveBeenLastCalledWith('');
  });

  it('keeps the type of non-string values and names them by the value without names', async () => {
    const props = fieldProps({
      schema: {
        title: 'Availability Zones',
        type: 'integer',
        enum: [2, 3],
      } as any,
      uiSchema: {},
      formData: 3,
    });
    await renderInTestApp(<ChoiceField {...props} />);
    const select = screen.getByLabelText('Availability Zones');
    expect(shown(select)).toBe('3');
    await userEvent.selectOptions(select, '2');
    expect(props.onChange).toHaveBeenLastCalledWith(2);
  });

  it('never asks the browser to check it', async () => {
    await renderInTestApp(<ChoiceField {...fieldProps({ required: true })} />);
    expect(screen.getByLabelText(/NAT gateways/)).not.toBeRequired();
  });
});
