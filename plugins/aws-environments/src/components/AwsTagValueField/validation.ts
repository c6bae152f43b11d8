import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { ENVIRONMENT_FIELD_TITLES, tagValueProblem } from '@internal/plugin-aws-environments-common';

/** AWS's tag value rules (the shared check), naming the field by its title. */
export const validateAwsTagValue: CustomFieldValidator<string> = (value, validation, context) => {
  const title =
    typeof context.schema?.title === 'string' ? context.schema.title : ENVIRONMENT_FIELD_TITLES.costCenter;
  const problem = tagValueProblem(value, title);
  if (problem) {
    validation.addError(problem);
  }
};
