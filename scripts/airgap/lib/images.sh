# shellcheck shell=bash
# images.sh — every image kubeadm lists (control plane, kube-proxy, CoreDNS,
# etcd, pause), built around our static binaries and tagged exactly as the
# built kubeadm lists them. They are saved as tarballs for the node's
# containerd and never pushed.

IMAGES_DIR=$AIRGAP_CACHE/images/$KUBE_VERSION

# What `kubeadm config images list` prints for our version.
kubeadm_image_list() {
  "$KUBE_BIN_DIR/kubeadm" config images list --kubernetes-version "$KUBE_VERSION" 2>/dev/null
}

# image-ref -> binary path
binary_for_image() { # ref
  local name=${1##*/}
  name=${name%%:*}
  case $name in
    kube-apiserver | kube-controller-manager | kube-scheduler | kube-proxy) echo "$KUBE_BIN_DIR/$name" ;;
    coredns) echo "$COREDNS_BIN_DIR/coredns" ;;
    etcd) echo "$ETCD_BIN_DIR/etcd" ;;
    pause) echo "$PAUSE_BIN_DIR/pause" ;;
    *) return 1 ;;
  esac
}

# kube-proxy (nftables mode) runs nft, iptables and conntrack: its image is a
# small Debian rootfs with those, built once per package list.
build_kube_proxy_base() {
  local want="$DEBIAN_SUITE $KUBE_PROXY_PACKAGES" work
  if [[ $(docker image inspect -f '{{index .Config.Labels "io.podmates.airgap.inputs"}}' "$KUBE_PROXY_BASE_IMAGE" 2>/dev/null) == "$want" ]]; then
    return
  fi
  work=$(mktemp -d /var/tmp/podmates-airgap-proxy.XXXXXX)
  # shellcheck disable=SC2064 # expand now: the path is fixed
  trap "remove_rootfs '$work'" EXIT
  debootstrap_rootfs "$work/rootfs" "$KUBE_PROXY_PACKAGES"
  rm -rf "${work:?}"/rootfs/var/lib/apt/lists/* "${work:?}"/rootfs/var/cache/apt/*.bin \
    "${work:?}"/rootfs/var/cache/apt/archives/*.deb "${work:?}"/rootfs/usr/share/doc/* \
    "${work:?}"/rootfs/usr/share/man/* "${work:?}"/rootfs/usr/share/locale/* "${work:?}"/rootfs/dev/*
  rm -f "$work/rootfs/etc/resolv.conf" "$work/rootfs/etc/hostname"
  tar --numeric-owner -C "$work/rootfs" -cf - . |
    docker import --change "LABEL io.podmates.airgap.inputs=\"$want\"" - "$KUBE_PROXY_BASE_IMAGE" >/dev/null ||
    die "docker import $KUBE_PROXY_BASE_IMAGE failed"
  remove_rootfs "$work"
}

# Build one image: the binary at /usr/local/bin/<name> (PATH lookup, as
# kubeadm's manifests name only the command), /tmp and /var/lib for etcd's
# data mount; FROM scratch except kube-proxy (Debian base above).
build_one_image() { # ref binary
  local ref=$1 bin=$2 name ctx sum previous from=scratch
  name=$(basename "$bin")
  if [[ $name == kube-proxy ]]; then
    build_kube_proxy_base
    from=$KUBE_PROXY_BASE_IMAGE
  fi
  local from_id=scratch
  [[ $from == scratch ]] || from_id=$(docker image inspect -f '{{.Id}}' "$from")
  # The key covers the binary, the base and this recipe.
  sum=$(printf '%s %s\n%s\n' "$(sha256sum <"$bin")" "$from_id" "$(declare -f build_one_image)" | sha256sum | cut -c1-16)
  if [[ $(docker image inspect -f '{{index .Config.Labels "io.podmates.airgap.binary"}}' "$ref" 2>/dev/null) == "$sum" &&
    -s $IMAGES_DIR/$name.tar && -f $IMAGES_DIR/$name.tar.sum && $(cat "$IMAGES_DIR/$name.tar.sum") == "$sum" ]]; then
    log "cached: $ref ($IMAGES_DIR/$name.tar)"
    return
  fi
  previous=$(docker image inspect -f '{{.Id}}' "$ref" 2>/dev/null || true)
  ctx=$(mktemp -d /var/tmp/podmates-airgap-img.XXXXXX)
  mkdir -p "$ctx/rootfs/usr/local/bin" "$ctx/rootfs/tmp" "$ctx/rootfs/var/lib" "$ctx/rootfs/etc"
  chmod 1777 "$ctx/rootfs/tmp"
  cp "$bin" "$ctx/rootfs/usr/local/bin/$name"
  if [[ $from == scratch ]]; then
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$ctx/rootfs/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$ctx/rootfs/etc/group"
  else
    rm -rf "$ctx/rootfs/etc" "$ctx/rootfs/tmp" "$ctx/rootfs/var"
  fi
  {
    echo "FROM $from"
    echo "COPY rootfs/ /"
    echo "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    echo "ENTRYPOINT [\"/usr/local/bin/$name\"]"
    echo "LABEL io.podmates.airgap.binary=$sum io.podmates.airgap.source=\"built locally by scripts/airgap\""
  } >"$ctx/Dockerfile"
  # The classic builder: FROM scratch needs no registry and no BuildKit.
  DOCKER_BUILDKIT=0 docker build -q -t "$ref" "$ctx" >"$ctx.log" 2>&1 || {
    cat "$ctx.log" >&2
    die "docker build $ref failed"
  }
  rm -f "$ctx.log"
  drop_previous "$previous" "$ref"
  rm -rf "$ctx"
  docker save -o "$IMAGES_DIR/$name.tar" "$ref" || die "docker save $ref failed"
  echo "$sum" >"$IMAGES_DIR/$name.tar.sum"
  log "built $ref"
}

build_component_images() {
  { kube_binaries_complete && stamped "$ETCD_BIN_DIR" && stamped "$PAUSE_BIN_DIR" && stamped "$COREDNS_BIN_DIR"; } ||
    die "binaries missing: run the kubernetes, etcd, coredns and pause phases first"
  mkdir -p "$IMAGES_DIR"
  local refs ref bin want_etcd want_pause
  refs=$(kubeadm_image_list) || die "kubeadm config images list failed"
  want_etcd="$KUBE_IMAGE_REPO/etcd:$ETCD_IMAGE_TAG"
  want_pause="$KUBE_IMAGE_REPO/pause:$PAUSE_IMAGE_TAG"
  grep -qxF "$want_etcd" <<<"$refs" || die "kubeadm lists no $want_etcd (it lists: $(tr '\n' ' ' <<<"$refs")); update ETCD_* in versions.sh"
  grep -qxF "$want_pause" <<<"$refs" || die "kubeadm lists no $want_pause; update PAUSE_IMAGE_TAG in versions.sh"
  grep -qxF "$KUBE_IMAGE_REPO/coredns/coredns:$COREDNS_VERSION" <<<"$refs" ||
    die "kubeadm lists no coredns:$COREDNS_VERSION; update COREDNS_VERSION in versions.sh"
  : >"$IMAGES_DIR/list.txt"
  while read -r ref; do
    [[ -n $ref ]] || continue
    if ! bin=$(binary_for_image "$ref"); then
      log "left out: $ref (not needed: see README, Offline / air-gapped clusters)"
      continue
    fi
    build_one_image "$ref" "$bin"
    echo "$ref $(basename "$bin").tar" >>"$IMAGES_DIR/list.txt"
  done <<<"$refs"
  # Not kubeadm's: the NetworkPolicy enforcer (manifests/cluster/network-policies.yaml).
  stamped "$NETPOL_BIN_DIR" || die "kube-network-policies missing: run the netpol phase first"
  build_one_image "$NETPOL_IMAGE" "$NETPOL_BIN_DIR/kube-network-policies"
  # containerd names it in full, as the kubelet asks for it.
  echo "docker.io/$NETPOL_IMAGE kube-network-policies.tar" >>"$IMAGES_DIR/list.txt"
}
