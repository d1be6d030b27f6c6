// Pipes through the public API: CreatePipe's anonymous pipes, and named
// pipes (CreateNamedPipeA, ConnectNamedPipe overlapped and blocking,
// CreateFileA on \\.\pipe\ names, DisconnectNamedPipe, WaitNamedPipeA,
// PeekNamedPipe) with their completion packets and Windows' error numbers.
// Built over the raw ring and the fake ring.
#include <string.h>
#include <unistd.h>
#include <windows.h>

#include <string>

#include "gtest/gtest.h"

namespace {

constexpr DWORD kLongMs = 10000;

// A pipe name no other test (or test process) uses.
std::string UniqueName(const char* tag) {
  static int counter = 0;
  return std::string("\\\\.\\pipe\\iocp-test-") + tag + "-" + std::to_string(getpid()) + "-" +
         std::to_string(++counter);
}

HANDLE OverlappedServer(const std::string& name, DWORD max_instances = 1,
                        DWORD access = PIPE_ACCESS_DUPLEX) {
  return CreateNamedPipeA(name.c_str(), access | FILE_FLAG_OVERLAPPED,
                          PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, max_instances, 4096,
                          4096, 0, nullptr);
}

HANDLE Client(const std::string& name, DWORD flags = 0) {
  return CreateFileA(name.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, flags,
                     nullptr);
}

// One packet from `port`: its status (TRUE/FALSE), error, bytes, key, OVERLAPPED.
struct Dequeued {
  BOOL ok;
  DWORD error;
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED overlapped;
};

Dequeued Dequeue(HANDLE port, DWORD timeout = kLongMs) {
  Dequeued d = {};
  SetLastError(0);
  d.ok = GetQueuedCompletionStatus(port, &d.bytes, &d.key, &d.overlapped, timeout);
  d.error = d.ok ? 0 : GetLastError();
  return d;
}

// --- Anonymous pipes ---

TEST(AnonymousPipe, BytesFlowOneWayAndEachEndRefusesTheOtherDirection) {
  HANDLE read_end, write_end;
  ASSERT_TRUE(CreatePipe(&read_end, &write_end, nullptr, 0));
  DWORD done = 0;
  ASSERT_TRUE(WriteFile(write_end, "hello", 5, &done, nullptr));
  EXPECT_EQ(done, 5u);
  char buffer[16] = {};
  ASSERT_TRUE(ReadFile(read_end, buffer, sizeof(buffer), &done, nullptr));
  EXPECT_EQ(std::string(buffer, done), "hello");
  EXPECT_FALSE(WriteFile(read_end, "x", 1, &done, nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_ACCESS_DENIED));
  EXPECT_FALSE(ReadFile(write_end, buffer, 1, &done, nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_ACCESS_DENIED));
  EXPECT_EQ(GetFileType(read_end), static_cast<DWORD>(FILE_TYPE_PIPE));
  // Not opened for overlapped I/O: no port (spec 5).
  EXPECT_EQ(CreateIoCompletionPort(read_end, nullptr, 0, 0), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_TRUE(CloseHandle(read_end));
  EXPECT_TRUE(CloseHandle(write_end));
}

TEST(AnonymousPipe, ClosingAnEndBreaksThePipeForTheOther) {
  HANDLE read_end, write_end;
  ASSERT_TRUE(CreatePipe(&read_end, &write_end, nullptr, 0));
  DWORD done = 0;
  ASSERT_TRUE(WriteFile(write_end, "last", 4, &done, nullptr));
  ASSERT_TRUE(CloseHandle(write_end));
  char buffer[8];
  ASSERT_TRUE(ReadFile(read_end, buffer, sizeof(buffer), &done, nullptr));  // data first
  EXPECT_EQ(done, 4u);
  EXPECT_FALSE(ReadFile(read_end, buffer, sizeof(buffer), &done, nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_BROKEN_PIPE));
  EXPECT_EQ(done, 0u);
  CloseHandle(read_end);

  ASSERT_TRUE(CreatePipe(&read_end, &write_end, nullptr, 0));
  ASSERT_TRUE(CloseHandle(read_end));
  EXPECT_FALSE(WriteFile(write_end, "x", 1, &done, nullptr));  // no SIGPIPE either
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NO_DATA));
  CloseHandle(write_end);
  EXPECT_FALSE(CreatePipe(nullptr, &write_end, nullptr, 0));
}

