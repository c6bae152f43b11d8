import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';

/** Catches a hand-edited or stale value before the task starts; the backend checks the allowlist again. */
export const validateAwsAccountId: CustomFieldValidator<string> = (value, validation) => {
  // A template that starts the field empty (`default: ''`) has it named with the step's other problems on Next.
  if (value === '') {
    validation.addError('Choose the AWS account the environment runs in.');
  } else if (value && !/^\d{12}$/.test(value)) {
    validation.addError('An AWS account id has twelve digits.');
  }
};
