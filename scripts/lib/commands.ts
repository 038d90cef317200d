// Running the external tools the harnesses drive (docker, compose, kind,
// kubectl), with errors that say which command failed and what it printed.
import { execa } from 'execa';

export class CommandFailed extends Error {}

export interface Output {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a command to completion; fails with its stderr unless `allowFailure`. */
export async function run(
  command: string[],
  options: { allowFailure?: boolean; input?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<Output> {
  const [file, ...args] = command;
  const result = await execa(file!, args, {
    reject: false,
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  if (result.failed && 'code' in result && (result as { code?: string }).code === 'ENOENT') {
    throw new CommandFailed(`${file} is not installed (or not on PATH)`);
  }
  const output = { stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), exitCode: result.exitCode ?? -1 };
  if (result.timedOut) throw new CommandFailed(`${command.join(' ')} did not finish within ${options.timeoutMs} ms`);
  if (output.exitCode !== 0 && !options.allowFailure) {
    throw new CommandFailed(
      `${command.join(' ')} failed (exit ${output.exitCode}): ${(output.stderr || output.stdout).trim().split('\n').slice(-5).join(' | ')}`,
    );
  }
  return output;
}

/** Runs a long command, passing each output line to `onLine` (progress on long steps). */
export async function stream(command: string[], onLine: (line: string) => void, env?: Record<string, string>): Promise<void> {
  const [file, ...args] = command;
  const child = execa(file!, args, { reject: false, all: true, ...(env ? { env } : {}) });
  let tail: string[] = [];
  child.all?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail = [...tail.slice(-9), line];
      onLine(line);
    }
  });
  const result = await child;
  if (result.exitCode !== 0)
    throw new CommandFailed(`${command.join(' ')} failed (exit ${result.exitCode}); last output:\n${tail.join('\n')}`);
}
