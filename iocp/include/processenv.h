/*
 * processenv.h - the process environment: the standard handles
 * (GetStdHandle, SetStdHandle), environment variables and the command line.
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows'; the text is this project's own.
 */
#ifndef IOCP_PROCESSENV_H_
#define IOCP_PROCESSENV_H_

#include "minwinbase.h"

#define STD_INPUT_HANDLE ((DWORD)-10)
#define STD_OUTPUT_HANDLE ((DWORD)-11)
#define STD_ERROR_HANDLE ((DWORD)-12)

IOCP_EXTERN_C_BEGIN

HANDLE WINAPI GetStdHandle(DWORD nStdHandle);

BOOL WINAPI SetStdHandle(DWORD nStdHandle, HANDLE hHandle);

DWORD WINAPI GetEnvironmentVariableA(LPCSTR lpName, LPSTR lpBuffer, DWORD nSize);

BOOL WINAPI SetEnvironmentVariableA(LPCSTR lpName, LPCSTR lpValue);

LPSTR WINAPI GetCommandLineA(void);

IOCP_EXTERN_C_END

/* ANSI builds (UNICODE builds stop in windef.h). */
#define GetEnvironmentVariable GetEnvironmentVariableA
#define SetEnvironmentVariable SetEnvironmentVariableA
#define GetCommandLine GetCommandLineA

#endif /* IOCP_PROCESSENV_H_ */
