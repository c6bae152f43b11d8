export { EnvironmentSecurityCard } from './EnvironmentSecurityCard';
