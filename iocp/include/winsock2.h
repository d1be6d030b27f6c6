/*
 * winsock2.h - Windows Sockets 2: SOCKET, the socket address structures,
 * fd_set and select, WSADATA, WSABUF, WSAPOLLFD, the WSA* event and
 * overlapped functions, and the BSD-style socket calls with their Windows
 * signatures. Includes windows.h, as on Windows.
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures, layouts and values are Windows x64's; the text is this
 * project's own.
 *
 * ---------------------------------------------------------------------------
 * Living next to glibc
 *
 * Winsock reuses many BSD names with different types (u_long is 32-bit,
 * fd_set is a counted array of SOCKETs, struct timeval holds two 32-bit
 * longs, recv takes a SOCKET and an int length, ...). A Windows program does
 * not include <sys/socket.h>, <netinet/in.h>, <arpa/inet.h>, <netdb.h> or
 * <poll.h>, but the standard headers it does include (<stdlib.h>, <stdio.h>,
 * <unistd.h>, <time.h>, the C++ library, ...) bring in glibc's <sys/types.h>
 * and <sys/select.h> in the GNU modes, and <unistd.h> declares gethostname
 * and socklen_t. The scheme:
 *
 * 1. This header first includes those glibc headers itself (<sys/types.h>,
 *    <sys/select.h>, <sys/time.h>, <unistd.h>), so that glibc's versions of
 *    the shared names are fixed, under glibc's names, before anything below,
 *    and their include guards make any later inclusion a no-op. The order of
 *    a program's #includes therefore does not matter.
 *
 * 2. Names that glibc defines in those headers with a different meaning are
 *    renamed by object-like macros to iocp_* names, so that Winsock code
 *    written with the Windows names gets the Windows definitions:
 *        u_long      -> iocp_u_long      (typedef of a 32-bit unsigned int)
 *        socklen_t   -> iocp_socklen_t   (int, as in ws2tcpip.h)
 *        fd_set      -> iocp_fd_set      (struct tag and typedef)
 *        timeval     -> iocp_timeval     (struct tag)
 *        select      -> iocp_select      (function)
 *        gethostname -> iocp_gethostname (function)
 *    glibc's FD_SET, FD_CLR, FD_ISSET, FD_ZERO and FD_SETSIZE macros are
 *    replaced by Windows' (FD_SETSIZE is 64 unless the program defines it
 *    before including this header, as on Windows). The trade-off: after this
 *    header, glibc functions that take these types (gettimeofday, getrusage,
 *    pselect, ...) see the Winsock types; a Windows program does not call
 *    them. u_char, u_short and u_int have the same types in both worlds and
 *    are not renamed.
 *
 * 3. The other Winsock functions that glibc also has (socket, bind, listen,
 *    accept, connect, shutdown, send, recv, sendto, recvfrom, getsockname,
 *    getpeername, setsockopt, getsockopt, htons, htonl, ntohs, ntohl,
 *    inet_addr, inet_ntoa, inet_pton, inet_ntop, getaddrinfo, freeaddrinfo,
 *    getnameinfo, gethostbyname, gethostbyaddr, getservbyname,
 *    getservbyport, getprotobyname, getprotobynumber) keep their names in
 *    the source, but their declarations carry an assembler label
 *    (IOCP_WS_SYMBOL) that makes the linker symbol iocp_<name>. No macro is
 *    involved, so C++ code keeps its std::bind, its Connection::send and
 *    its members named connect or accept; and libc's own send/recv/bind,
 *    which other libraries call, are never interposed.
 *
 * Either way the library defines iocp_<name> for every one of these
 * functions (iocp_recv, iocp_select, iocp_htons, ...), with the Windows
 * signature. Winsock functions glibc does not have (closesocket,
 * ioctlsocket, WSA*, __WSAFDIsSet, AcceptEx, ...) keep their Windows names.
 *
 * The limit: a translation unit cannot include both this header and
 * <sys/socket.h>/<netinet/in.h>/<arpa/inet.h>/<netdb.h>/<poll.h> (struct
 * sockaddr, in_addr, pollfd, the POLL* and MSG_* values would be defined
 * twice), as on Windows. An implementation file that needs Linux's socket
 * calls next to these types declares them under other names, e.g.
 *     extern ssize_t linux_recv(int, void *, size_t, int) __asm__("recv");
 * ---------------------------------------------------------------------------
 */
#ifndef IOCP_WINSOCK2_H_
#define IOCP_WINSOCK2_H_

/* A program may set FD_SETSIZE before including winsock2.h (Windows'
 * documented way to enlarge fd_set); glibc's <sys/select.h> sets its own, so
 * the program's value is saved around it. A value equal to glibc's (1024)
 * while <sys/select.h> was already included is taken to be glibc's and
 * dropped (so a program that included <stdlib.h> in a GNU mode first must
 * #undef FD_SETSIZE before defining its own, and cannot ask for exactly
 * 1024). */
#pragma push_macro("FD_SETSIZE")
#undef FD_SETSIZE
#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <unistd.h>
#undef FD_SETSIZE
#pragma pop_macro("FD_SETSIZE")
#if defined(FD_SETSIZE) && defined(__FD_SETSIZE)
#if FD_SETSIZE == __FD_SETSIZE
#undef FD_SETSIZE
#endif
#endif

#include "windows.h"

/* --- the renames (see the top of this file) --- */

#define u_long iocp_u_long
#define socklen_t iocp_socklen_t
#define fd_set iocp_fd_set
#define timeval iocp_timeval
#define select iocp_select
#define gethostname iocp_gethostname
#undef FD_SET
#undef FD_CLR
#undef FD_ISSET
#undef FD_ZERO

/* The linker symbol of a Winsock function whose name glibc also has. */
#define IOCP_WS_SYMBOL(name) __asm__("iocp_" #name)

#ifndef WINSOCK_API_LINKAGE
#define WINSOCK_API_LINKAGE
#endif
#define WSAAPI

