#!/usr/bin/env bash
# hack/sim-cluster.sh - tier-3 "simulated full cluster" without Docker:
# etcd + kube-apiserver + kube-controller-manager + kube-scheduler + kwok
# (fake nodes), all on 127.0.0.1, built by hack/tools.sh. kwok runs no containers, so a Pod is shown Running
# only once an actor that plays its process claims it (hack/kwok/pod-stages.yaml; pod-runner does); a Pod
# nobody claims stays Pending with reason NoProcess.
#
# Usage:
#   hack/sim-cluster.sh up       start (idempotent: says so if already up and healthy)
#   hack/sim-cluster.sh down     stop exactly the recorded PIDs, remove the state dir
#   hack/sim-cluster.sh status   report processes / health; exit 0 only if healthy
#   hack/sim-cluster.sh env      print `export KUBECONFIG=...` for eval
#   hack/sim-cluster.sh outage N stop kube-apiserver and etcd, wait N seconds, start them again (fault tests)
#
# Environment (all optional):
#   SIM_CLUSTER_DIR      state dir (default ~/.cache/chopsticks/sim-cluster)
#   SIM_NODES            number of fake nodes (default 3)
#   SIM_TAINT_NODES      true: taint fake nodes kwok.x-k8s.io/node=fake:NoSchedule (default false,
#                        so Pods created by the operator schedule without tolerations)
#   SIM_ETCD_PORT SIM_ETCD_PEER_PORT SIM_APISERVER_PORT SIM_KCM_PORT SIM_SCHEDULER_PORT
#                        ports (defaults 23790 23800 26443 20257 20259; a busy default is
#                        replaced by the next free port, an explicitly set busy port is an error)
#   SIM_START_TIMEOUT    seconds to wait for health (default 180)
#   CHOPSTICKS_TOOLS_DIR where hack/tools.sh puts the binaries (`up` runs it: a no-op when current)
#
# Every process runs in its own session/process group (setsid); its PID is in
# $SIM_CLUSTER_DIR/pids/<name>.pid and `down` signals exactly those groups.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hack/lib/common.sh
source "${HACK_DIR}/lib/common.sh"
# shellcheck source=hack/lib/versions.sh
source "${HACK_DIR}/lib/versions.sh"

TOOLS_DIR="$(chopsticks_tools_dir)"
BIN_DIR="${TOOLS_DIR}/bin"
STATE="${SIM_CLUSTER_DIR:-$(chopsticks_cache_dir)/sim-cluster}"
PKI="${STATE}/pki"
LOGS="${STATE}/logs"
PIDS="${STATE}/pids"
KUBECONFIG_FILE="${STATE}/kubeconfig"
NODES="${SIM_NODES:-3}"
TAINT_NODES="${SIM_TAINT_NODES:-false}"
START_TIMEOUT="${SIM_START_TIMEOUT:-180}"
SERVICE_CIDR="10.96.0.0/16"
SERVICE_IP="10.96.0.1"
# Start order; `down` stops in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

KUBECTL="${BIN_DIR}/kubectl"

# (no `| grep -q` anywhere: with pipefail an early-exiting grep can fail the pipe)
port_in_use() { [[ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]]; }

# choose_port VAR DEFAULT: explicit env value must be free; a busy default moves up.
choose_port() {
  local var="$1" def="$2" p
  if [[ -n "${!var:-}" ]]; then
    p="${!var}"
    port_in_use "$p" && die "${var}=${p} is already in use"
  else
    p="$def"
    while port_in_use "$p" || [[ " ${CHOSEN_PORTS:-} " == *" $p "* ]]; do
      p=$((p + 1))
      ((p < def + 200)) || die "no free port near ${def} for ${var}"
    done
  fi
  CHOSEN_PORTS="${CHOSEN_PORTS:-} $p"
  printf -v "$var" '%s' "$p"
}

load_ports() {
  [[ -f "${STATE}/ports.env" ]] || return 1
  # shellcheck source=/dev/null
  source "${STATE}/ports.env"
}

