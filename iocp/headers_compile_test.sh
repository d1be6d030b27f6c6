#!/bin/bash
# Compiles testdata/compile_check.c and testdata/compile_check.cc against the
# Windows headers with gcc and clang in every supported language mode
# (C99, C11, plus GNU C11; C++11, 14, 17, 20), warnings as errors, with the
# standard headers before and after windows.h/winsock2.h and with the
# case-variant file names.
# Each object file must define nothing but main and the static inline helpers
# it used (no data symbols), and the C++ one must reference the Win32
# functions by their unmangled C names. Also: a UNICODE build must stop with
# the project's #error.
set -u

fail() { echo "FAIL: $*" >&2; exit 1; }

# Bazel runs the test with its runfiles; outside Bazel, use the source tree.
if [[ -n "${TEST_SRCDIR:-}" ]]; then
  root="$TEST_SRCDIR/iocp/iocp"
else
  root="$(cd "$(dirname "$0")" && pwd)"
fi
include="$root/include"
testdata="$root/testdata"
[[ -f "$include/windows.h" ]] || fail "headers not found under $include"
[[ -f "$testdata/compile_check.c" ]] || fail "test programs not found under $testdata"

CC_LIST=(/usr/bin/gcc /usr/bin/clang-14)
CXX_LIST=(/usr/bin/g++ /usr/bin/clang++-14)
for compiler in "${CC_LIST[@]}" "${CXX_LIST[@]}" ; do
  [[ -x "$compiler" ]] || fail "compiler $compiler is missing (tools/setup installs it)"
done
command -v nm >/dev/null || fail "nm is missing"

work="${TEST_TMPDIR:-$(mktemp -d)}/headers_compile"
rm -rf "$work" && mkdir -p "$work" || fail "cannot create $work"

WARN=(-Wall -Wextra -Werror -pedantic)
failures=0
count=0

# check_object <object> <label>: the object defines no global symbol but
# main and no data symbol at all (D, B, R, C, G, S, V and their local forms),
# apart from what the compiler and the C++ standard library emit (string
# literal labels, exception tables, the personality reference, constants of
# namespaces std, __gnu_cxx and __pstl, the test class's vtable and
# typeinfo); and, for C++, the Win32 functions are referenced by their
# unmangled C names.
ALLOWED='^(\.L.*|GCC_except_table[0-9]*|DW\.ref\.__gxx_personality_v0|_ZN?K?St.*|_ZN9__gnu_cxx.*|_ZN6__pstl.*|_ZT[ISV]N12_GLOBAL__N_110ConnectionE)$'
check_object() {
  local obj="$1" label="$2"
  local globals data
  globals="$(nm -g --defined-only "$obj" | awk '{print $3}' | grep -Ev "$ALLOWED" | sort -u | tr '\n' ' ')"
  if [[ "$globals" != "main " ]]; then
    echo "FAIL [$label]: defines global symbols other than main: $globals" >&2
    return 1
  fi
  data="$(nm --defined-only "$obj" | awk '$2 ~ /^[BbCDdGgRrSsVv]$/ {print $3}' | grep -Ev "$ALLOWED" | tr '\n' ' ')"
  if [[ -n "$data" ]]; then
    echo "FAIL [$label]: defines data symbols: $data" >&2
    return 1
  fi
  if nm -u "$obj" | grep -q '_Z[0-9]*\(CreateIoCompletionPort\|GetQueuedCompletionStatus\|GetLastError\|CloseHandle\|CreateThread\)'; then
    echo "FAIL [$label]: Win32 functions are referenced with C++ linkage" >&2
    return 1
  fi
  if ! nm -u "$obj" | grep -qw 'CreateIoCompletionPort'; then
    echo "FAIL [$label]: no reference to CreateIoCompletionPort" >&2
    return 1
  fi
  # Winsock: C linkage too; the functions glibc also has are referenced as
  # iocp_<name> (the renaming scheme of winsock2.h), never as libc's symbols.
  if nm -u "$obj" | grep -q '_Z[0-9]*\(WSA[A-Za-z]*\|closesocket\|ioctlsocket\|AcceptEx\|iocp_[a-z_]*\)'; then
    echo "FAIL [$label]: Winsock functions are referenced with C++ linkage" >&2
    return 1
  fi
  local sym
  for sym in WSAStartup WSAIoctl WSARecv iocp_recv iocp_select iocp_socket iocp_htons; do
    if ! nm -u "$obj" | awk '{print $2}' | grep -qx "$sym"; then
      echo "FAIL [$label]: no reference to $sym" >&2
      return 1
    fi
  done
  if nm -u "$obj" | awk '{print $2}' | grep -Ex '(socket|bind|listen|accept|connect|send|recv|sendto|recvfrom|select|gethostname|getaddrinfo|htons|htonl|ntohs|ntohl|inet_ntop|shutdown|setsockopt)' >"$work/libc_refs"; then
    echo "FAIL [$label]: references libc's socket functions: $(tr '\n' ' ' <"$work/libc_refs")" >&2
    return 1
  fi
  return 0
}

compile() {
  local label="$1"; shift
  local obj="$work/obj_$count.o"
  count=$((count + 1))
  if ! "$@" -I"$include" -I"$testdata" -c -o "$obj" >"$work/log" 2>&1; then
    echo "FAIL [$label]: $*" >&2
    cat "$work/log" >&2
    failures=$((failures + 1))
    return
  fi
  check_object "$obj" "$label" || failures=$((failures + 1))
}

