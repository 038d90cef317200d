#!/usr/bin/env bash
# build.sh — build a kind CLI and a kind node image without any container
# registry (see README "Offline / air-gapped clusters").
#
#   scripts/airgap/build.sh            all phases (cached ones take seconds)
#   scripts/airgap/build.sh PHASE…     only these phases, in this order
#
# Phases: kind pause crictl runtime kubernetes etcd coredns netpol images base node userns
# Output: kind CLI at $AIRGAP_CACHE/bin/kind-<v>/kind (also printed last) and
# the docker images $NODE_IMAGE and $USERNS_NODE_IMAGE (see versions.sh).
# Timings: each phase logs its duration; the summary is in
# $AIRGAP_CACHE/timings-<date>.txt.
# Needs: root, Go at $GO_BIN, a running Docker Engine
# (scripts/host/ensure-docker.sh), debootstrap, gcc and libseccomp-dev (runc).
set -euo pipefail

AIRGAP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$AIRGAP_DIR/versions.sh"
# shellcheck source=lib/common.sh
source "$AIRGAP_DIR/lib/common.sh"
# shellcheck source=lib/go-binaries.sh
source "$AIRGAP_DIR/lib/go-binaries.sh"
# shellcheck source=lib/images.sh
source "$AIRGAP_DIR/lib/images.sh"
# shellcheck source=lib/node-image.sh
source "$AIRGAP_DIR/lib/node-image.sh"

ALL_PHASES=(kind pause crictl runtime kubernetes etcd coredns netpol images base node userns)

main() {
  local phases=("$@") p
  ((${#phases[@]})) || phases=("${ALL_PHASES[@]}")
  [[ $EUID -eq 0 ]] || die "run as root"
  [[ -x $GO_BIN ]] || die "Go not found at $GO_BIN (set GO_BIN)"
  mkdir -p "$AIRGAP_CACHE"
  exec 8>"$AIRGAP_CACHE/.lock"
  flock -n 8 || { log "another build.sh holds $AIRGAP_CACHE/.lock; waiting"; flock 8; }
  AIRGAP_TIMINGS=$AIRGAP_CACHE/timings-$(date -u +%Y%m%dT%H%M%SZ).txt
  export AIRGAP_TIMINGS
  log "kind $KIND_VERSION, Kubernetes $KUBE_VERSION, etcd $ETCD_VERSION, node image $NODE_IMAGE"
  # Another Go usually works; saying so keeps a difference from CI visible.
  local go_found
  go_found=$("$GO_BIN" env GOVERSION)
  [[ $go_found == "go$GO_VERSION" ]] || log "note: building with $go_found; the pinned Go is go$GO_VERSION (versions.sh)"
  for p in "${phases[@]}"; do
    case $p in
      kind) phase kind build_kind ;;
      kubernetes) phase kubernetes build_kubernetes ;;
      etcd) phase etcd build_etcd ;;
      coredns) phase coredns build_coredns ;;
      netpol) phase netpol build_netpol ;;
      pause) phase pause build_pause ;;
      crictl) phase crictl build_crictl ;;
      runtime) phase runtime build_runtime ;;
      images) phase images build_component_images ;;
      base) phase base build_base_image ;;
      node) phase node build_node_image ;;
      userns) phase userns build_userns_node_image ;;
      *) die "unknown phase '$p' (phases: ${ALL_PHASES[*]})" ;;
    esac
  done
  local total=$(($(date +%s%3N) - LOG_T0))
  printf '%-22s %7d.%01ds\n' total $((total / 1000)) $((total % 1000 / 100)) >>"$AIRGAP_TIMINGS"
  log "timings ($AIRGAP_TIMINGS):"
  sed 's/^/    /' "$AIRGAP_TIMINGS" >&2
  echo "KIND=$KIND_BIN_DIR/kind"
  echo "NODE_IMAGE=$NODE_IMAGE"
}

main "$@"
