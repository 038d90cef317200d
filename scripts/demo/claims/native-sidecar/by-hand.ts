import { BACK_TO_BASE, applyOverlay, type ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'a native sidecar is serving before the app starts, and is stopped after the app',
  commands: [
    applyOverlay('native-sidecar', 'The overlay makes the sidecar an init container with restartPolicy: Always and a startup probe.'),
    {
      see: "The Pod's lifecycle record, one line per event of either container on the volume both mount: the sidecar's first health check answered comes before the app's start (dated when its process was exec'd).",
      run: `k exec "$(pod)" -c app -- cat /shared/lifecycle.jsonl`,
      shows: /"container":"sidecar","event":"first_health_check"[\s\S]*"container":"app","event":"starting"/,
    },
    {
      see: 'The Pod deleted while both logs are followed: merged in time order, the app gets SIGTERM (after its 5 s preStop) and stops, and only then does the sidecar get its SIGTERM.',
      run: `p=$(pod)
k logs -f "$p" -c app > /tmp/podmates-app.log & k logs -f "$p" -c sidecar > /tmp/podmates-sidecar.log &
k delete pod "$p" > /dev/null; wait
cat /tmp/podmates-app.log /tmp/podmates-sidecar.log | grep -E '"event":"stop(ping|ped)"' | sort | grep -o '"service":"[a-z]*","event":"[a-z]*"'`,
      shows:
        /^"service":"app","event":"stopping"\n"service":"app","event":"stopped"\n"service":"sidecar","event":"stopping"\n"service":"sidecar","event":"stopped"$/,
    },
  ],
  restore: BACK_TO_BASE,
};
