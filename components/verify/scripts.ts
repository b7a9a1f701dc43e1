/**
 * The shell the post-deploy checks run. POSIX sh only (the curl image is Alpine's busybox; the Redis and
 * PostgreSQL images are Debian's dash), so the same scripts run in the cluster and in the tests here.
 * Every check prints `ok    <what>` or `FAIL  <what>: <why>`; a script exits non-zero when one failed.
 */

/** Functions every HTTP step shares: curl through the public path, and the report lines. */
const HTTP_PRELUDE = `set -u
failed=0
ok() { echo "ok    $1"; }
fail() { echo "FAIL  $1"; failed=$((failed + 1)); }
# curl with the stack's routing: CONNECT_TO sends the public host name to the ingress controller's Service.
req() {
  if [ "\${TLS_VERIFY:-true}" = false ]; then set -- --insecure "$@"; fi
  if [ -n "\${CONNECT_TO:-}" ]; then set -- --connect-to "$CONNECT_TO" "$@"; fi
  curl -sS --max-time "\${REQUEST_TIMEOUT:-10}" "$@"
}
# GET or POST, printing "<status> <body>" on one line, then curl's error, if any (its first line).
http() {
  : >"\${TMPDIR:-/tmp}"/body; code=$(req -o "\${TMPDIR:-/tmp}"/body -w '%{http_code}' "$@" 2>"\${TMPDIR:-/tmp}"/err) || true
  printf '%s %s%s\\n' "\${code:-000}" "$(tr -d '\\n' <"\${TMPDIR:-/tmp}"/body)" "$(head -n 1 "\${TMPDIR:-/tmp}"/err)"
}
# ": <curl's error>" (its first line; curl explains certificate errors at length) after a failed request, so a refused certificate or connection is named; else nothing.
why() { if [ -s "\${TMPDIR:-/tmp}"/err ]; then printf ': %s' "$(head -n 1 "\${TMPDIR:-/tmp}"/err)"; fi; }
# The count of an option in a results body such as {"cats": 3, "dogs": 1}.
count_of() { printf '%s' "$2" | sed -n "s/.*\\"$1\\" *: *\\([0-9][0-9]*\\).*/\\1/p"; }
`;

/** Posts one vote marked with TEST_RUN; prints the HTTP status. */
const VOTE = `vote() {
  req -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H "X-Vote-Test: $TEST_RUN" \\
    -d "{\\"option\\": \\"$OPTION\\"}" "$PUBLIC_URL/api/vote" 2>"\${TMPDIR:-/tmp}"/err || true
}
`;

/**
 * Smoke test (checklist 8.1, 7.2.1, 7.2.2) through the public path: the UI, /api/health, one marked vote,
 * and /api/results counting it. Reads PUBLIC_URL, TEST_RUN, OPTION and the routing variables.
 */
export const SMOKE_SCRIPT = `${HTTP_PRELUDE}${VOTE}
out=$(http "$PUBLIC_URL/"); code=\${out%% *}
if [ "$code" = 200 ] && printf '%s' "$out" | grep -qi '<html'; then ok "the frontend serves the UI"; else fail "the frontend serves the UI: GET / answered $code$(why)"; fi

out=$(http "$PUBLIC_URL/api/health"); code=\${out%% *}
if [ "$code" = 200 ] && printf '%s' "$out" | grep -q '"status" *: *"ok"'; then ok "GET /api/health is ok"; else fail "GET /api/health answered $code: \${out#* }"; fi

# /ready is not on the public path (only /api/* is): asked of the API's Service, in-cluster.
out=$(http "$API_URL/ready"); code=\${out%% *}
if [ "$code" = 200 ]; then ok "GET /ready is ok: the API reaches PostgreSQL and Redis"; else fail "GET /ready answered $code: \${out#* }"; fi

out=$(http "$PUBLIC_URL/api/results"); code=\${out%% *}
before=$(count_of "$OPTION" "$out")
if [ "$code" = 200 ] && [ -n "$before" ]; then ok "GET /api/results gives $OPTION=$before"; else fail "GET /api/results answered $code without a count for $OPTION: \${out#* }"; fi

if [ "$failed" -eq 0 ]; then
  code=$(vote)
  case "$code" in
    2??) ok "POST /api/vote accepted a test vote for $OPTION ($code)" ;;
    *) fail "POST /api/vote answered $code$(why)" ;;
  esac
fi

if [ "$failed" -eq 0 ]; then
  waited=0; now=$before
  while :; do
    now=$(count_of "$OPTION" "$(http "$PUBLIC_URL/api/results")")
    if [ -n "$now" ] && [ "$now" -gt "$before" ]; then ok "the vote was counted: $OPTION went from $before to $now in \${waited} s"; break; fi
    if [ "$waited" -ge "\${COUNT_WAIT:-60}" ]; then fail "the vote was not counted: $OPTION stayed at \${now:-?} for $waited s"; break; fi
    sleep "\${POLL_SECONDS:-1}"; waited=$((waited + \${POLL_SECONDS:-1}))
  done
fi
echo "smoke: $failed check(s) failed"
[ "$failed" -eq 0 ]
`;

