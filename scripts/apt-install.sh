#!/usr/bin/env bash
# Installs Debian packages: apt-get update, then apt-get install of the given packages, as root (or
# with sudo), non-interactively, waiting for another apt to release its lock.
#   bash scripts/apt-install.sh PACKAGE...
set -euo pipefail
[ "$#" -gt 0 ] || exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-install: apt-get not found; please install: $*" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
lock=(-o DPkg::Lock::Timeout=600)
echo "apt-install: $*"
$SUDO apt-get "${lock[@]}" update -qq >/dev/null
$SUDO apt-get "${lock[@]}" install -y -qq --no-install-recommends "$@" >/dev/null
