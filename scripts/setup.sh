#!/usr/bin/env bash
# Sets up a fresh machine (Node 20 and npm): installs pnpm, then the workspace from the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
want=12.4.2
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want" ]; then
  echo "plumbline: installing pnpm@$want" >&2
  npm i -g "pnpm@$want" >/dev/null
fi
# better-sqlite3 compiles from source here and needs Node's headers from /usr.
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  pnpm install --frozen-lockfile --reporter=append-only 2>&1 | tail -n 5
fi
