export { MyEnvironmentsCard } from './MyEnvironmentsCard';
export type { MyEnvironmentsCardProps } from './MyEnvironmentsCard';