VARIANTS=("" "-DIOCP_STD_FIRST" "-DIOCP_CASE_VARIANTS")

for cc in "${CC_LIST[@]}"; do
  for std in c99 c11; do
    for variant in "${VARIANTS[@]}"; do
      compile "$cc -std=$std $variant" "$cc" -std="$std" "${WARN[@]}" $variant "$testdata/compile_check.c"
    done
  done
  # Optimised too: inline helpers must still leave no data behind.
  compile "$cc -std=c11 -O2" "$cc" -std=c11 -O2 "${WARN[@]}" "$testdata/compile_check.c"
  # GNU mode: <stdlib.h> brings glibc's u_long, fd_set, select, struct
  # timeval and FD_* macros; winsock2.h must win before and after them.
  for variant in "" "-DIOCP_STD_FIRST"; do
    compile "$cc -std=gnu11 $variant" "$cc" -std=gnu11 "${WARN[@]}" $variant "$testdata/compile_check.c"
  done
done

for cxx in "${CXX_LIST[@]}"; do
  for std in c++11 c++14 c++17 c++20; do
    for variant in "${VARIANTS[@]}"; do
      compile "$cxx -std=$std $variant" "$cxx" -std="$std" "${WARN[@]}" $variant "$testdata/compile_check.cc"
    done
  done
  compile "$cxx -std=c++20 -O2" "$cxx" -std=c++20 -O2 "${WARN[@]}" "$testdata/compile_check.cc"
done

# UNICODE is not supported yet: the headers must say so, not half-work.
for define in -DUNICODE -D_UNICODE; do
  if /usr/bin/gcc -std=c11 $define -I"$include" -fsyntax-only -x c - >"$work/log" 2>&1 <<<'#include <windows.h>'; then
    echo "FAIL [$define]: a UNICODE build compiled" >&2
    failures=$((failures + 1))
  elif ! grep -q 'UNICODE builds are not supported yet' "$work/log"; then
    echo "FAIL [$define]: unexpected diagnostic:" >&2
    cat "$work/log" >&2
    failures=$((failures + 1))
  fi
done

# NONAMELESSUNION names the unions, as on Windows.
for pair in "/usr/bin/gcc:c" "/usr/bin/g++:c++"; do
  compiler="${pair%%:*}"; lang="${pair##*:}"
  if ! "$compiler" -x "$lang" -DNONAMELESSUNION -Wall -Wextra -Werror -pedantic -I"$include" \
      -fsyntax-only - >"$work/log" 2>&1 <<'PROGRAM'
#include <windows.h>
int f(OVERLAPPED *ov, SYSTEM_INFO *si) {
  return (int)(ov->u.s.Offset + ov->u.s.OffsetHigh) + si->u.s.wProcessorArchitecture;
}
PROGRAM
  then
    echo "FAIL [NONAMELESSUNION $lang]:" >&2
    cat "$work/log" >&2
    failures=$((failures + 1))
  fi
done

# Winsock next to glibc, in both orders and both languages: a program's own
# FD_SETSIZE (Windows' way to enlarge fd_set) survives glibc's, glibc's does
# not leak in, and glibc's headers included after winsock2.h are no-ops.
for pair in "/usr/bin/gcc:c:gnu99" "/usr/bin/clang-14:c:c99" "/usr/bin/g++:c++:c++17" \
    "/usr/bin/clang++-14:c++:c++11"; do
  IFS=: read -r compiler lang std <<<"$pair"
  for order in std_first std_last; do
    if ! "$compiler" -x "$lang" -std="$std" -D"IOCP_ORDER_$order" -Wall -Wextra -Werror -pedantic \
        -I"$include" -fsyntax-only - >"$work/log" 2>&1 <<'PROGRAM'
#ifdef IOCP_ORDER_std_first
#include <stdlib.h>
#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <unistd.h>
#endif
#undef FD_SETSIZE
#define FD_SETSIZE 256
#include <winsock2.h>
#ifndef IOCP_ORDER_std_first
#include <stdlib.h>
#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <unistd.h>
#endif
#include <ws2tcpip.h>
#if FD_SETSIZE != 256
#error "the program's FD_SETSIZE was lost"
#endif
typedef char fd_set_size[sizeof(fd_set) == 8 + 8 * 256 ? 1 : -1];
typedef char u_long_size[sizeof(u_long) == 4 ? 1 : -1];
typedef char timeval_size[sizeof(struct timeval) == 8 ? 1 : -1];
typedef char socklen_signed[(socklen_t)-1 < 0 ? 1 : -1];
int f(SOCKET s, char *host) {
  fd_set set;
  struct timeval tv = {0, 0};
  FD_ZERO(&set);
  FD_SET(s, &set);
  return select(0, &set, 0, 0, &tv) + FD_ISSET(s, &set) + gethostname(host, 16);
}
PROGRAM
    then
      echo "FAIL [winsock+glibc $compiler $std $order]:" >&2
      cat "$work/log" >&2
      failures=$((failures + 1))
    fi
  done
done

echo "$count compilations, $failures failures"
[[ $failures -eq 0 ]] || exit 1
echo PASS
