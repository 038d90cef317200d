#!/usr/bin/env bash
# multi-node.sh — the air-gapped cluster that looks like a user's: three kind
# nodes (kind-config.multi-node.yaml) with Pod traffic routed between them
# (route-pods.sh) and the local registry (registry.sh), kept until deleted.
# Its kubeconfig is a file of its own: your current kubectl context stays.
#
#   scripts/airgap/multi-node.sh [--name NAME]            create it (or reuse it) and print how to use it
#   scripts/airgap/multi-node.sh --delete [--name NAME]   delete it (the registry stays: registry.sh stop)
# Default name podmates-multi; kubeconfig ~/.kube/kind-NAME.yaml (as the demo names its own).
set -euo pipefail

AIRGAP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$AIRGAP_DIR/versions.sh"
# shellcheck source=lib/common.sh
source "$AIRGAP_DIR/lib/common.sh"

NAME=podmates-multi
DELETE=0
while (($#)); do
  case $1 in
    --name) NAME=$2; shift ;;
    --delete) DELETE=1 ;;
    -h | --help) print_help; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
KIND=${KIND:-$AIRGAP_CACHE/bin/kind-$KIND_VERSION/kind}
KUBECTL=${KUBECTL:-$(airgap_kubectl)}
KUBECONFIG_FILE=$HOME/.kube/kind-$NAME.yaml
[[ -x $KIND ]] || die "kind not found at $KIND (run scripts/airgap/build.sh)"

if ((DELETE)); then
  "$KIND" delete cluster --name "$NAME" --kubeconfig "$KUBECONFIG_FILE" >&2
  rm -f "$KUBECONFIG_FILE"
  exit 0
fi

image_exists "$NODE_IMAGE" || die "node image $NODE_IMAGE missing (run scripts/airgap/build.sh)"
mkdir -p "$(dirname "$KUBECONFIG_FILE")"
# Not grep -q: it would stop reading at the match, and with pipefail kind's
# SIGPIPE would make a cluster listed before others look missing.
if "$KIND" get clusters 2>/dev/null | grep -x "$NAME" >/dev/null; then
  log "reusing kind cluster $NAME"
  # Stopped with the machine: kind has no command to start a cluster, so its
  # node containers are started here (kind reads the kubeconfig from one).
  # Docker may give them other addresses than they were made at (they swap
  # when started in another order), and their control plane names the old
  # ones: a node that moved is put back at its own (scripts/lib/kind.ts does
  # the same for the demo's clusters).
  nodes=$("$KIND" get nodes --name "$NAME")
  for node in $nodes; do
    [[ $(docker inspect -f '{{.State.Running}}' "$node") == true ]] || { log "starting $node"; docker start "$node" >/dev/null; }
  done
  moved=()
  for node in $nodes; do
    made=$(docker exec "$node" sed -n 's/^ *node-ip: *//p' /kind/kubeadm.conf | head -n 1)
    now=$(docker inspect -f '{{.NetworkSettings.Networks.kind.IPAddress}}' "$node")
    [[ -z $made || $made == "$now" ]] || { log "$node came back at $now, not $made: giving it its address back"; moved+=("$node=$made"); }
  done
  if ((${#moved[@]})); then
    docker stop "${moved[@]%%=*}" >/dev/null
    for entry in "${moved[@]}"; do docker network disconnect kind "${entry%%=*}"; done
    for entry in "${moved[@]}"; do docker network connect --ip "${entry#*=}" kind "${entry%%=*}"; done
    docker start "${moved[@]%%=*}" >/dev/null
  fi
  "$KIND" get kubeconfig --name "$NAME" >"$KUBECONFIG_FILE"
  REUSED=1
else
  phase create "$KIND" create cluster --name "$NAME" --image "$NODE_IMAGE" \
    --config "$AIRGAP_DIR/kind-config.multi-node.yaml" --kubeconfig "$KUBECONFIG_FILE" >&2
fi
chmod 0600 "$KUBECONFIG_FILE"
kc() { "$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" --context "kind-$NAME" "$@"; }
# A control plane that has just started again answers errors for some
# seconds: nothing is applied before its /readyz says ok.
api_ready() {
  local deadline=$((SECONDS + 180))
  until kc get --raw /readyz --request-timeout=5s >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "the API server of kind cluster $NAME is not ready after 180 s ($(kc get --raw /readyz --request-timeout=5s 2>&1 | tail -c 300)); delete it ($0 --delete --name $NAME) and run again"
    sleep 1
  done
}
((${REUSED:-0})) && phase api-ready api_ready
phase nodes-ready kc wait --for=condition=Ready node --all --timeout=300s >&2
phase routes env KUBECTL="$KUBECTL" bash "$AIRGAP_DIR/route-pods.sh" --kubeconfig "$KUBECONFIG_FILE" --context "kind-$NAME"
# The NetworkPolicy enforcer, as the demo starts it on its own cluster (its
# image is in the node image).
phase network-policies kc apply -f "$AIRGAP_DIR/../../manifests/cluster/network-policies.yaml" >&2
phase network-policies-ready kc -n kube-system rollout status daemonset/kube-network-policies --timeout=120s >&2
phase registry bash "$AIRGAP_DIR/registry.sh" start
phase registry-connect bash "$AIRGAP_DIR/registry.sh" connect "$NAME"
kc get nodes -o wide >&2
log "ready: KUBECONFIG=$KUBECONFIG_FILE npm run demo -- --context kind-$NAME --registry localhost:5001"
