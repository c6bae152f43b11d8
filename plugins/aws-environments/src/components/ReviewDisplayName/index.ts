export {
  ReviewDisplayName,
  accountDisplayName,
  type ReviewDisplayNameUiOptions,
} from './ReviewDisplayName';
