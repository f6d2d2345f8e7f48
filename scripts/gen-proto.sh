#!/usr/bin/env bash
# Regenerates lib/proto/generated/ from proto/ with protobufjs-cli (offline; the output is committed).
# Two modules: otlp (OTLP traces + Tempo's Kafka messages) and remote (Prometheus remote write).
set -euo pipefail
cd "$(dirname "$0")/.."

out=lib/proto/generated
mkdir -p "$out"

# gen NAME [pbjs options...] -- PROTO...
#   --dependency: protobufjs is CommonJS without an "exports" map, so Node ESM needs the file
#   extension; the esm wrapper imports its default export (the module.exports object).
gen() {
  local name=$1; shift
  local opts=()
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done
  shift
  npx pbjs -t static-module -w esm --es6 --no-service "${opts[@]}" \
    --dependency protobufjs/minimal.js -r "$name" -p proto -o "$out/$name.js" "$@"
  npx pbts --no-comments -o "$out/$name.d.ts" "$out/$name.js"
}

# --force-long: 64-bit fields are always Long in the types, so nanosecond timestamps (> 2^53)
# cannot be passed as a lossy number by mistake.
gen otlp --force-long -- \
  opentelemetry/proto/trace/v1/trace.proto \
  opentelemetry/proto/collector/trace/v1/trace_service.proto \
  tempopb/push.proto

# Remote-write int64s are millisecond timestamps and counts, exact as numbers.
gen remote -- prometheus/remote.proto