/**
 * Input validation through the public path (checklist 1.3.1, 1.3.2, 7.4.3, 7.4.4): POST /api/vote refuses
 * with a 4xx, never a 2xx or a 5xx, an option off the ballot, SQL fragments in the option, a body that is
 * not JSON and an option that is not a string; the public path refuses a body one byte over
 * MAX_BODY_BYTES with 413; and GET /api/results still answers, listing the ballot (BALLOT) and nothing
 * else. Every request is marked with TEST_RUN, so one the app wrongly accepts is a test vote. Reads
 * PUBLIC_URL, TEST_RUN, BALLOT, MAX_BODY_BYTES and the routing variables.
 */
export const INPUT_SCRIPT = `${HTTP_PRELUDE}
# POSTs a raw body (or @file) to /api/vote as a marked test vote; prints the HTTP status.
post() {
  req -o "\${TMPDIR:-/tmp}"/body -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H "X-Vote-Test: $TEST_RUN" \\
    --data-binary "$1" "$PUBLIC_URL/api/vote" 2>"\${TMPDIR:-/tmp}"/err || true
}
refused() {
  code=$(post "$2")
  case "$code" in
    4??) ok "POST /api/vote refuses $1 ($code)" ;;
    *) fail "POST /api/vote answered \${code:-000} to $1, where a 4xx refusal was due$(why)" ;;
  esac
}
refused "an option off the ballot" '{"option": "birds"}'
refused "a quoted SQL condition in the option" "{\\"option\\": \\"cats' OR '1'='1\\"}"
refused "a stacked SQL statement in the option" "{\\"option\\": \\"cats'); DROP TABLE votes; --\\"}"
refused "a body that is not JSON" '{"option": '
refused "an option that is not a string" '{"option": ["cats"]}'

# One byte over the public path's limit, as valid JSON: only its size is wrong.
big="\${TMPDIR:-/tmp}"/big
{ printf '{"option": "cats", "padding": "'; head -c "$((MAX_BODY_BYTES + 1 - 33))" /dev/zero | tr '\\000' a; printf '"}'; } >"$big"
size=$(wc -c <"$big" | tr -d ' ')
code=$(post "@$big")
if [ "$code" = 413 ]; then ok "the public path refuses a body of $size bytes, over its limit of $MAX_BODY_BYTES (413)"; else fail "the public path answered \${code:-000} to a body of $size bytes, where 413 was due over its limit of $MAX_BODY_BYTES$(why)"; fi

out=$(http "$PUBLIC_URL/api/results"); code=\${out%% *}
listed=$(printf '%s' "\${out#* }" | tr ',{}' '\\n\\n\\n' | sed -n 's/^ *"\\([^"]*\\)" *:.*/\\1/p' | sort | tr '\\n' ' ' | sed 's/ $//')
ballot=$(printf '%s\\n' $BALLOT | sort | tr '\\n' ' ' | sed 's/ $//')
if [ "$code" = 200 ] && [ "$listed" = "$ballot" ]; then ok "GET /api/results still lists the ballot and nothing else: $listed"; else fail "GET /api/results answered $code listing [\${listed}], where the ballot is [$ballot]"; fi
echo "input: $failed check(s) failed"
[ "$failed" -eq 0 ]
`;

