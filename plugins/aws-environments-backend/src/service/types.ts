import type { Entity } from '@backstage/catalog-model';
import type { Stage } from '@internal/plugin-aws-environments-common';

/** One environment as the insights collectors need it, read from its catalog entity. */
export interface EnvironmentTarget {
  entityRef: string;
  /** Environment name: the value of its `innovate:environment` tag. */
  name: string;
  title?: string;
  namespace: string;
  accountId: string;
  region: string;
  /** CloudFormation stack names, in deployment order. */
  stacks: string[];
  stage?: Stage;
  owner?: string;
  system?: string;
  template?: { name: string; version: string };
  entity: Entity;
}

/** The sections collected and stored per environment; `stacks` is collected by the health run. */
export type InsightsSection = 'health' | 'stacks' | 'costs' | 'findings';
export const INSIGHTS_SECTIONS: InsightsSection[] = [
  'health',
  'stacks',
  'costs',
  'findings',
];
