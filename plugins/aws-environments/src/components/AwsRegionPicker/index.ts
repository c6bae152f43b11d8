export { AwsRegionPicker, type AwsRegionPickerUiOptions } from './AwsRegionPicker';
export { validateAwsRegion } from './validation';
