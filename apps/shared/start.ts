// The common start-up path: turns known start-up failures into one log line and
// a documented exit code instead of a stack trace.
import { ConfigError } from './config.js';
import { QueueError } from './message-queue.js';
import { ExitCode, ExitError } from './exit-codes.js';
import type { Logger } from './log.js';

export function runService(log: Logger, main: () => Promise<void>): void {
  // The first line of every start: a restart is visible in the logs before any
  // work is done. processStartedAt is when the process was exec'd, before
  // Node loaded this code.
  log.info('starting', { pid: process.pid, node: process.version, processStartedAt: new Date(performance.timeOrigin).toISOString() });
  // Every exit but a SIGKILL's passes here: the last line, with its code.
  process.on('exit', (code) => log.info('exiting', { code }));
  process.on('uncaughtException', (error) => {
    log.error('uncaught_exception', { message: error.message, stack: error.stack });
    process.exit(ExitCode.software);
  });
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      log.error('invalid_config', { problems: error.problems, message: error.message });
      process.exit(ExitCode.config);
    }
    if (error instanceof QueueError) {
      log.error('queue_unavailable', { message: error.message });
      process.exit(ExitCode.queueUnavailable);
    }
    if (error instanceof ExitError) {
      log.error(error.event, { message: error.message });
      process.exit(error.exitCode);
    }
    log.error('start_failed', { message: String(error) });
    process.exit(ExitCode.software);
  });
}
