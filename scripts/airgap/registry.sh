#!/usr/bin/env bash
# registry.sh — a container registry on this machine, made without pulling
# one: distribution (the CNCF registry) built static from the Go module
# proxy, in an image FROM scratch, run as two containers over one volume:
#   podmates-registry-push  read-write, on a Docker network of its own,
#                           published on 127.0.0.1:5001 only: this machine
#                           pushes to localhost:5001 (Docker speaks plain
#                           HTTP to a localhost registry);
#   podmates-registry       read-only (the volume mounted read-only, the
#                           registry in its read-only mode), on Docker's
#                           network "kind": the nodes of a kind cluster made
#                           with kind-config.multi-node.yaml pull
#                           localhost:5001/... from http://podmates-registry:5000
#                           once `connect` has told their containerd so.
# So a container on the kind network can pull what was pushed, and push
# nothing (test/kind/multi-node.test.ts tries).
#
#   scripts/airgap/registry.sh start            build what is missing, run it (kept across runs)
#   scripts/airgap/registry.sh connect CLUSTER  point that kind cluster's nodes at it
#   scripts/airgap/registry.sh stop             remove the containers, their network and volume
set -euo pipefail

AIRGAP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$AIRGAP_DIR/versions.sh"
# shellcheck source=lib/common.sh
source "$AIRGAP_DIR/lib/common.sh"
# shellcheck source=lib/go-binaries.sh
source "$AIRGAP_DIR/lib/go-binaries.sh"

NAME=podmates-registry
PUSH_NAME=podmates-registry-push
PUSH_NETWORK=podmates-registry-push
VOLUME=podmates-registry
HOST_PORT=5001
CONFIG_DIR=$AIRGAP_DIR/registry
REGISTRY_BIN_DIR=$BIN_ROOT/distribution-$DISTRIBUTION_VERSION
# The tag changes with the configuration, so a changed one is rebuilt.
REGISTRY_IMAGE=$REGISTRY_IMAGE_NAME:distribution-$DISTRIBUTION_VERSION-$(cat "$CONFIG_DIR"/*.yml | sha256sum | cut -c1-12)
KIND=${KIND:-$AIRGAP_CACHE/bin/kind-$KIND_VERSION/kind}

build_image() {
  image_exists "$REGISTRY_IMAGE" && return
  go_install_stamped "$REGISTRY_BIN_DIR" "github.com/distribution/distribution/v3/cmd/registry@$DISTRIBUTION_VERSION" || true
  local ctx
  ctx=$(mktemp -d)
  cp "$REGISTRY_BIN_DIR/registry" "$CONFIG_DIR"/*.yml "$ctx/"
  mkdir "$ctx/data"
  # Blobs and manifests go to /data (a named volume, so they outlive the
  # containers); no shell, no root.
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM scratch
COPY registry /registry
COPY store.yml reader.yml /etc/distribution/
COPY --chown=65532:65532 data /data
USER 65532:65532
EXPOSE 5000
ENTRYPOINT ["/registry", "serve"]
DOCKERFILE
  # The classic builder: FROM scratch needs no registry and no BuildKit.
  DOCKER_BUILDKIT=0 docker build -q -t "$REGISTRY_IMAGE" "$ctx" >"$ctx.log" 2>&1 || {
    cat "$ctx.log" >&2
    die "docker build $REGISTRY_IMAGE failed"
  }
  rm -rf "$ctx" "$ctx.log"
  log "built $REGISTRY_IMAGE"
}

running() { # container
  [[ $(docker inspect -f '{{.State.Running}} {{.Config.Image}}' "$1" 2>/dev/null) == "true $REGISTRY_IMAGE" ]]
}

# Until GET /v2/ at $1 answers.
answers() { # url
  local _
  for _ in $(seq 1 50); do
    curl -fsS "$1/v2/" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

start() {
  build_image
  if running "$PUSH_NAME" && running "$NAME"; then
    log "$NAME already running: push to localhost:$HOST_PORT"
    return
  fi
  # Anything else under these names (an older registry) goes first.
  docker rm -f "$NAME" "$PUSH_NAME" >/dev/null 2>&1 || true
  # kind's network exists once a cluster was made; create it otherwise, as kind would.
  docker network inspect kind >/dev/null 2>&1 || docker network create kind >/dev/null
  docker network inspect "$PUSH_NETWORK" >/dev/null 2>&1 || docker network create "$PUSH_NETWORK" >/dev/null
  local hardened=(--restart=unless-stopped --read-only --cap-drop=ALL --security-opt no-new-privileges)
  docker run -d --name "$PUSH_NAME" --network "$PUSH_NETWORK" -p "127.0.0.1:$HOST_PORT:5000" \
    -v "$VOLUME:/data" "${hardened[@]}" "$REGISTRY_IMAGE" /etc/distribution/store.yml >/dev/null ||
    die "docker run $PUSH_NAME failed"
  docker run -d --name "$NAME" --network kind -v "$VOLUME:/data:ro" "${hardened[@]}" \
    "$REGISTRY_IMAGE" /etc/distribution/reader.yml >/dev/null ||
    die "docker run $NAME failed"
  answers "http://127.0.0.1:$HOST_PORT" || die "$PUSH_NAME does not answer on 127.0.0.1:$HOST_PORT: $(docker logs --tail 5 "$PUSH_NAME" 2>&1)"
  local reader
  reader=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$NAME")
  answers "http://$reader:5000" || die "$NAME does not answer on the kind network: $(docker logs --tail 5 "$NAME" 2>&1)"
  log "registry running: push to localhost:$HOST_PORT; kind nodes pull from http://$NAME:5000 (read-only)"
}

stop() {
  docker rm -f "$NAME" "$PUSH_NAME" >/dev/null 2>&1 || true
  docker network rm "$PUSH_NETWORK" >/dev/null 2>&1 || true
  docker volume rm "$VOLUME" >/dev/null 2>&1 || true
  log "registry removed ($NAME, $PUSH_NAME, their network and volume)"
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
  stop) stop ;;
  -h | --help | "") print_help ;;
  *) die "unknown command $1 (start, connect CLUSTER, stop)" ;;
esac
