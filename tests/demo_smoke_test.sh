#!/usr/bin/env bash
# Runs the README's demo (//tools:demo: tests/programs/worker_pool.c over the
# production ring) with a small job count and checks that it says what it
# did: the program, the raw ring, the workers, every job processed exactly
# once, the throughput.
set -uo pipefail
demo="$1"
out=$(timeout 120 "$demo" 20000)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || { echo "FAIL: the demo exited with $rc"; exit 1; }
expect() {
  grep -Eq "$1" <<<"$out" || { echo "FAIL: no line matching '$1'"; exit 1; }
}
expect '^demo: running tests/programs/worker_pool\.c, a Windows IOCP program'
expect '^demo: ring backend: raw '
expect '^worker_pool: [0-9]+ worker threads \([0-9]+ processors x 2\) on one completion port'
expect '^worker_pool: posted 20000 jobs and [0-9]+ shutdown packets; workers processed 20000 jobs'
expect '^worker_pool: 0 jobs lost, 0 processed twice, 0 wrong results, 0 errors'
expect '^worker_pool: 20000 jobs in [0-9.]+ s = [0-9]+ jobs/s$'
[ "$(tail -n 1 <<<"$out")" = "worker_pool: OK, every job processed exactly once" ] ||
  { echo "FAIL: last line"; exit 1; }
echo "PASS"