/**
 * The consumer's processed event for the smoke vote: its row in vote_events, written when the consumer
 * processed the stream entry. Reads DATABASE_URL and TEST_RUN.
 */
export const PROCESSED_EVENT_SCRIPT = `set -eu
row=$(psql -X -A -t -q -v ON_ERROR_STOP=1 -v run="$TEST_RUN" -d "$DATABASE_URL" <<'SQL'
SELECT message_id || ' ' || option FROM vote_events WHERE test_run = :'run' ORDER BY processed_at LIMIT 1;
SQL
)
if [ -z "$row" ]; then echo "FAIL  the consumer recorded no processed event for test run $TEST_RUN"; exit 1; fi
echo "ok    the consumer processed stream entry \${row% *} ($TEST_RUN, \${row#* })"
`;

/** Where a check's steps leave what the next step needs (the Job's shared emptyDir). */
const WORK = `\${WORK_DIR:-/work}`;

/**
 * Performance validation (checklist 8.3): REQUESTS votes at CONCURRENCY, then 0 failed, P95 under
 * MAX_P95_MS and more than MIN_RPS requests per second. Prints P50, P95 and P99, and writes the figures
 * to WORK_DIR/baseline (`requests concurrency failed p50_ms p95_ms p99_ms req/s`) for the record step.
 * Reads TARGET_URL, TEST_RUN.
 */
export const PERFORMANCE_SCRIPT = `set -u
n=\${REQUESTS:-100}; c=\${CONCURRENCY:-10}
start=$(cut -d' ' -f1 /proc/uptime)
curl -sS -Z --parallel-max "$c" --parallel-immediate --max-time "\${REQUEST_TIMEOUT:-10}" -o /dev/null \\
  -w '%{http_code} %{time_total}\\n' -X POST -H 'Content-Type: application/json' -H "X-Vote-Test: $TEST_RUN" \\
  -d "{\\"option\\": \\"\${OPTION:-cats}\\"}" "$TARGET_URL/api/vote?n=[1-$n]" >"\${TMPDIR:-/tmp}"/timings 2>"\${TMPDIR:-/tmp}"/errors
end=$(cut -d' ' -f1 /proc/uptime)
sort -k2 -n "\${TMPDIR:-/tmp}"/timings | awk -v n="$n" -v c="$c" -v start="$start" -v end="$end" \\
  -v max_p95="\${MAX_P95_MS:-500}" -v min_rps="\${MIN_RPS:-15}" -v figures="${WORK}/baseline" '
  function pct(p,  i) { i = int(p * NR + 0.999999); if (i < 1) i = 1; return t[i] * 1000 }
  { t[NR] = $2; if ($1 !~ /^2/) failed++ }
  END {
    failed += n - NR
    secs = end - start; if (secs <= 0) secs = 0.01
    rps = n / secs
    printf "%d requests at %d concurrent in %.2f s: %d failed, P50 %.0f ms, P95 %.0f ms, P99 %.0f ms, %.1f req/s\\n", n, c, secs, failed, pct(0.5), pct(0.95), pct(0.99), rps
    printf "%d %d %d %.3f %.3f %.3f %.2f\\n", n, c, failed, pct(0.5), pct(0.95), pct(0.99), rps >figures
    close(figures)
    bad = 0
    if (failed > 0) { printf "FAIL  %d of %d requests failed\\n", failed, n; bad++ } else print "ok    no request failed"
    if (pct(0.95) >= max_p95) { printf "FAIL  P95 %.0f ms is not under %d ms\\n", pct(0.95), max_p95; bad++ } else printf "ok    P95 %.0f ms is under %d ms\\n", pct(0.95), max_p95
    if (rps <= min_rps) { printf "FAIL  %.1f req/s is not above %d\\n", rps, min_rps; bad++ } else printf "ok    %.1f req/s is above %d\\n", rps, min_rps
    exit bad > 0
  }'
`;

/**
 * Performance validation, step 2 (PostgreSQL, checklist 5.3.1, 7.5.2): keeps the load step's figures as
 * one row of performance_baselines, so each release's P50, P95 and P99 outlive the Job. A run is recorded
 * once: a rerun of the same TEST_RUN keeps the first row and says so. Reads DATABASE_URL, TEST_RUN,
 * APP_VERSION and WORK_DIR/baseline.
 */
