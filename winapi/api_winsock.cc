// Exported Winsock start-up and error functions, and the synchronous socket
// calls: socket, WSASocketA, closesocket, bind, listen, accept, connect,
// shutdown, getsockname, getpeername, setsockopt, getsockopt, ioctlsocket,
// send, recv, sendto, recvfrom.
//
// This file speaks Linux (it includes the kernel's socket headers through
// the ring) and meets Windows at the exported signatures, which use the
// mirror types of winsock_abi.h; winsock_abi_test checks those against the
// public headers. Functions whose names glibc also has are exported as
// iocp_<name> (see iocp/include/winsock2.h).
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/resource.h>

#include <new>

#include "ring/default_ring.h"
#include "winapi/api_util.h"
#include "winapi/api_winsock_util.h"
#include "winapi/clock.h"
#include "winapi/sockaddr.h"
#include "winapi/socket.h"
#include "winapi/winsock_abi.h"
#include "winapi/winsock_errors.h"
#include "winapi/winsock_state.h"

namespace wsabi = winapi::wsabi;

namespace {

using winapi::LinuxMessageFlags;
using winapi::WsaFail;

using winapi::SocketObject;
using winapi::TypedRef;

constexpr int kError = wsabi::kSocketError;

int WsaFailErrno(int negative_errno) { return WsaFail(winapi::WinsockFromErrno(negative_errno)); }

ring::System& Sys() { return ring::DefaultSystem(); }

SocketObject* NewSocketObject(int fd, int family, int type, int protocol, bool overlapped,
                              wsabi::Socket* handle) {
  auto* object = new (std::nothrow) SocketObject(fd, family, type, protocol, overlapped);
  if (object == nullptr) {
    Sys().Close(fd);
    *handle = wsabi::kInvalidSocket;
    return nullptr;
  }
  uintptr_t value = winapi::HandleTable::Get().Insert(object);
  object->Unref();
  *handle = value == 0 ? wsabi::kInvalidSocket : value;
  return value == 0 ? nullptr : object;
}

wsabi::Socket CreateSocket(int af, int type, int protocol, bool overlapped) {
  if (!winapi::WinsockStarted()) {
    winapi::SetError(wsabi::kWsaNotInitialised);
    return wsabi::kInvalidSocket;
  }
  const int family = winapi::LinuxFamily(af);
  if (family < 0 || family == AF_UNSPEC) {
    winapi::SetError(wsabi::kWsaEafnosupport);
    return wsabi::kInvalidSocket;
  }
  if (type != wsabi::kSockStream && type != wsabi::kSockDgram && type != wsabi::kSockRaw &&
      type != wsabi::kSockSeqpacket) {
    winapi::SetError(wsabi::kWsaEsocktnosupport);
    return wsabi::kInvalidSocket;
  }
  int fd = Sys().Socket(family, type | SOCK_CLOEXEC, protocol);
  if (fd < 0) {
    winapi::SetError(fd == -EINVAL || fd == -EPROTONOSUPPORT ? wsabi::kWsaEprotonosupport
                                                             : winapi::WinsockFromErrno(fd));
    return wsabi::kInvalidSocket;
  }
  if (family == AF_INET6) {
    // Windows' IPv6 sockets are IPv6-only unless the program says otherwise.
    int on = 1;
    Sys().SetSockOpt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
  }
  if (type == SOCK_STREAM) {
    // A Windows server restarts on its port while old connections sit in
    // TIME_WAIT; Linux needs SO_REUSEADDR for that. It still refuses a
    // second listener on the port, as Windows does without SO_REUSEADDR.
    int on = 1;
    Sys().SetSockOpt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  }
  wsabi::Socket handle;
  if (NewSocketObject(fd, family, type, protocol, overlapped, &handle) == nullptr) {
    winapi::SetError(wsabi::kWsaEnobufs);
  }
  return handle;
}

// WSAEventSelect's re-enabling rules: a receive re-enables FD_READ/FD_OOB,
// a send that would block re-enables FD_WRITE, accept re-enables FD_ACCEPT.
constexpr int32_t kFdReadBits = 1 << 0 | 1 << 2;
constexpr int32_t kFdWriteBit = 1 << 1;
constexpr int32_t kFdAcceptBit = 1 << 3;

int SendError(SocketObject* socket, int rc) {
  if (rc == -EAGAIN) socket->ReenableEvents(kFdWriteBit);
  if (rc == -EPIPE && socket->send_shut.load()) return WsaFail(wsabi::kWsaEshutdown);
  if (rc == -EDESTADDRREQ) return WsaFail(wsabi::kWsaEnotconn);
  return WsaFailErrno(rc);
}

}  // namespace

