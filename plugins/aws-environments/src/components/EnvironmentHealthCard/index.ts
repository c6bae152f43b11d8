export { EnvironmentHealthCard } from './EnvironmentHealthCard';