// --- Named pipes ---

TEST(NamedPipe, OverlappedConnectReadAndWriteReportThroughThePort) {
  const std::string name = UniqueName("basic");
  HANDLE server = OverlappedServer(name);
  ASSERT_NE(server, INVALID_HANDLE_VALUE) << GetLastError();
  HANDLE port = CreateIoCompletionPort(server, nullptr, 42, 0);
  ASSERT_NE(port, nullptr);

  OVERLAPPED connect_ov = {};
  EXPECT_FALSE(ConnectNamedPipe(server, &connect_ov));
  ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  EXPECT_EQ(connect_ov.Internal, static_cast<ULONG_PTR>(STATUS_PENDING));
  HANDLE client = Client(name);
  ASSERT_NE(client, INVALID_HANDLE_VALUE) << GetLastError();
  Dequeued d = Dequeue(port);
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.overlapped, &connect_ov);
  EXPECT_EQ(d.key, 42u);
  EXPECT_EQ(d.bytes, 0u);

  char buffer[32] = {};
  OVERLAPPED read_ov = {};
  EXPECT_FALSE(ReadFile(server, buffer, sizeof(buffer), nullptr, &read_ov));
  ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  DWORD done = 0;
  ASSERT_TRUE(WriteFile(client, "ping", 4, &done, nullptr));
  d = Dequeue(port);
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.overlapped, &read_ov);
  EXPECT_EQ(std::string(buffer, d.bytes), "ping");

  OVERLAPPED write_ov = {};
  EXPECT_FALSE(WriteFile(server, "pong", 4, nullptr, &write_ov));
  ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  d = Dequeue(port);
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.bytes, 4u);
  ASSERT_TRUE(ReadFile(client, buffer, sizeof(buffer), &done, nullptr));
  EXPECT_EQ(std::string(buffer, done), "pong");

  // The client goes away: the server's pending read fails with a broken
  // pipe, and a write after it with ERROR_NO_DATA.
  OVERLAPPED broken_ov = {};
  EXPECT_FALSE(ReadFile(server, buffer, sizeof(buffer), nullptr, &broken_ov));
  ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  ASSERT_TRUE(CloseHandle(client));
  d = Dequeue(port);
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.error, static_cast<DWORD>(ERROR_BROKEN_PIPE));
  EXPECT_EQ(d.overlapped, &broken_ov);
  EXPECT_EQ(broken_ov.Internal, static_cast<ULONG_PTR>(0xC000014B));  // STATUS_PIPE_BROKEN
  OVERLAPPED late_ov = {};
  if (!WriteFile(server, "x", 1, nullptr, &late_ov)) {
    ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  }
  d = Dequeue(port);
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.error, static_cast<DWORD>(ERROR_NO_DATA));
  CloseHandle(server);
  CloseHandle(port);
}

// A ConnectNamedPipe and a ReadFile issued by threads that exit before they
// complete: the handle has a port, so its I/O outlives them (spec 38).
struct PipeCall {
  HANDLE pipe;
  OVERLAPPED* overlapped;
  char* buffer;  // null: ConnectNamedPipe, else ReadFile into it
  DWORD length;
  BOOL ok;
  DWORD error;
};

DWORD WINAPI CallAndExit(LPVOID parameter) {
  auto* call = static_cast<PipeCall*>(parameter);
  call->ok = call->buffer == nullptr
                 ? ConnectNamedPipe(call->pipe, call->overlapped)
                 : ReadFile(call->pipe, call->buffer, call->length, nullptr, call->overlapped);
  call->error = GetLastError();
  return 0;
}

void CallFromAThreadThatExits(PipeCall* call) {
  HANDLE thread = CreateThread(nullptr, 0, CallAndExit, call, 0, nullptr);
  ASSERT_NE(thread, nullptr);
  ASSERT_EQ(WaitForSingleObject(thread, kLongMs), WAIT_OBJECT_0);
  CloseHandle(thread);
  ASSERT_FALSE(call->ok);
  ASSERT_EQ(call->error, static_cast<DWORD>(ERROR_IO_PENDING));
}