#define WINSOCK_VERSION MAKEWORD(2, 2)

/* --- basic types --- */

#ifndef __u_char_defined
/* glibc's <sys/types.h> defines these (with the same types) only in its
 * GNU/BSD modes. */
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
#endif
/* Windows' unsigned long: 32-bit (named u_long through the macro above). */
typedef unsigned int iocp_u_long;
/* ws2tcpip.h's socklen_t is int (glibc's is unsigned); named socklen_t
 * through the macro above. */
typedef int iocp_socklen_t;
typedef unsigned long long u_int64;

typedef UINT_PTR SOCKET;
typedef unsigned int GROUP;
typedef USHORT ADDRESS_FAMILY;
typedef HANDLE WSAEVENT, *LPWSAEVENT;
typedef OVERLAPPED WSAOVERLAPPED, *LPWSAOVERLAPPED;

#define INVALID_SOCKET ((SOCKET)(~0))
#define SOCKET_ERROR (-1)

/* --- fd_set and select --- */

#ifndef FD_SETSIZE
#define FD_SETSIZE 64
#endif

typedef struct fd_set {
  u_int fd_count;
  SOCKET fd_array[FD_SETSIZE];
} fd_set, FD_SET, *PFD_SET, *LPFD_SET;

/* Adds fd if it is not in the set yet and there is room. */
#define FD_SET(fd, set)                                                        \
  do {                                                                         \
    u_int iocp_fd_i_;                                                          \
    for (iocp_fd_i_ = 0; iocp_fd_i_ < ((fd_set *)(set))->fd_count; ++iocp_fd_i_) \
      if (((fd_set *)(set))->fd_array[iocp_fd_i_] == (SOCKET)(fd)) break;      \
    if (iocp_fd_i_ == ((fd_set *)(set))->fd_count &&                           \
        ((fd_set *)(set))->fd_count < FD_SETSIZE) {                            \
      ((fd_set *)(set))->fd_array[iocp_fd_i_] = (SOCKET)(fd);                  \
      ((fd_set *)(set))->fd_count++;                                           \
    }                                                                          \
  } while (0)

/* Removes fd, keeping the others in order. */
#define FD_CLR(fd, set)                                                        \
  do {                                                                         \
    u_int iocp_fd_i_;                                                          \
    for (iocp_fd_i_ = 0; iocp_fd_i_ < ((fd_set *)(set))->fd_count; ++iocp_fd_i_) { \
      if (((fd_set *)(set))->fd_array[iocp_fd_i_] == (SOCKET)(fd)) {           \
        while (iocp_fd_i_ + 1 < ((fd_set *)(set))->fd_count) {                 \
          ((fd_set *)(set))->fd_array[iocp_fd_i_] =                            \
              ((fd_set *)(set))->fd_array[iocp_fd_i_ + 1];                     \
          ++iocp_fd_i_;                                                        \
        }                                                                      \
        ((fd_set *)(set))->fd_count--;                                         \
        break;                                                                 \
      }                                                                        \
    }                                                                          \
  } while (0)

#define FD_ZERO(set) (((fd_set *)(set))->fd_count = 0)
#define FD_ISSET(fd, set) __WSAFDIsSet((SOCKET)(fd), (fd_set *)(set))

/* Windows' long is 32-bit. */
struct timeval {
  LONG tv_sec;
  LONG tv_usec;
};
typedef struct timeval TIMEVAL, *PTIMEVAL, *LPTIMEVAL;

#ifndef timerisset
#define timerisset(tvp) ((tvp)->tv_sec || (tvp)->tv_usec)
#endif
#ifndef timercmp
#define timercmp(tvp, uvp, cmp)                                                \
  ((tvp)->tv_sec cmp (uvp)->tv_sec ||                                          \
   ((tvp)->tv_sec == (uvp)->tv_sec && (tvp)->tv_usec cmp (uvp)->tv_usec))
#endif
#ifndef timerclear
#define timerclear(tvp) ((tvp)->tv_sec = (tvp)->tv_usec = 0)
#endif

/* --- ioctlsocket commands (Windows' BSD-style encoding, not Linux's) --- */

#define IOCPARM_MASK 0x7f
#define IOC_VOID 0x20000000
#define IOC_OUT 0x40000000
#define IOC_IN 0x80000000
#define IOC_INOUT (IOC_IN | IOC_OUT)

#define IOCP_WS_IO_(x, y) (IOC_VOID | ((x) << 8) | (y))
#define IOCP_WS_IOR_(x, y, t) \
  (IOC_OUT | (((LONG)sizeof(t) & IOCPARM_MASK) << 16) | ((x) << 8) | (y))
#define IOCP_WS_IOW_(x, y, t) \
  (IOC_IN | (((LONG)sizeof(t) & IOCPARM_MASK) << 16) | ((x) << 8) | (y))
#ifndef _IO
#define _IO(x, y) IOCP_WS_IO_(x, y)
#endif
#ifndef _IOR
#define _IOR(x, y, t) IOCP_WS_IOR_(x, y, t)
#endif
#ifndef _IOW
#define _IOW(x, y, t) IOCP_WS_IOW_(x, y, t)
#endif

#define FIONREAD IOCP_WS_IOR_('f', 127, u_long) /* 0x4004667F */
#define FIONBIO IOCP_WS_IOW_('f', 126, u_long)  /* 0x8004667E */
#define FIOASYNC IOCP_WS_IOW_('f', 125, u_long) /* 0x8004667D */
#define SIOCSHIWAT IOCP_WS_IOW_('s', 0, u_long)
#define SIOCGHIWAT IOCP_WS_IOR_('s', 1, u_long)
#define SIOCSLOWAT IOCP_WS_IOW_('s', 2, u_long)
#define SIOCGLOWAT IOCP_WS_IOR_('s', 3, u_long)
#define SIOCATMARK IOCP_WS_IOR_('s', 7, u_long) /* 0x40047307 */

