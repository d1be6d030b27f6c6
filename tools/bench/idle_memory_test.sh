#!/usr/bin/env bash
# idle_memory_test: the memory target of docs/PERFORMANCE.md holds. 2,000
# connections, each with an overlapped WSARecv pending, must cost at most
# 256 bytes of library heap each (idle_memory exits 1 above the limit).
#
# idle_memory_test.sh IDLE_MEMORY
set -euo pipefail
exec "$1" 2000 256
