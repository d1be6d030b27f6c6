#include "ring/fake/socket_address.h"

#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/un.h>

#include <algorithm>

namespace ring::fake_internal {
namespace {

constexpr socklen_t kUnixPathOffset = offsetof(sockaddr_un, sun_path);
// The shortest sockaddr_in6 the kernel takes (RFC 2133 had no scope id).
constexpr socklen_t kMinInet6Length = 24;

int ParseInet4(const sockaddr* addr, socklen_t addr_len, SocketAddress* out) {
  if (addr_len < sizeof(sockaddr_in)) return -EINVAL;
  sockaddr_in in;
  memcpy(&in, addr, sizeof(in));
  out->family = AF_INET;
  memcpy(out->ip.data(), &in.sin_addr, 4);
  out->port = ntohs(in.sin_port);
  return 0;
}

int ParseInet6(const sockaddr* addr, socklen_t addr_len, SocketAddress* out) {
  if (addr_len < kMinInet6Length) return -EINVAL;
  sockaddr_in6 in6 = {};
  memcpy(&in6, addr, std::min<socklen_t>(addr_len, sizeof(in6)));
  out->family = AF_INET6;
  memcpy(out->ip.data(), &in6.sin6_addr, 16);
  out->port = ntohs(in6.sin6_port);
  out->flow_info = in6.sin6_flowinfo;
  out->scope_id = addr_len >= sizeof(sockaddr_in6) ? in6.sin6_scope_id : 0;
  return 0;
}

int ParseUnix(const sockaddr* addr, socklen_t addr_len, SocketAddress* out) {
  if (addr_len > sizeof(sockaddr_un)) return -EINVAL;
  out->family = AF_UNIX;
  const char* path = reinterpret_cast<const sockaddr_un*>(addr)->sun_path;
  const size_t path_bytes = addr_len - kUnixPathOffset;
  if (path_bytes == 0) {
    out->unix_name.clear();
  } else if (path[0] == '\0') {
    out->unix_name.assign(path, path_bytes);  // abstract: every byte counts
  } else {
    out->unix_name.assign(path, strnlen(path, path_bytes));
  }
  return 0;
}

}  // namespace

bool SocketAddress::IsWildcard() const {
  const size_t bytes = family == AF_INET ? 4 : 16;
  return std::all_of(ip.begin(), ip.begin() + bytes, [](uint8_t b) { return b == 0; });
}

bool SocketAddress::IsLoopback() const {
  if (family == AF_INET) return ip[0] == 127;
  if (family != AF_INET6) return false;
  return std::all_of(ip.begin(), ip.begin() + 15, [](uint8_t b) { return b == 0; }) &&
         ip[15] == 1;
}

SocketAddress LoopbackAddress(int family, uint16_t port) {
  SocketAddress address = WildcardAddress(family, port);
  if (family == AF_INET) {
    address.ip[0] = 127;
    address.ip[3] = 1;
  } else {
    address.ip[15] = 1;
  }
  return address;
}

SocketAddress WildcardAddress(int family, uint16_t port) {
  SocketAddress address;
  address.family = family;
  address.port = port;
  return address;
}

SocketAddress UnnamedUnixAddress() {
  SocketAddress address;
  address.family = AF_UNIX;
  return address;
}

int ParseSocketAddress(int socket_family, const sockaddr* addr, socklen_t addr_len,
                       SocketAddress* out) {
  if (addr == nullptr) return addr_len == 0 ? -EINVAL : -EFAULT;
  if (addr_len > sizeof(sockaddr_storage)) return -EINVAL;
  if (addr_len < sizeof(sa_family_t)) return -EINVAL;
  *out = SocketAddress();
  const sa_family_t family = addr->sa_family;
  switch (socket_family) {
    case AF_INET:
      if (family == AF_UNSPEC) {
        out->family = AF_UNSPEC;
        return 0;
      }
      if (family != AF_INET) return -EAFNOSUPPORT;
      return ParseInet4(addr, addr_len, out);
    case AF_INET6:
      if (family == AF_UNSPEC) {
        out->family = AF_UNSPEC;
        return 0;
      }
      if (addr_len < kMinInet6Length) return -EINVAL;
      if (family != AF_INET6) return -EAFNOSUPPORT;
      return ParseInet6(addr, addr_len, out);
    case AF_UNIX:
      if (family == AF_UNSPEC) {
        out->family = AF_UNSPEC;
        return 0;
      }
      if (family != AF_UNIX) return -EINVAL;
      return ParseUnix(addr, addr_len, out);
    default:
      return -EAFNOSUPPORT;
  }
}

socklen_t FormatSocketAddress(const SocketAddress& address, sockaddr* out, socklen_t capacity) {
  sockaddr_storage storage = {};
  socklen_t length = 0;
  if (address.family == AF_INET) {
    sockaddr_in in = {};
    in.sin_family = AF_INET;
    in.sin_port = htons(address.port);
    memcpy(&in.sin_addr, address.ip.data(), 4);
    memcpy(&storage, &in, sizeof(in));
    length = sizeof(in);
  } else if (address.family == AF_INET6) {
    sockaddr_in6 in6 = {};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(address.port);
    in6.sin6_flowinfo = address.flow_info;
    in6.sin6_scope_id = address.scope_id;
    memcpy(&in6.sin6_addr, address.ip.data(), 16);
    memcpy(&storage, &in6, sizeof(in6));
    length = sizeof(in6);
  } else {
    sockaddr_un un = {};
    un.sun_family = AF_UNIX;
    const size_t bytes = std::min(address.unix_name.size(), sizeof(un.sun_path));
    memcpy(un.sun_path, address.unix_name.data(), bytes);
    length = static_cast<socklen_t>(kUnixPathOffset + bytes);
    // A filesystem name is reported with its terminating NUL, as bound.
    if (bytes > 0 && !address.IsAbstract() && bytes < sizeof(un.sun_path)) ++length;
    memcpy(&storage, &un, sizeof(un));
  }
  if (out != nullptr) memcpy(out, &storage, std::min(capacity, length));
  return length;
}

int StoreSocketAddress(const SocketAddress& address, sockaddr* out, socklen_t* len) {
  if (len == nullptr) return -EFAULT;
  if (static_cast<int>(*len) < 0) return -EINVAL;
  *len = FormatSocketAddress(address, out, *len);
  return 0;
}

}  // namespace ring::fake_internal
