export { EnvironmentInfrastructureContent } from './EnvironmentInfrastructureContent';
export type { EnvironmentInfrastructureContentProps } from './EnvironmentInfrastructureContent';
