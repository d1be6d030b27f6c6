/* Compiled by headers_compile_test.sh in every C mode (C99, C11) with gcc and
 * clang, -Wall -Wextra -Werror -pedantic: the headers must be warning-free,
 * coexist with the standard C headers (before or after them), lay the
 * structures out as Windows x64 does, and define no objects. */

#ifdef IOCP_STD_FIRST
#include "std_headers.h"
#endif

#ifdef IOCP_CASE_VARIANTS
#include <Windows.h>
#include <WinBase.h>
#include <WinError.h>
#include <WinSock2.h>
#include <Winsock2.h>
#include <WS2tcpip.h>
#include <Ws2tcpip.h>
#include <MSWSock.h>
#include <Mswsock.h>
#include <MSTcpIP.h>
#else
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>
#include <windows.h>
#endif

#ifndef IOCP_STD_FIRST
#include "std_headers.h"
#endif

#include <process.h>

#include "layout_checks.h"

typedef struct Connection {
  int id;
  OVERLAPPED overlapped;
  char buffer[64];
} Connection;

static DWORD WINAPI Worker(LPVOID param) {
  HANDLE port = (HANDLE)param;
  DWORD bytes = 0;
  ULONG_PTR key = 0;
  LPOVERLAPPED ov = NULL;
  OVERLAPPED_ENTRY entries[16];
  ULONG removed = 0;
  for (;;) {
    if (!GetQueuedCompletionStatus(port, &bytes, &key, &ov, INFINITE)) {
      DWORD error = GetLastError();
      if (error == WAIT_TIMEOUT || error == ERROR_OPERATION_ABORTED) break;
      if (ov == NULL) return error;
    }
    if (key == 0) break;
    {
      Connection *c = CONTAINING_RECORD(ov, Connection, overlapped);
      c->buffer[0] = (char)bytes;
    }
  }
  if (GetQueuedCompletionStatusEx(port, entries, (ULONG)ARRAYSIZE(entries), &removed, 0, FALSE)) {
    return removed;
  }
  return 0;
}

