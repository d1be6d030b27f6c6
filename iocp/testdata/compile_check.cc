// Compiled by headers_compile_test.sh in every C++ mode (C++11 ... C++20) with
// g++ and clang++, -Wall -Wextra -Werror -pedantic: the headers must be
// warning-free, coexist with the standard C and C++ headers, give the Win32
// functions C linkage, lay the structures out as Windows x64 does, and
// define no objects. (The standard library is only included, not used, so
// that the object file holds nothing but what this file and the headers
// define.)

#ifdef IOCP_STD_FIRST
#include "std_headers.h"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>
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
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>
#endif

#include <process.h>

#include "layout_checks.h"

static_assert(std::is_same<LONG, int>::value, "LONG is int");
static_assert(std::is_same<WCHAR, char16_t>::value, "WCHAR is char16_t");
static_assert(std::is_same<ULONG_PTR, unsigned long long>::value, "ULONG_PTR");

namespace {

struct Connection {
  int id;
  OVERLAPPED overlapped;
  char name[16];
  // C++ programs embed OVERLAPPED in polymorphic classes too.
  virtual ~Connection() {}
};

DWORD WINAPI Worker(LPVOID param) {
  HANDLE port = param;
  DWORD bytes = 0;
  ULONG_PTR key = 0;
  LPOVERLAPPED ov = nullptr;
  while (GetQueuedCompletionStatus(port, &bytes, &key, &ov, INFINITE) && key != 0) {
    Connection *c = CONTAINING_RECORD(ov, Connection, overlapped);
    c->name[0] = static_cast<char>(bytes);
  }
  OVERLAPPED_ENTRY entries[8];
  ULONG removed = 0;
  GetQueuedCompletionStatusEx(port, entries, ARRAYSIZE(entries), &removed, 0, FALSE);
  return GetLastError() == WAIT_TIMEOUT ? 0 : removed;
}

// The Winsock names stay usable as C++ names: no macro renames bind, send or
// connect (see the top of winsock2.h), so std::bind and members named after
// socket calls keep working next to the Winsock functions.
using BoundWorker = decltype(std::bind(Worker, std::declval<LPVOID>()));
static_assert(std::is_same<decltype(&::recv), int (*)(SOCKET, char *, int, int)>::value,
              "recv has the Windows signature");
static_assert(std::is_same<decltype(&::select),
                           int (*)(int, fd_set *, fd_set *, fd_set *, const timeval *)>::value,
              "select has the Windows signature");
static_assert(sizeof(u_long) == 4, "u_long is 32-bit");

struct Peer {
  int send(int n) const { return n; }
  int connect() const { return 1; }
  int bind() const { return 2; }
};

// An AcceptEx-based server's setup, as Windows C++ programs write it.
int UseWinsock(HANDLE port) {
  WSADATA wsa{};
  if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return -1;
  SOCKET listener = WSASocket(AF_INET6, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
  SOCKET accepted = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
  if (listener == INVALID_SOCKET) return WSAGetLastError();
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_port = htons(443);
  const IN6_ADDR loopback = IN6ADDR_LOOPBACK_INIT;
  addr.sin6_addr = loopback;
  DWORD off = 0;
  setsockopt(listener, IPPROTO_IPV6, IPV6_V6ONLY, reinterpret_cast<const char *>(&off),
             sizeof(off));
  if (::bind(listener, reinterpret_cast<const sockaddr *>(&addr), sizeof(addr)) == SOCKET_ERROR ||
      listen(listener, SOMAXCONN) == SOCKET_ERROR)
    return WSAGetLastError();
  CreateIoCompletionPort(reinterpret_cast<HANDLE>(listener), port, 1, 0);
  GUID guid = WSAID_ACCEPTEX;
  LPFN_ACCEPTEX accept_ex = nullptr;
  DWORD bytes = 0;
  WSAIoctl(listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &accept_ex,
           sizeof(accept_ex), &bytes, nullptr, nullptr);
  GUID guid2 = WSAID_GETACCEPTEXSOCKADDRS;
  LPFN_GETACCEPTEXSOCKADDRS get_addrs = nullptr;
  WSAIoctl(listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid2, sizeof(guid2), &get_addrs,
           sizeof(get_addrs), &bytes, nullptr, nullptr);
  GUID others[] = {WSAID_CONNECTEX, WSAID_DISCONNECTEX, WSAID_TRANSMITFILE,
                   WSAID_WSARECVMSG, WSAID_WSASENDMSG, WSAID_TRANSMITPACKETS};
  LPFN_CONNECTEX connect_ex = nullptr;
  LPFN_DISCONNECTEX disconnect_ex = nullptr;
  LPFN_WSARECVMSG recv_msg = nullptr;
  char buffer[2 * (sizeof(SOCKADDR_STORAGE) + 16)];
  WSAOVERLAPPED ov{};
  if (accept_ex && !accept_ex(listener, accepted, buffer, 0, sizeof(SOCKADDR_STORAGE) + 16,
                              sizeof(SOCKADDR_STORAGE) + 16, &bytes, &ov) &&
      WSAGetLastError() != WSA_IO_PENDING)
    return 1;
  setsockopt(accepted, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT,
             reinterpret_cast<const char *>(&listener), sizeof(listener));
  WSABUF buf{sizeof(buffer), buffer};
  DWORD flags = 0;
  WSARecv(accepted, &buf, 1, nullptr, &flags, &ov, nullptr);
  WSASend(accepted, &buf, 1, nullptr, 0, &ov, nullptr);
  fd_set readable;
  FD_ZERO(&readable);
  FD_SET(accepted, &readable);
  timeval tv{0, 1000};
  int ready = select(0, &readable, nullptr, nullptr, &tv);
  if (ready > 0 && FD_ISSET(accepted, &readable)) ready = recv(accepted, buffer, 1, 0);
  u_long pending = 0;
  ioctlsocket(accepted, FIONREAD, &pending);
  tcp_keepalive ka{1, 10000, 1000};
  WSAIoctl(accepted, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), nullptr, 0, &bytes, nullptr, nullptr);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo *result = nullptr;
  if (getaddrinfo("example.com", "https", &hints, &result) == 0) freeaddrinfo(result);
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &addr.sin6_addr, text, sizeof(text));
  char host[256];
  gethostname(host, sizeof(host));
  Peer peer;
  shutdown(accepted, SD_SEND);
  closesocket(accepted);
  closesocket(listener);
  WSACleanup();
  return ready + peer.send(0) + peer.connect() + peer.bind() +
         static_cast<int>(pending + sizeof(others) + (connect_ex == nullptr) +
                          (disconnect_ex == nullptr) + (recv_msg == nullptr) +
                          (get_addrs == nullptr) + sizeof(BoundWorker) * 0 +
                          IsEqualGUID(others[0], guid));
}

}  // namespace

int main() {
  Connection c;
  ZeroMemory(&c.overlapped, sizeof(c.overlapped));
  c.overlapped.Offset = 1;
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  DWORD tid = 0;
  HANDLE thread = CreateThread(nullptr, 0, Worker, port, CREATE_SUSPENDED, &tid);
  PostQueuedCompletionStatus(port, 1, reinterpret_cast<ULONG_PTR>(&c), &c.overlapped);
  HANDLE events[] = {CreateEvent(nullptr, TRUE, FALSE, nullptr), thread};
  WaitForMultipleObjects(_countof(events), events, TRUE, INFINITE);
  LONG volatile n = 0;
  InterlockedIncrement(&n);
  if (!HasOverlappedIoCompleted(&c.overlapped)) CancelIoEx(port, &c.overlapped);
  if (UseWinsock(port) < 0) return 2;
  const GUID g{};
  REFGUID r = g;
  CloseHandle(thread);
  CloseHandle(port);
  return IsEqualGUID(r, g) && GetLastError() == ERROR_SUCCESS ? 0 : static_cast<int>(n);
}
