#!/bin/bash
# test_serve.sh -- `tocm serve` end to end: starts the server on a free port
# against a copy of the edit tests' fixture, refuses forged requests (curl),
# drives the page in Chromium (browser.mjs), and stops the server with
# SIGINT. The server is stopped whatever happens (trap).
#
#   test_serve.sh TOCM FIXTURE_DIR [SHOTS_DIR]
#
# SHOTS_DIR keeps the screenshots of each step (default: a scratch
# directory, removed at the end).
tocm=$1
model_dir=$2
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
shots=${3:-$work/shots}

"$tocm" serve --help >/dev/null 2>&1 || skip "this tocm was built without libmicrohttpd (no tocm serve)"
command -v curl >/dev/null || skip "curl is not installed"

mkdir -p "$work/m"
cp "$model_dir/model.json" "$work/m/model.json"
M=$work/m/model.json

server=
stop_server() {
  if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null
    wait "$server" 2>/dev/null
  fi
  server=
}
trap 'stop_server; tl_cleanup' EXIT

# Port 0: the system picks a free one; the printed address says which.
"$tocm" serve "$M" --port 0 >"$work/url" 2>"$work/serve.err" &
server=$!
for _ in $(seq 100); do
  [[ -s $work/url ]] && break
  sleep 0.1
