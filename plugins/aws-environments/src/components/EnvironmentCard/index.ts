export { EnvironmentCard, CardFrame } from './EnvironmentCard';
