#!/usr/bin/env bash
# Shared helpers for the hack/ scripts. Source it; do not run it.
# shellcheck shell=bash

# Timestamped progress output on stderr so stdout stays usable for values.
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

# Seconds since the epoch with sub-second precision (for timings).
now_s() { date +%s.%N; }
# elapsed START -> "12.3" (seconds since START, one decimal)
elapsed() { awk -v s="$1" -v e="$(now_s)" 'BEGIN { printf "%.1f", e - s }'; }

# Default locations, all outside the repository so they survive fresh clones.
chopsticks_cache_dir() { printf '%s\n' "${CHOPSTICKS_CACHE_DIR:-${HOME}/.cache/chopsticks}"; }
chopsticks_tools_dir() { printf '%s\n' "${CHOPSTICKS_TOOLS_DIR:-$(chopsticks_cache_dir)/tools}"; }

# du -sh of the given paths that exist, one per line ("SIZE<TAB>PATH").
disk_use() {
  local p
  for p in "$@"; do
    [[ -e "$p" ]] && du -sh "$p" 2>/dev/null
  done
  return 0
}

# wait_for DESCRIPTION TIMEOUT_SECONDS INTERVAL COMMAND...
# Polls COMMAND until it succeeds; returns 1 on timeout.
wait_for() {
  local what="$1" timeout="$2" interval="$3"
  shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      warn "timed out after ${timeout}s waiting for: ${what}"
      return 1
    fi
    sleep "$interval"
  done
}

# python_with_yaml: prints a python3 that can import PyYAML (the pyenv shim may lack it where Debian's
# /usr/bin/python3 with python3-yaml has it); fails when there is none.
python_with_yaml() {
  local p
  for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import yaml' 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}
