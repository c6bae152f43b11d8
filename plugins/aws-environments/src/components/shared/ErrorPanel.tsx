import { ResponseErrorPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';

/** The server's own message, which says more than "Request failed with 404". */
export function describeError(error: Error): string {
  if (error instanceof ResponseError && error.body?.error?.message) {
    return error.body.error.message;
  }
  return error.message;
}

/** ResponseErrorPanel whose visible title is the server's message; the details stay one click away. */
export function InsightsErrorPanel(props: { error: Error }) {
  return (
    <ResponseErrorPanel
      error={props.error}
      title={describeError(props.error)}
    />
  );
}
