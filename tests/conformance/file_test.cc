// Overlapped file I/O through the port: the spec items that need a handle to
// associate (2, 4, 5, 9, 12, 19, 26, 28-33, 39, 67-69), through the public
// Win32 API. Built over the raw ring (real files) and the fake ring.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <windows.h>

#include <string>

#include "gtest/gtest.h"
#include "tests/conformance/port_testing.h"

namespace {

constexpr DWORD kLongMs = 10000;

std::string ScratchPath() {
  static int counter = 0;
  const char* dir = getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/file_test." + std::to_string(getpid()) + "." +
         std::to_string(++counter);
}

class FileIo : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ScratchPath();
    file_ = CreateFileA(path_.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                        FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OVERLAPPED, nullptr);
    ASSERT_NE(file_, INVALID_HANDLE_VALUE) << GetLastError();
    port_ = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
    ASSERT_NE(port_, nullptr);
  }
  void TearDown() override {
    if (file_ != INVALID_HANDLE_VALUE) CloseHandle(file_);
    CloseHandle(port_);
    DeleteFileA(path_.c_str());
  }

  // Writes `text` at `offset` through the port and waits for its packet.
  void WriteAt(const char* text, DWORD offset) {
    OVERLAPPED ov = {};
    ov.Offset = offset;
    ASSERT_FALSE(WriteFile(file_, text, static_cast<DWORD>(strlen(text)), nullptr, &ov));
    ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED got;
    ASSERT_TRUE(GetQueuedCompletionStatus(port_, &bytes, &key, &got, kLongMs));
    ASSERT_EQ(got, &ov);
    ASSERT_EQ(bytes, strlen(text));
  }

  std::string path_;
  HANDLE file_ = INVALID_HANDLE_VALUE;
  HANDLE port_ = nullptr;
};

TEST_F(FileIo, Spec02_AssociationReturnsThePortGivenAndSpec04_KeyComesBackInEveryPacket) {
  ASSERT_EQ(CreateIoCompletionPort(file_, port_, 0xC0FFEE, 0), port_);
  for (DWORD i = 0; i < 3; ++i) {
    OVERLAPPED ov = {};
    ov.Offset = i;
    ASSERT_FALSE(WriteFile(file_, "x", 1, nullptr, &ov));
    DWORD bytes;
    ULONG_PTR key = 0;
    LPOVERLAPPED got;
    ASSERT_TRUE(GetQueuedCompletionStatus(port_, &bytes, &key, &got, kLongMs));
    EXPECT_EQ(key, 0xC0FFEEu);
  }
}

TEST_F(FileIo, Spec02_AssociatingWithNoPortCreatesOne) {
  HANDLE made = CreateIoCompletionPort(file_, nullptr, 5, 0);
  ASSERT_NE(made, nullptr);
  ASSERT_NE(made, port_);
  OVERLAPPED ov = {};
  ASSERT_FALSE(WriteFile(file_, "y", 1, nullptr, &ov));
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED got;
  ASSERT_TRUE(GetQueuedCompletionStatus(made, &bytes, &key, &got, kLongMs));
  EXPECT_EQ(key, 5u);
  CloseHandle(made);
}

TEST_F(FileIo, Spec05_NonOverlappedHandlesAndSecondAssociationsAreRefused) {
  HANDLE plain = CreateFileA(path_.c_str(), GENERIC_READ, 0, nullptr, OPEN_EXISTING,
                             FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(plain, INVALID_HANDLE_VALUE);
  SetLastError(0);
  EXPECT_EQ(CreateIoCompletionPort(plain, port_, 1, 0), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  CloseHandle(plain);

  ASSERT_EQ(CreateIoCompletionPort(file_, port_, 1, 0), port_);
  SetLastError(0);
  EXPECT_EQ(CreateIoCompletionPort(file_, port_, 2, 0), nullptr);  // same port again
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  HANDLE other = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  EXPECT_EQ(CreateIoCompletionPort(file_, other, 3, 0), nullptr);  // another port
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  CloseHandle(other);
}

TEST_F(FileIo, Spec09_DuplicatedHandlesShareTheAssociationAndKey) {
  ASSERT_EQ(CreateIoCompletionPort(file_, port_, 99, 0), port_);
  HANDLE copy = nullptr;
  ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), file_, GetCurrentProcess(), &copy, 0, FALSE,
                              DUPLICATE_SAME_ACCESS));
  OVERLAPPED ov = {};
  ASSERT_FALSE(WriteFile(copy, "dup", 3, nullptr, &ov));
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED got;
  ASSERT_TRUE(GetQueuedCompletionStatus(port_, &bytes, &key, &got, kLongMs));
  EXPECT_EQ(key, 99u);
  EXPECT_EQ(got, &ov);
  // Associating through the duplicate is a second association.
  EXPECT_EQ(CreateIoCompletionPort(copy, port_, 1, 0), nullptr);
  CloseHandle(copy);
}

