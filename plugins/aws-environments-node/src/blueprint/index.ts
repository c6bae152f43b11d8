export * from './types';
export * from './cfnYaml';
export * from './load';
export * from './defaults';
