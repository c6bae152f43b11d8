export { VpcCidrField, type VpcCidrFieldUiOptions } from './VpcCidrField';
export { validateVpcCidr } from './validation';
export { suggestFreeRange } from './suggestRange';
