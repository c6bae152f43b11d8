export {
  AwsDatabaseVersionPicker,
  type AwsDatabaseVersionPickerUiOptions,
} from './AwsDatabaseVersionPicker';
export { validateDatabaseVersion } from './validation';
