/**
 * Test helpers of the AWS boundary for other packages' tests: a loopback stand-in for AWS at the HTTP layer that
 * answers in each service's wire protocol, so that contract tests run the real-mode clients end to end.
 *
 * @packageDocumentation
 */
export * from './contract/awsWire';
