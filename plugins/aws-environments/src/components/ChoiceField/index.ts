export { ChoiceField, choicesOf } from './ChoiceField';