/* WSAIoctl codes. */
#define IOC_UNIX 0x00000000
#define IOC_WS2 0x08000000
#define IOC_PROTOCOL 0x10000000
#define IOC_VENDOR 0x18000000
#define _WSAIO(x, y) (IOC_VOID | (x) | (y))
#define _WSAIOR(x, y) (IOC_OUT | (x) | (y))
#define _WSAIOW(x, y) (IOC_IN | (x) | (y))
#define _WSAIORW(x, y) (IOC_INOUT | (x) | (y))

#define SIO_ASSOCIATE_HANDLE _WSAIOW(IOC_WS2, 1)
#define SIO_ENABLE_CIRCULAR_QUEUEING _WSAIO(IOC_WS2, 2)
#define SIO_FIND_ROUTE _WSAIOR(IOC_WS2, 3)
#define SIO_FLUSH _WSAIO(IOC_WS2, 4)
#define SIO_GET_BROADCAST_ADDRESS _WSAIOR(IOC_WS2, 5)
#define SIO_GET_EXTENSION_FUNCTION_POINTER _WSAIORW(IOC_WS2, 6) /* 0xC8000006 */
#define SIO_GET_QOS _WSAIORW(IOC_WS2, 7)
#define SIO_GET_GROUP_QOS _WSAIORW(IOC_WS2, 8)
#define SIO_MULTIPOINT_LOOPBACK _WSAIOW(IOC_WS2, 9)
#define SIO_MULTICAST_SCOPE _WSAIOW(IOC_WS2, 10)
#define SIO_SET_QOS _WSAIOW(IOC_WS2, 11)
#define SIO_SET_GROUP_QOS _WSAIOW(IOC_WS2, 12)
#define SIO_TRANSLATE_HANDLE _WSAIORW(IOC_WS2, 13)
#define SIO_ROUTING_INTERFACE_QUERY _WSAIORW(IOC_WS2, 20)
#define SIO_ROUTING_INTERFACE_CHANGE _WSAIOW(IOC_WS2, 21)
#define SIO_ADDRESS_LIST_QUERY _WSAIOR(IOC_WS2, 22)
#define SIO_ADDRESS_LIST_CHANGE _WSAIO(IOC_WS2, 23)
#define SIO_QUERY_TARGET_PNP_HANDLE _WSAIOR(IOC_WS2, 24)
#define SIO_ADDRESS_LIST_SORT _WSAIORW(IOC_WS2, 25)
#define SIO_BASE_HANDLE _WSAIOR(IOC_WS2, 34) /* 0x48000022 */

/* --- address families, socket types, protocols --- */

#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_INET 2
#define AF_IMPLINK 3
#define AF_PUP 4
#define AF_CHAOS 5
#define AF_NS 6
#define AF_IPX AF_NS
#define AF_ISO 7
#define AF_OSI AF_ISO
#define AF_ECMA 8
#define AF_DATAKIT 9
#define AF_CCITT 10
#define AF_SNA 11
#define AF_DECnet 12
#define AF_DLI 13
#define AF_LAT 14
#define AF_HYLINK 15
#define AF_APPLETALK 16
#define AF_NETBIOS 17
#define AF_VOICEVIEW 18
#define AF_FIREFOX 19
#define AF_UNKNOWN1 20
#define AF_BAN 21
#define AF_ATM 22
#define AF_INET6 23
#define AF_CLUSTER 24
#define AF_12844 25
#define AF_IRDA 26
#define AF_NETDES 28
#define AF_BTH 32
#define AF_MAX 29

#define PF_UNSPEC AF_UNSPEC
#define PF_UNIX AF_UNIX
#define PF_INET AF_INET
#define PF_IPX AF_IPX
#define PF_APPLETALK AF_APPLETALK
#define PF_NETBIOS AF_NETBIOS
#define PF_ATM AF_ATM
#define PF_INET6 AF_INET6
#define PF_IRDA AF_IRDA
#define PF_BTH AF_BTH
#define PF_MAX AF_MAX

#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_RDM 4
#define SOCK_SEQPACKET 5

/* Windows has an enum IPPROTO; the values are macros here so that #ifdef
 * works, and IPPROTO is the enum's underlying int. */
typedef int IPPROTO, *PIPPROTO;
#define IPPROTO_IP 0
#define IPPROTO_HOPOPTS 0
#define IPPROTO_ICMP 1
#define IPPROTO_IGMP 2
#define IPPROTO_GGP 3
#define IPPROTO_IPV4 4
#define IPPROTO_ST 5
#define IPPROTO_TCP 6
#define IPPROTO_CBT 7
#define IPPROTO_EGP 8
#define IPPROTO_IGP 9
#define IPPROTO_PUP 12
#define IPPROTO_UDP 17
#define IPPROTO_IDP 22
#define IPPROTO_RDP 27
#define IPPROTO_IPV6 41
#define IPPROTO_ROUTING 43
#define IPPROTO_FRAGMENT 44
#define IPPROTO_ESP 50
#define IPPROTO_AH 51
#define IPPROTO_ICMPV6 58
#define IPPROTO_NONE 59
#define IPPROTO_DSTOPTS 60
#define IPPROTO_ND 77
#define IPPROTO_ICLFXBM 78
#define IPPROTO_PIM 103
#define IPPROTO_PGM 113
#define IPPROTO_L2TP 115
#define IPPROTO_SCTP 132
#define IPPROTO_RAW 255
#define IPPROTO_MAX 256

#define IPPORT_ECHO 7
#define IPPORT_DISCARD 9
#define IPPORT_DAYTIME 13
#define IPPORT_FTP 21
#define IPPORT_TELNET 23
#define IPPORT_SMTP 25
#define IPPORT_RESERVED 1024

/* --- socket options (level SOL_SOCKET) --- */

#define SOL_SOCKET 0xffff

