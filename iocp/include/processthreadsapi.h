/*
 * processthreadsapi.h - threads and the current process: CreateThread,
 * ExitThread, GetExitCodeThread, GetCurrentThreadId, GetCurrentProcess(Id),
 * Resume/SuspendThread, GetThreadId, SwitchToThread, and the thread creation
 * flags.
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows'; the text is this project's own.
 */
#ifndef IOCP_PROCESSTHREADSAPI_H_
#define IOCP_PROCESSTHREADSAPI_H_

#include "minwinbase.h"

/* CreateThread dwCreationFlags. */
#define CREATE_SUSPENDED 0x00000004
#define STACK_SIZE_PARAM_IS_A_RESERVATION 0x00010000

#define THREAD_PRIORITY_NORMAL 0

IOCP_EXTERN_C_BEGIN

HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                           LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                           DWORD dwCreationFlags, LPDWORD lpThreadId);

DECLSPEC_NORETURN VOID WINAPI ExitThread(DWORD dwExitCode);

DECLSPEC_NORETURN VOID WINAPI ExitProcess(UINT uExitCode);

BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode);

DWORD WINAPI GetCurrentThreadId(void);

DWORD WINAPI GetCurrentProcessId(void);

HANDLE WINAPI GetCurrentProcess(void);

HANDLE WINAPI GetCurrentThread(void);

/* An asynchronous procedure call, run when the thread waits alertably. */
typedef VOID(WINAPI *PAPCFUNC)(ULONG_PTR Parameter);

DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData);

/* Suspend counts: a thread created with CREATE_SUSPENDED starts at 1 and runs
 * when ResumeThread brings it to 0. Suspending a running thread is not
 * supported (docs/PORTING.md). */
DWORD WINAPI ResumeThread(HANDLE hThread);

DWORD WINAPI SuspendThread(HANDLE hThread);

DWORD WINAPI GetThreadId(HANDLE Thread);

BOOL WINAPI SwitchToThread(void);

IOCP_EXTERN_C_END

#endif /* IOCP_PROCESSTHREADSAPI_H_ */
