/*
 * mstcpip.h - Microsoft TCP/IP extensions: per-socket keep-alive settings
 * (SIO_KEEPALIVE_VALS with struct tcp_keepalive), SIO_LOOPBACK_FAST_PATH,
 * SIO_RCVALL. Includes winsock2.h (Windows programs include it after
 * winsock2.h).
 *
 * Part of the iocp project's Windows-compatible headers: the names, layouts
 * and values are Windows x64's; the text is this project's own.
 */
#ifndef IOCP_MSTCPIP_H_
#define IOCP_MSTCPIP_H_

#include "winsock2.h"

/* Keep-alive on/off, idle time and probe interval, in milliseconds. */
struct tcp_keepalive {
  ULONG onoff;
  ULONG keepalivetime;
  ULONG keepaliveinterval;
};

#define SIO_RCVALL _WSAIOW(IOC_VENDOR, 1)
#define SIO_RCVALL_MCAST _WSAIOW(IOC_VENDOR, 2)
#define SIO_RCVALL_IGMPMCAST _WSAIOW(IOC_VENDOR, 3)
#define SIO_KEEPALIVE_VALS _WSAIOW(IOC_VENDOR, 4) /* 0x98000004 */
#define SIO_LOOPBACK_FAST_PATH _WSAIOW(IOC_VENDOR, 16)

IOCP_STATIC_ASSERT(sizeof(struct tcp_keepalive) == 12, iocp_ws_tcp_keepalive);

#endif /* IOCP_MSTCPIP_H_ */
