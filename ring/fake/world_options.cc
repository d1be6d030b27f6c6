// Socket options: stored per socket as the bytes the caller set, with the
// kernel's validation, normalisation (booleans, doubled buffer sizes) and
// read-only options computed from the socket's state.
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/time.h>

#include <algorithm>

#include "ring/fake/world.h"

namespace ring::fake_internal {
namespace {

constexpr int kMaxBufferOption = 212992;  // net.core.wmem_max / rmem_max
constexpr int kMinSndbuf = 4608;          // SOCK_MIN_SNDBUF
constexpr int kMinRcvbuf = 2304;          // SOCK_MIN_RCVBUF

enum class Shape { kBool, kInt, kLinger, kTimeval };

struct OptionSpec {
  int level;
  int name;
  Shape shape;
};

// The options that can be set, and how their values look.
constexpr OptionSpec kSettable[] = {
    {SOL_SOCKET, SO_REUSEADDR, Shape::kBool},    {SOL_SOCKET, SO_REUSEPORT, Shape::kBool},
    {SOL_SOCKET, SO_KEEPALIVE, Shape::kBool},    {SOL_SOCKET, SO_BROADCAST, Shape::kBool},
    {SOL_SOCKET, SO_OOBINLINE, Shape::kBool},    {SOL_SOCKET, SO_DONTROUTE, Shape::kBool},
    {SOL_SOCKET, SO_SNDBUF, Shape::kInt},        {SOL_SOCKET, SO_RCVBUF, Shape::kInt},
    {SOL_SOCKET, SO_PRIORITY, Shape::kInt},      {SOL_SOCKET, SO_RCVLOWAT, Shape::kInt},
    {SOL_SOCKET, SO_LINGER, Shape::kLinger},     {SOL_SOCKET, SO_RCVTIMEO, Shape::kTimeval},
    {SOL_SOCKET, SO_SNDTIMEO, Shape::kTimeval},  {IPPROTO_TCP, TCP_NODELAY, Shape::kBool},
    {IPPROTO_TCP, TCP_KEEPIDLE, Shape::kInt},    {IPPROTO_TCP, TCP_KEEPINTVL, Shape::kInt},
    {IPPROTO_TCP, TCP_KEEPCNT, Shape::kInt},     {IPPROTO_TCP, TCP_QUICKACK, Shape::kBool},
    {IPPROTO_TCP, TCP_CORK, Shape::kBool},       {IPPROTO_IPV6, IPV6_V6ONLY, Shape::kBool},
    {IPPROTO_IP, IP_TOS, Shape::kInt},           {IPPROTO_IP, IP_TTL, Shape::kInt},
};

const OptionSpec* FindSpec(int level, int name) {
  for (const OptionSpec& spec : kSettable) {
    if (spec.level == level && spec.name == name) return &spec;
  }
  return nullptr;
}

size_t ShapeSize(Shape shape) {
  switch (shape) {
    case Shape::kBool:
    case Shape::kInt:
      return sizeof(int);
    case Shape::kLinger:
      return sizeof(linger);
    case Shape::kTimeval:
      return sizeof(timeval);
  }
  return sizeof(int);
}

std::string IntBytes(int value) { return std::string(reinterpret_cast<char*>(&value), sizeof(value)); }

// Which levels a socket of this kind answers to: -EOPNOTSUPP for AF_UNIX
// (no protocol options), -ENOPROTOOPT for a protocol it is not.
int CheckLevel(const SocketObject& socket, int level) {
  if (level == SOL_SOCKET) return 0;
  if (socket.IsUnix()) return -EOPNOTSUPP;
  if (level == IPPROTO_TCP) return socket.IsTcp() ? 0 : -ENOPROTOOPT;
  if (level == IPPROTO_IPV6) return socket.family == AF_INET6 ? 0 : -ENOPROTOOPT;
  if (level == IPPROTO_IP) return socket.family == AF_INET ? 0 : -ENOPROTOOPT;
  return -ENOPROTOOPT;
}

// The kernel doubles SO_SNDBUF/SO_RCVBUF (bookkeeping overhead) within limits.
int BufferSize(int name, int requested) {
  const unsigned capped = std::min(static_cast<unsigned>(requested),
                                   static_cast<unsigned>(kMaxBufferOption));
  return std::max(static_cast<int>(capped) * 2, name == SO_SNDBUF ? kMinSndbuf : kMinRcvbuf);
}

int DefaultInt(int level, int name) {
  if (level == IPPROTO_TCP && name == TCP_KEEPIDLE) return 7200;
  if (level == IPPROTO_TCP && name == TCP_KEEPINTVL) return 75;
  if (level == IPPROTO_TCP && name == TCP_KEEPCNT) return 9;
  if (level == IPPROTO_IP && name == IP_TTL) return 64;
  return 0;
}

}  // namespace

int World::IntOption(const SocketObject& socket, int level, int name, int fallback) const {
  auto it = socket.options.find({level, name});
  if (it == socket.options.end() || it->second.size() < sizeof(int)) return fallback;
  int value;
  memcpy(&value, it->second.data(), sizeof(value));
  return value;
}

bool World::LingerAborts(const SocketObject& socket) const {
  auto it = socket.options.find({SOL_SOCKET, SO_LINGER});
  if (it == socket.options.end()) return false;
  linger value;
  memcpy(&value, it->second.data(), sizeof(value));
  return value.l_onoff != 0 && value.l_linger == 0;
}

int World::SetOption(SocketObject& socket, int level, int name, const void* value,
                     socklen_t len) {
  const int level_rc = CheckLevel(socket, level);
  if (level_rc < 0) return level_rc;
  const OptionSpec* spec = FindSpec(level, name);
  if (spec == nullptr) return -ENOPROTOOPT;  // unknown, or read-only (SO_ERROR, SO_TYPE...)
  if (len < ShapeSize(spec->shape)) return -EINVAL;
  if (value == nullptr) return -EFAULT;
  if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY && socket.local) return -EINVAL;
  std::string bytes(static_cast<const char*>(value), ShapeSize(spec->shape));
  if (spec->shape == Shape::kBool || spec->shape == Shape::kInt) {
    int number;
    memcpy(&number, bytes.data(), sizeof(number));
    if (spec->shape == Shape::kBool) number = number != 0;
    if (level == SOL_SOCKET && (name == SO_SNDBUF || name == SO_RCVBUF)) {
      number = BufferSize(name, number);
    }
    bytes = IntBytes(number);
  } else if (spec->shape == Shape::kLinger) {
    linger normalised;
    memcpy(&normalised, bytes.data(), sizeof(normalised));
    normalised.l_onoff = normalised.l_onoff != 0;
    bytes.assign(reinterpret_cast<char*>(&normalised), sizeof(normalised));
  }
  socket.options[{level, name}] = std::move(bytes);
  return 0;
}