TEST_F(FileIo, Spec26_OverlappedFieldsPendingThenStatusAndBytesOffsetsUntouched) {
  ASSERT_EQ(CreateIoCompletionPort(file_, port_, 1, 0), port_);
  WriteAt("0123456789", 0);
  OVERLAPPED ov = {};
  ov.Offset = 3;
  char buffer[4] = {};
  ASSERT_FALSE(ReadFile(file_, buffer, 4, nullptr, &ov));
  ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  // Nobody has reaped the port yet: the request is still pending (spec 26).
  EXPECT_EQ(ov.Internal, static_cast<ULONG_PTR>(STATUS_PENDING));
  EXPECT_FALSE(HasOverlappedIoCompleted(&ov));
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED got;
  ASSERT_TRUE(GetQueuedCompletionStatus(port_, &bytes, &key, &got, kLongMs));
  EXPECT_EQ(got, &ov);
  EXPECT_EQ(bytes, 4u);
  EXPECT_EQ(ov.Internal, 0u);
  EXPECT_EQ(ov.InternalHigh, 4u);
  EXPECT_EQ(ov.Offset, 3u);  // never modified for file I/O
  EXPECT_EQ(ov.OffsetHigh, 0u);
  EXPECT_EQ(std::string(buffer, 4), "3456");
}

TEST_F(FileIo, Spec39_GetOverlappedResultWithoutWaitOnAPendingRequestIsIncomplete) {
  ASSERT_EQ(CreateIoCompletionPort(file_, port_, 1, 0), port_);
  OVERLAPPED ov = {};
  char buffer[4];
  ASSERT_FALSE(ReadFile(file_, buffer, 4, nullptr, &ov));
  DWORD bytes = 123;
  EXPECT_FALSE(GetOverlappedResult(file_, &ov, &bytes, FALSE));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_INCOMPLETE));
  EXPECT_FALSE(GetOverlappedResultEx(file_, &ov, &bytes, 0, FALSE));  // spec 41
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_INCOMPLETE));
  // Waiting completes it (reaping the port if nobody else does), and the
  // packet is still queued for the port.
  EXPECT_FALSE(GetOverlappedResult(file_, &ov, &bytes, TRUE));  // read at EOF
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_HANDLE_EOF));
  EXPECT_EQ(bytes, 0u);
  ULONG_PTR key;
  LPOVERLAPPED got;
  EXPECT_FALSE(GetQueuedCompletionStatus(port_, &bytes, &key, &got, kLongMs));
  EXPECT_EQ(got, &ov);
}

TEST_F(FileIo, Spec12_Spec68_ReadingAtEndOfFilePendsThenFailsWithHandleEof) {
  ASSERT_EQ(CreateIoCompletionPort(file_, port_, 7, 0), port_);
  WriteAt("abc", 0);
  OVERLAPPED ov = {};
  ov.Offset = 3;
  char buffer[8];
  ASSERT_FALSE(ReadFile(file_, buffer, sizeof(buffer), nullptr, &ov));
  ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  DWORD bytes = 55;
  ULONG_PTR key = 0;
  LPOVERLAPPED got = nullptr;
  EXPECT_FALSE(GetQueuedCompletionStatus(port_, &bytes, &key, &got, kLongMs));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_HANDLE_EOF));
  EXPECT_EQ(got, &ov);
  EXPECT_EQ(key, 7u);
  EXPECT_EQ(bytes, 0u);
  EXPECT_EQ(ov.Internal, static_cast<ULONG_PTR>(0xC0000011u));  // STATUS_END_OF_FILE
  EXPECT_EQ(ov.InternalHigh, 0u);
  // A zero-byte read at the end succeeds.
  OVERLAPPED zero = {};
  zero.Offset = 3;
  ASSERT_FALSE(ReadFile(file_, buffer, 0, nullptr, &zero));
  EXPECT_TRUE(GetQueuedCompletionStatus(port_, &bytes, &key, &got, kLongMs));
  EXPECT_EQ(got, &zero);
}

