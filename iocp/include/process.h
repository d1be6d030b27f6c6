/*
 * process.h - the C runtime's thread functions that Windows programs use
 * instead of CreateThread: _beginthreadex and _endthreadex, with MSVC's
 * signatures. The handle returned is a thread HANDLE (as a uintptr_t): wait
 * on it with WaitForSingleObject and close it with CloseHandle.
 *
 * Both are inline over CreateThread/ExitThread: a routine returning unsigned
 * has the same type as a thread routine returning DWORD here.
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows'; the text is this project's own.
 */
#ifndef IOCP_PROCESS_H_
#define IOCP_PROCESS_H_

#include <errno.h>
#include <stdint.h>

#include "windows.h"

#ifndef _CRTIMP
#define _CRTIMP
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned(__stdcall *_beginthreadex_proc_type)(void *);

static inline uintptr_t _beginthreadex(void *_Security, unsigned _StackSize,
                                       _beginthreadex_proc_type _StartAddress, void *_ArgList,
                                       unsigned _InitFlag, unsigned *_ThrdAddr) {
  DWORD id = 0;
  HANDLE thread;
  if (_StartAddress == NULL) {
    errno = EINVAL; /* the CRT's answer; 0 is returned */
    return 0;
  }
  thread = CreateThread((LPSECURITY_ATTRIBUTES)_Security, (SIZE_T)_StackSize,
                        (LPTHREAD_START_ROUTINE)_StartAddress, _ArgList, (DWORD)_InitFlag, &id);
  if (thread == NULL) {
    errno = EAGAIN;
    return 0;
  }
  if (_ThrdAddr != NULL) *_ThrdAddr = (unsigned)id;
  return (uintptr_t)thread;
}

static inline void _endthreadex(unsigned _ReturnCode) { ExitThread((DWORD)_ReturnCode); }

#ifdef __cplusplus
}
#endif

#endif /* IOCP_PROCESS_H_ */
