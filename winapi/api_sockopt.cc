// setsockopt / getsockopt: Windows' levels, option numbers and value shapes
// translated to Linux's. Windows' SOL_SOCKET is 0xffff and its SO_* numbers
// differ; BOOL options are 4-byte ints (1-byte values are accepted on set,
// as Windows accepts them); SO_LINGER holds two u_shorts; timeouts are DWORD
// milliseconds. Options Windows has and Linux expresses otherwise are kept
// in the SocketObject (SO_EXCLUSIVEADDRUSE, the buffer sizes as set, the
// timeouts) so that getsockopt returns what the program set.
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/time.h>

#include "ring/default_ring.h"
#include "winapi/api_util.h"
#include "winapi/api_winsock_util.h"
#include "winapi/clock.h"
#include "winapi/socket.h"
#include "winapi/winsock_abi.h"
#include "winapi/winsock_errors.h"
#include "winapi/winsock_state.h"

namespace wsabi = winapi::wsabi;

namespace {

using winapi::WsaFail;

using winapi::SocketObject;

// How an option's value is shaped.
enum class Shape { kInt, kBool, kLinger, kDontLinger, kTimeout, kRaw };

struct Mapping {
  int level;  // Linux
  int name;   // Linux
  Shape shape;
};

// Windows (level, name) -> Linux, or false when Linux has no such option.
bool MapOption(int level, int name, Mapping* out) {
  switch (level) {
    case wsabi::kSolSocket:
      switch (name) {
        case wsabi::kSoReuseAddr:
          *out = {SOL_SOCKET, SO_REUSEADDR, Shape::kBool};
          return true;
        case wsabi::kSoKeepAlive:
          *out = {SOL_SOCKET, SO_KEEPALIVE, Shape::kBool};
          return true;
        case wsabi::kSoBroadcast:
          *out = {SOL_SOCKET, SO_BROADCAST, Shape::kBool};
          return true;
        case wsabi::kSoDontRoute:
          *out = {SOL_SOCKET, SO_DONTROUTE, Shape::kBool};
          return true;
        case wsabi::kSoOobInline:
          *out = {SOL_SOCKET, SO_OOBINLINE, Shape::kBool};
          return true;
        case wsabi::kSoDebug:
          *out = {SOL_SOCKET, SO_DEBUG, Shape::kBool};
          return true;
        case wsabi::kSoSndBuf:
          *out = {SOL_SOCKET, SO_SNDBUF, Shape::kInt};
          return true;
        case wsabi::kSoRcvBuf:
          *out = {SOL_SOCKET, SO_RCVBUF, Shape::kInt};
          return true;
        case wsabi::kSoRcvLowat:
          *out = {SOL_SOCKET, SO_RCVLOWAT, Shape::kInt};
          return true;
        case wsabi::kSoSndLowat:
          *out = {SOL_SOCKET, SO_SNDLOWAT, Shape::kInt};
          return true;
        case wsabi::kSoLinger:
          *out = {SOL_SOCKET, SO_LINGER, Shape::kLinger};
          return true;
        case wsabi::kSoDontLinger:
          *out = {SOL_SOCKET, SO_LINGER, Shape::kDontLinger};
          return true;
        case wsabi::kSoRcvTimeo:
          *out = {SOL_SOCKET, SO_RCVTIMEO, Shape::kTimeout};
          return true;
        case wsabi::kSoSndTimeo:
          *out = {SOL_SOCKET, SO_SNDTIMEO, Shape::kTimeout};
          return true;
        default:
          return false;
      }
    case wsabi::kIpprotoTcp:
      switch (name) {
        case wsabi::kTcpNoDelay:
          *out = {IPPROTO_TCP, TCP_NODELAY, Shape::kBool};
          return true;
        case wsabi::kTcpKeepAlive:
          *out = {IPPROTO_TCP, TCP_KEEPIDLE, Shape::kInt};
          return true;
        case wsabi::kTcpKeepCnt:
          *out = {IPPROTO_TCP, TCP_KEEPCNT, Shape::kInt};
          return true;
        case wsabi::kTcpKeepIntvl:
          *out = {IPPROTO_TCP, TCP_KEEPINTVL, Shape::kInt};
          return true;
        case wsabi::kTcpMaxSeg:
          *out = {IPPROTO_TCP, TCP_MAXSEG, Shape::kInt};
          return true;
        case wsabi::kTcpFastOpen:
          *out = {IPPROTO_TCP, TCP_FASTOPEN, Shape::kBool};
          return true;
        default:
          return false;
      }
    case wsabi::kIpprotoIp:
      switch (name) {
        case wsabi::kIpTos:
          *out = {IPPROTO_IP, IP_TOS, Shape::kInt};
          return true;
        case wsabi::kIpTtl:
          *out = {IPPROTO_IP, IP_TTL, Shape::kInt};
          return true;
        case wsabi::kIpMulticastTtl:
          *out = {IPPROTO_IP, IP_MULTICAST_TTL, Shape::kInt};
          return true;
        case wsabi::kIpMulticastLoop:
          *out = {IPPROTO_IP, IP_MULTICAST_LOOP, Shape::kBool};
          return true;
        case wsabi::kIpMulticastIf:
          *out = {IPPROTO_IP, IP_MULTICAST_IF, Shape::kRaw};
          return true;
        case wsabi::kIpAddMembership:  // ip_mreq: same 8 bytes on both
          *out = {IPPROTO_IP, IP_ADD_MEMBERSHIP, Shape::kRaw};
          return true;
        case wsabi::kIpDropMembership:
          *out = {IPPROTO_IP, IP_DROP_MEMBERSHIP, Shape::kRaw};
          return true;
        case wsabi::kIpPktInfo:
          *out = {IPPROTO_IP, IP_PKTINFO, Shape::kBool};
          return true;
        default:
          return false;
      }
    case wsabi::kIpprotoIpv6:
      switch (name) {
        case wsabi::kIpv6V6Only:
          *out = {IPPROTO_IPV6, IPV6_V6ONLY, Shape::kBool};
          return true;
        case wsabi::kIpv6UnicastHops:
          *out = {IPPROTO_IPV6, IPV6_UNICAST_HOPS, Shape::kInt};
          return true;
        case wsabi::kIpv6MulticastHops:
          *out = {IPPROTO_IPV6, IPV6_MULTICAST_HOPS, Shape::kInt};
          return true;
        case wsabi::kIpv6MulticastLoop:
          *out = {IPPROTO_IPV6, IPV6_MULTICAST_LOOP, Shape::kBool};
          return true;
        case wsabi::kIpv6MulticastIf:
          *out = {IPPROTO_IPV6, IPV6_MULTICAST_IF, Shape::kInt};
          return true;
        case wsabi::kIpv6AddMembership:  // ipv6_mreq: same 20 bytes on both
          *out = {IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, Shape::kRaw};
          return true;
        case wsabi::kIpv6DropMembership:
          *out = {IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, Shape::kRaw};
          return true;
        default:
          return false;
      }
    default:
      return false;
  }
}

bool KnownLevel(int level) {
  return level == wsabi::kSolSocket || level == wsabi::kIpprotoTcp || level == wsabi::kIpprotoIp ||
         level == wsabi::kIpprotoIpv6 || level == wsabi::kIpprotoUdp;
}

// Reads an int-like option value: 4 bytes, or 1 for a BOOL/byte.
bool ReadInt(const char* value, int length, int* out) {
  if (length >= 4) {
    memcpy(out, value, 4);
    return true;
  }
  if (length >= 1) {
    *out = static_cast<unsigned char>(value[0]);
    return true;
  }
  return false;
}

int WriteInt(int value, char* out, int* length) {
  if (*length < static_cast<int>(sizeof(int))) {
    // Windows lets a BOOL be read into one byte.
    if (*length >= 1) {
      out[0] = static_cast<char>(value);
      *length = 1;
      return 0;
    }
    return WsaFail(wsabi::kWsaEfault);
  }
  memcpy(out, &value, sizeof(value));
  *length = sizeof(int);
  return 0;
}

// Windows-only SOL_SOCKET options and read-only ones: handled here.
// Returns true if handled, with *rc set.
bool SetSpecial(SocketObject* socket, int name, const char* value, int length, int* rc) {
  int flag = 0;
  switch (name) {
    case wsabi::kSoExclusiveAddrUse:
      if (value == nullptr || !ReadInt(value, length, &flag)) {
        *rc = WsaFail(wsabi::kWsaEfault);
      } else if (socket->bound.load()) {
        *rc = WsaFail(wsabi::kWsaEinval);  // must precede bind, as on Windows
      } else {
        // Linux never lets another socket take a bound port away: already
        // exclusive. Recorded for getsockopt.
        winapi::SocketOptions* options = socket->MutableOptions();
        if (options != nullptr) options->exclusive_address.store(flag != 0);
        *rc = options != nullptr ? 0 : WsaFail(wsabi::kWsaEnobufs);
      }
      return true;
    case wsabi::kSoUpdateAcceptContext: {
      // The value is the listening socket (spec 59).
      if (value == nullptr || length < static_cast<int>(sizeof(wsabi::Socket))) {
        *rc = WsaFail(wsabi::kWsaEfault);
        return true;
      }
      wsabi::Socket listener;
      memcpy(&listener, value, sizeof(listener));
      *rc = winapi::LookupSocket(listener) ? 0 : WsaFail(wsabi::kWsaEnotsock);
      return true;
    }
    case wsabi::kSoUpdateConnectContext:
    case wsabi::kSoConditionalAccept:
    case wsabi::kSoPortScalability:
      *rc = 0;  // nothing for Linux to do
      return true;
    case wsabi::kSoError:
    case wsabi::kSoType:
    case wsabi::kSoAcceptConn:
    case wsabi::kSoConnectTime:
    case wsabi::kSoMaxMsgSize:
      *rc = WsaFail(wsabi::kWsaEnoprotoopt);  // read-only
      return true;
    default:
      return false;
  }
}

bool GetSpecial(SocketObject* socket, int name, char* value, int* length, int* rc) {
  switch (name) {
    case wsabi::kSoExclusiveAddrUse:
      *rc = WriteInt(socket->options().exclusive_address.load() ? 1 : 0, value, length);
      return true;
    case wsabi::kSoReuseAddr:
      // Linux sockets here always carry SO_REUSEADDR (see socket()); report
      // what the program asked for.
      *rc = WriteInt(socket->options().reuse_address.load() ? 1 : 0, value, length);
      return true;
    case wsabi::kSoRcvBuf:
    case wsabi::kSoSndBuf: {
      const winapi::SocketOptions& options = socket->options();
      int32_t set =
          name == wsabi::kSoRcvBuf ? options.receive_buffer.load() : options.send_buffer.load();
      if (set < 0) return false;  // never set: the kernel's value
      *rc = WriteInt(set, value, length);
      return true;
    }
    case wsabi::kSoError: {
      int error = socket->TakeConnectError();
      if (error == 0) {
        socklen_t size = sizeof(error);
        ring::DefaultSystem().GetSockOpt(socket->fd(), SOL_SOCKET, SO_ERROR, &error, &size);
      }
      *rc = WriteInt(error == 0 ? 0 : static_cast<int>(winapi::WinsockFromErrno(-error)), value,
                     length);
      return true;
    }
    case wsabi::kSoType:
      *rc = WriteInt(socket->type(), value, length);
      return true;
    case wsabi::kSoAcceptConn:
      *rc = WriteInt(socket->listening.load() ? 1 : 0, value, length);
      return true;
    case wsabi::kSoConnectTime: {
      // Seconds connected, or 0xFFFFFFFF when not connected.
      *rc = WriteInt(socket->SecondsConnected(), value, length);
      return true;
    }
    case wsabi::kSoMaxMsgSize:
      if (socket->is_stream()) {
        *rc = WsaFail(wsabi::kWsaEnoprotoopt);
      } else {
        *rc = WriteInt(socket->family() == AF_INET6 ? 65527 : 65507, value, length);
      }
      return true;
    case wsabi::kSoUpdateAcceptContext:
    case wsabi::kSoUpdateConnectContext:
      *rc = WsaFail(wsabi::kWsaEnoprotoopt);  // write-only
      return true;
    default:
      return false;
  }
}

}  // namespace

