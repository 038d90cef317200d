#!/usr/bin/env bash
# smoke.sh — prove a kind cluster works with the given node image: create it,
# wait until the node is Ready, load a local image with `kind load
# docker-image`, run a Pod from it to completion; when the cluster has
# CoreDNS, also reach a Pod through a Service by its DNS name (kube-proxy +
# CoreDNS + CNI); delete the cluster. With more than one node (e.g.
# --config scripts/airgap/kind-config.multi-node.yaml) it routes Pod traffic
# between the nodes (route-pods.sh) and puts the web Pod and its client on
# different nodes: a Pod reached by its IP and through a Service across nodes.
#
#   scripts/airgap/smoke.sh [--kind PATH] [--image NODE_IMAGE] [--config FILE]
#                           [--name CLUSTER] [--keep]
# Defaults: the air-gapped build (versions.sh): $AIRGAP_CACHE/bin/kind-<v>/kind,
# $NODE_IMAGE, scripts/airgap/kind-config.yaml, cluster podmates-airgap-smoke.
# Environment: KUBECTL (default: the built one, else PATH), SMOKE_POD_IMAGE (default podmates-local/busybox:1.35.0-4_deb12u1_b1;
# must exist in the local Docker engine), SMOKE_READY_TIMEOUT (seconds, 300).
set -euo pipefail

AIRGAP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$AIRGAP_DIR/versions.sh"
# shellcheck source=lib/common.sh
source "$AIRGAP_DIR/lib/common.sh"

KIND=$AIRGAP_CACHE/bin/kind-$KIND_VERSION/kind
IMAGE=$NODE_IMAGE
CONFIG=$AIRGAP_DIR/kind-config.yaml
NAME=podmates-airgap-smoke
KEEP=0
POD_IMAGE=${SMOKE_POD_IMAGE:-podmates-local/busybox:1.35.0-4_deb12u1_b1}
READY_TIMEOUT=${SMOKE_READY_TIMEOUT:-300}

while (($#)); do
  case $1 in
    --kind) KIND=$2; shift ;;
    --image) IMAGE=$2; shift ;;
    --config) CONFIG=$2; shift ;;
    --name) NAME=$2; shift ;;
    --keep) KEEP=1 ;;
    -h | --help) print_help; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done

[[ -x $KIND ]] || die "kind not found at $KIND (run scripts/airgap/build.sh)"
image_exists "$IMAGE" || die "node image $IMAGE not in the local Docker engine"
image_exists "$POD_IMAGE" || die "pod image $POD_IMAGE not in the local Docker engine"
CTX=kind-$NAME
KUBECONFIG_FILE=$(mktemp /tmp/podmates-smoke-kubeconfig.XXXXXX)
# Our own kubectl matches the cluster's version; the one on PATH is older.
KUBECTL=${KUBECTL:-$(airgap_kubectl)}
kc() { "$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" --context "$CTX" "$@"; }

# The clusters this script made, one file each: a cluster of the same name
# that it did not make is someone's, and is never deleted.
MADE_HERE=$AIRGAP_CACHE/smoke-clusters
CREATED=0

cleanup() {
  local rc=$?
  if ((rc != 0 && CREATED == 1)) && "$KIND" get clusters 2>/dev/null | grep -x "$NAME" >/dev/null; then
    log "FAILED: diagnostics"
    kc get nodes -o wide >&2 || true
    kc get pods -A -o wide >&2 || true
    docker exec "$NAME-control-plane" sh -c 'journalctl -u kubelet --no-pager | tail -n 40; journalctl -u podmates-cni --no-pager | tail -n 5' >&2 || true
  fi
  if ((KEEP == 0 && CREATED == 1)); then
    phase delete "$KIND" delete cluster --name "$NAME" --kubeconfig "$KUBECONFIG_FILE" >&2 || true
    rm -f "$MADE_HERE/$NAME"
  elif ((CREATED == 1)); then
    log "kept cluster $NAME (kubeconfig $KUBECONFIG_FILE, context $CTX)"
  fi
  ((KEEP == 1)) || rm -f "$KUBECONFIG_FILE"
  exit "$rc"
}
trap cleanup EXIT

if "$KIND" get clusters 2>/dev/null | grep -x "$NAME" >/dev/null; then
  [[ -e $MADE_HERE/$NAME ]] || die "a kind cluster $NAME exists that smoke.sh did not make: delete it yourself, or give --name another name"
  log "deleting the cluster $NAME an earlier smoke.sh run left"
  "$KIND" delete cluster --name "$NAME" >&2
fi
mkdir -p "$MADE_HERE"
touch "$MADE_HERE/$NAME"
CREATED=1
phase create "$KIND" create cluster --name "$NAME" --image "$IMAGE" --config "$CONFIG" \
  --kubeconfig "$KUBECONFIG_FILE" --retain=false >&2

wait_ready() {
  kc wait --for=condition=Ready node --all --timeout="${READY_TIMEOUT}s" >&2
  kc get nodes -o wide >&2
}
phase node-ready wait_ready

