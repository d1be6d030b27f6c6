// What the exported Winsock functions (api_winsock.cc, api_winsock_io.cc,
// api_sockopt.cc, api_select.cc, api_wsaevent.cc) share: failing with a
// Winsock error, and entering a call on a SOCKET (the start-up check, then
// the lookup).
#ifndef IOCP_WINAPI_API_WINSOCK_UTIL_H_
#define IOCP_WINAPI_API_WINSOCK_UTIL_H_

#include <stdint.h>
#include <sys/socket.h>

#include "winapi/api_util.h"
#include "winapi/socket.h"
#include "winapi/winsock_abi.h"
#include "winapi/winsock_state.h"

namespace winapi {

// Sets the Winsock error and returns SOCKET_ERROR.
inline int WsaFail(uint32_t error) {
  SetError(error);
  return wsabi::kSocketError;
}

// The socket for a call; empty, with the error set (WSANOTINITIALISED or
// WSAENOTSOCK), when there is none.
inline TypedRef<SocketObject> EnterSocket(wsabi::Socket s) {
  if (!WinsockStarted()) {
    SetError(wsabi::kWsaNotInitialised);
    return {};
  }
  TypedRef<SocketObject> socket = LookupSocket(s);
  if (!socket) SetError(wsabi::kWsaEnotsock);
  return socket;
}

// Windows' send/recv flags as Linux's. False for bits Windows refuses
// (WSAEOPNOTSUPP); MSG_PUSH_IMMEDIATE and MSG_PARTIAL are accepted and have
// no Linux counterpart.
inline bool LinuxMessageFlags(int windows_flags, int* linux_flags) {
  int flags = 0;
  if (windows_flags & wsabi::kMsgOob) flags |= MSG_OOB;
  if (windows_flags & wsabi::kMsgPeek) flags |= MSG_PEEK;
  if (windows_flags & wsabi::kMsgDontRoute) flags |= MSG_DONTROUTE;
  if (windows_flags & wsabi::kMsgWaitAll) flags |= MSG_WAITALL;
  const int known = wsabi::kMsgOob | wsabi::kMsgPeek | wsabi::kMsgDontRoute | wsabi::kMsgWaitAll |
                    wsabi::kMsgPushImmediate | wsabi::kMsgPartial;
  *linux_flags = flags;
  return (windows_flags & ~known) == 0;
}

}  // namespace winapi

#endif  // IOCP_WINAPI_API_WINSOCK_UTIL_H_
