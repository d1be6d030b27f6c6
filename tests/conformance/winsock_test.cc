// Winsock over the port, through the public headers only: the spec items
// 8, 27, 28, 32-33, 36-37, 40, 42-50, 52-64, 66, plus the synchronous calls
// a port-based program makes. Built over the raw ring (127.0.0.1 and ::1 on
// the real kernel) and the fake ring (seeded).
#include <mswsock.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace {

constexpr DWORD kLongMs = 10000;
// 127.0.0.1 in network byte order on this little-endian target (the netdb
// functions have their own test).
constexpr ULONG kLoopback4 = 0x0100007F;

class ReplayHint : public ::testing::Environment {
 public:
  void TearDown() override {
    if (::testing::UnitTest::GetInstance()->failed_test_count() == 0) return;
    const char* seed = getenv("IOCP_FAKE_SEED");
    fprintf(stderr, "failed; fake seed=%s (replay: --test_env=IOCP_FAKE_SEED=%s)\n",
            seed ? seed : "-", seed ? seed : "1");
  }
};
::testing::Environment* const kReplayHint = ::testing::AddGlobalTestEnvironment(new ReplayHint);

struct Packet {
  BOOL ok;
  DWORD error;
  DWORD bytes;
  ULONG_PTR key;
  OVERLAPPED* overlapped;
};

// Runs fn(argument) on a thread made by CreateThread and waits for it to exit.
void RunOnAThreadThatExits(LPTHREAD_START_ROUTINE fn, void* argument) {
  HANDLE thread = CreateThread(nullptr, 0, fn, argument, 0, nullptr);
  ASSERT_NE(thread, nullptr);
  ASSERT_EQ(WaitForSingleObject(thread, kLongMs), WAIT_OBJECT_0);
  CloseHandle(thread);
}

class Winsock : public ::testing::Test {
 protected:
  void SetUp() override {
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    port_ = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
    ASSERT_NE(port_, nullptr);
  }
  void TearDown() override {
    for (SOCKET s : sockets_) closesocket(s);
    CloseHandle(port_);
    WSACleanup();
  }

  SOCKET Track(SOCKET s) {
    EXPECT_NE(s, INVALID_SOCKET) << WSAGetLastError();
    sockets_.push_back(s);
    return s;
  }
  void Forget(SOCKET s) {
    for (auto& t : sockets_) {
      if (t == s) t = INVALID_SOCKET;
    }
  }
  SOCKET NewSocket(int af = AF_INET, int type = SOCK_STREAM) {
    return Track(socket(af, type, type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP));
  }

  // A listener on the loopback address of `af`, any port; *address gets it.
  SOCKET Listen(int af, sockaddr_storage* address, int* length) {
    SOCKET s = NewSocket(af);
    memset(address, 0, sizeof(*address));
    if (af == AF_INET) {
      auto* in = reinterpret_cast<sockaddr_in*>(address);
      in->sin_family = AF_INET;
      in->sin_addr.s_addr = kLoopback4;
      *length = sizeof(sockaddr_in);
    } else {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(address);
      in6->sin6_family = AF_INET6;
      in6->sin6_addr.s6_addr[15] = 1;  // ::1
      *length = sizeof(sockaddr_in6);
    }
    EXPECT_EQ(bind(s, reinterpret_cast<sockaddr*>(address), *length), 0) << WSAGetLastError();
    EXPECT_EQ(getsockname(s, reinterpret_cast<sockaddr*>(address), length), 0);
    EXPECT_EQ(listen(s, SOMAXCONN), 0) << WSAGetLastError();
    return s;
  }

  // Binds `s` to 127.0.0.1, any port.
  static void BindLoopback(SOCKET s) {
    sockaddr_in any = LoopbackAddress();
    ASSERT_EQ(bind(s, reinterpret_cast<sockaddr*>(&any), sizeof(any)), 0) << WSAGetLastError();
  }
  static sockaddr_in LoopbackAddress() {
    sockaddr_in any = {};
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = kLoopback4;
    return any;
  }

  // An address nobody listens on: a socket bound there and left unlistened.
  sockaddr_in RefusingAddress() {
    SOCKET probe = NewSocket();
    BindLoopback(probe);
    sockaddr_in address = {};
    int length = sizeof(address);
    EXPECT_EQ(getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length), 0);
    return address;
  }

  // Starts a non-blocking connect() and waits with select for its outcome:
  // whether `s` came back in the write set and in the except set.
  void SelectConnectOutcome(SOCKET s, const sockaddr* address, int length, bool* writable,
                            bool* failed) {
    u_long on = 1;
    ASSERT_EQ(ioctlsocket(s, FIONBIO, &on), 0);
    if (connect(s, address, length) == SOCKET_ERROR) {
      ASSERT_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    }
    fd_set write_set, except_set;
    FD_ZERO(&write_set);
    FD_ZERO(&except_set);
    FD_SET(s, &write_set);
    FD_SET(s, &except_set);
    timeval timeout = {10, 0};
    ASSERT_EQ(select(0, nullptr, &write_set, &except_set, &timeout), 1);
    *writable = FD_ISSET(s, &write_set);
    *failed = FD_ISSET(s, &except_set);
  }

  // A connected pair: *client (connect) and *server (accept).
  void Pair(SOCKET* client, SOCKET* server, int af = AF_INET) {
    sockaddr_storage address;
    int length;
    SOCKET listener = Listen(af, &address, &length);
    *client = NewSocket(af);
    ASSERT_EQ(connect(*client, reinterpret_cast<sockaddr*>(&address), length), 0)
        << WSAGetLastError();
    *server = Track(accept(listener, nullptr, nullptr));
  }

  void Associate(SOCKET s, ULONG_PTR key) {
    ASSERT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(s), port_, key, 0), port_);
  }

  Packet Next(DWORD timeout = kLongMs) {
    Packet p = {};
    SetLastError(0);
    p.ok = GetQueuedCompletionStatus(port_, &p.bytes, &p.key, &p.overlapped, timeout);
    p.error = p.ok ? 0 : GetLastError();
    return p;
  }

  void ExpectNoPacket() {
    Packet p = Next(0);
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p.overlapped, nullptr);
    EXPECT_EQ(p.error, static_cast<DWORD>(WAIT_TIMEOUT));
  }

  void SendAll(SOCKET s, const char* text) {
    ASSERT_EQ(send(s, text, static_cast<int>(strlen(text)), 0), static_cast<int>(strlen(text)))
        << WSAGetLastError();
  }

  // Posts one overlapped WSARecv into `buffer`; expects it to pend.
  void PostRecv(SOCKET s, char* buffer, ULONG length, OVERLAPPED* ov) {
    WSABUF buf = {length, buffer};
    DWORD flags = 0;
    int rc = WSARecv(s, &buf, 1, nullptr, &flags, ov, nullptr);
    if (rc != 0) {
      ASSERT_EQ(rc, SOCKET_ERROR);
      ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
    }
  }

  HANDLE port_ = nullptr;
  std::vector<SOCKET> sockets_;
};

// --- start-up ---

TEST(WinsockStartup, NotInitialisedBeforeWsaStartup) {
  EXPECT_EQ(socket(AF_INET, SOCK_STREAM, 0), INVALID_SOCKET);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
  EXPECT_EQ(WSACleanup(), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
  WSADATA data;
  EXPECT_EQ(WSAStartup(MAKEWORD(0, 0), &data), WSAVERNOTSUPPORTED);
  EXPECT_EQ(WSAStartup(MAKEWORD(2, 2), nullptr), WSAEFAULT);
  ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
  EXPECT_EQ(data.wVersion, MAKEWORD(2, 2));
  EXPECT_EQ(data.wHighVersion, MAKEWORD(2, 2));
  ASSERT_EQ(WSAStartup(MAKEWORD(1, 1), &data), 0);
  EXPECT_EQ(data.wVersion, MAKEWORD(1, 1));
  EXPECT_EQ(WSACleanup(), 0);
  EXPECT_EQ(WSACleanup(), 0);
  EXPECT_EQ(WSACleanup(), SOCKET_ERROR);
}

TEST(WinsockStartup, LastErrorIsSharedWithGetLastError) {
  WSASetLastError(WSAECONNRESET);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(WSAECONNRESET));
  SetLastError(ERROR_IO_PENDING);
  EXPECT_EQ(WSAGetLastError(), WSA_IO_PENDING);
}

// --- synchronous calls ---