/* Typical Winsock code: an overlapped server's setup and a select loop. */
static int UseWinsock(HANDLE port) {
  WSADATA wsa;
  SOCKET s;
  SOCKET accepted;
  struct sockaddr_in a;
  struct sockaddr_in6 a6;
  SOCKADDR_STORAGE ss;
  struct addrinfo hints;
  struct addrinfo *result = NULL;
  fd_set set;
  struct timeval tv;
  u_long mode = 1;
  GUID g = WSAID_ACCEPTEX;
  GUID g2 = WSAID_CONNECTEX;
  LPFN_ACCEPTEX acceptex = NULL;
  LPFN_CONNECTEX connectex = NULL;
  LPFN_GETACCEPTEXSOCKADDRS sockaddrs = NULL;
  LPFN_DISCONNECTEX disconnectex = NULL;
  LPFN_TRANSMITFILE transmitfile = NULL;
  LPFN_WSARECVMSG recvmsg_fn = NULL;
  LPFN_WSASENDMSG sendmsg_fn = NULL;
  WSABUF b;
  WSAOVERLAPPED ov;
  WSAPOLLFD pfd;
  WSANETWORKEVENTS ne;
  WSAEVENT ev;
  struct linger lg;
  struct tcp_keepalive ka;
  TRANSMIT_FILE_BUFFERS tfb;
  DWORD bytes = 0;
  DWORD flags = 0;
  int len = (int)sizeof(ss);
  BOOL on = TRUE;
  char buf[INET6_ADDRSTRLEN];
  char host[NI_MAXHOST];
  int rc = 0;

  if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return 1;
  s = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  if (s == INVALID_SOCKET) return WSAGetLastError();
  accepted = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  ZeroMemory(&a, sizeof(a));
  ZeroMemory(&a6, sizeof(a6));
  ZeroMemory(&hints, sizeof(hints));
  ZeroMemory(&ov, sizeof(ov));
  a.sin_family = AF_INET;
  a.sin_port = htons(8080);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a6.sin6_family = AF_INET6;
  a6.sin6_scope_id = 0;
  a6.sin6_addr.s6_addr[15] = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (const char *)&on, sizeof(on));
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&on, sizeof(on));
  setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&on, sizeof(on));
  lg.l_onoff = 1;
  lg.l_linger = 0;
  setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof(lg));
  if (bind(s, (struct sockaddr *)&a, sizeof(a)) == SOCKET_ERROR) rc |= 2;
  if (listen(s, SOMAXCONN) == SOCKET_ERROR) rc |= 4;
  ioctlsocket(s, FIONBIO, &mode);
  CreateIoCompletionPort((HANDLE)s, port, (ULONG_PTR)s, 0);
  WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof(g), &acceptex, sizeof(acceptex),
           &bytes, NULL, NULL);
  WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g2, sizeof(g2), &connectex,
           sizeof(connectex), &bytes, NULL, NULL);
  ka.onoff = 1;
  ka.keepalivetime = 1000;
  ka.keepaliveinterval = 100;
  WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &bytes, NULL, NULL);
  if (!AcceptEx(s, accepted, buf, 0, sizeof(a) + 16, sizeof(a) + 16, &bytes, &ov) &&
      WSAGetLastError() != WSA_IO_PENDING)
    rc |= 8;
  setsockopt(accepted, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&s, sizeof(s));
  b.len = sizeof(buf);
  b.buf = buf;
  if (WSARecv(accepted, &b, 1, &bytes, &flags, &ov, NULL) == SOCKET_ERROR &&
      WSAGetLastError() != WSA_IO_PENDING)
    rc |= 16;
  WSASend(accepted, &b, 1, &bytes, 0, &ov, NULL);
  WSAGetOverlappedResult(accepted, &ov, &bytes, FALSE, &flags);
  send(accepted, buf, 1, 0);
  recv(accepted, buf, (int)sizeof(buf), MSG_PEEK);
  sendto(accepted, buf, 1, 0, (struct sockaddr *)&a, sizeof(a));
  recvfrom(accepted, buf, 1, 0, (struct sockaddr *)&ss, &len);
  getsockname(accepted, (struct sockaddr *)&ss, &len);
  getpeername(accepted, (struct sockaddr *)&ss, &len);
  FD_ZERO(&set);
  FD_SET(s, &set);
  FD_SET(accepted, &set);
  FD_CLR(accepted, &set);
  tv.tv_sec = 1;
  tv.tv_usec = 0;
  if (select(0, &set, NULL, NULL, &tv) > 0 && FD_ISSET(s, &set)) rc |= 32;
  pfd.fd = s;
  pfd.events = POLLIN | POLLOUT;
  pfd.revents = 0;
  WSAPoll(&pfd, 1, 0);
  ev = WSACreateEvent();
  WSAEventSelect(s, ev, FD_ACCEPT | FD_CLOSE);
  if (WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE) == WSA_WAIT_EVENT_0)
    WSAEnumNetworkEvents(s, ev, &ne);
  WSACloseEvent(ev);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  if (getaddrinfo("localhost", "80", &hints, &result) == 0) freeaddrinfo(result);
  getnameinfo((const SOCKADDR *)&a, sizeof(a), host, sizeof(host), NULL, 0, NI_NUMERICHOST);
  inet_pton(AF_INET6, "::1", &a6.sin6_addr);
  inet_ntop(AF_INET, &a.sin_addr, buf, sizeof(buf));
  a.sin_addr.s_addr = inet_addr("127.0.0.1");
  (void)inet_ntoa(a.sin_addr);
  gethostname(host, (int)sizeof(host));
  (void)gethostbyname(host);
  tfb.Head = buf;
  tfb.HeadLength = 1;
  tfb.Tail = NULL;
  tfb.TailLength = 0;
  TransmitFile(accepted, NULL, 0, 0, &ov, &tfb, TF_DISCONNECT | TF_REUSE_SOCKET);
  (void)sockaddrs;
  (void)disconnectex;
  (void)transmitfile;
  (void)recvmsg_fn;
  (void)sendmsg_fn;
  rc += ntohs(a.sin_port) + (int)ntohl(a.sin_addr.s_addr);
  shutdown(accepted, SD_BOTH);
  closesocket(accepted);
  closesocket(s);
  WSACleanup();
  return rc;
}

