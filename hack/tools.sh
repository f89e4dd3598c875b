#!/usr/bin/env bash
# hack/tools.sh - build the pinned test-cluster binaries from source (Go module
# proxy only, no downloads of prebuilt binaries) into a cache outside the repo.
#
# Usage:
#   hack/tools.sh                 build everything missing + lay out kube-api-test dir
#   hack/tools.sh k8s etcd ...    only the named targets (k8s etcd kwok helm kubeapitest)
#   hack/tools.sh --env           print shell exports (PATH, versions); builds nothing
#   hack/tools.sh --du            print disk use of the tools dir and Go caches
#   hack/tools.sh --clean-caches  delete the Go module + build caches (~6 GiB), keep binaries
#
# Targets:
#   k8s          kube-apiserver kube-controller-manager kube-scheduler kubectl
#   etcd         etcd (+ etcdctl)
#   kwok         kwok
#   helm         helm
#   kubeapitest  ~/.kubeapitest/k8s/<ver>-linux-amd64/{etcd,kube-apiserver,kubectl}
#                (symlinks into the tools dir, so io.fabric8:kube-api-test never downloads)
#
# Environment (all optional):
#   CHOPSTICKS_TOOLS_DIR   default ~/.cache/chopsticks/tools (binaries in bin/)
#   CHOPSTICKS_GOMODCACHE  default $CHOPSTICKS_TOOLS_DIR/go/mod
#   CHOPSTICKS_GOCACHE     default $CHOPSTICKS_TOOLS_DIR/go/build
#   KUBE_API_TEST_DIR      default ~/.kubeapitest (kube-api-test's own default)
#   CHOPSTICKS_K8S_VERSION / _ETCD_VERSION / _KWOK_VERSION / _HELM_VERSION  override pins
#
# Idempotent: each target writes a stamp (the recipe it was built with); a
# target whose stamp matches and whose binaries exist is skipped, so a warm run
# takes about a second.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hack/lib/common.sh
source "${HACK_DIR}/lib/common.sh"
# shellcheck source=hack/lib/versions.sh
source "${HACK_DIR}/lib/versions.sh"

TOOLS_DIR="$(chopsticks_tools_dir)"
BIN_DIR="${TOOLS_DIR}/bin"
STAMP_DIR="${TOOLS_DIR}/stamps"
SRC_DIR="${TOOLS_DIR}/src"
KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-${HOME}/.kubeapitest}"

# Recipe revision: bump when the build recipe changes so stamps are invalidated.
# (The Go version is deliberately not part of the stamp: a Go patch update must
# not cost a 15-minute rebuild of working binaries.)
RECIPE_REV=1

export GOMODCACHE="${CHOPSTICKS_GOMODCACHE:-${TOOLS_DIR}/go/mod}"
export GOCACHE="${CHOPSTICKS_GOCACHE:-${TOOLS_DIR}/go/build}"
export CGO_ENABLED=0
export GOFLAGS="-buildvcs=false -mod=mod"
export GOOS=linux GOARCH=amd64
# Go 1.26 builds every pinned module; never let go fetch another toolchain silently.
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

find_go() {
  if command -v go >/dev/null 2>&1; then
    command -v go
  elif [[ -x /usr/local/go/bin/go ]]; then
    echo /usr/local/go/bin/go
  else
    die "go not found (need Go >= 1.26 on PATH or at /usr/local/go/bin/go)"
  fi
}
GO="$(find_go)"
GO_VERSION="$("${GO}" env GOVERSION)"

print_env() {
  cat <<EOF
export CHOPSTICKS_TOOLS_DIR='${TOOLS_DIR}'
export PATH='${BIN_DIR}':"\$PATH"
export CHOPSTICKS_K8S_VERSION='${K8S_VERSION}'
# io.fabric8:kube-api-test reads these two env vars (strings only; do NOT set
# KUBE_API_TEST_OFFLINE_MODE: 7.5.2 casts it String->Boolean and throws).
export KUBE_API_TEST_DIR='${KUBE_API_TEST_DIR}'
export KUBE_API_TEST_API_SERVER_VERSION='${K8S_VERSION#v}'
EOF
}

print_du() {
  log "disk use:"
  disk_use "${BIN_DIR}" "${GOMODCACHE}" "${GOCACHE}" "${SRC_DIR}" "${TOOLS_DIR}" >&2
}

