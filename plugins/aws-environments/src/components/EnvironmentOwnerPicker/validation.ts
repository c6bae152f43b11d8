import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';

/**
 * An owner is a catalog entity ref. The template starts the field empty (`default: ''`) so that the check on Next
 * names a missing owner together with the step's other problems, such as a taken environment name.
 */
export const validateEnvironmentOwner: CustomFieldValidator<string> = (value, validation) => {
  if (typeof value !== 'string' || value.trim() === '') {
    validation.addError('Choose the team that owns the environment.');
  } else if (!/^[a-z0-9-_.]+:([a-z0-9-_.]+\/)?[a-z0-9-_.]+$/i.test(value)) {
    validation.addError('Choose the owner among the teams offered.');
  }
};