int main(void) {
  Connection c;
  HANDLE port;
  HANDLE thread;
  DWORD tid = 0;
  DWORD code = 0;
  LONG volatile counter = 0;
  LONG64 volatile counter64 = 0;
  PVOID volatile slot = NULL;
  LARGE_INTEGER li;
  SYSTEM_INFO si;
  SECURITY_ATTRIBUTES sa;
  HANDLE events[2];
  GUID guid;

  ZeroMemory(&c, sizeof(c));
  ZeroMemory(&sa, sizeof(sa));
  ZeroMemory(&guid, sizeof(guid));
  sa.nLength = sizeof(sa);
  c.overlapped.Offset = 1;
  c.overlapped.OffsetHigh = 2;
  c.overlapped.Internal = STATUS_PENDING;
  port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  if (port == NULL) return 1;
  if (!SetFileCompletionNotificationModes(port, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS |
                                                    FILE_SKIP_SET_EVENT_ON_HANDLE))
    return 2;
  thread = CreateThread(&sa, 0, Worker, port, 0, &tid);
  PostQueuedCompletionStatus(port, 5, (ULONG_PTR)&c, &c.overlapped);
  events[0] = CreateEvent(NULL, TRUE, FALSE, NULL);
  events[1] = CreateEventA(NULL, FALSE, FALSE, "iocp");
  SetEvent(events[0]);
  ResetEvent(events[1]);
  if (WaitForMultipleObjects(2, events, FALSE, 10) == WAIT_FAILED) return 3;
  if (WaitForSingleObject(thread, INFINITE) != WAIT_OBJECT_0) return 4;
  if (WaitForSingleObjectEx(thread, 0, TRUE) == WAIT_IO_COMPLETION) return 5;
  if (GetExitCodeThread(thread, &code) && code == STILL_ACTIVE) return 6;
  if (!HasOverlappedIoCompleted(&c.overlapped)) CancelIoEx(port, &c.overlapped);
  CancelIo(port);
  GetOverlappedResult(port, &c.overlapped, &code, FALSE);
  GetOverlappedResultEx(port, &c.overlapped, &code, 0, FALSE);
  DuplicateHandle(GetCurrentProcess(), port, GetCurrentProcess(), &events[1], 0, FALSE,
                  DUPLICATE_SAME_ACCESS);
  QueryPerformanceCounter(&li);
  QueryPerformanceFrequency(&li);
  GetSystemInfo(&si);
  Sleep(0);
  SleepEx(0, FALSE);
  SetLastError(ERROR_SUCCESS);
  if (GetLastError() == ERROR_IO_PENDING || GetLastError() == WSA_IO_PENDING) return 7;
  InterlockedIncrement(&counter);
  InterlockedCompareExchange(&counter, 3, 1);
  InterlockedExchangeAdd64(&counter64, 2);
  InterlockedCompareExchangePointer(&slot, &c, NULL);
  MemoryBarrier();
  (void)GetTickCount();
  (void)GetTickCount64();
  (void)GetCurrentThreadId();
  (void)GetCurrentProcessId();
  (void)MAKEWORD(2, 2);
  (void)IsEqualGUID(&guid, &guid);
  if (UseWinsock(port) < 0) return 9;
  CloseHandle(thread);
  CloseHandle(port);
  if (li.HighPart < 0 || si.dwPageSize == 0 || (si.wProcessorArchitecture & 0)) ExitThread(8);
  return (int)(li.LowPart & 0);
}
