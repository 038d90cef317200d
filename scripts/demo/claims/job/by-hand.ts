import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'a Job with native sidecars completes when its work exits; with regular sidecar containers it never does',
  commands: [
    {
      see: 'The app and the sidecar as native sidecars: work sends 20 messages through them and exits 0, the kubelet stops both, the Job completes.',
      run: `k apply -k manifests/jobs/native-sidecar && k wait --for=condition=complete job/podmates-job-native --timeout=120s
k logs job/podmates-job-native -c work | grep -o '"processed":[0-9]*,"lost":\\[\\]'`,
      shows: /job\.batch\/podmates-job-native condition met\n"processed":20,"lost":\[\]$/,
    },
    {
      see: 'The same containers as regular ones: work exits 0 (Completed), the app and the sidecar run on, and the Job stays active: no completion time.',
      run: `k apply -k manifests/jobs/regular-sidecar; sleep 40
k get pod -l batch.kubernetes.io/job-name=podmates-job-regular -o jsonpath='{range .items[0].status.containerStatuses[*]}{.name}={.state}{"\\n"}{end}' | grep -o '^[a-z]*={"[a-z]*"'
k get job podmates-job-regular -o jsonpath='active={.status.active} completionTime={.status.completionTime}{"\\n"}'`,
      shows: /app=\{"running"\nsidecar=\{"running"\nwork=\{"terminated"\nactive=1 completionTime=$/,
    },
  ],
  restore: 'k delete job podmates-job-native podmates-job-regular --cascade=foreground',
};
