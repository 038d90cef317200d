import { expect, test } from 'vitest';
import { judgeNetworkPolicy, type DenyAllSeen, type PolicySeen } from './judge.js';

const open: PolicySeen = { allowed: { ok: true }, other: { ok: true }, loopback: { ok: true } };
const enforced: PolicySeen = { allowed: { ok: true }, other: { ok: false, code: 'ETIMEDOUT' }, loopback: { ok: true } };
const denyAll: DenyAllSeen = { allowed: { ok: false, code: 'ETIMEDOUT' }, processed: 5, sent: 5 };

test('enforced: 8080 open, 9091 dropped, loopback untouched', () => {
  expect(judgeNetworkPolicy({ before: open, after: enforced, denyAll })).toEqual([]);
});

test('nothing enforcing, or a policy without ports: 9091 still answers', () => {
  expect(judgeNetworkPolicy({ before: open, after: open, denyAll })).toEqual([
    'with the policy 9091 still answered the probe Pod: nothing enforces NetworkPolicy here, or the policy names no ports',
  ]);
});

test('a policy whose from: misses the probe Pod: the allowed port is dropped too', () => {
  const after = { ...enforced, allowed: { ok: false, code: 'ETIMEDOUT' } };
  expect(judgeNetworkPolicy({ before: open, after, denyAll })).toEqual([
    "with the policy the allowed client did not reach 8080 (ETIMEDOUT): the policy's from: or ports: is wrong",
  ]);
});

test('a port refused, not dropped, is not the policy at work', () => {
  const after = { ...enforced, other: { ok: false, code: 'ECONNREFUSED' } };
  expect(judgeNetworkPolicy({ before: open, after, denyAll })).toEqual([
    'with the policy 9091 was ECONNREFUSED, not dropped (a timeout): something else refused it',
  ]);
});

test('a baseline that did not connect proves nothing', () => {
  const before = { ...open, other: { ok: false, code: 'ECONNREFUSED' } };
  expect(judgeNetworkPolicy({ before, after: enforced, denyAll })[0]).toMatch(
    /^before the policy the probe Pod did not reach both ports \(8080: connected, 9091: ECONNREFUSED\)/,
  );
});

test('loopback cut would mean the policy reached inside the Pod', () => {
  const after = { ...enforced, loopback: { ok: false, code: 'ETIMEDOUT' } };
  expect(judgeNetworkPolicy({ before: open, after, denyAll })).toEqual([
    'with the policy the app no longer reached its sidecar on 127.0.0.1:9090 (ETIMEDOUT)',
  ]);
});

test('deny-all: nothing from outside, everything inside the Pod', () => {
  expect(judgeNetworkPolicy({ before: open, after: enforced, denyAll: { ...denyAll, allowed: { ok: true } } })).toEqual([
    'under deny-all the probe Pod still reached 8080: the deny-all policy was not enforced',
  ]);
  expect(judgeNetworkPolicy({ before: open, after: enforced, denyAll: { ...denyAll, processed: 0 } })).toEqual([
    'under deny-all 0 of 5 messages went from the app to its sidecar and back: the policy reached inside the Pod',
  ]);
});
