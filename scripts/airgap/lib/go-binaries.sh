# shellcheck shell=bash
# go-binaries.sh — phases that build Go programs on the host (never in a
# container: the host trusts the HTTPS proxy, containers do not).
# Each output directory gets a .complete stamp last; a stamped directory is
# reused as is.

BIN_ROOT=$AIRGAP_CACHE/bin
KIND_BIN_DIR=$BIN_ROOT/kind-$KIND_VERSION
KUBE_BIN_DIR=$BIN_ROOT/kubernetes-$KUBE_VERSION
ETCD_BIN_DIR=$BIN_ROOT/etcd-$ETCD_VERSION
PAUSE_BIN_DIR=$BIN_ROOT/pause-$PAUSE_IMAGE_TAG-$(sha256sum "$AIRGAP_DIR/pause/main.go" | cut -c1-12)
COREDNS_BIN_DIR=$BIN_ROOT/coredns-$COREDNS_VERSION
KUBE_COMMANDS=(kubeadm kubelet kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy)

stamped() { [[ -f $1/.complete ]]; }
stamp() { date -u +%FT%TZ >"$1/.complete"; }

# `go install PACKAGE@VERSION` into DIR, stamped; a stamped DIR is kept.
# Returns 1 when DIR was cached (nothing installed).
go_install_stamped() { # dir package@version [ldflags]
  local dir=$1 package=$2 ldflags=${3:-'-s -w'}
  if stamped "$dir"; then
    log "cached: $dir"
    return 1
  fi
  go_env
  rm -rf "$dir" && mkdir -p "$dir"
  GOBIN=$dir "$GO_BIN" install -trimpath -ldflags "$ldflags" "$package" ||
    die "go install $package failed (is the Go module proxy reachable?)"
  stamp "$dir"
}

# kind CLI: the documented `go install sigs.k8s.io/kind@version`.
build_kind() {
  go_install_stamped "$KIND_BIN_DIR" "sigs.k8s.io/kind@$KIND_VERSION" || return 0
  "$KIND_BIN_DIR/kind" version >&2
}

