// One JSON object per line on stdout: what `kubectl logs` and `docker logs` show.

export type Fields = Record<string, unknown>;

export interface Logger {
  info(event: string, fields?: Fields): void;
  warn(event: string, fields?: Fields): void;
  error(event: string, fields?: Fields): void;
}

export function createLogger(service: string, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const emit =
    (level: string) =>
    (event: string, fields: Fields = {}) => {
      write(`${JSON.stringify({ ts: new Date().toISOString(), level, service, event, ...fields })}\n`);
    };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}
