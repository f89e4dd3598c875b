#!/usr/bin/env bash
# hack/images/lib.sh - the names of the images hack/images/build.sh makes. Source it.
# shellcheck shell=bash disable=SC2034
IMAGES_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hack/kind/lib.sh
source "${IMAGES_LIB_DIR}/../kind/lib.sh"

IMAGES_SUITE=trixie
CHOPSTICKS_VERSION="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "${IMAGES_LIB_DIR}/../../charts/chopsticks-operator/Chart.yaml")"
# Ours, under the tags the chart and the examples use.
BOT_IMAGE="chopsticks/bot-runtime:${CHOPSTICKS_VERSION}"
OPERATOR_IMAGE="chopsticks/operator:${CHOPSTICKS_VERSION}"
DISCORD_SIM_IMAGE="chopsticks/discord-sim:${CHOPSTICKS_VERSION}"
# Debian builds under names of their own (not the public tags the CRD defaults name: those are other builds);
# hack/up.sh and the e2e suite point the examples at them.
JRE_IMAGE="chopsticks.local/jre:25-${IMAGES_SUITE}"
PGBOUNCER_IMAGE="chopsticks.local/pgbouncer:1.24-${IMAGES_SUITE}"
REDIS_IMAGE="chopsticks.local/redis:8.0-${IMAGES_SUITE}"
POSTGRES_IMAGE="chopsticks.local/postgres:17-${IMAGES_SUITE}"

print_images() {
  local v
  for v in BOT_IMAGE OPERATOR_IMAGE DISCORD_SIM_IMAGE JRE_IMAGE PGBOUNCER_IMAGE REDIS_IMAGE POSTGRES_IMAGE; do
    printf '%s=%s\n' "${v}" "${!v}"
  done
}
# The images a cluster needs loaded (not the JRE: it is only Jib's base).
deployed_images() {
  printf '%s\n' "${OPERATOR_IMAGE}" "${BOT_IMAGE}" "${DISCORD_SIM_IMAGE}" "${PGBOUNCER_IMAGE}" "${REDIS_IMAGE}" "${POSTGRES_IMAGE}"
}