int World::GetOption(SocketObject& socket, int level, int name, void* value, socklen_t* len) {
  if (len == nullptr) return -EFAULT;
  const int capacity = static_cast<int>(*len);
  if (capacity < 0) return -EINVAL;
  const int level_rc = CheckLevel(socket, level);
  if (level_rc < 0) return level_rc;
  std::string bytes;
  if (level == SOL_SOCKET && name == SO_TYPE) {
    bytes = IntBytes(socket.type);
  } else if (level == SOL_SOCKET && name == SO_ERROR) {
    bytes = IntBytes(TakeError(socket, /*commit=*/true));
  } else if (level == SOL_SOCKET && name == SO_ACCEPTCONN) {
    bytes = IntBytes(socket.state == SocketState::kListening);
  } else if (level == SOL_SOCKET && name == SO_DOMAIN) {
    bytes = IntBytes(socket.family);
  } else if (level == SOL_SOCKET && name == SO_PROTOCOL) {
    bytes = IntBytes(socket.protocol);
  } else if (level == SOL_SOCKET && name == SO_SNDBUF) {
    bytes = IntBytes(IntOption(socket, level, name, options_.default_sndbuf));
  } else if (level == SOL_SOCKET && name == SO_RCVBUF) {
    bytes = IntBytes(IntOption(socket, level, name, options_.default_rcvbuf));
  } else {
    const OptionSpec* spec = FindSpec(level, name);
    if (spec == nullptr) return -ENOPROTOOPT;
    auto it = socket.options.find({level, name});
    if (it != socket.options.end()) {
      bytes = it->second;
    } else if (spec->shape == Shape::kBool || spec->shape == Shape::kInt) {
      bytes = IntBytes(DefaultInt(level, name));
    } else {
      bytes.assign(ShapeSize(spec->shape), '\0');
    }
  }
  const size_t copied = std::min(static_cast<size_t>(capacity), bytes.size());
  if (copied > 0 && value == nullptr) return -EFAULT;
  if (copied > 0) memcpy(value, bytes.data(), copied);
  *len = static_cast<socklen_t>(copied);
  return 0;
}

}  // namespace ring::fake_internal
