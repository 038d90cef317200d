# shellcheck shell=bash
# node-image.sh — the kind node base image (Debian packages + our node files)
# and the node image assembled from it the way kind's own node build works:
# run the base, copy in the binaries, write /kind/version, import the images
# into containerd's k8s.io namespace (pinned), commit.

NODE_FILES_DIR=$AIRGAP_DIR/node/rootfs
INPUTS_LABEL=io.podmates.airgap.inputs

image_inputs() { docker image inspect -f "{{index .Config.Labels \"$INPUTS_LABEL\"}}" "$1" 2>/dev/null || true; }

base_inputs_hash() {
  {
    echo "$DEBIAN_SUITE $NODE_PACKAGES $CRICTL_VERSION"
    sha256sum "$CRICTL_BIN_DIR/crictl"
    (cd "$NODE_FILES_DIR" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
    declare -f build_base_image
  } | sha256sum | cut -c1-16
}

build_base_image() {
  stamped "$CRICTL_BIN_DIR" || die "crictl missing: run the crictl phase first"
  local want
  want=$(base_inputs_hash)
  if [[ $(image_inputs "$BASE_IMAGE") == "$want" ]]; then
    log "cached: $BASE_IMAGE (inputs $want)"
    return
  fi
  local root work previous
  previous=$(docker image inspect -f '{{.Id}}' "$BASE_IMAGE" 2>/dev/null || true)
  work=$(mktemp -d /var/tmp/podmates-airgap-base.XXXXXX)
  root=$work/rootfs
  # shellcheck disable=SC2064 # expand now: the path is fixed
  trap "remove_rootfs '$work'" EXIT
  debootstrap_rootfs "$root" "$NODE_PACKAGES"
  log "configuring the node rootfs"
  # Our files over Debian's (containerd unit, config, kubelet unit, …).
  cp -a "$NODE_FILES_DIR/." "$root/"
  sed -i "s|@PAUSE_IMAGE@|$KUBE_IMAGE_REPO/pause:$PAUSE_IMAGE_TAG|" "$root/etc/containerd/config.toml"
  install -m 0755 "$CRICTL_BIN_DIR/crictl" "$root/usr/local/bin/crictl"
  # CNI plugins: Debian installs them in /usr/lib/cni.
  mkdir -p "$root/opt/cni" "$root/etc/cni/net.d" "$root/etc/kubernetes/manifests"
  ln -sfn /usr/lib/cni "$root/opt/cni/bin"
  # Only the units a node needs start at boot: drop everything Debian
  # enabled (getty, apt and fstrim timers, …), then enable ours.
  rm -f "$root"/etc/systemd/system/*.wants/* "$root"/lib/systemd/system/multi-user.target.wants/* \
    "$root"/lib/systemd/system/local-fs.target.wants/* "$root"/lib/systemd/system/sockets.target.wants/*initctl* \
    "$root"/lib/systemd/system/sockets.target.wants/*udev* "$root"/lib/systemd/system/basic.target.wants/* \
    "$root"/lib/systemd/system/timers.target.wants/*
  # tmpfiles-setup would clean /tmp and /var/tmp on every boot of a node.
  rm -f "$root/lib/systemd/system/sysinit.target.wants/systemd-tmpfiles-setup.service"
  chroot "$root" systemctl enable containerd.service kubelet.service podmates-node-setup.service podmates-cni.service >/dev/null 2>&1 ||
    die "systemctl enable in the rootfs failed"
  # binfmt_misc is kernel-global: a node must never register handlers.
  chroot "$root" systemctl mask systemd-binfmt.service getty.target console-getty.service \
    systemd-logind.service >/dev/null 2>&1 || true
  chroot "$root" systemctl set-default multi-user.target >/dev/null 2>&1 || true
  mkdir -p "$root/etc/systemd/journald.conf.d"
  printf '[Journal]\n# the host kernel log is not this node'"'"'s\nReadKMsg=no\n' >"$root/etc/systemd/journald.conf.d/podmates.conf"
  mkdir -p "$root/kind"
  # Host leftovers that Docker provides at run time.
  rm -f "$root/etc/resolv.conf" "$root/etc/hostname" "$root/etc/machine-id"
  rm -rf "${root:?}"/var/lib/apt/lists/* "${root:?}"/var/cache/apt/*.bin "${root:?}"/var/cache/apt/archives/*.deb \
    "${root:?}"/usr/share/doc/* "${root:?}"/usr/share/man/* "${root:?}"/usr/share/locale/* "${root:?}"/tmp/* "${root:?}"/dev/*
  touch "$root/etc/machine-id"
  log "docker import + image config -> $BASE_IMAGE"
  tar --numeric-owner -C "$root" -cf - . | docker import - "$BASE_IMAGE-rootfs" >/dev/null || die "docker import failed"
  mkdir -p "$work/ctx"
  cat >"$work/ctx/Dockerfile" <<DOCKERFILE
FROM $BASE_IMAGE-rootfs
ENV container=docker
# systemd exits cleanly on SIGRTMIN+3 (SIGTERM makes it re-execute).
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
LABEL $INPUTS_LABEL=$want io.podmates.airgap.packages="$NODE_PACKAGES"
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q -t "$BASE_IMAGE" "$work/ctx" >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2
    die "docker build $BASE_IMAGE failed"
  }
  docker rmi "$BASE_IMAGE-rootfs" >/dev/null 2>&1 || true
  drop_previous "$previous" "$BASE_IMAGE"
  remove_rootfs "$work"
  trap - EXIT
  log "built $BASE_IMAGE ($(($(docker image inspect -f '{{.Size}}' "$BASE_IMAGE") / 1000000)) MB)"
}

node_inputs_hash() {
  {
    docker image inspect -f '{{.Id}}' "$BASE_IMAGE"
    local c
    for c in kubeadm kubelet kubectl; do sha256sum "$KUBE_BIN_DIR/$c"; done
    cat "$IMAGES_DIR"/*.tar.sum "$IMAGES_DIR/list.txt"
    declare -f build_node_image
  } | sha256sum | cut -c1-16
}

build_node_image() {
  image_exists "$BASE_IMAGE" || die "$BASE_IMAGE missing: run the base phase first"
  [[ -s $IMAGES_DIR/list.txt ]] || die "component images missing: run the images phase first"
  local want
  want=$(node_inputs_hash)
  if [[ $(image_inputs "$NODE_IMAGE") == "$want" ]]; then
    log "cached: $NODE_IMAGE (inputs $want)"
    return
  fi
  local cid c ref tar previous
  previous=$(docker image inspect -f '{{.Id}}' "$NODE_IMAGE" 2>/dev/null || true)
  cid=$(docker run -d --privileged --tmpfs /run --tmpfs /tmp --entrypoint sleep "$BASE_IMAGE" infinity) ||
    die "could not start a build container from $BASE_IMAGE"
  # shellcheck disable=SC2064
  trap "docker rm -f -v '$cid' >/dev/null 2>&1 || true" EXIT
  log "build container ${cid:0:12}: copying kubeadm, kubelet, kubectl to /usr/bin"
  for c in kubeadm kubelet kubectl; do
    docker cp "$KUBE_BIN_DIR/$c" "$cid:/usr/bin/$c" >/dev/null || die "docker cp $c failed"
  done
  docker exec "$cid" sh -c 'chown root:root /usr/bin/kubeadm /usr/bin/kubelet /usr/bin/kubectl && chmod 0755 /usr/bin/kubeadm /usr/bin/kubelet /usr/bin/kubectl' ||
    die "chmod failed"
  docker exec "$cid" sh -c "printf '%s' '$KUBE_VERSION' >/kind/version"
  log "importing $(wc -l <"$IMAGES_DIR/list.txt") images into containerd (namespace k8s.io, pinned)"
  docker exec -d "$cid" sh -c 'containerd >/var/log/containerd-build.log 2>&1'
  local i
  for i in $(seq 1 30); do
    docker exec "$cid" ctr version >/dev/null 2>&1 && break
    ((i < 30)) || die "containerd in the build container did not start"
    sleep 1
  done
  while read -r ref tar; do
    docker exec -i "$cid" ctr -n k8s.io images import --no-unpack --all-platforms - <"$IMAGES_DIR/$tar" >/dev/null ||
      die "ctr import $ref failed"
    docker exec "$cid" ctr -n k8s.io images label "$ref" io.cri-containerd.pinned=pinned >/dev/null ||
      die "ctr label $ref failed"
  done <"$IMAGES_DIR/list.txt"
  docker exec "$cid" ctr -n k8s.io images ls -q | sed 's/^/    in node: /' >&2
  docker exec "$cid" sh -c 'kill $(pidof containerd); for i in 1 2 3 4 5 6 7 8 9 10; do pidof containerd >/dev/null || exit 0; sleep 1; done; exit 1' ||
    die "containerd did not stop"
  docker exec "$cid" rm -f /var/log/containerd-build.log
  log "docker commit -> $NODE_IMAGE"
  docker commit \
    --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' \
    --change 'CMD []' \
    --change "LABEL $INPUTS_LABEL=$want io.podmates.airgap.kubernetes=$KUBE_VERSION" \
    "$cid" "$NODE_IMAGE" >/dev/null || die "docker commit failed"
  docker rm -f -v "$cid" >/dev/null
  trap - EXIT
  drop_previous "$previous" "$NODE_IMAGE"
  log "built $NODE_IMAGE ($(($(docker image inspect -f '{{.Size}}' "$NODE_IMAGE") / 1000000)) MB)"
}

USERNS_FILES_DIR=$AIRGAP_DIR/node/userns

userns_node_inputs_hash() {
  {
    docker image inspect -f '{{.Id}}' "$NODE_IMAGE"
    sha256sum "$RUNTIME_BIN_DIR"/* "$USERNS_FILES_DIR"/*
    declare -f build_userns_node_image
  } | sha256sum | cut -c1-16
}

# The user-namespace node: the node image with containerd and runc of the
# runtime phase over Debian's (same paths: the node's units and PATH stay as
# they are) and containerd 2's config. The images imported into containerd
# stay: containerd 2 reads 1.6's metadata.
build_userns_node_image() {
  image_exists "$NODE_IMAGE" || die "$NODE_IMAGE missing: run the node phase first"
  stamped "$RUNTIME_BIN_DIR" || die "containerd and runc missing: run the runtime phase first"
  local want previous work c
  want=$(userns_node_inputs_hash)
  if [[ $(image_inputs "$USERNS_NODE_IMAGE") == "$want" ]]; then
    log "cached: $USERNS_NODE_IMAGE (inputs $want)"
    return
  fi
  previous=$(docker image inspect -f '{{.Id}}' "$USERNS_NODE_IMAGE" 2>/dev/null || true)
  work=$(mktemp -d /var/tmp/podmates-airgap-userns.XXXXXX)
  # shellcheck disable=SC2064 # expand now: the path is fixed
  trap "rm -rf '$work'" EXIT
  for c in "${CONTAINERD_COMMANDS[@]}" runc; do cp "$RUNTIME_BIN_DIR/$c" "$work/"; done
  sed "s|@PAUSE_IMAGE@|$KUBE_IMAGE_REPO/pause:$PAUSE_IMAGE_TAG|" "$USERNS_FILES_DIR/config.toml" >"$work/config.toml"
  cat >"$work/Dockerfile" <<DOCKERFILE
FROM $NODE_IMAGE
COPY ${CONTAINERD_COMMANDS[*]} /usr/bin/
COPY runc /usr/sbin/runc
COPY config.toml /etc/containerd/config.toml
LABEL $INPUTS_LABEL=$want io.podmates.airgap.runtime="containerd $CONTAINERD_VERSION, runc $RUNC_VERSION"
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q -t "$USERNS_NODE_IMAGE" "$work" >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2
    die "docker build $USERNS_NODE_IMAGE failed"
  }
  rm -rf "$work"
  trap - EXIT
  drop_previous "$previous" "$USERNS_NODE_IMAGE"
  log "built $USERNS_NODE_IMAGE (containerd $CONTAINERD_VERSION, runc $RUNC_VERSION)"
}
