import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { cidrsOverlap, vpcCidrProblem } from '@internal/plugin-aws-environments-common';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import type { AwsEnvironmentsApi } from '../../api/types';
import { suggestFreeRange } from './suggestRange';
import type { VpcCidrFieldUiOptions } from './VpcCidrField';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The account and Region the range is for: the form's own (New), or those of the environment updated (Update). */
async function placeOf(
  api: AwsEnvironmentsApi,
  formData: Record<string, unknown>,
  environmentRef: string | undefined,
): Promise<{ accountId: string; region: string } | undefined> {
  const accountId = text(formData.accountId);
  const region = text(formData.region);
  if (accountId && region) {
    return { accountId, region };
  }
  if (!environmentRef) {
    return undefined;
  }
  const { items } = await api.listEnvironments({ entityRef: environmentRef });
  const environment = items.find(item => item.entityRef.toLowerCase() === environmentRef.toLowerCase());
  return environment ? { accountId: environment.accountId, region: environment.region } : undefined;
}

/**
 * A private /16 (the shared check), then no overlap with another environment's range in the same account and
 * Region, naming the environment in the way and a free range to use instead. On the Update form an empty value
 * keeps the current range and the environment's own range is no overlap. When the ranges cannot be read the form
 * lets the value through: the deploy action checks the overlap again.
 */
export const validateVpcCidr: CustomFieldValidator<string, VpcCidrFieldUiOptions> = async (
  value,
  validation,
  context,
) => {
  const options = context.uiSchema?.['ui:options'];
  if ((value === undefined || value === '') && options?.allowEmpty) {
    return;
  }
  const problem = vpcCidrProblem(value);
  if (problem) {
    validation.addError(problem);
    return;
  }
  const cidr = value.trim();
  const api = context.apiHolder.get(awsEnvironmentsApiRef);
  if (!api) {
    return;
  }
  const formData = (context.formData ?? {}) as Record<string, unknown>;
  const environmentRef = text(formData[options?.environmentField ?? 'environment']);
  try {
    const place = await placeOf(api, formData, environmentRef);
    if (!place) {
      return;
    }
    const ranges = (await api.listVpcRanges(place.accountId, place.region)).filter(
      range => !environmentRef || range.entityRef.toLowerCase() !== environmentRef.toLowerCase(),
    );
    const clash = ranges.find(range => cidrsOverlap(cidr, range.vpcCidr));
    if (!clash) {
      return;
    }
    const suggestion = suggestFreeRange(
      cidr,
      ranges.map(range => range.vpcCidr),
    );
    validation.addError(
      `${cidr} overlaps ${clash.environment} (${clash.vpcCidr}) in account ${place.accountId}; ${
        suggestion
          ? `pick another range such as ${suggestion}.`
          : 'pick a range no other environment in the account uses.'
      }`,
    );
  } catch {
    // The ranges could not be read; the deploy action checks the overlap again before creating anything.
  }
};
