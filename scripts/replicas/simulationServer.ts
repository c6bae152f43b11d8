/**
 * One simulated AWS organization shared by several backend processes, on loopback.
 *
 * Real AWS is one shared system whichever replica calls it; the simulation normally lives inside each backend
 * process. For the multi-replica test the replicas must see the same AWS, so this process holds the organization
 * and serves it with the plugin's `createSharedSimulationHandler`; each replica points
 * `awsEnvironments.simulation.sharedUrl` here.
 *
 * Started by the multi-replica test:
 *   node --require @backstage/cli/config/nodeTransform.cjs scripts/replicas/simulationServer.ts
 * Environment: SIMULATION_TIME_SCALE (default 0.005). Prints one JSON line `{"port":N}` once ready.
 *
 * Endpoints (all on 127.0.0.1):
 *   /simulation/...     the shared organization, for the backends (createSharedSimulationHandler)
 *   GET  /environments  the organization's environments and their stacks (JSON)
 *   GET  /operations    every stack mutation that AWS accepted, in order (JSON)
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readAwsEnvironmentsSettings } from '@internal/plugin-aws-environments-node';
import { createSharedSimulationHandler, SimulatedAwsOrganization } from '@internal/plugin-aws-environments-simulator';
import { parse } from 'yaml';

/** Commands that change a stack; the test counts them to prove each environment was deployed once. */
const MUTATIONS = new Set([
  'CreateStackCommand',
  'UpdateStackCommand',
  'DeleteStackCommand',
  'CreateChangeSetCommand',
  'ExecuteChangeSetCommand',
]);

export interface AcceptedOperation {
  at: string;
  commandName: string;
  accountId: string;
  region: string;
  stackName?: string;
  changeSetName?: string;
  changeSetType?: string;
  clientRequestToken?: string;
  /** The backend that sent it, as it names itself (`<hostname>/<pid>`). */
  caller?: string;
  /** Filled in by the test: the replica with that pid. */
  replica?: string;
}

function describeInput(input: unknown): Partial<AcceptedOperation> {
  const fields = (input ?? {}) as Record<string, unknown>;
  const text = (key: string) =>
    typeof fields[key] === 'string' ? (fields[key] as string) : undefined;
  return {
    stackName: text('StackName'),
    changeSetName: text('ChangeSetName'),
    changeSetType: text('ChangeSetType'),
    clientRequestToken: text('ClientRequestToken'),
  };
}

async function main() {
  const root = path.resolve(__dirname, '../..');
  const organization = await SimulatedAwsOrganization.create({
    seed: 7,
    timeScale: Number(process.env.SIMULATION_TIME_SCALE ?? 0.005),
    blueprintDir: path.join(root, 'templates/aws-environment/cloudformation'),
    // The allowlist the replicas run with (the embedded default's), so both sides agree on accounts and Regions.
    accounts: readAwsEnvironmentsSettings(
      new ConfigReader(
        parse(fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8')),
      ),
    ).accounts,
  });
  const accepted: AcceptedOperation[] = [];

  const serveShared = createSharedSimulationHandler(organization, {
    onAnswered(call, caller) {
      if (MUTATIONS.has(call.commandName)) {
        accepted.push({
          at: new Date().toISOString(),
          commandName: call.commandName,
          accountId: call.accountId,
          region: call.region,
          caller,
          ...describeInput(call.input),
        });
      }
    },
  });

  const server = http.createServer(async (request, response) => {
    try {
      if (await serveShared(request, response)) {
        return;
      }
      if (request.method === 'GET' && request.url === '/environments') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(organization.listEnvironments()));
        return;
      }
      if (request.method === 'GET' && request.url === '/operations') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(accepted));
        return;
      }
      response.writeHead(404).end();
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  process.stderr.write(`Shared simulation failed to start: ${error}\n`);
  process.exit(1);
});
