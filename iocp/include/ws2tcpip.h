/*
 * ws2tcpip.h - the TCP/IP part of Winsock 2: getaddrinfo, getnameinfo,
 * inet_pton/inet_ntop, socklen_t, the IP/IPv6/TCP/UDP socket options and
 * the multicast request structures (ws2ipdef.h on Windows). Includes
 * winsock2.h, as on Windows.
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows x64's; the text is this project's own.
 * socklen_t (int, as on Windows) and the functions glibc also has follow
 * the renaming scheme described at the top of winsock2.h: socklen_t is a
 * macro for iocp_socklen_t; getaddrinfo, freeaddrinfo, getnameinfo,
 * inet_pton and inet_ntop are linked as iocp_<name>.
 */
#ifndef IOCP_WS2TCPIP_H_
#define IOCP_WS2TCPIP_H_

#include "winsock2.h"

/* --- IPPROTO_IP options --- */

#define IP_OPTIONS 1
#define IP_HDRINCL 2
#define IP_TOS 3
#define IP_TTL 4
#define IP_MULTICAST_IF 9
#define IP_MULTICAST_TTL 10
#define IP_MULTICAST_LOOP 11
#define IP_ADD_MEMBERSHIP 12
#define IP_DROP_MEMBERSHIP 13
#define IP_DONTFRAGMENT 14
#define IP_PKTINFO 19
#define IP_UNICAST_IF 31
#define IP_MTU_DISCOVER 71
#define IP_MTU 73

/* --- IPPROTO_IPV6 options --- */

#define IPV6_HOPOPTS 1
#define IPV6_HDRINCL 2
#define IPV6_UNICAST_HOPS 4
#define IPV6_MULTICAST_IF 9
#define IPV6_MULTICAST_HOPS 10
#define IPV6_MULTICAST_LOOP 11
#define IPV6_ADD_MEMBERSHIP 12
#define IPV6_JOIN_GROUP IPV6_ADD_MEMBERSHIP
#define IPV6_DROP_MEMBERSHIP 13
#define IPV6_LEAVE_GROUP IPV6_DROP_MEMBERSHIP
#define IPV6_DONTFRAG 14
#define IPV6_PKTINFO 19
#define IPV6_HOPLIMIT 21
#define IPV6_PROTECTION_LEVEL 23
#define IPV6_RECVIF 24
#define IPV6_V6ONLY 27
#define IPV6_UNICAST_IF 31
#define IPV6_MTU_DISCOVER 71
#define IPV6_MTU 72

/* --- IPPROTO_TCP options (TCP_NODELAY is in winsock2.h) --- */

#define TCP_EXPEDITED_1122 0x0002
#define TCP_KEEPALIVE 3
#define TCP_MAXSEG 4
#define TCP_MAXRT 5
#define TCP_STDURG 6
#define TCP_NOURG 7
#define TCP_ATMARK 8
#define TCP_NOSYNRETRIES 9
#define TCP_TIMESTAMPS 10
#define TCP_CONGESTION_ALGORITHM 12
#define TCP_DELAY_FIN_ACK 13
#define TCP_MAXRTMS 14
#define TCP_FASTOPEN 15
#define TCP_KEEPCNT 16
#define TCP_KEEPIDLE TCP_KEEPALIVE
#define TCP_KEEPINTVL 17

/* --- IPPROTO_UDP options --- */

#define UDP_NOCHECKSUM 1
#define UDP_CHECKSUM_COVERAGE 20

/* Text forms, with room for a scope and port (Windows' sizes). */
#define INET_ADDRSTRLEN 22
#define INET6_ADDRSTRLEN 65

/* --- multicast requests --- */

typedef struct ip_mreq {
  IN_ADDR imr_multiaddr;
  IN_ADDR imr_interface;
} IP_MREQ, *PIP_MREQ;

typedef struct ipv6_mreq {
  IN6_ADDR ipv6mr_multiaddr;
  ULONG ipv6mr_interface;
} IPV6_MREQ, *PIPV6_MREQ;

typedef struct in_pktinfo {
  IN_ADDR ipi_addr;
  ULONG ipi_ifindex;
} IN_PKTINFO, *PIN_PKTINFO;

typedef struct in6_pktinfo {
  IN6_ADDR ipi6_addr;
  ULONG ipi6_ifindex;
} IN6_PKTINFO, *PIN6_PKTINFO;

/* --- getaddrinfo (the structure and the AI_/NI_ flags are in winsock2.h) --- */

typedef ADDRINFOA ADDRINFO, *LPADDRINFO;

/* The EAI_* codes are Winsock errors, as on Windows. */
#define EAI_AGAIN WSATRY_AGAIN
#define EAI_BADFLAGS WSAEINVAL
#define EAI_FAIL WSANO_RECOVERY
#define EAI_FAMILY WSAEAFNOSUPPORT
#define EAI_MEMORY WSA_NOT_ENOUGH_MEMORY
#define EAI_NOSECURENAME WSA_SECURE_HOST_NOT_FOUND
#define EAI_NONAME WSAHOST_NOT_FOUND
#define EAI_SERVICE WSATYPE_NOT_FOUND
#define EAI_SOCKTYPE WSAESOCKTNOSUPPORT
#define EAI_IPSECPOLICY WSA_IPSEC_NAME_POLICY_ERROR
#define EAI_NODATA EAI_NONAME

IOCP_STATIC_ASSERT(sizeof(IP_MREQ) == 8, iocp_ws_ip_mreq);
IOCP_STATIC_ASSERT(sizeof(IPV6_MREQ) == 20, iocp_ws_ipv6_mreq);
IOCP_STATIC_ASSERT(sizeof(socklen_t) == 4 && (socklen_t)-1 < 0, iocp_ws_socklen);

IOCP_EXTERN_C_BEGIN

INT WSAAPI getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA *pHints,
                       PADDRINFOA *ppResult) IOCP_WS_SYMBOL(getaddrinfo);
VOID WSAAPI freeaddrinfo(PADDRINFOA pAddrInfo) IOCP_WS_SYMBOL(freeaddrinfo);
INT WSAAPI getnameinfo(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PCHAR pNodeBuffer,
                       DWORD NodeBufferSize, PCHAR pServiceBuffer, DWORD ServiceBufferSize,
                       INT Flags) IOCP_WS_SYMBOL(getnameinfo);
#define GetAddrInfoA getaddrinfo
#define FreeAddrInfoA freeaddrinfo
#define GetNameInfoA getnameinfo

INT WSAAPI inet_pton(INT Family, PCSTR pszAddrString, PVOID pAddrBuf) IOCP_WS_SYMBOL(inet_pton);
PCSTR WSAAPI inet_ntop(INT Family, const VOID *pAddr, PSTR pStringBuf, size_t StringBufSize)
    IOCP_WS_SYMBOL(inet_ntop);
#define InetPtonA inet_pton
#define InetNtopA inet_ntop

/* An inline function with a static buffer on Windows; a library function
 * here, so that the header defines no object. */
char *WSAAPI gai_strerrorA(int ecode);
#define gai_strerror gai_strerrorA

IOCP_EXTERN_C_END

#endif /* IOCP_WS2TCPIP_H_ */