extern "C" {

wsabi::Socket iocp_socket(int af, int type, int protocol) {
  return CreateSocket(af, type, protocol, /*overlapped=*/true);  // spec 52
}

wsabi::Socket WSASocketA(int af, int type, int protocol, void* lpProtocolInfo, uint32_t g,
                         uint32_t dwFlags) {
  (void)g;
  if (lpProtocolInfo != nullptr && (af == -1 || type == -1 || protocol == -1)) {
    // FROM_PROTOCOL_INFO: WSADuplicateSocket's path, not carried here.
    winapi::SetError(wsabi::kWsaEinval);
    return wsabi::kInvalidSocket;
  }
  return CreateSocket(af, type, protocol, (dwFlags & wsabi::kWsaFlagOverlapped) != 0);
}

wsabi::Socket WSASocketW(int af, int type, int protocol, void* lpProtocolInfo, uint32_t g,
                         uint32_t dwFlags) {
  return WSASocketA(af, type, protocol, lpProtocolInfo, g, dwFlags);
}

int closesocket(wsabi::Socket s) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return kError;
  socket = {};
  if (!winapi::HandleTable::Get().Close(s)) return WsaFail(wsabi::kWsaEnotsock);
  return 0;
}

int iocp_bind(wsabi::Socket s, const void* name, int namelen) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return kError;
  sockaddr_storage address;
  socklen_t length;
  if (int error = winapi::ToLinux(name, namelen, &address, &length)) return WsaFail(error);
  if (address.ss_family != socket->family()) {
    return WsaFail(socket->family() == AF_INET6 ? wsabi::kWsaEfault : wsabi::kWsaEafnosupport);
  }
  if (socket->bound.load()) return WsaFail(wsabi::kWsaEinval);
  int rc = Sys().Bind(socket->fd(), reinterpret_cast<sockaddr*>(&address), length);
  if (rc < 0) return WsaFailErrno(rc);
  socket->bound.store(true);
  return 0;
}

int iocp_listen(wsabi::Socket s, int backlog) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return kError;
  if (!socket->is_stream()) return WsaFail(wsabi::kWsaEopnotsupp);
  if (socket->connected.load()) return WsaFail(wsabi::kWsaEisconn);
  if (!socket->bound.load()) return WsaFail(wsabi::kWsaEinval);  // Linux would bind any port
  if (backlog == wsabi::kSomaxconn) {
    backlog = SOMAXCONN;
  } else if (backlog < 0) {
    backlog = -backlog;  // SOMAXCONN_HINT(n): n, within Windows' 200..65535
    backlog = backlog < 200 ? 200 : backlog > 65535 ? 65535 : backlog;
  }
  int rc = Sys().Listen(socket->fd(), backlog);
  if (rc < 0) return WsaFailErrno(rc);
  socket->listening.store(true);
  return 0;
}

wsabi::Socket iocp_accept(wsabi::Socket s, void* addr, int* addrlen) {
  auto listener = winapi::EnterSocket(s);
  if (!listener) return wsabi::kInvalidSocket;
  if (!listener->listening.load()) {
    winapi::SetError(wsabi::kWsaEinval);
    return wsabi::kInvalidSocket;
  }
  if (addr != nullptr &&
      (addrlen == nullptr ||
       *addrlen < winapi::WindowsSize(winapi::WindowsFamily(listener->family())))) {
    winapi::SetError(wsabi::kWsaEfault);
    return wsabi::kInvalidSocket;
  }
  sockaddr_storage peer;
  socklen_t peer_length = sizeof(peer);
  int fd =
      Sys().Accept(listener->fd(), reinterpret_cast<sockaddr*>(&peer), &peer_length, SOCK_CLOEXEC);
  listener->ReenableEvents(kFdAcceptBit);
  if (fd == -EAGAIN && !listener->nonblocking.load()) {
    fd = listener->RunSync(ring::Request::Accept(listener->fd(), reinterpret_cast<sockaddr*>(&peer),
                                                 &peer_length, SOCK_CLOEXEC, 0),
                           winapi::IoKind::kAccept, 0);
  }
  if (fd < 0) {
    winapi::SetError(winapi::WinsockFromErrno(fd));
    return wsabi::kInvalidSocket;
  }
  wsabi::Socket handle;
  SocketObject* accepted = NewSocketObject(fd, listener->family(), listener->type(),
                                           listener->protocol(), /*overlapped=*/true, &handle);
  if (accepted == nullptr) {
    winapi::SetError(wsabi::kWsaEnobufs);
    return wsabi::kInvalidSocket;
  }
  // The accepted socket has the listener's properties (FIONBIO and the
  // WSAEventSelect selection included).
  accepted->nonblocking.store(listener->nonblocking.load());
  listener->CopySelectionTo(accepted);
  accepted->bound.store(true);
  accepted->connected.store(true);
  accepted->MarkConnected();
  if (addr != nullptr) {
    winapi::ToWindows(reinterpret_cast<sockaddr*>(&peer), peer_length, addr, addrlen);
  }
  return handle;
}

