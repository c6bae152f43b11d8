export { TeardownConfirmationField } from './TeardownConfirmationField';
export { validateTeardownConfirmation } from './validation';
export type { TeardownConfirmationUiOptions } from './environmentName';
