import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { environmentNameProblem } from '@internal/plugin-aws-environments-common';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';

/**
 * The naming rules first (no request for a name that cannot be used anyway), then the backend: a name an existing
 * environment has is refused with the backend's sentence, which points to the Update template. When the backend
 * cannot be asked, the form lets the name through: the deploy action checks it again before creating anything.
 */
export const validateEnvironmentName: CustomFieldValidator<string> = async (
  value,
  validation,
  context,
) => {
  const problem = environmentNameProblem(value);
  if (problem) {
    validation.addError(problem);
    return;
  }
  const api = context.apiHolder.get(awsEnvironmentsApiRef);
  if (!api) {
    return;
  }
  let answer;
  try {
    answer = await api.checkEnvironmentName(value);
  } catch {
    return;
  }
  if (!answer.available) {
    validation.addError(
      answer.problem ??
        `An environment named ${value} already exists; to change it, use the "Update an AWS environment" template.`,
    );
  }
};