kc() { "${KUBECTL}" --kubeconfig "${KUBECONFIG_FILE}" "$@"; }

# running PID: the process exists and is not a zombie waiting to be reaped.
running() {
  local st
  st="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "${st}" && "${st}" != Z ]]
}

pid_of() { [[ -f "${PIDS}/$1.pid" ]] && cat "${PIDS}/$1.pid"; }

# alive NAME: the recorded PID runs and is still our binary (guards PID reuse).
alive() {
  local pid
  pid="$(pid_of "$1" 2>/dev/null)" || return 1
  [[ -n "$pid" ]] && running "${pid}" || return 1
  local exe
  exe="$(readlink "/proc/${pid}/exe" 2>/dev/null || true)"
  # "(deleted)": hack/tools.sh replaced the binary while it was running.
  exe="${exe% (deleted)}"
  [[ "${exe}" == "${BIN_DIR}/$1" || "${exe}" == "$(readlink -f "${BIN_DIR}/$1")" ]]
}

apiserver_ready() {
  curl -fsS --max-time 3 --cacert "${PKI}/ca.crt" --cert "${PKI}/admin.crt" --key "${PKI}/admin.key" \
    "https://127.0.0.1:${SIM_APISERVER_PORT}/readyz" >/dev/null 2>&1
}

