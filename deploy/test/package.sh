#!/usr/bin/env bash
# CI: the npm package as a user gets it. Packs the repo (prepack builds it), installs the tarball
# into an empty prefix (its own node_modules, none of the repo's), starts `authbin --port 0` in an
# empty folder, captures a request with curl, reads it back through the API, and stops it with
# SIGTERM, which must exit 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/authbin-package-XXXX)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "package: FAIL: $*" >&2; [ -f "$work/server.log" ] && cat "$work/server.log" >&2; exit 1; }

npm pack --pack-destination "$work" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; fail "npm pack"; }
tarball=$(ls "$work"/authbin-*.tgz)
echo "package: $(basename "$tarball"), $(du -k "$tarball" | cut -f1) KiB packed, $(tar -tzf "$tarball" | wc -l) files"
if tar -tzf "$tarball" | grep -E '^package/(test|bench|server|web|shared|scripts)/|\.map$|/dist/(test|bench)/'; then fail "the tarball holds sources, tests or bench files"; fi

npm install --global --prefix "$work/prefix" --no-audit --no-fund "$tarball" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "npm install of the tarball"; }
authbin="$work/prefix/bin/authbin"
mkdir "$work/run" && cd "$work/run"
version=$("$authbin" --version)
[ "$version" = "$(node -p "require('$OLDPWD/package.json').version")" ] || fail "authbin --version printed '$version'"
help=$("$authbin" serve --help 2>&1 || true)
grep -q -- '--tls-cert' <<<"$help" || fail "authbin serve --help does not list the options"

"$authbin" --port 0 >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do grep -q 'listening on' "$work/server.log" && break; sleep 0.1; done
line=$(head -1 "$work/server.log")
echo "package: authbin printed: $line"
[[ "$line" =~ ^authbin\ listening\ on\ (http://127\.0\.0\.1:[0-9]+)\ \(data\ in\ (.*)\)$ ]] || fail "unexpected start line"
base=${BASH_REMATCH[1]}
[ "${BASH_REMATCH[2]}" = "$work/run/data/authbin.db" ] || fail "the database is not ./data/authbin.db under the current folder"

id=$(curl -sf -u 'me@example.com/token:abc' -d '{"a":1}' "$base/b/demo/hook" | node -e 'process.stdin.on("data", (d) => console.log(JSON.parse(d).id))')
curl -sf "$base/api/requests/$id" | node -e '
  let t = ""; process.stdin.on("data", (d) => (t += d)).on("end", () => {
    const r = JSON.parse(t);
    if (r.bin !== "demo" || r.path !== "/hook" || r.body.text !== "{\"a\":1}" || r.analysis.basic?.email !== "me@example.com") process.exit(1);
  });' || fail "the captured request did not read back through the API"

kill -TERM "$pid"
code=0; wait "$pid" || code=$?
pid=""
[ "$code" = 0 ] || fail "SIGTERM: exit code $code"
[ -s "$work/run/data/authbin.db" ] || fail "no ./data/authbin.db"
echo "package: OK (installed, captured request $id, read it back, SIGTERM exit 0)"
