#!/usr/bin/env bash
# Installs what is missing on a fresh machine: the Debian packages named as arguments, then node_modules.
# Usage: bash scripts/setup.sh redis-server redis-tools redis-sentinel haproxy [chromium]
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

declare -A binary=([redis-server]=redis-server [redis-tools]=redis-cli [redis-sentinel]=redis-sentinel [haproxy]=haproxy [chromium]=chromium)
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
  # On a host with systemd, the redis-sentinel and haproxy packages start their own services (a sentinel on
  # 127.0.0.1:26379 watching 127.0.0.1:6379). The tests and the demo start their own on free ports: stop and disable
  # the services this install just started, so nothing of ours is left listening.
  for pkg in "${missing[@]}"; do
    case "$pkg" in
      redis-sentinel | haproxy)
        if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$pkg" 2>/dev/null; then
          echo "setup: stopping the $pkg service the package started (the tests start their own)" >&2
          $sudo systemctl disable --now "$pkg" >/dev/null 2>&1 || true
        fi
        ;;
    esac
  done
fi

if [ "$needs_ci" -eq 1 ]; then
  echo "setup: npm ci" >&2
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
