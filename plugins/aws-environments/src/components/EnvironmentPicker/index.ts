export { EnvironmentPicker } from './EnvironmentPicker';
export type { EnvironmentPickerUiOptions } from './EnvironmentPicker';
