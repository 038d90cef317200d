import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'a container SIGKILLed, as the OOM killer does, loses no message',
  commands: [
    {
      see: "The sidecar's process SIGKILLed from the node (a kind node is a Docker container; from inside the container PID 1 cannot be killed) while messages flow: the kubelet restarts it in the same Pod, and every message is processed.",
      run: `probe app roundtrip http://127.0.0.1:8080 200 90000 20 > /tmp/podmates-roundtrip.json &
sleep 2
node=$(k get pod "$(pod)" -o jsonpath='{.spec.nodeName}')
id=$(k get pod "$(pod)" -o jsonpath='{.status.containerStatuses[?(@.name=="sidecar")].containerID}')
docker exec "$node" kill -KILL "$(docker exec "$node" crictl inspect --output go-template --template '{{.info.pid}}' "\${id#containerd://}")"
wait; grep -o '"processed":[0-9]*,"lost":\\[[^]]*\\]' /tmp/podmates-roundtrip.json
k wait --for=condition=Ready "pod/$(pod)" --timeout=120s > /dev/null
k get pod "$(pod)" -o jsonpath='{.status.containerStatuses[?(@.name=="sidecar")].lastState.terminated.exitCode}{"\\n"}'`,
      shows: /"processed":200,"lost":\[\]\n137$/,
    },
  ],
  restore: 'k wait --for=condition=Ready "pod/$(pod)" --timeout=180s',
};