# stamp_ok NAME RECIPE BINARY... -> 0 if the stamp matches and all binaries exist
stamp_ok() {
  local name="$1" recipe="$2"
  shift 2
  [[ -f "${STAMP_DIR}/${name}" && "$(cat "${STAMP_DIR}/${name}")" == "${recipe}" ]] || return 1
  local b
  for b in "$@"; do
    [[ -x "${BIN_DIR}/${b}" ]] || return 1
  done
}

BUILT=0
write_stamp() {
  mkdir -p "${STAMP_DIR}" && printf '%s\n' "$2" >"${STAMP_DIR}/$1"
  BUILT=1
}

# Drop the Go module and build caches (binaries and stamps stay; a later
# version bump then rebuilds from scratch).
clean_caches() {
  if [[ -d "${GOMODCACHE}" ]]; then
    "${GO}" clean -modcache
  fi
  rm -rf "${GOCACHE}"
  log "removed ${GOMODCACHE} and ${GOCACHE}"
}

# mod_info MODULE@VERSION FIELD -> value from `go mod download -json`
mod_info() {
  (cd "${SRC_DIR}" && "${GO}" mod download -json "$1") |
    python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1],""))' "$2"
}

# prepare_module DIR MODULE_PATH GO_VERSION REQUIRE_LINES REPLACE_LINES TOOL_PKGS...
# Writes a throw-away module that lists the wanted main packages as `tool`
# directives, then lets `go mod tidy` resolve the exact dependency graph.
prepare_module() {
  local dir="$1" modpath="$2" gover="$3" requires="$4" replaces="$5"
  shift 5
  mkdir -p "${dir}"
  {
    printf 'module %s\n\ngo %s\n\n' "${modpath}" "${gover}"
    printf 'require (\n%s\n)\n\n' "${requires}"
    if [[ -n "${replaces}" ]]; then printf 'replace (\n%s\n)\n\n' "${replaces}"; fi
    printf 'tool (\n'
    local p
    for p in "$@"; do printf '\t%s\n' "${p}"; done
    printf ')\n'
  } >"${dir}/go.mod.new"
  # Only re-tidy when the wanted go.mod changed (keeps warm rebuilds offline).
  if [[ -f "${dir}/go.mod.in" ]] && cmp -s "${dir}/go.mod.new" "${dir}/go.mod.in" && [[ -f "${dir}/go.sum" ]]; then
    rm -f "${dir}/go.mod.new"
    return 0
  fi
  mv "${dir}/go.mod.new" "${dir}/go.mod.in"
  cp "${dir}/go.mod.in" "${dir}/go.mod"
  rm -f "${dir}/go.sum"
  log "  resolving module graph (go mod tidy) in ${dir}"
  (cd "${dir}" && "${GO}" mod tidy)
}

