#!/usr/bin/env bash
# The install contract (//iocp:install): install into a temporary prefix, then
# build and run Windows programs through what was installed:
#   (a) iocp-cc, shared (default) and -static-iocp, gcc and clang, one-step and
#       compile-then-link, --showme, -M (which windows.h is used);
#   (b) cc $(pkg-config --cflags --libs iocp);
#   (c) CMake: find_package(iocp) + target_link_libraries(prog iocp::iocp)
#       (and iocp::iocp_static);
#   (d) the libraries: soname, versioned name and links, the exported Win32
#       functions, no liburing anywhere, no path of this machine in any
#       installed file (PREFIX aside);
#   (e) iocp-c++ builds a C++ program.
# Usage: install_test.sh [--sanitize=LIST]  (the library is instrumented under
# --config=asan/tsan, so the programs are built with -fsanitize=LIST too).
# (No pipefail: `producer | grep -q` would fail when grep stops reading early.)
set -u

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo; echo "=== $*"; }
run() {  # run CMD...: echo and run, fail loudly on error
  echo "+ $*"
  "$@" || fail "command failed ($?): $*"
}

san=()
for arg in "$@"; do
  case "$arg" in
    --sanitize=*) san=("-fsanitize=${arg#--sanitize=}" -fno-omit-frame-pointer) ;;
    *) fail "unknown argument $arg" ;;
  esac
done

for tool in gcc g++ cc clang-14 pkg-config cmake make readelf nm ldd realpath timeout; do
  command -v "$tool" >/dev/null || fail "$tool is missing (tools/setup installs it)"
done

srcdir="${TEST_SRCDIR:?run me with bazel test}/iocp"
installer="$srcdir/iocp/install"
worker_pool="$srcdir/tests/programs/worker_pool.c"
pipeline="$srcdir/tests/programs/pipeline.c"
file_copy="$srcdir/tests/programs/file_copy.c"
echo_program="$srcdir/tests/programs/echo.c"
testdata="$srcdir/iocp/testdata/install"
for f in "$installer" "$worker_pool" "$pipeline" "$echo_program" "$testdata/CMakeLists.txt" "$testdata/port_class.cc"; do
  [[ -e "$f" ]] || fail "missing runfile $f"
done

work="${TEST_TMPDIR:?}/install_test"
rm -rf "$work" && mkdir -p "$work/build" || fail "cannot create $work"
prefix="$work/prefix"
cd "$work/build" || fail "cd"

# check_program BINARY EXPECTED_LAST_LINE [ARGS...]: runs it (bounded), checks
# exit code 0 and the last line, and that it does not need liburing.
check_program() {
  local binary="$1" expected="$2"
  shift 2
  local out rc
  out=$(timeout 120 "$binary" "$@")
  rc=$?
  echo "$out" | sed 's/^/    /'
  [[ $rc -eq 0 ]] || fail "$binary exited with $rc"
  [[ "$(tail -n 1 <<<"$out")" == "$expected" ]] || fail "$binary: last line is not '$expected'"
  if readelf -d "$binary" | grep -i 'NEEDED.*uring'; then fail "$binary needs liburing"; fi
  if ldd "$binary" | grep -i 'uring\|not found'; then fail "$binary: bad dependencies (above)"; fi
}
WP_OK="worker_pool: OK, every job processed exactly once"
PL_OK="pipeline: OK, every item through both stages exactly once"
FC_OK="file_copy: OK, copy identical"
EC_OK="echo: OK, 20 connections accepted once, every byte echoed intact, all closed"
STRICT=(-std=c11 -Wall -Wextra -Werror -pedantic)

step "install into $prefix"
run "$installer" "$prefix"
for f in include/windows.h include/winsock2.h lib/libiocp.a lib/libiocp.so lib/libiocp.so.0 \
  lib/pkgconfig/iocp.pc lib/cmake/iocp/iocpConfig.cmake lib/cmake/iocp/iocpConfigVersion.cmake \
  bin/iocp-cc bin/iocp-c++; do
  [[ -e "$prefix/$f" ]] || fail "not installed: PREFIX/$f"
done
[[ -x "$prefix/bin/iocp-cc" && -x "$prefix/bin/iocp-c++" ]] || fail "wrappers not executable"
[[ "$(readlink "$prefix/lib/libiocp.so")" == "libiocp.so.0" ]] || fail "libiocp.so -> libiocp.so.0"
real_so="$(readlink "$prefix/lib/libiocp.so.0")"
[[ "$real_so" =~ ^libiocp\.so\.0\.[0-9]+\.[0-9]+$ && -f "$prefix/lib/$real_so" && ! -L "$prefix/lib/$real_so" ]] ||
  fail "libiocp.so.0 should link to the versioned file, got '$real_so'"