TEST(NamedPipe, ConnectAndReadOutliveTheThreadsThatIssuedThem) {
  const std::string name = UniqueName("exit");
  HANDLE server = OverlappedServer(name);
  ASSERT_NE(server, INVALID_HANDLE_VALUE) << GetLastError();
  HANDLE port = CreateIoCompletionPort(server, nullptr, 38, 0);
  ASSERT_NE(port, nullptr);

  OVERLAPPED connect_ov = {};
  PipeCall connect = {server, &connect_ov, nullptr, 0, TRUE, 0};
  CallFromAThreadThatExits(&connect);
  EXPECT_FALSE(Dequeue(port, 0).ok);
  HANDLE client = Client(name);
  ASSERT_NE(client, INVALID_HANDLE_VALUE) << GetLastError();
  Dequeued d = Dequeue(port);
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.overlapped, &connect_ov);
  EXPECT_EQ(d.key, 38u);

  char buffer[16] = {};
  OVERLAPPED read_ov = {};
  PipeCall read = {server, &read_ov, buffer, sizeof(buffer), TRUE, 0};
  CallFromAThreadThatExits(&read);
  EXPECT_FALSE(Dequeue(port, 0).ok);
  DWORD done = 0;
  ASSERT_TRUE(WriteFile(client, "after", 5, &done, nullptr));
  d = Dequeue(port);
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.overlapped, &read_ov);
  EXPECT_EQ(std::string(buffer, d.bytes), "after");
  CloseHandle(client);
  CloseHandle(server);
  CloseHandle(port);
}

TEST(NamedPipe, AClientBeforeConnectNamedPipeGivesPipeConnectedAndNoPacket) {
  const std::string name = UniqueName("early");
  HANDLE server = OverlappedServer(name);
  HANDLE port = CreateIoCompletionPort(server, nullptr, 1, 0);
  HANDLE client = Client(name);
  ASSERT_NE(client, INVALID_HANDLE_VALUE) << GetLastError();
  OVERLAPPED ov = {};
  ov.Internal = 0x1234;
  EXPECT_FALSE(ConnectNamedPipe(server, &ov));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_PIPE_CONNECTED));
  EXPECT_EQ(ov.Internal, 0x1234u);
  Dequeued d = Dequeue(port, 0);
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.error, static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(d.overlapped, nullptr);
  // Connected: asking again says so too.
  EXPECT_FALSE(ConnectNamedPipe(server, &ov));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_PIPE_CONNECTED));
  DWORD done;
  ASSERT_TRUE(WriteFile(client, "a", 1, &done, nullptr));
  char c = 0;
  OVERLAPPED read_ov = {};
  if (!ReadFile(server, &c, 1, nullptr, &read_ov)) {
    ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  }
  ASSERT_TRUE(Dequeue(port).ok);
  EXPECT_EQ(c, 'a');
  CloseHandle(client);
  CloseHandle(server);
  CloseHandle(port);
}

