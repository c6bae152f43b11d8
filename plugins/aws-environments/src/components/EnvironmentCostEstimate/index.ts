export {
  EnvironmentCostEstimate,
  costInputFromForm,
  pricesSourceSentence,
} from './EnvironmentCostEstimate';
