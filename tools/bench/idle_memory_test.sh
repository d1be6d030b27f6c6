#!/usr/bin/env bash
# idle_memory_test: the memory target of docs/PERFORMANCE.md holds. Each
# connection with an overlapped WSARecv pending must cost at most 256 bytes
# of library heap (idle_memory exits 1 above the limit): accepted by
# accept(), and accepted by AcceptEx through the port as most IOCP servers
# do. 2,305 connections: the first primes the pools and the other 2,304 fill
# exactly nine chunks of 256 request records, so the records are counted at
# their size, not in whole chunks.
#
# idle_memory_test.sh IDLE_MEMORY
set -euo pipefail
"$1" 2305 256
"$1" 2305 256 acceptex
