// Process-wide Winsock state: how many WSAStartup calls are outstanding.
// Every Winsock function except WSAStartup, WSAGetLastError and
// WSASetLastError fails with WSANOTINITIALISED (10093) while it is zero, as
// on Windows.
#ifndef IOCP_WINAPI_WINSOCK_STATE_H_
#define IOCP_WINAPI_WINSOCK_STATE_H_

#include <atomic>

namespace winapi {

inline std::atomic<int>& WinsockStartCount() {
  static std::atomic<int> count{0};
  return count;
}

inline bool WinsockStarted() { return WinsockStartCount().load(std::memory_order_acquire) > 0; }

}  // namespace winapi

#endif  // IOCP_WINAPI_WINSOCK_STATE_H_
