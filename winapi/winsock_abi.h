// Windows' Winsock ABI as plain C++: the constants and structure layouts the
// implementation reads and writes at the boundary.
//
// Why a mirror: the implementation files need Linux's <sys/socket.h> (for the
// kernel's values) and a translation unit cannot include it together with
// winsock2.h, whose names and values clash on purpose. This header includes
// nothing from either world, so `winsock_abi_test.cc` includes it next to
// winsock2.h/ws2tcpip.h/mswsock.h and asserts that every value and layout
// here equals the public header's. A drift fails the build of that test.
#ifndef IOCP_WINAPI_WINSOCK_ABI_H_
#define IOCP_WINAPI_WINSOCK_ABI_H_

#include <stddef.h>
#include <stdint.h>

namespace winapi::wsabi {

using Socket = uintptr_t;
inline constexpr Socket kInvalidSocket = ~Socket{0};
inline constexpr int kSocketError = -1;

// Families, types, protocols, levels.
inline constexpr int kAfUnspec = 0;
inline constexpr int kAfInet = 2;
inline constexpr int kAfInet6 = 23;
inline constexpr int kSockStream = 1;
inline constexpr int kSockDgram = 2;
inline constexpr int kSockRaw = 3;
inline constexpr int kSockSeqpacket = 5;
inline constexpr int kIpprotoIp = 0;
inline constexpr int kIpprotoIcmp = 1;
inline constexpr int kIpprotoTcp = 6;
inline constexpr int kIpprotoUdp = 17;
inline constexpr int kIpprotoIpv6 = 41;
inline constexpr int kSolSocket = 0xffff;

// SOL_SOCKET options.
inline constexpr int kSoDebug = 0x0001;
inline constexpr int kSoAcceptConn = 0x0002;
inline constexpr int kSoReuseAddr = 0x0004;
inline constexpr int kSoKeepAlive = 0x0008;
inline constexpr int kSoDontRoute = 0x0010;
inline constexpr int kSoBroadcast = 0x0020;
inline constexpr int kSoLinger = 0x0080;
inline constexpr int kSoOobInline = 0x0100;
inline constexpr int kSoDontLinger = ~kSoLinger;
inline constexpr int kSoExclusiveAddrUse = ~kSoReuseAddr;
inline constexpr int kSoSndBuf = 0x1001;
inline constexpr int kSoRcvBuf = 0x1002;
inline constexpr int kSoSndLowat = 0x1003;
inline constexpr int kSoRcvLowat = 0x1004;
inline constexpr int kSoSndTimeo = 0x1005;
inline constexpr int kSoRcvTimeo = 0x1006;
inline constexpr int kSoError = 0x1007;
inline constexpr int kSoType = 0x1008;
inline constexpr int kSoMaxMsgSize = 0x2003;
inline constexpr int kSoProtocolInfoA = 0x2004;
inline constexpr int kSoConditionalAccept = 0x3002;
inline constexpr int kSoPortScalability = 0x3006;
inline constexpr int kSoUpdateAcceptContext = 0x700B;
inline constexpr int kSoConnectTime = 0x700C;
inline constexpr int kSoUpdateConnectContext = 0x7010;
inline constexpr int kSoOpenType = 0x7008;

// IPPROTO_TCP options.
inline constexpr int kTcpNoDelay = 0x0001;
inline constexpr int kTcpKeepAlive = 3;  // TCP_KEEPIDLE
inline constexpr int kTcpMaxSeg = 4;
inline constexpr int kTcpKeepCnt = 16;
inline constexpr int kTcpKeepIntvl = 17;
inline constexpr int kTcpFastOpen = 15;
// IPPROTO_IP options.
inline constexpr int kIpTos = 3;
inline constexpr int kIpTtl = 4;
inline constexpr int kIpMulticastIf = 9;
inline constexpr int kIpMulticastTtl = 10;
inline constexpr int kIpMulticastLoop = 11;
inline constexpr int kIpAddMembership = 12;
inline constexpr int kIpDropMembership = 13;
inline constexpr int kIpPktInfo = 19;
// IPPROTO_IPV6 options.
inline constexpr int kIpv6UnicastHops = 4;
inline constexpr int kIpv6MulticastIf = 9;
inline constexpr int kIpv6MulticastHops = 10;
inline constexpr int kIpv6MulticastLoop = 11;
inline constexpr int kIpv6AddMembership = 12;
inline constexpr int kIpv6DropMembership = 13;
inline constexpr int kIpv6V6Only = 27;

// send/recv flags.
inline constexpr int kMsgOob = 0x1;
inline constexpr int kMsgPeek = 0x2;
inline constexpr int kMsgDontRoute = 0x4;
inline constexpr int kMsgWaitAll = 0x8;
inline constexpr int kMsgPushImmediate = 0x20;
inline constexpr int kMsgTrunc = 0x0100;
inline constexpr int kMsgCtrunc = 0x0200;
inline constexpr int kMsgPartial = 0x8000;

// shutdown.
inline constexpr int kSdReceive = 0;
inline constexpr int kSdSend = 1;
inline constexpr int kSdBoth = 2;

// ioctlsocket / WSAIoctl codes.
inline constexpr uint32_t kFionRead = 0x4004667F;
inline constexpr uint32_t kFionBio = 0x8004667E;
inline constexpr uint32_t kSiocAtMark = 0x40047307;
inline constexpr uint32_t kSioGetExtensionFunctionPointer = 0xC8000006;
inline constexpr uint32_t kSioKeepaliveVals = 0x98000004;
inline constexpr uint32_t kSioUdpConnReset = 0x9800000C;

inline constexpr uint32_t kWsaFlagOverlapped = 0x01;
inline constexpr int kSomaxconn = 0x7fffffff;

// TransmitFile / DisconnectEx flags.
inline constexpr uint32_t kTfDisconnect = 0x01;
inline constexpr uint32_t kTfReuseSocket = 0x02;

// WSAPoll events (Windows' values).
inline constexpr int16_t kPollRdNorm = 0x0100;
inline constexpr int16_t kPollRdBand = 0x0200;
inline constexpr int16_t kPollIn = kPollRdNorm | kPollRdBand;
inline constexpr int16_t kPollPri = 0x0400;
inline constexpr int16_t kPollWrNorm = 0x0010;
inline constexpr int16_t kPollOut = kPollWrNorm;
inline constexpr int16_t kPollWrBand = 0x0020;
inline constexpr int16_t kPollErr = 0x0001;
inline constexpr int16_t kPollHup = 0x0002;
inline constexpr int16_t kPollNval = 0x0004;

// WSAEventSelect network events (bit numbers index iErrorCode).
inline constexpr int kFdReadBit = 0;
inline constexpr int kFdWriteBit = 1;
inline constexpr int kFdOobBit = 2;
inline constexpr int kFdAcceptBit = 3;
inline constexpr int kFdConnectBit = 4;
inline constexpr int kFdCloseBit = 5;
inline constexpr int kFdMaxEvents = 10;
inline constexpr int32_t kFdAllEvents = (1 << kFdMaxEvents) - 1;

// Winsock errors.
inline constexpr uint32_t kWsaInvalidHandle = 6;
inline constexpr uint32_t kWsaNotEnoughMemory = 8;
inline constexpr uint32_t kWsaInvalidParameter = 87;
inline constexpr uint32_t kWsaOperationAborted = 995;
inline constexpr uint32_t kWsaIoIncomplete = 996;
inline constexpr uint32_t kWsaIoPending = 997;
inline constexpr uint32_t kWsaEintr = 10004;
inline constexpr uint32_t kWsaEbadf = 10009;
inline constexpr uint32_t kWsaEacces = 10013;
inline constexpr uint32_t kWsaEfault = 10014;
inline constexpr uint32_t kWsaEinval = 10022;
inline constexpr uint32_t kWsaEmfile = 10024;
inline constexpr uint32_t kWsaEwouldblock = 10035;
inline constexpr uint32_t kWsaEinprogress = 10036;
inline constexpr uint32_t kWsaEalready = 10037;
inline constexpr uint32_t kWsaEnotsock = 10038;
inline constexpr uint32_t kWsaEdestaddrreq = 10039;
inline constexpr uint32_t kWsaEmsgsize = 10040;
inline constexpr uint32_t kWsaEprototype = 10041;
inline constexpr uint32_t kWsaEnoprotoopt = 10042;
inline constexpr uint32_t kWsaEprotonosupport = 10043;
inline constexpr uint32_t kWsaEsocktnosupport = 10044;
inline constexpr uint32_t kWsaEopnotsupp = 10045;
inline constexpr uint32_t kWsaEafnosupport = 10047;
inline constexpr uint32_t kWsaEaddrinuse = 10048;
inline constexpr uint32_t kWsaEaddrnotavail = 10049;
inline constexpr uint32_t kWsaEconnaborted = 10053;
inline constexpr uint32_t kWsaEconnreset = 10054;
inline constexpr uint32_t kWsaEnobufs = 10055;
inline constexpr uint32_t kWsaEisconn = 10056;
inline constexpr uint32_t kWsaEnotconn = 10057;
inline constexpr uint32_t kWsaEshutdown = 10058;
inline constexpr uint32_t kWsaEtimedout = 10060;
inline constexpr uint32_t kWsaEconnrefused = 10061;
inline constexpr uint32_t kWsaVerNotSupported = 10092;
inline constexpr uint32_t kWsaNotInitialised = 10093;
inline constexpr uint32_t kWsaTypeNotFound = 10109;
inline constexpr uint32_t kWsaHostNotFound = 11001;
inline constexpr uint32_t kWsaTryAgain = 11002;
inline constexpr uint32_t kWsaNoRecovery = 11003;
inline constexpr uint32_t kWsaNoData = 11004;

// Structures (x64 layouts).
struct WsaBuf {
  uint32_t len;
  char* buf;
};

struct WsaMsg {
  void* name;
  int32_t namelen;
  WsaBuf* buffers;
  uint32_t buffer_count;
  WsaBuf control;
  uint32_t flags;
};

struct WsaData {
  uint16_t version;
  uint16_t high_version;
  uint16_t max_sockets;
  uint16_t max_udp_dg;
  char* vendor_info;
  char description[257];
  char system_status[129];
};

struct Linger {
  uint16_t onoff;
  uint16_t linger;
};

struct TimeVal {
  int32_t tv_sec;
  int32_t tv_usec;
};

// fd_set: a count, then FD_SETSIZE SOCKETs (FD_SETSIZE is the program's).
struct FdSetHeader {
  uint32_t count;
  uint32_t padding;
  Socket sockets[1];
};
inline constexpr size_t kFdSetArrayOffset = 8;

struct PollFd {
  Socket fd;
  int16_t events;
  int16_t revents;
};

struct NetworkEvents {
  int32_t events;
  int32_t error_codes[kFdMaxEvents];
};

struct TcpKeepalive {
  uint32_t onoff;
  uint32_t keepalive_time;      // ms
  uint32_t keepalive_interval;  // ms
};

struct TransmitFileBuffers {
  void* head;
  uint32_t head_length;
  void* tail;
  uint32_t tail_length;
};

struct Guid {
  uint32_t data1;
  uint16_t data2;
  uint16_t data3;
  uint8_t data4[8];
};

inline bool operator==(const Guid& a, const Guid& b) {
  if (a.data1 != b.data1 || a.data2 != b.data2 || a.data3 != b.data3) return false;
  for (int i = 0; i < 8; ++i) {
    if (a.data4[i] != b.data4[i]) return false;
  }
  return true;
}

inline constexpr Guid kGuidAcceptEx = {
    0xb5367df1, 0xcbac, 0x11cf, {0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}};
inline constexpr Guid kGuidGetAcceptExSockaddrs = {
    0xb5367df2, 0xcbac, 0x11cf, {0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}};
inline constexpr Guid kGuidTransmitFile = {
    0xb5367df0, 0xcbac, 0x11cf, {0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}};
inline constexpr Guid kGuidConnectEx = {
    0x25a207b9, 0xddf3, 0x4660, {0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e}};
inline constexpr Guid kGuidDisconnectEx = {
    0x7fda2e11, 0x8630, 0x436f, {0xa0, 0x31, 0xf5, 0x36, 0xa6, 0xee, 0xc1, 0x57}};
inline constexpr Guid kGuidWsaRecvMsg = {
    0xf689d7c8, 0x6f1f, 0x436b, {0x8a, 0x53, 0xe5, 0x4f, 0xe3, 0x51, 0xc3, 0x22}};
inline constexpr Guid kGuidWsaSendMsg = {
    0xa441e712, 0x754f, 0x43ca, {0x84, 0xa7, 0x0d, 0xee, 0x44, 0xcf, 0x60, 0x6d}};

// OVERLAPPED (WSAOVERLAPPED), 32 bytes.
struct Overlapped {
  uintptr_t internal;
  uintptr_t internal_high;
  uint32_t offset;
  uint32_t offset_high;
  void* event;
};

// LPWSAOVERLAPPED_COMPLETION_ROUTINE.
using CompletionRoutine = void (*)(uint32_t error, uint32_t transferred, Overlapped* overlapped,
                                   uint32_t flags);

}  // namespace winapi::wsabi

#endif  // IOCP_WINAPI_WINSOCK_ABI_H_