TEST_F(Winsock, SendRecvRoundTripAndAddresses) {
  SOCKET client, server;
  Pair(&client, &server);
  SendAll(client, "hello");
  char buffer[16] = {};
  int n = recv(server, buffer, sizeof(buffer), 0);
  ASSERT_EQ(n, 5) << WSAGetLastError();
  EXPECT_EQ(std::string(buffer, 5), "hello");
  sockaddr_in local = {}, peer = {};
  int local_length = sizeof(local), peer_length = sizeof(peer);
  ASSERT_EQ(getsockname(client, reinterpret_cast<sockaddr*>(&local), &local_length), 0);
  ASSERT_EQ(getpeername(server, reinterpret_cast<sockaddr*>(&peer), &peer_length), 0);
  EXPECT_EQ(local_length, 16);
  EXPECT_EQ(local.sin_family, AF_INET);
  EXPECT_EQ(local.sin_port, peer.sin_port);
  int small = 4;
  EXPECT_EQ(getsockname(client, reinterpret_cast<sockaddr*>(&local), &small), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

TEST_F(Winsock, Ipv6PairUsesFamily23) {
  SOCKET client, server;
  Pair(&client, &server, AF_INET6);
  sockaddr_in6 peer = {};
  int length = sizeof(peer);
  ASSERT_EQ(getpeername(server, reinterpret_cast<sockaddr*>(&peer), &length), 0);
  EXPECT_EQ(peer.sin6_family, 23);
  EXPECT_EQ(length, 28);
  DWORD v6only = 0;
  int size = sizeof(v6only);
  ASSERT_EQ(getsockopt(client, IPPROTO_IPV6, IPV6_V6ONLY, reinterpret_cast<char*>(&v6only), &size),
            0);
  EXPECT_EQ(v6only, 1u);  // Windows' default
}

TEST_F(Winsock, BadSocketsAndStates) {
  EXPECT_EQ(closesocket(12345), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
  EXPECT_EQ(send(INVALID_SOCKET, "x", 1, 0), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
  EXPECT_EQ(socket(AF_INET, 99, 0), INVALID_SOCKET);
  EXPECT_EQ(WSAGetLastError(), WSAESOCKTNOSUPPORT);
  EXPECT_EQ(socket(1234, SOCK_STREAM, 0), INVALID_SOCKET);
  EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
  SOCKET s = NewSocket();
  EXPECT_EQ(listen(s, 5), SOCKET_ERROR);  // not bound
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
  char c;
  EXPECT_EQ(recv(s, &c, 1, 0), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
  EXPECT_EQ(send(s, "x", 1, 0), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
  BindLoopback(s);
  sockaddr_in any = LoopbackAddress();
  EXPECT_EQ(bind(s, reinterpret_cast<sockaddr*>(&any), sizeof(any)), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
  EXPECT_EQ(bind(s, reinterpret_cast<sockaddr*>(&any), 8), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  // closesocket, then the handle is stale.
  SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(closesocket(t), 0);
  EXPECT_EQ(closesocket(t), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
}

TEST_F(Winsock, AddressInUse) {
  sockaddr_storage address;
  int length;
  Listen(AF_INET, &address, &length);
  SOCKET second = NewSocket();
  EXPECT_EQ(bind(second, reinterpret_cast<sockaddr*>(&address), length), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEADDRINUSE);
}

TEST_F(Winsock, NonBlockingModeAndFionread) {
  SOCKET client, server;
  Pair(&client, &server);
  u_long on = 1;
  ASSERT_EQ(ioctlsocket(server, FIONBIO, &on), 0);
  char buffer[8];
  EXPECT_EQ(recv(server, buffer, sizeof(buffer), 0), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
  u_long pending = 99;
  ASSERT_EQ(ioctlsocket(server, FIONREAD, &pending), 0);
  EXPECT_EQ(pending, 0u);
  SendAll(client, "abc");
  // The data arrives asynchronously on the kernel: wait for it with select.
  fd_set readable;
  FD_ZERO(&readable);
  FD_SET(server, &readable);
  timeval timeout = {10, 0};
  ASSERT_EQ(select(0, &readable, nullptr, nullptr, &timeout), 1) << WSAGetLastError();
  EXPECT_TRUE(FD_ISSET(server, &readable));
  ASSERT_EQ(ioctlsocket(server, FIONREAD, &pending), 0);
  EXPECT_EQ(pending, 3u);
  EXPECT_EQ(recv(server, buffer, sizeof(buffer), 0), 3);
  EXPECT_EQ(ioctlsocket(server, 0x1234, &pending), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
}

TEST_F(Winsock, SocketOptionsRoundTrip) {
  SOCKET s = NewSocket();
  BOOL on = TRUE;
  ASSERT_EQ(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<char*>(&on), sizeof(on)), 0);
  BOOL value = FALSE;
  int size = sizeof(value);
  ASSERT_EQ(getsockopt(s, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<char*>(&value), &size), 0);
  EXPECT_EQ(value, TRUE);
  EXPECT_EQ(size, 4);

  int buffer_size = 32768;
  ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_RCVBUF, reinterpret_cast<char*>(&buffer_size),
                       sizeof(buffer_size)),
            0);
  int got = 0;
  size = sizeof(got);
  ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_RCVBUF, reinterpret_cast<char*>(&got), &size), 0);
  EXPECT_EQ(got, 32768);  // as set (Linux would report double)

  LINGER linger_value = {1, 5};
  ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, reinterpret_cast<char*>(&linger_value),
                       sizeof(linger_value)),
            0);
  LINGER linger_got = {};
  size = sizeof(linger_got);
  ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_LINGER, reinterpret_cast<char*>(&linger_got), &size), 0);
  EXPECT_EQ(linger_got.l_onoff, 1);
  EXPECT_EQ(linger_got.l_linger, 5);

  DWORD timeout = 1500;
  ASSERT_EQ(
      setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<char*>(&timeout), sizeof(timeout)),
      0);
  DWORD timeout_got = 0;
  size = sizeof(timeout_got);
  ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<char*>(&timeout_got), &size),
            0);
  EXPECT_EQ(timeout_got, 1500u);

  int type = 0;
  size = sizeof(type);
  ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, reinterpret_cast<char*>(&type), &size), 0);
  EXPECT_EQ(type, SOCK_STREAM);
  int error = -1;
  size = sizeof(error);
  ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&error), &size), 0);
  EXPECT_EQ(error, 0);
  DWORD connect_time = 0;
  size = sizeof(connect_time);
  ASSERT_EQ(
      getsockopt(s, SOL_SOCKET, SO_CONNECT_TIME, reinterpret_cast<char*>(&connect_time), &size), 0);
  EXPECT_EQ(connect_time, 0xFFFFFFFFu);  // not connected

  EXPECT_EQ(setsockopt(s, SOL_SOCKET, 0x7777, reinterpret_cast<char*>(&on), sizeof(on)),
            SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAENOPROTOOPT);
  EXPECT_EQ(setsockopt(s, 12345, 1, reinterpret_cast<char*>(&on), sizeof(on)), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
  size = 0;
  EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_RCVBUF, reinterpret_cast<char*>(&got), &size),
            SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

TEST_F(Winsock, Spec51_ReceiveTimeoutAppliesToBlockingCallsOnly) {
  SOCKET client, server;
  Pair(&client, &server);
  DWORD timeout = 50;
  ASSERT_EQ(setsockopt(server, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<char*>(&timeout),
                       sizeof(timeout)),
            0);
  char c;
  EXPECT_EQ(recv(server, &c, 1, 0), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAETIMEDOUT);
  // An overlapped receive is not limited by it.
  Associate(server, 1);
  OVERLAPPED ov = {};
  char buffer[4];
  PostRecv(server, buffer, sizeof(buffer), &ov);
  ExpectNoPacket();
  SendAll(client, "z");
  Packet p = Next();
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.bytes, 1u);
}

int CALLBACK AcceptOnlyCookie(LPWSABUF caller_id, LPWSABUF, LPQOS, LPQOS, LPWSABUF callee_id,
                              LPWSABUF, GROUP*, DWORD_PTR data) {
  // The caller's address comes in Windows' layout.
  if (caller_id == nullptr || caller_id->len != sizeof(sockaddr_in) || callee_id == nullptr ||
      reinterpret_cast<sockaddr*>(caller_id->buf)->sa_family != AF_INET) {
    return CF_REJECT;
  }
  return data == 42 ? CF_ACCEPT : CF_REJECT;
}

TEST_F(Winsock, WsaAcceptConditionAndWsaConnect) {
  sockaddr_storage address;
  int length;
  SOCKET listener = Listen(AF_INET, &address, &length);
  SOCKET client = NewSocket();
  ASSERT_EQ(WSAConnect(client, reinterpret_cast<sockaddr*>(&address), length, nullptr, nullptr,
                       nullptr, nullptr),
            0);
  sockaddr_in peer = {};
  int peer_length = sizeof(peer);
  SOCKET accepted = Track(
      WSAAccept(listener, reinterpret_cast<sockaddr*>(&peer), &peer_length, AcceptOnlyCookie, 42));
  EXPECT_EQ(peer_length, 16);
  SendAll(client, "ok");
  char buffer[4];
  EXPECT_EQ(recv(accepted, buffer, sizeof(buffer), 0), 2);

  SOCKET rejected = NewSocket();
  ASSERT_EQ(connect(rejected, reinterpret_cast<sockaddr*>(&address), length), 0);
  EXPECT_EQ(WSAAccept(listener, nullptr, nullptr, AcceptOnlyCookie, 7), INVALID_SOCKET);
  EXPECT_EQ(WSAGetLastError(), WSAECONNREFUSED);
  EXPECT_EQ(recv(rejected, buffer, sizeof(buffer), 0), SOCKET_ERROR);  // reset
  EXPECT_EQ(WSAGetLastError(), WSAECONNRESET);
}

// Whether thread `tid` of this process is asleep (state S in its stat line).
bool ThreadAsleep(pid_t tid) {
  char path[64];
  snprintf(path, sizeof(path), "/proc/self/task/%d/stat", static_cast<int>(tid));
  FILE* file = fopen(path, "r");
  if (file == nullptr) return false;
  char line[512] = {};
  const bool read = fgets(line, sizeof(line), file) != nullptr;
  fclose(file);
  const char* end = read ? strrchr(line, ')') : nullptr;  // after the name: " S ..."
  return end != nullptr && end[1] == ' ' && end[2] == 'S';
}

TEST_F(Winsock, BlockingAcceptWaitsForItsClient) {
  // accept() on a blocking listener with nothing queued waits in the ring
  // until a client comes (it once completed through AcceptEx's path and
  // crashed). The client connects once the accepting thread is asleep.
  sockaddr_storage address;
  int length;
  SOCKET listener = Listen(AF_INET, &address, &length);
  for (int round = 0; round < 5; ++round) {
    std::atomic<SOCKET> accepted{INVALID_SOCKET};
    std::atomic<pid_t> tid{0};
    std::thread acceptor([&] {
      tid = static_cast<pid_t>(syscall(SYS_gettid));
      accepted = accept(listener, nullptr, nullptr);
    });
    while (tid.load() == 0 || !ThreadAsleep(tid.load())) sched_yield();
    SOCKET client = NewSocket();
    ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&address), length), 0);
    acceptor.join();
    ASSERT_NE(accepted.load(), INVALID_SOCKET) << WSAGetLastError();
    SOCKET server = Track(accepted.load());
    SendAll(client, "a");
    char byte;
    EXPECT_EQ(recv(server, &byte, 1, 0), 1);
  }
}

