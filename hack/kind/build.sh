#!/usr/bin/env bash
# hack/kind/build.sh - build kind and a kind node image entirely from local
# sources: Go modules through the Go module proxy, Debian packages through the
# configured Debian mirror. Nothing is pulled from an image registry.
#
# Usage:
#   hack/kind/build.sh              build everything missing (ends with the node image)
#   hack/kind/build.sh TARGET...    only the named targets, in the order given:
#     kind      the kind CLI (sigs.k8s.io/kind@$KIND_VERSION)
#     k8s       kubelet kubeadm kube-proxy (+ copies of hack/tools.sh's control plane, etcd)
#     crictl    crictl (sigs.k8s.io/cri-tools), for the node image
#     gobins    coredns, local-path-provisioner, our pause and kindnetd
#     rootfs    debootstrap bookworm + the packages kind's base image installs
#     base      kind's images/base/files applied to the rootfs, docker-imported as $KIND_BASE_IMAGE
#     images    the tiny FROM-scratch images (control plane, etcd, pause, coredns, kindnetd, local-path)
#     node      $KIND_NODE_IMAGE: base + k8s binaries + manifests + images in containerd
#   hack/kind/build.sh --du         disk use
#   hack/kind/build.sh --clean      remove the kind cache (not the Go caches, not docker images)
#
# Environment (all optional):
#   CHOPSTICKS_KIND_DIR        cache, default ~/.cache/chopsticks/kind
#   CHOPSTICKS_DEBIAN_MIRROR   default: first URIs/deb line of /etc/apt/sources.list*
#   KIND_NODE_IMAGE / KIND_BASE_IMAGE   image names (see hack/kind/lib.sh)
#
# Idempotent: every target writes a stamp (its recipe); a matching stamp whose
# outputs exist is skipped, so a warm run takes seconds.
set -euo pipefail

# shellcheck source=hack/kind/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

RECIPE_REV=1
SRC_DIR="${KIND_DIR}/src"
ROOTFS_DIR="${KIND_DIR}/rootfs"
IMAGES_DIR="${KIND_DIR}/images"

# Pinned versions of what kind's node image carries. CoreDNS, etcd and the
# control plane get the tags kubeadm ${K8S_VERSION} expects (kubeadm config
# images list); the binaries inside are what the Go proxy serves (see README).
CRICTL_VERSION="${CHOPSTICKS_CRICTL_VERSION:-v1.34.0}"
COREDNS_VERSION="${CHOPSTICKS_COREDNS_VERSION:-v1.14.7}"
LOCAL_PATH_VERSION="${CHOPSTICKS_LOCAL_PATH_VERSION:-v0.0.30}"
DEBIAN_SUITE=bookworm
# kind's images/base/Dockerfile package list, minus nfs-common/open-iscsi
# (networked storage) and fuse-overlayfs (rootless only), plus Debian's
# containerd/runc/CNI plugins (kind builds those from source) and socat.
ROOTFS_PACKAGES=(systemd conntrack iptables nftables iproute2 ethtool util-linux mount kmod
  libseccomp2 pigz bash ca-certificates curl jq procps socat
  containerd runc containernetworking-plugins busybox-static)

GO="$(command -v go || echo /usr/local/go/bin/go)"
[[ -x "${GO}" ]] || die "go not found"

# ---------------------------------------------------------------- stamps
stamp_ok() { [[ -f "${KIND_STAMP_DIR}/$1" && "$(cat "${KIND_STAMP_DIR}/$1")" == "$2" ]]; }
write_stamp() { mkdir -p "${KIND_STAMP_DIR}" && printf '%s\n' "$2" >"${KIND_STAMP_DIR}/$1"; }
bins_exist() {
  local b
  for b in "$@"; do [[ -x "${KIND_BIN_DIR}/${b}" ]] || return 1; done
}
image_exists() { docker image inspect "$1" >/dev/null 2>&1; }
# sha256 of files/dirs (content + names), for recipes
tree_hash() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16; }

# ---------------------------------------------------------------- go helpers
mod_dir() { (cd "${SRC_DIR}" && "${GO}" mod download -json "$1") | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])'; }

