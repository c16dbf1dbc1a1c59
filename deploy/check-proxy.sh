#!/usr/bin/env bash
# Checks deploy/nginx/chuangye.conf in front of real app servers, with the commands of docs/deployment.md:
# a throwaway PostgreSQL, secrets given as files (CHUANGYE_*_FILE), `make migrate`, two `make serve` app servers,
# and nginx running the site file (ports, addresses and paths rewritten to temporary ones). Then, through nginx:
# http redirects to https; TLS 1.0/1.1 are refused and 1.2/1.3 accepted; pages carry each security header once;
# static files come from the collectstatic directory with the same headers and a one-year cache; a body over
# client_max_body_size gets the Chinese 413 page; requests reach both app servers; with one app server killed
# every request is still answered. Exits non-zero at the first failed check. Everything is stopped and removed.
#
#   bash deploy/check-proxy.sh            (installs nginx if missing; PostgreSQL is installed by scripts/lib/pg.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-.venv/bin/python}
if ! command -v nginx >/dev/null; then
    echo "nginx not found; installing it from the system package manager" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light curl >/dev/null
fi
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 2; }

WORK=$(mktemp -d /tmp/chuangye-proxy.XXXXXX)
chmod 755 "$WORK"
pids=()
# shellcheck source=../scripts/lib/pg.sh
source scripts/lib/pg.sh
cleanup() {
    [ -f "$WORK/nginx/nginx.pid" ] && kill -QUIT "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true
    for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 1 40); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.25; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    pg_stop || true
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok   $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Secrets as files, the form the systemd units use (LoadCredential= and CHUANGYE_*_FILE).
mkdir -p "$WORK/secrets" "$WORK/var" "$WORK/media"
"$PY" -c 'import secrets; print(secrets.token_urlsafe(64))' >"$WORK/secrets/secret_key"
echo "k1:$("$PY" -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')" >"$WORK/secrets/pii_keys"
"$PY" -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())' >"$WORK/secrets/pii_index_key"
PG_FAST=1 pg_start
export CHUANGYE_ENV=production
export CHUANGYE_SECRET_KEY_FILE="$WORK/secrets/secret_key" CHUANGYE_PII_KEYS_FILE="$WORK/secrets/pii_keys"
export CHUANGYE_PII_INDEX_KEY_FILE="$WORK/secrets/pii_index_key"
# As deploy/systemd/*.service: the database URL is a variable (scripts/serve.sh checks it), the keys are files.
export CHUANGYE_DATABASE_URL="$PG_URL"
export CHUANGYE_ALLOWED_HOSTS=chuangye.example.gov.cn CHUANGYE_SMS_BACKEND=file
export CHUANGYE_VAR_DIR="$WORK/var" CHUANGYE_MEDIA_ROOT="$WORK/media" CHUANGYE_WEB_WORKERS=2 CHUANGYE_NUM_PROXIES=1

make --no-print-directory migrate PY="$PY" >"$WORK/migrate.log" 2>&1 || { tail -n 30 "$WORK/migrate.log"; fail "make migrate"; }
ok "make migrate"

APP1=$(free_port)
APP2=$(free_port)
start_app() {  # start_app PORT: one `make serve` in its own process group, waited for until /healthz answers
    CHUANGYE_BIND="127.0.0.1:$1" CHUANGYE_ACCESS_LOG="$WORK/access-$1.log" \
        setsid make --no-print-directory serve PY="$PY" >"$WORK/serve-$1.log" 2>&1 &
    pids+=("$!")
    for _ in $(seq 1 600); do
        curl -fsS -o /dev/null -H "X-Forwarded-Proto: https" -H "Host: chuangye.example.gov.cn" \
            "http://127.0.0.1:$1/healthz" 2>/dev/null && return 0
        kill -0 "$!" 2>/dev/null || { tail -n 30 "$WORK/serve-$1.log"; fail "make serve on port $1 exited"; }
        sleep 1
    done
    fail "make serve on port $1 did not answer"
}
start_app "$APP1"
start_app "$APP2"  # both serve the static files `make migrate` collected into CHUANGYE_VAR_DIR/static
ok "two app servers (make serve) on 127.0.0.1:$APP1 and :$APP2"

HTTP=$(free_port)
HTTPS=$(free_port)
N="$WORK/nginx"
mkdir -p "$N/log"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$N/key.pem" -out "$N/cert.pem" -days 1 \
    -subj /CN=chuangye.example.gov.cn >/dev/null 2>&1
# The site file as shipped, with this run's ports, app servers and paths.
sed -e "s|listen 80;|listen 127.0.0.1:$HTTP;|; s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS ssl http2;|" \
    -e '/listen \[::\]/d' \
    -e "/server 10\.0\.0\.11:8000/s|10.0.0.11:8000|127.0.0.1:$APP1|" \
    -e "/server 10\.0\.0\.12:8000/s|10.0.0.12:8000|127.0.0.1:$APP2|" \
    -e '/server 10\.0\.0\.13:8000/d' \
    -e "s|/etc/nginx/tls/chuangye.example.gov.cn.fullchain.pem|$N/cert.pem|" \
    -e "s|/etc/nginx/tls/chuangye.example.gov.cn.key|$N/key.pem|" \
    -e "s|/etc/nginx/snippets/chuangye-security-headers.conf|$ROOT/deploy/nginx/security-headers.conf|" \
    -e "s|/var/log/nginx|$N/log|" -e "s|/var/lib/chuangye/static/|$WORK/var/static/|" \
    deploy/nginx/chuangye.conf >"$N/site.conf"
