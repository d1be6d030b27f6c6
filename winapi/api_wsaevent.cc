// Exported WSA event functions: WSACreateEvent, WSACloseEvent, WSASetEvent,
// WSAResetEvent, WSAWaitForMultipleEvents (the Win32 event calls under
// Winsock's names and error numbers), WSAEventSelect and
// WSAEnumNetworkEvents (socket_events.cc does the watching).
#include <stdint.h>

#include "winapi/api_util.h"
#include "winapi/api_winsock_util.h"
#include "winapi/socket.h"
#include "winapi/waitable.h"
#include "winapi/winsock_abi.h"
#include "winapi/winsock_state.h"

namespace wsabi = winapi::wsabi;

// The Win32 calls they rest on (api_thread.cc), with the ABI's plain types.
extern "C" {
void* CreateEventA(void* attributes, int manual_reset, int initial_state, const char* name);
int CloseHandle(void* handle);
int SetEvent(void* event);
int ResetEvent(void* event);
uint32_t WaitForMultipleObjectsEx(uint32_t count, void* const* handles, int wait_all,
                                  uint32_t milliseconds, int alertable);
}

namespace {

using winapi::WsaFail;

constexpr uint32_t kWaitFailed = 0xFFFFFFFF;
constexpr uint32_t kMaximumWaitObjects = 64;

bool IsEvent(void* handle) {
  return static_cast<bool>(winapi::LookupAs<winapi::Event>(handle, winapi::ObjectKind::kEvent));
}

}  // namespace

extern "C" {

void* WSACreateEvent(void) {
  void* event = CreateEventA(nullptr, 1, 0, nullptr);  // manual reset, not signalled
  if (event == nullptr) winapi::SetError(wsabi::kWsaNotEnoughMemory);
  return event;
}

int WSACloseEvent(void* hEvent) {
  if (!IsEvent(hEvent) || !CloseHandle(hEvent)) return winapi::Fail(wsabi::kWsaInvalidHandle);
  return 1;
}

int WSASetEvent(void* hEvent) {
  if (!SetEvent(hEvent)) return winapi::Fail(wsabi::kWsaInvalidHandle);
  return 1;
}

int WSAResetEvent(void* hEvent) {
  if (!ResetEvent(hEvent)) return winapi::Fail(wsabi::kWsaInvalidHandle);
  return 1;
}

uint32_t WSAWaitForMultipleEvents(uint32_t cEvents, void* const* lphEvents, int fWaitAll,
                                  uint32_t dwTimeout, int fAlertable) {
  if (cEvents == 0 || cEvents > kMaximumWaitObjects || lphEvents == nullptr) {
    winapi::SetError(wsabi::kWsaInvalidParameter);
    return kWaitFailed;
  }
  uint32_t result = WaitForMultipleObjectsEx(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable);
  if (result == kWaitFailed && winapi::ThreadState::Current().last_error == 6) {
    winapi::SetError(wsabi::kWsaInvalidHandle);
  }
  return result;
}

int WSAEventSelect(wsabi::Socket s, void* hEventObject, int32_t lNetworkEvents) {
  if (!winapi::WinsockStarted()) return WsaFail(wsabi::kWsaNotInitialised);
  auto socket = winapi::LookupSocket(s);
  if (!socket) return WsaFail(wsabi::kWsaEnotsock);
  if (lNetworkEvents & ~wsabi::kFdAllEvents) return WsaFail(wsabi::kWsaEinval);
  auto event = winapi::LookupAs<winapi::Event>(hEventObject, winapi::ObjectKind::kEvent);
  if (lNetworkEvents != 0 && !event) return WsaFail(wsabi::kWsaEinval);
  int rc = socket->SelectEvents(lNetworkEvents != 0 ? event.get() : nullptr, lNetworkEvents);
  if (rc < 0) return WsaFail(wsabi::kWsaEnobufs);
  return 0;
}

int WSAEnumNetworkEvents(wsabi::Socket s, void* hEventObject,
                         wsabi::NetworkEvents* lpNetworkEvents) {
  if (!winapi::WinsockStarted()) return WsaFail(wsabi::kWsaNotInitialised);
  auto socket = winapi::LookupSocket(s);
  if (!socket) return WsaFail(wsabi::kWsaEnotsock);
  if (lpNetworkEvents == nullptr) return WsaFail(wsabi::kWsaEfault);
  if (hEventObject != nullptr && !IsEvent(hEventObject)) return WsaFail(wsabi::kWsaEinval);
  // Reset first: an event recorded after the take signals it again.
  if (hEventObject != nullptr) ResetEvent(hEventObject);
  lpNetworkEvents->events = socket->TakeEvents(lpNetworkEvents->error_codes);
  return 0;
}

}  // extern "C"
