#!/usr/bin/env bash
# hack/kind/lib.sh - shared settings for hack/kind/{build,up,down}.sh. Source it.
# shellcheck shell=bash disable=SC2034
KIND_HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hack/lib/common.sh
source "${KIND_HACK_DIR}/../lib/common.sh"
# shellcheck source=hack/lib/versions.sh
source "${KIND_HACK_DIR}/../lib/versions.sh"

KIND_DIR="${CHOPSTICKS_KIND_DIR:-$(chopsticks_cache_dir)/kind}"
KIND_BIN_DIR="${KIND_DIR}/bin"
KIND_STAMP_DIR="${KIND_DIR}/stamps"
TOOLS_BIN_DIR="$(chopsticks_tools_dir)/bin"

# Reuse hack/tools.sh's Go caches: k8s.io/kubernetes and friends are already there.
export GOMODCACHE="${CHOPSTICKS_GOMODCACHE:-$(chopsticks_tools_dir)/go/mod}"
export GOCACHE="${CHOPSTICKS_GOCACHE:-$(chopsticks_tools_dir)/go/build}"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

# Images and versions. The node image's name carries our recipe revision.
KIND_CLUSTER_NAME="${KIND_CLUSTER_NAME:-chopsticks}"
KIND_NODE_IMAGE="${KIND_NODE_IMAGE:-chopsticks.local/kind-node:${K8S_VERSION}}"
KIND_BASE_IMAGE="${KIND_BASE_IMAGE:-chopsticks.local/kind-base:bookworm}"
DEBIAN_MIRROR="${CHOPSTICKS_DEBIAN_MIRROR:-}"

# The Debian mirror debootstrap uses (hack/kind/build.sh, hack/images/build.sh): CHOPSTICKS_DEBIAN_MIRROR, else
# the first debian URI of the machine's apt sources.
debian_mirror() {
  if [[ -n "${DEBIAN_MIRROR}" ]]; then
    echo "${DEBIAN_MIRROR}"
    return
  fi
  local m
  m="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '$1 == "URIs:" && $2 ~ /\/debian\/?$/ { print $2; exit }')"
  [[ -n "${m}" ]] || m="$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)"
  [[ -n "${m}" ]] || die "no Debian mirror found in /etc/apt/sources.list*; set CHOPSTICKS_DEBIAN_MIRROR"
  echo "${m}"
}

# Low priority for every heavy command: other builds share the 2 cores.
low() { nice -n 19 ionice -c3 "$@"; }

# The Docker daemon, started by up.sh if none answers. --ip-masq=false and
# --ip-forward=false: container traffic never leaves the machine (the host keeps
# net.ipv4.ip_forward=0; containers on one bridge talk at L2).
DOCKERD_LOG="${KIND_DIR}/dockerd.log"
DOCKERD_PIDFILE="${KIND_DIR}/dockerd.pid"
ensure_dockerd() {
  if docker info >/dev/null 2>&1; then return 0; fi
  ensure_debian_packages dockerd:docker.io debootstrap:debootstrap
  mkdir -p "${KIND_DIR}"
  log "starting dockerd (--ip-masq=false --ip-forward=false, runtime runc-caps), log ${DOCKERD_LOG}"
  # runc-caps: see its header (this VM's bounding set lacks CAP_SYS_RESOURCE).
  # 9>&-: fd 9 is the calling build's target lock; a daemon that inherited it would hold that lock forever.
  nohup dockerd --ip-masq=false --ip-forward=false --storage-driver=overlay2 \
    --add-runtime "runc-caps=${KIND_HACK_DIR}/runc-caps" --default-runtime runc-caps \
    --pidfile "${DOCKERD_PIDFILE}" >"${DOCKERD_LOG}" 2>&1 9>&- &
  wait_for "docker daemon" 60 1 docker info || die "dockerd did not come up; see ${DOCKERD_LOG}"
}

# stop_dockerd: stops the daemon ensure_dockerd started (by its pid file; a daemon started otherwise stays).
stop_dockerd() {
  [[ -s "${DOCKERD_PIDFILE}" ]] || return 0
  local pid
  pid="$(cat "${DOCKERD_PIDFILE}")"
  log "stopping dockerd (pid ${pid})"
  kill "${pid}" 2>/dev/null || true
  wait_for "dockerd to exit" 60 1 bash -c "! kill -0 ${pid} 2>/dev/null" || warn "dockerd ${pid} still running"
}

# ensure_debian_packages COMMAND:PACKAGE...: apt-get installs the packages whose command is missing (root). Debian
# starts docker.io's own daemon on install; it is stopped so that ensure_dockerd starts ours (no masquerade).
ensure_debian_packages() {
  local need=() pair
  for pair in "$@"; do command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}"); done
  ((${#need[@]})) || return 0
  [[ "$(id -u)" == 0 ]] || die "${need[*]} missing and not root: apt-get install -y ${need[*]}"
  log "apt-get install ${need[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; } \
    || die "apt-get install ${need[*]} failed"
  if [[ " ${need[*]} " == *" docker.io "* ]]; then
    service docker stop >/dev/null 2>&1 || true
    service containerd stop >/dev/null 2>&1 || true
  fi
}

# kind's own "kind" network is created with enable_ip_masquerade=true, which adds
# `POSTROUTING -s 172.18.0.0/16 ! -o br-... -j MASQUERADE` despite --ip-masq=false.
# So we create the network kind uses (KIND_EXPERIMENTAL_DOCKER_NETWORK) without it.
KIND_DOCKER_NETWORK="${KIND_DOCKER_NETWORK:-chopsticks-kind}"
KIND_DOCKER_SUBNET="${KIND_DOCKER_SUBNET:-172.30.0.0/16}"
export KIND_EXPERIMENTAL_DOCKER_NETWORK="${KIND_DOCKER_NETWORK}"
ensure_kind_network() {
  if docker network inspect "${KIND_DOCKER_NETWORK}" >/dev/null 2>&1; then return 0; fi
  log "docker network create ${KIND_DOCKER_NETWORK} (${KIND_DOCKER_SUBNET}, no IP masquerade)"
  docker network create --driver bridge --subnet "${KIND_DOCKER_SUBNET}" \
    -o com.docker.network.bridge.enable_ip_masquerade=false \
    -o com.docker.network.driver.mtu=1500 "${KIND_DOCKER_NETWORK}" >/dev/null
}