TEST(NamedPipe, NamesInstancesAndTheirErrors) {
  EXPECT_EQ(Client(UniqueName("missing")), INVALID_HANDLE_VALUE);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_FILE_NOT_FOUND));
  EXPECT_EQ(CreateNamedPipeA("\\\\.\\notapipe\\x", PIPE_ACCESS_DUPLEX, 0, 1, 0, 0, 0, nullptr),
            INVALID_HANDLE_VALUE);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_NAME));
  const std::string name = UniqueName("instances");
  EXPECT_EQ(CreateNamedPipeA(name.c_str(), PIPE_ACCESS_DUPLEX, 0, 0, 0, 0, 0, nullptr),
            INVALID_HANDLE_VALUE);  // no instances allowed
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(CreateNamedPipeA(name.c_str(), 0, 0, 1, 0, 0, 0, nullptr), INVALID_HANDLE_VALUE);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));  // no direction

  HANDLE first = OverlappedServer(name, 2);
  ASSERT_NE(first, INVALID_HANDLE_VALUE);
  HANDLE again = CreateNamedPipeA(name.c_str(), PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE,
                                  0, 2, 0, 0, 0, nullptr);
  EXPECT_EQ(again, INVALID_HANDLE_VALUE);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_ACCESS_DENIED));
  // Names ignore case.
  std::string upper = name;
  for (char& ch : upper) ch = static_cast<char>(toupper(static_cast<unsigned char>(ch)));
  HANDLE second = OverlappedServer(upper, 2);
  ASSERT_NE(second, INVALID_HANDLE_VALUE);
  EXPECT_EQ(OverlappedServer(name, 2), INVALID_HANDLE_VALUE);  // both instances exist
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_PIPE_BUSY));

  // Before a client: reading or writing the instance fails as listening.
  char c;
  OVERLAPPED ov = {};
  EXPECT_FALSE(ReadFile(first, &c, 1, nullptr, &ov));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_PIPE_LISTENING));

  HANDLE a = Client(name);
  HANDLE b = Client(upper);
  ASSERT_NE(a, INVALID_HANDLE_VALUE);
  ASSERT_NE(b, INVALID_HANDLE_VALUE);
  EXPECT_EQ(Client(name), INVALID_HANDLE_VALUE);  // every instance taken
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_PIPE_BUSY));
  EXPECT_FALSE(WaitNamedPipeA(name.c_str(), 1));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_SEM_TIMEOUT));
  EXPECT_FALSE(WaitNamedPipeA(UniqueName("nobody").c_str(), 1));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_FILE_NOT_FOUND));
  CloseHandle(a);
  CloseHandle(b);
  CloseHandle(first);
  CloseHandle(second);
  EXPECT_EQ(Client(name), INVALID_HANDLE_VALUE);  // the name is gone with its instances
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_FILE_NOT_FOUND));
  EXPECT_EQ(CreateNamedPipeA(name.c_str(), PIPE_ACCESS_DUPLEX, 4 /* PIPE_TYPE_MESSAGE */, 1, 0, 0,
                             0, nullptr),
            INVALID_HANDLE_VALUE);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOT_SUPPORTED));
}

TEST(NamedPipe, DisconnectDropsTheClientAndTheInstanceServesAnother) {
  const std::string name = UniqueName("reuse");
  HANDLE server = OverlappedServer(name);
  HANDLE port = CreateIoCompletionPort(server, nullptr, 7, 0);
  for (int round = 0; round < 3; ++round) {
    EXPECT_TRUE(WaitNamedPipeA(name.c_str(), NMPWAIT_WAIT_FOREVER));
    OVERLAPPED ov = {};
    const BOOL connected = ConnectNamedPipe(server, &ov);
    const DWORD error = GetLastError();
    HANDLE client = Client(name);
    ASSERT_NE(client, INVALID_HANDLE_VALUE) << round << " " << GetLastError();
    if (!connected && error == ERROR_IO_PENDING) {
      ASSERT_TRUE(Dequeue(port).ok);
    } else {
      ASSERT_EQ(error, static_cast<DWORD>(ERROR_PIPE_CONNECTED));
    }
    OVERLAPPED write_ov = {};
    const char byte = static_cast<char>('0' + round);
    if (!WriteFile(server, &byte, 1, nullptr, &write_ov)) {
      ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
    }
    ASSERT_TRUE(Dequeue(port).ok);
    char got = 0;
    DWORD done = 0;
    ASSERT_TRUE(ReadFile(client, &got, 1, &done, nullptr));
    EXPECT_EQ(got, byte);
    DWORD available = 99;
    EXPECT_TRUE(PeekNamedPipe(client, nullptr, 0, nullptr, &available, nullptr));
    EXPECT_EQ(available, 0u);
    ASSERT_TRUE(DisconnectNamedPipe(server));
    EXPECT_FALSE(ReadFile(client, &got, 1, &done, nullptr));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_BROKEN_PIPE));
    OVERLAPPED after = {};
    EXPECT_FALSE(ReadFile(server, &got, 1, nullptr, &after));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_PIPE_NOT_CONNECTED));
    EXPECT_FALSE(DisconnectNamedPipe(client));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_FUNCTION));
    CloseHandle(client);
  }
  CloseHandle(server);
  CloseHandle(port);
}

