export {
  EnvironmentsPage,
  EnvironmentsPageContent,
  EnvironmentsOverview,
} from './EnvironmentsPage';
