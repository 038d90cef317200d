import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'a port is taken per address, and SO_REUSEPORT shares one',
  commands: [
    {
      see: "Beside the sidecar's 127.0.0.1:9090, the Pod IP's 9090 is free; 127.0.0.1:9090 itself is taken in the app's container too.",
      run: 'probe sidecar hold "$(pod_ip)" 9090 0; probe app hold 127.0.0.1 9090 0',
      shows: /^\{"ok":true,[^\n]*\n\{"ok":false,"code":"EADDRINUSE"\}$/,
    },
    {
      see: 'Two listeners that ask for SO_REUSEPORT, one per container, hold 127.0.0.1:7777 together and share 40 connections (they wait for each other through files in /shared, which both mount; the listeners print when they let go).',
      run: `probe app --ready /shared/hand-app --until /shared/hand-done hold 127.0.0.1 7777 30000 reuseport &
probe sidecar --ready /shared/hand-sidecar --until /shared/hand-done hold 127.0.0.1 7777 30000 reuseport &
probe app --when /shared/hand-app,/shared/hand-sidecar --then /shared/hand-done connect-many 127.0.0.1 7777 40
wait`,
      shows: /^(?=[\s\S]*\{"connected":40,"failed":\[\]\})(?:[\s\S]*"accepted":[1-9]\d*\}){2}/,
    },
  ],
};
