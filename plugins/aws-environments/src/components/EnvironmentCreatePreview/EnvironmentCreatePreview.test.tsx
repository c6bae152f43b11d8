import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  ENVIRONMENT_LAYERS,
  stackNameFor,
} from '@internal/plugin-aws-environments-common';
import { EnvironmentCreatePreview } from './EnvironmentCreatePreview';

// A first render on a busy machine takes seconds.
jest.setTimeout(30_000);

const TEMPLATE_REF = 'template:default/aws-environment';
const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'aws-environment', namespace: 'default' },
  spec: {
    owner: 'group:platform-team',
    type: 'aws-environment',
    parameters: [{ title: 'Environment', properties: {} }],
    steps: [
      {
        id: 'deploy',
        action: 'innovate:environment:deploy',
        input: {
          mode: 'create',
          environment: { name: '${{ parameters.name }}' },
        },
      },
      { id: 'register', action: 'innovate:environment:register', input: {} },
    ],
  },
};
const form = {
  name: 'innovate-qa',
  stage: 'dev',
  accountId: '222222222222',
  region: 'eu-central-1',
  costEstimate: 612.5,
};

/** The dry run's answer: every layer a new stack, two resources each. */
function dryRunAnswer(name: string) {
  return {
    output: {
      summary: `${name}: 6 stack(s) to create (12 resources), 0 to update (0 changes, 0 replacement(s)), 0 unchanged`,
      changes: ENVIRONMENT_LAYERS.map((layer, index) => ({
        layer,
        stackName: stackNameFor(name, layer),
        changeSetType: 'CREATE',
        source: index === 0 ? 'change-set' : 'template',
        changes: [
          {
            action: 'Add',
            logicalId: `${layer}Key`,
            resourceType: 'AWS::KMS::Key',
          },
          {
            action: 'Add',
            logicalId: `${layer}Alarm`,
            resourceType: 'AWS::CloudWatch::Alarm',
          },
        ],
      })),
    },
  };
}

function renderField(
  fetch: jest.Mock,
  options: { formData?: Record<string, unknown>; templateRef?: string } = {},
) {
  const props = {
    name: 'createPreview',
    formData: undefined,
    onChange: jest.fn(),
    schema: { title: 'Preview', description: 'What Create would make.' },
    uiSchema: {
      'ui:options': { templateRef: options.templateRef ?? TEMPLATE_REF },
    },
    idSchema: { $id: 'root_createPreview' },
    formContext: { formData: options.formData ?? form },
    rawErrors: [],
    required: false,
    disabled: false,
    readonly: false,
  } as unknown as FieldExtensionComponentProps<string, any>;
  const catalogApi = {
    getEntityByRef: jest.fn(async (ref: string) =>
      ref === TEMPLATE_REF ? template : undefined,
    ),
  };
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApi],
        [
          discoveryApiRef,
          { getBaseUrl: async (id: string) => `http://portal/api/${id}` },
        ],
        [fetchApiRef, { fetch }],
      ]}
    >
      <EnvironmentCreatePreview {...props} />
    </TestApiProvider>,
  );
}

const answer = (status: number, body: unknown) =>
  ({ ok: status < 400, status, json: async () => body } as Response);

describe('EnvironmentCreatePreview', () => {
  it('sends nothing until Preview is pressed, then lists the six stacks and their resources with the estimate', async () => {
    const fetch = jest.fn(async () => answer(200, dryRunAnswer('innovate-qa')));
    await renderField(fetch);
    expect(fetch).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));

    expect(
      await screen.findByText(
        'Create makes 6 stacks with 12 resources, estimated at $613 per month.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Nothing is replaced: every resource is new.'),
    ).toBeInTheDocument();
    for (const layer of ENVIRONMENT_LAYERS) {
      const stackName = stackNameFor('innovate-qa', layer);
      expect(
        screen.getByRole('heading', {
          name: `${stackName}: CREATE, 2 resources`,
        }),
      ).toBeInTheDocument();
      const table = screen.getByRole('table', {
        name: `Resources of ${stackName}`,
      });
      expect(within(table).getByText(`${layer}Key`)).toBeInTheDocument();
      expect(within(table).getByText('AWS::KMS::Key')).toBeInTheDocument();
    }

    // The template's deploy step, run as the plan action in create mode with the form's values.
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://portal/api/scaffolder/v2/dry-run');
    expect(init.method).toBe('POST');
    const body = JSON.parse(String(init.body));
    expect(body.values).toEqual(form);
    expect(body.template.spec.parameters).toEqual(template.spec.parameters);
    expect(body.template.spec.steps).toEqual([
      expect.objectContaining({
        action: 'innovate:environment:plan',
        input: {
          mode: 'create',
          environment: { name: '${{ parameters.name }}' },
        },
      }),
    ]);
  });

  it('shows the refusal of the permission policy as a sentence', async () => {
    const fetch = jest.fn(async () =>
      answer(403, {
        error: {
          name: 'NotAllowedError',
          message:
            'Unauthorized action: innovate:environment:plan. The action is not allowed.',
        },
      }),
    );
    await renderField(fetch, { formData: { ...form, stage: 'prod' } });

    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'You may not create this environment with these settings, so it cannot be previewed: the permission policy refuses it',
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it("shows the action's sentence for input it refuses", async () => {
    const fetch = jest.fn(async () =>
      answer(500, {
        error: {
          name: 'InputError',
          message:
            'Owner must be a group such as group:default/web-team, not user:default/aisha.khan.',
        },
      }),
    );
    await renderField(fetch);

    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      /^Owner must be a group such as group:default\/web-team, not user:default\/aisha\.khan\.$/,
    );
  });

  it('says when the form changed after the preview', async () => {
    const fetch = jest.fn(async () => answer(200, dryRunAnswer('innovate-qa')));
    const { rerender } = await renderField(fetch);
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await screen.findByText(/^Create makes 6 stacks/);
    expect(screen.queryByText(/The form has changed/)).not.toBeInTheDocument();

    rerender(
      <TestApiProvider
        apis={[
          [catalogApiRef, { getEntityByRef: async () => template }],
          [discoveryApiRef, { getBaseUrl: async () => 'http://portal' }],
          [fetchApiRef, { fetch }],
        ]}
      >
        <EnvironmentCreatePreview
          {...({
            name: 'createPreview',
            schema: { title: 'Preview' },
            uiSchema: { 'ui:options': { templateRef: TEMPLATE_REF } },
            idSchema: { $id: 'root_createPreview' },
            formContext: { formData: { ...form, region: 'eu-west-1' } },
            onChange: jest.fn(),
          } as unknown as FieldExtensionComponentProps<string, any>)}
        />
      </TestApiProvider>,
    );

    await waitFor(() =>
      expect(screen.getByText(/The form has changed/)).toBeInTheDocument(),
    );
  });
});
