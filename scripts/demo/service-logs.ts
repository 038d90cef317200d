// What the services' structured logs say happened, and when: the steps that
// order events across containers (start order, a restart, a drain) read them.
/** A service's structured log lines with this event. */
export function logEvents(log: string, event: string): Array<Record<string, unknown>> {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(`"event":"${event}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** When the process that wrote this log was exec'd (its first "starting" line), in ms. */
export function processStartedAt(log: string): number | undefined {
  const at = logEvents(log, 'starting')[0]?.processStartedAt;
  return typeof at === 'string' ? Date.parse(at) : undefined;
}

/** Their timestamps, in ms. */
export function eventTimes(log: string, event: string): number[] {
  return logEvents(log, event).map((record) => Date.parse(String(record.ts)));
}
