// The implementation's mirror of Windows' Winsock ABI (winsock_abi.h) must
// equal the public headers', value for value and offset for offset: the
// implementation files cannot include winsock2.h next to Linux's socket
// headers, so this is where the two meet. Everything here is checked at
// compile time; the test body only records that it built.
#include "winapi/winsock_abi.h"

#include <mstcpip.h>
#include <mswsock.h>
#include <stddef.h>
#include <string.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include "gtest/gtest.h"

namespace mirror = ::winapi::wsabi;

#define SAME(a, b) static_assert(static_cast<long long>(a) == static_cast<long long>(b), #a)

SAME(mirror::kInvalidSocket, INVALID_SOCKET);
SAME(mirror::kSocketError, SOCKET_ERROR);
SAME(mirror::kAfUnspec, AF_UNSPEC);
SAME(mirror::kAfInet, AF_INET);
SAME(mirror::kAfInet6, AF_INET6);
SAME(mirror::kSockStream, SOCK_STREAM);
SAME(mirror::kSockDgram, SOCK_DGRAM);
SAME(mirror::kSockRaw, SOCK_RAW);
SAME(mirror::kSockSeqpacket, SOCK_SEQPACKET);
SAME(mirror::kIpprotoIp, IPPROTO_IP);
SAME(mirror::kIpprotoIcmp, IPPROTO_ICMP);
SAME(mirror::kIpprotoTcp, IPPROTO_TCP);
SAME(mirror::kIpprotoUdp, IPPROTO_UDP);
SAME(mirror::kIpprotoIpv6, IPPROTO_IPV6);
SAME(mirror::kSolSocket, SOL_SOCKET);
SAME(mirror::kSoDebug, SO_DEBUG);
SAME(mirror::kSoAcceptConn, SO_ACCEPTCONN);
SAME(mirror::kSoReuseAddr, SO_REUSEADDR);
SAME(mirror::kSoKeepAlive, SO_KEEPALIVE);
SAME(mirror::kSoDontRoute, SO_DONTROUTE);
SAME(mirror::kSoBroadcast, SO_BROADCAST);
SAME(mirror::kSoLinger, SO_LINGER);
SAME(mirror::kSoOobInline, SO_OOBINLINE);
SAME(mirror::kSoDontLinger, SO_DONTLINGER);
SAME(mirror::kSoExclusiveAddrUse, SO_EXCLUSIVEADDRUSE);
SAME(mirror::kSoSndBuf, SO_SNDBUF);
SAME(mirror::kSoRcvBuf, SO_RCVBUF);
SAME(mirror::kSoSndLowat, SO_SNDLOWAT);
SAME(mirror::kSoRcvLowat, SO_RCVLOWAT);
SAME(mirror::kSoSndTimeo, SO_SNDTIMEO);
SAME(mirror::kSoRcvTimeo, SO_RCVTIMEO);
SAME(mirror::kSoError, SO_ERROR);
SAME(mirror::kSoType, SO_TYPE);
SAME(mirror::kSoMaxMsgSize, SO_MAX_MSG_SIZE);
SAME(mirror::kSoProtocolInfoA, SO_PROTOCOL_INFOA);
SAME(mirror::kSoConditionalAccept, SO_CONDITIONAL_ACCEPT);
SAME(mirror::kSoPortScalability, SO_PORT_SCALABILITY);
SAME(mirror::kSoUpdateAcceptContext, SO_UPDATE_ACCEPT_CONTEXT);
SAME(mirror::kSoConnectTime, SO_CONNECT_TIME);
SAME(mirror::kSoUpdateConnectContext, SO_UPDATE_CONNECT_CONTEXT);
SAME(mirror::kSoOpenType, SO_OPENTYPE);
SAME(mirror::kTcpNoDelay, TCP_NODELAY);
SAME(mirror::kTcpKeepAlive, TCP_KEEPALIVE);
SAME(mirror::kTcpMaxSeg, TCP_MAXSEG);
SAME(mirror::kTcpKeepCnt, TCP_KEEPCNT);
SAME(mirror::kTcpKeepIntvl, TCP_KEEPINTVL);
SAME(mirror::kTcpFastOpen, TCP_FASTOPEN);
SAME(mirror::kIpTos, IP_TOS);
SAME(mirror::kIpTtl, IP_TTL);
SAME(mirror::kIpMulticastIf, IP_MULTICAST_IF);
SAME(mirror::kIpMulticastTtl, IP_MULTICAST_TTL);
SAME(mirror::kIpMulticastLoop, IP_MULTICAST_LOOP);
SAME(mirror::kIpAddMembership, IP_ADD_MEMBERSHIP);
SAME(mirror::kIpDropMembership, IP_DROP_MEMBERSHIP);
SAME(mirror::kIpPktInfo, IP_PKTINFO);
SAME(mirror::kIpv6UnicastHops, IPV6_UNICAST_HOPS);
SAME(mirror::kIpv6MulticastIf, IPV6_MULTICAST_IF);
SAME(mirror::kIpv6MulticastHops, IPV6_MULTICAST_HOPS);
SAME(mirror::kIpv6MulticastLoop, IPV6_MULTICAST_LOOP);
SAME(mirror::kIpv6AddMembership, IPV6_ADD_MEMBERSHIP);
SAME(mirror::kIpv6DropMembership, IPV6_DROP_MEMBERSHIP);
SAME(mirror::kIpv6V6Only, IPV6_V6ONLY);
SAME(mirror::kMsgOob, MSG_OOB);
SAME(mirror::kMsgPeek, MSG_PEEK);
SAME(mirror::kMsgDontRoute, MSG_DONTROUTE);
SAME(mirror::kMsgWaitAll, MSG_WAITALL);
SAME(mirror::kMsgPushImmediate, MSG_PUSH_IMMEDIATE);
SAME(mirror::kMsgTrunc, MSG_TRUNC);
SAME(mirror::kMsgCtrunc, MSG_CTRUNC);
SAME(mirror::kMsgPartial, MSG_PARTIAL);
SAME(mirror::kSdReceive, SD_RECEIVE);
SAME(mirror::kSdSend, SD_SEND);
SAME(mirror::kSdBoth, SD_BOTH);
SAME(mirror::kFionRead, FIONREAD);
SAME(mirror::kFionBio, FIONBIO);
SAME(mirror::kSiocAtMark, SIOCATMARK);
SAME(mirror::kSioGetExtensionFunctionPointer, SIO_GET_EXTENSION_FUNCTION_POINTER);
SAME(mirror::kSioKeepaliveVals, SIO_KEEPALIVE_VALS);
SAME(mirror::kSioUdpConnReset, SIO_UDP_CONNRESET);
SAME(mirror::kWsaFlagOverlapped, WSA_FLAG_OVERLAPPED);
SAME(mirror::kSomaxconn, SOMAXCONN);
SAME(mirror::kTfDisconnect, TF_DISCONNECT);
SAME(mirror::kTfReuseSocket, TF_REUSE_SOCKET);
SAME(mirror::kPollRdNorm, POLLRDNORM);
SAME(mirror::kPollRdBand, POLLRDBAND);
SAME(mirror::kPollIn, POLLIN);
SAME(mirror::kPollPri, POLLPRI);
SAME(mirror::kPollWrNorm, POLLWRNORM);
SAME(mirror::kPollOut, POLLOUT);
SAME(mirror::kPollWrBand, POLLWRBAND);
SAME(mirror::kPollErr, POLLERR);
SAME(mirror::kPollHup, POLLHUP);
SAME(mirror::kPollNval, POLLNVAL);
SAME(mirror::kFdReadBit, FD_READ_BIT);
SAME(mirror::kFdWriteBit, FD_WRITE_BIT);
SAME(mirror::kFdOobBit, FD_OOB_BIT);
SAME(mirror::kFdAcceptBit, FD_ACCEPT_BIT);
SAME(mirror::kFdConnectBit, FD_CONNECT_BIT);
SAME(mirror::kFdCloseBit, FD_CLOSE_BIT);
SAME(mirror::kFdMaxEvents, FD_MAX_EVENTS);
SAME(mirror::kFdAllEvents, FD_ALL_EVENTS);
SAME(mirror::kWsaInvalidHandle, WSA_INVALID_HANDLE);
SAME(mirror::kWsaNotEnoughMemory, WSA_NOT_ENOUGH_MEMORY);
SAME(mirror::kWsaInvalidParameter, WSA_INVALID_PARAMETER);
SAME(mirror::kWsaOperationAborted, WSA_OPERATION_ABORTED);
SAME(mirror::kWsaIoIncomplete, WSA_IO_INCOMPLETE);
SAME(mirror::kWsaIoPending, WSA_IO_PENDING);
SAME(mirror::kWsaEintr, WSAEINTR);
SAME(mirror::kWsaEbadf, WSAEBADF);
SAME(mirror::kWsaEacces, WSAEACCES);
SAME(mirror::kWsaEfault, WSAEFAULT);
SAME(mirror::kWsaEinval, WSAEINVAL);
SAME(mirror::kWsaEmfile, WSAEMFILE);
SAME(mirror::kWsaEwouldblock, WSAEWOULDBLOCK);
SAME(mirror::kWsaEinprogress, WSAEINPROGRESS);
SAME(mirror::kWsaEalready, WSAEALREADY);
SAME(mirror::kWsaEnotsock, WSAENOTSOCK);
SAME(mirror::kWsaEdestaddrreq, WSAEDESTADDRREQ);
SAME(mirror::kWsaEmsgsize, WSAEMSGSIZE);
SAME(mirror::kWsaEprototype, WSAEPROTOTYPE);
SAME(mirror::kWsaEnoprotoopt, WSAENOPROTOOPT);
SAME(mirror::kWsaEprotonosupport, WSAEPROTONOSUPPORT);
SAME(mirror::kWsaEsocktnosupport, WSAESOCKTNOSUPPORT);
SAME(mirror::kWsaEopnotsupp, WSAEOPNOTSUPP);
SAME(mirror::kWsaEafnosupport, WSAEAFNOSUPPORT);
SAME(mirror::kWsaEaddrinuse, WSAEADDRINUSE);
SAME(mirror::kWsaEaddrnotavail, WSAEADDRNOTAVAIL);
SAME(mirror::kWsaEconnaborted, WSAECONNABORTED);
SAME(mirror::kWsaEconnreset, WSAECONNRESET);
SAME(mirror::kWsaEnobufs, WSAENOBUFS);
SAME(mirror::kWsaEisconn, WSAEISCONN);
SAME(mirror::kWsaEnotconn, WSAENOTCONN);
SAME(mirror::kWsaEshutdown, WSAESHUTDOWN);
SAME(mirror::kWsaEtimedout, WSAETIMEDOUT);
SAME(mirror::kWsaEconnrefused, WSAECONNREFUSED);
SAME(mirror::kWsaVerNotSupported, WSAVERNOTSUPPORTED);
SAME(mirror::kWsaNotInitialised, WSANOTINITIALISED);
SAME(mirror::kWsaTypeNotFound, WSATYPE_NOT_FOUND);
SAME(mirror::kWsaHostNotFound, WSAHOST_NOT_FOUND);
SAME(mirror::kWsaTryAgain, WSATRY_AGAIN);
SAME(mirror::kWsaNoRecovery, WSANO_RECOVERY);
SAME(mirror::kWsaNoData, WSANO_DATA);

