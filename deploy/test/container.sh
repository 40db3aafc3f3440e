#!/usr/bin/env bash
# CI: the container image. Builds it from the unchanged Dockerfile (the base image made locally by
# ../shared/tools/container-base, since no image registry is reachable; its CA bundle copied into
# deploy/extra-ca/ for npm inside the build), runs it with a named volume, captures a request
# through the published port, restarts it and finds the request again, checks it runs as a
# non-root uid and that `docker stop` ends it in under 10 s with exit code 0. Removes the
# container, volume and image it made, and stops the daemon if container-base started it.
set -euo pipefail
cd "$(dirname "$0")/../.."
docker=/usr/bin/docker   # Debian's client, as container-base installs it with Debian's engine
tag=authbin-ci:$$ name=authbin-ci-$$ volume=authbin-ci-data-$$
token=container-test-token-0123456789
started_dockerd=0
cleanup() {
  $docker rm -f "$name" >/dev/null 2>&1 || true
  $docker volume rm "$volume" >/dev/null 2>&1 || true
  $docker rmi "$tag" >/dev/null 2>&1 || true
  rm -f deploy/extra-ca/extra-ca.crt
  if [ "$started_dockerd" = 1 ]; then ../shared/tools/container-base --stop; fi
}
trap cleanup EXIT
fail() { echo "container: FAIL: $*" >&2; $docker logs "$name" 2>&1 | tail -20 >&2 || true; exit 1; }
seconds() { echo "$(( ($(date +%s%N) - $1) / 1000000 ))" | sed -E 's/([0-9]{3})$/.\1/; s/^\./0./'; }

[ -f /tmp/authbin-dockerd.pid ] && kill -0 "$(cat /tmp/authbin-dockerd.pid)" 2>/dev/null || started_dockerd=1
start=$(date +%s%N)
../shared/tools/container-base --ca-into deploy/extra-ca
echo "container: engine and base image ready in $(seconds "$start") s"

start=$(date +%s%N)
$docker build -q -t "$tag" . >/dev/null
echo "container: image built in $(seconds "$start") s, $($docker image inspect "$tag" --format '{{.Size}}' | awk '{ printf "%.0f MB", $1 / 1e6 }')"

# A newcomer who forgets the token gets one clear line and exit code 1.
refusal=$($docker run --rm "$tag" 2>&1) && fail "started without AUTHBIN_TOKEN"
echo "container: without a token, docker run prints: $refusal"
grep -q 'refusing to listen on 0.0.0.0 without AUTHBIN_TOKEN' <<<"$refusal" || fail "unexpected refusal"

port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
base=http://127.0.0.1:$port
$docker volume create "$volume" >/dev/null
$docker run -d --name "$name" -p "127.0.0.1:$port:8787" -e AUTHBIN_TOKEN=$token -v "$volume:/data" "$tag" >/dev/null
healthy() { for _ in $(seq 1 150); do curl -sf "$base/healthz" >/dev/null 2>&1 && return 0; sleep 0.2; done; fail "no answer on $base/healthz"; }
healthy
echo "container: docker run printed: $($docker logs "$name" 2>&1 | head -1)"
$docker logs "$name" 2>&1 | grep -q '^authbin listening on http://0.0.0.0:8787 (data in /data/authbin.db)$' || fail "unexpected start line"

id=$(curl -sf -d '{"a":1}' "$base/b/container/hook" | node -e 'process.stdin.on("data", (d) => console.log(JSON.parse(d).id))')
$docker restart "$name" >/dev/null
healthy
curl -sf -H "Authorization: Bearer $token" "$base/api/requests/$id" | grep -q '"bin":"container"' || fail "request $id is gone after docker restart"

uid=$($docker exec "$name" stat -c %u /proc/1)
[ "$uid" != 0 ] || fail "runs as root"
# The image's own health check, run by hand (docker runs it only every 30 s).
mapfile -t check < <($docker image inspect "$tag" --format '{{json .Config.Healthcheck.Test}}' | node -e 'process.stdin.on("data", (d) => JSON.parse(d).slice(1).forEach((a) => console.log(a)))')
$docker exec "$name" "${check[@]}" || fail "the HEALTHCHECK command fails"

start=$(date +%s%N)
$docker stop "$name" >/dev/null
took=$(seconds "$start")
code=$($docker inspect "$name" --format '{{.State.ExitCode}}')
[ "$code" = 0 ] || fail "exit code $code after docker stop"
awk -v t="$took" 'BEGIN { exit !(t < 10) }' || fail "docker stop took $took s"
echo "container: OK (request kept across docker restart, uid $uid, docker stop in $took s with exit 0)"
