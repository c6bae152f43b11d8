import type { Entity } from '@backstage/catalog-model';

/** Catalog `spec.type` of a Resource that is a whole environment of the reference architecture. */
export const ENVIRONMENT_RESOURCE_TYPE = 'aws-environment';
/** Catalog `spec.type` of a Resource that is an AWS account. */
export const ACCOUNT_RESOURCE_TYPE = 'aws-account';

/** Entity annotations written on environment entities (and their parts). */
export const ANNOTATION_ACCOUNT_ID = 'aws.innovate.io/account-id';
export const ANNOTATION_REGION = 'aws.innovate.io/region';
/** The environment's name (also the value of its `innovate:environment` tag). */
export const ANNOTATION_ENVIRONMENT = 'aws.innovate.io/environment';
/** Comma-separated CloudFormation stack names of the environment, in deployment order. */
export const ANNOTATION_STACKS = 'aws.innovate.io/stacks';
/** `<template name>@<version>` of the software template the environment was made from. */
export const ANNOTATION_TEMPLATE = 'aws.innovate.io/template';
/** Stage of the environment: dev, staging or prod. */
export const ANNOTATION_STAGE = 'aws.innovate.io/stage';

/** Tag keys every taggable AWS resource of an environment carries (cost allocation and discovery). */
export const TAG_ENVIRONMENT = 'innovate:environment';
export const TAG_STAGE = 'innovate:stage';
export const TAG_APPLICATION = 'innovate:application';
export const TAG_OWNER = 'innovate:owner';
export const TAG_COST_CENTER = 'innovate:cost-center';
export const TAG_SYSTEM = 'innovate:system';
export const TAG_TEMPLATE = 'innovate:template';
export const TAG_TEMPLATE_VERSION = 'innovate:template-version';
/** Tag on each stack naming its layer (network, security, data, compute, edge, observability). */
export const TAG_LAYER = 'innovate:layer';

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** True when the entity is an environment the insights plugin can show. */
export function isAwsEnvironment(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    (entity.spec as { type?: unknown } | undefined)?.type ===
      ENVIRONMENT_RESOURCE_TYPE &&
    Boolean(entity.metadata.annotations?.[ANNOTATION_ACCOUNT_ID]) &&
    Boolean(entity.metadata.annotations?.[ANNOTATION_REGION])
  );
}
