import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  EnvironmentPicker,
  type EnvironmentPickerUiOptions,
} from './EnvironmentPicker';

const environments: Entity[] = [
  'innovate-prod',
  'innovate-dev',
  'innovate-staging',
].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default' },
  spec: { type: 'aws-environment' },
}));

type Props = FieldExtensionComponentProps<string, EnvironmentPickerUiOptions>;

function fieldProps(overrides: Partial<Props> = {}) {
  return {
    name: 'environment',
    schema: { title: 'Environment', type: 'string' },
    uiSchema: {},
    idSchema: { $id: 'root_environment' },
    formData: undefined,
    onChange: jest.fn(),
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    rawErrors: [],
    required: true,
    disabled: false,
    readonly: false,
    ...overrides,
  } as unknown as Props;
}

function renderPicker(props: Props) {
  const getEntities = jest.fn(async () => ({ items: environments }));
  return {
    getEntities,
    ...renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, { getEntities }]]}>
        <EnvironmentPicker {...props} />
      </TestApiProvider>,
    ),
  };
}

describe('EnvironmentPicker', () => {
  it("offers the catalog's AWS environments by name, sorted", async () => {
    const { getEntities } = renderPicker(fieldProps());
    await userEvent.click(
      await screen.findByRole('textbox', { name: /Environment/ }),
    );
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'innovate-dev',
      'innovate-prod',
      'innovate-staging',
    ]);
    expect(getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: { kind: 'Resource', 'spec.type': 'aws-environment' },
      }),
    );
  });

  it('sets the entity ref of the environment picked as the value', async () => {
    const props = fieldProps();
    renderPicker(props);
    await userEvent.type(
      await screen.findByRole('textbox', { name: /Environment/ }),
      'dev',
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'innovate-dev' }),
    );
    expect(props.onChange).toHaveBeenCalledWith(
      'resource:default/innovate-dev',
    );
  });

  it('shows the chosen environment by its name, not its entity ref', async () => {
    renderPicker(fieldProps({ formData: 'resource:default/innovate-prod' }));
    const box = await screen.findByRole('textbox', { name: /Environment/ });
    await waitFor(() => expect(box).toHaveValue('innovate-prod'));
  });

  it('marks the field as required without asking the browser to check it', async () => {
    renderPicker(fieldProps());
    const box = await screen.findByRole('textbox', { name: /Environment/ });
    expect(box).not.toBeRequired();
    expect(screen.getByText('*')).toBeInTheDocument();
  });
});
