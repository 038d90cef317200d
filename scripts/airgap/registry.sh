#!/usr/bin/env bash
# registry.sh — a container registry on this machine, made without pulling
# one: crane (go-containerregistry, from the Go module proxy) built static,
# in an image FROM scratch, run as the container podmates-registry on
# Docker's network "kind", published on 127.0.0.1:5001 only. This machine
# pushes to localhost:5001 (Docker speaks plain HTTP to a localhost
# registry); the nodes of a kind cluster made with
# kind-config.multi-node.yaml pull localhost:5001/... from
# http://podmates-registry:5000 once `connect` has told their containerd so.
#
#   scripts/airgap/registry.sh start            build what is missing, run it (kept across runs)
#   scripts/airgap/registry.sh connect CLUSTER  point that kind cluster's nodes at it
#   scripts/airgap/registry.sh stop             remove the container and its volume
set -euo pipefail

AIRGAP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$AIRGAP_DIR/versions.sh"
# shellcheck source=lib/common.sh
source "$AIRGAP_DIR/lib/common.sh"
# shellcheck source=lib/go-binaries.sh
source "$AIRGAP_DIR/lib/go-binaries.sh"

NAME=podmates-registry
HOST_PORT=5001
CRANE_BIN_DIR=$BIN_ROOT/crane-$CRANE_VERSION
KIND=${KIND:-$AIRGAP_CACHE/bin/kind-$KIND_VERSION/kind}

build_image() {
  image_exists "$REGISTRY_IMAGE" && return
  go_install_stamped "$CRANE_BIN_DIR" "github.com/google/go-containerregistry/cmd/crane@$CRANE_VERSION" || true
  local ctx
  ctx=$(mktemp -d)
  cp "$CRANE_BIN_DIR/crane" "$ctx/crane"
  mkdir "$ctx/data"
  # Blobs go to /data (a named volume, so they outlive the container); no
  # shell, no root.
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM scratch
COPY crane /crane
COPY --chown=65532:65532 data /data
USER 65532:65532
EXPOSE 5000
ENTRYPOINT ["/crane", "registry", "serve", "--address", ":5000", "--disk", "/data"]
DOCKERFILE
  # The classic builder: FROM scratch needs no registry and no BuildKit.
  DOCKER_BUILDKIT=0 docker build -q -t "$REGISTRY_IMAGE" "$ctx" >"$ctx.log" 2>&1 || {
    cat "$ctx.log" >&2
    die "docker build $REGISTRY_IMAGE failed"
  }
  rm -rf "$ctx" "$ctx.log"
  log "built $REGISTRY_IMAGE"
}

start() {
  build_image
  if [[ $(docker inspect -f '{{.State.Running}}' "$NAME" 2>/dev/null) == true ]]; then
    log "$NAME already running: localhost:$HOST_PORT"
    return
  fi
  docker rm -f "$NAME" >/dev/null 2>&1 || true
  # kind's network exists once a cluster was made; create it otherwise, as kind would.
  docker network inspect kind >/dev/null 2>&1 || docker network create kind >/dev/null
  docker run -d --name "$NAME" --restart=unless-stopped --network kind \
    -p "127.0.0.1:$HOST_PORT:5000" -v podmates-registry:/data \
    --read-only --cap-drop=ALL --security-opt no-new-privileges "$REGISTRY_IMAGE" >/dev/null ||
    die "docker run $REGISTRY_IMAGE failed"
  local _
  for _ in $(seq 1 50); do
    curl -fsS "http://127.0.0.1:$HOST_PORT/v2/" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "http://127.0.0.1:$HOST_PORT/v2/" >/dev/null || die "$NAME does not answer on 127.0.0.1:$HOST_PORT"
  log "$NAME running: push to localhost:$HOST_PORT/<image>; kind nodes pull it from http://$NAME:5000"
}

# containerd reads a registry host's hosts.toml at each pull (config_path,
# set by kind-config.multi-node.yaml): no restart is needed.
connect() { # cluster
  local cluster=$1 node dir="/etc/containerd/certs.d/localhost:$HOST_PORT" nodes
  nodes=$("$KIND" get nodes --name "$cluster")
  [[ -n $nodes ]] || die "kind cluster $cluster has no nodes"
  for node in $nodes; do
    docker exec -i "$node" sh -c "mkdir -p '$dir' && cat > '$dir/hosts.toml'" <<TOML
# localhost:$HOST_PORT on this machine is the registry container $NAME.
server = "http://$NAME:5000"
[host."http://$NAME:5000"]
  capabilities = ["pull", "resolve"]
TOML
  done
  log "nodes of $cluster pull localhost:$HOST_PORT/... from $NAME: $(echo "$nodes" | tr '\n' ' ')"
}

case ${1:-} in
  start) start ;;
  connect) [[ -n ${2:-} ]] || die "usage: registry.sh connect CLUSTER"; connect "$2" ;;
  stop) docker rm -f "$NAME" >/dev/null 2>&1 || true; docker volume rm podmates-registry >/dev/null 2>&1 || true; log "$NAME removed" ;;
  -h | --help | "") print_help ;;
  *) die "unknown command $1 (start, connect CLUSTER, stop)" ;;
esac
