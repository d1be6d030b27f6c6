/*
 * winsock2.h - Windows Sockets 2. Includes windows.h, as on Windows.
 *
 * Part of the iocp project's Windows-compatible headers (names and values
 * are Windows'). The Winsock declarations arrive with the Winsock issue;
 * until then this header provides what windows.h does (the WSA* error codes
 * are already in winerror.h).
 */
#ifndef IOCP_WINSOCK2_H_
#define IOCP_WINSOCK2_H_

#include "windows.h"

#endif /* IOCP_WINSOCK2_H_ */