TEST_F(FileIo, Spec67_AnOverlappedHandleNeedsAnOverlapped) {
  char buffer[4];
  DWORD read = 9;
  EXPECT_FALSE(ReadFile(file_, buffer, 4, &read, nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_FALSE(WriteFile(file_, buffer, 4, nullptr, nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
}

TEST_F(FileIo, Spec28_EventLowBitSuppressesThePacketButSignalsTheEvent) {
  ASSERT_EQ(CreateIoCompletionPort(file_, port_, 1, 0), port_);
  HANDLE event = CreateEvent(nullptr, TRUE, FALSE, nullptr);
  OVERLAPPED ov = {};
  ov.hEvent = reinterpret_cast<HANDLE>(reinterpret_cast<ULONG_PTR>(event) | 1);
  ASSERT_FALSE(WriteFile(file_, "quiet", 5, nullptr, &ov));
  DWORD bytes = 0;
  ASSERT_TRUE(GetOverlappedResult(file_, &ov, &bytes, TRUE));
  EXPECT_EQ(bytes, 5u);
  EXPECT_EQ(WaitForSingleObject(event, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  ULONG_PTR key;
  LPOVERLAPPED got;
  EXPECT_FALSE(GetQueuedCompletionStatus(port_, &bytes, &key, &got, 0));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(WAIT_TIMEOUT));
  CloseHandle(event);
}

TEST_F(FileIo, Spec30_SkipSetEventOnHandleLeavesTheHandleButNotTheEvent) {
  ASSERT_EQ(CreateIoCompletionPort(file_, port_, 1, 0), port_);
  ASSERT_TRUE(SetFileCompletionNotificationModes(file_, FILE_SKIP_SET_EVENT_ON_HANDLE));
  HANDLE event = CreateEvent(nullptr, TRUE, FALSE, nullptr);
  OVERLAPPED ov = {};
  ov.hEvent = event;
  ASSERT_FALSE(WriteFile(file_, "e", 1, nullptr, &ov));
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED got;
  ASSERT_TRUE(GetQueuedCompletionStatus(port_, &bytes, &key, &got, kLongMs));
  EXPECT_EQ(WaitForSingleObject(event, 0), static_cast<DWORD>(WAIT_OBJECT_0));
  EXPECT_EQ(WaitForSingleObject(file_, 0), static_cast<DWORD>(WAIT_TIMEOUT));
  CloseHandle(event);
}

TEST_F(FileIo, Spec30_WithoutTheModeTheHandleIsSignalled) {
  ASSERT_EQ(CreateIoCompletionPort(file_, port_, 1, 0), port_);
  OVERLAPPED ov = {};
  ASSERT_FALSE(WriteFile(file_, "h", 1, nullptr, &ov));
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED got;
  ASSERT_TRUE(GetQueuedCompletionStatus(port_, &bytes, &key, &got, kLongMs));
  EXPECT_EQ(WaitForSingleObject(file_, 0), static_cast<DWORD>(WAIT_OBJECT_0));
}

TEST_F(FileIo, Spec29_Spec31_ModesAreAcceptedStickyAndIgnoreUnknownBits) {
  ASSERT_EQ(CreateIoCompletionPort(file_, port_, 1, 0), port_);
  EXPECT_TRUE(SetFileCompletionNotificationModes(file_, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
  EXPECT_TRUE(SetFileCompletionNotificationModes(file_, 0));     // does not clear
  EXPECT_TRUE(SetFileCompletionNotificationModes(file_, 0xF0));  // unknown bits ignored
  // Requests that pend still post (spec 29).
  OVERLAPPED ov = {};
  ASSERT_FALSE(WriteFile(file_, "p", 1, nullptr, &ov));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED got;
  EXPECT_TRUE(GetQueuedCompletionStatus(port_, &bytes, &key, &got, kLongMs));
  EXPECT_FALSE(SetFileCompletionNotificationModes(port_, 1));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
}

TEST_F(FileIo, Spec33_CancelWithNothingInFlightFindsNothing) {
  EXPECT_FALSE(CancelIoEx(file_, nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOT_FOUND));
  OVERLAPPED ov = {};
  EXPECT_FALSE(CancelIoEx(file_, &ov));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOT_FOUND));
  EXPECT_TRUE(CancelIo(file_));
}

TEST_F(FileIo, Spec32_Spec34_CancelOfARequestStillInFlightEndsItOneWayOrTheOther) {
  ASSERT_EQ(CreateIoCompletionPort(file_, port_, 1, 0), port_);
  OVERLAPPED ov = {};
  ASSERT_FALSE(WriteFile(file_, "race", 4, nullptr, &ov));
  // Not reaped yet, so still in flight as far as the handle knows.
  EXPECT_TRUE(CancelIoEx(file_, &ov));
  EXPECT_FALSE(CancelIoEx(file_, &ov));  // spec 33: twice finds nothing
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOT_FOUND));
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED got;
  BOOL ok = GetQueuedCompletionStatus(port_, &bytes, &key, &got, kLongMs);
  EXPECT_EQ(got, &ov);
  // A file write finishes at once, so it usually wins the race (spec 34);
  // if the cancel won, the packet says so.
  if (ok) {
    EXPECT_EQ(bytes, 4u);
  } else {
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_OPERATION_ABORTED));
  }
}

TEST_F(FileIo, Spec69_ManyRequestsInFlightEachPostExactlyOnce) {
  ASSERT_EQ(CreateIoCompletionPort(file_, port_, 1, 0), port_);
  constexpr int kRequests = 200;
  static OVERLAPPED ovs[kRequests];
  static char data[kRequests];
  for (int i = 0; i < kRequests; ++i) {
    ovs[i] = OVERLAPPED{};
    ovs[i].Offset = static_cast<DWORD>(i);
    data[i] = static_cast<char>('a' + i % 26);
    ASSERT_FALSE(WriteFile(file_, &data[i], 1, nullptr, &ovs[i]));
  }
  int seen[kRequests] = {};
  for (int i = 0; i < kRequests; ++i) {
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED got;
    ASSERT_TRUE(GetQueuedCompletionStatus(port_, &bytes, &key, &got, kLongMs));
    ++seen[got - ovs];
  }
  for (int i = 0; i < kRequests; ++i) EXPECT_EQ(seen[i], 1) << i;
  char back[kRequests];
  OVERLAPPED read = {};
  ASSERT_FALSE(ReadFile(file_, back, kRequests, nullptr, &read));
  DWORD bytes;
  ASSERT_TRUE(GetOverlappedResult(file_, &read, &bytes, TRUE));
  EXPECT_EQ(bytes, static_cast<DWORD>(kRequests));
  EXPECT_EQ(memcmp(back, data, kRequests), 0);
}

TEST_F(FileIo, UnassociatedRequestsCompleteThroughTheirEvent) {
  HANDLE event = CreateEvent(nullptr, TRUE, FALSE, nullptr);
  OVERLAPPED ov = {};
  ov.hEvent = event;
  ASSERT_FALSE(WriteFile(file_, "event", 5, nullptr, &ov));
  EXPECT_EQ(WaitForSingleObject(event, kLongMs), static_cast<DWORD>(WAIT_OBJECT_0));
  DWORD bytes = 0;
  EXPECT_TRUE(GetOverlappedResult(file_, &ov, &bytes, FALSE));
  EXPECT_EQ(bytes, 5u);
  CloseHandle(event);
}

TEST(FileApi, SynchronousHandlesReadAndWriteAtTheFilePointer) {
  std::string path = ScratchPath();
  HANDLE file = CreateFileA(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                            FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(file, INVALID_HANDLE_VALUE);
  DWORD done = 0;
  ASSERT_TRUE(WriteFile(file, "hello", 5, &done, nullptr));
  EXPECT_EQ(done, 5u);
  HANDLE reader = CreateFileA(path.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
  char buffer[8] = {};
  ASSERT_TRUE(ReadFile(reader, buffer, 3, &done, nullptr));
  EXPECT_EQ(std::string(buffer, done), "hel");
  ASSERT_TRUE(ReadFile(reader, buffer, 8, &done, nullptr));
  EXPECT_EQ(std::string(buffer, done), "lo");
  ASSERT_TRUE(ReadFile(reader, buffer, 8, &done, nullptr));  // EOF: TRUE, 0 bytes
  EXPECT_EQ(done, 0u);
  CloseHandle(reader);
  CloseHandle(file);
  EXPECT_TRUE(DeleteFileA(path.c_str()));
}

TEST(FileApi, CreateDispositionsAndTheirErrors) {
  std::string path = ScratchPath();
  SetLastError(1);
  HANDLE h = CreateFileA(path.c_str(), GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0, nullptr);
  EXPECT_EQ(h, INVALID_HANDLE_VALUE);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_FILE_NOT_FOUND));
  h = CreateFileA(path.c_str(), GENERIC_WRITE, 0, nullptr, OPEN_ALWAYS, 0, nullptr);
  ASSERT_NE(h, INVALID_HANDLE_VALUE);
  EXPECT_EQ(GetLastError(), 0u);
  CloseHandle(h);
  h = CreateFileA(path.c_str(), GENERIC_WRITE, 0, nullptr, OPEN_ALWAYS, 0, nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_ALREADY_EXISTS));
  CloseHandle(h);
  h = CreateFileA(path.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW, 0, nullptr);
  EXPECT_EQ(h, INVALID_HANDLE_VALUE);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_FILE_EXISTS));
  h = CreateFileA(path.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, 0, nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_ALREADY_EXISTS));
  CloseHandle(h);
  EXPECT_TRUE(DeleteFileA(path.c_str()));
  EXPECT_FALSE(DeleteFileA(path.c_str()));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_FILE_NOT_FOUND));
  // Delete-on-close.
  h = CreateFileA(path.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW, FILE_FLAG_DELETE_ON_CLOSE,
                  nullptr);
  ASSERT_NE(h, INVALID_HANDLE_VALUE);
  CloseHandle(h);
  EXPECT_EQ(CreateFileA(path.c_str(), GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0, nullptr),
            INVALID_HANDLE_VALUE);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_FILE_NOT_FOUND));
}

