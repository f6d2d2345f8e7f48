#!/usr/bin/env bash
# Regenerates lib/proto/generated/ from proto/ with protobufjs-cli (offline; the output is committed).
# Two modules: otlp (OTLP traces + Tempo's Kafka messages) and remote (Prometheus remote write).
# Usage: scripts/gen-proto.sh [OUT_DIR]   (default lib/proto/generated; test/repo/generated-proto.test.ts
# regenerates into a temporary directory and compares it with the committed files.)
# The output is deterministic: the same .proto files and protobufjs-cli version give the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-lib/proto/generated}
mkdir -p "$out"
# The local binaries directly: npx adds about a second per call.
bin=node_modules/.bin

# gen NAME [pbjs options...] -- PROTO...
#   --dependency: protobufjs is CommonJS without an "exports" map, so Node ESM needs the file
#   extension; the esm wrapper imports its default export (the module.exports object).
gen() {
  local name=$1; shift
  local opts=()
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done
  shift
  "$bin/pbjs" -t static-module -w esm --es6 --no-service "${opts[@]}" \
    --dependency protobufjs/minimal.js -r "$name" -p proto -o "$out/$name.js" "$@"
  "$bin/pbts" --no-comments -o "$out/$name.d.ts" "$out/$name.js"
}

# The two modules are independent: generate them side by side and fail if either fails.
# --force-long: 64-bit fields are always Long in the types, so nanosecond timestamps (> 2^53)
# cannot be passed as a lossy number by mistake.
gen otlp --force-long -- \
  opentelemetry/proto/trace/v1/trace.proto \
  opentelemetry/proto/collector/trace/v1/trace_service.proto \
  tempopb/push.proto &
otlp=$!

# Remote-write int64s are millisecond timestamps and counts, exact as numbers.
gen remote -- prometheus/remote.proto &
remote=$!

# Wait for both, so a failure of one never leaves the other running.
status=0
wait "$otlp" || status=$?
wait "$remote" || status=$?
exit "$status"