#define SO_DEBUG 0x0001
#define SO_ACCEPTCONN 0x0002
#define SO_REUSEADDR 0x0004
#define SO_KEEPALIVE 0x0008
#define SO_DONTROUTE 0x0010
#define SO_BROADCAST 0x0020
#define SO_USELOOPBACK 0x0040
#define SO_LINGER 0x0080
#define SO_OOBINLINE 0x0100
#define SO_DONTLINGER ((int)(~SO_LINGER))
#define SO_EXCLUSIVEADDRUSE ((int)(~SO_REUSEADDR))

#define SO_SNDBUF 0x1001
#define SO_RCVBUF 0x1002
#define SO_SNDLOWAT 0x1003
#define SO_RCVLOWAT 0x1004
#define SO_SNDTIMEO 0x1005
#define SO_RCVTIMEO 0x1006
#define SO_ERROR 0x1007
#define SO_TYPE 0x1008
#define SO_BSP_STATE 0x1009

#define SO_GROUP_ID 0x2001
#define SO_GROUP_PRIORITY 0x2002
#define SO_MAX_MSG_SIZE 0x2003
#define SO_PROTOCOL_INFOA 0x2004
#define SO_PROTOCOL_INFO SO_PROTOCOL_INFOA
#define PVD_CONFIG 0x3001
#define SO_CONDITIONAL_ACCEPT 0x3002
#define SO_PAUSE_ACCEPT 0x3003
#define SO_COMPARTMENT_ID 0x3004
#define SO_RANDOMIZE_PORT 0x3005
#define SO_PORT_SCALABILITY 0x3006
#define SO_REUSE_UNICASTPORT 0x3007
#define SO_REUSE_MULTICASTPORT 0x3008

/* TCP_NODELAY lives here on Windows; the other TCP options are in
 * ws2tcpip.h (ws2ipdef.h on Windows). */
#define TCP_NODELAY 0x0001

#define SOMAXCONN 0x7fffffff
#define SOMAXCONN_HINT(b) (-(b))

/* --- send/recv flags --- */

#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_DONTROUTE 0x4
#define MSG_WAITALL 0x8
#define MSG_INTERRUPT 0x10
#define MSG_PUSH_IMMEDIATE 0x20
#define MSG_TRUNC 0x0100
#define MSG_CTRUNC 0x0200
#define MSG_BCAST 0x0400
#define MSG_MCAST 0x0800
#define MSG_ERRQUEUE 0x1000
#define MSG_PARTIAL 0x8000
#define MSG_MAXIOVLEN 16

/* shutdown */
#define SD_RECEIVE 0x00
#define SD_SEND 0x01
#define SD_BOTH 0x02

/* --- WSAStartup --- */

#define WSADESCRIPTION_LEN 256
#define WSASYS_STATUS_LEN 128

/* x64 order: the two counts come before the vendor pointer (on 32-bit
 * Windows the pointer is last). Size 408. */
typedef struct WSAData {
  WORD wVersion;
  WORD wHighVersion;
  unsigned short iMaxSockets;
  unsigned short iMaxUdpDg;
  char *lpVendorInfo;
  char szDescription[WSADESCRIPTION_LEN + 1];
  char szSystemStatus[WSASYS_STATUS_LEN + 1];
} WSADATA, *LPWSADATA;

/* --- addresses --- */

/* IPv4 address, network byte order (inaddr.h on Windows). */
typedef struct in_addr {
  union {
    struct {
      UCHAR s_b1, s_b2, s_b3, s_b4;
    } S_un_b;
    struct {
      USHORT s_w1, s_w2;
    } S_un_w;
    ULONG S_addr;
  } S_un;
} IN_ADDR, *PIN_ADDR, *LPIN_ADDR;

#define s_addr S_un.S_addr
#define s_host S_un.S_un_b.s_b2
#define s_net S_un.S_un_b.s_b1
#define s_imp S_un.S_un_w.s_w2
#define s_impno S_un.S_un_b.s_b4
#define s_lh S_un.S_un_b.s_b3

#define INADDR_ANY ((ULONG)0x00000000)
#define INADDR_LOOPBACK 0x7f000001
#define INADDR_BROADCAST ((ULONG)0xffffffff)
#define INADDR_NONE 0xffffffff
#define ADDR_ANY INADDR_ANY

#define IN_CLASSA(i) (((LONG)(i) & 0x80000000) == 0)
#define IN_CLASSB(i) (((LONG)(i) & 0xc0000000) == 0x80000000)
#define IN_CLASSC(i) (((LONG)(i) & 0xe0000000) == 0xc0000000)
#define IN_CLASSD(i) (((LONG)(i) & 0xf0000000) == 0xe0000000)
#define IN_MULTICAST(i) IN_CLASSD(i)

/* IPv6 address (in6addr.h on Windows). */
typedef struct in6_addr {
  union {
    UCHAR Byte[16];
    USHORT Word[8];
  } u;
} IN6_ADDR, *PIN6_ADDR, *LPIN6_ADDR;

#define in_addr6 in6_addr
#define _S6_un u
#define _S6_u8 Byte
#define s6_addr _S6_un._S6_u8
#define s6_bytes u.Byte
#define s6_words u.Word

#define IN6ADDR_ANY_INIT \
  { { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } } }
#define IN6ADDR_LOOPBACK_INIT \
  { { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } }

/* The generic address: 16 bytes. */
typedef struct sockaddr {
  ADDRESS_FAMILY sa_family;
  CHAR sa_data[14];
} SOCKADDR, *PSOCKADDR, *LPSOCKADDR;

typedef struct sockaddr_in {
  ADDRESS_FAMILY sin_family;
  USHORT sin_port;
  IN_ADDR sin_addr;
  CHAR sin_zero[8];
} SOCKADDR_IN, *PSOCKADDR_IN, *LPSOCKADDR_IN;

/* The IPv6 scope: a 28-bit zone and a 4-bit level, or the whole value.
 * (__extension__ on the whole declaration: its only member is unnamed.) */
