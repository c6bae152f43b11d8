import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_REGION,
} from '@internal/plugin-aws-environments-common';
import type { EnvironmentRef } from '../api/types';

export const REQUIRED_ANNOTATIONS = [ANNOTATION_ACCOUNT_ID, ANNOTATION_REGION];

/**
 * The environment shown on the current entity page, or the annotations it lacks to be one.
 */
export function useEnvironmentRef():
  | { ref: EnvironmentRef; missingAnnotations: [] }
  | { ref: undefined; missingAnnotations: string[] } {
  const { entity } = useEntity();
  const annotations = entity.metadata.annotations ?? {};
  const missing = REQUIRED_ANNOTATIONS.filter(key => !annotations[key]);
  if (missing.length > 0) {
    return { ref: undefined, missingAnnotations: missing };
  }
  return {
    ref: {
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
    },
    missingAnnotations: [],
  };
}
