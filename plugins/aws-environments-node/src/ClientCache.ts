import type { AwsClientConstructor, AwsSdkClient } from './types';

/**
 * One SDK client per (client class, account, Region), shared by both factories. A client whose creation failed
 * (e.g. a role that could not be assumed) is not kept, so the next call tries again.
 */
export class ClientCache {
  private readonly clients = new Map<
    AwsClientConstructor<AwsSdkClient>,
    Map<string, Promise<AwsSdkClient>>
  >();

  get<C extends AwsSdkClient>(
    clientClass: AwsClientConstructor<C>,
    accountId: string,
    region: string,
    create: () => C | Promise<C>,
  ): Promise<C> {
    let byTarget = this.clients.get(clientClass);
    if (!byTarget) {
      byTarget = new Map();
      this.clients.set(clientClass, byTarget);
    }
    const key = `${accountId}/${region}`;
    let client = byTarget.get(key);
    if (!client) {
      const created = Promise.resolve().then(create);
      byTarget.set(key, created);
      created.catch(() => byTarget!.delete(key));
      client = created;
    }
    return client as Promise<C>;
  }
}
