import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { teardownConfirmationProblem } from '@internal/plugin-aws-environments-common';
import { chosenEnvironmentName, type TeardownConfirmationUiOptions } from './environmentName';

/** The typed name must be the chosen environment's, exactly; the destroy action checks it again. */
export const validateTeardownConfirmation: CustomFieldValidator<
  string,
  TeardownConfirmationUiOptions
> = (value, validation, context) => {
  const name = chosenEnvironmentName(
    context.formData as Record<string, unknown> | undefined,
    context.uiSchema?.['ui:options'],
  );
  if (!name) {
    // Nothing chosen yet: the Environment field's own "required" message says what to do.
    return;
  }
  const problem = teardownConfirmationProblem(value, name);
  if (problem) {
    validation.addError(problem);
  }
};
