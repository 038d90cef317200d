// The bench's minimal Redis client (scripts/bench/resp.ts): RESP2 commands out, replies in.
import { expect, test } from 'vitest';
import { encodeCommand, parseValue, RespError } from '../../scripts/bench/resp.js';

test('a command goes out as an array of bulk strings, bytes and all', () => {
  expect(encodeCommand(['RPUSH', 'k', Buffer.from('v\r\n')]).toString()).toBe('*3\r\n$5\r\nRPUSH\r\n$1\r\nk\r\n$3\r\nv\r\n\r\n');
});

test('a reply parses whole or not at all, and the next one starts where it ended', () => {
  const blpop = Buffer.from('*2\r\n$1\r\nk\r\n$3\r\nabc\r\n:7\r\n');
  const first = parseValue(blpop, 0);
  expect(first).not.toBe(parseValue(Buffer.from('*2\r\n$1\r\nk\r\n$3\r\nab'), 0));
  if (typeof first === 'symbol') throw new Error('incomplete');
  expect(first.value).toEqual([Buffer.from('k'), Buffer.from('abc')]);
  expect(parseValue(blpop, first.next)).toEqual({ value: 7, next: blpop.length });
  expect(typeof parseValue(Buffer.from('$3\r\nab'), 0)).toBe('symbol');
});

test('a nil bulk string is null and an error reply a RespError', () => {
  expect(parseValue(Buffer.from('$-1\r\n'), 0)).toEqual({ value: null, next: 5 });
  const error = parseValue(Buffer.from('-ERR wrong\r\n'), 0);
  expect(typeof error !== 'symbol' && error.value).toBeInstanceOf(RespError);
});
