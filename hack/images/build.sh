#!/usr/bin/env bash
# hack/images/build.sh - every container image the project deploys, built on this machine without a registry:
# Debian packages from the configured mirror, a JRE jlink'd from the build JDK, our jars through Jib.
#
# Usage:
#   hack/images/build.sh            everything missing (cached; a warm run takes seconds plus Maven)
#   hack/images/build.sh TARGET...  only these, in order:
#     rootfs    debootstrap --variant=minbase trixie: the one Debian tree every image below starts from
#     jre       rootfs + a jlink'd Java runtime         -> $JRE_IMAGE (Jib's base)
#     services  rootfs + pgbouncer, redis-server, postgresql-17 from Debian
#                                                     -> $PGBOUNCER_IMAGE, $REDIS_IMAGE, $POSTGRES_IMAGE
#     jib       mvn package + jib:dockerBuild of operator, bot-runtime, hack/discord-sim FROM docker://$JRE_IMAGE
#                                                     -> chopsticks/<module>:<chart appVersion>
#   hack/images/build.sh --print    the image names, as shell assignments (for up.sh and the e2e suite)
#
# Environment (all optional): CHOPSTICKS_IMAGES_DIR (cache, default ~/.cache/chopsticks/images),
#   CHOPSTICKS_DEBIAN_MIRROR.
# Needs root (debootstrap, chroot) and a Docker daemon (started as hack/kind does when none answers).
set -euo pipefail

IMAGES_HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${IMAGES_HACK_DIR}/../.." && pwd)"
# shellcheck source=hack/images/lib.sh
source "${IMAGES_HACK_DIR}/lib.sh"

RECIPE_REV=1
IMAGES_DIR="${CHOPSTICKS_IMAGES_DIR:-$(chopsticks_cache_dir)/images}"
STAMPS="${IMAGES_DIR}/stamps"
ROOTFS="${IMAGES_DIR}/rootfs-${IMAGES_SUITE}"
# Fixed uids: the operator's pods run as these (operator PodSecurity: BOT_UID, PGBOUNCER_UID, REDIS_UID) and
# programs such as initdb need a passwd entry for the uid they run as.
NONROOT_UID=65532
POSTGRES_UID=70
REDIS_UID=999
SERVICE_PACKAGES=(pgbouncer redis-server postgresql-17)
# Everything Java SE plus what our jars use beyond it (Unsafe, the operator's HTTP server, JFR, jcmd).
JRE_MODULES=java.se,jdk.unsupported,jdk.httpserver,jdk.management,jdk.management.agent,jdk.management.jfr,jdk.jfr,jdk.zipfs,jdk.naming.dns,jdk.net,jdk.crypto.cryptoki,jdk.jcmd,jdk.attach,jdk.localedata

stamp_ok() { [[ -f "${STAMPS}/$1" && "$(cat "${STAMPS}/$1")" == "$2" ]]; }
write_stamp() { mkdir -p "${STAMPS}" && printf '%s\n' "$2" >"${STAMPS}/$1"; }
image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# ------------------------------------------------------------------------------------------- rootfs ------
build_rootfs() {
  local mirror recipe start
  mirror="$(debian_mirror)"
  recipe="rootfs ${IMAGES_SUITE} ${mirror} ca-certificates,tzdata,netbase rev${RECIPE_REV}"
  if stamp_ok rootfs "${recipe}" && [[ -x "${ROOTFS}/bin/sh" ]]; then
    log "rootfs: up to date (${ROOTFS})"
    return 0
  fi
  ensure_debian_packages debootstrap:debootstrap
  start="$(now_s)"
  log "rootfs: debootstrap --variant=minbase ${IMAGES_SUITE} from ${mirror}"
  rm -rf "${ROOTFS}.tmp"
  low debootstrap --variant=minbase --include=ca-certificates,tzdata,netbase "${IMAGES_SUITE}" "${ROOTFS}.tmp" \
    "${mirror}" >"${IMAGES_DIR}/debootstrap.log" 2>&1 || die "debootstrap failed; see ${IMAGES_DIR}/debootstrap.log"
  chroot "${ROOTFS}.tmp" sh -c "groupadd -g ${NONROOT_UID} nonroot && useradd -u ${NONROOT_UID} -g ${NONROOT_UID} -d /home/nonroot -m -s /usr/sbin/nologin nonroot"
  rm -rf "${ROOTFS}"
  mv "${ROOTFS}.tmp" "${ROOTFS}"
  write_stamp rootfs "${recipe}"
  log "rootfs: done in $(elapsed "${start}")s ($(du -sh "${ROOTFS}" | cut -f1))"
}

