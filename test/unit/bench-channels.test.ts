// The bench's one list of channels (scripts/bench/channels/index.ts) and what is derived from it.
import { expect, test } from 'vitest';
import { CHANNEL_NAMES, CHANNELS, channelInfo, isChannelName, isCReference, NODE_CHANNELS } from '../../scripts/bench/channels/index.js';

test("the channels come in the documented order: the C references, then the issue's order", () => {
  expect(CHANNEL_NAMES).toEqual(['c-limit', 'c-busy', 'mq', 'mq-raw', 'http', 'tcp', 'uds', 'uds-path', 'redis']);
});

test('every channel has a label and a colour no other channel has', () => {
  const labels = CHANNELS.map((channel) => channel.label);
  const colours = CHANNELS.map((channel) => channel.colour.toLowerCase());
  expect(new Set(labels).size).toBe(CHANNELS.length);
  expect(new Set(colours).size).toBe(CHANNELS.length);
  for (const colour of colours) expect(colour).toMatch(/^#[0-9a-f]{6}$/);
});

test('the Node channels are every channel but the two C references, in the same order', () => {
  expect(CHANNEL_NAMES.filter(isCReference)).toEqual(['c-limit', 'c-busy']);
  expect([...NODE_CHANNELS.keys()]).toEqual(CHANNEL_NAMES.filter((name) => !isCReference(name)));
});

test("a channel is found by its name, and only a listed name is a channel's", () => {
  expect(channelInfo('mq')).toMatchObject({ label: 'POSIX MQ, project path', colour: '#d62728' });
  expect(channelInfo('c-limit').label).toBe('C limit: blocking mq_receive');
  expect(isChannelName('uds-path')).toBe(true);
  expect(isChannelName('pigeon')).toBe(false);
});