export const PERFORMANCE_RECORD_SCRIPT = `set -eu
figures="${WORK}/baseline"
if [ ! -r "$figures" ]; then echo "FAIL  no figures to record for $TEST_RUN: $figures is missing (the load step writes it)"; exit 1; fi
read -r requests concurrency failed p50 p95 p99 rps rest <"$figures" || true
if [ -z "\${rps:-}" ] || [ -n "\${rest:-}" ]; then echo "FAIL  $figures does not hold the load step's seven figures: $(head -n 1 "$figures")"; exit 1; fi
if ! row=$(psql -X -A -t -q -F ' ' -v ON_ERROR_STOP=1 -v run="$TEST_RUN" -v version="$APP_VERSION" -v requests="$requests" \\
  -v concurrency="$concurrency" -v failed="$failed" -v p50="$p50" -v p95="$p95" -v p99="$p99" -v rps="$rps" \\
  -d "$DATABASE_URL" 2>"\${TMPDIR:-/tmp}"/psql-errors <<'SQL'
WITH added AS (
  INSERT INTO performance_baselines (test_run, app_version, requests, concurrency, failed, p50_ms, p95_ms, p99_ms, rate_rps)
  VALUES (:'run', :'version', :'requests', :'concurrency', :'failed', :'p50', :'p95', :'p99', :'rps')
  ON CONFLICT (test_run) DO NOTHING
  RETURNING 'recorded' AS how, p50_ms, p95_ms, p99_ms, rate_rps, measured_at
)
SELECT how, p50_ms, p95_ms, p99_ms, rate_rps, to_char(measured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM added
UNION ALL
SELECT 'kept', p50_ms, p95_ms, p99_ms, rate_rps, to_char(measured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM performance_baselines WHERE test_run = :'run' AND NOT EXISTS (SELECT 1 FROM added);
SQL
); then
  echo "FAIL  could not record the baseline of $TEST_RUN: $(grep -m 1 . "\${TMPDIR:-/tmp}"/psql-errors)"
  exit 1
fi
set -- $row
case "\${1:-}" in
  recorded) echo "ok    recorded the baseline of $TEST_RUN: P50 $2 P95 $3 P99 $4 ms, $5 req/s" ;;
  kept) echo "ok    the baseline of $TEST_RUN was already recorded at $6 (P50 $2 P95 $3 P99 $4 ms, $5 req/s); kept it, not this rerun's figures" ;;
  *) echo "FAIL  PostgreSQL returned no row for the baseline of $TEST_RUN"; exit 1 ;;
esac
`;

/**
 * redis-cli on REDIS_URL; for rediss:// it verifies the server's chain against REDIS_CA_FILE (the data CA,
 * as the stream bootstrap does), and refuses to run without a readable one.
 */
const REDIS_PRELUDE = `set -eu
tls=""
case "$REDIS_URL" in
  rediss://*)
    [ -r "\${REDIS_CA_FILE:-}" ] || { echo "FAIL  REDIS_URL is rediss:// but REDIS_CA_FILE names no readable CA certificate"; exit 2; }
    tls="--tls --cacert $REDIS_CA_FILE" ;;
esac
cli() { redis-cli $tls --no-auth-warning --raw -u "$REDIS_URL" "$@"; }
# A refused connection or certificate is reported as itself, not as a missing stream or group.
if ! pong=$(cli PING 2>&1) || [ "$pong" != PONG ]; then echo "FAIL  Redis did not answer PING: $pong"; exit 1; fi
# A field of XINFO's alternating name/value reply.
field() { awk -v k="$1" 'found { print; exit } $0 == k { found = 1 }'; }
`;

/** End-to-end, step 1 (Redis): the stream's last entry before the test vote. */
export const E2E_STREAM_BASELINE_SCRIPT = `${REDIS_PRELUDE}
if ! cli XINFO GROUPS "$STREAM" | grep -qx "$GROUP"; then echo "FAIL  consumer group $GROUP does not exist on stream $STREAM"; exit 1; fi
last=$(cli XINFO STREAM "$STREAM" | field last-generated-id)
echo "$last" >"${WORK}/last-id"
echo "ok    stream $STREAM has group $GROUP; last entry before the test vote: $last"
`;

