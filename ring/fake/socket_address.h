// Socket addresses of the simulated world, decoded from and encoded to the
// sockaddr structures callers pass, with the kernel's validation errors.
#ifndef IOCP_RING_FAKE_SOCKET_ADDRESS_H_
#define IOCP_RING_FAKE_SOCKET_ADDRESS_H_

#include <stdint.h>
#include <sys/socket.h>

#include <array>
#include <string>

namespace ring::fake_internal {

struct SocketAddress {
  int family = AF_UNSPEC;
  std::array<uint8_t, 16> ip = {};  // network byte order; AF_INET uses the first 4
  uint16_t port = 0;                // host byte order
  uint32_t flow_info = 0;           // AF_INET6 only, carried through
  uint32_t scope_id = 0;
  // AF_UNIX: the name's bytes. Empty = unnamed; a leading '\0' marks the
  // abstract namespace; otherwise a filesystem path without its NUL.
  std::string unix_name;

  bool IsWildcard() const;  // 0.0.0.0 or ::
  bool IsLoopback() const;  // 127.0.0.0/8 or ::1
  bool IsAbstract() const { return !unix_name.empty() && unix_name[0] == '\0'; }
  bool SameIp(const SocketAddress& other) const { return family == other.family && ip == other.ip; }
};

// The loopback address of an inet family (127.0.0.1 or ::1) with a port.
SocketAddress LoopbackAddress(int family, uint16_t port);
// The wildcard address of an inet family with a port.
SocketAddress WildcardAddress(int family, uint16_t port);
// An unnamed AF_UNIX address (what getsockname reports before bind).
SocketAddress UnnamedUnixAddress();

// Decodes `addr` for a socket of `socket_family`. Returns 0, -EFAULT (null
// with a length), -EINVAL (too short, too long, AF_UNIX family mismatch) or
// -EAFNOSUPPORT (inet family mismatch). AF_UNSPEC is returned as such for
// the callers that give it a meaning (datagram disconnect).
int ParseSocketAddress(int socket_family, const sockaddr* addr, socklen_t addr_len,
                       SocketAddress* out);

// Encodes `address` into `out`, copying at most `capacity` bytes like the
// kernel's move_addr_to_user, and returns the full encoded length.
socklen_t FormatSocketAddress(const SocketAddress& address, sockaddr* out, socklen_t capacity);

// Writes `address` to a (sockaddr*, socklen_t*) pair the way accept,
// getsockname and getpeername do: *len in = capacity, out = full length.
// Returns 0, -EFAULT (null length) or -EINVAL (negative capacity).
int StoreSocketAddress(const SocketAddress& address, sockaddr* out, socklen_t* len);

}  // namespace ring::fake_internal

#endif  // IOCP_RING_FAKE_SOCKET_ADDRESS_H_
