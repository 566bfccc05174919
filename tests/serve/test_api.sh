#!/bin/bash
# test_api.sh -- the editing API of `tocm serve` without a browser: each kind
# of operation the page sends, through POST /api/edit, must write exactly
# what the same command line edit writes (byte for byte), and POST /api/undo
# must then give back the file as it was before (byte for byte). Refused
# edits and checks write nothing.
#
#   test_api.sh TOCM FIXTURE_DIR BUNDLED_MODEL_DIR
tocm=$1
model_dir=$2
bundled_dir=$3
. "$(dirname "$0")/../lib.sh"

"$tocm" serve --help >/dev/null 2>&1 || skip "this tocm was built without libmicrohttpd (no tocm serve)"
command -v curl >/dev/null || skip "curl is not installed"

server=
stop_server() {
  if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null
    wait "$server" 2>/dev/null
  fi
  server=
}
trap 'stop_server; tl_cleanup' EXIT

# start DIR: serves a copy of DIR's model.json (with its data) as $M.
start() {
  stop_server
  rm -rf "$work/m"
  mkdir -p "$work/m"
  cp -R "$1"/. "$work/m"/
  M=$work/m/model.json
  : >"$work/url"
  "$tocm" serve "$M" --quiet >"$work/url" 2>"$work/serve.err" &
  server=$!
  for _ in $(seq 100); do
    [[ -s $work/url ]] && break
    sleep 0.1
  done
  local url
  url=$(head -n 1 "$work/url")
  [[ $url =~ ^http://127\.0\.0\.1:([0-9]+)/\?token=([0-9a-f]{32})$ ]] ||
    { fail "tocm serve started" "$url" "$(cat "$work/serve.err")"; finish; }
  base=http://127.0.0.1:${BASH_REMATCH[1]}
  hdr=(-H "X-Tocm-Token: ${BASH_REMATCH[2]}" -H "Origin: $base" -H 'Content-Type: application/json')
}

state_hash() {
  curl -s "${hdr[@]}" "$base/api/state" | sed -n 's/.*"hash":"\([0-9a-f]*\)".*/\1/p'
}

# post PATH BODY: HTTP status in $code, answer in $work/resp.
post() {
  code=$(curl -s -o "$work/resp" -w '%{http_code}' "${hdr[@]}" -d "$2" "$base$1")
}

# case NAME OPS CMD ARGS...: OPS (a JSON list) through the API against
# `tocm CMD COPY ARGS...`, then undo.
case_edit() {
  local name=$1 ops=$2
  shift 2
  cp "$M" "$work/before.json"
  cp "$M" "$work/cli.json"
  "$tocm" "$1" "$work/cli.json" "${@:2}" >/dev/null 2>"$work/cli.err" ||
    fail "$name: the CLI's edit ran" "$(cat "$work/cli.err")"
  post /api/edit "{\"base\":\"$(state_hash)\",\"ops\":$ops}"
  if [[ $code != 200 ]]; then
    fail "$name: the API's edit is accepted (HTTP $code)" "$(cat "$work/resp")"
    return
  fi
  if cmp -s "$M" "$work/cli.json"; then
    pass "$name: the API wrote what 'tocm $*' writes"
  else
    fail "$name: the API wrote what 'tocm $*' writes" "$("$tocm" diff "$work/cli.json" "$M")"
  fi
  post /api/undo "{\"base\":\"$(state_hash)\"}"
  if [[ $code == 200 ]] && cmp -s "$M" "$work/before.json"; then
    pass "$name: undo gives back the file as it was"
  else
    fail "$name: undo gives back the file as it was (HTTP $code)" "$(head -c 600 "$work/resp")" \
      "$("$tocm" diff "$work/before.json" "$M")"
  fi
}

start "$model_dir"
case_edit "set a text field" '[{"op":"set","id":"O1.1","field":"description","value":"Planning support"}]' \
  set O1.1 "description=Planning support"
case_edit "set a list" '[{"op":"set","id":"A101","field":"partners","value":["SOMTC","AICHR"]}]' \
  set A101 'partners:=["SOMTC","AICHR"]'
case_edit "change a title" '[{"op":"set","id":"GOAL","field":"title","value":"Justice for victims"}]' \
  set GOAL "title=Justice for victims"
case_edit "unset a field" '[{"op":"unset","id":"O1.2","field":"notes"}]' set O1.2 --unset notes
case_edit "a node as a whole inferred" '[{"op":"set","id":"T208","field":"inferred","value":true}]' \
  set T208 inferred:=true
case_edit "add a node and link it" \
  '[{"op":"add","id":"P900","level":"project","title":"New project"},{"op":"link","from":"P900","to":"O1.1"}]' \
  add --id P900 --level project --title "New project" --contributes-to O1.1
case_edit "an inferred link" '[{"op":"link","from":"T208","to":"O2.1","inferred":true}]' \
  link T208 O2.1 --inferred
case_edit "unmark an inferred link" '[{"op":"infer","from":"A101","to":"CL-ACTIP","inferred":false}]' \
  set A101 inferred-=CL-ACTIP
case_edit "unlink" '[{"op":"unlink","from":"A102","to":"O1.3"}]' unlink A102 O1.3
case_edit "unlink an inferred link" '[{"op":"unlink","from":"A101","to":"CL-ACTIP"}]' \
  unlink A101 CL-ACTIP
case_edit "rename" '[{"op":"rename","from":"O2.4","to":"O2.4a"}]' rename O2.4 O2.4a
case_edit "remove with cascade" '[{"op":"remove","id":"EOPO3","mode":"cascade"}]' rm EOPO3 --cascade
case_edit "remove with reattach" '[{"op":"remove","id":"O2.5","mode":"reattach","to":"O2.6"}]' \
  rm O2.5 --reattach-to O2.6
case_edit "remove a leaf" '[{"op":"remove","id":"T208","mode":"only"}]' rm T208

# Refusals write nothing, and a check never writes.
cp "$M" "$work/before.json"
post /api/edit "{\"base\":\"$(state_hash)\",\"ops\":[{\"op\":\"remove\",\"id\":\"O1.1\",\"mode\":\"only\"}]}"
expect_eq "removing a node others link to, without cascade or reattach, is refused" 422 "$code"
post /api/edit "{\"ops\":[{\"op\":\"set\",\"id\":\"A101\",\"field\":\"country\",\"value\":\"XX\"}]}"
expect_eq "a change that adds an error is refused" 422 "$code"
grep -q '"code":"E107"' "$work/resp" && pass "the refusal lists the new finding (E107)" ||
  fail "the refusal lists the new finding (E107)" "$(cat "$work/resp")"
post /api/edit "{\"check\":true,\"ops\":[{\"op\":\"set\",\"id\":\"A101\",\"field\":\"title\",\"value\":\"\"}]}"
if [[ $code == 200 ]] && grep -q '"ok":false' "$work/resp" && grep -q '"node":"A101"' "$work/resp"; then
  pass "a check of a bad change answers ok false with the node's findings"
else
  fail "a check of a bad change answers ok false with the node's findings" "$code $(cat "$work/resp")"
fi
post /api/edit "{\"check\":true,\"ops\":[{\"op\":\"set\",\"id\":\"A101\",\"field\":\"title\",\"value\":\"Fine\"}]}"
grep -q '"ok":true' "$work/resp" && pass "a check of a good change answers ok true" ||
  fail "a check of a good change answers ok true" "$(cat "$work/resp")"
post /api/edit '{"ops":[{"op":"set","id":"A101","field":"id","value":"X"}]}'
expect_eq "the id is not a field to set" 422 "$code"
post /api/edit '{"ops":[{"op":"format","path":"/etc/passwd"}]}'
expect_eq "an unknown operation is refused" 422 "$code"
post /api/edit '{"ops":[]}'
expect_eq "an edit without operations is refused" 400 "$code"
post /api/edit 'not json'
expect_eq "a body that is not JSON is refused" 400 "$code"
if cmp -s "$M" "$work/before.json"; then
  pass "refusals and checks left the file byte for byte"
else
  fail "refusals and checks left the file byte for byte" "$("$tocm" diff "$work/before.json" "$M")"
fi
post /api/undo '{}'
expect_eq "nothing left to undo" 409 "$code"

# Indicators follow a reattach, and come back with undo (the bundled model
# has them).
start "$bundled_dir"
case_edit "remove a measured node with reattach (indicators follow)" \
  '[{"op":"remove","id":"O2.1","mode":"reattach","to":"O2.2"}]' rm O2.1 --reattach-to O2.2
case_edit "cascade through measured nodes (indicators removed and restored)" \
  '[{"op":"remove","id":"EOPO2","mode":"cascade"}]' rm EOPO2 --cascade
finish
