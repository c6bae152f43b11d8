export {
  AwsKubernetesVersionPicker,
  type AwsKubernetesVersionPickerUiOptions,
} from './AwsKubernetesVersionPicker';
export { validateKubernetesVersion } from './validation';