# docker_import DIR IMAGE CHANGE...: the tree as a one-layer image (no apt caches, no docs).
docker_import() {
  local dir="$1" image="$2"
  shift 2
  local changes=() c
  for c in "$@"; do changes+=(--change "$c"); done
  rm -rf "${dir}/var/lib/apt/lists"/* "${dir}/var/cache/apt"/*.bin "${dir}/usr/share/doc" "${dir}/usr/share/man"
  tar -C "${dir}" --numeric-owner -c . | docker import "${changes[@]}" - "${image}" >/dev/null
}

# ---------------------------------------------------------------------------------------------- jre ------
build_jre() {
  local java_home recipe start work
  java_home="$("${ROOT}/hack/java-home.sh")"
  recipe="jre $(cat "${STAMPS}/rootfs") $("${java_home}/bin/java" -version 2>&1 | head -2 | tr '\n' ' ') ${JRE_MODULES} rev${RECIPE_REV}"
  if stamp_ok jre "${recipe}" && image_exists "${JRE_IMAGE}"; then
    log "jre: up to date (${JRE_IMAGE})"
    return 0
  fi
  start="$(now_s)"
  work="${IMAGES_DIR}/jre.tmp"
  rm -rf "${work}"
  cp -a "${ROOTFS}" "${work}"
  log "jre: jlink ${JRE_MODULES} from ${java_home}"
  low "${java_home}/bin/jlink" --add-modules "${JRE_MODULES}" --strip-debug --no-man-pages --no-header-files \
    --output "${work}/opt/java"
  # The default CDS archive for the runtime: faster JVM starts (the JDK ships one; jlink does not copy it).
  low "${work}/opt/java/bin/java" -Xshare:dump >/dev/null 2>&1 || warn "jre: -Xshare:dump failed (starts are slower)"
  docker_import "${work}" "${JRE_IMAGE}" "ENV JAVA_HOME=/opt/java" \
    "ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    "ENV LANG=C.UTF-8" "USER ${NONROOT_UID}:${NONROOT_UID}" "WORKDIR /home/nonroot"
  rm -rf "${work}"
  write_stamp jre "${recipe}"
  log "jre: ${JRE_IMAGE} in $(elapsed "${start}")s ($(image_size "${JRE_IMAGE}"))"
}

image_size() { docker image inspect --format '{{.Size}}' "$1" | awk '{ printf "%d MB", $1 / 1e6 }'; }

# ----------------------------------------------------------------------------------------- services ------
build_services() {
  local recipe start work mirror
  mirror="$(debian_mirror)"
  recipe="services $(cat "${STAMPS}/rootfs") ${SERVICE_PACKAGES[*]} $(sha256sum "${IMAGES_HACK_DIR}/postgres-entrypoint" | cut -c1-16) rev${RECIPE_REV}"
  if stamp_ok services "${recipe}" && image_exists "${PGBOUNCER_IMAGE}" && image_exists "${REDIS_IMAGE}" \
    && image_exists "${POSTGRES_IMAGE}"; then
    log "services: up to date (${PGBOUNCER_IMAGE} ${REDIS_IMAGE} ${POSTGRES_IMAGE})"
    return 0
  fi
  start="$(now_s)"
  work="${IMAGES_DIR}/services.tmp"
  rm -rf "${work}"
  cp -a "${ROOTFS}" "${work}"
  cp /etc/resolv.conf "${work}/etc/resolv.conf"
  # No services started in the chroot, no "main" cluster created by postgresql-common.
  printf '#!/bin/sh\nexit 101\n' >"${work}/usr/sbin/policy-rc.d"
  chmod 0755 "${work}/usr/sbin/policy-rc.d"
  mkdir -p "${work}/etc/postgresql-common"
  echo "create_main_cluster = false" >"${work}/etc/postgresql-common/createcluster.conf"
  log "services: apt-get install ${SERVICE_PACKAGES[*]} in the chroot (postgres uid ${POSTGRES_UID}, redis uid ${REDIS_UID})"
  chroot "${work}" sh -c "groupadd -g ${POSTGRES_UID} postgres && useradd -u ${POSTGRES_UID} -g ${POSTGRES_UID} -d /var/lib/postgresql -s /bin/sh postgres \
    && groupadd -g ${REDIS_UID} redis && useradd -u ${REDIS_UID} -g ${REDIS_UID} -d /var/lib/redis -s /usr/sbin/nologin redis \
    && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${SERVICE_PACKAGES[*]}" \
    >"${IMAGES_DIR}/services-apt.log" 2>&1 || die "apt-get in the services chroot failed; see ${IMAGES_DIR}/services-apt.log"
  rm -f "${work}/usr/sbin/policy-rc.d"
  : >"${work}/etc/resolv.conf"
  install -m 0755 "${IMAGES_HACK_DIR}/postgres-entrypoint" "${work}/usr/local/bin/postgres-entrypoint"
  # /var/run is a symlink to /run (absolute: never follow it from the host).
  mkdir -p "${work}/data" "${work}/run/postgresql"
  chown "${REDIS_UID}:${REDIS_UID}" "${work}/data"
  chown "${POSTGRES_UID}:${POSTGRES_UID}" "${work}/run/postgresql"
  local pgb redis pg
  pgb="$(pkg_version "${work}" pgbouncer)"
  redis="$(pkg_version "${work}" redis-server)"
  pg="$(pkg_version "${work}" postgresql-17)"
  local base="chopsticks.local/services-base:${IMAGES_SUITE}"
  docker_import "${work}" "${base}" "ENV LANG=C.UTF-8" \
    "ENV PATH=/usr/lib/postgresql/17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  rm -rf "${work}"
  # One layer, three entrypoints: same contract as the public images the CRD defaults name
  # (the operator runs `pgbouncer <ini>` and `redis-server <conf>`; the demo passes postgres options as args).
  derive_image "${base}" "${PGBOUNCER_IMAGE}" "pgbouncer ${pgb}" "${POSTGRES_UID}" '["pgbouncer"]' '["/etc/pgbouncer/pgbouncer.ini"]' 5432
  derive_image "${base}" "${REDIS_IMAGE}" "redis-server ${redis}" "${REDIS_UID}" '["redis-server"]' '[]' 6379
  derive_image "${base}" "${POSTGRES_IMAGE}" "postgresql ${pg}" "${POSTGRES_UID}" '["postgres-entrypoint"]' '[]' 5432
  docker image prune -f >/dev/null # the images these tags replaced
  write_stamp services "${recipe}"
  log "services: pgbouncer ${pgb}, redis ${redis}, postgresql ${pg} in $(elapsed "${start}")s ($(image_size "${base}") shared)"
}

pkg_version() { chroot "$1" dpkg-query -W -f "\${Version}" "$2"; }

# derive_image BASE IMAGE DESCRIPTION UID ENTRYPOINT CMD PORT: BASE with its own entrypoint (classic builder:
# FROM a local image, nothing fetched).
derive_image() {
  local ctx
  ctx="$(mktemp -d "${IMAGES_DIR}/ctx.XXXXXX")"
  cat >"${ctx}/Dockerfile" <<EOF
FROM $1
LABEL org.opencontainers.image.description="$3 from Debian ${IMAGES_SUITE}, built by hack/images/build.sh"
USER $4:$4
EXPOSE $7
ENTRYPOINT $5
CMD $6
EOF
  # The classic builder (the daemon is Debian's 20.10; BuildKit would need buildx): its deprecation notice is noise.
  DOCKER_BUILDKIT=0 docker build -q -t "$2" "${ctx}" >/dev/null 2>"${ctx}.err" || { cat "${ctx}.err" >&2; return 1; }
  rm -rf "${ctx}" "${ctx}.err"
}

# ---------------------------------------------------------------------------------------------- jib ------
build_jib() {
  local start
  start="$(now_s)"
  image_exists "${JRE_IMAGE}" || die "${JRE_IMAGE} missing: run hack/images/build.sh jre"
  local java_home
  java_home="$("${ROOT}/hack/java-home.sh")"
  log "jib: operator, bot-runtime, discord-sim FROM docker://${JRE_IMAGE} -> chopsticks/<name>:${CHOPSTICKS_VERSION}"
  # One reactor run; jib.skip is false only in the three image modules. `package` is incremental after a build (and
  # bot-runtime's image needs its jar: containerizingMode packaged). Jib layers too: a change to our code rebuilds
  # only the top layer. EPOCH creation time and reproducible jars (the poms' outputTimestamp): the same inputs give
  # the same image ID, so `kind load` skips images the node already has.
  (cd "${ROOT}" && JAVA_HOME="${java_home}" PATH="${java_home}/bin:${PATH}" low mvn -B -ntp -q \
    -pl operator,bot-runtime,hack/discord-sim -am package jib:dockerBuild -DskipTests -Dspotless.check.skip=true \
    -Djib.from.image="docker://${JRE_IMAGE}" -Djib.container.creationTime=EPOCH \
    -Dimage.tag="${CHOPSTICKS_VERSION}") >"${IMAGES_DIR}/jib.log" 2>&1 \
    || { tail -30 "${IMAGES_DIR}/jib.log" >&2; die "jib failed; see ${IMAGES_DIR}/jib.log"; }
  log "jib: ${BOT_IMAGE} ${OPERATOR_IMAGE} ${DISCORD_SIM_IMAGE} in $(elapsed "${start}")s"
}

main() {
  local targets=()
  while (($#)); do
    case "$1" in
      --print) print_images; return 0 ;;
      -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; return 0 ;;
      rootfs | jre | services | jib) targets+=("$1") ;;
      *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
  done
  ((${#targets[@]})) || targets=(rootfs jre services jib)
  [[ "$(id -u)" == 0 ]] || die "needs root (debootstrap, chroot, docker)"
  mkdir -p "${IMAGES_DIR}" "${STAMPS}"
  local start t
  start="$(now_s)"
  for t in "${targets[@]}"; do
    exec 9>"${IMAGES_DIR}/.lock.${t}"
    flock -n 9 || { log "another hack/images/build.sh is building ${t}; waiting"; flock 9; }
    case "${t}" in
      rootfs) build_rootfs ;;
      *) ensure_dockerd; "build_${t}" ;;
    esac
    exec 9>&-
  done
  log "images: done in $(elapsed "${start}")s"
}

main "$@"
