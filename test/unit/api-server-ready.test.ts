// What the demo says while, or after, waiting for a restarted API server.
import { expect, test } from 'vitest';
import { readyzProblem } from '../../scripts/lib/api-server-ready.js';

test('a 500 from /readyz: the checks it marks failed, by name', () => {
  // kubectl's stderr as recorded here, seconds after a kind node restarted (shortened).
  const stderr =
    'Error from server (InternalError): an error on the server ("[+]ping ok\\n[+]etcd ok\\n' +
    '[-]poststarthook/rbac/bootstrap-roles failed: reason withheld\\n' +
    '[-]poststarthook/scheduling/bootstrap-system-priority-classes failed: reason withheld\\n[+]shutdown ok\\nreadyz check failed") has prevented the request from succeeding';
  expect(readyzProblem(stderr)).toBe(
    'checks not yet passing: poststarthook/rbac/bootstrap-roles, poststarthook/scheduling/bootstrap-system-priority-classes',
  );
});

test('no answer at all: kubectl last line', () => {
  const stderr =
    "E1207 18:11:14.1 memcache.go:265] couldn't get current server API group list\n" +
    'The connection to the server 127.0.0.1:41239 was refused - did you specify the right host or port?\n';
  expect(readyzProblem(stderr)).toBe('The connection to the server 127.0.0.1:41239 was refused - did you specify the right host or port?');
  expect(readyzProblem('')).toBe('no answer');
});