int iocp_connect(wsabi::Socket s, const void* name, int namelen) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return kError;
  sockaddr_storage address;
  socklen_t length;
  if (int error = winapi::ToLinux(name, namelen, &address, &length)) return WsaFail(error);
  if (socket->listening.load()) return WsaFail(wsabi::kWsaEinval);
  if (socket->is_stream() && socket->connected.load()) return WsaFail(wsabi::kWsaEisconn);
  int rc;
  if (!socket->is_stream()) {
    rc = Sys().Connect(socket->fd(), reinterpret_cast<sockaddr*>(&address), length);
  } else if (socket->nonblocking.load()) {
    // Windows: WSAEWOULDBLOCK, the connection proceeds; select/WSAPoll
    // report it writable (or in error) when it is done.
    rc = socket->StartBackgroundConnect(address, length);
    if (rc == 0) return WsaFail(wsabi::kWsaEwouldblock);
  } else {
    rc = socket->RunSync(
        ring::Request::Connect(socket->fd(), reinterpret_cast<sockaddr*>(&address), length, 0),
        winapi::IoKind::kConnect, 0);
  }
  if (rc < 0) return WsaFailErrno(rc);
  socket->connected.store(true);
  socket->bound.store(true);
  socket->MarkConnected();
  return 0;
}

int iocp_getsockname(wsabi::Socket s, void* name, int* namelen);

// WSAAccept's condition function: (caller id, caller data, SQOS, GQOS,
// callee id, callee data, group, callback data) -> CF_ACCEPT/REJECT/DEFER.
using ConditionProc = int (*)(wsabi::WsaBuf*, wsabi::WsaBuf*, void*, void*, wsabi::WsaBuf*,
                              wsabi::WsaBuf*, uint32_t*, uintptr_t);

wsabi::Socket WSAAccept(wsabi::Socket s, void* addr, int* addrlen, ConditionProc lpfnCondition,
                        uintptr_t dwCallbackData) {
  // The caller's and our own address for the condition function, in
  // Windows' layout; the connection is already established on Linux, so a
  // rejection resets it (the client sees WSAECONNRESET rather than
  // WSAECONNREFUSED).
  char caller[128], callee[128];
  int caller_length = sizeof(caller), callee_length = sizeof(callee);
  wsabi::Socket accepted = iocp_accept(s, caller, &caller_length);
  if (accepted == wsabi::kInvalidSocket) return accepted;
  if (lpfnCondition != nullptr) {
    iocp_getsockname(accepted, callee, &callee_length);
    wsabi::WsaBuf caller_id = {static_cast<uint32_t>(caller_length), caller};
    wsabi::WsaBuf callee_id = {static_cast<uint32_t>(callee_length), callee};
    wsabi::WsaBuf no_data = {0, nullptr};
    wsabi::WsaBuf no_callee_data = {0, nullptr};
    uint32_t group = 0;
    const int verdict = lpfnCondition(&caller_id, &no_data, nullptr, nullptr, &callee_id,
                                      &no_callee_data, &group, dwCallbackData);
    if (verdict != 0) {  // CF_REJECT (1) or CF_DEFER (2)
      if (auto socket = winapi::LookupSocket(accepted)) {
        linger reset = {1, 0};
        Sys().SetSockOpt(socket->fd(), SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
      }
      winapi::HandleTable::Get().Close(accepted);
      winapi::SetError(verdict == 2 ? wsabi::kWsaTryAgain : wsabi::kWsaEconnrefused);
      return wsabi::kInvalidSocket;
    }
  }
  if (addr != nullptr) {
    if (addrlen == nullptr || *addrlen < caller_length) {
      winapi::HandleTable::Get().Close(accepted);
      winapi::SetError(wsabi::kWsaEfault);
      return wsabi::kInvalidSocket;
    }
    memcpy(addr, caller, static_cast<size_t>(caller_length));
    *addrlen = caller_length;
  }
  return accepted;
}

int WSAConnect(wsabi::Socket s, const void* name, int namelen, wsabi::WsaBuf* lpCallerData,
               wsabi::WsaBuf* lpCalleeData, void* lpSQOS, void* lpGQOS) {
  (void)lpSQOS;  // quality of service is advisory; TCP/IP never carried it
  (void)lpGQOS;
  // Connect data is not supported by TCP/IP on Windows either.
  if ((lpCallerData != nullptr && lpCallerData->len != 0)) return WsaFail(wsabi::kWsaEopnotsupp);
  if (lpCalleeData != nullptr) lpCalleeData->len = 0;
  return iocp_connect(s, name, namelen);
}

int iocp_shutdown(wsabi::Socket s, int how) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return kError;
  int linux_how;
  switch (how) {
    case wsabi::kSdReceive:
      linux_how = SHUT_RD;
      break;
    case wsabi::kSdSend:
      linux_how = SHUT_WR;
      break;
    case wsabi::kSdBoth:
      linux_how = SHUT_RDWR;
      break;
    default:
      return WsaFail(wsabi::kWsaEinval);
  }
  int rc = Sys().Shutdown(socket->fd(), linux_how);
  if (rc < 0) return WsaFailErrno(rc);
  if (how != wsabi::kSdReceive) socket->send_shut.store(true);
  return 0;  // never queues a packet (spec 63)
}