TEST(NamedPipe, APendingConnectEndsWithOperationAbortedOnCancelAndOnClose) {
  const std::string name = UniqueName("cancel");
  HANDLE server = OverlappedServer(name);
  HANDLE port = CreateIoCompletionPort(server, nullptr, 3, 0);
  OVERLAPPED ov = {};
  EXPECT_FALSE(ConnectNamedPipe(server, &ov));
  ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  OVERLAPPED second = {};
  EXPECT_FALSE(ConnectNamedPipe(server, &second));  // one at a time
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  ASSERT_TRUE(CancelIoEx(server, &ov));
  Dequeued d = Dequeue(port);
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.error, static_cast<DWORD>(ERROR_OPERATION_ABORTED));
  EXPECT_EQ(d.overlapped, &ov);

  EXPECT_FALSE(ConnectNamedPipe(server, &ov));
  ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  ASSERT_TRUE(CloseHandle(server));
  d = Dequeue(port);
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.error, static_cast<DWORD>(ERROR_OPERATION_ABORTED));
  CloseHandle(port);
}

DWORD WINAPI ConnectAndSend(LPVOID parameter) {
  const auto* name = static_cast<const std::string*>(parameter);
  HANDLE client = INVALID_HANDLE_VALUE;
  while (client == INVALID_HANDLE_VALUE) {
    if (!WaitNamedPipeA(name->c_str(), NMPWAIT_WAIT_FOREVER)) return 1;
    client = Client(*name);
  }
  DWORD done = 0;
  const BOOL ok = WriteFile(client, "blocking", 8, &done, nullptr);
  CloseHandle(client);
  return ok ? 0 : 2;
}

TEST(NamedPipe, ABlockingServerWaitsInConnectNamedPipe) {
  const std::string name = UniqueName("blocking");
  HANDLE server = CreateNamedPipeA(name.c_str(), PIPE_ACCESS_INBOUND, PIPE_TYPE_BYTE | PIPE_WAIT, 1,
                                   0, 0, 0, nullptr);
  ASSERT_NE(server, INVALID_HANDLE_VALUE);
  std::string shared_name = name;
  HANDLE thread = CreateThread(nullptr, 0, ConnectAndSend, &shared_name, 0, nullptr);
  ASSERT_NE(thread, nullptr);
  // The client may have come first: both are a connection (the Windows idiom).
  const BOOL connected =
      ConnectNamedPipe(server, nullptr) || GetLastError() == ERROR_PIPE_CONNECTED;
  EXPECT_TRUE(connected) << GetLastError();
  char buffer[16] = {};
  DWORD total = 0, done = 0;
  while (total < 8 && ReadFile(server, buffer + total, sizeof(buffer) - total, &done, nullptr)) {
    total += done;
  }
  EXPECT_EQ(std::string(buffer, total), "blocking");
  EXPECT_FALSE(WriteFile(server, "x", 1, &done, nullptr));  // an inbound pipe
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_ACCESS_DENIED));
  ASSERT_EQ(WaitForSingleObject(thread, kLongMs), WAIT_OBJECT_0);
  DWORD code = 99;
  GetExitCodeThread(thread, &code);
  EXPECT_EQ(code, 0u);
  CloseHandle(thread);
  CloseHandle(server);
}

TEST(NamedPipe, PeekSeesWaitingBytesWithoutTakingThem) {
  const std::string name = UniqueName("peek");
  HANDLE server = OverlappedServer(name);
  HANDLE client = Client(name);
  OVERLAPPED ov = {};
  EXPECT_FALSE(ConnectNamedPipe(server, &ov));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_PIPE_CONNECTED));
  DWORD done = 0;
  ASSERT_TRUE(WriteFile(client, "abcde", 5, &done, nullptr));
  char buffer[8] = {};
  DWORD read = 0, available = 0, left = 9;
  // A completed write is in the other end's buffer.
  ASSERT_TRUE(PeekNamedPipe(server, buffer, 3, &read, &available, &left));
  EXPECT_EQ(available, 5u);
  EXPECT_EQ(read, 3u);
  EXPECT_EQ(left, 0u);
  EXPECT_EQ(std::string(buffer, 3), "abc");
  CloseHandle(client);
  CloseHandle(server);
  EXPECT_FALSE(PeekNamedPipe(server, buffer, 3, &read, &available, &left));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
}

}  // namespace
