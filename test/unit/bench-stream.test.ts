// The byte-stream channels' framing (scripts/bench/channels/stream.ts): a
// 4-byte big-endian length, then the payload.
import { expect, test } from 'vitest';
import { FrameReader, frame } from '../../scripts/bench/channels/stream.js';

test('a frame is the payload after its length in 4 big-endian bytes', () => {
  expect([...frame(Buffer.from('abc'))]).toEqual([0, 0, 0, 3, 0x61, 0x62, 0x63]);
  expect([...frame(Buffer.alloc(0))]).toEqual([0, 0, 0, 0]);
});

test('frames split across chunks and several frames in one chunk are both read whole', () => {
  const frames: string[] = [];
  const reader = new FrameReader((whole) => frames.push(whole.subarray(4).toString()));
  const stream = Buffer.concat([frame(Buffer.from('one')), frame(Buffer.from('')), frame(Buffer.from('three'))]);
  reader.push(stream.subarray(0, 2));
  reader.push(stream.subarray(2, 9));
  reader.push(stream.subarray(9));
  expect(frames).toEqual(['one', '', 'three']);
});
