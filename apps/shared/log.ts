// One JSON object per line on stdout: what `kubectl logs` and `docker logs` show.
// The lifecycle events among them also go to the Pod's lifecycle record.
import { isLifecycleEvent, lifecycleRecord, type LifecycleRecord } from './lifecycle.js';

export type Fields = Record<string, unknown>;

export interface Logger {
  info(event: string, fields?: Fields): void;
  warn(event: string, fields?: Fields): void;
  error(event: string, fields?: Fields): void;
}

/** `record`: by default the file LIFECYCLE_FILE names, as the container LIFECYCLE_CONTAINER names (else `service`). */
export function createLogger(
  service: string,
  write: (line: string) => void = (l) => process.stdout.write(l),
  record: LifecycleRecord = lifecycleRecord(process.env.LIFECYCLE_CONTAINER || service, process.env.LIFECYCLE_FILE),
): Logger {
  const emit =
    (level: string) =>
    (event: string, fields: Fields = {}) => {
      const ts = new Date().toISOString();
      write(`${JSON.stringify({ ts, level, service, event, ...fields })}\n`);
      if (!isLifecycleEvent(event)) return;
      // A start is dated when the process was exec'd, as the record's reader expects.
      const at = event === 'starting' && typeof fields.processStartedAt === 'string' ? fields.processStartedAt : ts;
      record(event, at, typeof fields.code === 'number' ? fields.code : undefined);
    };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}
