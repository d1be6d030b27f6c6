#!/usr/bin/env bash
# contenders_test: every echo server of the benchmark suite built here serves
# the protocol tools/bench/run measures. Each server starts on --port=0 and
# announces "port N" on stdout (the handshake waited for here, through a
# FIFO); then the load client runs against it twice and must succeed:
#   - 16 connections x 64-byte messages (the suite's workload), and
#   - 3 connections x 200,000-byte messages, which the servers receive and
#     echo in pieces (their buffers are 64 KiB): the client checks each
#     echo's sequence bytes, so reordered or lost pieces fail.
# echo_iocp runs with one worker and with one worker per CPU.
#
# contenders_test.sh CLIENT SERVER...
set -euo pipefail

client="$1"
shift
scratch="$(mktemp -d "${TEST_TMPDIR:-/tmp}/contenders.XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill -9 "$server_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

failures=0
check() {  # check NAME SERVER-COMMAND...
  local name="$1"
  shift
  local fifo="$scratch/port.$name"
  mkfifo "$fifo"
  "$@" --port=0 >"$fifo" 2>"$scratch/stderr.$name" &
  server_pid=$!
  local word port
  exec 3<"$fifo"
  if ! read -r -t 60 word port <&3 || [[ "$word" != port || -z "$port" ]]; then
    echo "FAIL $name: no 'port N' line; stderr: $(cat "$scratch/stderr.$name")"
    failures=$((failures + 1))
    exec 3<&-
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    return
  fi
  local result ok=1
  for workload in "--connections=16 --size=64" "--connections=3 --size=200000"; do
    # shellcheck disable=SC2086
    if ! result="$("$client" --port="$port" $workload --seconds=0.2 --warmup=0.05 2>&1)"; then
      echo "FAIL $name ($workload): $result"
      ok=0
      continue
    fi
    local messages
    messages="$(sed -n 's/^result messages=\([0-9]*\) .*/\1/p' <<<"$result")"
    if [[ -z "$messages" || "$messages" -eq 0 ]]; then
      echo "FAIL $name ($workload): no round trips measured: $result"
      ok=0
    else
      echo "ok   $name ($workload): $result"
    fi
  done
  # The server must still be serving (a client that closes is not an error).
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "FAIL $name: the server exited: $(cat "$scratch/stderr.$name")"
    ok=0
  fi
  exec 3<&-
  kill -9 "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  [[ $ok -eq 1 ]] || failures=$((failures + 1))
}

for server in "$@"; do
  name="$(basename "$server")"
  if [[ "$name" == echo_iocp ]]; then
    check "${name}_1" "$server" --workers=1
    check "${name}_pool" "$server" --workers=0
  else
    check "$name" "$server"
  fi
done

if [[ $failures -ne 0 ]]; then
  echo "contenders_test: $failures server(s) failed"
  exit 1
fi
echo "contenders_test: all servers echo"