IOCP_EXTENSION typedef struct {
  IOCP_EXTENSION union {
    IOCP_EXTENSION struct {
      ULONG Zone : 28;
      ULONG Level : 4;
    } DUMMYSTRUCTNAME;
    ULONG Value;
  } DUMMYUNIONNAME;
} SCOPE_ID, *PSCOPE_ID;

/* 28 bytes: family, port, flow info, address, scope id. */
typedef struct sockaddr_in6 {
  ADDRESS_FAMILY sin6_family;
  USHORT sin6_port;
  ULONG sin6_flowinfo;
  IN6_ADDR sin6_addr;
  IOCP_EXTENSION union {
    ULONG sin6_scope_id;
    SCOPE_ID sin6_scope_struct;
  };
} SOCKADDR_IN6, *PSOCKADDR_IN6, *LPSOCKADDR_IN6;
typedef SOCKADDR_IN6 SOCKADDR_IN6_LH, *PSOCKADDR_IN6_LH, *LPSOCKADDR_IN6_LH;
typedef struct sockaddr_in6 sockaddr_in6_w2ksp1;

/* Room for any address: 128 bytes, 8-aligned. */
#define _SS_MAXSIZE 128
#define _SS_ALIGNSIZE (sizeof(LONGLONG))
#define _SS_PAD1SIZE (_SS_ALIGNSIZE - sizeof(USHORT))
#define _SS_PAD2SIZE (_SS_MAXSIZE - (sizeof(USHORT) + _SS_PAD1SIZE + _SS_ALIGNSIZE))
typedef struct sockaddr_storage {
  ADDRESS_FAMILY ss_family;
  CHAR __ss_pad1[_SS_PAD1SIZE];
  LONGLONG __ss_align;
  CHAR __ss_pad2[_SS_PAD2SIZE];
} SOCKADDR_STORAGE, *PSOCKADDR_STORAGE, *LPSOCKADDR_STORAGE;
typedef SOCKADDR_STORAGE SOCKADDR_STORAGE_LH, *PSOCKADDR_STORAGE_LH, *LPSOCKADDR_STORAGE_LH;

typedef struct _SOCKET_ADDRESS {
  LPSOCKADDR lpSockaddr;
  INT iSockaddrLength;
} SOCKET_ADDRESS, *PSOCKET_ADDRESS, *LPSOCKET_ADDRESS;

typedef struct _SOCKET_ADDRESS_LIST {
  INT iAddressCount;
  SOCKET_ADDRESS Address[1];
} SOCKET_ADDRESS_LIST, *PSOCKET_ADDRESS_LIST, *LPSOCKET_ADDRESS_LIST;

/* --- buffers and messages --- */

/* Length first, then the pointer: 16 bytes on x64. */
typedef struct _WSABUF {
  ULONG len;
  CHAR *buf;
} WSABUF, *LPWSABUF;

typedef struct _WSAMSG {
  LPSOCKADDR name;
  INT namelen;
  LPWSABUF lpBuffers;
  ULONG dwBufferCount;
  WSABUF Control;
  ULONG dwFlags;
} WSAMSG, *PWSAMSG, *LPWSAMSG;

/* Control-message header in WSAMSG.Control. */
typedef struct _WSACMSGHDR {
  SIZE_T cmsg_len;
  INT cmsg_level;
  INT cmsg_type;
} WSACMSGHDR, *PWSACMSGHDR, *LPWSACMSGHDR;

#define WSA_CMSGHDR_ALIGN(length) \
  (((length) + __alignof__(WSACMSGHDR) - 1) & (~(__alignof__(WSACMSGHDR) - 1)))
#define WSA_CMSGDATA_ALIGN(length) \
  (((length) + __alignof__(SIZE_T) - 1) & (~(__alignof__(SIZE_T) - 1)))
#define WSA_CMSG_FIRSTHDR(msg)                            \
  (((msg)->Control.len >= sizeof(WSACMSGHDR))             \
       ? (LPWSACMSGHDR)(msg)->Control.buf                 \
       : (LPWSACMSGHDR)NULL)
#define WSA_CMSG_NXTHDR(msg, cmsg)                                                 \
  (((cmsg) == NULL)                                                                \
       ? WSA_CMSG_FIRSTHDR(msg)                                                    \
       : ((((PUCHAR)(cmsg) + WSA_CMSGHDR_ALIGN((cmsg)->cmsg_len) +                 \
            sizeof(WSACMSGHDR)) > (PUCHAR)((msg)->Control.buf) + (msg)->Control.len) \
              ? (LPWSACMSGHDR)NULL                                                 \
              : (LPWSACMSGHDR)((PUCHAR)(cmsg) + WSA_CMSGHDR_ALIGN((cmsg)->cmsg_len))))
#define WSA_CMSG_DATA(cmsg) ((PUCHAR)(cmsg) + WSA_CMSGDATA_ALIGN(sizeof(WSACMSGHDR)))
#define WSA_CMSG_SPACE(length) \
  (WSA_CMSGDATA_ALIGN(sizeof(WSACMSGHDR) + WSA_CMSGHDR_ALIGN(length)))
#define WSA_CMSG_LEN(length) (WSA_CMSGDATA_ALIGN(sizeof(WSACMSGHDR)) + (length))

typedef struct linger {
  u_short l_onoff;
  u_short l_linger;
} LINGER, *PLINGER, *LPLINGER;

/* --- name databases (x64 field order) --- */

typedef struct hostent {
  char *h_name;
  char **h_aliases;
  short h_addrtype;
  short h_length;
  char **h_addr_list;
} HOSTENT, *PHOSTENT, *LPHOSTENT;
#define h_addr h_addr_list[0]

/* On x64, s_proto comes before s_port. */
typedef struct servent {
  char *s_name;
  char **s_aliases;
  char *s_proto;
  short s_port;
} SERVENT, *PSERVENT, *LPSERVENT;

typedef struct protoent {
  char *p_name;
  char **p_aliases;
  short p_proto;
} PROTOENT, *PPROTOENT, *LPPROTOENT;

