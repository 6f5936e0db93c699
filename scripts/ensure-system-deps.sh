#!/usr/bin/env bash
# Installs what a fresh machine lacks for the project: Java 17+ (DynamoDB Local) and, with --browser,
# Debian's Chromium (browser tests). Needs root for apt-get; otherwise prints the exact command and fails.
set -euo pipefail

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

missing=()
if ! command -v java >/dev/null 2>&1; then
  missing+=(openjdk-17-jre-headless)
else
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  if [ -n "$major" ] && [ "$major" -lt 17 ]; then missing+=(openjdk-17-jre-headless); fi
fi
if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium fonts-noto-core)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "Missing system packages: ${missing[*]}. Install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]} (once)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Installed: ${missing[*]}"
