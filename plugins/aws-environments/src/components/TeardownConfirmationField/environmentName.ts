import { parseEntityRef } from '@backstage/catalog-model';

export interface TeardownConfirmationUiOptions {
  /** The form field holding the entity ref of the environment torn down; `environment` when absent. */
  environmentField?: string;
}

/** The name of the environment chosen in the form (`resource:default/innovate-dev` → `innovate-dev`). */
export function chosenEnvironmentName(
  formData: Record<string, unknown> | undefined,
  options: TeardownConfirmationUiOptions | undefined,
): string | undefined {
  const ref = formData?.[options?.environmentField ?? 'environment'];
  if (typeof ref !== 'string' || ref === '') {
    return undefined;
  }
  try {
    return parseEntityRef(ref, { defaultKind: 'resource', defaultNamespace: 'default' }).name;
  } catch {
    return undefined;
  }
}
