/*
 * synchapi.h - waiting and events: WaitForSingleObject(Ex),
 * WaitForMultipleObjects, Sleep(Ex), CreateEvent, SetEvent, ResetEvent, and
 * the WAIT_* results.
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows'; the text is this project's own.
 */
#ifndef IOCP_SYNCHAPI_H_
#define IOCP_SYNCHAPI_H_

#include "minwinbase.h"

#define INFINITE 0xFFFFFFFF

#define WAIT_OBJECT_0 ((DWORD)STATUS_WAIT_0)
#define WAIT_ABANDONED ((DWORD)STATUS_ABANDONED_WAIT_0)
#define WAIT_ABANDONED_0 ((DWORD)STATUS_ABANDONED_WAIT_0)
#define WAIT_IO_COMPLETION ((DWORD)STATUS_USER_APC)
#define WAIT_FAILED ((DWORD)0xFFFFFFFF)
/* WAIT_TIMEOUT (258) is in winerror.h, as on Windows. */
#ifndef WAIT_TIMEOUT
#define WAIT_TIMEOUT 258
#endif

IOCP_EXTERN_C_BEGIN

DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);

DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable);

DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                    DWORD dwMilliseconds);

DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                      DWORD dwMilliseconds, BOOL bAlertable);

VOID WINAPI Sleep(DWORD dwMilliseconds);

DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable);

HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                           BOOL bInitialState, LPCSTR lpName);

BOOL WINAPI SetEvent(HANDLE hEvent);

BOOL WINAPI ResetEvent(HANDLE hEvent);

IOCP_EXTERN_C_END

/* ANSI build: the generic names are the A functions. */
#define CreateEvent CreateEventA

#endif /* IOCP_SYNCHAPI_H_ */