/** End-to-end, step 2 (PostgreSQL): the option's count before the test vote. */
export const E2E_COUNT_BASELINE_SCRIPT = `set -eu
count=$(psql -X -A -t -q -v ON_ERROR_STOP=1 -v option="$OPTION" -d "$DATABASE_URL" <<'SQL'
SELECT count FROM votes WHERE option = :'option';
SQL
)
if [ -z "$count" ]; then echo "FAIL  PostgreSQL has no count for $OPTION in table votes"; exit 1; fi
echo "$count" >"${WORK}/count"
echo "ok    PostgreSQL counts $OPTION=$count before the test vote"
`;

/** End-to-end, step 3 (curl): the option's count in GET /api/results, then the test vote, through the public path. */
export const E2E_VOTE_SCRIPT = `${HTTP_PRELUDE}${VOTE}
out=$(http "$PUBLIC_URL/api/results"); code=\${out%% *}
before=$(count_of "$OPTION" "$out")
if [ "$code" != 200 ] || [ -z "$before" ]; then echo "FAIL  GET /api/results through $PUBLIC_URL answered $code without a count for $OPTION: \${out#* }"; exit 1; fi
echo "$before" >"${WORK}/results"
code=$(vote)
case "$code" in
  2??) echo "ok    POST /api/vote through $PUBLIC_URL accepted the test vote ($code); GET /api/results gave $OPTION=$before before it" ;;
  *) echo "FAIL  POST /api/vote through $PUBLIC_URL answered $code$(why)"; exit 1 ;;
esac
`;

/**
 * End-to-end, step 4 (Redis, checklist 7.3.3 and 7.3.4): the vote reached the stream as an entry marked
 * with TEST_RUN, and the group drains: every entry delivered (no lag) and acknowledged (none pending).
 */
export const E2E_STREAM_SCRIPT = `${REDIS_PRELUDE}
last=$(cat "${WORK}/last-id")
waited=0; entry=""
while :; do
  entry=$(cli XRANGE "$STREAM" "($last" + COUNT 10000 | awk -v run="$TEST_RUN" '
    /^[0-9]+-[0-9]+$/ { id = $0; next }
    prev == "test_run" && $0 == run { print id; exit }
    { prev = $0 }')
  [ -n "$entry" ] && break
  if [ "$waited" -ge "\${STREAM_WAIT:-30}" ]; then echo "FAIL  no entry marked $TEST_RUN reached stream $STREAM in $waited s: the API accepted the vote but did not append it"; exit 1; fi
  sleep "\${POLL_SECONDS:-1}"; waited=$((waited + \${POLL_SECONDS:-1}))
done
echo "$entry" >"${WORK}/entry-id"
echo "ok    the vote reached stream $STREAM as entry $entry"
waited=0
while :; do
  pending=$(cli XPENDING "$STREAM" "$GROUP" | head -n 1)
  delivered=$(cli XINFO GROUPS "$STREAM" | awk -v g="$GROUP" 'prev == "name" { in_group = ($0 == g) } in_group && prev == "last-delivered-id" { print; exit } { prev = $0 }')
  newest=$(cli XINFO STREAM "$STREAM" | field last-generated-id)
  if [ "$pending" = 0 ] && [ "$delivered" = "$newest" ]; then echo "ok    group $GROUP has nothing pending and has read up to $newest (zero lag)"; break; fi
  if [ "$waited" -ge "\${DRAIN_WAIT:-120}" ]; then
    echo "FAIL  group $GROUP did not drain in $waited s: $pending pending (read, not acknowledged), read up to $delivered of $newest"
    exit 1
  fi
  sleep "\${POLL_SECONDS:-1}"; waited=$((waited + \${POLL_SECONDS:-1}))
done
`;

/**
 * End-to-end, step 5 (PostgreSQL): the consumer stored the entry and the count moved.
 */
