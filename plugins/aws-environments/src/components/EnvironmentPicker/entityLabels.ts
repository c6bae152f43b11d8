/**
 * The names of the entities a person picked in this page's forms, by entity ref. A picker knows the name it showed;
 * the Review step's display names (ReviewDisplayName) read it from here at once, so that the name is there even when
 * the person leaves the step before a catalog lookup would have answered.
 */
const labels = new Map<string, string>();

export function rememberEntityLabel(ref: string, label: string) {
  labels.set(ref, label);
}

export function knownEntityLabel(ref: string): string | undefined {
  return labels.get(ref);
}
