// The Winsock error (WSAGetLastError) for a synchronous socket call that
// failed with a Linux errno. (Completed overlapped requests go through
// errors.h: errno -> NTSTATUS -> Win32 or Winsock.)
#ifndef IOCP_WINAPI_WINSOCK_ERRORS_H_
#define IOCP_WINAPI_WINSOCK_ERRORS_H_

#include <stdint.h>

namespace winapi {

uint32_t WinsockFromErrno(int negative_errno);

}  // namespace winapi

#endif  // IOCP_WINAPI_WINSOCK_ERRORS_H_
