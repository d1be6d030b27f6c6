// The port's I/O path, below Winsock and files: operations issued into the
// port's ring from any thread, completions turned into packets (failed ones
// included: spec 12, 19), batching of submissions made from a completion
// loop, internal ring traffic never surfacing. Runs on the raw ring and the
// fake. (Allocation counting: port_allocation_test.cc.)
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <windows.h>

#include <atomic>
#include <string>
#include <new>
#include <thread>

#include "gtest/gtest.h"
#include "ring/default_ring.h"
#include "tests/conformance/port_testing.h"
#include "winapi/api_util.h"
#include "winapi/errors.h"
#include "winapi/file.h"
#include "winapi/port.h"
#include "winapi/port_io_testing.h"

namespace {

using iocp_testing::PortIo;
using iocp_testing::PortStats;
using iocp_testing::TestOperation;
using iocp_testing::WaitUntil;
using iocp_testing::Worker;

TEST_F(PortIo, OperationFromAnotherThreadReachesAWaitingThread) {
  OVERLAPPED ov = {};
  TestOperation op(11, &ov);
  char buffer[8];
  std::atomic<bool> done{false};
  DWORD bytes = 0;
  ULONG_PTR key = 0;
  LPOVERLAPPED got = nullptr;
  Worker waiter;
  waiter.Run(
      [&] { done = GetQueuedCompletionStatus(port_handle_, &bytes, &key, &got, 10000) != FALSE; });
  WaitUntil([&] { return PortStats(port_handle_).waiting == 1; });
  // This thread is not associated with the port: it submits at once.
  ASSERT_EQ(port().Issue(ring::Request::Recv(fds_[1], buffer, sizeof(buffer), 0, 0), &op), 0);
  ASSERT_EQ(ring::DefaultSystem().Write(fds_[0], "data", 4), 4);
  waiter.Join();
  EXPECT_TRUE(done.load());
  EXPECT_EQ(bytes, 4u);
  EXPECT_EQ(key, 11u);
  EXPECT_EQ(got, &ov);
  EXPECT_EQ(ov.Internal, 0u);
  EXPECT_EQ(ov.InternalHigh, 4u);
}

TEST_F(PortIo, Spec12_AFailedOperationDequeuesAsFalseWithItsOverlappedAndError) {
  OVERLAPPED ov = {};
  TestOperation op(5, &ov);
  char buffer[4];
  ASSERT_EQ(port().Issue(ring::Request::Recv(987654, buffer, sizeof(buffer), 0, 0), &op), 0);
  DWORD bytes = 77;
  ULONG_PTR key = 0;
  LPOVERLAPPED got = nullptr;
  SetLastError(0);
  EXPECT_FALSE(GetQueuedCompletionStatus(port_handle_, &bytes, &key, &got, 10000));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));  // from EBADF
  EXPECT_EQ(got, &ov);
  EXPECT_EQ(key, 5u);
  EXPECT_EQ(bytes, 0u);  // InternalHigh
  // Spec 19: the fields were filled before the packet was queued.
  EXPECT_EQ(ov.Internal, static_cast<ULONG_PTR>(0xC0000008u));
}

TEST_F(PortIo, Spec21_GqcsExReturnsTrueEvenWhenADequeuedOperationFailed) {
  OVERLAPPED ov = {};
  TestOperation op(6, &ov);
  char buffer[4];
  ASSERT_EQ(port().Issue(ring::Request::Recv(987654, buffer, sizeof(buffer), 0, 0), &op), 0);
  OVERLAPPED_ENTRY entry;
  ULONG removed = 0;
  ASSERT_TRUE(GetQueuedCompletionStatusEx(port_handle_, &entry, 1, &removed, 10000, FALSE));
  EXPECT_EQ(removed, 1u);
  EXPECT_EQ(entry.Internal, static_cast<ULONG_PTR>(0xC0000008u));
  EXPECT_EQ(entry.lpOverlapped, &ov);
}

TEST_F(PortIo, AWorkerIssuingFromItsLoopBatchesUntilItsNextWait) {
  // Become a worker of the port: dequeue one packet, now counted running.
  ASSERT_TRUE(PostQueuedCompletionStatus(port_handle_, 0, 1, nullptr));
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED got;
  ASSERT_TRUE(GetQueuedCompletionStatus(port_handle_, &bytes, &key, &got, 0));
  OVERLAPPED ovs[3] = {};
  TestOperation ops[3] = {{21, &ovs[0]}, {22, &ovs[1]}, {23, &ovs[2]}};
  for (auto& op : ops) ASSERT_EQ(port().Issue(ring::Request::Nop(0), &op), 0);
  // Nothing has reached the kernel yet: the three wait in the SQ.
  EXPECT_EQ(port().ring().Prepared(), 3u);
  EXPECT_EQ(PortStats(port_handle_).in_flight, 3u);
  // The next wait submits them and dequeues their packets (the kernel does
  // not promise completion order among them, so collect all three).
  ULONG_PTR keys = 0;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(GetQueuedCompletionStatus(port_handle_, &bytes, &key, &got, 10000));
    keys += key;
  }
  EXPECT_EQ(keys, 21u + 22u + 23u);
  EXPECT_EQ(port().ring().Prepared(), 0u);
  EXPECT_EQ(PortStats(port_handle_).in_flight, 0u);
}

