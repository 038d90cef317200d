import { expect, test } from 'vitest';
import { createLogger } from '../../apps/shared/log.js';

test('one JSON object per line, with service, level and event', () => {
  const lines: string[] = [];
  createLogger('sidecar', (line) => lines.push(line)).warn('reply_queue_full', { id: 'x' });
  expect(lines).toHaveLength(1);
  expect(lines[0]!.endsWith('\n')).toBe(true);
  expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', service: 'sidecar', event: 'reply_queue_full', id: 'x' });
});
