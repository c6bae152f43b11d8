import { fireEvent, screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { AwsTagValueField } from './AwsTagValueField';
import { validateAwsTagValue } from './validation';

function validate(value: string, schema: Record<string, unknown> = { title: 'Cost center' }) {
  const addError = jest.fn();
  validateAwsTagValue(value, { addError } as any, {
    apiHolder: { get: () => undefined },
    formData: {},
    schema: schema as any,
  });
  return addError.mock.calls.map(call => call[0]);
}

describe('AwsTagValueField', () => {
  it('is a text box that reports what is typed', async () => {
    const onChange = jest.fn();
    await renderInTestApp(
      <AwsTagValueField
        {...({
          name: 'costCenter',
          schema: { title: 'Cost center', type: 'string' },
          uiSchema: {},
          idSchema: { $id: 'root_costCenter' },
          onChange,
          rawErrors: [],
        } as unknown as FieldExtensionComponentProps<string>)}
      />,
    );
    fireEvent.change(screen.getByRole('textbox', { name: 'Cost center' }), { target: { value: 'CC-1042' } });
    expect(onChange).toHaveBeenLastCalledWith('CC-1042');
  });
});

describe('validateAwsTagValue', () => {
  it("accepts what AWS takes as a tag value", () => {
    expect(validate('CC-1042')).toEqual([]);
    expect(validate('Kostenstelle 4711 / Müller')).toEqual([]);
  });

  it('names the field and the rule broken', () => {
    expect(validate('CC#1042')).toEqual([
      'Cost center may contain only letters, digits, spaces and _ . : / = + - @ (it becomes an AWS tag).',
    ]);
    expect(validate('x'.repeat(257))).toEqual([
      'Cost center is 257 characters long; AWS tags take at most 256.',
    ]);
    expect(validate(' CC-1042')).toEqual(['Cost center must not start or end with a space.']);
    expect(validate('CC#1', {})).toEqual([
      'Cost center may contain only letters, digits, spaces and _ . : / = + - @ (it becomes an AWS tag).',
    ]);
  });
});
