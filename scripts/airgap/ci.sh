#!/usr/bin/env bash
# ci.sh — what .ci/run calls to prove a real kind cluster works on this
# machine: with a reachable registry the official node image, without one
# the air-gapped build (build.sh), then smoke.sh (create, Ready, kind load +
# Pod, delete). Prints the build's phase timings. The air-gapped cluster is
# the three-node one (kind-config.multi-node.yaml): the demo proves one node
# already, this proves Pod traffic and a Service across nodes.
#
#   bash scripts/airgap/ci.sh            auto-detect registry access
#   AIRGAP_MODE=offline|official bash scripts/airgap/ci.sh
#
# The kind CLI is always `go install sigs.k8s.io/kind@$KIND_VERSION` (kind's
# documented install; release downloads from code hosts are not reachable).
set -euo pipefail

AIRGAP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$AIRGAP_DIR/../.." && pwd)"
# shellcheck source=versions.sh
source "$AIRGAP_DIR/versions.sh"
# shellcheck source=lib/common.sh
source "$AIRGAP_DIR/lib/common.sh"

bash "$REPO_DIR/scripts/host/ensure-docker.sh" >&2

mode=${AIRGAP_MODE:-auto}
if [[ $mode == auto ]]; then
  # Ask the Docker daemon (it is what would pull) whether Docker Hub answers;
  # bounded, as an unreachable registry may hang instead of failing.
  if image_exists "$OFFICIAL_NODE_IMAGE" ||
    timeout 30 docker search --limit 1 kindest/node >/dev/null 2>&1; then
    mode=official
  else
    mode=offline
  fi
fi
log "mode: $mode"

case $mode in
  official)
    image_exists "$OFFICIAL_NODE_IMAGE" || docker pull -q "$OFFICIAL_NODE_IMAGE" >/dev/null ||
      die "docker pull $OFFICIAL_NODE_IMAGE failed (AIRGAP_MODE=offline builds everything locally)"
    bash "$AIRGAP_DIR/build.sh" kind >&2
    exec bash "$AIRGAP_DIR/smoke.sh" --image "$OFFICIAL_NODE_IMAGE" --config "$AIRGAP_DIR/kind-config.official.yaml"
    ;;
  offline)
    bash "$AIRGAP_DIR/build.sh" >&2
    exec bash "$AIRGAP_DIR/smoke.sh" --config "$AIRGAP_DIR/kind-config.multi-node.yaml" --name podmates-airgap-multi-node
    ;;
  *) die "AIRGAP_MODE must be auto, offline or official" ;;
esac