TEST_F(Winsock, BusySocketClosesAtOnce) {
  // A socket that has issued a few requests names its descriptor by a slot
  // of its port's registered-file table, which holds the file too: closing
  // the socket must still end the connection at once (the peer sees EOF).
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  for (int round = 0; round < 8; ++round) {
    OVERLAPPED ov = {};
    char buffer[4];
    PostRecv(server, buffer, sizeof(buffer), &ov);
    SendAll(client, "r");
    Packet p = Next();
    ASSERT_TRUE(p.ok) << p.error;
    ASSERT_EQ(p.bytes, 1u);
  }
  ASSERT_EQ(closesocket(server), 0);
  Forget(server);
  DWORD bound_ms = 10000;  // a bound on failure, never a synchronisation
  ASSERT_EQ(setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<char*>(&bound_ms),
                       sizeof(bound_ms)),
            0);
  char byte;
  EXPECT_EQ(recv(client, &byte, 1, 0), 0) << WSAGetLastError();  // EOF
}

TEST_F(Winsock, Spec30_SkipSetEventOnHandleForSockets) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  ASSERT_TRUE(SetFileCompletionNotificationModes(
      reinterpret_cast<HANDLE>(server),
      FILE_SKIP_SET_EVENT_ON_HANDLE | FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
  OVERLAPPED ov = {};
  char buffer[4];
  PostRecv(server, buffer, sizeof(buffer), &ov);
  SendAll(client, "s");
  Packet p = Next();  // pending requests still post (spec 29)
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(WaitForSingleObject(reinterpret_cast<HANDLE>(server), 0),
            static_cast<DWORD>(WAIT_TIMEOUT));  // the handle was not signalled
}

TEST_F(Winsock, BadInputToOverlappedCalls) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  // A second association fails (spec 5), with the first one kept.
  HANDLE other = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  EXPECT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(server), other, 2, 0), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  CloseHandle(other);
  OVERLAPPED ov = {};
  DWORD flags = 0;
  char buffer[4];
  WSABUF buf = {sizeof(buffer), buffer};
  EXPECT_EQ(WSARecv(server, nullptr, 1, nullptr, &flags, &ov, nullptr), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  EXPECT_EQ(WSARecv(server, &buf, 1, nullptr, nullptr, &ov, nullptr), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  WSABUF bad = {16, nullptr};
  EXPECT_EQ(WSARecv(server, &bad, 1, nullptr, &flags, &ov, nullptr), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  EXPECT_EQ(WSASend(server, nullptr, 1, nullptr, 0, &ov, nullptr), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  EXPECT_EQ(WSASend(server, &buf, 0, nullptr, 0, &ov, nullptr), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
  // A closed socket's value is stale: WSAENOTSOCK, never another socket.
  ASSERT_EQ(closesocket(client), 0);
  Forget(client);
  EXPECT_EQ(WSARecv(client, &buf, 1, nullptr, &flags, &ov, nullptr), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
  EXPECT_EQ(WSASend(client, &buf, 1, nullptr, 0, &ov, nullptr), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
  DWORD bytes;
  EXPECT_FALSE(WSAGetOverlappedResult(server, nullptr, &bytes, FALSE, &flags));
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  EXPECT_FALSE(CancelIoEx(reinterpret_cast<HANDLE>(client), nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  EXPECT_EQ(WSAIoctl(server, 0x12345678, nullptr, 0, nullptr, 0, &bytes, nullptr, nullptr),
            SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEOPNOTSUPP);
  ExpectNoPacket();
}

TEST_F(Winsock, NonBlockingWsaSendStopsWithWouldBlock) {
  SOCKET client, server;
  Pair(&client, &server);
  u_long on = 1;
  ASSERT_EQ(ioctlsocket(client, FIONBIO, &on), 0);
  std::vector<char> chunk(65536, 'w');
  WSABUF buf = {static_cast<ULONG>(chunk.size()), chunk.data()};
  int rc = 0;
  for (int i = 0; i < 10000 && rc == 0; ++i) {
    DWORD sent = 0;
    rc = WSASend(client, &buf, 1, &sent, 0, nullptr, nullptr);
  }
  ASSERT_EQ(rc, SOCKET_ERROR);  // the peer reads nothing: the buffers fill
  EXPECT_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
}

TEST_F(Winsock, ClosesocketEndsABlockingReceiveInAnotherThread) {
  SOCKET client, server;
  Pair(&client, &server);
  int result = 0, error = 0;
  std::thread reader([&] {
    char c;
    result = recv(server, &c, 1, 0);
    error = WSAGetLastError();
  });
  // Either the receive is already waiting (WSAEINTR, as Windows reports a
  // blocking call ended by closesocket) or it has not started (WSAENOTSOCK);
  // it must never stay blocked.
  ASSERT_EQ(closesocket(server), 0);
  Forget(server);
  reader.join();
  EXPECT_EQ(result, SOCKET_ERROR);
  EXPECT_TRUE(error == WSAEINTR || error == WSAENOTSOCK) << error;
}

// --- readiness: select, WSAPoll, WSAEventSelect ---

TEST_F(Winsock, EventSelectRecordsAcceptWriteReadClose) {
  sockaddr_storage address;
  int length;
  SOCKET listener = Listen(AF_INET, &address, &length);
  WSAEVENT accept_event = WSACreateEvent();
  ASSERT_NE(accept_event, WSA_INVALID_EVENT);
  ASSERT_EQ(WSAEventSelect(listener, accept_event, FD_ACCEPT), 0);
  EXPECT_EQ(WSAEventSelect(listener, accept_event, 1 << 12), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
  SOCKET client = NewSocket();
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(WSAWaitForMultipleEvents(1, &accept_event, FALSE, kLongMs, FALSE), WSA_WAIT_EVENT_0);
  WSANETWORKEVENTS events = {};
  ASSERT_EQ(WSAEnumNetworkEvents(listener, accept_event, &events), 0);
  EXPECT_EQ(events.lNetworkEvents, FD_ACCEPT);
  EXPECT_EQ(events.iErrorCode[FD_ACCEPT_BIT], 0);
  EXPECT_EQ(WaitForSingleObject(accept_event, 0), static_cast<DWORD>(WAIT_TIMEOUT));  // reset
  SOCKET server = Track(accept(listener, nullptr, nullptr));

  WSAEVENT event = WSACreateEvent();
  ASSERT_EQ(WSAEventSelect(server, event, FD_READ | FD_WRITE | FD_CLOSE), 0);
  u_long blocking = 0;
  EXPECT_EQ(ioctlsocket(server, FIONBIO, &blocking), SOCKET_ERROR);  // stays non-blocking
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
  ASSERT_EQ(WSAWaitForMultipleEvents(1, &event, FALSE, kLongMs, FALSE), WSA_WAIT_EVENT_0);
  ASSERT_EQ(WSAEnumNetworkEvents(server, event, &events), 0);
  EXPECT_EQ(events.lNetworkEvents, FD_WRITE);  // connected and writable
  char buffer[8];
  EXPECT_EQ(recv(server, buffer, sizeof(buffer), 0), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEWOULDBLOCK);

  SendAll(client, "ev");
  ASSERT_EQ(WSAWaitForMultipleEvents(1, &event, FALSE, kLongMs, FALSE), WSA_WAIT_EVENT_0);
  ASSERT_EQ(WSAEnumNetworkEvents(server, event, &events), 0);
  EXPECT_EQ(events.lNetworkEvents, FD_READ);
  EXPECT_EQ(recv(server, buffer, sizeof(buffer), 0), 2);

  ASSERT_EQ(closesocket(client), 0);
  Forget(client);
  int32_t seen = 0;
  while ((seen & FD_CLOSE) == 0) {
    ASSERT_EQ(WSAWaitForMultipleEvents(1, &event, FALSE, kLongMs, FALSE), WSA_WAIT_EVENT_0);
    ASSERT_EQ(WSAEnumNetworkEvents(server, event, &events), 0);
    seen |= events.lNetworkEvents;
    if (events.lNetworkEvents & FD_READ) recv(server, buffer, sizeof(buffer), 0);
  }
  EXPECT_EQ(events.iErrorCode[FD_CLOSE_BIT], 0);  // graceful
  EXPECT_EQ(WSAEventSelect(server, nullptr, 0), 0);
  EXPECT_TRUE(WSACloseEvent(event));
  EXPECT_TRUE(WSACloseEvent(accept_event));
  EXPECT_FALSE(WSACloseEvent(accept_event));
  EXPECT_EQ(WSAGetLastError(), WSA_INVALID_HANDLE);
}

// WSAEventSelect belongs to the socket, not to the thread that called it:
// events are still recorded after that thread has exited.
struct EventSelectPlan {
  SOCKET socket;
  WSAEVENT event;
  int rc;
};

DWORD WINAPI EventSelectAndExit(LPVOID parameter) {
  auto* plan = static_cast<EventSelectPlan*>(parameter);
  plan->rc = WSAEventSelect(plan->socket, plan->event, FD_READ);
  return 0;
}

TEST_F(Winsock, EventSelectOutlivesTheThreadThatCalledIt) {
  SOCKET client, server;
  Pair(&client, &server);
  WSAEVENT event = WSACreateEvent();
  EventSelectPlan plan = {server, event, -1};
  RunOnAThreadThatExits(EventSelectAndExit, &plan);
  ASSERT_EQ(plan.rc, 0);
  EXPECT_EQ(WaitForSingleObject(event, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  SendAll(client, "ev");
  ASSERT_EQ(WSAWaitForMultipleEvents(1, &event, FALSE, kLongMs, FALSE), WSA_WAIT_EVENT_0);
  WSANETWORKEVENTS events = {};
  ASSERT_EQ(WSAEnumNetworkEvents(server, event, &events), 0);
  EXPECT_EQ(events.lNetworkEvents, FD_READ);
  EXPECT_EQ(WSAEventSelect(server, nullptr, 0), 0);
  EXPECT_TRUE(WSACloseEvent(event));
}

TEST_F(Winsock, WsaPollReportsReadableWritableAndInvalid) {
  SOCKET client, server;
  Pair(&client, &server);
  WSAPOLLFD fds[2] = {};
  fds[0].fd = server;
  fds[0].events = POLLRDNORM;
  fds[1].fd = client;
  fds[1].events = POLLWRNORM;
  ASSERT_EQ(WSAPoll(fds, 2, 0), 1);
  EXPECT_EQ(fds[0].revents, 0);
  EXPECT_EQ(fds[1].revents, POLLWRNORM);
  SendAll(client, "p");
  fds[1].events = 0;
  ASSERT_EQ(WSAPoll(fds, 2, static_cast<INT>(kLongMs)), 1);
  EXPECT_EQ(fds[0].revents, POLLRDNORM);
  fds[1].fd = 424242;  // not a socket
  ASSERT_EQ(WSAPoll(fds, 2, 0), 2);
  EXPECT_EQ(fds[1].revents, POLLNVAL);
  fds[0].events = POLLPRI;
  EXPECT_EQ(WSAPoll(fds, 1, 0), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
}

TEST_F(Winsock, NonBlockingConnectCompletesForSelect) {
  sockaddr_storage address;
  int length;
  Listen(AF_INET, &address, &length);
  SOCKET s = NewSocket();
  bool writable = false, failed = false;
  SelectConnectOutcome(s, reinterpret_cast<sockaddr*>(&address), length, &writable, &failed);
  EXPECT_TRUE(writable);
  EXPECT_FALSE(failed);
  fd_set empty;
  FD_ZERO(&empty);
  timeval timeout = {10, 0};
  EXPECT_EQ(select(0, &empty, nullptr, nullptr, &timeout), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
}

TEST_F(Winsock, NonBlockingConnectRefusedShowsInExceptSet) {
  sockaddr_in address = RefusingAddress();
  SOCKET s = NewSocket();
  bool writable = true, failed = false;
  SelectConnectOutcome(s, reinterpret_cast<sockaddr*>(&address), sizeof(address), &writable,
                       &failed);
  EXPECT_FALSE(writable);
  EXPECT_TRUE(failed);
  int error = 0;
  int size = sizeof(error);
  ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&error), &size), 0);
  EXPECT_EQ(error, WSAECONNREFUSED);
}

// --- overlapped receives and sends ---

TEST_F(Winsock, Spec42_43_ReceivePendsThenCompletesWithKeyAndBytes) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 42);
  OVERLAPPED ov = {};
  char buffer[16];
  WSABUF buf = {sizeof(buffer), buffer};
  DWORD flags = 0, bytes = 777;
  int rc = WSARecv(server, &buf, 1, &bytes, &flags, &ov, nullptr);
  ASSERT_EQ(rc, SOCKET_ERROR);
  ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  EXPECT_EQ(bytes, 777u);  // not updated while pending (spec 43)
  EXPECT_EQ(ov.Internal, 0x103u);
  SendAll(client, "data!");
  Packet p = Next();
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.key, 42u);
  EXPECT_EQ(p.overlapped, &ov);
  EXPECT_EQ(p.bytes, 5u);
  EXPECT_EQ(ov.Internal, 0u);
  EXPECT_EQ(ov.InternalHigh, 5u);
  EXPECT_EQ(std::string(buffer, 5), "data!");
  DWORD got = 0, got_flags = 99;
  EXPECT_TRUE(WSAGetOverlappedResult(server, &ov, &got, FALSE, &got_flags));
  EXPECT_EQ(got, 5u);
  EXPECT_EQ(got_flags, 0u);
}

// A receive issued by a thread that then exits, on a socket associated with a
// port and with no event: the request outlives the thread and completes on
// the port (spec 38), whether the thread was Windows' (CreateThread) or not.
struct ReceiveFromThread {
  SOCKET socket;
  OVERLAPPED* overlapped;
  char* buffer;
  ULONG length;
  // Non-null: first take a packet from this port, as a worker does.
  HANDLE port;
  BOOL took;
  int rc;
  int error;
};

DWORD WINAPI IssueReceiveAndExit(LPVOID parameter) {
  auto* plan = static_cast<ReceiveFromThread*>(parameter);
  if (plan->port != nullptr) {
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED* overlapped;
    plan->took = GetQueuedCompletionStatus(plan->port, &bytes, &key, &overlapped, kLongMs);
  }
  WSABUF buf = {plan->length, plan->buffer};
  DWORD flags = 0;
  plan->rc = WSARecv(plan->socket, &buf, 1, nullptr, &flags, plan->overlapped, nullptr);
  plan->error = WSAGetLastError();
  return 0;
}

TEST_F(Winsock, Spec38_ThreadExitDoesNotCancelAPortRequest) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 38);
  OVERLAPPED ov[2] = {};
  char buffer[2][8];
  for (int i = 0; i < 2; ++i) {
    ReceiveFromThread plan = {server, &ov[i], buffer[i], sizeof(buffer[i]), nullptr, FALSE, 0, 0};
    if (i == 0) {
      RunOnAThreadThatExits(IssueReceiveAndExit, &plan);
    } else {
      std::thread([&plan] { IssueReceiveAndExit(&plan); }).join();
    }
    ASSERT_EQ(plan.rc, SOCKET_ERROR);
    ASSERT_EQ(plan.error, WSA_IO_PENDING);
    ExpectNoPacket();  // still pending after the thread is gone
    SendAll(client, i == 0 ? "first" : "second");
    Packet p = Next();
    ASSERT_TRUE(p.ok) << p.error;
    EXPECT_EQ(p.key, 38u);
    EXPECT_EQ(p.overlapped, &ov[i]);
    EXPECT_EQ(p.bytes, i == 0 ? 5u : 6u);
    EXPECT_EQ(std::string(buffer[i], p.bytes), i == 0 ? "first" : "second");
  }
}

// The same for a worker of the port: a thread that took a packet from the
// port and issued a receive there leaves it prepared for its next wait
// (docs/ARCHITECTURE.md), and exits instead; and for a zero-byte receive
// (a poll for input) issued by a thread that exits.
TEST_F(Winsock, Spec38_AWorkersLastReceiveOutlivesIt) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 38);
  for (ULONG length : {8u, 0u}) {  // a receive, then a zero-byte one
    OVERLAPPED ov = {};
    char buffer[8];
    ReceiveFromThread plan = {server, &ov, buffer, length, port_, FALSE, 0, 0};
    ASSERT_TRUE(PostQueuedCompletionStatus(port_, 0, 1, nullptr));
    RunOnAThreadThatExits(IssueReceiveAndExit, &plan);
    ASSERT_TRUE(plan.took);
    ASSERT_EQ(plan.rc, SOCKET_ERROR);
    ASSERT_EQ(plan.error, WSA_IO_PENDING);
    ExpectNoPacket();
    SendAll(client, "late");
    Packet p = Next();
    ASSERT_TRUE(p.ok) << p.error;
    EXPECT_EQ(p.key, 38u);
    EXPECT_EQ(p.overlapped, &ov);
    EXPECT_EQ(p.bytes, length == 0 ? 0u : 4u);
    if (length > 0) {
      EXPECT_EQ(std::string(buffer, 4), "late");
    } else {
      char taken[8];  // the zero-byte receive left the data in the socket
      EXPECT_EQ(recv(server, taken, sizeof(taken), 0), 4);
    }
  }
}

TEST_F(Winsock, Spec42_SendCompletesWithAPacket) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(client, 7);
  OVERLAPPED ov = {};
  char text[] = "payload";
  WSABUF buf = {7, text};
  DWORD sent = 0;
  int rc = WSASend(client, &buf, 1, &sent, 0, &ov, nullptr);
  if (rc == SOCKET_ERROR) {
    ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  }
  Packet p = Next();
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.key, 7u);
  EXPECT_EQ(p.bytes, 7u);
  char buffer[16];
  EXPECT_EQ(recv(server, buffer, 7, MSG_WAITALL), 7);
}

TEST_F(Winsock, Spec44_ImmediateFailureQueuesNoPacket) {
  SOCKET s = NewSocket();
  Associate(s, 1);
  OVERLAPPED ov = {};
  char buffer[4];
  WSABUF buf = {sizeof(buffer), buffer};
  DWORD flags = 0;
  EXPECT_EQ(WSARecv(s, &buf, 1, nullptr, &flags, &ov, nullptr), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
  EXPECT_EQ(WSASend(s, &buf, 1, nullptr, 0, &ov, nullptr), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
  ExpectNoPacket();
}

TEST_F(Winsock, Spec45_GracefulCloseCompletesReceiveWithZeroBytes) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  OVERLAPPED ov = {};
  char buffer[8];
  PostRecv(server, buffer, sizeof(buffer), &ov);
  ASSERT_EQ(shutdown(client, SD_SEND), 0);
  Packet p = Next();
  EXPECT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.bytes, 0u);
  EXPECT_EQ(p.overlapped, &ov);
  ExpectNoPacket();  // spec 63: shutdown queued nothing
}

TEST_F(Winsock, Spec46_PeerResetFailsPendingReceive) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  OVERLAPPED ov = {};
  char buffer[8];
  PostRecv(server, buffer, sizeof(buffer), &ov);
  LINGER abort_close = {1, 0};
  ASSERT_EQ(setsockopt(client, SOL_SOCKET, SO_LINGER, reinterpret_cast<char*>(&abort_close),
                       sizeof(abort_close)),
            0);
  ASSERT_EQ(closesocket(client), 0);
  Forget(client);
  Packet p = Next();
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.overlapped, &ov);
  EXPECT_EQ(p.error, static_cast<DWORD>(ERROR_NETNAME_DELETED));
  EXPECT_EQ(ov.Internal, 0xC000020Du);
  DWORD bytes, flags;
  EXPECT_FALSE(WSAGetOverlappedResult(server, &ov, &bytes, FALSE, &flags));
  EXPECT_EQ(WSAGetLastError(), WSAECONNRESET);
  DWORD gor_bytes;
  EXPECT_FALSE(GetOverlappedResult(reinterpret_cast<HANDLE>(server), &ov, &gor_bytes, FALSE));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NETNAME_DELETED));
  // And a synchronous call sees the reset as WSAECONNRESET (spec 44).
  EXPECT_EQ(send(server, "x", 1, 0), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAECONNRESET);
}

