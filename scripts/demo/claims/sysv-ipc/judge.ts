// 5k's judge: System V objects are the IPC namespace's, seen by both containers.
import type { SysvObject } from '../../../../apps/probe/contract.js';

type SysvSeen = Pick<SysvObject, 'kind' | 'key' | 'id'>;

/** SysV objects made in one container: listed with the same key and id in the other, and nowhere outside the Pod. */
export function judgeSysv(seen: {
  made: SysvSeen[];
  maker: string;
  other: string;
  inOther: SysvSeen[];
  outsideName: string;
  outside: SysvSeen[];
}): string[] {
  const same = (a: SysvSeen) => (b: SysvSeen) => a.kind === b.kind && a.key === b.key && a.id === b.id;
  const problems: string[] = [];
  if (seen.made.length === 0) problems.push(`no SysV object was made in the ${seen.maker}`);
  for (const object of seen.made) {
    const name = `the SysV ${object.kind} ${object.key} (id ${object.id}) made in the ${seen.maker}`;
    if (!seen.inOther.some(same(object)))
      problems.push(`${name} is not in the ${seen.other}'s IPC namespace: IPC is not shared between the containers`);
    if (seen.outside.some(same(object)))
      problems.push(`${name} is visible from ${seen.outsideName}: the IPC namespace reaches beyond the Pod`);
  }
  return problems;
}
