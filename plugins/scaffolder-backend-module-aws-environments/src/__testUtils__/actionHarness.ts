import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import path from 'node:path';
import type { ActionDependencies } from '../lib/actionSupport';
import type { ProvisioningSettings } from '../lib/settings';
import {
  FakeCloudFormation,
  VERSIONS_CLOCK,
  fakeAwsClients,
} from './fakeCloudFormation';
import { testAccess } from './access';

export const TEST_BLUEPRINT_DIR = path.resolve(__dirname, 'blueprint');

export const FAST_SETTINGS: ProvisioningSettings = {
  pollIntervalSeconds: 0.005,
  maxWaitSeconds: 30,
  heartbeatSeconds: 25,
  registrationTimeoutSeconds: 5,
  blueprintDir: TEST_BLUEPRINT_DIR,
};

export function setup() {
  const cloudFormation = new FakeCloudFormation();
  const deps: ActionDependencies = {
    awsClients: fakeAwsClients(),
    settings: FAST_SETTINGS,
    access: testAccess(),
    now: () => VERSIONS_CLOCK,
  };
  return { cloudFormation, deps };
}

/** A mock action context whose logger records every line, and whose checkpoints persist across runs. */
export function actionContext<I extends JsonObject>(
  input: I,
  options: {
    taskId?: string;
    isDryRun?: boolean;
    signal?: AbortSignal;
    checkpoints?: Map<string, unknown>;
  } = {},
) {
  const lines: string[] = [];
  const logger = mockServices.logger.mock();
  const record = (level: string) => (message: string, meta?: unknown) => {
    lines.push(`${level} ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  };
  (logger.info as jest.Mock).mockImplementation(record('info'));
  (logger.warn as jest.Mock).mockImplementation(record('warn'));
  (logger.error as jest.Mock).mockImplementation(record('error'));
  (logger.debug as jest.Mock).mockImplementation(record('debug'));
  (logger.child as jest.Mock).mockImplementation(() => logger);
  const checkpoints = options.checkpoints ?? new Map<string, unknown>();
  const outputs: Record<string, unknown> = {};
  // createMockActionContext only takes over some fields; the rest are set on its result.
  const ctx: ActionContext<any, any> = {
    ...createMockActionContext<I>({
      input,
      logger: logger as LoggerService,
      task: { id: options.taskId ?? 'task-1' },
    }),
    isDryRun: options.isDryRun,
    signal: options.signal,
    output: (name: string | number | symbol, value: unknown) => {
      outputs[String(name)] = value;
    },
    checkpoint: (async ({ key, fn }: { key: string; fn: () => unknown }) => {
      if (checkpoints.has(key)) return checkpoints.get(key);
      const value = await fn();
      checkpoints.set(key, value);
      return value;
    }) as any,
  };
  return { ctx, lines, outputs, checkpoints };
}
