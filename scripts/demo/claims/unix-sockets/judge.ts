// 5n's judge: abstract Unix sockets belong to the network namespace, path ones to a mount.
import type { Connected } from '../../../../apps/probe/contract.js';

/**
 * Unix sockets: an abstract one is a name in the network namespace, reached
 * from the other container with no file at all and refused outside the Pod; one
 * on a path is a file, reached only through a mount both containers have.
 */
export function judgeUnixSockets(seen: {
  abstract: string;
  sharedPath: string;
  privatePath: string;
  server: string;
  client: string;
  fromClient: { abstract: Connected; sharedPath: Connected; privatePath: Connected };
  outsideName: string;
  fromOutside: Connected;
}): string[] {
  const { fromClient: c } = seen;
  const problems: string[] = [];
  if (!c.abstract.ok)
    problems.push(
      `the abstract socket ${seen.abstract} of the ${seen.server} is not reachable from the ${seen.client} (${c.abstract.code}): they do not share a network namespace`,
    );
  if (seen.fromOutside.ok)
    problems.push(
      `the abstract socket ${seen.abstract} is reachable from ${seen.outsideName}: the network namespace reaches beyond the Pod`,
    );
  if (!c.sharedPath.ok)
    problems.push(`${seen.sharedPath}, in a mount both containers have, is not reachable from the ${seen.client} (${c.sharedPath.code})`);
  if (c.privatePath.ok)
    problems.push(
      `${seen.privatePath}, in a volume only the ${seen.server} mounts, is reachable from the ${seen.client}: their mounts are not separate`,
    );
  else if (c.privatePath.code !== 'ENOENT')
    problems.push(`${seen.privatePath} failed from the ${seen.client} with ${c.privatePath.code}, not ENOENT (no such file in its mounts)`);
  return problems;
}
