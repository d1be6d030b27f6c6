/*
 * winbase.h - the Win32 base API: pulls in the API-set headers (handles,
 * errors, I/O and completion ports, waits and events, threads, system
 * information, performance counters) and adds the file completion modes,
 * HasOverlappedIoCompleted and the remaining base constants.
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows'; the text is this project's own.
 */
#ifndef IOCP_WINBASE_H_
#define IOCP_WINBASE_H_

#include "minwinbase.h"
#include "handleapi.h"
#include "errhandlingapi.h"
#include "ioapiset.h"
#include "synchapi.h"
#include "processthreadsapi.h"
#include "sysinfoapi.h"
#include "profileapi.h"
#include "fileapi.h"
#include "namedpipeapi.h"
#include "timezoneapi.h"
#include "heapapi.h"
#include "memoryapi.h"
#include "processenv.h"
#include "consoleapi.h"
#include "debugapi.h"
#include "libloaderapi.h"
#include "winbase_system.h"

/* SetFileCompletionNotificationModes flags. */
#define FILE_SKIP_COMPLETION_PORT_ON_SUCCESS 0x1
#define FILE_SKIP_SET_EVENT_ON_HANDLE 0x2

/* True once the operation's status is no longer STATUS_PENDING. */
#define HasOverlappedIoCompleted(lpOverlapped) \
  (((DWORD)(lpOverlapped)->Internal) != (DWORD)STATUS_PENDING)

IOCP_EXTERN_C_BEGIN

BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags);

IOCP_EXTERN_C_END

#endif /* IOCP_WINBASE_H_ */
