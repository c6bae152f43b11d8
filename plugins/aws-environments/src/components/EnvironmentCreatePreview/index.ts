export { EnvironmentCreatePreview } from './EnvironmentCreatePreview';
export type { EnvironmentCreatePreviewUiOptions } from './EnvironmentCreatePreview';