TEST(FileApi, BadHandlesAndBuffers) {
  char buffer[4];
  OVERLAPPED ov = {};
  EXPECT_FALSE(ReadFile(reinterpret_cast<HANDLE>(0x7770), buffer, 4, nullptr, &ov));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  EXPECT_FALSE(ReadFile(port, buffer, 4, nullptr, &ov));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  DWORD bytes;
  EXPECT_FALSE(GetOverlappedResult(port, &ov, &bytes, FALSE));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  CloseHandle(port);
  std::string path = ScratchPath();
  HANDLE file = CreateFileA(path.c_str(), GENERIC_READ, 0, nullptr, CREATE_NEW,
                            FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, nullptr);
  ASSERT_NE(file, INVALID_HANDLE_VALUE);
  EXPECT_FALSE(ReadFile(file, nullptr, 4, nullptr, &ov));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
  EXPECT_EQ(ov.Internal, 0u);  // a synchronous failure leaves the fields (spec 19)
  EXPECT_FALSE(GetOverlappedResult(file, nullptr, &bytes, FALSE));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  CloseHandle(file);
}

}  // namespace

namespace {

// Spec 10: the port lives while an associated handle does; requests issued
// after its handle is closed still complete (their packets go nowhere).
TEST(FileApi, RequestsOnAHandleWhosePortWasClosedStillComplete) {
  std::string path = ScratchPath();
  HANDLE file = CreateFileA(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                            FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, nullptr);
  ASSERT_NE(file, INVALID_HANDLE_VALUE);
  HANDLE port = CreateIoCompletionPort(file, nullptr, 1, 0);
  ASSERT_NE(port, nullptr);
  ASSERT_TRUE(CloseHandle(port));
  HANDLE event = CreateEvent(nullptr, TRUE, FALSE, nullptr);
  for (int i = 0; i < 20; ++i) {
    OVERLAPPED ov = {};
    ov.hEvent = event;
    ov.Offset = static_cast<DWORD>(i);
    ASSERT_FALSE(WriteFile(file, "z", 1, nullptr, &ov));
    ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
    EXPECT_EQ(WaitForSingleObject(event, kLongMs), static_cast<DWORD>(WAIT_OBJECT_0));
    EXPECT_EQ(ov.Internal, 0u);
    EXPECT_EQ(ov.InternalHigh, 1u);
  }
  CloseHandle(event);
  CloseHandle(file);
}

}  // namespace
