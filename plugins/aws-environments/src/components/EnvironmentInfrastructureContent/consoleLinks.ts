/** Links into the AWS console. The console opens in whatever account the reader is signed in to. */
export function accountSignInUrl(accountId: string): string {
  return `https://${accountId}.signin.aws.amazon.com/console`;
}

export function stackConsoleUrl(
  region: string,
  stack: { stackName: string; stackId?: string },
): string {
  const id = encodeURIComponent(stack.stackId ?? stack.stackName);
  return `https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}#/stacks/stackinfo?stackId=${id}`;
}

export function stacksConsoleUrl(region: string, environment: string): string {
  return `https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}#/stacks?filteringText=${encodeURIComponent(
    environment,
  )}&filteringStatus=active&viewNested=true`;
}
