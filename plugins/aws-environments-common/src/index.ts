/**
 * Types, annotations and names shared by the AWS environments plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './naming';
export * from './events';
export * from './api';
export * from './environmentList';
export * from './pricing';
export * from './lifecycle';
export * from './permissions';
export * from './validation';
export * from './createPreview';
export * from './history';
