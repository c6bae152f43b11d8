export { AwsAccountPicker, type AwsAccountPickerUiOptions } from './AwsAccountPicker';
export { validateAwsAccountId } from './validation';