/* h_errno is the thread's Winsock error, as on Windows. */
#define h_errno WSAGetLastError()
#define HOST_NOT_FOUND WSAHOST_NOT_FOUND
#define TRY_AGAIN WSATRY_AGAIN
#define NO_RECOVERY WSANO_RECOVERY
#define NO_DATA WSANO_DATA
#define WSANO_ADDRESS WSANO_DATA
#define NO_ADDRESS WSANO_ADDRESS

/* getaddrinfo's result (ws2def.h on Windows): ai_canonname comes before
 * ai_addr, unlike glibc. 48 bytes. */
typedef struct addrinfo {
  int ai_flags;
  int ai_family;
  int ai_socktype;
  int ai_protocol;
  size_t ai_addrlen;
  char *ai_canonname;
  struct sockaddr *ai_addr;
  struct addrinfo *ai_next;
} ADDRINFOA, *PADDRINFOA;

#define AI_PASSIVE 0x00000001
#define AI_CANONNAME 0x00000002
#define AI_NUMERICHOST 0x00000004
#define AI_NUMERICSERV 0x00000008
#define AI_DNS_ONLY 0x00000010
#define AI_ALL 0x00000100
#define AI_ADDRCONFIG 0x00000400
#define AI_V4MAPPED 0x00000800
#define AI_NON_AUTHORITATIVE 0x00004000
#define AI_SECURE 0x00008000
#define AI_RETURN_PREFERRED_NAMES 0x00010000
#define AI_FQDN 0x00020000
#define AI_FILESERVER 0x00040000
#define AI_DISABLE_IDN_ENCODING 0x00080000

#define NI_NOFQDN 0x01
#define NI_NUMERICHOST 0x02
#define NI_NAMEREQD 0x04
#define NI_NUMERICSERV 0x08
#define NI_DGRAM 0x10
#define NI_MAXHOST 1025
#define NI_MAXSERV 32

/* --- WSAPoll (Windows' values, not Linux's) --- */

#define POLLRDNORM 0x0100
#define POLLRDBAND 0x0200
#define POLLIN (POLLRDNORM | POLLRDBAND)
#define POLLPRI 0x0400
#define POLLWRNORM 0x0010
#define POLLOUT (POLLWRNORM)
#define POLLWRBAND 0x0020
#define POLLERR 0x0001
#define POLLHUP 0x0002
#define POLLNVAL 0x0004

typedef struct pollfd {
  SOCKET fd;
  SHORT events;
  SHORT revents;
} WSAPOLLFD, *PWSAPOLLFD, *LPWSAPOLLFD;

/* --- WSAEventSelect --- */

#define FD_READ_BIT 0
#define FD_READ (1 << FD_READ_BIT)
#define FD_WRITE_BIT 1
#define FD_WRITE (1 << FD_WRITE_BIT)
#define FD_OOB_BIT 2
#define FD_OOB (1 << FD_OOB_BIT)
#define FD_ACCEPT_BIT 3
#define FD_ACCEPT (1 << FD_ACCEPT_BIT)
#define FD_CONNECT_BIT 4
#define FD_CONNECT (1 << FD_CONNECT_BIT)
#define FD_CLOSE_BIT 5
#define FD_CLOSE (1 << FD_CLOSE_BIT)
#define FD_QOS_BIT 6
#define FD_QOS (1 << FD_QOS_BIT)
#define FD_GROUP_QOS_BIT 7
#define FD_GROUP_QOS (1 << FD_GROUP_QOS_BIT)
#define FD_ROUTING_INTERFACE_CHANGE_BIT 8
#define FD_ROUTING_INTERFACE_CHANGE (1 << FD_ROUTING_INTERFACE_CHANGE_BIT)
#define FD_ADDRESS_LIST_CHANGE_BIT 9
#define FD_ADDRESS_LIST_CHANGE (1 << FD_ADDRESS_LIST_CHANGE_BIT)
#define FD_MAX_EVENTS 10
#define FD_ALL_EVENTS ((1 << FD_MAX_EVENTS) - 1)

typedef struct _WSANETWORKEVENTS {
  LONG lNetworkEvents;
  int iErrorCode[FD_MAX_EVENTS];
} WSANETWORKEVENTS, *LPWSANETWORKEVENTS;

#define WSA_INVALID_EVENT ((WSAEVENT)NULL)
#define WSA_MAXIMUM_WAIT_EVENTS (MAXIMUM_WAIT_OBJECTS)
#define WSA_WAIT_FAILED (WAIT_FAILED)
#define WSA_WAIT_EVENT_0 (WAIT_OBJECT_0)
#define WSA_WAIT_IO_COMPLETION (WAIT_IO_COMPLETION)
#define WSA_WAIT_TIMEOUT (WAIT_TIMEOUT)
#define WSA_INFINITE (INFINITE)

/* --- WSASocket --- */

#define WSA_FLAG_OVERLAPPED 0x01
#define WSA_FLAG_MULTIPOINT_C_ROOT 0x02
#define WSA_FLAG_MULTIPOINT_C_LEAF 0x04
#define WSA_FLAG_MULTIPOINT_D_ROOT 0x08
#define WSA_FLAG_MULTIPOINT_D_LEAF 0x10
#define WSA_FLAG_ACCESS_SYSTEM_SECURITY 0x40
#define WSA_FLAG_NO_HANDLE_INHERIT 0x80
#define WSA_FLAG_REGISTERED_IO 0x100

#define MAX_PROTOCOL_CHAIN 7
#define BASE_PROTOCOL 1
#define LAYERED_PROTOCOL 0
#define WSAPROTOCOL_LEN 255

typedef struct _WSAPROTOCOLCHAIN {
  int ChainLen;
  DWORD ChainEntries[MAX_PROTOCOL_CHAIN];
} WSAPROTOCOLCHAIN, *LPWSAPROTOCOLCHAIN;