export const E2E_COUNT_SCRIPT = `set -eu
entry=$(cat "${WORK}/entry-id"); before=$(cat "${WORK}/count")
q() { psql -X -A -t -q -v ON_ERROR_STOP=1 -v option="$OPTION" -v entry="$entry" -d "$DATABASE_URL"; }
waited=0
while :; do
  row=$(q <<'SQL'
SELECT (SELECT count(*) FROM vote_events WHERE message_id = :'entry') || ' ' || (SELECT count FROM votes WHERE option = :'option');
SQL
)
  stored=\${row% *}; now=\${row#* }
  if [ "$stored" = 1 ] && [ "$now" -gt "$before" ]; then echo "ok    the consumer stored entry $entry and PostgreSQL counts $OPTION=$now (was $before)"; break; fi
  if [ "$waited" -ge "\${COUNT_WAIT:-30}" ]; then
    if [ "$stored" = 1 ]; then echo "FAIL  entry $entry is stored but $OPTION stayed at $now (was $before)"
    else echo "FAIL  entry $entry was acknowledged but never stored in PostgreSQL; $OPTION stayed at $now"; fi
    exit 1
  fi
  sleep "\${POLL_SECONDS:-1}"; waited=$((waited + \${POLL_SECONDS:-1}))
done
`;

/**
 * End-to-end, step 6 (curl, checklist 7.3.3): GET /api/results through the public path counts the vote
 * the consumer stored: the flow's last hop, as a user reads it.
 */
export const E2E_RESULTS_SCRIPT = `${HTTP_PRELUDE}
before=$(cat "${WORK}/results")
waited=0
while :; do
  out=$(http "$PUBLIC_URL/api/results"); code=\${out%% *}
  now=$(count_of "$OPTION" "$out")
  if [ "$code" = 200 ] && [ -n "$now" ] && [ "$now" -gt "$before" ]; then echo "ok    GET /api/results through $PUBLIC_URL counts $OPTION=$now (was $before)"; break; fi
  if [ "$waited" -ge "\${COUNT_WAIT:-30}" ]; then
    echo "FAIL  GET /api/results through $PUBLIC_URL still gives $OPTION=\${now:-?} (was $before) after $waited s; last answer $code: \${out#* }"
    exit 1
  fi
  sleep "\${POLL_SECONDS:-1}"; waited=$((waited + \${POLL_SECONDS:-1}))
done
`;

/**
 * End-to-end, step 7 (PostgreSQL): every test vote already processed (this run's and any earlier one's)
 * is removed and the counts restored.
 */
export const E2E_CLEANUP_SCRIPT = `set -eu
removed=$(psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$DATABASE_URL" <<'SQL'
WITH gone AS (DELETE FROM vote_events WHERE test_run IS NOT NULL RETURNING option),
     per AS (SELECT option, count(*) AS n FROM gone GROUP BY option),
     fixed AS (UPDATE votes v SET count = v.count - per.n, updated_at = now() FROM per WHERE v.option = per.option RETURNING per.n)
SELECT coalesce(sum(n), 0) FROM fixed;
SQL
)
echo "ok    removed $removed test vote(s) and restored the counts"
`;

/**
 * Monitoring validation (checklist 8.4, 3.2.1): the platform's targets are up, its rules are loaded, an
 * always-firing alert fires and Prometheus delivers alerts to Alertmanager without errors (its own
 * notification counters), retention and scrape interval are as the checklist asks, and the dashboards
 * exist in Grafana. Reads PROMETHEUS_URL, TARGETS, RULE_GROUPS, ALERTS, GRAFANA_URL, GRAFANA_TOKEN, DASHBOARDS.
 */
