export { EnvironmentNameField } from './EnvironmentNameField';
export { validateEnvironmentName } from './validation';
