#!/bin/bash
# Compiles testdata/compile_check.c and testdata/compile_check.cc against the
# Windows headers with gcc and clang in every supported language mode
# (C99, C11, plus GNU C11; C++11, 14, 17, 20), warnings as errors, with the
# standard headers before and after windows.h/winsock2.h and with the
# case-variant file names.
# Each object file must define nothing but main and the static inline helpers
# it used (no data symbols), and the C++ one must reference the Win32
# functions by their unmangled C names. Also: a UNICODE build must stop with
# the project's #error; the MSVC compatibility layer (crt_check.c/.cc) builds
# and runs; SEH keywords stop the build with the project's message.
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

# --- The MSVC compatibility layer: tchar.h, strsafe.h, the CRT extras, the
# compiler keywords, SAL (testdata/crt_check.c and .cc). Every mode compiles
# warning-free; the objects define nothing of the headers' (the helpers are
# static inline); one build per compiler is linked and run (the programs
# check their own results and print a known line).
for cc in "${CC_LIST[@]}"; do
  for std in c99 c11 gnu11; do
    for variant in "" "-DIOCP_STD_FIRST"; do
      label="crt $cc -std=$std $variant"
      obj="$work/crt_$count.o"
      count=$((count + 1))
      if ! "$cc" -std="$std" "${WARN[@]}" $variant -I"$include" -I"$testdata" \
          -c -o "$obj" "$testdata/crt_check.c" >"$work/log" 2>&1; then
        echo "FAIL [$label]:" >&2; cat "$work/log" >&2; failures=$((failures + 1)); continue
      fi
      globals="$(nm -g --defined-only "$obj" | awk '{print $3}' | sort -u | tr '\n' ' ')"
      data="$(nm --defined-only "$obj" | awk '$2 ~ /^[BbCDdGgSsVv]$/ {print $3}' | tr '\n' ' ')"
      if [[ "$globals" != "main " || -n "$data" ]]; then
        echo "FAIL [$label]: defines '$globals' and data '$data'" >&2; failures=$((failures + 1))
      fi
    done
  done
  if ! "$cc" -std=c11 "${WARN[@]}" -I"$include" -I"$testdata" -o "$work/crt_c" \
      "$testdata/crt_check.c" >"$work/log" 2>&1; then
    echo "FAIL [crt link $cc]:" >&2; cat "$work/log" >&2; failures=$((failures + 1))
  elif [[ "$("$work/crt_c" 2>/dev/null)" != "n 5 abcdef" ]]; then
    echo "FAIL [crt run $cc]: printed '$("$work/crt_c" 2>&1)'" >&2; failures=$((failures + 1))
  fi
done

for cxx in "${CXX_LIST[@]}"; do
  for std_variant in c++11: c++14: c++17: c++20: c++11:-DNOMINMAX c++20:-DNOMINMAX; do
    std="${std_variant%%:*}"; variant="${std_variant#*:}"
    {
      label="crt $cxx -std=$std $variant"
      obj="$work/crt_$count.o"
      count=$((count + 1))
      if ! "$cxx" -std="$std" "${WARN[@]}" $variant -I"$include" -I"$testdata" \
          -c -o "$obj" "$testdata/crt_check.cc" >"$work/log" 2>&1; then
        echo "FAIL [$label]:" >&2; cat "$work/log" >&2; failures=$((failures + 1)); continue
      fi
      # The program's own classes may be emitted; the headers' names may not.
      if nm -C -g --defined-only "$obj" | grep -E ' (min|max|strcpy_s|sprintf_s|_snprintf_s|_itoa_s|Iocp[A-Za-z]*_)[<(]' >"$work/syms"; then
        echo "FAIL [$label]: header functions with external linkage: $(cat "$work/syms")" >&2
        failures=$((failures + 1))
      fi
    }
  done
  for variant in "" "-DNOMINMAX"; do
    if ! "$cxx" -std=c++17 "${WARN[@]}" $variant -I"$include" -I"$testdata" -o "$work/crt_cc" \
        "$testdata/crt_check.cc" >"$work/log" 2>&1; then
      echo "FAIL [crt link $cxx $variant]:" >&2; cat "$work/log" >&2; failures=$((failures + 1))
    elif [[ "$("$work/crt_cc")" != "safeabc76" ]]; then
      echo "FAIL [crt run $cxx $variant]: printed '$("$work/crt_cc" 2>&1)'" >&2
      failures=$((failures + 1))
    fi
  done
done

# NOMINMAX: no min/max at all (C macros, C++ templates).
for pair in "/usr/bin/gcc:c" "/usr/bin/g++:c++"; do
  compiler="${pair%%:*}"; lang="${pair##*:}"
  if "$compiler" -x "$lang" -DNOMINMAX -Werror=implicit-function-declaration -I"$include" \
      -fsyntax-only - >"$work/log" 2>&1 <<'PROGRAM'
#include <windows.h>
int f(int a, int b) { return max(a, b); }
PROGRAM
  then
    echo "FAIL [NOMINMAX $lang]: max exists" >&2; failures=$((failures + 1))
  fi
done

# SEH: each keyword stops the build at its line with the project's message,
# in C and C++, gcc and clang.
SEH_MESSAGE='structured exception handling (__try/__except/__finally/__leave) does not exist on Linux'
for pair in "/usr/bin/gcc:c:c99" "/usr/bin/clang-14:c:c11" "/usr/bin/g++:c++:c++11" \
    "/usr/bin/clang++-14:c++:c++20"; do
  IFS=: read -r compiler lang std <<<"$pair"
  for use in EXCEPT FINALLY LEAVE; do
    if "$compiler" -x "$lang" -std="$std" -DUSE_$use "${WARN[@]}" -I"$include" \
        -fsyntax-only - >"$work/log" 2>&1 <<'PROGRAM'
#include <windows.h>
int f(int *p) {
  int r = 0;
#if defined(USE_EXCEPT)
  __try {
    r = *p;
  } __except (EXCEPTION_EXECUTE_HANDLER) {
    r = -1;
  }
#elif defined(USE_FINALLY)
  __try {
    r = *p;
  } __finally {
    r++;
  }
#else
  if (!p) __leave;
  r = *p;
#endif
  return r;
}
PROGRAM
    then
      echo "FAIL [SEH $use $compiler $std]: compiled" >&2; failures=$((failures + 1))
    elif ! grep -qF "$SEH_MESSAGE" "$work/log"; then
      echo "FAIL [SEH $use $compiler $std]: unexpected diagnostic:" >&2; cat "$work/log" >&2
      failures=$((failures + 1))
    elif ! grep -q "^<stdin>:\(5\|7\|11\|13\|17\):" "$work/log"; then
      echo "FAIL [SEH $use $compiler $std]: the error is not at the keyword's line:" >&2
      cat "$work/log" >&2; failures=$((failures + 1))
    fi
  done
done

# UNICODE through tchar.h or strsafe.h alone stops with the same message.
for header in tchar.h strsafe.h; do
  if /usr/bin/gcc -std=c11 -D_UNICODE -I"$include" -fsyntax-only -x c - >"$work/log" 2>&1 \
      <<<"#include <$header>"; then
    echo "FAIL [_UNICODE $header]: compiled" >&2; failures=$((failures + 1))
  elif ! grep -q "UNICODE builds are not supported yet: Linux's wchar_t is 32-bit" "$work/log"; then
    echo "FAIL [_UNICODE $header]: unexpected diagnostic:" >&2; cat "$work/log" >&2
    failures=$((failures + 1))
  fi
done

echo "$count compilations, $failures failures"
[[ $failures -eq 0 ]] || exit 1
echo PASS
