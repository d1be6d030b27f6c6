#!/usr/bin/env bash
# Runs the README's demo (//tools:demo: tests/programs/echo.c over the
# production ring) with a small load and checks that it says what it did:
# the program, the raw ring, the server and clients, the bytes echoed and
# the throughput, and that every byte came back.
set -uo pipefail
demo="$1"
out=$(timeout 120 "$demo" 50 100000)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || { echo "FAIL: the demo exited with $rc"; exit 1; }
expect() {
  grep -Eq "$1" <<<"$out" || { echo "FAIL: no line matching '$1'"; exit 1; }
}
expect '^demo: running tests/programs/echo\.c, a Windows IOCP echo server and load client'
expect '^demo: ring backend: raw '
expect '^echo: server on 127\.0\.0\.1:[0-9]+, 50 clients x 100000 bytes, [0-9]+ workers, chunk 4096$'
expect '^echo: 5000000 bytes echoed in [0-9]+ ms \([0-9.]+ MB/s each way\)$'
[ "$(tail -n 1 <<<"$out")" = "echo: OK, 50 connections accepted once, every byte echoed intact, all closed" ] ||
  { echo "FAIL: last line"; exit 1; }
echo "PASS"
