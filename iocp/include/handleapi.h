/*
 * handleapi.h - handle functions: CloseHandle, DuplicateHandle, and
 * INVALID_HANDLE_VALUE.
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows'; the text is this project's own.
 */
#ifndef IOCP_HANDLEAPI_H_
#define IOCP_HANDLEAPI_H_

#include "minwinbase.h"

#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)

IOCP_EXTERN_C_BEGIN

BOOL WINAPI CloseHandle(HANDLE hObject);

BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                            HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle,
                            DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions);

IOCP_EXTERN_C_END

#endif /* IOCP_HANDLEAPI_H_ */
