export { MyEnvironmentsCard, environmentsOwnedBy } from './MyEnvironmentsCard';
export type { MyEnvironmentsCardProps } from './MyEnvironmentsCard';
