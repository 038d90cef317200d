# shellcheck shell=bash
# shellcheck disable=SC2034 # every value here is used by the scripts that source it
# versions.sh — every version the air-gapped kind build uses, pinned in one
# place. Sourced by build.sh, smoke.sh and ci.sh (and read by
# scripts/lib/kind.ts). Change a pin deliberately: cached binaries live in
# $AIRGAP_CACHE/bin/<name>-<version>/, and images are rebuilt when their
# inputs' hash changes.

# kind CLI. v0.30.0 + Kubernetes 1.34 is the newest pair that runs on a
# cgroup-v1 host without patches (Kubernetes 1.35's kubelet refuses cgroup v1
# by default). Built from the Go module proxy: `go install sigs.k8s.io/kind@…`.
KIND_VERSION=v0.30.0

# Kubernetes: newest v1.34 patch release of the k8s.io/kubernetes module that
# the Go module proxy served when pinned (2026-11-27). The staging modules
# (k8s.io/api, client-go, …) are released as v0.<minor>.<patch> in lockstep.
KUBE_VERSION=v1.34.12
KUBE_STAGING_VERSION=v0.34.12

# etcd: kubeadm v1.34 lists registry.k8s.io/etcd:3.6.5-0 (constants.go
# DefaultEtcdVersion), so the etcd we build is 3.6.5 and the image carries that
# exact tag. ETCD_IMAGE_TAG is re-checked against `kubeadm config images list`.
ETCD_VERSION=v3.6.5
ETCD_IMAGE_TAG=3.6.5-0

# CoreDNS: the version kubeadm v1.34 deploys (constants.go CoreDNSVersion);
# image registry.k8s.io/coredns/coredns:<this>. Built from its Go module.
COREDNS_VERSION=v1.12.1

# pause: our own static program; tagged as kubeadm v1.34 names the sandbox
# image (constants.go PauseVersion) so kubeadm, the kubelet and containerd all
# agree on one name.
PAUSE_IMAGE_TAG=3.10.1

# Debian suite for the node base and the tiny component images; packages come
# from the mirror apt on this host uses.
DEBIAN_SUITE=bookworm

# Go toolchain used for every build (host Go; never downloads another one).
GO_BIN=${GO_BIN:-/usr/local/go/bin/go}
# The Go release the air-gapped build is checked with (the CI machine's
# /usr/local/go); .github/workflows/e2e.yml installs this one, so GitHub's
# runners build kind with the same compiler instead of whatever "stable" is.
GO_VERSION=1.26.8
[[ -x $GO_BIN ]] || GO_BIN=$(command -v go || echo /usr/local/go/bin/go)

# Image names. Component images use exactly the names kubeadm writes into its
# static Pod manifests; they exist only locally (docker and the node's
# containerd) and are never pushed.
KUBE_IMAGE_REPO=registry.k8s.io
# The base and node images carry a label with a hash of their inputs (package
# list, scripts/airgap/node/, binaries, images); a changed input rebuilds them.
BASE_IMAGE=${AIRGAP_BASE_IMAGE:-podmates-local/kind-base:${DEBIAN_SUITE}}
NODE_IMAGE=${AIRGAP_NODE_IMAGE:-podmates-local/kind-node:${KUBE_VERSION}}

# Debian packages of the node base (debootstrap --include): systemd as PID 1;
# containerd 1.6 and runc 1.1 as the CRI runtime; Debian's CNI plugins
# (ptp, host-local, portmap, loopback); what the kubelet and kubeadm call
# (iptables, nftables, conntrack, iproute2, ethtool, mount, kmod, procps);
# pigz for faster image unpacking; ca-certificates for TLS tooling.
NODE_PACKAGES=systemd,systemd-sysv,containerd,runc,containernetworking-plugins,iptables,nftables,conntrack,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,procps,pigz,ca-certificates,bash

# Debian packages of the kube-proxy image (nftables mode calls nft; iptables
# for its start-up clean-up of iptables-mode rules; conntrack to flush UDP).
KUBE_PROXY_PACKAGES=nftables,iptables,conntrack
KUBE_PROXY_BASE_IMAGE=${AIRGAP_KUBE_PROXY_BASE_IMAGE:-podmates-local/kube-proxy-base:${DEBIAN_SUITE}}

# The user-namespace node (USERNS_NODE_IMAGE, `npm run demo:userns`): the node
# image with containerd and runc built from the Go module proxy. On the main
# node (Debian's containerd 1.6 and runc 1.1) the kubelet never starts a Pod
# with `hostUsers: false`: "can't set `spec.hostUsers: false`, runtime does
# not support user namespaces". A namespace per Pod needs containerd >= 2.0
# and runc >= 1.2. containerd 2.2 still runs on a cgroup-v1 host (deprecated
# there since 2.2; containerd's RELEASES.md keeps a branch with it until May
# 2029). runc is the oldest release the proxy serves, built with cgo for
# libseccomp and linked statically. Not the main node's runtime: a whole
# `npm run demo` on this node, with the main node's systemd cgroup driver,
# failed 5j (kind-config.userns.yaml says why) and 5e (not investigated);
# with cgroupfs, as that node now runs, both pass.
CONTAINERD_VERSION=v2.2.9
RUNC_VERSION=v1.4.1
USERNS_NODE_IMAGE=${AIRGAP_USERNS_NODE_IMAGE:-podmates-local/kind-node:${KUBE_VERSION}-userns}

# Official artefacts used when a registry is reachable (see .ci/run).
OFFICIAL_NODE_IMAGE=kindest/node:v1.34.0

AIRGAP_CACHE=${AIRGAP_CACHE:-/var/cache/podmates/airgap}
GO_CACHE_ROOT=${GO_CACHE_ROOT:-/var/cache/podmates/go}

# kube-network-policies: the NetworkPolicy enforcer (kubernetes-sigs), which
# sends each new connection of a Pod a policy selects to an nfqueue and judges
# it in user space. v0.8.0 queues through nft's `queue` expression, which this
# kernel lacks (CONFIG_NFT_QUEUE is not set: it silently enforces nothing);
# patches/kube-network-policies-v0.8.0.patch makes it use the xtables NFQUEUE
# target through nft_compat instead (what iptables-nft emits), and run without
# NRI (containerd 1.6 has none). kube-router, the other enforcer the Go proxy
# serves, is v2.1.0 only, with security advisories against it.
NETPOL_VERSION=v0.8.0
NETPOL_IMAGE=podmates-local/kube-network-policies:$NETPOL_VERSION

# crictl: kind's `kind load docker-image` inspects images with crictl, which
# Debian does not package; built from its module, release line of Kubernetes.
CRICTL_VERSION=v1.34.0

# distribution (the CNCF registry, registry:2's source): the local registry
# (scripts/airgap/registry.sh), built from the Go module proxy; no registry
# image is pulled. Chosen for its read-only mode: the nodes' side of the
# registry refuses pushes. The newest release the proxy serves.
DISTRIBUTION_VERSION=v3.1.2
REGISTRY_IMAGE_NAME=${AIRGAP_REGISTRY_IMAGE_NAME:-podmates-local/registry}