# A relative PREFIX is resolved against the directory bazel was run in.
(cd "$work" && BUILD_WORKING_DIRECTORY="$work" "$installer" relative-prefix >/dev/null) ||
  fail "installing into a relative prefix failed"
[[ -f "$work/relative-prefix/lib/libiocp.a" ]] || fail "relative PREFIX not resolved against BUILD_WORKING_DIRECTORY"
grep -q "prefix='$work/relative-prefix'" "$work/relative-prefix/bin/iocp-cc" || fail "relative PREFIX not made absolute"

step "(d) libiocp.so: soname, dependencies, exports"
readelf -d "$prefix/lib/libiocp.so" | grep -E 'NEEDED|SONAME'
readelf -d "$prefix/lib/libiocp.so" | grep -q 'Library soname: \[libiocp\.so\.0\]' || fail "soname is not libiocp.so.0"
if readelf -d "$prefix/lib/libiocp.so" | grep -i 'NEEDED.*uring'; then fail "libiocp.so needs liburing"; fi
# Global and weak symbols only: a local one (a hidden thread_local the TLS
# relocations name) is nobody's to link against.
exports="$(nm -D --defined-only "$prefix/lib/libiocp.so" | awk '$2 ~ /^[A-Z]$/ {print $3}')"
for fn in CreateIoCompletionPort GetQueuedCompletionStatus GetQueuedCompletionStatusEx \
  PostQueuedCompletionStatus CloseHandle DuplicateHandle GetCurrentProcess GetCurrentThread \
  GetLastError SetLastError CreateThread ExitThread GetExitCodeThread GetCurrentThreadId \
  GetCurrentProcessId QueueUserAPC WaitForSingleObject WaitForSingleObjectEx \
  WaitForMultipleObjects WaitForMultipleObjectsEx Sleep SleepEx CreateEventA SetEvent \
  ResetEvent GetTickCount GetTickCount64 QueryPerformanceCounter QueryPerformanceFrequency \
  GetSystemInfo CreateFileA ReadFile WriteFile DeleteFileA GetOverlappedResult \
  GetOverlappedResultEx CancelIo CancelIoEx SetFileCompletionNotificationModes \
  ReadFileEx WriteFileEx GetFileSize GetFileSizeEx SetFilePointer SetFilePointerEx SetEndOfFile \
  FlushFileBuffers GetFileType GetTempPathA GetTempFileNameA CreatePipe CreateNamedPipeA \
  ConnectNamedPipe DisconnectNamedPipe WaitNamedPipeA PeekNamedPipe \
  WSAStartup WSACleanup WSAGetLastError WSASetLastError WSASocketA WSASocketW WSARecv \
  WSARecvFrom WSASend WSASendTo WSAIoctl WSAGetOverlappedResult WSAPoll WSAEventSelect \
  WSAEnumNetworkEvents WSACreateEvent WSACloseEvent WSASetEvent WSAResetEvent \
  WSAWaitForMultipleEvents AcceptEx GetAcceptExSockaddrs ConnectEx DisconnectEx TransmitFile \
  closesocket ioctlsocket gai_strerrorA __WSAFDIsSet iocp_socket iocp_bind iocp_listen \
  iocp_accept iocp_connect iocp_shutdown iocp_send iocp_recv iocp_sendto iocp_recvfrom \
  iocp_getsockname iocp_getpeername iocp_setsockopt iocp_getsockopt iocp_select iocp_htons \
  iocp_htonl iocp_ntohs iocp_ntohl iocp_inet_addr iocp_inet_ntoa iocp_inet_pton iocp_inet_ntop \
  iocp_getaddrinfo iocp_freeaddrinfo iocp_getnameinfo iocp_gethostbyname iocp_gethostbyaddr \
  iocp_gethostname iocp_getservbyname iocp_getservbyport iocp_getprotobyname \
  iocp_getprotobynumber; do
  grep -qx "$fn" <<<"$exports" || fail "libiocp.so does not export $fn"
done
internal="$(grep -v '^[A-Z]\|^iocp_\|^closesocket$\|^ioctlsocket$\|^gai_strerrorA$\|^__WSAFDIsSet$' <<<"$exports" |
  grep -v '^_init$\|^_fini$' | head -5)"
