import { CustomErrorBase } from '@backstage/errors';

/** The task was cancelled while the action waited; operations CloudFormation already started keep running. */
export class TaskCancelledError extends CustomErrorBase {
  name = 'TaskCancelledError' as const;
}

/** A bounded wait ran out before CloudFormation finished. */
export class StackWaitTimeoutError extends CustomErrorBase {
  name = 'StackWaitTimeoutError' as const;
}

export {
  withReadableErrors,
  withReadableFailures,
} from '@internal/plugin-aws-environments-node';
