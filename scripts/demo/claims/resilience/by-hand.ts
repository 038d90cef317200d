import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'a queue outlives a container: messages sent while the sidecar restarts wait in it',
  commands: [
    {
      see: "Messages sent while the sidecar's process is stopped (its container restarts) are all processed after it is back.",
      run: `probe app roundtrip http://127.0.0.1:8080 100 60000 30 > /tmp/podmates-roundtrip.json &
sleep 2; k exec "$(pod)" -c sidecar -- node -e "process.kill(1, 'SIGTERM')"
wait; grep -o '"processed":[0-9]*,"lost":\\[[^]]*\\]' /tmp/podmates-roundtrip.json
k get pod "$(pod)" -o jsonpath='{.status.containerStatuses[?(@.name=="sidecar")].restartCount}{"\\n"}'`,
      shows: /"processed":100,"lost":\[\]\n[1-9]\d*$/,
    },
  ],
  restore: 'k wait --for=condition=Ready "pod/$(pod)" --timeout=180s',
};