[[ -z "$internal" ]] || fail "libiocp.so exports internals: $internal"
for lib in "$prefix/lib/libiocp.so" "$prefix/lib/libiocp.a"; do
  if nm "$lib" 2>/dev/null | grep -E ' io_uring_[a-z_]+$'; then fail "$lib refers to liburing"; fi
done
grep -q ' T CreateIoCompletionPort$' <<<"$(nm "$prefix/lib/libiocp.a")" || fail "libiocp.a lacks CreateIoCompletionPort"
echo "soname libiocp.so.0, $(wc -l <<<"$exports") exported functions, no liburing"

step "(d) no path of this machine in the installed files"
machine_paths=()
for p in "$(realpath "$testdata")" "$(realpath "$installer")" "$(realpath "$srcdir/iocp/libiocp.so")"; do
  case "$p" in
    */execroot/*) machine_paths+=("${p%%/execroot/*}") ;;   # Bazel's output base
    */iocp/*) machine_paths+=("${p%/iocp/*}") ;;            # the source tree
  esac
done
machine_paths+=("$srcdir" "${TEST_SRCDIR}")
printf '  looking for: %s\n' "${machine_paths[@]}"
while IFS= read -r -d '' file; do
  content="$(LC_ALL=C sed "s|$prefix||g; s|$work/relative-prefix||g" "$file" | LC_ALL=C tr -d '\0')"
  for p in "${machine_paths[@]}"; do
    if grep -aqF -- "$p" <<<"$content"; then fail "$file contains $p"; fi
  done
  for word in bazel-out execroot runfiles; do
    if [[ "$file" != *.a && "$file" != *.so* ]] && grep -aq "$word" <<<"$content"; then
      fail "$file mentions $word"
    fi
  done
done < <(find "$prefix" -type f -print0)
echo "none"

step "(a) iocp-cc: shared library (default)"
run "$prefix/bin/iocp-cc" "${STRICT[@]}" "${san[@]}" "$worker_pool" -o worker_pool_shared
readelf -d worker_pool_shared | grep -q 'NEEDED.*libiocp\.so\.0' || fail "not linked with libiocp.so.0"
readelf -d worker_pool_shared | grep -E 'R(UN)?PATH' | grep -qF "$prefix/lib" || fail "no rpath to PREFIX/lib"
check_program ./worker_pool_shared "$WP_OK" 5000

step "(a) iocp-cc -static-iocp"
run "$prefix/bin/iocp-cc" -static-iocp "${STRICT[@]}" "${san[@]}" "$worker_pool" -o worker_pool_static
if readelf -d worker_pool_static | grep 'NEEDED.*libiocp'; then fail "-static-iocp still needs libiocp.so"; fi
check_program ./worker_pool_static "$WP_OK" 5000
run "$prefix/bin/iocp-cc" -static-iocp -O2 "${san[@]}" "$pipeline" -o pipeline_static
check_program ./pipeline_static "$PL_OK" 5000
run "$prefix/bin/iocp-cc" "${STRICT[@]}" "${san[@]}" "$file_copy" -o file_copy_shared
check_program ./file_copy_shared "$FC_OK" 1000000
# Winsock: AcceptEx/ConnectEx/WSARecv/WSASend through the shared and the
# static library.
run "$prefix/bin/iocp-cc" "${STRICT[@]}" "${san[@]}" "$echo_program" -o echo_shared
check_program ./echo_shared "$EC_OK" 20 50000
run "$prefix/bin/iocp-cc" -static-iocp "${STRICT[@]}" "${san[@]}" "$echo_program" -o echo_static
check_program ./echo_static "$EC_OK" 20 50000

step "(a) every program in tests/programs, unchanged, through iocp-cc"
program_table="$srcdir/tests/programs/programs.txt"
[[ -s "$program_table" ]] || fail "missing runfile $program_table"
programs_built=0
while IFS='|' read -r -a fields; do
  name="${fields[0]}"
  run "$prefix/bin/iocp-cc" "${STRICT[@]}" "${san[@]}" "$srcdir/tests/programs/$name.c" -o "program_$name"
  check_program "./program_$name" "${fields[1]}" "${fields[@]:2}"
  programs_built=$((programs_built + 1))
done <"$program_table"
[[ $programs_built -ge 8 ]] || fail "only $programs_built programs in $program_table"
echo "$programs_built programs built and run"

step "(a) iocp-cc: compile, then link; clang; what windows.h is used; --showme"
run "$prefix/bin/iocp-cc" -c "${STRICT[@]}" "${san[@]}" "$pipeline" -o pipeline.o
grep -q ' U CreateIoCompletionPort$' <<<"$(nm pipeline.o)" || fail "pipeline.o does not call CreateIoCompletionPort"
run "$prefix/bin/iocp-cc" "${san[@]}" pipeline.o -o pipeline_shared
check_program ./pipeline_shared "$PL_OK" 5000
if [[ ${#san[@]} -eq 0 ]]; then
  IOCP_CC=clang-14 run "$prefix/bin/iocp-cc" -std=c99 "${STRICT[@]:1}" "$worker_pool" -o worker_pool_clang
  check_program ./worker_pool_clang "$WP_OK" 2000
else
  # The library is instrumented by gcc; clang's sanitizer runtime cannot be
  # mixed with gcc's in one process, so only compile with clang here.
  IOCP_CC=clang-14 run "$prefix/bin/iocp-cc" -c -std=c99 "${STRICT[@]:1}" "$worker_pool" -o worker_pool_clang.o
fi
deps="$("$prefix/bin/iocp-cc" -M "$worker_pool")" || fail "iocp-cc -M failed"
grep -qF "$prefix/include/windows.h" <<<"$deps" || fail "windows.h is not PREFIX/include/windows.h: $deps"
showme="$("$prefix/bin/iocp-cc" --showme -O2 "$worker_pool" -o 'my prog')"
echo "  --showme: $showme"
[[ "$showme" == "gcc -I$prefix/include -pthread -O2 $worker_pool -o 'my prog' -L$prefix/lib -Wl,-rpath,$prefix/lib -liocp -pthread" ]] ||
  fail "unexpected --showme output"
showme="$(IOCP_CC=clang-14 "$prefix/bin/iocp-cc" --showme -static-iocp -c x.c)"
[[ "$showme" == "clang-14 -I$prefix/include -pthread -c x.c" ]] || fail "-c must not add link flags: $showme"
showme="$("$prefix/bin/iocp-cc" --showme -static-iocp x.o)"
[[ "$showme" == *"x.o $prefix/lib/libiocp.a -lstdc++"* ]] || fail "-static-iocp must link libiocp.a: $showme"
"$prefix/bin/iocp-cc" --version >/dev/null || fail "iocp-cc --version"

step "(b) pkg-config"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[[ "$(pkg-config --modversion iocp)" == "${real_so#libiocp.so.}" ]] || fail "pkg-config version"
echo "+ cc \$(pkg-config --cflags --libs iocp): $(pkg-config --cflags --libs iocp)"
# shellcheck disable=SC2046
cc "${san[@]}" "$worker_pool" $(pkg-config --cflags --libs iocp) -o worker_pool_pc ||
  fail "building with pkg-config failed"
LD_LIBRARY_PATH="$prefix/lib" check_program ./worker_pool_pc "$WP_OK" 3000
unset PKG_CONFIG_PATH

step "(c) CMake: find_package(iocp) + target_link_libraries(prog iocp::iocp)"
cmake_flags=()
if [[ ${#san[@]} -gt 0 ]]; then
  cmake_flags=("-DCMAKE_C_FLAGS=${san[*]}" "-DCMAKE_EXE_LINKER_FLAGS=${san[*]}")
fi
run cmake -S "$testdata" -B cmake-build -G "Unix Makefiles" -DCMAKE_PREFIX_PATH="$prefix" \
  -DPROGRAM_SOURCE="$worker_pool" "${cmake_flags[@]}"
run cmake --build cmake-build -- VERBOSE=1
check_program cmake-build/prog "$WP_OK" 3000
readelf -d cmake-build/prog | grep -q 'NEEDED.*libiocp\.so\.0' || fail "CMake prog not linked with libiocp.so.0"
check_program cmake-build/prog_static "$WP_OK" 3000

step "(e) iocp-c++: a C++ program"
run "$prefix/bin/iocp-c++" -std=c++17 -Wall -Wextra -Werror "${san[@]}" "$testdata/port_class.cc" -o port_class
check_program ./port_class "port_class: OK"
run "$prefix/bin/iocp-c++" -static-iocp "${san[@]}" "$testdata/port_class.cc" -o port_class_static
check_program ./port_class_static "port_class: OK"

echo
echo "PASS: install contract"
