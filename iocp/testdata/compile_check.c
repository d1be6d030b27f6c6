/* Compiled by headers_compile_test.sh in every C mode (C99, C11) with gcc and
 * clang, -Wall -Wextra -Werror -pedantic: the headers must be warning-free,
 * coexist with the standard C headers (before or after them), lay the
 * structures out as Windows x64 does, and define no objects. */

#ifdef IOCP_STD_FIRST
#include "std_headers.h"
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
#endif

#include "layout_checks.h"

typedef struct Connection {
  int id;
  OVERLAPPED overlapped;
  char buffer[64];
} Connection;

static DWORD WINAPI Worker(LPVOID param) {
  HANDLE port = (HANDLE)param;
  DWORD bytes = 0;
  ULONG_PTR key = 0;
  LPOVERLAPPED ov = NULL;
  OVERLAPPED_ENTRY entries[16];
  ULONG removed = 0;
  for (;;) {
    if (!GetQueuedCompletionStatus(port, &bytes, &key, &ov, INFINITE)) {
      DWORD error = GetLastError();
      if (error == WAIT_TIMEOUT || error == ERROR_OPERATION_ABORTED) break;
      if (ov == NULL) return error;
    }
    if (key == 0) break;
    {
      Connection *c = CONTAINING_RECORD(ov, Connection, overlapped);
      c->buffer[0] = (char)bytes;
    }
  }
  if (GetQueuedCompletionStatusEx(port, entries, (ULONG)ARRAYSIZE(entries), &removed, 0, FALSE)) {
    return removed;
  }
  return 0;
}

int main(void) {
  Connection c;
  HANDLE port;
  HANDLE thread;
  DWORD tid = 0;
  DWORD code = 0;
  LONG volatile counter = 0;
  LONG64 volatile counter64 = 0;
  PVOID volatile slot = NULL;
  LARGE_INTEGER li;
  SYSTEM_INFO si;
  SECURITY_ATTRIBUTES sa;
  HANDLE events[2];
  GUID guid;

  ZeroMemory(&c, sizeof(c));
  ZeroMemory(&sa, sizeof(sa));
  ZeroMemory(&guid, sizeof(guid));
  sa.nLength = sizeof(sa);
  c.overlapped.Offset = 1;
  c.overlapped.OffsetHigh = 2;
  c.overlapped.Internal = STATUS_PENDING;
  port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  if (port == NULL) return 1;
  if (!SetFileCompletionNotificationModes(port, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS |
                                                    FILE_SKIP_SET_EVENT_ON_HANDLE))
    return 2;
  thread = CreateThread(&sa, 0, Worker, port, 0, &tid);
  PostQueuedCompletionStatus(port, 5, (ULONG_PTR)&c, &c.overlapped);
  events[0] = CreateEvent(NULL, TRUE, FALSE, NULL);
  events[1] = CreateEventA(NULL, FALSE, FALSE, "iocp");
  SetEvent(events[0]);
  ResetEvent(events[1]);
  if (WaitForMultipleObjects(2, events, FALSE, 10) == WAIT_FAILED) return 3;
  if (WaitForSingleObject(thread, INFINITE) != WAIT_OBJECT_0) return 4;
  if (WaitForSingleObjectEx(thread, 0, TRUE) == WAIT_IO_COMPLETION) return 5;
  if (GetExitCodeThread(thread, &code) && code == STILL_ACTIVE) return 6;
  if (!HasOverlappedIoCompleted(&c.overlapped)) CancelIoEx(port, &c.overlapped);
  CancelIo(port);
  GetOverlappedResult(port, &c.overlapped, &code, FALSE);
  GetOverlappedResultEx(port, &c.overlapped, &code, 0, FALSE);
  DuplicateHandle(GetCurrentProcess(), port, GetCurrentProcess(), &events[1], 0, FALSE,
                  DUPLICATE_SAME_ACCESS);
  QueryPerformanceCounter(&li);
  QueryPerformanceFrequency(&li);
  GetSystemInfo(&si);
  Sleep(0);
  SleepEx(0, FALSE);
  SetLastError(ERROR_SUCCESS);
  if (GetLastError() == ERROR_IO_PENDING || GetLastError() == WSA_IO_PENDING) return 7;
  InterlockedIncrement(&counter);
  InterlockedCompareExchange(&counter, 3, 1);
  InterlockedExchangeAdd64(&counter64, 2);
  InterlockedCompareExchangePointer(&slot, &c, NULL);
  MemoryBarrier();
  (void)GetTickCount();
  (void)GetTickCount64();
  (void)GetCurrentThreadId();
  (void)GetCurrentProcessId();
  (void)MAKEWORD(2, 2);
  (void)IsEqualGUID(&guid, &guid);
  CloseHandle(thread);
  CloseHandle(port);
  if (li.HighPart < 0 || si.dwPageSize == 0 || (si.wProcessorArchitecture & 0)) ExitThread(8);
  return (int)(li.LowPart & 0);
}