int iocp_getsockname(wsabi::Socket s, void* name, int* namelen) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return kError;
  if (name == nullptr || namelen == nullptr) return WsaFail(wsabi::kWsaEfault);
  if (!socket->bound.load()) return WsaFail(wsabi::kWsaEinval);
  sockaddr_storage address;
  socklen_t length = sizeof(address);
  int rc = Sys().GetSockName(socket->fd(), reinterpret_cast<sockaddr*>(&address), &length);
  if (rc < 0) return WsaFailErrno(rc);
  if (int error = winapi::ToWindows(reinterpret_cast<sockaddr*>(&address), length, name, namelen)) {
    return WsaFail(error);
  }
  return 0;
}

int iocp_getpeername(wsabi::Socket s, void* name, int* namelen) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return kError;
  if (name == nullptr || namelen == nullptr) return WsaFail(wsabi::kWsaEfault);
  sockaddr_storage address;
  socklen_t length = sizeof(address);
  int rc = Sys().GetPeerName(socket->fd(), reinterpret_cast<sockaddr*>(&address), &length);
  if (rc < 0) return WsaFailErrno(rc);
  if (int error = winapi::ToWindows(reinterpret_cast<sockaddr*>(&address), length, name, namelen)) {
    return WsaFail(error);
  }
  return 0;
}

int ioctlsocket(wsabi::Socket s, int32_t cmd, uint32_t* argp) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return kError;
  if (argp == nullptr) return WsaFail(wsabi::kWsaEfault);
  switch (static_cast<uint32_t>(cmd)) {
    case wsabi::kFionBio:
      // A socket under WSAEventSelect stays non-blocking (Windows refuses).
      if (*argp == 0 && socket->event_selected()) return WsaFail(wsabi::kWsaEinval);
      socket->nonblocking.store(*argp != 0);
      return 0;
    case wsabi::kFionRead: {
      int rc = winapi::BytesReadable(socket.get());
      if (rc < 0) return WsaFailErrno(rc);
      *argp = static_cast<uint32_t>(rc);
      return 0;
    }
    case wsabi::kSiocAtMark:
      *argp = 1;  // no urgent data pending: TRUE, as Windows reports it
      return 0;
    default:
      return WsaFail(wsabi::kWsaEinval);
  }
}

int iocp_send(wsabi::Socket s, const char* buf, int len, int flags) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return kError;
  if (len < 0 || (buf == nullptr && len > 0)) return WsaFail(wsabi::kWsaEfault);
  int linux_flags;
  if (!LinuxMessageFlags(flags, &linux_flags)) return WsaFail(wsabi::kWsaEopnotsupp);
  if (socket->send_shut.load()) return WsaFail(wsabi::kWsaEshutdown);
  if (socket->is_stream() && !socket->connected.load()) return WsaFail(wsabi::kWsaEnotconn);
  iovec iov = {const_cast<char*>(buf), static_cast<size_t>(len)};
  msghdr message{};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  int n = socket->SendNow(&message, linux_flags);
  if (n < 0) return SendError(socket.get(), n);
  return n;
}

