#!/usr/bin/env bash
# Installs what is missing on a fresh machine: the Debian packages named as arguments, then node_modules.
# Usage: bash scripts/setup.sh redis-server redis-tools [chromium]
set -euo pipefail
cd "$(dirname "$0")/.."

# npm ci when node_modules is missing or older than the lock file.
needs_ci=0
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  needs_ci=1
fi

packages=("$@")
# better-sqlite3 12.x builds its native module from source during npm ci: it needs a C++ compiler, make and python3.
if [ "$needs_ci" -eq 1 ]; then packages+=(g++ make python3); fi

declare -A binary=([redis-server]=redis-server [redis-tools]=redis-cli [chromium]=chromium)
missing=()
for pkg in "${packages[@]}"; do
  command -v "${binary[$pkg]:-$pkg}" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]} from Debian" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "$needs_ci" -eq 1 ]; then
  echo "setup: npm ci" >&2
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
