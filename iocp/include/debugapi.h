/*
 * debugapi.h - OutputDebugStringA, IsDebuggerPresent, DebugBreak.
 *
 * Part of the iocp project's Windows-compatible headers: the names and
 * signatures are Windows'; the text is this project's own.
 */
#ifndef IOCP_DEBUGAPI_H_
#define IOCP_DEBUGAPI_H_

#include "minwinbase.h"

IOCP_EXTERN_C_BEGIN

VOID WINAPI OutputDebugStringA(LPCSTR lpOutputString);

BOOL WINAPI IsDebuggerPresent(void);

VOID WINAPI DebugBreak(void);

IOCP_EXTERN_C_END

/* ANSI builds (UNICODE builds stop in windef.h). */
#define OutputDebugString OutputDebugStringA

#endif /* IOCP_DEBUGAPI_H_ */