// Layouts.
#define LAYOUT(ours, windows)                                               \
  static_assert(sizeof(mirror::ours) == sizeof(windows), #windows " size"); \
  static_assert(alignof(mirror::ours) == alignof(windows), #windows " alignment")
#define FIELD(ours, a, windows, b) \
  static_assert(offsetof(mirror::ours, a) == offsetof(windows, b), #windows "." #b)

LAYOUT(WsaBuf, WSABUF);
FIELD(WsaBuf, len, WSABUF, len);
FIELD(WsaBuf, buf, WSABUF, buf);
LAYOUT(WsaMsg, WSAMSG);
FIELD(WsaMsg, name, WSAMSG, name);
FIELD(WsaMsg, namelen, WSAMSG, namelen);
FIELD(WsaMsg, buffers, WSAMSG, lpBuffers);
FIELD(WsaMsg, buffer_count, WSAMSG, dwBufferCount);
FIELD(WsaMsg, control, WSAMSG, Control);
FIELD(WsaMsg, flags, WSAMSG, dwFlags);
LAYOUT(WsaData, WSADATA);
FIELD(WsaData, version, WSADATA, wVersion);
FIELD(WsaData, high_version, WSADATA, wHighVersion);
FIELD(WsaData, vendor_info, WSADATA, lpVendorInfo);
FIELD(WsaData, description, WSADATA, szDescription);
FIELD(WsaData, system_status, WSADATA, szSystemStatus);
LAYOUT(Linger, LINGER);
FIELD(Linger, onoff, LINGER, l_onoff);
FIELD(Linger, linger, LINGER, l_linger);
LAYOUT(TimeVal, TIMEVAL);
FIELD(TimeVal, tv_sec, TIMEVAL, tv_sec);
FIELD(TimeVal, tv_usec, TIMEVAL, tv_usec);
static_assert(offsetof(fd_set, fd_count) == 0, "fd_set.fd_count");
static_assert(offsetof(fd_set, fd_array) == mirror::kFdSetArrayOffset, "fd_set.fd_array");
LAYOUT(PollFd, WSAPOLLFD);
FIELD(PollFd, fd, WSAPOLLFD, fd);
FIELD(PollFd, events, WSAPOLLFD, events);
FIELD(PollFd, revents, WSAPOLLFD, revents);
LAYOUT(NetworkEvents, WSANETWORKEVENTS);
FIELD(NetworkEvents, events, WSANETWORKEVENTS, lNetworkEvents);
FIELD(NetworkEvents, error_codes, WSANETWORKEVENTS, iErrorCode);
LAYOUT(TcpKeepalive, struct tcp_keepalive);
FIELD(TcpKeepalive, onoff, struct tcp_keepalive, onoff);
FIELD(TcpKeepalive, keepalive_time, struct tcp_keepalive, keepalivetime);
FIELD(TcpKeepalive, keepalive_interval, struct tcp_keepalive, keepaliveinterval);
LAYOUT(TransmitFileBuffers, TRANSMIT_FILE_BUFFERS);
FIELD(TransmitFileBuffers, head, TRANSMIT_FILE_BUFFERS, Head);
FIELD(TransmitFileBuffers, head_length, TRANSMIT_FILE_BUFFERS, HeadLength);
FIELD(TransmitFileBuffers, tail, TRANSMIT_FILE_BUFFERS, Tail);
FIELD(TransmitFileBuffers, tail_length, TRANSMIT_FILE_BUFFERS, TailLength);
LAYOUT(Guid, GUID);
LAYOUT(Overlapped, WSAOVERLAPPED);
FIELD(Overlapped, internal, WSAOVERLAPPED, Internal);
FIELD(Overlapped, internal_high, WSAOVERLAPPED, InternalHigh);
FIELD(Overlapped, offset, WSAOVERLAPPED, Offset);
FIELD(Overlapped, offset_high, WSAOVERLAPPED, OffsetHigh);
FIELD(Overlapped, event, WSAOVERLAPPED, hEvent);
static_assert(sizeof(mirror::Socket) == sizeof(SOCKET), "SOCKET");

namespace {

bool SameGuid(const mirror::Guid& mirror, const GUID& windows) {
  return memcmp(&mirror, &windows, sizeof(GUID)) == 0;
}

TEST(WinsockAbi, ExtensionGuidsMatchTheHeaders) {
  const GUID accept_ex = WSAID_ACCEPTEX, sockaddrs = WSAID_GETACCEPTEXSOCKADDRS,
             transmit = WSAID_TRANSMITFILE, connect_ex = WSAID_CONNECTEX,
             disconnect_ex = WSAID_DISCONNECTEX, recv_msg = WSAID_WSARECVMSG,
             send_msg = WSAID_WSASENDMSG;
  EXPECT_TRUE(SameGuid(mirror::kGuidAcceptEx, accept_ex));
  EXPECT_TRUE(SameGuid(mirror::kGuidGetAcceptExSockaddrs, sockaddrs));
  EXPECT_TRUE(SameGuid(mirror::kGuidTransmitFile, transmit));
  EXPECT_TRUE(SameGuid(mirror::kGuidConnectEx, connect_ex));
  EXPECT_TRUE(SameGuid(mirror::kGuidDisconnectEx, disconnect_ex));
  EXPECT_TRUE(SameGuid(mirror::kGuidWsaRecvMsg, recv_msg));
  EXPECT_TRUE(SameGuid(mirror::kGuidWsaSendMsg, send_msg));
  EXPECT_FALSE(SameGuid(mirror::kGuidAcceptEx, connect_ex));
}

// The exported functions' types, as the headers declare them, are the ones
// the library defines: a function pointer of the header's type can be
// formed from each (a link-level check that every one exists).
TEST(WinsockAbi, EveryDeclaredOverlappedCallIsDefined) {
  LPFN_ACCEPTEX accept_ex = &AcceptEx;
  LPFN_GETACCEPTEXSOCKADDRS sockaddrs = &GetAcceptExSockaddrs;
  int(WSAAPI * recv_fn)(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, LPWSAOVERLAPPED,
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE) = &WSARecv;
  int(WSAAPI * send_fn)(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, LPWSAOVERLAPPED,
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE) = &WSASend;
  EXPECT_NE(reinterpret_cast<void*>(accept_ex), nullptr);
  EXPECT_NE(reinterpret_cast<void*>(sockaddrs), nullptr);
  EXPECT_NE(reinterpret_cast<void*>(recv_fn), nullptr);
  EXPECT_NE(reinterpret_cast<void*>(send_fn), nullptr);
  EXPECT_NE(reinterpret_cast<void*>(&WSARecvFrom), nullptr);
  EXPECT_NE(reinterpret_cast<void*>(&WSASendTo), nullptr);
  EXPECT_NE(reinterpret_cast<void*>(&WSAIoctl), nullptr);
  EXPECT_NE(reinterpret_cast<void*>(&WSAGetOverlappedResult), nullptr);
  EXPECT_NE(reinterpret_cast<void*>(&WSAPoll), nullptr);
  EXPECT_NE(reinterpret_cast<void*>(&closesocket), nullptr);
  EXPECT_NE(reinterpret_cast<void*>(&ioctlsocket), nullptr);
}

}  // namespace