# prepare_module DIR GO_VERSION REQUIRE_LINES REPLACE_LINES TOOL_PKGS... (as in hack/tools.sh)
prepare_module() {
  local dir="$1" gover="$2" requires="$3" replaces="$4"
  shift 4
  mkdir -p "${dir}"
  {
    printf 'module chopsticks.local/kind/%s\n\ngo %s\n\n' "$(basename "${dir}")" "${gover}"
    printf 'require (\n%s\n)\n\n' "${requires}"
    if [[ -n "${replaces}" ]]; then printf 'replace (\n%s\n)\n\n' "${replaces}"; fi
    printf 'tool (\n'
    local p
    for p in "$@"; do printf '\t%s\n' "${p}"; done
    printf ')\n'
  } >"${dir}/go.mod.new"
  if [[ -f "${dir}/go.mod.in" ]] && cmp -s "${dir}/go.mod.new" "${dir}/go.mod.in" && [[ -f "${dir}/go.sum" ]]; then
    rm -f "${dir}/go.mod.new"
    return 0
  fi
  mv "${dir}/go.mod.new" "${dir}/go.mod.in"
  cp "${dir}/go.mod.in" "${dir}/go.mod"
  rm -f "${dir}/go.sum"
  log "  go mod tidy in ${dir}"
  (cd "${dir}" && GOFLAGS=-mod=mod low "${GO}" mod tidy)
}

