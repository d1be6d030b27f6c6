/*
 * errhandlingapi.h - the calling thread's last-error code: GetLastError and
 * SetLastError. The codes themselves are in winerror.h.
 *
 * Part of the iocp project's Windows-compatible headers: the names and
 * signatures are Windows'; the text is this project's own.
 */
#ifndef IOCP_ERRHANDLINGAPI_H_
#define IOCP_ERRHANDLINGAPI_H_

#include "minwinbase.h"

IOCP_EXTERN_C_BEGIN

DWORD WINAPI GetLastError(void);

VOID WINAPI SetLastError(DWORD dwErrCode);

IOCP_EXTERN_C_END

#endif /* IOCP_ERRHANDLINGAPI_H_ */
