#!/usr/bin/env sh
# Approves every snapshot after review:
# - each pipeline's rendered SQL: `engine render --approve` writes its snapshots/ folder (the one
#   mechanism any project uses; `git diff` afterwards shows exactly what changed);
# - the engine's own approved text (--help, plan, the error catalogue, the meta scripts): renames the
#   *.received.* files the last test run wrote under Approved/ to *.approved.*.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
for project in pipeline.yaml tests/fixtures/shop/pipeline.yaml tests/fixtures/authoring/pipeline.yaml; do
  dotnet run --project "$repo/engine" -- render --approve --project "$repo/$project" -q
done
cd "$repo/tests/Engine.SnapshotTests/Approved"
find . -name '*.received.*' | while read -r received; do
  approved=$(printf '%s' "$received" | sed 's/\.received\./.approved./')
  mv -f "$received" "$approved"
  echo "approved ${approved#./}"
done
