#!/usr/bin/env bash
# Called by bench/native-check inside scripts/with-postgres: $1 the native engine, $2 the JIT one.
set -euo pipefail
native=$1 jit=$2
server=${DATABASE_URL%/*}
sql() { psql "$1" -X -q -At -v ON_ERROR_STOP=1 "${@:2}"; }
export PGOPTIONS="-c client_min_messages=warning" LACREI_SOURCE_URL="$server/native_check_source"
# One throwaway pseudonym key for both builds, so their model tables can be compared row for row.
export LACREI_PSEUDONYM_KEY=${LACREI_PSEUDONYM_KEY:-$(head -c 48 /dev/urandom | base64 -w0)}
sql "$server/postgres" -c "CREATE DATABASE native_check_source"
for file in source-schema.sql generate.sql; do
  sed -e 's/{{ source_schema }}/"lacreisaude-relacional"/g' -e 's/{{ scale }}/1/g' "pipelines/lacrei/demo/$file" | sql "$LACREI_SOURCE_URL" >/dev/null
done

# Everything a table holds, one line per table: its name, row count and a hash of its sorted rows.
tables() {
  sql "$1" -c "SELECT table_schema || '.' || table_name FROM information_schema.tables
               WHERE table_schema LIKE 'lacreisaude\_%' AND table_schema <> 'lacreisaude_pipeline' AND table_type = 'BASE TABLE' ORDER BY 1" |
  while read -r table; do
    # A snapshot's valid_from/valid_to are the time each build ran (materialize: snapshot): left out.
    echo "$table $(sql "$1" -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(r, ',' ORDER BY r), '')) FROM $table AS t, LATERAL (SELECT (to_jsonb(t) - 'valid_from' - 'valid_to')::text) AS v(r)")"
  done
}

without_ids_and_times='
import json, sys
def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in ("run_id", "started_at", "finished_at", "seconds")}
    return [strip(v) for v in node] if isinstance(node, list) else node
runs = json.load(sys.stdin)
assert len(runs) == 2 and all("rejected_rows" in r for r in runs), "two runs, each with its rejected rows"
json.dump(strip(runs), sys.stdout, indent=1, sort_keys=True)'

for build in native jit; do
  engine=${!build} target="$server/native_check_$build"
  sql "$server/postgres" -c "CREATE DATABASE native_check_$build"
  export DATABASE_URL=$target
  echo "== $build: run, no-op run, test" >&2
  $engine run -q >/dev/null
  $engine run -q >/dev/null
  $engine test --json >"/tmp/native-check-tests-$build.json" || true
  # Both runs' results as the run log gives them back, without what differs from build to build (ids, times).
  $engine runs --json --limit 2 | python3 -c "$without_ids_and_times" >"/tmp/native-check-runs-$build.json"
  tables "$target" >"/tmp/native-check-tables-$build.txt"
done
diff /tmp/native-check-tables-native.txt /tmp/native-check-tables-jit.txt
diff /tmp/native-check-tests-native.json /tmp/native-check-tests-jit.json
diff /tmp/native-check-runs-native.json /tmp/native-check-runs-jit.json
echo "same $(wc -l </tmp/native-check-tables-native.txt) tables, row for row, the same test results and the same run results" >&2

# The service, natively: health, a triggered run, the run list and the run itself.
token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export DATABASE_URL="$server/native_check_native"
LACREI_API_TOKENS="check:$(printf %s "$token" | $native hash-password --token | tail -1)" $native serve --urls http://127.0.0.1:5097 -q &
service=$!
trap 'kill $service 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:5097/health >/dev/null && break; sleep 0.1; done
auth="Authorization: Bearer $token"
curl -sf http://127.0.0.1:5097/health | grep -q '"database":"ok"'
run=$(curl -sf -X POST -H "$auth" http://127.0.0.1:5097/api/etl/run/staging1 | python3 -c 'import json, sys; print(json.load(sys.stdin)["run_id"])')
for _ in $(seq 100); do
  status=$(curl -sf -H "$auth" "http://127.0.0.1:5097/api/etl/runs/$run" | python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])')
  [[ $status != running ]] && break; sleep 0.1
done
[[ $status == success ]] || { echo "the service's run ended $status" >&2; exit 1; }
curl -sf -H "$auth" "http://127.0.0.1:5097/api/etl/runs?limit=5" | grep -q "\"run_id\":\"$run\""
echo "the native service answered: health, trigger ($run: $status), run list" >&2
