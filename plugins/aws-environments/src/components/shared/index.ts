export * from './AsOf';
export * from './SimulatedMode';
export * from './status';
export * from './format';
export * from './ErrorPanel';
export * from './RefreshStatus';