TEST_F(Winsock, Spec47_BuffersFilledInOrderAndArrayCopied) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  char a[3], b[4], c[8];
  WSABUF bufs[3] = {{3, a}, {4, b}, {8, c}};
  OVERLAPPED ov = {};
  DWORD flags = 0;
  int rc = WSARecv(server, bufs, 3, nullptr, &flags, &ov, nullptr);
  if (rc == SOCKET_ERROR) {
    ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  }
  // The array may be reused at once.
  memset(bufs, 0, sizeof(bufs));
  SendAll(client, "0123456789");
  Packet p = Next();
  ASSERT_TRUE(p.ok) << p.error;
  std::string got = std::string(a, 3) + std::string(b, 4) + std::string(c, p.bytes - 7);
  EXPECT_EQ(p.bytes, 10u);
  EXPECT_EQ(got, "0123456789");
}

// spec 48: several pending receives of one socket are filled in issue order
// (io_uring alone would not order them; the socket queues them).
TEST_F(Winsock, Spec48_PendingReceivesFilledInIssueOrder) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  constexpr int kCount = 8;
  OVERLAPPED ov[kCount] = {};
  char buffers[kCount][1];
  for (int i = 0; i < kCount; ++i) PostRecv(server, buffers[i], 1, &ov[i]);
  SendAll(client, "abcdefgh");
  bool seen[kCount] = {};
  for (int i = 0; i < kCount; ++i) {
    Packet p = Next();
    ASSERT_TRUE(p.ok) << p.error;
    ASSERT_EQ(p.bytes, 1u);
    const int index = static_cast<int>(reinterpret_cast<OVERLAPPED*>(p.overlapped) - ov);
    ASSERT_GE(index, 0);
    ASSERT_LT(index, kCount);
    EXPECT_FALSE(seen[index]);
    seen[index] = true;
  }
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(buffers[i][0], "abcdefgh"[i]) << i;
}

