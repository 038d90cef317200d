import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'a rollout under load loses nothing: the old Pod drains before it exits',
  commands: [
    {
      see: 'While the probe Pod sends messages through the Service, a rollout replaces the Pod: the old app logs what it drained, and no accepted message is lost.',
      run: `old=pod/$(pod)
k logs -f "$old" -c app > /tmp/podmates-old-app.log &
outside load http://podmates:8080 600 8 120000 verify 60 > /tmp/podmates-load.json &
sleep 3; k rollout restart deploy/podmates && k rollout status deploy/podmates --timeout=180s
wait; grep -o '"event":"drained"' /tmp/podmates-old-app.log; grep -o '"lost":\\[[^]]*\\]' /tmp/podmates-load.json`,
      shows: /successfully rolled out[\s\S]*"event":"drained"\n"lost":\[\]$/,
    },
  ],
};
