#!/usr/bin/env bash
# run_console_server_sigint_test.sh PROGRAM
# Starts console_server in "wait" mode, reads its output until the ready
# line, sends it SIGINT (what Ctrl+C in a terminal does), and checks that it
# exits with 0 and that its last line is the OK line.
set -uo pipefail
# Job control: the background program gets SIGINT at its default, not the
# ignored disposition a non-interactive shell gives background jobs.
set -m
program="$1"
expected='console_server: OK, stopped by Ctrl+C, every item drained exactly once'
out_fifo="${TEST_TMPDIR:-/tmp}/console_server.$$.out"
mkfifo "$out_fifo"
"$program" wait 5000 >"$out_fifo" &
pid=$!
exec 3<"$out_fifo"
rm -f "$out_fifo"
ready=0
lines=()
while IFS= read -r -t 60 line <&3; do
  lines+=("$line")
  echo "$line"
  if [ "$line" = "console_server: ready" ]; then
    ready=1
    break
  fi
done
if [ "$ready" -ne 1 ]; then
  echo "FAIL: no ready line"
  kill -KILL "$pid" 2>/dev/null
  exit 1
fi
kill -INT "$pid"
last=""
while IFS= read -r -t 60 line <&3; do
  echo "$line"
  last="$line"
done
wait "$pid"
rc=$?
if [ "$rc" -ne 0 ]; then
  echo "FAIL: exited with $rc"
  exit 1
fi
if [ "$last" != "$expected" ]; then
  echo "FAIL: last line is '$last', expected '$expected'"
  exit 1
fi
echo "PASS"
