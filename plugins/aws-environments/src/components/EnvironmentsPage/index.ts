export {
  EnvironmentsPage,
  EnvironmentsPageContent,
  EnvironmentsOverview,
} from './EnvironmentsPage';
export type { EnvironmentsPageProps } from './EnvironmentsPage';
