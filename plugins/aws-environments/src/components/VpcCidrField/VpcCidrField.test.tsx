import { fireEvent, screen } from '@testing-library/react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { VpcCidrField, type VpcCidrFieldUiOptions } from './VpcCidrField';
import { validateVpcCidr } from './validation';
import { suggestFreeRange } from './suggestRange';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import { FakeAwsEnvironmentsApi } from '../../__fixtures__/FakeAwsEnvironmentsApi';

function makeApi(overrides: ConstructorParameters<typeof FakeAwsEnvironmentsApi>[0] = {}) {
  const api = new FakeAwsEnvironmentsApi(overrides);
  api.vpcRanges = {
    '222222222222/eu-central-1': [
      { environment: 'innovate-dev', entityRef: 'resource:default/innovate-dev', vpcCidr: '10.40.0.0/16' },
      { environment: 'innovate-staging', entityRef: 'resource:default/innovate-staging', vpcCidr: '10.20.0.0/16' },
    ],
  };
  return api;
}

async function validate(
  value: string | undefined,
  formData: Record<string, unknown>,
  options: { api?: FakeAwsEnvironmentsApi; uiOptions?: VpcCidrFieldUiOptions } = {},
) {
  const api = options.api ?? makeApi();
  const addError = jest.fn();
  await validateVpcCidr(value as string, { addError } as any, {
    apiHolder: { get: (ref: unknown) => (ref === awsEnvironmentsApiRef ? api : undefined) } as any,
    formData: formData as any,
    schema: {},
    uiSchema: (options.uiOptions ? { 'ui:options': options.uiOptions } : {}) as any,
  });
  return addError.mock.calls.map(call => call[0]);
}

const NEW_FORM = { name: 'innovate-qa', accountId: '222222222222', region: 'eu-central-1' };

describe('VpcCidrField', () => {
  it('is a text box that reports what is typed', async () => {
    const onChange = jest.fn();
    await renderInTestApp(
      <TestApiProvider apis={[[awsEnvironmentsApiRef, makeApi()]]}>
        <VpcCidrField
          {...({
            name: 'vpcCidr',
            schema: { title: 'VPC range', type: 'string' },
            uiSchema: {},
            idSchema: { $id: 'root_vpcCidr' },
            formData: '10.40.0.0/16',
            onChange,
            onBlur: jest.fn(),
            rawErrors: [],
            required: true,
          } as unknown as FieldExtensionComponentProps<string, VpcCidrFieldUiOptions>)}
        />
      </TestApiProvider>,
    );
    const box = screen.getByRole('textbox', { name: /VPC range/ });
    expect(box).toHaveValue('10.40.0.0/16');
    fireEvent.change(box, { target: { value: '10.41.0.0/16' } });
    expect(onChange).toHaveBeenLastCalledWith('10.41.0.0/16');
  });
});

describe('validateVpcCidr on the New form', () => {
  it('accepts a private /16 no other environment in the account uses', async () => {
    expect(await validate('10.41.0.0/16', NEW_FORM)).toEqual([]);
    expect(await validate('172.20.0.0/16', NEW_FORM)).toEqual([]);
  });

  it('explains the shape of a VPC range with the shared sentences', async () => {
    expect(await validate('10.40.0.0/20', NEW_FORM)).toEqual([
      'Use a /16 range (the blueprint carves nine /20 subnets from it), not /20.',
    ]);
    expect(await validate('8.8.0.0/16', NEW_FORM)).toEqual([
      '8.8.0.0/16 is not a private range: use one inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.',
    ]);
    expect(await validate('10.40.1.0/16', NEW_FORM)).toEqual([
      '10.40.1.0/16 does not start its range: use 10.40.0.0/16.',
    ]);
    expect(await validate('', NEW_FORM)).toEqual(['Enter a private /16 range such as 10.40.0.0/16.']);
  });

  it('names the environment in the way and suggests a free /16', async () => {
    expect(await validate('10.40.0.0/16', NEW_FORM)).toEqual([
      '10.40.0.0/16 overlaps innovate-dev (10.40.0.0/16) in account 222222222222; pick another range such as 10.41.0.0/16.',
    ]);
    // The suggestion skips the ranges that are taken.
    expect(await validate('10.19.0.0/16', NEW_FORM)).toEqual([]);
    const api = makeApi();
    api.vpcRanges['222222222222/eu-central-1'].push({
      environment: 'innovate-qa',
      entityRef: 'resource:default/innovate-qa',
      vpcCidr: '10.21.0.0/16',
    });
    expect(await validate('10.20.0.0/16', NEW_FORM, { api })).toEqual([
      '10.20.0.0/16 overlaps innovate-staging (10.20.0.0/16) in account 222222222222; pick another range such as 10.22.0.0/16.',
    ]);
  });

  it('compares only with the ranges of the same account and Region', async () => {
    expect(await validate('10.40.0.0/16', { ...NEW_FORM, region: 'eu-west-1' })).toEqual([]);
    expect(await validate('10.40.0.0/16', { ...NEW_FORM, accountId: '333333333333' })).toEqual([]);
  });

  it('lets the range through when the ranges cannot be read (the action checks again)', async () => {
    const api = makeApi({ listVpcRanges: () => Promise.reject(new Error('Service Unavailable')) });
    expect(await validate('10.40.0.0/16', NEW_FORM, { api })).toEqual([]);
  });
});

describe('validateVpcCidr on the Update form', () => {
  const UPDATE = { uiOptions: { allowEmpty: true, environmentField: 'environment' } };
  const api = () =>
    makeApi({
      listEnvironments: async () => ({
        mode: 'simulated' as const,
        items: [
          {
            entityRef: 'resource:default/innovate-dev',
            name: 'innovate-dev',
            accountId: '222222222222',
            region: 'eu-central-1',
          } as any,
        ],
        totalItems: 1,
      }) as any,
    });

  it('keeps the current range when empty', async () => {
    expect(await validate('', { environment: 'resource:default/innovate-dev' }, { ...UPDATE, api: api() })).toEqual([]);
    expect(await validate(undefined, { environment: 'resource:default/innovate-dev' }, { ...UPDATE, api: api() })).toEqual([]);
  });

  it("ignores the environment's own range and checks the others in its account and Region", async () => {
    const form = { environment: 'resource:default/innovate-dev' };
    expect(await validate('10.40.0.0/16', form, { ...UPDATE, api: api() })).toEqual([]);
    expect(await validate('10.20.0.0/16', form, { ...UPDATE, api: api() })).toEqual([
      '10.20.0.0/16 overlaps innovate-staging (10.20.0.0/16) in account 222222222222; pick another range such as 10.21.0.0/16.',
    ]);
    expect(await validate('10.40.0.0/17', form, { ...UPDATE, api: api() })).toEqual([
      'Use a /16 range (the blueprint carves nine /20 subnets from it), not /17.',
    ]);
  });
});

describe('suggestFreeRange', () => {
  it('takes the next free /16 in the same block, wrapping around, then another block', () => {
    expect(suggestFreeRange('10.40.0.0/16', ['10.40.0.0/16', '10.41.0.0/16'])).toBe('10.42.0.0/16');
    expect(suggestFreeRange('10.255.0.0/16', ['10.255.0.0/16'])).toBe('10.0.0.0/16');
    expect(suggestFreeRange('172.31.0.0/16', ['172.31.0.0/16'])).toBe('172.16.0.0/16');
    expect(suggestFreeRange('192.168.0.0/16', ['192.168.0.0/16'])).toBe('10.0.0.0/16');
    expect(suggestFreeRange('10.40.0.0/16', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'])).toBeUndefined();
  });
});