etcd_healthy() { [[ "$(curl -fsS --max-time 3 "http://127.0.0.1:${SIM_ETCD_PORT}/health" 2>/dev/null)" == *'"health":"true"'* ]]; }

component_healthy() {
  [[ "$(curl -fsSk --max-time 3 "https://127.0.0.1:$1/healthz" 2>/dev/null)" == ok ]]
}

nodes_ready() {
  local n
  n="$(kc get nodes -l type=kwok -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null | grep -c '^True$' || true)"
  [[ "$n" -ge "${NODES}" ]]
}

healthy() {
  load_ports || return 1
  local c
  for c in "${COMPONENTS[@]}"; do alive "$c" || return 1; done
  etcd_healthy && apiserver_ready && component_healthy "${SIM_KCM_PORT}" &&
    component_healthy "${SIM_SCHEDULER_PORT}" && nodes_ready
}

# hack/tools.sh is a no-op (~0.3s) when the pinned binaries are present, and
# builds them (about 15 minutes on 2 cores) when they are not.
ensure_tools() {
  "${HACK_DIR}/tools.sh" k8s etcd kwok
}

# ---------------------------------------------------------------- PKI ------
gen_pki() {
  mkdir -p "${PKI}"
  chmod 700 "${PKI}"
  local old_umask
  old_umask="$(umask)"
  umask 077
  # ECDSA P-256 everywhere: key generation is instant (RSA-2048 took seconds).
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -sha256 \
    -subj "/CN=chopsticks-sim-ca" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -keyout "${PKI}/ca.key" -out "${PKI}/ca.crt" 2>/dev/null
  # Service-account token signing key pair (apiserver signs ES256 tokens and verifies them).
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "${PKI}/sa.key" 2>/dev/null
  openssl pkey -in "${PKI}/sa.key" -pubout -out "${PKI}/sa.pub" 2>/dev/null
  # serving cert for the apiserver
  sign_cert apiserver "/CN=kube-apiserver" serverAuth \
    "subjectAltName=IP:127.0.0.1,IP:${SERVICE_IP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  # front-proxy (requestheader) CA + client, as kubeadm sets up: aggregated APIs
  # work and KCM/scheduler find the requestheader bundle they look for.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -sha256 \
    -subj "/CN=chopsticks-sim-front-proxy-ca" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -keyout "${PKI}/front-proxy-ca.key" -out "${PKI}/front-proxy-ca.crt" 2>/dev/null
  CA_NAME=front-proxy-ca sign_cert front-proxy-client "/CN=front-proxy-client" clientAuth
  # client certs (RBAC users; system:masters for admin and kwok)
  sign_cert admin "/O=system:masters/CN=chopsticks-admin" clientAuth
  sign_cert kube-controller-manager "/CN=system:kube-controller-manager" clientAuth
  sign_cert kube-scheduler "/CN=system:kube-scheduler" clientAuth
  sign_cert kwok "/O=system:masters/CN=kwok-controller" clientAuth
  umask "${old_umask}"
}

# sign_cert NAME SUBJECT EKU [EXTRA_EXT]
sign_cert() {
  local name="$1" subj="$2" eku="$3" extra="${4:-}"
  local ext="${PKI}/${name}.ext"
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=${eku}"
    [[ -n "${extra}" ]] && echo "${extra}"
  } >"${ext}"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "${subj}" -keyout "${PKI}/${name}.key" \
    -out "${PKI}/${name}.csr" 2>/dev/null
  # SEC1 ("EC PRIVATE KEY") rather than PKCS#8: Fabric8's kubeconfig loader guesses the key algorithm from the
  # PEM header and takes a PKCS#8 "PRIVATE KEY" for RSA, so Java clients failed with "Invalid DER".
  openssl ec -in "${PKI}/${name}.key" -out "${PKI}/${name}.key" 2>/dev/null
  local ca="${CA_NAME:-ca}"
  openssl x509 -req -in "${PKI}/${name}.csr" -CA "${PKI}/${ca}.crt" -CAkey "${PKI}/${ca}.key" \
    -CAcreateserial -days 3650 -sha256 -extfile "${ext}" -out "${PKI}/${name}.crt" 2>/dev/null
  rm -f "${PKI}/${name}.csr" "${ext}"
}

# write_kubeconfig FILE USER (certs embedded, so the file is self-contained)
write_kubeconfig() {
  local file="$1" user="$2"
  cat >"${file}" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: sim
  cluster:
    server: https://127.0.0.1:${SIM_APISERVER_PORT}
    certificate-authority-data: $(base64 -w0 <"${PKI}/ca.crt")
users:
- name: ${user}
  user:
    client-certificate-data: $(base64 -w0 <"${PKI}/${user}.crt")
    client-key-data: $(base64 -w0 <"${PKI}/${user}.key")
contexts:
- name: sim
  context: {cluster: sim, user: ${user}, namespace: default}
current-context: sim
EOF
  chmod 600 "${file}"
}

# ---------------------------------------------------------- processes ------
# start NAME ARGS...: run BIN_DIR/NAME in its own session, log to logs/NAME.log
start() {
  local name="$1"
  shift
  setsid "${BIN_DIR}/${name}" "$@" </dev/null >>"${LOGS}/${name}.log" 2>&1 &
  local pid=$! i
  echo "${pid}" >"${PIDS}/${name}.pid"
  # setsid execs the binary right away; wait for that so `alive` sees our binary.
  for ((i = 0; i < 100; i++)); do
    alive "${name}" && break
    running "${pid}" || break
    sleep 0.02
  done
  log "  started ${name} (pid ${pid}, log ${LOGS}/${name}.log)"
}

# wait_healthy NAME TIMEOUT CHECK...: fail fast if the process died.
wait_healthy() {
  local name="$1" timeout="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! alive "${name}"; then
      tail -n 30 "${LOGS}/${name}.log" >&2 || true
      die "${name} exited during start-up (log: ${LOGS}/${name}.log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "${LOGS}/${name}.log" >&2 || true
      die "${name} not healthy after ${timeout}s (log: ${LOGS}/${name}.log)"
    fi
    sleep 0.5
  done
}

# kwok's config: its node stages and pod-delete as hack/tools.sh copied them from the kwok module, and instead
# of its pod-ready/pod-complete (every Pod Running, every Job Pod Succeeded, though no process ran) our own
# claim-based pod stages. Written per cluster, so the shared tools dir keeps kwok's file as shipped.
write_kwok_config() {
  local src="${TOOLS_DIR}/share/kwok/stages.yaml" out="${STATE}/kwok-stages.yaml"
  # Documents are split on "---"; a Stage is dropped by its metadata.name (two-space indent: the templates'
  # container `name:` lines are indented deeper).
  awk -v drop=" pod-ready pod-complete " '
    function flush() { if (!skip) printf "%s", buf; buf = ""; skip = 0 }
    /^---$/ { flush() }
    /^  name: / && index(drop, " " $2 " ") { skip = 1 }
    { buf = buf $0 "\n" }
    END { flush() }' "${src}" >"${out}"
  cat "${HACK_DIR}/kwok/pod-stages.yaml" >>"${out}"
  local n
  for n in node-initialize node-heartbeat-with-lease pod-delete chopsticks-pod-unclaimed chopsticks-pod-ready \
    chopsticks-pod-complete; do
    [[ "$(grep -c "^  name: ${n}\$" "${out}")" == 1 ]] || die "kwok config ${out}: want one Stage ${n}"
  done
  [[ "$(grep -cE '^  name: pod-(ready|complete)$' "${out}")" == 0 ]] || die "kwok config ${out}: kwok's pod-ready/complete left"
}

fake_nodes_yaml() {
  local i
  for ((i = 0; i < NODES; i++)); do
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-${i}
  annotations:
    node.alpha.kubernetes.io/ttl: "0"
    kwok.x-k8s.io/node: fake
  labels:
    beta.kubernetes.io/arch: amd64
    beta.kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    kubernetes.io/os: linux
    kubernetes.io/hostname: kwok-node-${i}
    kubernetes.io/role: agent
    node-role.kubernetes.io/agent: ""
    type: kwok
spec:
EOF
    if [[ "${TAINT_NODES}" == "true" ]]; then
      cat <<EOF
  taints:
  - key: kwok.x-k8s.io/node
    value: fake
    effect: NoSchedule
EOF
    else
      echo "  taints: []"
    fi
    cat <<EOF
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
  nodeInfo:
    architecture: amd64
    kubeletVersion: fake
    kubeProxyVersion: fake
    operatingSystem: linux
  phase: Running
EOF
  done
}

# The control plane's store and API, each with the flags `up` and `outage` share.
start_etcd() {
  start etcd --name sim --data-dir "${STATE}/etcd" \
    --listen-client-urls "http://127.0.0.1:${SIM_ETCD_PORT}" \
    --advertise-client-urls "http://127.0.0.1:${SIM_ETCD_PORT}" \
    --listen-peer-urls "http://127.0.0.1:${SIM_ETCD_PEER_PORT}" \
    --initial-advertise-peer-urls "http://127.0.0.1:${SIM_ETCD_PEER_PORT}" \
    --initial-cluster "sim=http://127.0.0.1:${SIM_ETCD_PEER_PORT}" \
    --unsafe-no-fsync --log-level warn
  wait_healthy etcd 30 etcd_healthy
}

start_apiserver() {
  start kube-apiserver \
    --etcd-servers "http://127.0.0.1:${SIM_ETCD_PORT}" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "${SIM_APISERVER_PORT}" \
    --tls-cert-file "${PKI}/apiserver.crt" --tls-private-key-file "${PKI}/apiserver.key" \
    --client-ca-file "${PKI}/ca.crt" \
    --requestheader-client-ca-file "${PKI}/front-proxy-ca.crt" \
    --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "${PKI}/front-proxy-client.crt" --proxy-client-key-file "${PKI}/front-proxy-client.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "${PKI}/sa.pub" --service-account-signing-key-file "${PKI}/sa.key" \
    --service-cluster-ip-range "${SERVICE_CIDR}" \
    --authorization-mode Node,RBAC --allow-privileged=true \
    --endpoint-reconciler-type none --profiling=false \
    --cert-dir "${STATE}/apiserver-certs"
  wait_healthy kube-apiserver 90 apiserver_ready
}

cmd_up() {
  ensure_tools
  if [[ -d "${STATE}" ]]; then
    if healthy; then
      log "sim-cluster already up and healthy (${STATE})"
      print_env
      return 0
    fi
    warn "sim-cluster state in ${STATE} is not healthy; tearing it down and starting fresh"
    cmd_down
  fi
  local t0
  t0="$(now_s)"
  CHOSEN_PORTS=""
  choose_port SIM_ETCD_PORT 23790
  choose_port SIM_ETCD_PEER_PORT 23800
  choose_port SIM_APISERVER_PORT 26443
  choose_port SIM_KCM_PORT 20257
  choose_port SIM_SCHEDULER_PORT 20259
  mkdir -p "${STATE}" "${LOGS}" "${PIDS}"
  cat >"${STATE}/ports.env" <<EOF
SIM_ETCD_PORT=${SIM_ETCD_PORT}
SIM_ETCD_PEER_PORT=${SIM_ETCD_PEER_PORT}
SIM_APISERVER_PORT=${SIM_APISERVER_PORT}
SIM_KCM_PORT=${SIM_KCM_PORT}
SIM_SCHEDULER_PORT=${SIM_SCHEDULER_PORT}
EOF
  log "sim-cluster up: state ${STATE}; ports etcd ${SIM_ETCD_PORT}, apiserver ${SIM_APISERVER_PORT}, kcm ${SIM_KCM_PORT}, scheduler ${SIM_SCHEDULER_PORT}"
  # Any failure from here on leaves no stray process behind (logs are kept).
  trap 'on_up_failure' EXIT

  gen_pki
  write_kubeconfig "${KUBECONFIG_FILE}" admin
  local c
  for c in kube-controller-manager kube-scheduler kwok; do
    write_kubeconfig "${STATE}/${c}.kubeconfig" "${c}"
  done
  log "  PKI + kubeconfigs written ($(elapsed "${t0}")s)"

  start_etcd
  log "  etcd healthy ($(elapsed "${t0}")s)"

  start_apiserver
  log "  kube-apiserver ready ($(elapsed "${t0}")s)"

  local kcm="${STATE}/kube-controller-manager.kubeconfig" sched="${STATE}/kube-scheduler.kubeconfig"
  start kube-controller-manager --kubeconfig "${kcm}" \
    --authentication-kubeconfig "${kcm}" --authorization-kubeconfig "${kcm}" \
    --bind-address 127.0.0.1 --secure-port "${SIM_KCM_PORT}" \
    --controllers '*' --use-service-account-credentials=true \
    --service-account-private-key-file "${PKI}/sa.key" --root-ca-file "${PKI}/ca.crt" \
    --cluster-signing-cert-file "${PKI}/ca.crt" --cluster-signing-key-file "${PKI}/ca.key" \
    --service-cluster-ip-range "${SERVICE_CIDR}" --allocate-node-cidrs=false \
    --leader-elect=false --profiling=false \
    --cert-dir "${STATE}/kcm-certs"
  start kube-scheduler --kubeconfig "${sched}" \
    --authentication-kubeconfig "${sched}" --authorization-kubeconfig "${sched}" \
    --bind-address 127.0.0.1 --secure-port "${SIM_SCHEDULER_PORT}" \
    --leader-elect=false --profiling=false \
    --cert-dir "${STATE}/scheduler-certs"
  write_kwok_config
  start kwok --kubeconfig "${STATE}/kwok.kubeconfig" \
    --config "${STATE}/kwok-stages.yaml" \
    --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --node-ip 127.0.0.1 --node-lease-duration-seconds 40
  wait_healthy kube-controller-manager 60 component_healthy "${SIM_KCM_PORT}"
  wait_healthy kube-scheduler 60 component_healthy "${SIM_SCHEDULER_PORT}"
  log "  controller-manager + scheduler healthy ($(elapsed "${t0}")s)"

  fake_nodes_yaml | kc apply -f - >/dev/null
  wait_healthy kwok "${START_TIMEOUT}" nodes_ready
  log "  ${NODES} fake nodes Ready ($(elapsed "${t0}")s)"
  # Pods need the namespace's default ServiceAccount (made by the KCM).
  wait_healthy kube-controller-manager 60 kc get serviceaccount default -n default
  trap - EXIT
  printf '%s\n' "$(elapsed "${t0}")" >"${STATE}/startup-seconds"
  log "sim-cluster up in $(elapsed "${t0}")s"
  print_env
}

# stop NAME: SIGTERM the recorded process group, wait, then SIGKILL.
stop() {
  local name="$1" pid i
  pid="$(pid_of "${name}" 2>/dev/null)" || return 0
  if [[ -n "${pid}" ]] && running "${pid}"; then
    if alive "${name}"; then
      local t0
      t0="$(now_s)"
      kill -TERM -- "-${pid}" 2>/dev/null || kill -TERM "${pid}" 2>/dev/null || true
      for ((i = 0; i < 300; i++)); do
        running "${pid}" || break
        sleep 0.05
      done
      if running "${pid}"; then
        warn "${name} (pid ${pid}) ignored SIGTERM for 15s; sending SIGKILL"
        kill -KILL -- "-${pid}" 2>/dev/null || kill -KILL "${pid}" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
          running "${pid}" || break
          sleep 0.05
        done
      fi
      log "  stopped ${name} (pid ${pid}, $(elapsed "${t0}")s)"
    else
      warn "pid ${pid} recorded for ${name} is now another program; not touching it"
    fi
  fi
  rm -f "${PIDS}/${name}.pid"
}

stop_all() {
  local i c left=""
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    stop "${COMPONENTS[i]}"
  done
  for c in "${COMPONENTS[@]}"; do
    if alive "$c"; then left+=" $c"; fi
  done
  [[ -z "${left}" ]] || die "still running:${left}"
}

on_up_failure() {
  local rc=$?
  trap - EXIT
  warn "start-up failed (exit ${rc}); stopping what was started, logs kept in ${LOGS}"
  stop_all || true
  exit "${rc}"
}

cmd_down() {
  if [[ ! -d "${STATE}" ]]; then
    log "sim-cluster: nothing to stop (${STATE} does not exist)"
    return 0
  fi
  stop_all
  rm -rf "${STATE}"
  log "sim-cluster down (removed ${STATE})"
}

cmd_status() {
  if [[ ! -d "${STATE}" ]]; then
    echo "sim-cluster: down (no state in ${STATE})"
    return 1
  fi
  load_ports || true
  local c rc=0
  for c in "${COMPONENTS[@]}"; do
    if alive "$c"; then
      printf '  %-24s running (pid %s)\n' "$c" "$(pid_of "$c")"
    else
      printf '  %-24s NOT running\n' "$c"
      rc=1
    fi
  done
  if ((rc == 0)) && healthy; then
    echo "sim-cluster: up and healthy (apiserver https://127.0.0.1:${SIM_APISERVER_PORT}, state ${STATE}, started in $(cat "${STATE}/startup-seconds" 2>/dev/null || echo '?')s)"
    kc get nodes -o wide 2>/dev/null || true
    echo "export KUBECONFIG=${KUBECONFIG_FILE}"
  else
    echo "sim-cluster: NOT healthy (state ${STATE}, logs in ${LOGS})"
    rc=1
  fi
  return "${rc}"
}

# outage SECONDS: the control plane goes away and comes back, as in a control-plane upgrade or a lost master:
# kube-apiserver and etcd are stopped (SIGTERM), nothing answers on their ports for SECONDS, then both start again
# on the same data and ports. Everything else (controller-manager, scheduler, kwok, whatever runs the pods) keeps
# running and must cope. Prints the seconds the API was unreachable.
cmd_outage() {
  local seconds="${1:-}"
  [[ "${seconds}" =~ ^[0-9]+$ ]] || die "outage needs a number of seconds, got '${seconds}'"
  healthy || die "sim-cluster is not up and healthy (${STATE}); an outage needs a running cluster"
  local t0
  t0="$(now_s)"
  stop kube-apiserver
  stop etcd
  log "sim-cluster outage: API server and etcd stopped; back in ${seconds}s"
  sleep "${seconds}"
  start_etcd
  start_apiserver
  log "sim-cluster outage over: API server ready again, $(elapsed "${t0}")s after it was stopped"
  echo "outage-seconds $(elapsed "${t0}")"
}

print_env() {
  echo "export KUBECONFIG=${KUBECONFIG_FILE}"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) print_env ;;
  outage) shift; cmd_outage "$@" ;;
  *)
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