extern "C" {

int iocp_setsockopt(wsabi::Socket s, int level, int optname, const char* optval, int optlen) {
  if (!winapi::WinsockStarted()) return WsaFail(wsabi::kWsaNotInitialised);
  auto socket = winapi::LookupSocket(s);
  if (!socket) return WsaFail(wsabi::kWsaEnotsock);
  int rc = 0;
  // Before the value check: SO_UPDATE_CONNECT_CONTEXT is documented with
  // a NULL value.
  if (level == wsabi::kSolSocket && SetSpecial(socket.get(), optname, optval, optlen, &rc)) {
    return rc;
  }
  if (optval == nullptr || optlen < 0) return WsaFail(wsabi::kWsaEfault);
  Mapping map;
  if (!MapOption(level, optname, &map)) {
    return WsaFail(KnownLevel(level) ? wsabi::kWsaEnoprotoopt : wsabi::kWsaEinval);
  }
  ring::System& sys = ring::DefaultSystem();
  int value = 0;
  // The options kept as set (for getsockopt), on first setting one.
  const bool kept = level == wsabi::kSolSocket &&
                    (optname == wsabi::kSoReuseAddr || optname == wsabi::kSoRcvBuf ||
                     optname == wsabi::kSoSndBuf || map.shape == Shape::kTimeout);
  winapi::SocketOptions* options = kept ? socket->MutableOptions() : nullptr;
  if (kept && options == nullptr) return WsaFail(wsabi::kWsaEnobufs);
  switch (map.shape) {
    case Shape::kInt:
    case Shape::kBool: {
      if (!ReadInt(optval, optlen, &value)) return WsaFail(wsabi::kWsaEfault);
      if (map.shape == Shape::kBool) value = value != 0;
      if (level == wsabi::kSolSocket && optname == wsabi::kSoReuseAddr) {
        options->reuse_address.store(value != 0);
        if (socket->is_stream()) return 0;  // already on (see socket())
      }
      rc = sys.SetSockOpt(socket->fd(), map.level, map.name, &value, sizeof(value));
      if (rc == 0 && level == wsabi::kSolSocket && optname == wsabi::kSoRcvBuf) {
        options->receive_buffer.store(value);
      }
      if (rc == 0 && level == wsabi::kSolSocket && optname == wsabi::kSoSndBuf) {
        options->send_buffer.store(value);
      }
      break;
    }
    case Shape::kLinger: {
      if (optlen < static_cast<int>(sizeof(wsabi::Linger))) return WsaFail(wsabi::kWsaEfault);
      wsabi::Linger windows;
      memcpy(&windows, optval, sizeof(windows));
      linger linux_linger = {windows.onoff != 0, windows.linger};
      rc = sys.SetSockOpt(socket->fd(), SOL_SOCKET, SO_LINGER, &linux_linger, sizeof(linux_linger));
      break;
    }
    case Shape::kDontLinger: {
      if (!ReadInt(optval, optlen, &value)) return WsaFail(wsabi::kWsaEfault);
      linger linux_linger = {value == 0, 0};
      rc = sys.SetSockOpt(socket->fd(), SOL_SOCKET, SO_LINGER, &linux_linger, sizeof(linux_linger));
      break;
    }
    case Shape::kTimeout: {
      // Kept here: blocking calls wait through the ring (SocketObject::RunSync).
      if (!ReadInt(optval, optlen, &value)) return WsaFail(wsabi::kWsaEfault);
      (map.name == SO_RCVTIMEO ? options->receive_timeout_ms : options->send_timeout_ms)
          .store(static_cast<uint32_t>(value));
      return 0;
    }
    case Shape::kRaw:
      rc =
          sys.SetSockOpt(socket->fd(), map.level, map.name, optval, static_cast<socklen_t>(optlen));
      break;
  }
  if (rc < 0) {
    return WsaFail(rc == -ENOPROTOOPT ? wsabi::kWsaEnoprotoopt : winapi::WinsockFromErrno(rc));
  }
  return 0;
}

int iocp_getsockopt(wsabi::Socket s, int level, int optname, char* optval, int* optlen) {
  if (!winapi::WinsockStarted()) return WsaFail(wsabi::kWsaNotInitialised);
  auto socket = winapi::LookupSocket(s);
  if (!socket) return WsaFail(wsabi::kWsaEnotsock);
  if (optval == nullptr || optlen == nullptr || *optlen < 0) return WsaFail(wsabi::kWsaEfault);
  int rc = 0;
  if (level == wsabi::kSolSocket && GetSpecial(socket.get(), optname, optval, optlen, &rc)) {
    return rc;
  }
  Mapping map;
  if (!MapOption(level, optname, &map)) {
    return WsaFail(KnownLevel(level) ? wsabi::kWsaEnoprotoopt : wsabi::kWsaEinval);
  }
  ring::System& sys = ring::DefaultSystem();
  switch (map.shape) {
    case Shape::kInt:
    case Shape::kBool: {
      int value = 0;
      socklen_t size = sizeof(value);
      rc = sys.GetSockOpt(socket->fd(), map.level, map.name, &value, &size);
      if (rc < 0) break;
      if (map.shape == Shape::kBool) value = value != 0;
      return WriteInt(value, optval, optlen);
    }
    case Shape::kLinger:
    case Shape::kDontLinger: {
      linger linux_linger{};
      socklen_t size = sizeof(linux_linger);
      rc = sys.GetSockOpt(socket->fd(), SOL_SOCKET, SO_LINGER, &linux_linger, &size);
      if (rc < 0) break;
      if (map.shape == Shape::kDontLinger) return WriteInt(!linux_linger.l_onoff, optval, optlen);
      if (*optlen < static_cast<int>(sizeof(wsabi::Linger))) return WsaFail(wsabi::kWsaEfault);
      wsabi::Linger windows = {static_cast<uint16_t>(linux_linger.l_onoff != 0),
                               static_cast<uint16_t>(linux_linger.l_linger)};
      memcpy(optval, &windows, sizeof(windows));
      *optlen = sizeof(windows);
      return 0;
    }
    case Shape::kTimeout: {
      const winapi::SocketOptions& options = socket->options();
      uint32_t ms =
          (map.name == SO_RCVTIMEO ? options.receive_timeout_ms : options.send_timeout_ms).load();
      return WriteInt(static_cast<int>(ms), optval, optlen);
    }
    case Shape::kRaw: {
      socklen_t size = static_cast<socklen_t>(*optlen);
      rc = sys.GetSockOpt(socket->fd(), map.level, map.name, optval, &size);
      if (rc == 0) *optlen = static_cast<int>(size);
      break;
    }
  }
  if (rc < 0) {
    return WsaFail(rc == -ENOPROTOOPT ? wsabi::kWsaEnoprotoopt : winapi::WinsockFromErrno(rc));
  }
  return 0;
}

}  // extern "C"
