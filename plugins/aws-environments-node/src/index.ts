export * from './types';
export * from './blueprint';
