#!/usr/bin/env bash
# Prints the home of a JDK >= 21 (JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm).
# The machine's default java is 17; the build needs 21+.
set -euo pipefail

major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" ]] && (( $(major "$JAVA_HOME") >= 21 )); then
  echo "$JAVA_HOME"; exit 0
fi
best=""; best_major=0
for home in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
  [[ -x "$home/bin/javac" ]] || continue
  m=$(major "$home"); [[ -n "$m" ]] || continue
  if (( m >= 21 && m > best_major )); then best="$home"; best_major=$m; fi
done
if [[ -z "$best" ]]; then
  echo "java-home.sh: no JDK >= 21 found (looked at JAVA_HOME and /usr/lib/jvm/*); install one, e.g. Temurin 21" >&2
  exit 1
fi
echo "$best"
