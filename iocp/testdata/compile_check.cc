// Compiled by headers_compile_test.sh in every C++ mode (C++11 ... C++20) with
// g++ and clang++, -Wall -Wextra -Werror -pedantic: the headers must be
// warning-free, coexist with the standard C and C++ headers, give the Win32
// functions C linkage, lay the structures out as Windows x64 does, and
// define no objects. (The standard library is only included, not used, so
// that the object file holds nothing but what this file and the headers
// define.)

#ifdef IOCP_STD_FIRST
#include "std_headers.h"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>
#endif

#ifdef IOCP_CASE_VARIANTS
#include <Windows.h>
#include <WinBase.h>
#include <WinError.h>
#include <WinSock2.h>
#include <Winsock2.h>
#include <WS2tcpip.h>
#include <Ws2tcpip.h>
#include <MSWSock.h>
#include <Mswsock.h>
#else
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#endif

#ifndef IOCP_STD_FIRST
#include "std_headers.h"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>
#endif

#include "layout_checks.h"

static_assert(std::is_same<LONG, int>::value, "LONG is int");
static_assert(std::is_same<WCHAR, char16_t>::value, "WCHAR is char16_t");
static_assert(std::is_same<ULONG_PTR, unsigned long long>::value, "ULONG_PTR");

namespace {

struct Connection {
  int id;
  OVERLAPPED overlapped;
  char name[16];
  // C++ programs embed OVERLAPPED in polymorphic classes too.
  virtual ~Connection() {}
};

DWORD WINAPI Worker(LPVOID param) {
  HANDLE port = param;
  DWORD bytes = 0;
  ULONG_PTR key = 0;
  LPOVERLAPPED ov = nullptr;
  while (GetQueuedCompletionStatus(port, &bytes, &key, &ov, INFINITE) && key != 0) {
    Connection *c = CONTAINING_RECORD(ov, Connection, overlapped);
    c->name[0] = static_cast<char>(bytes);
  }
  OVERLAPPED_ENTRY entries[8];
  ULONG removed = 0;
  GetQueuedCompletionStatusEx(port, entries, ARRAYSIZE(entries), &removed, 0, FALSE);
  return GetLastError() == WAIT_TIMEOUT ? 0 : removed;
}

}  // namespace

int main() {
  Connection c;
  ZeroMemory(&c.overlapped, sizeof(c.overlapped));
  c.overlapped.Offset = 1;
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  DWORD tid = 0;
  HANDLE thread = CreateThread(nullptr, 0, Worker, port, CREATE_SUSPENDED, &tid);
  PostQueuedCompletionStatus(port, 1, reinterpret_cast<ULONG_PTR>(&c), &c.overlapped);
  HANDLE events[] = {CreateEvent(nullptr, TRUE, FALSE, nullptr), thread};
  WaitForMultipleObjects(_countof(events), events, TRUE, INFINITE);
  LONG volatile n = 0;
  InterlockedIncrement(&n);
  if (!HasOverlappedIoCompleted(&c.overlapped)) CancelIoEx(port, &c.overlapped);
  const GUID g{};
  REFGUID r = g;
  CloseHandle(thread);
  CloseHandle(port);
  return IsEqualGUID(r, g) && GetLastError() == ERROR_SUCCESS ? 0 : static_cast<int>(n);
}
