/*
 * minwinbase.h - the structures the I/O and thread functions take:
 * OVERLAPPED, OVERLAPPED_ENTRY, SECURITY_ATTRIBUTES, SYSTEMTIME, the
 * completion and thread routine types, and ZeroMemory/CopyMemory & co.
 *
 * Part of the iocp project's Windows-compatible headers: the names, sizes and
 * layouts are Windows x64's; the text is this project's own.
 */
#ifndef IOCP_MINWINBASE_H_
#define IOCP_MINWINBASE_H_

#include <string.h>

#include "windef.h"

#define MoveMemory RtlMoveMemory
#define CopyMemory RtlCopyMemory
#define FillMemory RtlFillMemory
#define ZeroMemory RtlZeroMemory

typedef struct _SECURITY_ATTRIBUTES {
  DWORD nLength;
  LPVOID lpSecurityDescriptor;
  BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

/* The state of one overlapped operation. Internal holds the operation's
 * NTSTATUS (STATUS_PENDING while it runs), InternalHigh the bytes moved.
 * Offset/OffsetHigh and Pointer are unnamed members, as on Windows. */
typedef struct _OVERLAPPED {
  ULONG_PTR Internal;
  ULONG_PTR InternalHigh;
  IOCP_EXTENSION union {
    IOCP_EXTENSION struct {
      DWORD Offset;
      DWORD OffsetHigh;
    } DUMMYSTRUCTNAME;
    PVOID Pointer;
  } DUMMYUNIONNAME;
  HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED;

/* One completion packet, as GetQueuedCompletionStatusEx returns it. */
typedef struct _OVERLAPPED_ENTRY {
  ULONG_PTR lpCompletionKey;
  LPOVERLAPPED lpOverlapped;
  ULONG_PTR Internal;
  DWORD dwNumberOfBytesTransferred;
} OVERLAPPED_ENTRY, *LPOVERLAPPED_ENTRY;

typedef struct _SYSTEMTIME {
  WORD wYear;
  WORD wMonth;
  WORD wDayOfWeek;
  WORD wDay;
  WORD wHour;
  WORD wMinute;
  WORD wSecond;
  WORD wMilliseconds;
} SYSTEMTIME, *PSYSTEMTIME, *LPSYSTEMTIME;

typedef VOID(WINAPI *LPOVERLAPPED_COMPLETION_ROUTINE)(DWORD dwErrorCode,
                                                      DWORD dwNumberOfBytesTransfered,
                                                      LPOVERLAPPED lpOverlapped);

typedef DWORD(WINAPI *PTHREAD_START_ROUTINE)(LPVOID lpThreadParameter);
typedef PTHREAD_START_ROUTINE LPTHREAD_START_ROUTINE;

/* GetExitCodeThread's answer for a thread that is still running. */
#define STILL_ACTIVE ((DWORD)STATUS_PENDING)

IOCP_STATIC_ASSERT(sizeof(SECURITY_ATTRIBUTES) == 24, iocp_security_attributes_size);
IOCP_STATIC_ASSERT(sizeof(OVERLAPPED) == 32, iocp_overlapped_size);
IOCP_STATIC_ASSERT(offsetof(OVERLAPPED, Internal) == 0, iocp_overlapped_internal);
IOCP_STATIC_ASSERT(offsetof(OVERLAPPED, InternalHigh) == 8, iocp_overlapped_internal_high);
IOCP_STATIC_ASSERT(offsetof(OVERLAPPED, hEvent) == 24, iocp_overlapped_hevent);
IOCP_STATIC_ASSERT(sizeof(OVERLAPPED_ENTRY) == 32, iocp_overlapped_entry_size);
IOCP_STATIC_ASSERT(offsetof(OVERLAPPED_ENTRY, dwNumberOfBytesTransferred) == 24,
                   iocp_overlapped_entry_bytes);
IOCP_STATIC_ASSERT(sizeof(SYSTEMTIME) == 16, iocp_systemtime_size);

#endif /* IOCP_MINWINBASE_H_ */