# Write the Kubernetes wrapper module into $1.
kube_wrapper_module() { # dir
  local dir=$1 upstream_mod replaces go_directive godebug
  upstream_mod=$("$GO_BIN" mod download -json "k8s.io/kubernetes@$KUBE_VERSION" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [[ -s $upstream_mod ]] || die "could not download k8s.io/kubernetes@$KUBE_VERSION from the Go module proxy"
  # Every "k8s.io/x => ./staging/src/k8s.io/x" becomes "k8s.io/x => k8s.io/x <staging version>".
  replaces=$(awk -v v="$KUBE_STAGING_VERSION" \
    '$2 == "=>" && $3 ~ /^\.\/staging\/src\// { printf "\t%s => %s %s\n", $1, $1, v }' "$upstream_mod")
  [[ $(wc -l <<<"$replaces") -ge 20 ]] || die "found too few staging replaces in $upstream_mod"
  go_directive=$(awk '$1 == "go" { print $2; exit }' "$upstream_mod")
  godebug=$(sed -n 's/^godebug default=\(.*\)$/\1/p' "$upstream_mod")
  mkdir -p "$dir"
  awk -v kv="$KUBE_VERSION" -v gd="$go_directive" -v dbg="${godebug:-go1.24}" -v r="$replaces" '
    { gsub(/@KUBE_VERSION@/, kv); gsub(/@GO_DIRECTIVE@/, gd); gsub(/@GODEBUG_DEFAULT@/, dbg) }
    /@STAGING_REPLACES@/ { print r; next }
    { print }' "$AIRGAP_DIR/go-wrapper/kubernetes/go.mod.in" >"$dir/go.mod"
}

# Upstream's version stamping (hack/lib/version.sh): the same -X values for
# client-go and component-base, so every binary reports $KUBE_VERSION. The
# build date is the release's publication time on the module proxy (or
# SOURCE_DATE_EPOCH), so rebuilding gives byte-identical binaries.
kube_version_ldflags() {
  local major minor kv key val flags=() build_date info
  major=${KUBE_VERSION#v}
  minor=${major#*.}
  minor=${minor%%.*}
  major=${major%%.*}
  if [[ -n ${SOURCE_DATE_EPOCH:-} ]]; then
    build_date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
  else
    info=$("$GO_BIN" mod download -json "k8s.io/kubernetes@$KUBE_VERSION" |
      sed -n 's/^[[:space:]]*"Info": "\(.*\)",$/\1/p')
    build_date=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info")
    build_date=$(date -u -d "${build_date:-@0}" +%Y-%m-%dT%H:%M:%SZ)
  fi
  for kv in "gitVersion=$KUBE_VERSION" "gitMajor=$major" "gitMinor=$minor" \
    "gitTreeState=clean" "buildDate=$build_date"; do
    key=${kv%%=*}
    val=${kv#*=}
    flags+=("-X k8s.io/client-go/pkg/version.$key=$val" "-X k8s.io/component-base/version.$key=$val")
  done
  echo "${flags[*]}"
}

kube_binaries_complete() {
  stamped "$KUBE_BIN_DIR" || return 1
  local c
  for c in "${KUBE_COMMANDS[@]}"; do [[ -x $KUBE_BIN_DIR/$c ]] || return 1; done
}

build_kubernetes() {
  if kube_binaries_complete; then
    log "cached: $KUBE_BIN_DIR/{${KUBE_COMMANDS[*]}}"
    return
  fi
  go_env
  local mod=$AIRGAP_CACHE/src/kubernetes-$KUBE_VERSION pkgs=() c
  kube_wrapper_module "$mod"
  for c in "${KUBE_COMMANDS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  rm -rf "$KUBE_BIN_DIR" && mkdir -p "$KUBE_BIN_DIR"
  log "go build ${KUBE_COMMANDS[*]} ($KUBE_VERSION, staging $KUBE_STAGING_VERSION)"
  (cd "$mod" && "$GO_BIN" build -mod=mod -trimpath -ldflags "-s -w $(kube_version_ldflags)" \
    -o "$KUBE_BIN_DIR/" "${pkgs[@]}") || die "building Kubernetes failed"
  local v
  v=$("$KUBE_BIN_DIR/kubeadm" version -o short) || die "built kubeadm does not run"
  [[ $v == "$KUBE_VERSION" ]] || die "kubeadm reports $v, expected $KUBE_VERSION"
  v=$("$KUBE_BIN_DIR/kubelet" --version) || die "built kubelet does not run"
  [[ $v == "Kubernetes $KUBE_VERSION" ]] || die "kubelet reports '$v', expected Kubernetes $KUBE_VERSION"
  stamp "$KUBE_BIN_DIR"
}

# A binary built from a wrapper module: go-wrapper/NAME/go.mod.in with @PLACEHOLDER@
# replaced by the version; checked by running it with VERSION_FLAG.
build_wrapped() { # name placeholder version bin-dir package version-flag
  local name=$1 placeholder=$2 version=$3 dir=$4 package=$5 flag=$6
  if stamped "$dir"; then
    log "cached: $dir/$name"
    return
  fi
  go_env
  local mod=$AIRGAP_CACHE/src/$name-$version v
  mkdir -p "$mod"
  sed "s/@$placeholder@/$version/" "$AIRGAP_DIR/go-wrapper/$name/go.mod.in" >"$mod/go.mod"
  rm -rf "$dir" && mkdir -p "$dir"
  log "go build $name $version"
  (cd "$mod" && "$GO_BIN" build -mod=mod -trimpath -ldflags "-s -w" -o "$dir/$name" "$package") || die "building $name failed"
  v=$("$dir/$name" "$flag") || die "built $name does not run"
  log "${v%%$'\n'*}"
  stamp "$dir"
}

build_etcd() { build_wrapped etcd ETCD_VERSION "$ETCD_VERSION" "$ETCD_BIN_DIR" go.etcd.io/etcd/server/v3 --version; }

build_pause() {
  if stamped "$PAUSE_BIN_DIR"; then
    log "cached: $PAUSE_BIN_DIR/pause"
    return
  fi
  go_env
  rm -rf "$PAUSE_BIN_DIR" && mkdir -p "$PAUSE_BIN_DIR"
  (cd "$AIRGAP_DIR/pause" && "$GO_BIN" build -trimpath -ldflags '-s -w' -o "$PAUSE_BIN_DIR/pause" .) ||
    die "building pause failed"
  stamp "$PAUSE_BIN_DIR"
}

NETPOL_PATCH=$AIRGAP_DIR/patches/kube-network-policies-$NETPOL_VERSION.patch
NETPOL_BIN_DIR=$BIN_ROOT/kube-network-policies-$NETPOL_VERSION-$(sha256sum "$NETPOL_PATCH" | cut -c1-12)

# kube-network-policies from its module, with our patch (versions.sh says why):
# the module's source, copied out of the read-only module cache, patched, built.
build_netpol() {
  if stamped "$NETPOL_BIN_DIR"; then
    log "cached: $NETPOL_BIN_DIR/kube-network-policies"
    return
  fi
  go_env
  local module src=$AIRGAP_CACHE/src/kube-network-policies-$NETPOL_VERSION
  module=$("$GO_BIN" mod download -json "sigs.k8s.io/kube-network-policies@$NETPOL_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [[ -d $module ]] || die "go mod download sigs.k8s.io/kube-network-policies@$NETPOL_VERSION failed (is the Go module proxy reachable?)"
  rm -rf "$src" && mkdir -p "$src" && cp -r "$module"/. "$src"/ && chmod -R u+w "$src"
  patch -d "$src" -p1 --forward --quiet <"$NETPOL_PATCH" || die "$NETPOL_PATCH does not apply to $NETPOL_VERSION"
  rm -rf "$NETPOL_BIN_DIR" && mkdir -p "$NETPOL_BIN_DIR"
  log "go build kube-network-policies $NETPOL_VERSION (patched)"
  (cd "$src" && "$GO_BIN" build -mod=mod -trimpath -ldflags '-s -w' -o "$NETPOL_BIN_DIR/kube-network-policies" ./cmd) ||
    die "building kube-network-policies failed"
  stamp "$NETPOL_BIN_DIR"
}

CRICTL_BIN_DIR=$BIN_ROOT/crictl-$CRICTL_VERSION

# crictl (cri-tools has no replace directives, so `go install …@v` works).
build_crictl() {
  go_install_stamped "$CRICTL_BIN_DIR" "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION" \
    "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION" || true
}

# CoreDNS, the cluster DNS kubeadm deploys (its module has no replace directives).
build_coredns() { build_wrapped coredns COREDNS_VERSION "$COREDNS_VERSION" "$COREDNS_BIN_DIR" github.com/coredns/coredns -version; }

RUNTIME_BIN_DIR=$BIN_ROOT/containerd-$CONTAINERD_VERSION-runc-$RUNC_VERSION
CONTAINERD_COMMANDS=(containerd containerd-shim-runc-v2 ctr)

# The node's CRI runtime (versions.sh says why not Debian's): containerd's
# commands, then runc with cgo (libseccomp) linked statically, so the node
# needs no library of the build host's.
build_runtime() {
  if stamped "$RUNTIME_BIN_DIR"; then
    log "cached: $RUNTIME_BIN_DIR"
    return
  fi
  [[ -f /usr/include/seccomp.h ]] && command -v gcc >/dev/null ||
    die "runc needs gcc and libseccomp's headers: apt-get install gcc libseccomp-dev"
  go_env
  rm -rf "$RUNTIME_BIN_DIR" && mkdir -p "$RUNTIME_BIN_DIR"
  local c pkgs=() v=${CONTAINERD_VERSION#v}
  for c in "${CONTAINERD_COMMANDS[@]}"; do pkgs+=("github.com/containerd/containerd/v2/cmd/$c@$CONTAINERD_VERSION"); done
  log "go install containerd $CONTAINERD_VERSION (${CONTAINERD_COMMANDS[*]})"
  GOBIN=$RUNTIME_BIN_DIR "$GO_BIN" install -trimpath \
    -ldflags "-s -w -X github.com/containerd/containerd/v2/version.Version=$v" "${pkgs[@]}" ||
    die "go install containerd $CONTAINERD_VERSION failed (is the Go module proxy reachable?)"
  log "go install runc $RUNC_VERSION (cgo, static)"
  CGO_ENABLED=1 GOBIN=$RUNTIME_BIN_DIR "$GO_BIN" install -trimpath -tags 'seccomp netgo osusergo urfave_cli_no_docs' \
    -ldflags '-s -w -extldflags -static' "github.com/opencontainers/runc@$RUNC_VERSION" ||
    die "go install runc $RUNC_VERSION failed"
  v=$("$RUNTIME_BIN_DIR/containerd" --version) || die "built containerd does not run"
  [[ $v == *" ${CONTAINERD_VERSION#v} "* || $v == *" ${CONTAINERD_VERSION#v}" ]] || die "containerd reports '$v', expected $CONTAINERD_VERSION"
  v=$("$RUNTIME_BIN_DIR/runc" --version) || die "built runc does not run"
  [[ $v == "runc version ${RUNC_VERSION#v}"* && $v == *"libseccomp: "* ]] || die "runc reports '$v', expected $RUNC_VERSION with libseccomp"
  stamp "$RUNTIME_BIN_DIR"
}
