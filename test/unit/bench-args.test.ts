// The bench's command line (scripts/bench/args.ts): the options, the channels
// a run measures, and the order each round visits them in.
import { expect, test } from 'vitest';
import { parseArgs, roundOrder, selectedChannels } from '../../scripts/bench/args.js';

test('with no options the bench runs in the box alone, every channel, at niceness 0', () => {
  expect(parseArgs([])).toMatchObject({
    targets: [],
    cluster: 'podmates',
    smoke: false,
    json: false,
    rounds: null,
    nice: 0,
    channels: null,
  });
});

test('flags and values are read in either form, a negative niceness with =', () => {
  expect(parseArgs(['--smoke', '--json', '--rounds', '2', '--out=x', '--nice=-5'])).toMatchObject({
    smoke: true,
    json: true,
    rounds: 2,
    outDir: 'x',
    nice: -5,
  });
});

test('--target takes compose, kind or both, and box is always there without being named', () => {
  expect(parseArgs(['--target', 'kind']).targets).toEqual(['kind']);
  expect(parseArgs(['--target', 'compose,kind', '--cluster', 'other'])).toMatchObject({ targets: ['compose', 'kind'], cluster: 'other' });
  expect(parseArgs(['--target', 'box']).targets).toEqual([]);
});

test('--channels keeps the report order and always adds the two C references', () => {
  expect(parseArgs(['--channels', 'redis,mq']).channels).toEqual(['c-limit', 'c-busy', 'mq', 'redis']);
});

test('a wrong option is refused with a message that says what is wrong', () => {
  expect(() => parseArgs(['--target', 'docker'])).toThrow(/--target takes compose, kind or both \(compose,kind\), not "docker"/);
  expect(() => parseArgs(['--channels', 'pigeon'])).toThrow(/unknown channel pigeon/);
  expect(() => parseArgs(['--rounds', '0'])).toThrow(/--rounds must be/);
  // node:util's parseArgs words these two.
  expect(() => parseArgs(['--rounds'])).toThrow(/'--rounds <value>' argument missing/);
  expect(() => parseArgs(['--fast'])).toThrow(/Unknown option '--fast'/);
  expect(() => parseArgs(['--out='])).toThrow(/--out needs a value/);
});

test('a smoke run leaves out the calibration row mq-raw, a full run keeps it', () => {
  expect(selectedChannels({ channels: null, smoke: true })).not.toContain('mq-raw');
  expect(selectedChannels({ channels: null, smoke: false })).toContain('mq-raw');
});

test('each round starts with another channel', () => {
  expect(roundOrder(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
  expect(roundOrder(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
  expect(roundOrder(['a', 'b', 'c'], 3)).toEqual(['a', 'b', 'c']);
  expect(roundOrder([], 2)).toEqual([]);
});
