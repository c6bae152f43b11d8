export { EnvironmentHealthCard } from './EnvironmentHealthCard';
export type { EnvironmentHealthCardProps } from './EnvironmentHealthCard';