NODES=$(kc get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')
NODE_COUNT=$(wc -l <<<"$NODES")
if ((NODE_COUNT > 1)); then
  phase routes env KUBECTL="$KUBECTL" bash "$AIRGAP_DIR/route-pods.sh" --kubeconfig "$KUBECONFIG_FILE" --context "$CTX" >&2
fi
# With several nodes, the web Pod goes on the last one and its client on the
# first: every request below then crosses from one node to another.
on_node() { ((NODE_COUNT > 1)) && echo "--overrides={\"apiVersion\":\"v1\",\"spec\":{\"nodeName\":\"$1\"}}"; true; }
WEB_NODE=$(tail -n 1 <<<"$NODES")
CLIENT_NODE=$(head -n 1 <<<"$NODES")

# Waits up to 2 minutes for Pod $1 to finish; prints its phase.
# (Its output is read with `kubectl logs` afterwards: `kubectl run --attach`
# can miss what a quick Pod prints before it attaches.)
pod_finished() { # pod
  local phase_now=""
  for _ in $(seq 1 120); do
    phase_now=$(kc get pod "$1" -o jsonpath='{.status.phase}')
    [[ $phase_now == Succeeded || $phase_now == Failed ]] && break
    sleep 1
  done
  echo "$phase_now"
}

load_and_run() {
  "$KIND" load docker-image --name "$NAME" "$POD_IMAGE" >&2
  # shellcheck disable=SC2016 # expanded by the Pod's shell
  kc run podmates-smoke --image="$POD_IMAGE" --image-pull-policy=Never --restart=Never \
    --command -- sh -c 'echo "podmates smoke: hello from $(hostname)"; ip -4 addr show eth0 2>/dev/null | grep inet || true' >&2
  local phase_now
  phase_now=$(pod_finished podmates-smoke)
  kc logs podmates-smoke >&2 || true
  [[ $phase_now == Succeeded ]] || { kc describe pod podmates-smoke >&2; die "smoke Pod ended in phase '$phase_now'"; }
  log "smoke Pod from $POD_IMAGE (loaded with kind load docker-image) Succeeded"
}
phase pod load_and_run

# A web Pod (busybox httpd) behind a Service, fetched by another Pod through
# the Service's DNS name: CoreDNS answers, kube-proxy routes the ClusterIP.
service_and_dns() {
  if ! kc -n kube-system get deployment coredns >/dev/null 2>&1; then
    log "no CoreDNS in this cluster: Service/DNS check skipped"
    return
  fi
  kc -n kube-system rollout status deployment/coredns --timeout=180s >&2
  local placement
  placement=$(on_node "$WEB_NODE")
  kc run podmates-smoke-web --image="$POD_IMAGE" --image-pull-policy=Never --restart=Never \
    --labels=app=podmates-smoke-web --port=8080 ${placement:+"$placement"} \
    --command -- sh -c 'mkdir -p /www && echo podmates-smoke-ok >/www/index.html && exec httpd -f -p 8080 -h /www' >&2
  kc expose pod podmates-smoke-web --name=podmates-smoke-web --port=80 --target-port=8080 >&2
  kc wait --for=condition=Ready pod/podmates-smoke-web --timeout=120s >&2
  local out="" web_ip
  web_ip=$(kc get pod podmates-smoke-web -o jsonpath='{.status.podIP}')
  # shellcheck disable=SC2016 # expanded by the Pod's shell
  # busybox's own nslookup asks CoreDNS; nc then fetches from the ClusterIP
  # (the static busybox's wget crashes in glibc's resolver, so no wget).
  placement=$(on_node "$CLIENT_NODE")
  kc run podmates-smoke-client --image="$POD_IMAGE" --image-pull-policy=Never --restart=Never \
    ${placement:+"$placement"} --env=WEB_IP="$web_ip" --command -- sh -c '
      printf "GET / HTTP/1.0\r\n\r\n" | nc -w 3 "$WEB_IP" 8080 | grep -q podmates-smoke-ok && echo "Pod IP $WEB_IP: reached"
      name=podmates-smoke-web.default.svc.cluster.local
      for _ in 1 2 3 4 5 6 7 8 9 10; do
        ip=$(nslookup "$name" 2>/dev/null | awk "/^Address: /{ print \$2 }" | tail -n 1)
        if [ -n "$ip" ]; then
          echo "resolved $name to $ip"
          printf "GET / HTTP/1.0\r\n\r\n" | nc -w 3 "$ip" 80 && exit 0
        fi
        sleep 2
      done
      exit 1' >&2
  pod_finished podmates-smoke-client >/dev/null
  out=$(kc logs podmates-smoke-client 2>&1) || true
  [[ $out == *"Pod IP $web_ip: reached"* ]] || die "the web Pod's IP $web_ip was not reached from another Pod: $out"
  [[ $out == *podmates-smoke-ok* ]] || die "Service/DNS check failed: $out"
  if ((NODE_COUNT > 1)); then
    log "across nodes: the web Pod on $WEB_NODE reached from a Pod on $CLIENT_NODE by its IP $web_ip and through its Service by DNS name (CoreDNS + kube-proxy + routes)"
  else
    log "Service by DNS name reached from another Pod (CoreDNS + kube-proxy + CNI)"
  fi
}
phase service-dns service_and_dns
log "OK: $IMAGE: cluster of $NODE_COUNT node(s) created, Ready, Pod ran"
