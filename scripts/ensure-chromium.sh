#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium (the report preview and
# its test drive it with playwright-core). Installs the `chromium` package with
# apt-get when it is missing and this user may (root, or password-less sudo).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "Chromium is missing at /usr/bin/chromium; install it as root: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
echo "Installing Debian's chromium package (for the report preview)..." >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
test -x /usr/bin/chromium
