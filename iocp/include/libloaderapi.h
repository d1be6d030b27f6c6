/*
 * libloaderapi.h - modules: GetModuleFileNameA (of the program itself).
 *
 * Part of the iocp project's Windows-compatible headers: the names and
 * signatures are Windows'; the text is this project's own.
 */
#ifndef IOCP_LIBLOADERAPI_H_
#define IOCP_LIBLOADERAPI_H_

#include "minwinbase.h"

IOCP_EXTERN_C_BEGIN

DWORD WINAPI GetModuleFileNameA(HMODULE hModule, LPSTR lpFilename, DWORD nSize);

IOCP_EXTERN_C_END

/* ANSI builds (UNICODE builds stop in windef.h). */
#define GetModuleFileName GetModuleFileNameA

#endif /* IOCP_LIBLOADERAPI_H_ */
