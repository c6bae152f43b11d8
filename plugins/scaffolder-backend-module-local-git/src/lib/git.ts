import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Identity recorded on the initial commit. */
export interface GitAuthor {
  name: string;
  email: string;
}

/**
 * Runs the system git without a shell, isolated from the user's and the system's git config so that hooks,
 * signing or templates configured on the host cannot change what gets committed.
 */
export async function runGit(
  args: string[],
  cwd: string,
  author?: GitAuthor,
): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: cwd,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
  };
  if (author) {
    env.GIT_AUTHOR_NAME = author.name;
    env.GIT_AUTHOR_EMAIL = author.email;
    env.GIT_COMMITTER_NAME = author.name;
    env.GIT_COMMITTER_EMAIL = author.email;
  }
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}
