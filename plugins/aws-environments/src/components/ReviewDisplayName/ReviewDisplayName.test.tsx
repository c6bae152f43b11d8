import { waitFor } from '@testing-library/react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { ReviewDisplayName, type ReviewDisplayNameUiOptions } from './ReviewDisplayName';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import { FakeAwsEnvironmentsApi } from '../../__fixtures__/FakeAwsEnvironmentsApi';
import { rememberEntityLabel } from '../EnvironmentPicker/entityLabels';

function fieldProps(
  options: ReviewDisplayNameUiOptions,
  form: Record<string, unknown>,
  formData?: string,
) {
  return {
    name: 'shown',
    schema: { title: 'AWS account', type: 'string' },
    uiSchema: { 'ui:options': options },
    idSchema: { $id: 'root_shown' },
    formData,
    formContext: { formData: form },
    onChange: jest.fn(),
    rawErrors: [],
    required: false,
  } as unknown as FieldExtensionComponentProps<string, ReviewDisplayNameUiOptions>;
}

const catalogApi = {
  getEntityByRef: jest.fn(async (ref: string) =>
    ref === 'group:default/platform-team'
      ? {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'platform-team', namespace: 'default' },
          spec: { profile: { displayName: 'Platform Team' } },
        }
      : undefined,
  ),
};

function renderField(props: FieldExtensionComponentProps<string, ReviewDisplayNameUiOptions>) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [awsEnvironmentsApiRef, new FakeAwsEnvironmentsApi()],
        [catalogApiRef, catalogApi],
      ]}
    >
      <ReviewDisplayName {...props} />
    </TestApiProvider>,
  );
}

describe('ReviewDisplayName', () => {
  it("names the account chosen in another field by its name and id", async () => {
    const props = fieldProps({ of: 'accountId', source: 'awsAccount' }, { accountId: '222222222222' });
    await renderField(props);
    await waitFor(() => expect(props.onChange).toHaveBeenLastCalledWith('innovate-dev (222222222222)'));
  });

  it("names a catalog entity by its display name", async () => {
    const props = fieldProps({ of: 'owner', source: 'entity' }, { owner: 'group:default/platform-team' });
    await renderField(props);
    await waitFor(() => expect(props.onChange).toHaveBeenLastCalledWith('Platform Team'));
  });

  it('names an entity a picker of the form showed at once, before the catalog answers', async () => {
    // The catalog does not know it: the name can only come from the picker.
    rememberEntityLabel('resource:default/innovate-qa', 'innovate-qa (staging)');
    const props = fieldProps({ of: 'environment', source: 'entity' }, { environment: 'resource:default/innovate-qa' });
    await renderField(props);
    expect(props.onChange).toHaveBeenCalledTimes(1);
    expect(props.onChange).toHaveBeenCalledWith('innovate-qa (staging)');
    expect(props.onChange).not.toHaveBeenCalledWith('resource:default/innovate-qa');
  });

  it('keeps a value it cannot name as it is, and clears itself when the other field is emptied', async () => {
    const unknown = fieldProps({ of: 'owner' }, { owner: 'group:default/gone' });
    await renderField(unknown);
    await waitFor(() => expect(unknown.onChange).toHaveBeenLastCalledWith('group:default/gone'));

    const emptied = fieldProps({ of: 'accountId', source: 'awsAccount' }, {}, 'innovate-dev (222222222222)');
    await renderField(emptied);
    await waitFor(() => expect(emptied.onChange).toHaveBeenLastCalledWith(undefined));
  });
});
