/*
 * mswsock.h - the Microsoft Winsock extensions (AcceptEx, ConnectEx,
 * DisconnectEx, TransmitFile, ...). Includes winsock2.h, as on Windows.
 *
 * Part of the iocp project's Windows-compatible headers (names and values
 * are Windows'). The declarations arrive with the Winsock issue.
 */
#ifndef IOCP_MSWSOCK_H_
#define IOCP_MSWSOCK_H_

#include "winsock2.h"

#endif /* IOCP_MSWSOCK_H_ */
