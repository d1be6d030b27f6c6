#!/usr/bin/env bash
# run_program_test.sh PROGRAM EXPECTED_LAST_LINE [ARGS...]
# Runs a Windows test program (bounded in time) and checks that it exits with
# 0 and that its last line of output is the expected one.
set -uo pipefail
program="$1"
expected="$2"
shift 2
out=$(timeout 120 "$program" "$@")
rc=$?
echo "$out"
if [ "$rc" -ne 0 ]; then
  echo "FAIL: $program $* exited with $rc"
  exit 1
fi
last=$(tail -n 1 <<<"$out")
if [ "$last" != "$expected" ]; then
  echo "FAIL: last line is '$last', expected '$expected'"
  exit 1
fi
echo "PASS"
