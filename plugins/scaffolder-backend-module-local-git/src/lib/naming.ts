import { InputError } from '@backstage/errors';

/** RFC 1123 label: what Kubernetes, ECR, Helm and the catalog all accept as a name. */
export const DNS_LABEL_PATTERN = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function assertDnsSafeName(name: string, what = 'Component name'): void {
  if (!DNS_LABEL_PATTERN.test(name)) {
    throw new InputError(
      `${what} '${name}' is not DNS-safe: use 1-63 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
    );
  }
}
