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
if "$KIND" get clusters 2>/dev/null | grep -qx "$NAME"; then
  log "reusing kind cluster $NAME"
  "$KIND" get kubeconfig --name "$NAME" >"$KUBECONFIG_FILE"
else
  phase create "$KIND" create cluster --name "$NAME" --image "$NODE_IMAGE" \
    --config "$AIRGAP_DIR/kind-config.multi-node.yaml" --kubeconfig "$KUBECONFIG_FILE" >&2
fi
chmod 0600 "$KUBECONFIG_FILE"
kc() { "$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" --context "kind-$NAME" "$@"; }
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
