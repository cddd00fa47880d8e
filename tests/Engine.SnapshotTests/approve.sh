#!/usr/bin/env sh
# Approves every received snapshot: renames *.received.* to *.approved.* under Approved/.
# Review first (git diff after approving shows exactly what changed).
set -eu
cd "$(dirname "$0")/Approved"
find . -name '*.received.*' | while read -r received; do
  approved=$(printf '%s' "$received" | sed 's/\.received\./.approved./')
  mv -f "$received" "$approved"
  echo "approved ${approved#./}"
done