/* 372 bytes on x64. */
typedef struct _WSAPROTOCOL_INFOA {
  DWORD dwServiceFlags1;
  DWORD dwServiceFlags2;
  DWORD dwServiceFlags3;
  DWORD dwServiceFlags4;
  DWORD dwProviderFlags;
  GUID ProviderId;
  DWORD dwCatalogEntryId;
  WSAPROTOCOLCHAIN ProtocolChain;
  int iVersion;
  int iAddressFamily;
  int iMaxSockAddr;
  int iMinSockAddr;
  int iSocketType;
  int iProtocol;
  int iProtocolMaxOffset;
  int iNetworkByteOrder;
  int iSecurityScheme;
  DWORD dwMessageSize;
  DWORD dwProviderReserved;
  CHAR szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOA, *LPWSAPROTOCOL_INFOA;
typedef WSAPROTOCOL_INFOA WSAPROTOCOL_INFO;
typedef LPWSAPROTOCOL_INFOA LPWSAPROTOCOL_INFO;

/* --- quality of service (WSAConnect, WSAAccept's condition) --- */

typedef ULONG SERVICETYPE;

typedef struct _flowspec {
  ULONG TokenRate;
  ULONG TokenBucketSize;
  ULONG PeakBandwidth;
  ULONG Latency;
  ULONG DelayVariation;
  SERVICETYPE ServiceType;
  ULONG MaxSduSize;
  ULONG MinimumPolicedSize;
} FLOWSPEC, *PFLOWSPEC, *LPFLOWSPEC;

typedef struct _QualityOfService {
  FLOWSPEC SendingFlowspec;
  FLOWSPEC ReceivingFlowspec;
  WSABUF ProviderSpecific;
} QOS, *LPQOS;

#define CF_ACCEPT 0x0000
#define CF_REJECT 0x0001
#define CF_DEFER 0x0002

typedef int(CALLBACK *LPCONDITIONPROC)(LPWSABUF lpCallerId, LPWSABUF lpCallerData,
                                        LPQOS lpSQOS, LPQOS lpGQOS, LPWSABUF lpCalleeId,
                                        LPWSABUF lpCalleeData, GROUP *g,
                                        DWORD_PTR dwCallbackData);

typedef void(CALLBACK *LPWSAOVERLAPPED_COMPLETION_ROUTINE)(DWORD dwError, DWORD cbTransferred,
                                                          LPWSAOVERLAPPED lpOverlapped,
                                                          DWORD dwFlags);

/* --- Winsock error codes winerror.h does not have (the others are there) --- */

#ifndef WSAENOTEMPTY
#define WSAENOTEMPTY 10066
#endif
#ifndef WSAEPROCLIM
#define WSAEPROCLIM 10067
#endif
#ifndef WSAEUSERS
#define WSAEUSERS 10068
#endif
#ifndef WSAEDQUOT
#define WSAEDQUOT 10069
#endif
#ifndef WSAESTALE
#define WSAESTALE 10070
#endif
#ifndef WSAEREMOTE
#define WSAEREMOTE 10071
#endif
#ifndef WSAENOMORE
#define WSAENOMORE 10102
#endif
#ifndef WSAECANCELLED
#define WSAECANCELLED 10103
#endif
#ifndef WSAEINVALIDPROCTABLE
#define WSAEINVALIDPROCTABLE 10104
#endif
#ifndef WSAEINVALIDPROVIDER
#define WSAEINVALIDPROVIDER 10105
#endif
#ifndef WSAEPROVIDERFAILEDINIT
#define WSAEPROVIDERFAILEDINIT 10106
#endif
#ifndef WSASYSCALLFAILURE
#define WSASYSCALLFAILURE 10107
#endif
#ifndef WSASERVICE_NOT_FOUND
#define WSASERVICE_NOT_FOUND 10108
#endif
#ifndef WSATYPE_NOT_FOUND
#define WSATYPE_NOT_FOUND 10109
#endif
#ifndef WSA_E_NO_MORE
#define WSA_E_NO_MORE 10110
#endif
#ifndef WSA_E_CANCELLED
#define WSA_E_CANCELLED 10111
#endif
#ifndef WSAEREFUSED
#define WSAEREFUSED 10112
#endif
#ifndef WSA_SECURE_HOST_NOT_FOUND
#define WSA_SECURE_HOST_NOT_FOUND 11032
#endif
#ifndef WSA_IPSEC_NAME_POLICY_ERROR
#define WSA_IPSEC_NAME_POLICY_ERROR 11033
#endif

/* --- layout checks (Windows x64) --- */

IOCP_STATIC_ASSERT(sizeof(u_long) == 4, iocp_ws_u_long);
IOCP_STATIC_ASSERT(sizeof(SOCKET) == 8, iocp_ws_socket);
IOCP_STATIC_ASSERT(sizeof(WSADATA) == 408, iocp_ws_wsadata);
IOCP_STATIC_ASSERT(offsetof(WSADATA, lpVendorInfo) == 8, iocp_ws_wsadata_vendor);
IOCP_STATIC_ASSERT(offsetof(WSADATA, szSystemStatus) == 273, iocp_ws_wsadata_status);
IOCP_STATIC_ASSERT(sizeof(struct sockaddr) == 16, iocp_ws_sockaddr);
IOCP_STATIC_ASSERT(sizeof(struct sockaddr_in) == 16, iocp_ws_sockaddr_in);
IOCP_STATIC_ASSERT(sizeof(struct sockaddr_in6) == 28, iocp_ws_sockaddr_in6);
IOCP_STATIC_ASSERT(sizeof(SOCKADDR_STORAGE) == 128, iocp_ws_storage);
IOCP_STATIC_ASSERT(sizeof(fd_set) == 8 + 8 * FD_SETSIZE, iocp_ws_fd_set);
IOCP_STATIC_ASSERT(sizeof(struct timeval) == 8, iocp_ws_timeval);
IOCP_STATIC_ASSERT(sizeof(WSABUF) == 16, iocp_ws_wsabuf);
IOCP_STATIC_ASSERT(sizeof(WSAMSG) == 56, iocp_ws_wsamsg);
IOCP_STATIC_ASSERT(sizeof(WSAPROTOCOL_INFOA) == 372, iocp_ws_protocol_info);
IOCP_STATIC_ASSERT(sizeof(struct addrinfo) == 48, iocp_ws_addrinfo);
IOCP_STATIC_ASSERT(sizeof(WSAPOLLFD) == 16, iocp_ws_pollfd);
IOCP_STATIC_ASSERT(sizeof(WSANETWORKEVENTS) == 44, iocp_ws_network_events);
IOCP_STATIC_ASSERT(sizeof(struct hostent) == 32, iocp_ws_hostent);

/* --- functions --- */

IOCP_EXTERN_C_BEGIN

int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData);
int WSAAPI WSACleanup(void);
int WSAAPI WSAGetLastError(void);
void WSAAPI WSASetLastError(int iError);

