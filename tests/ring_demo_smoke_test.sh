#!/usr/bin/env bash
# Runs the ring-level echo demo (//tools:ring_demo) briefly and checks that it
# echoed real traffic through the production (raw-syscall) ring with every
# byte verified.
set -euo pipefail
demo="$1"
out=$("$demo" 16 0.3)
echo "$out"
grep -q '^ring backend: raw ' <<<"$out"
grep -q '^16 connections accepted and connected through the ring$' <<<"$out"
messages=$(sed -n 's/^echoed \([0-9]*\) messages.*/\1/p' <<<"$out")
if [ -z "$messages" ] || [ "$messages" -lt 100 ]; then
  echo "FAIL: expected at least 100 echoed messages, got '${messages}'"
  exit 1
fi
echo "PASS: $messages messages echoed"
