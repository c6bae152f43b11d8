export { EnvironmentCostEstimate, costInputFromForm } from './EnvironmentCostEstimate';
