#!/usr/bin/env bash
# bazel run //iocp:install -- PREFIX
#
# Installs the Windows headers, libiocp.a, libiocp.so (with soname and
# links), the iocp-cc / iocp-c++ compiler wrappers, iocp.pc and the CMake
# package files under PREFIX. A relative PREFIX is taken from the directory
# bazel was started in ($BUILD_WORKING_DIRECTORY). The installed files name
# PREFIX (substituted here) and nothing else of this machine.
set -euo pipefail

VERSION=0.1.0
SOVERSION=0   # the major number in //iocp:libiocp.so's -soname

die() { echo "iocp install: $*" >&2; exit 1; }

[[ $# -eq 1 && -n "$1" && "$1" != -* ]] || die "usage: bazel run //iocp:install -- PREFIX"
prefix="$1"
if [[ "$prefix" != /* ]]; then
  prefix="${BUILD_WORKING_DIRECTORY:-$PWD}/$prefix"
fi
# Normalise (no trailing slash, no "." or ".." components) without following links.
prefix="$(realpath -m -s "$prefix")"
# PREFIX ends up in shell scripts, a pkg-config file and sed commands: keep it plain.
[[ "$prefix" =~ ^[A-Za-z0-9_./+@%,:~-]+$ ]] ||
  die "PREFIX '$prefix' has characters this installer does not quote (spaces, quotes, ...)"

# The files to install are in this program's runfiles, under the workspace name.
root=""
for candidate in "${RUNFILES_DIR:-}" "$0.runfiles" "${TEST_SRCDIR:-}" "$PWD/.."; do
  if [[ -n "$candidate" && -f "$candidate/iocp/iocp/libiocp.so" ]]; then
    root="$candidate/iocp/iocp"
    break
  fi
done
[[ -n "$root" ]] || die "cannot find the built files (run me with: bazel run //iocp:install -- PREFIX)"

substitute() {  # substitute TEMPLATE OUTPUT MODE [KEY=VALUE...]
  local template="$1" output="$2" mode="$3"
  shift 3
  local script=(-e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$VERSION|g" -e "s|@SOVERSION@|$SOVERSION|g")
  local pair
  for pair in "$@"; do
    script+=(-e "s|@${pair%%=*}@|${pair#*=}|g")
  done
  sed "${script[@]}" "$template" >"$output.tmp"
  if grep -q '@[A-Z_]*@' "$output.tmp"; then
    rm -f "$output.tmp"
    die "unsubstituted placeholder in $output"
  fi
  chmod "$mode" "$output.tmp"
  mv -f "$output.tmp" "$output"
}

mkdir -p "$prefix/include" "$prefix/lib/pkgconfig" "$prefix/lib/cmake/iocp" "$prefix/bin"

# Headers (copied, not linked: the runfiles are symlinks into this machine's trees).
(cd "$root/include" && find -L . -name '*.h' -print) | while read -r header; do
  mkdir -p "$prefix/include/$(dirname "$header")"
  install -m 644 "$root/include/$header" "$prefix/include/$header"
done

# Libraries: libiocp.so.X.Y.Z, libiocp.so.X -> it (the soname), libiocp.so -> libiocp.so.X.
install -m 644 "$root/libiocp.a" "$prefix/lib/libiocp.a"
install -m 755 "$root/libiocp.so" "$prefix/lib/libiocp.so.$VERSION"
ln -sfn "libiocp.so.$VERSION" "$prefix/lib/libiocp.so.$SOVERSION"
ln -sfn "libiocp.so.$SOVERSION" "$prefix/lib/libiocp.so"

# Compiler wrappers, pkg-config, CMake.
substitute "$root/dist/iocp-cc.in" "$prefix/bin/iocp-cc" 755 \
  NAME=iocp-cc ENV=IOCP_CC DEFAULT_COMPILER=gcc
substitute "$root/dist/iocp-cc.in" "$prefix/bin/iocp-c++" 755 \
  NAME=iocp-c++ ENV=IOCP_CXX DEFAULT_COMPILER=g++
substitute "$root/dist/iocp.pc.in" "$prefix/lib/pkgconfig/iocp.pc" 644
substitute "$root/dist/iocpConfig.cmake.in" "$prefix/lib/cmake/iocp/iocpConfig.cmake" 644
substitute "$root/dist/iocpConfigVersion.cmake.in" \
  "$prefix/lib/cmake/iocp/iocpConfigVersion.cmake" 644

echo "iocp $VERSION installed in $prefix:"
echo "  $prefix/include/windows.h, winsock2.h, ... (the Windows headers)"
echo "  $prefix/lib/libiocp.a, libiocp.so -> libiocp.so.$SOVERSION -> libiocp.so.$VERSION"
echo "  $prefix/lib/pkgconfig/iocp.pc, $prefix/lib/cmake/iocp/iocpConfig.cmake"
echo "  $prefix/bin/iocp-cc, $prefix/bin/iocp-c++"
echo "Build a Windows program: $prefix/bin/iocp-cc prog.c -o prog"
