/*
 * ws2tcpip.h - the TCP/IP part of Winsock 2 (getaddrinfo, inet_pton, ...).
 * Includes winsock2.h, as on Windows.
 *
 * Part of the iocp project's Windows-compatible headers (names and values
 * are Windows'). The declarations arrive with the Winsock issue.
 */
#ifndef IOCP_WS2TCPIP_H_
#define IOCP_WS2TCPIP_H_

#include "winsock2.h"

#endif /* IOCP_WS2TCPIP_H_ */
