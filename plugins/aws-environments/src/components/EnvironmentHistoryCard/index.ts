export {
  EnvironmentHistoryCard,
  HISTORY_PAGE_SIZE,
} from './EnvironmentHistoryCard';