done
url=$(head -n 1 "$work/url")
if [[ ! $url =~ ^http://127\.0\.0\.1:([0-9]+)/\?token=([0-9a-f]{32})$ ]]; then
  fail "tocm serve prints its address" "got: $url" "$(cat "$work/serve.err")"
  finish
fi
port=${BASH_REMATCH[1]}
token=${BASH_REMATCH[2]}
pass "tocm serve prints http://127.0.0.1:PORT/?token=<32 hex digits>"
base=http://127.0.0.1:$port

# ---- loopback only -------------------------------------------------------
# Every listening socket on the port is 127.0.0.1 or ::1, never a wildcard.
listening=$(ss -Hltn "sport = :$port" | awk '{print $4}' | sort | tr '\n' ' ')
if [[ $listening == "127.0.0.1:$port " || $listening == "127.0.0.1:$port [::1]:$port " ]]; then
  pass "listens on loopback only: $listening"
else
  fail "listens on loopback only" "ss: $listening"
fi

# ---- forged requests are refused ------------------------------------------
# status NAME WANT CURL_ARGS...: the HTTP status of a request.
status() {
  local name=$1 want=$2
  shift 2
  local got
  got=$(curl -s -o "$work/body" -w '%{http_code}' "$@")
  expect_eq "$name (HTTP $want)" "$want" "$got"
}
api=(-H "X-Tocm-Token: $token")
post=(-H "X-Tocm-Token: $token" -H "Origin: $base" -H 'Content-Type: application/json')
edit='{"ops":[{"op":"set","id":"GOAL","field":"title","value":"forged"}]}'
cp "$M" "$work/original.json"

status "the page with its token" 200 "$base/?token=$token"
status "the API with its token" 200 "${api[@]}" "$base/api/state"
status "the API over ::1 too" 200 "${api[@]}" -g "http://[::1]:$port/api/state"
status "the page without a token" 403 "$base/"
status "the page with a wrong token" 403 "$base/?token=${token%?}0"
status "the API without a token" 403 "$base/api/model"
status "the API with a wrong token" 403 -H "X-Tocm-Token: 0123456789abcdef0123456789abcdef" "$base/api/model"
status "the token in the query does not open the API" 400 "$base/api/model?token=$token"
status "a Host of another name (DNS rebinding)" 403 "${api[@]}" -H "Host: attacker.example:$port" "$base/api/model"
status "a Host with another port" 403 "${api[@]}" -H "Host: 127.0.0.1:1" "$base/api/model"
json=(-H "X-Tocm-Token: $token" -H 'Content-Type: application/json')
status "an edit from a foreign Origin" 403 "${json[@]}" -H "Origin: http://attacker.example" -d "$edit" "$base/api/edit"
status "an edit from a foreign Origin on this port" 403 "${json[@]}" -H "Origin: http://attacker.example:$port" -d "$edit" "$base/api/edit"
status "an edit from a null Origin" 403 "${json[@]}" -H "Origin: null" -d "$edit" "$base/api/edit"
status "a second, foreign Origin header" 400 "${post[@]}" -H "Origin: http://attacker.example" -d "$edit" "$base/api/edit"
# curl sends one Host whatever it is given: these are written by hand.
# raw_status NAME HEADERS: a GET of /api/model with those header lines.
raw_status() {
  local got
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET /api/model HTTP/1.1\r\n%sConnection: close\r\n\r\n' "$2" >&3
  got=$(head -n 1 <&3 | awk '{print $2}')
  exec 3<&-
  expect_eq "$1 (HTTP 400)" 400 "$got"
}
raw_status "a second Host header" \
  "Host: 127.0.0.1:$port"$'\r\n'"Host: attacker.example"$'\r\n'"X-Tocm-Token: $token"$'\r\n'
raw_status "a second token header" \
  "Host: 127.0.0.1:$port"$'\r\n'"X-Tocm-Token: $token"$'\r\n'"X-Tocm-Token: x"$'\r\n'
status "an edit without an Origin" 403 "${api[@]}" -H 'Content-Type: application/json' -d "$edit" "$base/api/edit"
status "a cross-site fetch (Sec-Fetch-Site)" 403 "${api[@]}" -H "Sec-Fetch-Site: cross-site" "$base/api/model"
status "an edit sent as a form" 415 "${api[@]}" -H "Origin: $base" -d "ops=x" "$base/api/edit"
status "a path in a parameter (?file=)" 400 "${api[@]}" "$base/api/model?file=/etc/passwd"
status "a path in a parameter (?view=)" 400 "${api[@]}" "$base/api/svg?view=..%2F..%2Fetc%2Fpasswd"
status "a parameter given twice" 400 "${api[@]}" "$base/api/svg?view=full&view=outcomes"
head -c 300000 /dev/zero | tr '\0' 'x' >"$work/big"
status "a body over the size limit" 413 "${post[@]}" --data-binary "@$work/big" "$base/api/edit"
status "an unknown address" 404 "${api[@]}" "$base/etc/passwd"
status "a method other than GET and POST" 405 "${api[@]}" -X DELETE "$base/api/model"
if cmp -s "$M" "$work/original.json"; then
  pass "no refused request changed the file"
else
  fail "no refused request changed the file"
fi
status "the answers carry a Content-Security-Policy" 200 -D "$work/headers" "$base/?token=$token"
if grep -qi "^content-security-policy: default-src 'none'; script-src 'self'" "$work/headers"; then
  pass "Content-Security-Policy: default-src 'none'; script-src 'self' ..."
else
  fail "the page's Content-Security-Policy" "$(cat "$work/headers")"
fi

# An edit with a stale base is refused (the page reloads instead).
status "an edit against a version the file no longer is" 409 "${post[@]}" \
  -d '{"base":"0000000000000000","ops":[{"op":"set","id":"GOAL","field":"status","value":"x"}]}' "$base/api/edit"

# ---- the page in Chromium ---------------------------------------------------
browser_dir=$here/../browser
if ! command -v node >/dev/null; then
  fail "node is installed (the browser tests need it; .ci/setup installs it)"
elif [[ ! -d $browser_dir/node_modules/playwright-core ]]; then
  fail "playwright-core is installed (run 'npm ci' in tests/browser; .ci/setup does)"
elif [[ ! -x ${TOCM_CHROMIUM:-/usr/bin/chromium} ]]; then
  fail "Chromium is installed (.ci/setup installs it)"
else
  node "$here/browser.mjs" "$url" "$M" "$tocm" "$shots" >"$work/browser.out" 2>&1
  rc=$?
  while IFS= read -r line; do
    case $line in
    "ok   "*) pass "${line#ok   }" ;;
    "FAIL "*) fail "${line#FAIL }" ;;
    *) echo "     $line" ;;
    esac
  done <"$work/browser.out"
  ((rc == 0)) || fail "browser.mjs exited $rc"
fi

# ---- Ctrl-C stops it cleanly ------------------------------------------------
kill -INT "$server"
wait "$server"
rc=$?
server=
expect_eq "SIGINT stops tocm serve with status 0" 0 "$rc"
if grep -q "tocm serve: stopped" "$work/serve.err"; then
  pass "it says it stopped"
else
  fail "it says it stopped" "$(tail -5 "$work/serve.err")"
fi
if curl -s -o /dev/null --max-time 2 "$base/"; then
  fail "the port is closed after the stop"
else
  pass "the port is closed after the stop"
fi
finish
