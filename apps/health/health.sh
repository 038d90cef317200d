#!/bin/bash
# The exec probe of a container whose server listens on 127.0.0.1 only (the
# sidecar): the kubelet probes from outside the Pod's network namespace, so the
# check has to run inside the container, once a period for each probe. It is a
# shell with bash's /dev/tcp, not a Node process: on kind, one exec of it cost
# about 0.1 CPU-second with runc's share, one of a Node probe twice that, and
# every sidecar runs two every 10 s (docs/services.md, measured 2026-12-07).
#
#   health.sh sidecar    GET http://127.0.0.1:$SIDECAR_PORT/healthz
#   health.sh app        GET http://127.0.0.1:$APP_PORT/healthz
#
# The port comes from the container's own environment (the kubelet does not
# expand variables in an exec command), so the probe follows the ConfigMap.
# Exit 0 on a 2xx answer within 2 s from the service asked for (the body
# names it: every container of a Pod reaches 127.0.0.1, so another one may
# hold the port, as in step 5g); else 1, and why on stderr, which the kubelet
# puts in the Pod's events.
set -u
case "${1:-}" in
  sidecar) port=${SIDECAR_PORT:-9090} ;;
  app) port=${APP_PORT:-8080} ;;
  *)
    echo 'usage: health.sh sidecar|app' >&2
    exit 2
    ;;
esac
url="http://127.0.0.1:$port/healthz"
# bash says why a connection failed (refused, …) before this line.
exec 3<>"/dev/tcp/127.0.0.1/$port" || {
  echo "health: $url: no connection" >&2
  exit 1
}
printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
if ! read -r -t 2 _ status _ <&3; then
  echo "health: $url: no answer within 2 s" >&2
  exit 1
fi
case "$status" in
  2??) ;;
  *)
    echo "health: $url answered ${status:-nothing}" >&2
    exit 1
    ;;
esac
# HTTP/1.0: the server closes after the body. The last line has no newline.
answer=''
while IFS= read -r -t 2 line <&3 || [ -n "$line" ]; do
  answer+="$line"
  line=''
done
case "$answer" in
  *"\"service\":\"$1\""*) exit 0 ;;
  *)
    echo "health: $url answered $status, but not as the $1: another container of the Pod holds 127.0.0.1:$port" >&2
    exit 1
    ;;
esac
