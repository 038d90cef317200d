#!/usr/bin/env bash
# route-pods.sh — routes Pod traffic between the nodes of a kind cluster made
# from the air-gapped node image: on every node, a route to each other node's
# Pod CIDR via that node's address, the routes kindnet would keep. The node's
# own CNI set-up (podmates-cni-config) cannot add them itself: a node's
# credentials read only its own Node object, and these routes need every
# node's. Run once the nodes are registered (they have a Pod CIDR); safe to
# run again. A one-node cluster needs none.
#
#   scripts/airgap/route-pods.sh --kubeconfig FILE --context CTX
# Environment: KUBECTL (default: kubectl on PATH).
set -euo pipefail

AIRGAP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$AIRGAP_DIR/lib/common.sh"

KUBECONFIG_FILE="${KUBECONFIG:-$HOME/.kube/config}"
CTX=""
while (($#)); do
  case $1 in
    --kubeconfig) KUBECONFIG_FILE=$2; shift ;;
    --context) CTX=$2; shift ;;
    -h | --help) print_help; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
[[ -n $CTX ]] || die "--context is required"
KUBECTL=${KUBECTL:-kubectl}

# One line a node: name, Pod CIDR, InternalIP (a node's container has its name).
nodes=$("$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" --context "$CTX" get nodes \
  -o jsonpath='{range .items[*]}{.metadata.name} {.spec.podCIDR} {.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}')
count=0
while read -r node cidr _; do
  [[ -n $node ]] || continue
  [[ -n $cidr ]] || die "node $node has no Pod CIDR yet: run this once every node is registered"
  count=$((count + 1))
done <<<"$nodes"
if ((count < 2)); then
  log "one node: no route needed"
  exit 0
fi

while read -r node _ _; do
  routes=()
  while read -r other cidr address; do
    [[ $other == "$node" ]] && continue
    docker exec "$node" ip route replace "$cidr" via "$address" ||
      die "cannot add the route to $cidr via $address on $node"
    routes+=("$cidr via $address")
  done <<<"$nodes"
  log "$node: $(IFS=,; echo "${routes[*]}" | sed 's/,/, /g')"
done <<<"$nodes"
