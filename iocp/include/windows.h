/*
 * windows.h - the header Windows programs include: the base types, the
 * error codes and the Win32 base API (completion ports, overlapped I/O,
 * handles, waits, events, threads, ...).
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows x64's; the text is this project's own.
 * Winsock is separate, as on Windows: include winsock2.h for it.
 */
#ifndef IOCP_WINDOWS_H_
#define IOCP_WINDOWS_H_

#include "windef.h"
#include "winerror.h"
#include "winbase.h"
#include "iocp_crt.h"

#endif /* IOCP_WINDOWS_H_ */
