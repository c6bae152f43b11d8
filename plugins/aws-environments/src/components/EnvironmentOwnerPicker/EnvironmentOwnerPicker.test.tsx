import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { EnvironmentOwnerPicker, type EnvironmentOwnerPickerUiOptions } from './EnvironmentOwnerPicker';
import { validateEnvironmentOwner } from './validation';

const groups: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'platform-team', namespace: 'default' },
    spec: { profile: { displayName: 'Platform Team' } },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'web-team', namespace: 'default', title: 'Web' },
    spec: {},
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'data', namespace: 'default' },
    spec: {},
  },
];

function fieldProps(overrides: Partial<FieldExtensionComponentProps<string, EnvironmentOwnerPickerUiOptions>> = {}) {
  return {
    name: 'owner',
    schema: { title: 'Owner', type: 'string', description: 'Team that owns the environment.' },
    uiSchema: {},
    idSchema: { $id: 'root_owner' },
    formData: undefined,
    onChange: jest.fn(),
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    rawErrors: [],
    required: true,
    disabled: false,
    readonly: false,
    ...overrides,
  } as unknown as FieldExtensionComponentProps<string, EnvironmentOwnerPickerUiOptions>;
}

function renderPicker(props: FieldExtensionComponentProps<string, EnvironmentOwnerPickerUiOptions>) {
  const getEntities = jest.fn(async () => ({ items: groups }));
  return {
    getEntities,
    ...renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, { getEntities }]]}>
        <EnvironmentOwnerPicker {...props} />
      </TestApiProvider>,
    ),
  };
}

describe('EnvironmentOwnerPicker', () => {
  it('offers the Groups by the names people know them by, sorted', async () => {
    const { getEntities } = renderPicker(fieldProps());
    await userEvent.click(await screen.findByRole('textbox', { name: /Owner/ }));
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual(['data', 'Platform Team', 'Web']);
    expect(getEntities).toHaveBeenCalledWith(expect.objectContaining({ filter: { kind: 'Group' } }));
  });

  it('sets the entity ref of the team picked as the value', async () => {
    const props = fieldProps();
    renderPicker(props);
    await userEvent.type(await screen.findByRole('textbox', { name: /Owner/ }), 'plat');
    await userEvent.click(await screen.findByRole('option', { name: 'Platform Team' }));
    expect(props.onChange).toHaveBeenCalledWith('group:default/platform-team');
  });

  it('shows the chosen team by its display name, not its entity ref', async () => {
    renderPicker(fieldProps({ formData: 'group:default/platform-team' }));
    const box = await screen.findByRole('textbox', { name: /Owner/ });
    await waitFor(() => expect(box).toHaveValue('Platform Team'));
  });

  it('marks the field as required without asking the browser to check it', async () => {
    renderPicker(fieldProps());
    const box = await screen.findByRole('textbox', { name: /Owner/ });
    expect(box).not.toBeRequired();
    expect(screen.getByText('*')).toBeInTheDocument();
  });
});

describe('validateEnvironmentOwner', () => {
  function problems(value: unknown) {
    const addError = jest.fn();
    validateEnvironmentOwner(value as string, { addError } as any, {} as any);
    return addError.mock.calls.map(call => call[0]);
  }

  it('asks for a team when none is chosen, in a sentence', () => {
    expect(problems('')).toEqual(['Choose the team that owns the environment.']);
    expect(problems(undefined)).toEqual(['Choose the team that owns the environment.']);
  });

  it('accepts an entity ref and refuses free text', () => {
    expect(problems('group:default/platform-team')).toEqual([]);
    expect(problems('the platform people')).toEqual(['Choose the owner among the teams offered.']);
  });
});