SOCKET WSAAPI socket(int af, int type, int protocol) IOCP_WS_SYMBOL(socket);
SOCKET WSAAPI WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo,
                         GROUP g, DWORD dwFlags);
#define WSASocket WSASocketA
int WSAAPI closesocket(SOCKET s);

int WSAAPI bind(SOCKET s, const struct sockaddr *name, int namelen) IOCP_WS_SYMBOL(bind);
int WSAAPI listen(SOCKET s, int backlog) IOCP_WS_SYMBOL(listen);
SOCKET WSAAPI accept(SOCKET s, struct sockaddr *addr, int *addrlen) IOCP_WS_SYMBOL(accept);
SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen,
                        LPCONDITIONPROC lpfnCondition, DWORD_PTR dwCallbackData);
int WSAAPI connect(SOCKET s, const struct sockaddr *name, int namelen) IOCP_WS_SYMBOL(connect);
int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                      LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS);
int WSAAPI shutdown(SOCKET s, int how) IOCP_WS_SYMBOL(shutdown);
int WSAAPI getsockname(SOCKET s, struct sockaddr *name, int *namelen)
    IOCP_WS_SYMBOL(getsockname);
int WSAAPI getpeername(SOCKET s, struct sockaddr *name, int *namelen)
    IOCP_WS_SYMBOL(getpeername);
int WSAAPI setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen)
    IOCP_WS_SYMBOL(setsockopt);
int WSAAPI getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)
    IOCP_WS_SYMBOL(getsockopt);
int WSAAPI ioctlsocket(SOCKET s, LONG cmd, u_long *argp);

/* select (a macro for iocp_select): nfds is ignored, as on Windows. */
int WSAAPI select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                  const struct timeval *timeout);
int WSAAPI __WSAFDIsSet(SOCKET fd, fd_set *set);
int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout);

int WSAAPI send(SOCKET s, const char *buf, int len, int flags) IOCP_WS_SYMBOL(send);
int WSAAPI recv(SOCKET s, char *buf, int len, int flags) IOCP_WS_SYMBOL(recv);
int WSAAPI sendto(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to,
                  int tolen) IOCP_WS_SYMBOL(sendto);
int WSAAPI recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from,
                    int *fromlen) IOCP_WS_SYMBOL(recvfrom);

int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                   LPDWORD lpNumberOfBytesSent, DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                   LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                     LPDWORD lpNumberOfBytesSent, DWORD dwFlags, const struct sockaddr *lpTo,
                     int iTolen, LPWSAOVERLAPPED lpOverlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                       LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags, struct sockaddr *lpFrom,
                       LPINT lpFromlen, LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
int WSAAPI WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                    LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                    LPWSAOVERLAPPED lpOverlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                   BOOL fWait, LPDWORD lpdwFlags);

WSAEVENT WSAAPI WSACreateEvent(void);
BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent);
BOOL WSAAPI WSASetEvent(WSAEVENT hEvent);
BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent);
DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents, BOOL fWaitAll,
                                      DWORD dwTimeout, BOOL fAlertable);
int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents);
int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject,
                                LPWSANETWORKEVENTS lpNetworkEvents);

/* Byte order: functions on Windows (exported by ws2_32), so here too. */
u_short WSAAPI htons(u_short hostshort) IOCP_WS_SYMBOL(htons);
u_long WSAAPI htonl(u_long hostlong) IOCP_WS_SYMBOL(htonl);
u_short WSAAPI ntohs(u_short netshort) IOCP_WS_SYMBOL(ntohs);
u_long WSAAPI ntohl(u_long netlong) IOCP_WS_SYMBOL(ntohl);

/* Windows' unsigned long: 32-bit. */
ULONG WSAAPI inet_addr(const char *cp) IOCP_WS_SYMBOL(inet_addr);
char *WSAAPI inet_ntoa(struct in_addr in) IOCP_WS_SYMBOL(inet_ntoa);

struct hostent *WSAAPI gethostbyname(const char *name) IOCP_WS_SYMBOL(gethostbyname);
struct hostent *WSAAPI gethostbyaddr(const char *addr, int len, int type)
    IOCP_WS_SYMBOL(gethostbyaddr);
/* gethostname is a macro for iocp_gethostname (glibc's takes a size_t). */
int WSAAPI gethostname(char *name, int namelen);
struct servent *WSAAPI getservbyname(const char *name, const char *proto)
    IOCP_WS_SYMBOL(getservbyname);
struct servent *WSAAPI getservbyport(int port, const char *proto) IOCP_WS_SYMBOL(getservbyport);
struct protoent *WSAAPI getprotobyname(const char *name) IOCP_WS_SYMBOL(getprotobyname);
struct protoent *WSAAPI getprotobynumber(int number) IOCP_WS_SYMBOL(getprotobynumber);

IOCP_EXTERN_C_END

#endif /* IOCP_WINSOCK2_H_ */
