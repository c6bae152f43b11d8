/** Who a simulated request comes from: the client's service, account and Region. */
export interface CommandContext {
  service: string;
  accountId: string;
  region: string;
  /** The organization's clock, epoch ms. */
  now: () => number;
}

export type CommandHandler = (ctx: CommandContext, input: any) => unknown;
export type CommandHandlers = Record<string, CommandHandler>;