export const MONITORING_SCRIPT = `set -u
failed=0
ok() { echo "ok    $1"; }
fail() { echo "FAIL  $1"; failed=$((failed + 1)); }
get() { curl -sS --max-time "\${REQUEST_TIMEOUT:-10}" "$@" 2>&1; }
# The value of a one-sample instant query, empty when there is none.
value() { get -G --data-urlencode "query=$1" "$PROMETHEUS_URL/api/v1/query" | sed -n 's/.*"value":\\[[^,]*,"\\([^"]*\\)"\\].*/\\1/p'; }
days() { awk -v d="$1" 'BEGIN { n = d + 0; u = substr(d, length(n "") + 1); f = (u == "y") ? 365 : (u == "w") ? 7 : (u == "d") ? 1 : (u == "h") ? 1 / 24 : 0; print n * f }'; }

for t in $TARGETS; do
  ns=\${t%%/*}; svc=\${t#*/}
  total=$(value "count(up{namespace=\\"$ns\\",service=\\"$svc\\"})"); up=$(value "sum(up{namespace=\\"$ns\\",service=\\"$svc\\"})")
  if [ -z "$total" ]; then fail "Prometheus has no target for $t"
  elif [ "$up" != "$total" ]; then fail "target $t: \${up:-0} of $total up"
  else ok "target $t: $up of $total up"; fi
done

rules=$(get "$PROMETHEUS_URL/api/v1/rules?type=alert")
for g in $RULE_GROUPS; do
  if printf '%s' "$rules" | grep -q "\\"name\\":\\"$g\\""; then ok "rule group $g is loaded"; else fail "rule group $g is not loaded"; fi
done
for a in $ALERTS; do
  printf '%s' "$rules" | grep -q "\\"name\\":\\"$a\\"" || fail "alert $a is not loaded"
done

firing=$(value "count(ALERTS{alertname=\\"\${ALWAYS_FIRING:-Watchdog}\\",alertstate=\\"firing\\"})")
if [ -n "$firing" ]; then ok "alert \${ALWAYS_FIRING:-Watchdog} fires: rules evaluate"; else fail "alert \${ALWAYS_FIRING:-Watchdog} does not fire: alerting is not evaluating"; fi
# A firing alert is sent again at every resend (1 minute), so over 10 minutes Prometheus has sent some,
# and its own counters say whether Alertmanager took them.
managers=$(value "max(prometheus_notifications_alertmanagers_discovered)")
sent=$(value "sum(increase(prometheus_notifications_sent_total[10m]))")
errors=$(value "sum(increase(prometheus_notifications_errors_total[10m]))")
above() { awk -v v="$1" 'BEGIN { exit !(v + 0 > 0) }'; }
if ! above "\${managers:-0}"; then fail "Prometheus knows no Alertmanager: firing alerts reach no one"
elif above "\${errors:-0}"; then fail "Prometheus failed $(printf '%.0f' "$errors") alert notification(s) to Alertmanager in 10 minutes"
elif ! above "\${sent:-0}"; then fail "Prometheus sent no alert to its \${managers} Alertmanager(s) in 10 minutes"
else ok "alerts reach Alertmanager: $(printf '%.0f' "$sent") notification(s) sent to \${managers} Alertmanager(s) in 10 minutes, none failed"; fi

retention=$(get "$PROMETHEUS_URL/api/v1/status/flags" | sed -n 's/.*"storage.tsdb.retention.time":"\\([^"]*\\)".*/\\1/p')
if [ -n "$retention" ] && [ "$(days "$retention" | cut -d. -f1)" -ge "\${MIN_RETENTION_DAYS:-15}" ]; then ok "Prometheus keeps $retention"; else fail "Prometheus keeps \${retention:-an unknown time}; the checklist asks for \${MIN_RETENTION_DAYS:-15}d or more"; fi
interval=$(get "$PROMETHEUS_URL/api/v1/status/config" | sed -n 's/.*global:\\\\n  scrape_interval: \\([0-9a-z]*\\).*/\\1/p')
if [ "$interval" = "\${SCRAPE_INTERVAL:-15s}" ]; then ok "Prometheus scrapes every $interval"; else fail "Prometheus scrapes every \${interval:-?}; the checklist asks for \${SCRAPE_INTERVAL:-15s}"; fi

if [ -z "\${GRAFANA_TOKEN:-}" ]; then
  fail "dashboards: GRAFANA_TOKEN is not set; store a Grafana service-account token (Viewer) as key token of Secret grafana-api"
else
  found=$(get -H "Authorization: Bearer $GRAFANA_TOKEN" "$GRAFANA_URL/api/search?tag=voting-platform")
  for d in $DASHBOARDS; do
    if printf '%s' "$found" | grep -q "\\"uid\\":\\"$d\\""; then ok "dashboard $d exists in Grafana"; else fail "dashboard $d is not in Grafana"; fi
  done
fi
echo "monitoring: $failed check(s) failed"
[ "$failed" -eq 0 ]
`;