TEST_F(PortIo, ABlockingCallFlushesTheWorkersBatch) {
  ASSERT_TRUE(PostQueuedCompletionStatus(port_handle_, 0, 1, nullptr));
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED got;
  ASSERT_TRUE(GetQueuedCompletionStatus(port_handle_, &bytes, &key, &got, 0));
  OVERLAPPED ov = {};
  TestOperation op(31, &ov);
  ASSERT_EQ(port().Issue(ring::Request::Nop(0), &op), 0);
  EXPECT_EQ(port().ring().Prepared(), 1u);
  Sleep(0);  // blocked elsewhere: the batch must not wait for us
  EXPECT_EQ(port().ring().Prepared(), 0u);
  ASSERT_TRUE(GetQueuedCompletionStatus(port_handle_, &bytes, &key, &got, 10000));
  EXPECT_EQ(key, 31u);
}

TEST_F(PortIo, WakeUpsAndInternalTrafficNeverBecomePackets) {
  // A thread sleeping in the ring is woken by posts many times over.
  OVERLAPPED ov = {};
  TestOperation pending(41, &ov);
  char buffer[4];
  ASSERT_EQ(port().Issue(ring::Request::Recv(fds_[1], buffer, sizeof(buffer), 0, 0), &pending), 0);
  for (ULONG_PTR i = 1; i <= 50; ++i) {
    Worker poster;
    poster.Run([&, i] {
      WaitUntil([&] { return PortStats(port_handle_).waiting == 1; });
      PostQueuedCompletionStatus(port_handle_, 0, i, nullptr);
    });
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED got;
    ASSERT_TRUE(GetQueuedCompletionStatus(port_handle_, &bytes, &key, &got, 10000));
    EXPECT_EQ(key, i);
  }
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED got;
  EXPECT_FALSE(GetQueuedCompletionStatus(port_handle_, &bytes, &key, &got, 0));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(WAIT_TIMEOUT));
  // Let the pending receive finish so its operation outlives nothing.
  ASSERT_EQ(ring::DefaultSystem().Write(fds_[0], "x", 1), 1);
  ASSERT_TRUE(GetQueuedCompletionStatus(port_handle_, &bytes, &key, &got, 10000));
  EXPECT_EQ(key, 41u);
}

}  // namespace

namespace {

// Spec 7: the port is chosen when the I/O completes, not when it is issued.
// A read on a pipe pends until data arrives; the handle is associated in
// between. (A pipe handle made directly: CreatePipe comes with the file issue.)
TEST(PortIoSpec, Spec07_APendingRequestPostsToThePortAssociatedLater) {
  int fds[2];
  ASSERT_EQ(ring::DefaultSystem().Pipe(fds, 0), 0);
  auto* pipe = new winapi::FileObject(fds[0], /*overlapped=*/true, "");
  HANDLE read_end = reinterpret_cast<HANDLE>(winapi::HandleTable::Get().Insert(pipe));
  pipe->Unref();
  ASSERT_NE(read_end, nullptr);
  char buffer[8] = {};
  OVERLAPPED ov = {};
  ASSERT_FALSE(ReadFile(read_end, buffer, sizeof(buffer), nullptr, &ov));
  ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  HANDLE port = CreateIoCompletionPort(read_end, nullptr, 0x77, 0);
  ASSERT_NE(port, nullptr);
  ASSERT_EQ(ring::DefaultSystem().Write(fds[1], "late", 4), 4);
  DWORD bytes = 0;
  ULONG_PTR key = 0;
  LPOVERLAPPED got = nullptr;
  ASSERT_TRUE(GetQueuedCompletionStatus(port, &bytes, &key, &got, 10000));
  EXPECT_EQ(got, &ov);
  EXPECT_EQ(key, 0x77u);
  EXPECT_EQ(bytes, 4u);
  EXPECT_EQ(std::string(buffer, 4), "late");
  ring::DefaultSystem().Close(fds[1]);
  CloseHandle(read_end);
  CloseHandle(port);
}

}  // namespace