TEST_F(Winsock, Spec36_48_ClosingWithQueuedReceivesAbortsEachOnce) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  constexpr int kCount = 5;
  OVERLAPPED ov[kCount] = {};
  char buffers[kCount][4];
  for (int i = 0; i < kCount; ++i) PostRecv(server, buffers[i], 4, &ov[i]);
  ASSERT_EQ(closesocket(server), 0);
  Forget(server);
  for (int i = 0; i < kCount; ++i) {
    Packet p = Next();
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p.error, static_cast<DWORD>(ERROR_CONNECTION_ABORTED));
  }
  ExpectNoPacket();
}

TEST_F(Winsock, Spec32_48_CancellingOneQueuedReceiveLeavesTheOthers) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  OVERLAPPED ov[3] = {};
  char buffers[3][1];
  for (int i = 0; i < 3; ++i) PostRecv(server, buffers[i], 1, &ov[i]);
  ASSERT_TRUE(CancelIoEx(reinterpret_cast<HANDLE>(server), &ov[1]));
  SendAll(client, "xy");
  int aborted = 0, received = 0;
  for (int i = 0; i < 3; ++i) {
    Packet p = Next();
    if (p.ok) {
      ++received;
      EXPECT_NE(p.overlapped, &ov[1]);
    } else {
      ++aborted;
      EXPECT_EQ(p.overlapped, &ov[1]);
      EXPECT_EQ(p.error, static_cast<DWORD>(ERROR_OPERATION_ABORTED));
    }
  }
  EXPECT_EQ(aborted, 1);
  EXPECT_EQ(received, 2);
  EXPECT_EQ(buffers[0][0], 'x');
  EXPECT_EQ(buffers[2][0], 'y');
}

TEST_F(Winsock, Spec49_ZeroCountIsEinvalAndZeroLengthWaitsWithoutConsuming) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  OVERLAPPED ov = {};
  WSABUF empty = {0, nullptr};
  DWORD flags = 0;
  EXPECT_EQ(WSARecv(server, &empty, 0, nullptr, &flags, &ov, nullptr), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
  int rc = WSARecv(server, &empty, 1, nullptr, &flags, &ov, nullptr);
  if (rc == SOCKET_ERROR) {
    ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  }
  ExpectNoPacket();
  SendAll(client, "kept");
  Packet p = Next();
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.bytes, 0u);
  char buffer[8];
  EXPECT_EQ(recv(server, buffer, sizeof(buffer), 0), 4);  // still there
}

TEST_F(Winsock, Spec50_53_TruncatedDatagramAndSourceAddress) {
  SOCKET receiver = NewSocket(AF_INET, SOCK_DGRAM);
  SOCKET sender = NewSocket(AF_INET, SOCK_DGRAM);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = kLoopback4;
  ASSERT_EQ(bind(receiver, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  int length = sizeof(address);
  ASSERT_EQ(getsockname(receiver, reinterpret_cast<sockaddr*>(&address), &length), 0);
  ASSERT_EQ(bind(sender, reinterpret_cast<sockaddr*>(&address), 0), SOCKET_ERROR);
  Associate(receiver, 3);

  char buffer[4];
  WSABUF buf = {sizeof(buffer), buffer};
  DWORD flags = 0;
  sockaddr_in from = {};
  from.sin_port = 0xBEEF;  // unchanged until completion
  INT from_length = sizeof(from);
  OVERLAPPED ov = {};
  int rc = WSARecvFrom(receiver, &buf, 1, nullptr, &flags, reinterpret_cast<sockaddr*>(&from),
                       &from_length, &ov, nullptr);
  ASSERT_EQ(rc, SOCKET_ERROR);
  ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  EXPECT_EQ(from.sin_port, 0xBEEF);

  DWORD sent = 0;
  EXPECT_EQ(WSASendTo(sender, &buf, 1, nullptr, 0, reinterpret_cast<sockaddr*>(&address),
                      sizeof(address), nullptr, nullptr),
            SOCKET_ERROR);  // spec 53: no count and no OVERLAPPED
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  char text[] = "too long for four";
  WSABUF out = {static_cast<ULONG>(strlen(text)), text};
  ASSERT_EQ(WSASendTo(sender, &out, 1, &sent, 0, reinterpret_cast<sockaddr*>(&address),
                      sizeof(address), nullptr, nullptr),
            0)
      << WSAGetLastError();
  EXPECT_EQ(sent, strlen(text));

  Packet p = Next();
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error, static_cast<DWORD>(ERROR_MORE_DATA));  // STATUS_BUFFER_OVERFLOW
  EXPECT_EQ(p.bytes, 4u);
  EXPECT_EQ(ov.Internal, 0x80000005u);
  DWORD bytes;
  EXPECT_FALSE(WSAGetOverlappedResult(receiver, &ov, &bytes, FALSE, &flags));
  EXPECT_EQ(WSAGetLastError(), WSAEMSGSIZE);
  EXPECT_EQ(bytes, 4u);
  EXPECT_EQ(from_length, 16);
  EXPECT_EQ(from.sin_family, AF_INET);
  EXPECT_EQ(from.sin_addr.s_addr, kLoopback4);
  EXPECT_NE(from.sin_port, 0xBEEF);
}

TEST_F(Winsock, Spec52_NonOverlappedSocketCompletesInline) {
  sockaddr_storage address;
  int length;
  SOCKET listener = Listen(AF_INET, &address, &length);
  SOCKET client = Track(WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, 0));
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&address), length), 0);
  SOCKET server = Track(accept(listener, nullptr, nullptr));
  SendAll(server, "sync");
  char buffer[8];
  WSABUF buf = {sizeof(buffer), buffer};
  DWORD flags = 0, bytes = 0;
  OVERLAPPED ov = {};
  ov.hEvent = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  ASSERT_EQ(WSARecv(client, &buf, 1, &bytes, &flags, &ov, nullptr), 0) << WSAGetLastError();
  EXPECT_EQ(bytes, 4u);
  EXPECT_EQ(ov.Internal, 0u);
  EXPECT_EQ(ov.InternalHigh, 4u);
  EXPECT_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
  CloseHandle(ov.hEvent);
  // And it cannot join a port (spec 5).
  EXPECT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(client), port_, 1, 0), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
}

// --- events, routines, modes, cancellation, close ---

TEST_F(Winsock, Spec28_EventLowBitSuppressesThePacket) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  HANDLE event = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  OVERLAPPED ov = {};
  ov.hEvent = reinterpret_cast<HANDLE>(reinterpret_cast<ULONG_PTR>(event) | 1);
  char buffer[4];
  PostRecv(server, buffer, sizeof(buffer), &ov);
  SendAll(client, "e");
  ASSERT_EQ(WaitForSingleObject(event, kLongMs), WAIT_OBJECT_0);
  DWORD bytes = 0, flags = 0;
  EXPECT_TRUE(WSAGetOverlappedResult(server, &ov, &bytes, TRUE, &flags));
  EXPECT_EQ(bytes, 1u);
  ExpectNoPacket();
  CloseHandle(event);
}

