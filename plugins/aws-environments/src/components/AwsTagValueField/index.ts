export { AwsTagValueField } from './AwsTagValueField';
export { validateAwsTagValue } from './validation';