grep -q "127.0.0.1:$APP2" "$N/site.conf" || fail "could not rewrite the upstream block"
cat >"$N/nginx.conf" <<EOF
pid $N/nginx.pid;
error_log $N/log/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $N/body;
    proxy_temp_path $N/proxy;
    include $N/site.conf;
}
EOF
nginx -t -q -p "$N" -c "$N/nginx.conf" || fail "nginx -t"
nginx -p "$N" -c "$N/nginx.conf"
ok "nginx -t, nginx on :$HTTP (http) and :$HTTPS (https)"

H=chuangye.example.gov.cn
C=(curl -sS -k --resolve "$H:$HTTPS:127.0.0.1" --resolve "$H:$HTTP:127.0.0.1")
BASE="https://$H:$HTTPS"

location=$("${C[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' "http://$H:$HTTP/login/")
[ "$location" = "301 https://$H/login/" ] || fail "http should redirect to https, got: $location"
ok "http -> 301 https"

for v in 1.0 1.1; do
    if "${C[@]}" -o /dev/null --tlsv$v --tls-max $v "$BASE/healthz" 2>/dev/null; then fail "TLS $v accepted"; fi
done
for v in 1.2 1.3; do
    "${C[@]}" -fo /dev/null --tlsv$v --tls-max $v "$BASE/healthz" || fail "TLS $v refused"
done
ok "TLS 1.0/1.1 refused, 1.2/1.3 accepted"

headers_once() {  # headers_once FILE WHAT: each security header exactly once
    local name
    for name in strict-transport-security content-security-policy x-frame-options x-content-type-options \
        referrer-policy cross-origin-opener-policy; do
        [ "$(grep -ci "^$name:" "$1")" = 1 ] || fail "$2: header $name not exactly once"
    done
}
"${C[@]}" -D "$WORK/page.h" -o "$WORK/page.html" "$BASE/login/"
head -n 1 "$WORK/page.h" | grep -q " 200" || fail "GET /login/ through nginx: $(head -n 1 "$WORK/page.h")"
headers_once "$WORK/page.h" "page"
grep -qi '^set-cookie: __Host-csrftoken=.*secure' "$WORK/page.h" || fail "no __Host-csrftoken Secure cookie"
grep -qi '^strict-transport-security: max-age=31536000; includeSubDomains; preload' "$WORK/page.h" || fail "HSTS"
ok "page through nginx: 200, every security header once, __Host- Secure cookie"

css=$(grep -o '/static/[^"]*\.css' "$WORK/page.html" | head -n 1)
[ -n "$css" ] || fail "no style sheet on the login page"
"${C[@]}" -D "$WORK/css.h" -o /dev/null -H 'Accept-Encoding: gzip' "$BASE$css"
head -n 1 "$WORK/css.h" | grep -q " 200" || fail "static $css: $(head -n 1 "$WORK/css.h")"
headers_once "$WORK/css.h" "static file"
grep -qi '^cache-control:.*immutable' "$WORK/css.h" || fail "static file without the long cache"
grep -qi '^content-encoding: gzip' "$WORK/css.h" || fail "static file not sent pre-compressed"
if grep -q "GET $css" "$WORK"/access-*.log 2>/dev/null; then fail "static file went to an app server"; fi
ok "static $css from the collectstatic directory by nginx (gzip, immutable, same headers)"

head -c $((102 * 1024 * 1024)) /dev/zero >"$WORK/big.bin"
code=$("${C[@]}" -o "$WORK/413.html" -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
    --data-binary @"$WORK/big.bin" "$BASE/login/")
[ "$code" = 413 ] && grep -q "上传的内容过大" "$WORK/413.html" || fail "102 MB body: $code"
rm -f "$WORK/big.bin"
ok "a 102 MB body gets the Chinese 413 page from nginx"

count() { grep -c "/healthz" "$WORK/access-$1.log" 2>/dev/null || true; }
b1=$(count "$APP1")
b2=$(count "$APP2")
for _ in $(seq 1 20); do "${C[@]}" -fo /dev/null "$BASE/healthz" || fail "GET /healthz"; done
n1=$(($(count "$APP1") - b1))
n2=$(($(count "$APP2") - b2))
[ "$n1" -ge 1 ] && [ "$n2" -ge 1 ] && [ $((n1 + n2)) = 20 ] || fail "20 requests did not spread over both app servers ($n1, $n2)"
ok "20 requests through nginx: $n1 to one app server, $n2 to the other"

kill -TERM -- "-${pids[0]}"
for _ in $(seq 1 40); do kill -0 -- "-${pids[0]}" 2>/dev/null || break; sleep 0.25; done
failed=0
for _ in $(seq 1 30); do
    code=$("${C[@]}" -o /dev/null -w '%{http_code}' "$BASE/login/")
    [ "$code" = 200 ] || failed=$((failed + 1))
done
[ "$failed" = 0 ] || fail "$failed of 30 requests failed with one app server down"
ok "one app server stopped: 30 of 30 requests answered by the other"
echo "deploy/check-proxy.sh: all checks passed" >&2
