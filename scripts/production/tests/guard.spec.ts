import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * The assembled backend refuses to start when a production configuration lets guests in. Each case starts it
 * once more, on the same PostgreSQL and Redis, with one overlay added to the production configuration.
 */
const appDir = process.env.PRODUCTION_APP_DIR!;
const resultsDir = path.dirname(process.env.PRODUCTION_BACKEND_LOG!);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the backend with the extra config and waits for it to exit; kills it if it is still up at the timeout. */
async function startBackendWith(name: string, overlay: string) {
  const port = await freePort();
  const logFile = path.join(resultsDir, `guard-${name}.log`);
  const out = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      'packages/backend',
      '--config',
      'app-config.production.yaml',
      '--config',
      process.env.PRODUCTION_TEST_CONFIG!,
      '--config',
      path.join(__dirname, '..', overlay),
    ],
    {
      cwd: appDir,
      env: {
        ...process.env,
        PRODUCTION_TEST_PORT: String(port),
        PORTAL_BASE_URL: `http://127.0.0.1:${port}`,
        PRODUCTION_TEST_DB_PREFIX: `${
          process.env.PRODUCTION_TEST_DB_PREFIX
        }${name.replace(/\W/g, '_')}_`,
      },
      stdio: ['ignore', out, out],
    },
  );
  fs.closeSync(out);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, 150_000);
  const exitCode = await new Promise<number | null>(resolve =>
    child.once('exit', code => resolve(code)),
  );
  clearTimeout(timer);
  return { exitCode, timedOut, output: fs.readFileSync(logFile, 'utf8') };
}

test.describe('the production guard', () => {
  test.setTimeout(180_000);

  test('stops a production backend with guest sign-in configured', async () => {
    const { exitCode, timedOut, output } = await startBackendWith(
      'guest-provider',
      'app-config.guest.yaml',
    );
    expect(timedOut, 'the backend was still running after 150 s').toBe(false);
    expect(exitCode).not.toBe(0);
    expect(output).toContain(
      'Refusing to start with this production configuration: guest sign-in is configured (auth.providers.guest): remove it and configure a real sign-in provider',
    );
  });

  test('stops a production backend whose sign-in page offers guest sign-in', async () => {
    const { exitCode, timedOut, output } = await startBackendWith(
      'guest-button',
      'app-config.guest-button.yaml',
    );
    expect(timedOut, 'the backend was still running after 150 s').toBe(false);
    expect(exitCode).not.toBe(0);
    expect(output).toContain(
      'Refusing to start with this production configuration: the sign-in page offers guest sign-in (app.signInProviders): list only real providers, e.g. [github]',
    );
  });
});
