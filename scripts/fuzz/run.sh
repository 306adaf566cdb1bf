#!/usr/bin/env bash
# The outside fuzzer: schemathesis against the compiled server on a freshly seeded data directory,
# with every check, every phase (the stateful one included), a real organization and tokens, and a
# fixed seed. Exit 0 when it found nothing. Used by .ci/run and by `npm run fuzz`; see
# docs/operators.md ("Fuzzing the HTTP API").
#
#   FUZZ_PORT          port for the server (default 3957)
#   FUZZ_MAX_EXAMPLES  test cases per operation and phase (default: schemathesis.toml's)
#   FUZZ_REPORT_DIR    JUnit and NDJSON reports (default test-output/fuzz)
set -euo pipefail
cd "$(dirname "$0")/../.."
here="scripts/fuzz"

SCHEMATHESIS_VERSION="4.32.5"
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/community-orgs/schemathesis-venv"
PORT="${FUZZ_PORT:-3957}"
BASE="http://127.0.0.1:${PORT}"
REPORT_DIR="${FUZZ_REPORT_DIR:-test-output/fuzz}"
TIME_LIMIT_SECONDS=270

# schemathesis, pinned, in a venv cached outside the clone.
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -qF "version ${SCHEMATHESIS_VERSION}"; then
  echo "installing schemathesis ${SCHEMATHESIS_VERSION} into ${VENV}"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}"
fi
"$VENV/bin/schemathesis" --version

node scripts/build/build-if-stale.mjs

data="$(mktemp -d "${TMPDIR:-/tmp}/community-orgs-fuzz-XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

export DATA_DIR="$data"
JWT_SECRET="$(node -e 'process.stdout.write(require("node:crypto").randomBytes(48).toString("base64url"))')"
export JWT_SECRET
# Seeded the same way every time: ~200 organizations of 徐汇区 and 崇明区.
node dist/src/cli/seed.js --scale small --seed 1

# Rate limits off for the run (0 turns them off; ignored by servers without rate limiting).
PORT="$PORT" HOST=127.0.0.1 LOG_LEVEL=warn RATE_LIMIT_PER_MINUTE=0 RATE_LIMIT_PUBLIC_PER_MINUTE=0 \
  node dist/src/main.js > "$data/server.log" 2>&1 &
server_pid=$!

# Ready when every read model has caught up with the seeded log.
for _ in $(seq 1 120); do
  if curl -fs "$BASE/health" 2>/dev/null | grep -q '"status":"ok"' &&
    ! curl -fs "$BASE/health" | grep -q '"lag":[1-9]'; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$data/server.log" >&2
    echo "the server did not start" >&2
    exit 1
  fi
  sleep 0.5
done

token() { node dist/src/cli/token.js --role "$1" --jurisdiction "$2" --expires 1h 2>/dev/null; }
FUZZ_TOKEN="$(token district 310104)"
FUZZ_AUDITOR_TOKEN="$(token auditor 310000)"
# An active social organization registered by 徐汇区 (the token's district manages it).
FUZZ_ORGANIZATION_ID="$(curl -fs "$BASE/registry?district=310104&tier=registered&status=active&pageSize=100" |
  node -e '
    let text = "";
    process.stdin.on("data", (c) => (text += c)).on("end", () => {
      const org = JSON.parse(text).items.find((o) => o.legalForm !== "community-foundation");
      if (!org) process.exit(1);
      process.stdout.write(org.id);
    });')"
export FUZZ_TOKEN FUZZ_AUDITOR_TOKEN FUZZ_ORGANIZATION_ID
export FUZZ_HOOKS="$PWD/$here/hooks.py"
echo "fuzzing $BASE as district 310104 on organization $FUZZ_ORGANIZATION_ID"

mkdir -p "$REPORT_DIR"
args=(--checks all --phases examples,coverage,fuzzing,stateful --no-color
  --report junit,ndjson --report-dir "$REPORT_DIR")
if [ -n "${FUZZ_MAX_EXAMPLES:-}" ]; then args+=(--max-examples "$FUZZ_MAX_EXAMPLES"); fi
status=0
timeout "$TIME_LIMIT_SECONDS" "$VENV/bin/schemathesis" --config-file "$here/schemathesis.toml" \
  run "$BASE/docs/json" --url "$BASE" "${args[@]}" || status=$?
if [ "$status" -eq 124 ]; then echo "the fuzz run took longer than ${TIME_LIMIT_SECONDS} s" >&2; fi
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "the server died during the run:" >&2
  cat "$data/server.log" >&2
  status=1
fi
if grep -q '"level":50\|"level":60' "$data/server.log"; then
  echo "the server logged errors during the run:" >&2
  grep '"level":50\|"level":60' "$data/server.log" | head -20 >&2
fi
exit "$status"
