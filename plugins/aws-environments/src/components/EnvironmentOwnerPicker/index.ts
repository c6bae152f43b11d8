export { EnvironmentOwnerPicker, type EnvironmentOwnerPickerUiOptions } from './EnvironmentOwnerPicker';
export { ownerDisplayName, ownerOptions } from './ownerDisplayName';
export { validateEnvironmentOwner } from './validation';
