#!/bin/bash
# Runs tools/api_table.py in check mode against the headers, docs/API.md and
# the built libiocp.so (see docs/BUILD.bazel).
set -eu
root="$TEST_SRCDIR/iocp"
for tool in python3 clang-14 nm; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (tools/setup installs it)" >&2; exit 1; }
done
exec python3 "$root/tools/api_table.py" --include "$root/iocp/include" \
  --check "$root/docs/API.md" --library "$root/iocp/libiocp.so"