int iocp_sendto(wsabi::Socket s, const char* buf, int len, int flags, const void* to, int tolen) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return kError;
  if (len < 0 || (buf == nullptr && len > 0)) return WsaFail(wsabi::kWsaEfault);
  int linux_flags;
  if (!LinuxMessageFlags(flags, &linux_flags)) return WsaFail(wsabi::kWsaEopnotsupp);
  iovec iov = {const_cast<char*>(buf), static_cast<size_t>(len)};
  msghdr message{};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  sockaddr_storage address;
  socklen_t length;
  if (to != nullptr && !socket->is_stream()) {  // a stream socket ignores the address
    if (int error = winapi::ToLinux(to, tolen, &address, &length)) return WsaFail(error);
    message.msg_name = &address;
    message.msg_namelen = length;
  }
  int n = socket->SendNow(&message, linux_flags);
  if (n < 0) return SendError(socket.get(), n);
  return n;
}

int iocp_recvfrom(wsabi::Socket s, char* buf, int len, int flags, void* from, int* fromlen) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return kError;
  if (len < 0 || (buf == nullptr && len > 0)) return WsaFail(wsabi::kWsaEfault);
  if (from != nullptr && fromlen == nullptr) return WsaFail(wsabi::kWsaEfault);
  int linux_flags;
  if (!LinuxMessageFlags(flags, &linux_flags)) return WsaFail(wsabi::kWsaEopnotsupp);
  if (socket->is_stream() && !socket->connected.load()) return WsaFail(wsabi::kWsaEnotconn);
  iovec iov = {buf, static_cast<size_t>(len)};
  sockaddr_storage address;
  msghdr message{};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  message.msg_name = &address;
  message.msg_namelen = sizeof(address);
  int n = socket->ReceiveNow(&message, linux_flags);
  socket->ReenableEvents(kFdReadBits);  // WSAEventSelect: FD_READ may come again
  if (n < 0) return WsaFailErrno(n);
  if (from != nullptr && !socket->is_stream() && message.msg_namelen > 0) {
    if (int error = winapi::ToWindows(reinterpret_cast<sockaddr*>(&address), message.msg_namelen,
                                      from, fromlen)) {
      return WsaFail(error);
    }
  }
  if (!socket->is_stream() && (message.msg_flags & MSG_TRUNC)) {
    return WsaFail(wsabi::kWsaEmsgsize);  // the buffer holds what fit
  }
  return n;
}

int iocp_recv(wsabi::Socket s, char* buf, int len, int flags) {
  return iocp_recvfrom(s, buf, len, flags, nullptr, nullptr);
}

}  // extern "C"

extern "C" {

int WSAStartup(uint16_t wVersionRequested, wsabi::WsaData* lpWSAData) {
  const unsigned major = wVersionRequested & 0xff;
  const unsigned minor = (wVersionRequested >> 8) & 0xff;
  if (major < 1) return static_cast<int>(wsabi::kWsaVerNotSupported);
  if (lpWSAData == nullptr) return static_cast<int>(wsabi::kWsaEfault);
  // The version in use: the one asked for, at most 2.2.
  uint16_t version = wVersionRequested;
  if (major > 2 || (major == 2 && minor > 2)) version = 0x0202;
  memset(lpWSAData, 0, sizeof(*lpWSAData));
  lpWSAData->version = version;
  lpWSAData->high_version = 0x0202;
  strcpy(lpWSAData->description, "WinSock 2.0");
  strcpy(lpWSAData->system_status, "Running");
  if (winapi::WinsockStartCount().fetch_add(1, std::memory_order_acq_rel) == 0) {
    // Windows has no per-process socket limit near Linux's default soft
    // limit of 1024 descriptors; a server ported from it expects thousands.
    rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
      limit.rlim_cur = limit.rlim_max;
      setrlimit(RLIMIT_NOFILE, &limit);
    }
  }
  return 0;
}

int WSACleanup(void) {
  auto& count = winapi::WinsockStartCount();
  int current = count.load(std::memory_order_acquire);
  do {
    if (current <= 0) {
      winapi::SetError(wsabi::kWsaNotInitialised);
      return wsabi::kSocketError;
    }
  } while (!count.compare_exchange_weak(current, current - 1, std::memory_order_acq_rel));
  return 0;
}

int WSAGetLastError(void) { return static_cast<int>(winapi::ThreadState::Current().last_error); }

void WSASetLastError(int iError) { winapi::SetError(static_cast<uint32_t>(iError)); }

}  // extern "C"
