#!/usr/bin/env bash
# CI: deploy/Caddyfile and deploy/nginx.conf in front of authbin (--trust-proxy, a token), each on
# a loopback port with a local certificate (Caddy's `tls internal`; a self-signed one made with
# openssl for nginx) and curl trusting only that certificate. Through each proxy: a Twilio-signed
# capture is stored with the client's address from X-Forwarded-For (a spoofed one is replaced) and
# its https URL, and verifies; an event stream gets a new capture within 1 s; a 20 MiB upload gets
# authbin's 413 and a truncated record. The production files are used as they are, with only the
# site name, ports and certificate paths changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
work=$(mktemp -d /tmp/authbin-proxies-XXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "proxies: FAIL: $*" >&2; for log in "$work"/*.log; do echo "== $log" >&2; tail -20 "$log" >&2; done; exit 1; }
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
json() { node -e 'let t = ""; process.stdin.on("data", (d) => (t += d)).on("end", () => { const v = JSON.parse(t); console.log(eval(process.argv[1])); })' "$1"; }

export AUTHBIN_TOKEN=proxy-test-token-0123456789
auth="Authorization: Bearer $AUTHBIN_TOKEN"
node scripts/build.mjs --if-stale --quiet
authbin_port=$(free_port)
node dist/server/cli/main.js serve --port "$authbin_port" --db "$work/authbin.db" --trust-proxy >"$work/authbin.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q 'listening on' "$work/authbin.log" && break; sleep 0.1; done
grep -q 'listening on' "$work/authbin.log" || fail "authbin did not start"

# Checks one proxy at https://localhost:$1 whose certificate curl trusts through $2.
check() {
  local name=$1 port=$2 ca=$3 base="https://localhost:$2"
  local c=(curl -sS --cacert "$ca" --resolve "localhost:$port:127.0.0.1")
  for _ in $(seq 1 100); do "${c[@]}" -o /dev/null "$base/healthz" 2>/dev/null && break; sleep 0.1; done

  # A Twilio callback, signed over the public https URL, with a forged X-Forwarded-For.
  local url="$base/b/$name/sms" token=twilio-auth-token-123 params='To=%2B15551234&Body=hi'
  local signature
  signature=$(printf '%s' "${url}Bodyhi" "To+15551234" | openssl dgst -sha1 -hmac "$token" -binary | base64)
  local id
  id=$("${c[@]}" -H 'X-Forwarded-For: 203.0.113.9' -H "X-Twilio-Signature: $signature" -d "$params" "$url" | json v.id)
  local detail
  detail=$("${c[@]}" -H "$auth" "$base/api/requests/$id")
  [ "$(json 'v.url' <<<"$detail")" = "$url" ] || fail "$name: stored URL is $(json v.url <<<"$detail"), not $url"
  [ "$(json '`${v.remoteAddress} ${v.remotePort}`' <<<"$detail")" = "127.0.0.1 null" ] || fail "$name: client address $(json '`${v.remoteAddress} ${v.remotePort}`' <<<"$detail") is not the proxy's X-Forwarded-For"
  local verdict
  verdict=$("${c[@]}" -H "$auth" -H 'content-type: application/json' -d "{\"secret\":\"$token\"}" "$base/api/requests/$id/verify")
  [ "$(json 'v.signatures[0].status + " " + v.signatures[0].findings.some((f) => f.code === "url-differs")' <<<"$verdict")" = "valid false" ] || fail "$name: Twilio signature: $verdict"

  # An event stream through the proxy gets a new capture within 1 s.
  "${c[@]}" -N -H "$auth" "$base/api/bins/$name/events" >"$work/$name-events.txt" &
  local stream=$!
  for _ in $(seq 1 100); do grep -q 'event: ready' "$work/$name-events.txt" && break; sleep 0.05; done
  grep -q 'event: ready' "$work/$name-events.txt" || fail "$name: the event stream did not open"
  local start
  start=$(date +%s%N)
  "${c[@]}" -o "$work/$name-live.json" -d live "$base/b/$name/live"
  until grep -q '^event: request' "$work/$name-events.txt"; do
    (( $(date +%s%N) - start < 1000000000 )) || fail "$name: the event did not arrive through the proxy within 1 s"
    sleep 0.01
  done
  local delivered_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  grep -q "^id: $(json v.id <"$work/$name-live.json")\$" "$work/$name-events.txt" || fail "$name: the event is not the new capture"
  kill "$stream"; wait "$stream" 2>/dev/null || true

  # 20 MiB: authbin, not the proxy, answers 413 and keeps the first 10 MiB.
  local status
  status=$(head -c $((20 * 1024 * 1024)) /dev/zero | "${c[@]}" -o /dev/null -w '%{http_code}' --data-binary @- "$base/b/$name-big" || true)
  [ "$status" = 413 ] || fail "$name: a 20 MiB upload got $status"
  local big
  big=$("${c[@]}" -H "$auth" "$base/api/bins/$name-big/requests/latest")
  [ "$(json 'v.body.truncated + " " + Buffer.from(v.body.base64, "base64").length' <<<"$big")" = "true 10485760" ] || fail "$name: the 20 MiB upload was not kept truncated"
  echo "proxies: $name OK (https URL and X-Forwarded-For stored, Twilio signature valid, event ${delivered_ms} ms after sending, 20 MiB → 413 with 10 MiB kept)"
}

# Caddy: the site name becomes localhost on a free port, with Caddy's own local CA; no admin API,
# no redirect listener on port 80, nothing installed in the system's trust store.
caddy_port=$(free_port)
export XDG_DATA_HOME=$work/caddy-data XDG_CONFIG_HOME=$work/caddy-config
{
  printf '{\n\tadmin off\n\tskip_install_trust\n\tauto_https disable_redirects\n\thttp_port %s\n}\n' "$(free_port)"
  sed -e "s|^bins.example.com {|https://localhost:$caddy_port {\n\tbind 127.0.0.1\n\ttls internal|" \
      -e "s|127.0.0.1:8787|127.0.0.1:$authbin_port|" deploy/Caddyfile
} >"$work/Caddyfile"
caddy run --adapter caddyfile --config "$work/Caddyfile" >"$work/caddy.log" 2>&1 &
pids+=($!)
ca=$XDG_DATA_HOME/caddy/pki/authorities/local/root.crt
for _ in $(seq 1 100); do [ -s "$ca" ] && break; sleep 0.1; done
[ -s "$ca" ] || fail "caddy made no local CA"
check caddy "$caddy_port" "$ca"

# nginx: a self-signed certificate for localhost, the server block included from a minimal main file.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$work/nginx.key" -out "$work/nginx.crt" 2>/dev/null
nginx_port=$(free_port)
sed -e "s|listen 443 ssl;|listen 127.0.0.1:$nginx_port ssl;|" -e '/listen \[::\]:443 ssl;/d' \
    -e "s|/etc/letsencrypt/live/bins.example.com/fullchain.pem|$work/nginx.crt|" \
    -e "s|/etc/letsencrypt/live/bins.example.com/privkey.pem|$work/nginx.key|" \
    -e "s|127.0.0.1:8787|127.0.0.1:$authbin_port|" deploy/nginx.conf >"$work/authbin-site.conf"
mkdir -p "$work/nginx"
# Run as root, nginx's workers drop to an unprivileged user: they must be able to reach and write the body buffers.
chmod 755 "$work"
chmod 777 "$work/nginx"
cat >"$work/nginx.conf" <<CONF
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events {}
http {
    access_log off;
    client_body_temp_path $work/nginx;
    proxy_temp_path $work/nginx;
    include $work/authbin-site.conf;
}
CONF
nginx -p "$work/nginx" -c "$work/nginx.conf" >"$work/nginx.log" 2>&1 &
pids+=($!)
check nginx "$nginx_port" "$work/nginx.crt"
echo "proxies: OK"
