/*
 * timezoneapi.h - conversions between FILETIME (100-nanosecond intervals
 * since 1601-01-01 UTC) and SYSTEMTIME: FileTimeToSystemTime,
 * SystemTimeToFileTime.
 *
 * Part of the iocp project's Windows-compatible headers: the names and
 * signatures are Windows'; the text is this project's own.
 */
#ifndef IOCP_TIMEZONEAPI_H_
#define IOCP_TIMEZONEAPI_H_

#include "minwinbase.h"

IOCP_EXTERN_C_BEGIN

BOOL WINAPI FileTimeToSystemTime(const FILETIME *lpFileTime, LPSYSTEMTIME lpSystemTime);

BOOL WINAPI SystemTimeToFileTime(const SYSTEMTIME *lpSystemTime, LPFILETIME lpFileTime);

IOCP_EXTERN_C_END

#endif /* IOCP_TIMEZONEAPI_H_ */
