// 5l's judge: /dev/shm is the Pod's, one tmpfs for both containers.
import type { ProbeResult } from '../../../../apps/probe/contract.js';

type ShmSeen = Pick<ProbeResult<'shmRead'>, 'ok' | 'text' | 'error' | 'device'>;

/** A file under /dev/shm written in one container: read back in the other (the same tmpfs), absent outside the Pod. */
export function judgeShm(seen: {
  path: string;
  text: string;
  writer: string;
  written: { device: string };
  reader: string;
  read: ShmSeen;
  outsideName: string;
  outside: ShmSeen;
}): string[] {
  const problems: string[] = [];
  if (!seen.read.ok || seen.read.text !== seen.text) {
    problems.push(
      `${seen.path} written in the ${seen.writer} cannot be read in the ${seen.reader} (${seen.read.error ?? `read ${JSON.stringify(seen.read.text)}`}): ` +
        `they do not share the Pod's /dev/shm (${seen.writer} on device ${seen.written.device}, ${seen.reader} on ${seen.read.device})`,
    );
  }
  if (seen.outside.ok)
    problems.push(`${seen.path} can be read from ${seen.outsideName}: its /dev/shm (device ${seen.outside.device}) is the Pod's`);
  return problems;
}
