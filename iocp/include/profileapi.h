/*
 * profileapi.h - the high-resolution counter: QueryPerformanceCounter and
 * QueryPerformanceFrequency.
 *
 * Part of the iocp project's Windows-compatible headers: the names and
 * signatures are Windows'; the text is this project's own.
 */
#ifndef IOCP_PROFILEAPI_H_
#define IOCP_PROFILEAPI_H_

#include "minwinbase.h"

IOCP_EXTERN_C_BEGIN

BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *lpPerformanceCount);

BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *lpFrequency);

IOCP_EXTERN_C_END

#endif /* IOCP_PROFILEAPI_H_ */