TEST_F(Winsock, Spec40_OverlappedResultWhilePendingAndOnNonSockets) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  OVERLAPPED ov = {};
  char buffer[4];
  PostRecv(server, buffer, sizeof(buffer), &ov);
  DWORD bytes, flags;
  EXPECT_FALSE(WSAGetOverlappedResult(server, &ov, &bytes, FALSE, &flags));
  EXPECT_EQ(WSAGetLastError(), WSA_IO_INCOMPLETE);
  EXPECT_FALSE(WSAGetOverlappedResult(reinterpret_cast<SOCKET>(port_), &ov, &bytes, FALSE, &flags));
  EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
  SendAll(client, "x");
  EXPECT_TRUE(WSAGetOverlappedResult(server, &ov, &bytes, TRUE, &flags));
  EXPECT_EQ(bytes, 1u);
  Packet p = Next();
  EXPECT_TRUE(p.ok);
}

TEST_F(Winsock, Spec8_CompletionRoutineAfterAssociationIsEinval) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  OVERLAPPED ov = {};
  char buffer[4];
  WSABUF buf = {sizeof(buffer), buffer};
  DWORD flags = 0;
  auto routine = [](DWORD, DWORD, LPWSAOVERLAPPED, DWORD) {};
  EXPECT_EQ(WSARecv(server, &buf, 1, nullptr, &flags, &ov, routine), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
  ExpectNoPacket();
}

struct RoutineRecord {
  static DWORD error;
  static DWORD bytes;
  static LPWSAOVERLAPPED overlapped;
  static int calls;
  static void CALLBACK Run(DWORD e, DWORD b, LPWSAOVERLAPPED o, DWORD) {
    error = e;
    bytes = b;
    overlapped = o;
    ++calls;
  }
};
DWORD RoutineRecord::error;
DWORD RoutineRecord::bytes;
LPWSAOVERLAPPED RoutineRecord::overlapped;
int RoutineRecord::calls;

TEST_F(Winsock, CompletionRoutineRunsInAlertableWaitOfTheIssuer) {
  SOCKET client, server;
  Pair(&client, &server);  // not associated
  OVERLAPPED ov = {};
  char buffer[8];
  WSABUF buf = {sizeof(buffer), buffer};
  DWORD flags = 0;
  RoutineRecord::calls = 0;
  int rc = WSARecv(server, &buf, 1, nullptr, &flags, &ov, &RoutineRecord::Run);
  ASSERT_EQ(rc, SOCKET_ERROR);
  ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  SendAll(client, "apc");
  EXPECT_EQ(RoutineRecord::calls, 0);  // only in an alertable wait
  EXPECT_EQ(SleepEx(kLongMs, TRUE), WAIT_IO_COMPLETION);
  EXPECT_EQ(RoutineRecord::calls, 1);
  EXPECT_EQ(RoutineRecord::error, 0u);
  EXPECT_EQ(RoutineRecord::bytes, 3u);
  EXPECT_EQ(RoutineRecord::overlapped, &ov);
}

TEST_F(Winsock, Spec32_33_CancelIoExAllThenNothingLeft) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 9);
  OVERLAPPED ov[2] = {};
  char buffers[2][4];
  PostRecv(server, buffers[0], 4, &ov[0]);
  PostRecv(server, buffers[1], 4, &ov[1]);
  ASSERT_TRUE(CancelIoEx(reinterpret_cast<HANDLE>(server), nullptr));
  for (int i = 0; i < 2; ++i) {
    Packet p = Next();
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p.error, static_cast<DWORD>(ERROR_OPERATION_ABORTED));
    EXPECT_EQ(p.key, 9u);
    EXPECT_EQ(reinterpret_cast<OVERLAPPED*>(p.overlapped)->Internal, 0xC0000120u);
  }
  EXPECT_FALSE(CancelIoEx(reinterpret_cast<HANDLE>(server), nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOT_FOUND));
}

TEST_F(Winsock, ConnectTimeCountsFromTheConnection) {
  SOCKET client, server;
  Pair(&client, &server);
  for (SOCKET s : {client, server}) {
    DWORD seconds = 0xFFFFFFFF;
    int size = sizeof(seconds);
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_CONNECT_TIME, reinterpret_cast<char*>(&seconds), &size),
              0);
    EXPECT_LE(seconds, 1u);  // connected just now (whole seconds)
  }
}

TEST_F(Winsock, Spec36_ClosingWithPendingReceiveAborts) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 5);
  OVERLAPPED ov = {};
  char buffer[4];
  PostRecv(server, buffer, sizeof(buffer), &ov);
  ASSERT_EQ(closesocket(server), 0);
  Forget(server);
  Packet p = Next();
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.overlapped, &ov);
  EXPECT_EQ(p.key, 5u);
  EXPECT_EQ(p.bytes, 0u);
  EXPECT_EQ(p.error, static_cast<DWORD>(ERROR_CONNECTION_ABORTED));
  EXPECT_EQ(ov.Internal, 0xC0000241u);
  // The peer sees the connection end.
  char c;
  EXPECT_EQ(recv(client, &c, 1, 0), 0);
}

// --- AcceptEx ---

class AcceptExTest : public Winsock {
 protected:
  static constexpr DWORD kArea = sizeof(sockaddr_in6) + 16;

  // A listener of `af` on the port with `key`, and an AcceptEx pending on it
  // for a fresh accept socket, asking for `receive` bytes of first data.
  void StartAccept(int af, ULONG_PTR key, DWORD receive) {
    listener_ = Listen(af, &address_, &length_);
    Associate(listener_, key);
    target_ = NewSocket(af);
    ASSERT_FALSE(AcceptEx(listener_, target_, output_, receive, kArea, kArea, nullptr, &ov_));
    ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  }
  SOCKET Connect(int af) {
    SOCKET client = NewSocket(af);
    EXPECT_EQ(connect(client, reinterpret_cast<sockaddr*>(&address_), length_), 0);
    return client;
  }

  char output_[64 + 2 * kArea] = {};
  sockaddr_storage address_;
  int length_ = 0;
  SOCKET listener_ = INVALID_SOCKET;
  SOCKET target_ = INVALID_SOCKET;
  OVERLAPPED ov_ = {};
};

// An AcceptEx (which waits for a connection, then for its first data) issued
// by a thread that exits before either arrives: spec 38.
struct AcceptPlan {
  SOCKET listener;
  SOCKET target;
  char* output;
  DWORD receive;
  DWORD area;
  OVERLAPPED* overlapped;
  BOOL ok;
  int error;
};

DWORD WINAPI IssueAcceptAndExit(LPVOID parameter) {
  auto* plan = static_cast<AcceptPlan*>(parameter);
  plan->ok = AcceptEx(plan->listener, plan->target, plan->output, plan->receive, plan->area,
                      plan->area, nullptr, plan->overlapped);
  plan->error = WSAGetLastError();
  return 0;
}

TEST_F(AcceptExTest, Spec38_AcceptExOutlivesTheThreadThatIssuedIt) {
  listener_ = Listen(AF_INET, &address_, &length_);
  Associate(listener_, 380);
  target_ = NewSocket();
  AcceptPlan plan = {listener_, target_, output_, 4, kArea, &ov_, TRUE, 0};
  RunOnAThreadThatExits(IssueAcceptAndExit, &plan);
  ASSERT_FALSE(plan.ok);
  ASSERT_EQ(plan.error, WSA_IO_PENDING);
  ExpectNoPacket();
  SOCKET client = Connect(AF_INET);
  ExpectNoPacket();  // connected; it now waits for the first data
  SendAll(client, "ping");
  Packet p = Next();
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.key, 380u);
  EXPECT_EQ(p.overlapped, &ov_);
  EXPECT_EQ(p.bytes, 4u);
  EXPECT_EQ(std::string(output_, 4), "ping");
}

TEST_F(AcceptExTest, Spec57_58_59_AcceptWithoutDataOnListenerKey) {
  sockaddr_storage address;
  int length;
  SOCKET listener = Listen(AF_INET, &address, &length);
  Associate(listener, 100);
  SOCKET target = NewSocket();
  Associate(target, 200);
  OVERLAPPED ov = {};
  DWORD received = 55;
  ASSERT_FALSE(AcceptEx(listener, target, output_, 0, kArea, kArea, &received, &ov));
  ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  // Reusing the accept socket while it is pending: spec 54.
  OVERLAPPED ov2 = {};
  EXPECT_FALSE(AcceptEx(listener, target, output_, 0, kArea, kArea, &received, &ov2));
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);

  SOCKET client = NewSocket();
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&address), length), 0);
  Packet p = Next();
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.key, 100u);  // spec 58
  EXPECT_EQ(p.overlapped, &ov);
  EXPECT_EQ(p.bytes, 0u);

  ASSERT_EQ(setsockopt(target, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT,
                       reinterpret_cast<char*>(&listener), sizeof(listener)),
            0);
  sockaddr *local = nullptr, *remote = nullptr;
  INT local_length = 0, remote_length = 0;
  GetAcceptExSockaddrs(output_, 0, kArea, kArea, &local, &local_length, &remote, &remote_length);
  ASSERT_NE(local, nullptr);
  ASSERT_NE(remote, nullptr);
  EXPECT_EQ(local_length, 16);
  EXPECT_EQ(remote_length, 16);
  sockaddr_in client_name = {};
  int client_length = sizeof(client_name);
  ASSERT_EQ(getsockname(client, reinterpret_cast<sockaddr*>(&client_name), &client_length), 0);
  EXPECT_EQ(reinterpret_cast<sockaddr_in*>(remote)->sin_port, client_name.sin_port);
  EXPECT_EQ(reinterpret_cast<sockaddr_in*>(local)->sin_port,
            reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  sockaddr_in target_name = {};
  int target_length = sizeof(target_name);
  ASSERT_EQ(getsockname(target, reinterpret_cast<sockaddr*>(&target_name), &target_length), 0);
  EXPECT_EQ(target_name.sin_port, reinterpret_cast<sockaddr_in*>(&address)->sin_port);

  // The accepted socket works, and its own packets carry its own key.
  char buffer[8];
  OVERLAPPED rov = {};
  PostRecv(target, buffer, sizeof(buffer), &rov);
  SendAll(client, "hi");
  Packet r = Next();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.key, 200u);
  EXPECT_EQ(r.bytes, 2u);
}

