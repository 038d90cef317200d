// The live page's event streams at SIGTERM: close() ends them at once and
// takes no more, whatever a read of the Pod's state would do by then.
import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { expect, test } from 'vitest';
import type { PodState } from '../../apps/app/pod-state.js';
import { StateFeed } from '../../apps/app/state-feed.js';

/** The part of an express Response the feed uses. */
class FakeStream extends EventEmitter {
  written: string[] = [];
  ended = false;
  writableLength = 0;
  write(chunk: string): boolean {
    this.written.push(chunk);
    return true;
  }
  end(): void {
    this.ended = true;
    this.emit('close');
  }
  destroy(): void {
    this.emit('close');
  }
}

const stream = () => new FakeStream() as unknown as Response & FakeStream;

test('close() ends every open stream though the state is never read again', () => {
  // A state read that never settles: the Pod's sidecar gone, say.
  const feed = new StateFeed(() => new Promise<PodState>(() => undefined));
  const [one, two] = [stream(), stream()];
  expect(feed.subscribe(one)).toBe(true);
  expect(feed.subscribe(two)).toBe(true);
  expect(feed.open).toBe(2);
  feed.close();
  expect([one.ended, two.ended]).toEqual([true, true]);
  expect(feed.open).toBe(0);
});

test('a closed feed takes no new stream', () => {
  const feed = new StateFeed(() => new Promise<PodState>(() => undefined));
  feed.close();
  expect(feed.closed).toBe(true);
  expect(feed.subscribe(stream())).toBe(false);
  expect(feed.open).toBe(0);
});