# go_build DIR LDFLAGS PKG... -> static binaries into KIND_BIN_DIR
go_build() {
  local dir="$1" ldflags="$2"
  shift 2
  local out f
  out="$(mktemp -d "${KIND_DIR}/.build.XXXXXX")"
  log "  go build $* (CGO_ENABLED=0, nice 19)"
  (cd "${dir}" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOFLAGS="-buildvcs=false -mod=mod" \
    low "${GO}" build -trimpath -ldflags "${ldflags}" -o "${out}/" "$@")
  for f in "${out}"/*; do mv -f "${f}" "${KIND_BIN_DIR}/$(basename "${f}")"; done
  rmdir "${out}"
}

# ---------------------------------------------------------------- kind
build_kind() {
  local recipe="kind ${KIND_VERSION} rev${RECIPE_REV}"
  if stamp_ok kind "${recipe}" && bins_exist kind; then
    log "kind ${KIND_VERSION}: up to date"
    return 0
  fi
  local start
  start="$(now_s)"
  log "kind ${KIND_VERSION}: go install sigs.k8s.io/kind@${KIND_VERSION}"
  CGO_ENABLED=0 GOBIN="${KIND_BIN_DIR}" GOFLAGS=-buildvcs=false \
    low "${GO}" install -trimpath -ldflags "-s -w" "sigs.k8s.io/kind@${KIND_VERSION}"
  write_stamp kind "${recipe}"
  log "kind: built in $(elapsed "${start}")s ($("${KIND_BIN_DIR}/kind" version))"
}

kind_src() { mod_dir "sigs.k8s.io/kind@${KIND_VERSION}"; }

# ---------------------------------------------------------------- kubernetes
K8S_CP_BINS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
K8S_NODE_BINS=(kubelet kubeadm kube-proxy)
build_k8s() {
  local v="${K8S_VERSION}"
  local recipe="k8s ${v} ${K8S_NODE_BINS[*]} rev${RECIPE_REV}"
  # The control plane and etcd come from hack/tools.sh (same module, same flags).
  local b
  for b in "${K8S_CP_BINS[@]}" etcd etcdctl; do
    if [[ ! -x "${TOOLS_BIN_DIR}/${b}" ]]; then
      log "${b} missing in ${TOOLS_BIN_DIR}; running hack/tools.sh k8s etcd"
      low "${KIND_HACK_DIR}/../tools.sh" k8s etcd
      break
    fi
  done
  for b in "${K8S_CP_BINS[@]}" etcd etcdctl; do
    if ! cmp -s "${TOOLS_BIN_DIR}/${b}" "${KIND_BIN_DIR}/${b}"; then cp -f "${TOOLS_BIN_DIR}/${b}" "${KIND_BIN_DIR}/${b}"; fi
  done
  if stamp_ok k8s "${recipe}" && bins_exist "${K8S_NODE_BINS[@]}"; then
    log "k8s ${v}: up to date (${K8S_NODE_BINS[*]})"
    return 0
  fi
  local start
  start="$(now_s)"
  log "k8s ${v}: building ${K8S_NODE_BINS[*]}"
  local upstream_mod gover staging_v="v0.${v#v1.}" replaces
  upstream_mod="$(cd "${SRC_DIR}" && "${GO}" mod download -json "k8s.io/kubernetes@${v}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')"
  gover="$(awk '$1 == "go" { print $2; exit }' "${upstream_mod}")"
  replaces="$(sed -nE 's#^[[:space:]]*(replace[[:space:]]+)?(k8s\.io/[^[:space:]]+)[[:space:]]+=>[[:space:]]+\./staging/src/.*#\t\2 => \2 '"${staging_v}"'#p' "${upstream_mod}")"
  [[ -n "${replaces}" ]] || die "no staging replaces found in ${upstream_mod}"
  local dir="${SRC_DIR}/k8s-${v}" pkgs=()
  for b in "${K8S_NODE_BINS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/${b}"); done
  prepare_module "${dir}" "${gover}" "$(printf '\tk8s.io/kubernetes %s' "${v}")" "${replaces}" "${pkgs[@]}"
  # Same version stamping as hack/tools.sh (kubernetes/hack/lib/version.sh).
  local minor="${v#v1.}" build_date ldflags="-s -w" pkg
  minor="${minor%%.*}"
  build_date="$(cd "${SRC_DIR}" && "${GO}" mod download -json "k8s.io/kubernetes@${v}" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("Time", ""))')"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X ${pkg}.gitVersion=${v} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
    ldflags+=" -X ${pkg}.gitCommit=unknown -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=${build_date}"
  done
  go_build "${dir}" "${ldflags}" "${pkgs[@]}"
  local got
  got="$("${KIND_BIN_DIR}/kubelet" --version)"
  [[ "${got}" == "Kubernetes ${v}" ]] || die "kubelet --version printed '${got}'"
  write_stamp k8s "${recipe}"
  log "k8s ${v}: built in $(elapsed "${start}")s"
}

# ---------------------------------------------------------------- other Go binaries
build_gobins() {
  local own_hash
  own_hash="$(tree_hash "${KIND_HACK_DIR}/src")-$(tree_hash "${KIND_HACK_DIR}/coredns")"
  local recipe="gobins coredns ${COREDNS_VERSION} local-path ${LOCAL_PATH_VERSION} own ${own_hash} rev${RECIPE_REV}"
  if stamp_ok gobins "${recipe}" && bins_exist coredns local-path-provisioner pause kindnetd; then
    log "gobins: up to date"
    return 0
  fi
  local start
  start="$(now_s)"
  log "gobins: coredns ${COREDNS_VERSION}, local-path-provisioner ${LOCAL_PATH_VERSION}, pause, kindnetd"
  # CoreDNS with the Corefile's plugins only (hack/kind/coredns/main.go).
  # The module's last path element names the binary: .../coredns.
  local dir="${SRC_DIR}/coredns-trimmed-${COREDNS_VERSION}/coredns"
  mkdir -p "${dir}"
  cp "${KIND_HACK_DIR}/coredns/main.go" "${dir}/main.go"
  prepare_module "${dir}" 1.26.0 "$(printf '\tgithub.com/coredns/coredns %s' "${COREDNS_VERSION}")" ""
  go_build "${dir}" "-s -w" .
  dir="${SRC_DIR}/local-path-${LOCAL_PATH_VERSION}"
  prepare_module "${dir}" 1.26.0 "$(printf '\tgithub.com/rancher/local-path-provisioner %s' "${LOCAL_PATH_VERSION}")" "" github.com/rancher/local-path-provisioner
  go_build "${dir}" "-s -w -X main.VERSION=${LOCAL_PATH_VERSION}" github.com/rancher/local-path-provisioner
  # Our own small programs (hack/kind/src): pause, and kindnetd (kind's
  # kindnetd source is not served by the Go proxy here; see README).
  go_build "${KIND_HACK_DIR}/src" "-s -w" ./pause ./kindnetd
  write_stamp gobins "${recipe}"
  log "gobins: built in $(elapsed "${start}")s"
}

build_crictl() {
  local recipe="crictl ${CRICTL_VERSION} rev${RECIPE_REV}"
  if stamp_ok crictl "${recipe}" && bins_exist crictl; then
    log "crictl ${CRICTL_VERSION}: up to date"
    return 0
  fi
  local start
  start="$(now_s)"
  local dir="${SRC_DIR}/crictl-${CRICTL_VERSION}"
  prepare_module "${dir}" 1.26.0 "$(printf '\tsigs.k8s.io/cri-tools %s' "${CRICTL_VERSION}")" "" sigs.k8s.io/cri-tools/cmd/crictl
  go_build "${dir}" "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=${CRICTL_VERSION}" sigs.k8s.io/cri-tools/cmd/crictl
  write_stamp crictl "${recipe}"
  log "crictl: built in $(elapsed "${start}")s"
}

# ---------------------------------------------------------------- rootfs
build_rootfs() {
  local mirror recipe
  mirror="$(debian_mirror)"
  recipe="rootfs ${DEBIAN_SUITE} ${mirror} ${ROOTFS_PACKAGES[*]} rev${RECIPE_REV}"
  if stamp_ok rootfs "${recipe}" && [[ -x "${ROOTFS_DIR}/usr/bin/containerd" ]]; then
    log "rootfs: up to date (${ROOTFS_DIR})"
    return 0
  fi
  ensure_debian_packages debootstrap:debootstrap
  local start
  start="$(now_s)"
  rm -rf "${ROOTFS_DIR}.tmp"
  log "rootfs: debootstrap --variant=minbase ${DEBIAN_SUITE} from ${mirror} (+${#ROOTFS_PACKAGES[@]} packages)"
  local pkgs
  pkgs="$(IFS=,; echo "${ROOTFS_PACKAGES[*]}")"
  low debootstrap --variant=minbase --include="${pkgs}" "${DEBIAN_SUITE}" "${ROOTFS_DIR}.tmp" "${mirror}" \
    >"${KIND_DIR}/debootstrap.log" 2>&1 || die "debootstrap failed; see ${KIND_DIR}/debootstrap.log"
  rm -rf "${ROOTFS_DIR}"
  mv "${ROOTFS_DIR}.tmp" "${ROOTFS_DIR}"
  write_stamp rootfs "${recipe}"
  log "rootfs: done in $(elapsed "${start}")s ($(du -sh "${ROOTFS_DIR}" | cut -f1))"
}

# ---------------------------------------------------------------- base image
# Mirrors the "base" and "build" stages of kind's images/base/Dockerfile, on the
# debootstrapped tree, with Debian's containerd/runc/CNI plugins.
build_base() {
  local kdir recipe
  kdir="$(kind_src)"
  recipe="base $(cat "${KIND_STAMP_DIR}/rootfs" 2>/dev/null) files $(tree_hash "${kdir}/images/base/files") crictl ${CRICTL_VERSION} oom-restrict rev${RECIPE_REV}"
  if stamp_ok base "${recipe}" && image_exists "${KIND_BASE_IMAGE}"; then
    log "base: up to date (${KIND_BASE_IMAGE})"
    return 0
  fi
  bins_exist crictl || die "crictl missing: run hack/kind/build.sh crictl"
  local start
  start="$(now_s)"
  log "base: kind ${KIND_VERSION} images/base/files onto the rootfs"
  local work="${KIND_DIR}/base.tmp"
  rm -rf "${work}"
  cp -a "${ROOTFS_DIR}" "${work}"
  local f="${kdir}/images/base/files"
  install -m 0755 "${f}"/usr/local/bin/* "${work}/usr/local/bin/"
  mkdir -p "${work}/kind/bin" "${work}/LICENSES"
  install -m 0644 "${f}"/kind/README.txt "${work}/kind/"
  install -m 0755 "${f}"/kind/bin/* "${work}/kind/bin/"
  install -m 0644 "${f}"/LICENSES/* "${work}/LICENSES/"
  install -m 0644 "${f}"/etc/crictl.yaml "${work}/etc/"
  mkdir -p "${work}/etc/containerd" "${work}/etc/systemd/system/kubelet.service.d"
  install -m 0644 "${f}"/etc/containerd/* "${work}/etc/containerd/"
  install -m 0644 "${f}"/etc/default/* "${work}/etc/default/"
  install -m 0644 "${f}"/etc/sysctl.d/* "${work}/etc/sysctl.d/"
  install -m 0644 "${f}"/etc/systemd/system/*.service "${f}"/etc/systemd/system/*.slice "${work}/etc/systemd/system/"
  install -m 0644 "${f}"/etc/systemd/system/kubelet.service.d/* "${work}/etc/systemd/system/kubelet.service.d/"
  # kind builds containerd/runc/crictl/CNI into /usr/local/bin, /usr/local/sbin, /opt/cni/bin;
  # Debian ships them in /usr/bin, /usr/sbin, /usr/lib/cni.
  ln -sf /usr/bin/containerd "${work}/usr/local/bin/containerd"
  install -m 0755 "${KIND_BIN_DIR}/crictl" "${work}/usr/local/bin/crictl"
  mkdir -p "${work}/opt/cni/bin"
  local p
  for p in host-local loopback ptp portmap bridge; do ln -sf "/usr/lib/cni/${p}" "${work}/opt/cni/bin/${p}"; done
  # Dockerfile RUN steps (chroot; nothing here needs a daemon).
  # shellcheck disable=SC2016 # expands inside the chroot
  chroot "${work}" /bin/bash -euo pipefail -c '
    find /lib/systemd/system/sysinit.target.wants/ -name "systemd-tmpfiles-setup.service" -delete
    rm -f /lib/systemd/system/multi-user.target.wants/*
    rm -f /etc/systemd/system/*.wants/*
    rm -f /lib/systemd/system/local-fs.target.wants/*
    rm -f /lib/systemd/system/sockets.target.wants/*udev*
    rm -f /lib/systemd/system/sockets.target.wants/*initctl*
    rm -f /lib/systemd/system/basic.target.wants/*
    echo "ReadKMsg=no" >> /etc/systemd/journald.conf
    ln -sf "$(command -v systemd || echo /lib/systemd/systemd)" /sbin/init
    systemctl enable kubelet.service containerd.service undo-mount-hacks.service
    systemctl mask systemd-binfmt.service
    mkdir -p /etc/kubernetes/manifests
    ctr oci spec \
      | jq ".hooks.createContainer[.hooks.createContainer| length] |= . + {\"path\": \"/kind/bin/mount-product-files.sh\"}" \
      | jq "del(.process.rlimits)" > /etc/containerd/cri-base.json
    containerd --version; runc --version | head -1
    # slim: docs, man pages, apt lists and caches
    rm -rf /usr/share/doc/* /usr/share/man/* /usr/share/info/* /var/lib/apt/lists/* /var/cache/apt/* /var/log/*.log
  '
  # kubeadm v1.34 expects pause 3.10.1 (kind ships 3.10 in its base config).
  sed -i 's#sandbox_image = .*#sandbox_image = "registry.k8s.io/pause:3.10.1"#' "${work}/etc/containerd/config.toml"
  # Without CAP_SYS_RESOURCE (this VM) nothing may lower its oom_score_adj: runc failed every pod
  # sandbox (kubelet asks -998) with "can't get final child's PID from pipe: EOF". Clamp instead.
  sed -i 's#restrict_oom_score_adj = false#restrict_oom_score_adj = true#' "${work}/etc/containerd/config.toml"
  grep -q 'restrict_oom_score_adj = true' "${work}/etc/containerd/config.toml" || die "could not set restrict_oom_score_adj"
  log "  docker import (${KIND_BASE_IMAGE}, $(du -sh "${work}" | cut -f1))"
  tar -C "${work}" --numeric-owner --xattrs -cf - . |
    low docker import - "${KIND_BASE_IMAGE}-rootfs" >/dev/null
  rm -rf "${work}"
  # docker import cannot set STOPSIGNAL; a one-line build on the local image can
  # (classic builder: the FROM image is local, nothing is pulled).
  printf '%s\n' "FROM ${KIND_BASE_IMAGE}-rootfs" 'ENV container=docker' 'STOPSIGNAL SIGRTMIN+3' \
    'ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]' |
    DOCKER_BUILDKIT=0 docker build -q -t "${KIND_BASE_IMAGE}" - >/dev/null
  write_stamp base "${recipe}"
  log "base: done in $(elapsed "${start}")s"
}

# ---------------------------------------------------------------- tiny images
# scratch_image NAME:TAG ROOTDIR ENTRYPOINT_JSON -> docker image (docker import of a tar)
scratch_image() {
  local ref="$1" root="$2" ep="$3"
  tar -C "${root}" --numeric-owner -cf - . |
    docker import --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin' \
      --change "ENTRYPOINT ${ep}" - "${ref}" >/dev/null
}

# stage_bins ROOTFS DEST BIN... : copy binaries (paths inside ROOTFS) with their shared libraries
stage_bins() {
  local rootfs="$1" dest="$2"
  shift 2
  local b lib
  for b in "$@"; do
    mkdir -p "${dest}$(dirname "${b}")"
    cp -a "${rootfs}${b}" "${dest}${b}"
    if [[ -L "${rootfs}${b}" ]]; then
      local target
      target="$(chroot "${rootfs}" readlink -f "${b}")"
      mkdir -p "${dest}$(dirname "${target}")"
      cp -a "${rootfs}${target}" "${dest}${target}"
      b="${target}"
    fi
    while read -r lib; do
      [[ -n "${lib}" ]] || continue
      mkdir -p "${dest}$(dirname "${lib}")"
      cp -aL "${rootfs}${lib}" "${dest}${lib}"
    done < <(chroot "${rootfs}" ldd "${b}" 2>/dev/null | grep -oE '/[^ ]+' || true)
  done
}

# The image list: name -> how it is made. Tags are exactly what kubeadm and
# kind's manifests reference.
images_list() {
  local kdir
  kdir="$(kind_src)"
  local cni storage
  cni="$(sed -nE 's/^const kindnetdImage = "(.*)"/\1/p' "${kdir}/pkg/build/nodeimage/const_cni.go")"
  storage="$(sed -nE 's/^const storageProvisionerImage = "(.*)"/\1/p' "${kdir}/pkg/build/nodeimage/const_storage.go")"
  local helper
  helper="$(sed -nE 's/^const storageHelperImage = "(.*)"/\1/p' "${kdir}/pkg/build/nodeimage/const_storage.go")"
  # kubeadm's own list (registry.k8s.io/kube-apiserver:v1.34.12 ... etcd, coredns, pause)
  "${KIND_BIN_DIR}/kubeadm" config images list --kubernetes-version "${K8S_VERSION}" 2>/dev/null
  printf '%s\n' registry.k8s.io/pause:3.10 "${cni}" "${storage}" "${helper}"
}

build_images() {
  local kdir list recipe
  kdir="$(kind_src)"
  list="$(images_list)"
  recipe="images $(cat "${KIND_STAMP_DIR}/k8s" "${KIND_STAMP_DIR}/gobins" "${KIND_STAMP_DIR}/rootfs" "${KIND_HACK_DIR}/iptables-wrapper" 2>/dev/null | sha256sum | cut -c1-16) $(tr '\n' ' ' <<<"${list}") xtables-libs rev${RECIPE_REV}"
  local tarball="${IMAGES_DIR}/images.tar"
  if stamp_ok images "${recipe}" && [[ -s "${tarball}" ]]; then
    log "images: up to date (${tarball})"
    return 0
  fi
  local start
  start="$(now_s)"
  log "images: $(wc -l <<<"${list}") images FROM scratch"
  mkdir -p "${IMAGES_DIR}"
  local work="${IMAGES_DIR}/work" ref name refs=()
  while read -r ref; do
    [[ -n "${ref}" ]] || continue
    name="${ref%:*}"
    name="${name##*/}"
    rm -rf "${work}"
    mkdir -p "${work}/usr/local/bin" "${work}/etc" "${work}/tmp"
    chmod 1777 "${work}/tmp"
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' >"${work}/etc/passwd"
    printf 'root:x:0:\nnobody:x:65534:\n' >"${work}/etc/group"
    local ep
    case "${name}" in
      kube-apiserver | kube-controller-manager | kube-scheduler | etcd)
        install -m 0755 "${KIND_BIN_DIR}/${name}" "${work}/usr/local/bin/"
        [[ "${name}" != etcd ]] || install -m 0755 "${KIND_BIN_DIR}/etcdctl" "${work}/usr/local/bin/"
        mkdir -p "${work}/etc/ssl/certs"
        cp -L "${ROOTFS_DIR}/etc/ssl/certs/ca-certificates.crt" "${work}/etc/ssl/certs/"
        ep="[\"/usr/local/bin/${name}\"]" ;;
      kube-proxy)
        # kube-proxy execs iptables-{save,restore}, ip6tables*, conntrack, nft: stage
        # them with their libraries and xtables modules from the Debian rootfs.
        install -m 0755 "${KIND_BIN_DIR}/kube-proxy" "${work}/usr/local/bin/"
        stage_bins "${ROOTFS_DIR}" "${work}" /usr/sbin/xtables-nft-multi /usr/sbin/xtables-legacy-multi \
          /usr/sbin/conntrack /usr/sbin/nft
        mkdir -p "${work}/usr/lib/x86_64-linux-gnu"
        cp -a "${ROOTFS_DIR}/usr/lib/x86_64-linux-gnu/xtables" "${work}/usr/lib/x86_64-linux-gnu/"
        # ...and the libraries the modules load (libxt_statistic needs libm: without it every Service with
        # two or more endpoints fails the whole iptables-restore, kube-dns first).
        local mod
        for mod in "${ROOTFS_DIR}"/usr/lib/x86_64-linux-gnu/xtables/*.so; do
          stage_bins "${ROOTFS_DIR}" "${work}" "${mod#"${ROOTFS_DIR}"}"
        done
        # iptables* first point at a wrapper that picks the backend the node uses
        # (as kubernetes-sigs/iptables-wrappers does in the upstream image).
        mkdir -p "${work}/bin"
        install -m 0755 "${ROOTFS_DIR}/bin/busybox" "${work}/bin/busybox"
        ln -sf busybox "${work}/bin/sh"
        install -m 0755 "${KIND_HACK_DIR}/iptables-wrapper" "${work}/usr/sbin/iptables-wrapper"
        local t
        for t in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
          ln -sf iptables-wrapper "${work}/usr/sbin/${t}"
          ln -sf xtables-nft-multi "${work}/usr/sbin/${t/tables/tables-nft}"
          ln -sf xtables-legacy-multi "${work}/usr/sbin/${t/tables/tables-legacy}"
        done
        mkdir -p "${work}/run" "${work}/var/lib"
        ep='["/usr/local/bin/kube-proxy"]' ;;
      coredns)
        install -m 0755 "${KIND_BIN_DIR}/coredns" "${work}/coredns"
        ep='["/coredns"]' ;;
      pause)
        install -m 0755 "${KIND_BIN_DIR}/pause" "${work}/pause"
        ep='["/pause"]' ;;
      kindnetd)
        install -m 0755 "${KIND_BIN_DIR}/kindnetd" "${work}/bin/kindnetd" 2>/dev/null ||
          { mkdir -p "${work}/bin" && install -m 0755 "${KIND_BIN_DIR}/kindnetd" "${work}/bin/kindnetd"; }
        ep='["/bin/kindnetd"]' ;;
      local-path-provisioner)
        install -m 0755 "${KIND_BIN_DIR}/local-path-provisioner" "${work}/usr/local/bin/"
        ep='["/usr/local/bin/local-path-provisioner"]' ;;
      local-path-helper)
        # kind's helper: sh, mkdir, rm (for local-path's setup/teardown scripts). Debian busybox-static.
        mkdir -p "${work}/bin"
        install -m 0755 "${ROOTFS_DIR}/bin/busybox" "${work}/bin/busybox"
        local a
        for a in sh mkdir rm ls cat chmod; do ln -sf busybox "${work}/bin/${a}"; done
        ep='["/bin/sh"]' ;;
      *) die "images: do not know how to build ${ref}" ;;
    esac
    scratch_image "${ref}" "${work}" "${ep}"
    refs+=("${ref}")
    log "  ${ref} ($(docker image inspect -f '{{.Size}}' "${ref}" | awk '{ printf "%.1f MB", $1 / 1e6 }'))"
  done <<<"${list}"
  rm -rf "${work}"
  log "  docker save -> ${tarball}"
  low docker save -o "${tarball}.tmp" "${refs[@]}"
  mv -f "${tarball}.tmp" "${tarball}"
  printf '%s\n' "${refs[@]}" >"${IMAGES_DIR}/images.txt"
  write_stamp images "${recipe}"
  log "images: done in $(elapsed "${start}")s ($(du -sh "${tarball}" | cut -f1))"
}

# ---------------------------------------------------------------- node image
# What kind's pkg/build/nodeimage does (buildcontext.go), without any pull:
# binaries to /usr/bin, /kind/version, /kind/manifests/default-{cni,storage}.yaml,
# then containerd inside the build container imports our image tarball.
build_node() {
  local kdir recipe
  kdir="$(kind_src)"
  recipe="node $(docker image inspect -f '{{.Id}}' "${KIND_BASE_IMAGE}" 2>/dev/null) $(cat "${KIND_STAMP_DIR}/images" "${KIND_STAMP_DIR}/k8s" 2>/dev/null | sha256sum | cut -c1-16) rev${RECIPE_REV}"
  if stamp_ok node "${recipe}" && image_exists "${KIND_NODE_IMAGE}"; then
    log "node: up to date (${KIND_NODE_IMAGE})"
    return 0
  fi
  local start
  start="$(now_s)"
  log "node: ${KIND_NODE_IMAGE} from ${KIND_BASE_IMAGE}"
  local manifests="${KIND_DIR}/manifests"
  mkdir -p "${manifests}"
  # kind keeps its default CNI / storage manifests as Go string constants.
  python3 - "${kdir}/pkg/build/nodeimage" "${manifests}" <<'PY'
import re, sys, pathlib
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
def consts(text):
    c = dict(re.findall(r'^const (\w+) = "([^"]*)"', text, re.M))
    for name, body in re.findall(r'^const (\w+) = (`.*?`(?:\s*\+\s*(?:\w+|`.*?`))*)\s*$', text, re.M | re.S):
        parts = re.findall(r'`(.*?)`|(\w+)', body, re.S)
        c[name] = "".join(lit if lit or not ident else c[ident] for lit, ident in parts)
    return c
cni = consts((src / "const_cni.go").read_text())["defaultCNIManifest"]
st = consts((src / "const_storage.go").read_text())["defaultStorageManifest"]
(out / "default-cni.yaml").write_text(cni)
(out / "default-storage.yaml").write_text(st)
PY
  grep -q 'kindest/kindnetd' "${manifests}/default-cni.yaml" || die "could not extract kind's CNI manifest"
  grep -q 'local-path-provisioner' "${manifests}/default-storage.yaml" || die "could not extract kind's storage manifest"
  local id="kind-build-$$"
  docker rm -f "${id}" >/dev/null 2>&1 || true
  docker run -d --name "${id}" --entrypoint=sleep --security-opt seccomp=unconfined --privileged \
    "${KIND_BASE_IMAGE}" infinity >/dev/null
  # shellcheck disable=SC2064
  trap "docker rm -f -v '${id}' >/dev/null 2>&1 || true" EXIT
  local b
  for b in kubeadm kubelet kubectl; do
    docker cp "${KIND_BIN_DIR}/${b}" "${id}:/usr/bin/${b}"
    docker exec "${id}" chmod 0755 "/usr/bin/${b}"
  done
  printf '%s' "${K8S_VERSION}" | docker exec -i "${id}" cp /dev/stdin /kind/version
  docker exec "${id}" mkdir -p /kind/manifests
  docker cp "${manifests}/default-cni.yaml" "${id}:/kind/manifests/default-cni.yaml"
  docker cp "${manifests}/default-storage.yaml" "${id}:/kind/manifests/default-storage.yaml"
  docker exec "${id}" bash -c 'nohup containerd > /dev/null 2>&1 &'
  docker exec "${id}" bash -c 'for i in $(seq 1 30); do [ -S /run/containerd/containerd.sock ] && break; sleep 1; done; ctr version >/dev/null'
  log "  ctr -n k8s.io images import ($(du -sh "${IMAGES_DIR}/images.tar" | cut -f1))"
  low docker exec -i "${id}" ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned \
    --all-platforms --no-unpack --digests - <"${IMAGES_DIR}/images.tar" >/dev/null
  docker exec "${id}" ctr --namespace=k8s.io images list -q | grep -v -e '^sha256:' -e '^import-' | sort >"${KIND_DIR}/node-images.txt"
  local want
  while read -r want; do
    grep -qxF "${want}" "${KIND_DIR}/node-images.txt" || die "image ${want} missing in the node's containerd"
  done <"${IMAGES_DIR}/images.txt"
  docker exec "${id}" pkill containerd || true
  # (sleep is PID 1 and reaps nothing: an exited containerd stays a zombie)
  docker exec "${id}" bash -c 'for i in $(seq 1 20); do ps -C containerd -o stat= | grep -qv "^Z" || exit 0; sleep 0.5; done; exit 1'
  docker commit \
    --change 'ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]' \
    "${id}" "${KIND_NODE_IMAGE}" >/dev/null
  docker rm -f -v "${id}" >/dev/null
  trap - EXIT
  write_stamp node "${recipe}"
  log "node: done in $(elapsed "${start}")s ($(docker image inspect -f '{{.Size}}' "${KIND_NODE_IMAGE}" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
}

print_du() {
  disk_use "${KIND_DIR}/bin" "${ROOTFS_DIR}" "${IMAGES_DIR}" "${SRC_DIR}" "${KIND_DIR}" "${GOMODCACHE}" "${GOCACHE}"
  docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' 2>/dev/null | grep -E 'chopsticks.local/kind' || true
}

main() {
  local targets=()
  while (($#)); do
    case "$1" in
      --du) print_du; return 0 ;;
      --clean) rm -rf "${KIND_DIR:?}/bin" "${KIND_DIR:?}/stamps" "${ROOTFS_DIR}" "${IMAGES_DIR}" "${SRC_DIR}"; return 0 ;;
      -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; return 0 ;;
      kind | k8s | crictl | gobins | rootfs | base | images | node) targets+=("$1") ;;
      *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
  done
  ((${#targets[@]})) || targets=(kind k8s crictl gobins rootfs base images node)
  [[ "$(id -u)" == 0 ]] || die "needs root (debootstrap, chroot)"
  mkdir -p "${KIND_BIN_DIR}" "${KIND_STAMP_DIR}" "${SRC_DIR}"
  local start t
  start="$(now_s)"
  for t in "${targets[@]}"; do
    # One build per target at a time (independent targets may run in parallel).
    exec 9>"${KIND_DIR}/.lock.${t}"
    flock -n 9 || { log "another hack/kind/build.sh is building ${t}; waiting"; flock 9; }
    case "${t}" in
      kind) build_kind ;;
      k8s) build_k8s ;;
      crictl) build_crictl ;;
      gobins) build_gobins ;;
      rootfs) build_rootfs ;;
      base | images | node) ensure_dockerd; "build_${t}" ;;
    esac
    exec 9>&-
  done
  log "done in $(elapsed "${start}")s"
}

main "$@"