TEST_F(AcceptExTest, Spec57_AcceptWithFirstDataAndIpv6Addresses) {
  StartAccept(AF_INET6, 1, 16);
  SOCKET client = Connect(AF_INET6);
  ExpectNoPacket();  // connected, but no data yet
  SendAll(client, "first");
  Packet p = Next();
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.bytes, 5u);
  EXPECT_EQ(std::string(output_, 5), "first");
  sockaddr *local, *remote;
  INT local_length, remote_length;
  GetAcceptExSockaddrs(output_, 16, kArea, kArea, &local, &local_length, &remote, &remote_length);
  EXPECT_EQ(local_length, 28);
  EXPECT_EQ(remote_length, 28);
  EXPECT_EQ(local->sa_family, 23);
  EXPECT_EQ(remote->sa_family, 23);
}

TEST_F(AcceptExTest, Spec57_ClientThatClosesCompletesFirstDataAcceptWithZero) {
  StartAccept(AF_INET, 1, 16);
  SOCKET client = Connect(AF_INET);
  ASSERT_EQ(closesocket(client), 0);
  Forget(client);
  Packet p = Next();
  EXPECT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.bytes, 0u);
}

TEST_F(AcceptExTest, Spec27_54_55_56_BadArguments) {
  sockaddr_storage address;
  int length;
  SOCKET listener = Listen(AF_INET, &address, &length);
  Associate(listener, 1);
  SOCKET target = NewSocket();
  OVERLAPPED ov = {};
  ov.Internal = 12345;
  EXPECT_FALSE(AcceptEx(listener, 999999, output_, 0, kArea, kArea, nullptr, &ov));
  EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
  EXPECT_EQ(ov.Internal, 0x103u);  // spec 27
  EXPECT_FALSE(AcceptEx(999999, target, output_, 0, kArea, kArea, nullptr, &ov));
  EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
  EXPECT_FALSE(AcceptEx(listener, target, output_, 0, kArea, kArea, nullptr, nullptr));
  EXPECT_EQ(WSAGetLastError(), ERROR_INVALID_PARAMETER);
  EXPECT_FALSE(AcceptEx(listener, target, output_, 0, kArea, 0, nullptr, &ov));
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  SOCKET not_listening = NewSocket();
  EXPECT_FALSE(AcceptEx(not_listening, target, output_, 0, kArea, kArea, nullptr, &ov));
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
  SOCKET bound = NewSocket();
  BindLoopback(bound);
  EXPECT_FALSE(AcceptEx(listener, bound, output_, 0, kArea, kArea, nullptr, &ov));
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
  ExpectNoPacket();
  // spec 56: a local area of 3 bytes pends, then fails with 122.
  ASSERT_FALSE(AcceptEx(listener, target, output_, 0, 3, kArea, nullptr, &ov));
  ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  Packet p = Next();
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error, static_cast<DWORD>(ERROR_INSUFFICIENT_BUFFER));
}

TEST_F(AcceptExTest, Spec35_37_ClosingListenerOrAcceptSocketCancels) {
  StartAccept(AF_INET, 77, 0);
  SOCKET listener = listener_;
  SOCKET target = target_;
  // CancelIo on the accept socket does not touch it (spec 35).
  EXPECT_TRUE(CancelIo(reinterpret_cast<HANDLE>(target)));
  ExpectNoPacket();
  ASSERT_EQ(closesocket(target), 0);
  Forget(target);
  Packet p = Next();
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error, static_cast<DWORD>(ERROR_OPERATION_ABORTED));
  EXPECT_EQ(p.key, 77u);

  SOCKET target2 = NewSocket();
  OVERLAPPED ov2 = {};
  ASSERT_FALSE(AcceptEx(listener, target2, output_, 0, kArea, kArea, nullptr, &ov2));
  ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  ASSERT_EQ(closesocket(listener), 0);
  Forget(listener);
  p = Next();
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.overlapped, &ov2);
  EXPECT_EQ(p.error, static_cast<DWORD>(ERROR_OPERATION_ABORTED));
  EXPECT_EQ(p.key, 77u);
}

TEST_F(AcceptExTest, Spec37_ClosingAnAcceptSocketCancelsOnlyItsAcceptEx) {
  StartAccept(AF_INET, 78, 0);
  SOCKET other = NewSocket();
  OVERLAPPED ov2 = {};
  char output2[2 * kArea] = {};
  ASSERT_FALSE(AcceptEx(listener_, other, output2, 0, kArea, kArea, nullptr, &ov2));
  ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  // Two AcceptEx on one listener: closing the second's accept socket ends
  // that one only (the listener's request is found by its accept socket).
  ASSERT_EQ(closesocket(other), 0);
  Forget(other);
  Packet p = Next();
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.overlapped, &ov2);
  EXPECT_EQ(p.error, static_cast<DWORD>(ERROR_OPERATION_ABORTED));
  ExpectNoPacket();
  SOCKET client = Connect(AF_INET);
  p = Next();
  EXPECT_TRUE(p.ok);
  EXPECT_EQ(p.overlapped, &ov_);
  EXPECT_EQ(p.key, 78u);
  EXPECT_EQ(setsockopt(target_, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT,
                       reinterpret_cast<char*>(&listener_), sizeof(listener_)),
            0);
  EXPECT_EQ(send(client, "x", 1, 0), 1);
  char c = 0;
  EXPECT_EQ(recv(target_, &c, 1, 0), 1);
  EXPECT_EQ(c, 'x');
}

// --- ConnectEx / DisconnectEx / extension pointers ---

TEST_F(Winsock, Spec66_ExtensionFunctionPointers) {
  SOCKET s = NewSocket();
  GUID guids[] = {WSAID_ACCEPTEX, WSAID_GETACCEPTEXSOCKADDRS, WSAID_CONNECTEX, WSAID_DISCONNECTEX};
  void* expected[] = {reinterpret_cast<void*>(&AcceptEx),
                      reinterpret_cast<void*>(&GetAcceptExSockaddrs), nullptr, nullptr};
  for (int i = 0; i < 4; ++i) {
    void* fn = nullptr;
    DWORD bytes = 0;
    ASSERT_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guids[i], sizeof(GUID), &fn,
                       sizeof(fn), &bytes, nullptr, nullptr),
              0);
    EXPECT_EQ(bytes, sizeof(fn));
    EXPECT_NE(fn, nullptr);
    if (expected[i]) {
      EXPECT_EQ(fn, expected[i]);
    }
  }
  GUID unknown = {1, 2, 3, {4, 5, 6, 7, 8, 9, 10, 11}};
  void* fn;
  DWORD bytes;
  EXPECT_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &unknown, sizeof(GUID), &fn, sizeof(fn),
                     &bytes, nullptr, nullptr),
            SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
}

LPFN_CONNECTEX GetConnectEx(SOCKET s) {
  GUID guid = WSAID_CONNECTEX;
  LPFN_CONNECTEX fn = nullptr;
  DWORD bytes;
  WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &fn, sizeof(fn), &bytes,
           nullptr, nullptr);
  return fn;
}

LPFN_DISCONNECTEX GetDisconnectEx(SOCKET s) {
  GUID guid = WSAID_DISCONNECTEX;
  LPFN_DISCONNECTEX fn = nullptr;
  DWORD bytes;
  WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &fn, sizeof(fn), &bytes,
           nullptr, nullptr);
  return fn;
}

TEST_F(Winsock, Spec60_61_ConnectExWithDataAndItsErrors) {
  sockaddr_storage address;
  int length;
  SOCKET listener = Listen(AF_INET, &address, &length);
  SOCKET s = NewSocket();
  LPFN_CONNECTEX connect_ex = GetConnectEx(s);
  ASSERT_NE(connect_ex, nullptr);
  Associate(s, 31);
  OVERLAPPED ov = {};
  char data[] = "hello";
  EXPECT_FALSE(connect_ex(s, reinterpret_cast<sockaddr*>(&address), length, data, 5, nullptr, &ov));
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);  // not bound
  EXPECT_EQ(ov.Internal, 0x103u);           // spec 27
  EXPECT_FALSE(
      connect_ex(s, reinterpret_cast<sockaddr*>(&address), length, data, 5, nullptr, nullptr));
  EXPECT_EQ(WSAGetLastError(), ERROR_INVALID_PARAMETER);
  EXPECT_FALSE(
      connect_ex(12345, reinterpret_cast<sockaddr*>(&address), length, data, 5, nullptr, &ov));
  EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
  EXPECT_FALSE(
      connect_ex(listener, reinterpret_cast<sockaddr*>(&address), length, data, 5, nullptr, &ov));
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);  // listening

  BindLoopback(s);
  DWORD sent = 0;
  ASSERT_FALSE(connect_ex(s, reinterpret_cast<sockaddr*>(&address), length, data, 5, &sent, &ov));
  ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  Packet p = Next();
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.key, 31u);
  EXPECT_EQ(p.bytes, 5u);                                                          // spec 61
  EXPECT_EQ(setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, nullptr, 0), 0);  // spec 62
  SOCKET server = Track(accept(listener, nullptr, nullptr));
  char buffer[8];
  EXPECT_EQ(recv(server, buffer, 5, MSG_WAITALL), 5);
  EXPECT_EQ(std::string(buffer, 5), "hello");
  OVERLAPPED again = {};
  EXPECT_FALSE(
      connect_ex(s, reinterpret_cast<sockaddr*>(&address), length, nullptr, 0, nullptr, &again));
  EXPECT_EQ(WSAGetLastError(), WSAEISCONN);
  ExpectNoPacket();
}

