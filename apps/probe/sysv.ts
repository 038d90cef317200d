// System V IPC, the older of the two IPC families the article names: message
// queues and semaphore sets, made with util-linux's ipcmk and listed from
// /proc/sysvipc/, which shows the objects of the reader's IPC namespace only.
// Objects live until removed (or until the IPC namespace goes away with the
// Pod), so whoever creates them removes them.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SysvObject {
  kind: 'message queue' | 'semaphore set';
  /** The key others would pass to msgget/semget, as ipcs prints it. */
  key: string;
  id: number;
  uid: number;
}

const TABLES = { 'message queue': '/proc/sysvipc/msg', 'semaphore set': '/proc/sysvipc/sem' } as const;

/** Columns: key, id, perms, …; uid is named in the header line. */
function readTable(kind: SysvObject['kind']): SysvObject[] {
  const [header = '', ...rows] = readFileSync(TABLES[kind], 'utf8').trim().split('\n');
  const uidColumn = header.trim().split(/\s+/).indexOf('uid');
  return rows.map((row) => {
    const cells = row.trim().split(/\s+/);
    return {
      kind,
      key: `0x${(Number(cells[0]) >>> 0).toString(16).padStart(8, '0')}`,
      id: Number(cells[1]),
      uid: Number(cells[uidColumn]),
    };
  });
}

export function listSysv(): SysvObject[] {
  return [...readTable('message queue'), ...readTable('semaphore set')];
}

/** One message queue and one set of one semaphore, readable by this UID only. */
export async function createSysv(): Promise<SysvObject[]> {
  const made: SysvObject[] = [];
  for (const [kind, flags] of [
    ['message queue', ['-Q']],
    ['semaphore set', ['-S', '1']],
  ] as const) {
    const { stdout } = await run('ipcmk', [...flags, '-p', '0600']);
    const id = Number(/id: (\d+)/.exec(stdout)?.[1]);
    const object = readTable(kind).find((candidate) => candidate.id === id);
    if (!object) throw new Error(`ipcmk said "${stdout.trim()}" but ${TABLES[kind]} has no id ${id}`);
    made.push(object);
  }
  return made;
}

export async function removeSysv(objects: Array<Pick<SysvObject, 'kind' | 'id'>>): Promise<void> {
  for (const { kind, id } of objects) await run('ipcrm', [kind === 'message queue' ? '-q' : '-s', String(id)]);
}