# go_build DIR LDFLAGS PKG... -> binaries into BIN_DIR (atomically per binary)
go_build() {
  local dir="$1" ldflags="$2"
  shift 2
  local out
  out="$(mktemp -d "${TOOLS_DIR}/.build.XXXXXX")"
  log "  go build -trimpath $* (CGO_ENABLED=0, $(nproc) cores)"
  (cd "${dir}" && "${GO}" build -trimpath -ldflags "${ldflags}" -o "${out}/" "$@")
  local f
  for f in "${out}"/*; do
    mv -f "${f}" "${BIN_DIR}/$(basename "${f}")"
  done
  rmdir "${out}"
}

build_k8s() {
  local v="${K8S_VERSION}"
  local bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
  local recipe="k8s ${v} rev${RECIPE_REV}"
  if stamp_ok k8s "${recipe}" "${bins[@]}"; then
    log "k8s ${v}: up to date (${bins[*]})"
    return 0
  fi
  local start
  start="$(now_s)"
  log "k8s ${v}: building ${bins[*]}"
  local upstream_mod gover staging_v="v0.${v#v1.}"
  upstream_mod="$(mod_info "k8s.io/kubernetes@${v}" GoMod)"
  [[ -f "${upstream_mod}" ]] || die "could not fetch k8s.io/kubernetes@${v} go.mod"
  gover="$(awk '$1 == "go" { print $2; exit }' "${upstream_mod}")"
  # Every `k8s.io/X => ./staging/src/k8s.io/X` replace upstream becomes
  # `k8s.io/X => k8s.io/X v0.<minor>.<patch>` (the published staging module).
  local replaces
  replaces="$(sed -nE 's#^[[:space:]]*(replace[[:space:]]+)?(k8s\.io/[^[:space:]]+)[[:space:]]+=>[[:space:]]+\./staging/src/.*#\t\2 => \2 '"${staging_v}"'#p' "${upstream_mod}")"
  [[ -n "${replaces}" ]] || die "no staging replaces found in ${upstream_mod}"
  log "  $(wc -l <<<"${replaces}") staging modules pinned to ${staging_v}"
  local dir="${SRC_DIR}/k8s-${v}"
  prepare_module "${dir}" chopsticks.local/tools/k8s "${gover}" \
    "$(printf '\tk8s.io/kubernetes %s' "${v}")" "${replaces}" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
  # Same version stamping as kubernetes/hack/lib/version.sh, so --version is real.
  local minor="${v#v1.}"
  minor="${minor%%.*}"
  local build_date
  build_date="$(mod_info "k8s.io/kubernetes@${v}" Time)"
  local ldflags="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X ${pkg}.gitVersion=${v} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
    ldflags+=" -X ${pkg}.gitCommit=unknown -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=${build_date}"
  done
  go_build "${dir}" "${ldflags}" k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler \
    k8s.io/kubernetes/cmd/kubectl
  local got
  got="$("${BIN_DIR}/kube-apiserver" --version)"
  [[ "${got}" == "Kubernetes ${v}" ]] || die "kube-apiserver --version printed '${got}', want 'Kubernetes ${v}'"
  write_stamp k8s "${recipe}"
  log "k8s ${v}: built in $(elapsed "${start}")s (${got})"
}

build_etcd() {
  local v="${ETCD_VERSION}"
  local recipe="etcd ${v} rev${RECIPE_REV}"
  if stamp_ok etcd "${recipe}" etcd etcdctl; then
    log "etcd ${v}: up to date"
    return 0
  fi
  local start
  start="$(now_s)"
  log "etcd ${v}: building etcd etcdctl"
  # etcd's own go.mod replaces its sibling modules with ../paths, so
  # `go install ...@v` refuses; a wrapper module ignores those replaces.
  local dir="${SRC_DIR}/etcd-${v}"
  prepare_module "${dir}" chopsticks.local/tools/etcd 1.26.0 \
    "$(printf '\tgo.etcd.io/etcd/server/v3 %s\n\tgo.etcd.io/etcd/etcdctl/v3 %s' "${v}" "${v}")" "" \
    go.etcd.io/etcd/server/v3 go.etcd.io/etcd/etcdctl/v3
  go_build "${dir}" "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=${v}" \
    go.etcd.io/etcd/server/v3 go.etcd.io/etcd/etcdctl/v3
  # go names a .../server/v3 main package's binary "server".
  mv -f "${BIN_DIR}/server" "${BIN_DIR}/etcd"
  local got
  got="$("${BIN_DIR}/etcd" --version | head -1)"
  [[ "${got}" == "etcd Version: ${v#v}" ]] || die "etcd --version printed '${got}'"
  write_stamp etcd "${recipe}"
  log "etcd ${v}: built in $(elapsed "${start}")s (${got})"
}

build_kwok() {
  local v="${KWOK_VERSION}"
  local recipe="kwok ${v} rev${RECIPE_REV}"
  if stamp_ok kwok "${recipe}" kwok && [[ -s "${TOOLS_DIR}/share/kwok/stages.yaml" ]]; then
    log "kwok ${v}: up to date"
    return 0
  fi
  local start
  start="$(now_s)"
  log "kwok ${v}: building kwok"
  local dir="${SRC_DIR}/kwok-${v}"
  prepare_module "${dir}" chopsticks.local/tools/kwok 1.26.0 \
    "$(printf '\tsigs.k8s.io/kwok %s' "${v}")" "" sigs.k8s.io/kwok/cmd/kwok
  go_build "${dir}" "-s -w" sigs.k8s.io/kwok/cmd/kwok
  "${BIN_DIR}/kwok" --version >/dev/null || die "kwok --version failed"
  kwok_stages "${v}"
  write_stamp kwok "${recipe}"
  log "kwok ${v}: built in $(elapsed "${start}")s ($("${BIN_DIR}/kwok" --version 2>&1 | head -1))"
}

# The Stage configs kwokctl uses by default (node-initialize, node heartbeat with
# lease, pod ready/complete/delete), copied from the pinned kwok module so that a
# plain `kwok --config share/kwok/stages.yaml` makes fake Nodes and Pods Ready.
# hack/sim-cluster.sh keeps only the node stages and pod-delete from it: its pods
# are Running only when an actor claims them (hack/kwok/pod-stages.yaml).
kwok_stages() {
  local dir
  dir="$(mod_info "sigs.k8s.io/kwok@$1" Dir)"
  [[ -d "${dir}/kustomize/stage" ]] || die "kwok module source not found (${dir})"
  mkdir -p "${TOOLS_DIR}/share/kwok"
  local f out="${TOOLS_DIR}/share/kwok/stages.yaml"
  : >"${out}.tmp"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    { printf -- '---\n# from sigs.k8s.io/kwok@%s kustomize/stage/%s\n' "$1" "${f}"; cat "${dir}/kustomize/stage/${f}"; } >>"${out}.tmp"
  done
  mv -f "${out}.tmp" "${out}"
  log "  kwok stages -> ${out}"
}

build_helm() {
  local v="${HELM_VERSION}"
  local recipe="helm ${v} rev${RECIPE_REV}"
  if stamp_ok helm "${recipe}" helm; then
    log "helm ${v}: up to date"
    return 0
  fi
  local start
  start="$(now_s)"
  log "helm ${v}: building helm"
  local dir="${SRC_DIR}/helm-${v}"
  prepare_module "${dir}" chopsticks.local/tools/helm 1.26.0 \
    "$(printf '\thelm.sh/helm/v3 %s' "${v}")" "" helm.sh/helm/v3/cmd/helm
  go_build "${dir}" "-s -w -X helm.sh/helm/v3/internal/version.version=${v} -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    helm.sh/helm/v3/cmd/helm
  local got
  got="$("${BIN_DIR}/helm" version --short)"
  [[ "${got}" == "${v}"* ]] || die "helm version printed '${got}'"
  write_stamp helm "${recipe}"
  log "helm ${v}: built in $(elapsed "${start}")s (${got})"
}

# kube-api-test (io.fabric8:kube-api-test) looks for
#   <kubeapitest.dir, default ~/.kubeapitest>/k8s/<version>-<os>-<arch>/{etcd,kube-apiserver,kubectl}
# and, with no version configured, uses the newest version present there.
layout_kubeapitest() {
  local v="${K8S_VERSION#v}"
  local dir="${KUBE_API_TEST_DIR}/k8s/${v}-linux-amd64"
  local b
  for b in etcd kube-apiserver kubectl; do
    [[ -x "${BIN_DIR}/${b}" ]] || die "kubeapitest layout: ${BIN_DIR}/${b} missing (run hack/tools.sh k8s etcd)"
  done
  mkdir -p "${dir}"
  for b in etcd kube-apiserver kubectl; do
    if [[ "$(readlink "${dir}/${b}" 2>/dev/null || true)" != "${BIN_DIR}/${b}" ]]; then
      ln -sfn "${BIN_DIR}/${b}" "${dir}/${b}"
    fi
  done
  log "kube-api-test: ${dir} -> ${BIN_DIR} (etcd kube-apiserver kubectl)"
}

main() {
  local targets=()
  while (($#)); do
    case "$1" in
      --env) print_env; return 0 ;;
      --du) print_du; return 0 ;;
      --clean-caches) clean_caches; return 0 ;;
      -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; return 0 ;;
      k8s | etcd | kwok | helm | kubeapitest) targets+=("$1") ;;
      *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
  done
  ((${#targets[@]})) || targets=(k8s etcd kwok helm kubeapitest)
  command -v python3 >/dev/null || die "python3 is needed (to read go mod download -json)"
  mkdir -p "${BIN_DIR}" "${STAMP_DIR}" "${SRC_DIR}"
  # One build at a time per tools dir (CI and a developer may share the machine).
  exec 9>"${TOOLS_DIR}/.lock"
  if ! flock -n 9; then
    log "another hack/tools.sh holds ${TOOLS_DIR}/.lock; waiting for it"
    flock 9
  fi
  log "tools dir: ${TOOLS_DIR} (${GO_VERSION}, GOMODCACHE=${GOMODCACHE}, GOCACHE=${GOCACHE})"
  local start t
  start="$(now_s)"
  for t in "${targets[@]}"; do
    case "$t" in
      k8s) build_k8s ;;
      etcd) build_etcd ;;
      kwok) build_kwok ;;
      helm) build_helm ;;
      kubeapitest) layout_kubeapitest ;;
    esac
  done
  log "done in $(elapsed "${start}")s; add to PATH: export PATH=${BIN_DIR}:\$PATH"
  if ((BUILT)); then print_du; fi
}

main "$@"