// A ConnectEx (with data to send once connected) issued by a thread that
// exits while the connection is still being made: it completes all the same
// (spec 38). The listener's backlog is full, so the connection waits for the
// client's next SYN (about a second on Linux) after the queue is freed.
struct ConnectPlan {
  LPFN_CONNECTEX connect_ex;
  SOCKET socket;
  const sockaddr* address;
  int length;
  char* data;
  OVERLAPPED* overlapped;
  BOOL ok;
  int error;
};

DWORD WINAPI IssueConnectAndExit(LPVOID parameter) {
  auto* plan = static_cast<ConnectPlan*>(parameter);
  plan->ok = plan->connect_ex(plan->socket, plan->address, plan->length, plan->data, 4, nullptr,
                              plan->overlapped);
  plan->error = WSAGetLastError();
  return 0;
}

TEST_F(Winsock, Spec38_ConnectExOutlivesTheThreadThatIssuedIt) {
  SOCKET listener = NewSocket();
  BindLoopback(listener);
  sockaddr_in address = {};
  int length = sizeof(address);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  ASSERT_EQ(listen(listener, 0), 0);
  SOCKET first = NewSocket();  // fills the accept queue
  ASSERT_EQ(connect(first, reinterpret_cast<sockaddr*>(&address), length), 0);

  SOCKET s = NewSocket();
  BindLoopback(s);
  Associate(s, 380);
  OVERLAPPED ov = {};
  char data[] = "data";
  ConnectPlan plan = {
      GetConnectEx(s), s, reinterpret_cast<sockaddr*>(&address), length, data, &ov, TRUE, 0};
  ASSERT_NE(plan.connect_ex, nullptr);
  RunOnAThreadThatExits(IssueConnectAndExit, &plan);
  ASSERT_FALSE(plan.ok);
  ASSERT_EQ(plan.error, WSA_IO_PENDING);
  ExpectNoPacket();                           // still connecting
  Track(accept(listener, nullptr, nullptr));  // room for it now
  Packet p = Next();
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.key, 380u);
  EXPECT_EQ(p.overlapped, &ov);
  EXPECT_EQ(p.bytes, 4u);
  SOCKET server = Track(accept(listener, nullptr, nullptr));
  char buffer[4];
  EXPECT_EQ(recv(server, buffer, 4, MSG_WAITALL), 4);
  EXPECT_EQ(std::string(buffer, 4), "data");
}

TEST_F(Winsock, Spec62_ConnectExRefused) {
  sockaddr_in address = RefusingAddress();
  int length = sizeof(address);
  SOCKET s = NewSocket();
  BindLoopback(s);
  Associate(s, 1);
  OVERLAPPED ov = {};
  ASSERT_FALSE(
      GetConnectEx(s)(s, reinterpret_cast<sockaddr*>(&address), length, nullptr, 0, nullptr, &ov));
  ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  Packet p = Next();
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error, static_cast<DWORD>(ERROR_CONNECTION_REFUSED));
  EXPECT_EQ(ov.Internal, 0xC0000236u);
  DWORD bytes, flags;
  EXPECT_FALSE(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
  EXPECT_EQ(WSAGetLastError(), WSAECONNREFUSED);
  // The synchronous connect reports it directly (spec 63: no packet).
  SOCKET t = NewSocket();
  Associate(t, 2);
  EXPECT_EQ(connect(t, reinterpret_cast<sockaddr*>(&address), length), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAECONNREFUSED);
  ExpectNoPacket();
}

TEST_F(Winsock, Spec64_DisconnectEx) {
  SOCKET client, server;
  Pair(&client, &server);
  LPFN_DISCONNECTEX disconnect_ex = GetDisconnectEx(client);
  ASSERT_NE(disconnect_ex, nullptr);
  EXPECT_FALSE(disconnect_ex(12345, nullptr, 0, 0));
  EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
  EXPECT_FALSE(disconnect_ex(client, nullptr, 0, 1));
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
  EXPECT_FALSE(disconnect_ex(client, nullptr, 0x80, 0));
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
  SOCKET lone = NewSocket();
  EXPECT_FALSE(disconnect_ex(lone, nullptr, 0, 0));
  EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
  Associate(client, 4);
  OVERLAPPED ov = {};
  ASSERT_FALSE(disconnect_ex(client, &ov, 0, 0));
  ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  Packet p = Next();
  EXPECT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.bytes, 0u);
  EXPECT_EQ(p.key, 4u);
  EXPECT_EQ(send(client, "x", 1, 0), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAESHUTDOWN);
  char c;
  EXPECT_EQ(recv(server, &c, 1, 0), 0);
}

TEST_F(Winsock, Spec64_DisconnectExReuseLetsConnectExRunAgain) {
  sockaddr_storage address;
  int length;
  SOCKET listener = Listen(AF_INET, &address, &length);
  SOCKET s = NewSocket();
  ASSERT_EQ(connect(s, reinterpret_cast<sockaddr*>(&address), length), 0);
  SOCKET first = Track(accept(listener, nullptr, nullptr));
  (void)first;
  ASSERT_TRUE(GetDisconnectEx(s)(s, nullptr, TF_REUSE_SOCKET, 0)) << WSAGetLastError();
  BindLoopback(s);
  Associate(s, 1);
  OVERLAPPED ov = {};
  ASSERT_FALSE(
      GetConnectEx(s)(s, reinterpret_cast<sockaddr*>(&address), length, nullptr, 0, nullptr, &ov));
  ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  Packet p = Next();
  EXPECT_TRUE(p.ok) << p.error;
}

std::string ReadAll(SOCKET s, size_t want) {
  std::string got;
  char buffer[4096];
  while (got.size() < want) {
    int n = recv(s, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    got.append(buffer, static_cast<size_t>(n));
  }
  return got;
}

TEST_F(Winsock, Spec65_TransmitFileSendsHeadFileTailInOrder) {
  const char* dir = getenv("TEST_TMPDIR");
  std::string path = std::string(dir ? dir : "/tmp") + "/transmit." + std::to_string(rand());
  HANDLE file = CreateFileA(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                            FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(file, INVALID_HANDLE_VALUE) << GetLastError();
  std::string content;
  for (int i = 0; i < 100000; ++i) content += static_cast<char>('a' + i % 26);
  DWORD written = 0;
  ASSERT_TRUE(
      WriteFile(file, content.data(), static_cast<DWORD>(content.size()), &written, nullptr));
  ASSERT_EQ(written, content.size());

  SOCKET client, server;
  Pair(&client, &server);
  EXPECT_FALSE(TransmitFile(12345, file, 0, 0, nullptr, nullptr, 0));
  EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
  SOCKET lone = NewSocket();
  EXPECT_FALSE(TransmitFile(lone, file, 0, 0, nullptr, nullptr, 0));
  EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);

  Associate(client, 65);
  char head[] = "HEAD:";
  char tail[] = ":TAIL";
  TRANSMIT_FILE_BUFFERS buffers = {head, 5, tail, 5};
  OVERLAPPED ov = {};
  ov.Offset = 10;  // from byte 10 of the file
  ASSERT_FALSE(TransmitFile(client, file, 0, 0, &ov, &buffers, TF_DISCONNECT));
  ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
  std::string expected = "HEAD:" + content.substr(10) + ":TAIL";
  std::string got = ReadAll(server, expected.size() + 1);  // + 1: reads to the FIN
  Packet p = Next();
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.key, 65u);
  EXPECT_EQ(p.bytes, expected.size());
  EXPECT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected);
  EXPECT_EQ(send(client, "x", 1, 0), SOCKET_ERROR);  // TF_DISCONNECT shut it down
  EXPECT_EQ(WSAGetLastError(), WSAESHUTDOWN);
  CloseHandle(file);
  DeleteFileA(path.c_str());
}

TEST_F(Winsock, Spec65_TransmitFileWithoutAFileSendsTheBuffers) {
  SOCKET client, server;
  Pair(&client, &server);
  char head[] = "only";
  TRANSMIT_FILE_BUFFERS buffers = {head, 4, nullptr, 0};
  ASSERT_TRUE(TransmitFile(client, nullptr, 0, 0, nullptr, &buffers, 0)) << WSAGetLastError();
  EXPECT_EQ(ReadAll(server, 4), "only");
}

TEST_F(Winsock, Spec69_ReadFileAndWriteFileOnASocket) {
  SOCKET client, server;
  Pair(&client, &server);
  Associate(server, 1);
  Associate(client, 2);
  OVERLAPPED wov = {};
  ASSERT_FALSE(WriteFile(reinterpret_cast<HANDLE>(client), "file", 4, nullptr, &wov));
  ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  char buffer[8];
  OVERLAPPED rov = {};
  rov.Offset = 12345;  // ignored for a socket
  ASSERT_FALSE(ReadFile(reinterpret_cast<HANDLE>(server), buffer, sizeof(buffer), nullptr, &rov));
  ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  DWORD total = 0;
  for (int i = 0; i < 2; ++i) {
    Packet p = Next();
    ASSERT_TRUE(p.ok) << p.error;
    total += p.bytes;
  }
  EXPECT_EQ(total, 8u);
  EXPECT_EQ(std::string(buffer, 4), "file");
}

}  // namespace
