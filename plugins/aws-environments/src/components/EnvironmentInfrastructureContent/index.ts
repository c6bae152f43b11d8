export { EnvironmentInfrastructureContent } from './EnvironmentInfrastructureContent';
