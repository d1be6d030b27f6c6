// Completion-port conformance: ../shared/spec/iocp-semantics.md items 1-27,
// one or more named tests per item (SpecNN_...), through the public Win32 API
// exactly as a Windows program calls it. Built twice: over the fake ring
// (several seeds) and over the raw-syscall ring (the real kernel).
//
// Multi-threaded tests are deterministic without sleeps: the test thread
// waits for observable port state (waiting-thread counts) or for results the
// workers publish, never for time to pass.
#include <sched.h>
#include <windows.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/conformance/port_testing.h"

namespace {

using iocp_testing::PortStats;
using iocp_testing::WaitUntil;
using iocp_testing::Worker;

constexpr DWORD kLongMs = 10000;  // a bound for waits that must not expire

HANDLE NewPort(DWORD concurrency = 0) {
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, concurrency);
  EXPECT_NE(port, nullptr);
  return port;
}

struct Dequeued {
  BOOL ok = FALSE;
  DWORD error = 0;
  DWORD bytes = 0;
  ULONG_PTR key = 0;
  LPOVERLAPPED overlapped = nullptr;
};

Dequeued Get(HANDLE port, DWORD ms) {
  Dequeued d;
  d.bytes = 0xDEAD;
  d.key = 0xBEEF;
  d.overlapped = reinterpret_cast<LPOVERLAPPED>(0x1);
  SetLastError(12345);
  d.ok = GetQueuedCompletionStatus(port, &d.bytes, &d.key, &d.overlapped, ms);
  d.error = GetLastError();
  return d;
}

// --- CreateIoCompletionPort ---

TEST(PortSpec, Spec01_CreateWithInvalidHandleValueReturnsANewPort) {
  HANDLE a = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0x1234, 0);
  HANDLE b = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0x1234, 0);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
  EXPECT_NE(a, INVALID_HANDLE_VALUE);
  // The key is ignored: a posted packet carries only its own key.
  ASSERT_TRUE(PostQueuedCompletionStatus(a, 0, 7, nullptr));
  Dequeued d = Get(a, 0);
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(d.key, 7u);
  EXPECT_TRUE(CloseHandle(a));
  EXPECT_TRUE(CloseHandle(b));
}

TEST(PortSpec, Spec02_AssociatingANonFileHandleIsRefused) {
  // Files and sockets are associated in the Winsock and file suites; here:
  // a port cannot be associated with another port (87) and a bogus handle is
  // not a handle (6).
  HANDLE port = NewPort();
  HANDLE other = NewPort();
  SetLastError(0);
  EXPECT_EQ(CreateIoCompletionPort(other, port, 1, 0), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  SetLastError(0);
  EXPECT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(0x7770), port, 1, 0), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  CloseHandle(port);
  CloseHandle(other);
}

TEST(PortSpec, Spec03_ZeroConcurrencyMeansOnePerProcessor) {
  // The processors this process may run on (its affinity mask): the
  // machine's when nothing restricts it (docs/PORTING.md).
  cpu_set_t set;
  ASSERT_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
  HANDLE port = NewPort(0);
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  EXPECT_EQ(PortStats(port).limit, static_cast<DWORD>(CPU_COUNT(&set)));
  EXPECT_LE(PortStats(port).limit, info.dwNumberOfProcessors);
  CloseHandle(port);
  HANDLE three = NewPort(3);
  EXPECT_EQ(PortStats(three).limit, 3u);
  CloseHandle(three);
  // A thread restricted to one CPU (taskset, a cpuset) gets a limit of one.
  std::thread pinned([] {
    cpu_set_t one;
    ASSERT_EQ(sched_getaffinity(0, sizeof(one), &one), 0);
    int first = 0;
    while (!CPU_ISSET(first, &one)) ++first;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
    HANDLE narrow = NewPort(0);
    EXPECT_EQ(PortStats(narrow).limit, 1u);
    CloseHandle(narrow);
  });
  pinned.join();
}

TEST(PortSpec, Spec06_InvalidHandleValueWithAnExistingPortIsInvalidParameter) {
  HANDLE port = NewPort();
  SetLastError(0);
  EXPECT_EQ(CreateIoCompletionPort(INVALID_HANDLE_VALUE, port, 0, 0), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  CloseHandle(port);
}

TEST(PortSpec, Spec10_PortLivesWhileAThreadIsStillAssociatedButItsHandleDies) {
  HANDLE port = NewPort();
  ASSERT_TRUE(PostQueuedCompletionStatus(port, 1, 2, nullptr));
  Dequeued d = Get(port, 0);  // this thread is now associated
  ASSERT_TRUE(d.ok);
  ASSERT_TRUE(CloseHandle(port));
  // The handle is dead even though the object lives on.
  Dequeued after = Get(port, 0);
  EXPECT_FALSE(after.ok);
  EXPECT_EQ(after.error, static_cast<DWORD>(ERROR_INVALID_HANDLE));
  EXPECT_FALSE(PostQueuedCompletionStatus(port, 0, 0, nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
}

// --- GetQueuedCompletionStatus ---

TEST(PortSpec, Spec11_SuccessFillsEverythingAndLeavesLastErrorAlone) {
  HANDLE port = NewPort();
  OVERLAPPED ov = {};
  ASSERT_TRUE(PostQueuedCompletionStatus(port, 42, 0xABCDEF, &ov));
  Dequeued d = Get(port, 0);
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(d.error, 12345u);  // untouched
  EXPECT_EQ(d.bytes, 42u);
  EXPECT_EQ(d.key, 0xABCDEFu);
  EXPECT_EQ(d.overlapped, &ov);
  CloseHandle(port);
}

TEST(PortSpec, Spec13_TimeoutReturnsFalseNullOverlappedAndLeavesBytesAndKey) {
  HANDLE port = NewPort();
  Dequeued d = Get(port, 20);
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.error, static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(d.overlapped, nullptr);
  EXPECT_EQ(d.bytes, 0xDEADu);
  EXPECT_EQ(d.key, 0xBEEFu);
  CloseHandle(port);
}

TEST(PortSpec, Spec13_AFiniteTimeoutWaitsAtLeastThatLong) {
  HANDLE port = NewPort();
  const ULONGLONG start = GetTickCount64();
  Dequeued d = Get(port, 50);
  EXPECT_EQ(d.error, static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_GE(GetTickCount64() - start, 49u);
  CloseHandle(port);
}

TEST(PortSpec, Spec14_ZeroTimeoutOnAnEmptyPortFailsAtOnce) {
  HANDLE port = NewPort();
  Dequeued d = Get(port, 0);
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.error, static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(d.overlapped, nullptr);
  CloseHandle(port);
}

TEST(PortSpec, Spec15_ClosingThePortAbandonsEveryWaiter) {
  HANDLE port = NewPort(4);
  constexpr int kWaiters = 3;
  std::vector<Worker> workers(kWaiters);
  std::vector<Dequeued> results(kWaiters);
  for (int i = 0; i < kWaiters; ++i) {
    workers[i].Run([&, i] { results[i] = Get(port, INFINITE); });
    WaitUntil([&] { return PortStats(port).waiting == static_cast<uint32_t>(i + 1); });
  }
  ASSERT_TRUE(CloseHandle(port));
  for (auto& worker : workers) worker.Join();
  for (const Dequeued& d : results) {
    EXPECT_FALSE(d.ok);
    EXPECT_EQ(d.error, static_cast<DWORD>(ERROR_ABANDONED_WAIT_0));
    EXPECT_EQ(d.overlapped, nullptr);
  }
}

TEST(PortSpec, Spec16_PacketsComeOutInPostingOrder) {
  HANDLE port = NewPort();
  for (ULONG_PTR i = 0; i < 1000; ++i) {
    ASSERT_TRUE(PostQueuedCompletionStatus(port, static_cast<DWORD>(i), i, nullptr));
  }
  for (ULONG_PTR i = 0; i < 1000; ++i) {
    Dequeued d = Get(port, 0);
    ASSERT_TRUE(d.ok);
    ASSERT_EQ(d.key, i);
    ASSERT_EQ(d.bytes, i);
  }
  EXPECT_EQ(Get(port, 0).error, static_cast<DWORD>(WAIT_TIMEOUT));
  CloseHandle(port);
}

TEST(PortSpec, Spec17_WaitingThreadsAreReleasedLastInFirstOut) {
  constexpr int kWaiters = 4;
  HANDLE port = NewPort(kWaiters);  // the limit does not get in the way
  std::vector<Worker> workers(kWaiters);
  std::vector<std::atomic<ULONG_PTR>> got(kWaiters);
  for (int i = 0; i < kWaiters; ++i) {
    got[i] = 0;
    workers[i].Run([&, i] {
      Dequeued d = Get(port, kLongMs);
      got[i] = d.ok ? d.key : 9999;
    });
    // Worker i is the (i+1)-th waiter: start the next only once it waits.
    WaitUntil([&] { return PortStats(port).waiting == static_cast<uint32_t>(i + 1); });
  }
  // Packet k goes to the most recent remaining waiter: worker kWaiters-k.
  for (int k = 1; k <= kWaiters; ++k) {
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, static_cast<ULONG_PTR>(k), nullptr));
    const int expected = kWaiters - k;
    WaitUntil([&] { return got[expected].load() != 0; });
    EXPECT_EQ(got[expected].load(), static_cast<ULONG_PTR>(k)) << "packet " << k;
  }
  for (auto& worker : workers) worker.Join();
  CloseHandle(port);
}

TEST(PortSpec, Spec18_AWaiterIsReleasedOnlyBelowTheConcurrencyLimit) {
  HANDLE port = NewPort(1);
  Worker a, b;
  std::atomic<int> a_got{0}, b_got{0};
  std::atomic<bool> all_posted{false};
  std::atomic<bool> may_block{false};
  HANDLE b_unblock = CreateEvent(nullptr, TRUE, FALSE, nullptr);
  a.Run([&] {
    Dequeued d = Get(port, kLongMs);
    a_got = d.ok ? static_cast<int>(d.key) : -1;
  });
  WaitUntil([&] { return PortStats(port).waiting == 1; });
  b.Run([&] {
    Dequeued d = Get(port, kLongMs);
    b_got = d.ok ? static_cast<int>(d.key) : -1;
    // Spin (stay running) until the other packets are queued.
    while (!all_posted.load()) std::this_thread::yield();
    // Still running (counted): with packets queued and limit 1, the running
    // thread takes the next packet at once.
    d = Get(port, 0);
    b_got = b_got * 10 + (d.ok ? static_cast<int>(d.key) : 0);
    while (!may_block.load()) std::this_thread::yield();  // running
    // Blocking elsewhere stops counting as running: A gets released.
    WaitForSingleObject(b_unblock, INFINITE);
  });
  WaitUntil([&] { return PortStats(port).waiting == 2; });
  for (ULONG_PTR key = 1; key <= 3; ++key)
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, key, nullptr));
  all_posted = true;
  // B (most recent) got 1, then 2 at once; A must still wait: running == 1.
  WaitUntil([&] { return b_got.load() >= 10; });
  EXPECT_EQ(b_got.load(), 12);
  auto stats = PortStats(port);
  EXPECT_EQ(stats.running, 1u);
  EXPECT_EQ(stats.queued, 1u);
  EXPECT_EQ(a_got.load(), 0);
  may_block = true;  // B blocks on b_unblock: A gets packet 3
  WaitUntil([&] { return a_got.load() != 0; });
  EXPECT_EQ(a_got.load(), 3);
  SetEvent(b_unblock);
  a.Join();
  b.Join();
  CloseHandle(b_unblock);
  CloseHandle(port);
}

TEST(PortSpec, Spec18_AThreadExitingStopsCountingAsRunning) {
  HANDLE port = NewPort(1);
  Worker first;
  first.Run([&] { EXPECT_TRUE(Get(port, kLongMs).ok); });
  WaitUntil([&] { return PortStats(port).waiting == 1; });
  ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 1, nullptr));
  first.Join();  // associated, then gone
  EXPECT_EQ(PortStats(port).running, 0u);
  ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 2, nullptr));
  EXPECT_TRUE(Get(port, 0).ok);
  CloseHandle(port);
}

TEST(PortSpec, Spec18_WaitingOnAnotherPortEndsTheAssociation) {
  HANDLE one = NewPort(1);
  HANDLE two = NewPort(1);
  ASSERT_TRUE(PostQueuedCompletionStatus(one, 0, 1, nullptr));
  ASSERT_TRUE(Get(one, 0).ok);
  EXPECT_EQ(PortStats(one).running, 1u);
  EXPECT_FALSE(Get(two, 0).ok);  // now associated with two, not one
  EXPECT_EQ(PortStats(one).running, 0u);
  CloseHandle(one);
  CloseHandle(two);
}

// --- GetQueuedCompletionStatusEx ---

TEST(PortSpec, Spec20_EntriesCarryKeyOverlappedZeroInternalAndBytes) {
  HANDLE port = NewPort();
  OVERLAPPED ov = {};
  ASSERT_TRUE(PostQueuedCompletionStatus(port, 9, 0x55, &ov));
  OVERLAPPED_ENTRY entry;
  memset(&entry, 0xCC, sizeof(entry));
  ULONG removed = 77;
  ASSERT_TRUE(GetQueuedCompletionStatusEx(port, &entry, 1, &removed, 0, FALSE));
  EXPECT_EQ(removed, 1u);
  EXPECT_EQ(entry.lpCompletionKey, 0x55u);
  EXPECT_EQ(entry.lpOverlapped, &ov);
  EXPECT_EQ(entry.Internal, 0u);
  EXPECT_EQ(entry.dwNumberOfBytesTransferred, 9u);
  CloseHandle(port);
}

TEST(PortSpec, Spec21_DequeuesUpToTheCountInOrder) {
  HANDLE port = NewPort();
  for (ULONG_PTR i = 0; i < 10; ++i) ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, i, nullptr));
  OVERLAPPED_ENTRY entries[4];
  ULONG removed = 0;
  ASSERT_TRUE(GetQueuedCompletionStatusEx(port, entries, 4, &removed, 0, FALSE));
  ASSERT_EQ(removed, 4u);
  for (ULONG i = 0; i < 4; ++i) EXPECT_EQ(entries[i].lpCompletionKey, i);
  OVERLAPPED_ENTRY rest[64];
  ASSERT_TRUE(GetQueuedCompletionStatusEx(port, rest, 64, &removed, 0, FALSE));
  ASSERT_EQ(removed, 6u);
  EXPECT_EQ(rest[5].lpCompletionKey, 9u);
  CloseHandle(port);
}

TEST(PortSpec, Spec21_ZeroCountIsInvalidAndDequeuesNothing) {
  HANDLE port = NewPort();
  ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 1, nullptr));
  OVERLAPPED_ENTRY entry;
  ULONG removed = 5;
  SetLastError(0);
  EXPECT_FALSE(GetQueuedCompletionStatusEx(port, &entry, 0, &removed, 0, FALSE));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_TRUE(Get(port, 0).ok);  // the packet is still there
  CloseHandle(port);
}

TEST(PortSpec, Spec22_NothingDequeuedIsTimeoutWithZeroRemoved) {
  HANDLE port = NewPort();
  OVERLAPPED_ENTRY entry;
  ULONG removed = 5;
  EXPECT_FALSE(GetQueuedCompletionStatusEx(port, &entry, 1, &removed, 10, FALSE));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(removed, 0u);
  CloseHandle(port);
}

std::atomic<ULONG_PTR> apc_ran{0};
VOID CALLBACK RecordApc(ULONG_PTR value) { apc_ran = value; }

TEST(PortSpec, Spec23_AlertableWaitWithAQueuedApcRunsItAndReturnsIoCompletion) {
  HANDLE port = NewPort();
  apc_ran = 0;
  ASSERT_NE(QueueUserAPC(RecordApc, GetCurrentThread(), 31), 0u);
  OVERLAPPED_ENTRY entry;
  ULONG removed = 5;
  EXPECT_FALSE(GetQueuedCompletionStatusEx(port, &entry, 1, &removed, INFINITE, TRUE));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(WAIT_IO_COMPLETION));
  EXPECT_EQ(removed, 0u);
  EXPECT_EQ(apc_ran.load(), 31u);
  CloseHandle(port);
}

TEST(PortSpec, Spec23_AnApcQueuedDuringAnAlertableWaitEndsIt) {
  HANDLE port = NewPort();
  apc_ran = 0;
  HANDLE thread = nullptr;
  std::atomic<DWORD> error{0};
  Worker waiter;
  std::atomic<bool> have_handle{false};
  waiter.Run([&] {
    DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &thread, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    have_handle = true;
    OVERLAPPED_ENTRY entry;
    ULONG removed;
    GetQueuedCompletionStatusEx(port, &entry, 1, &removed, kLongMs, TRUE);
    error = GetLastError();
  });
  WaitUntil([&] { return have_handle.load() && PortStats(port).waiting == 1; });
  ASSERT_NE(QueueUserAPC(RecordApc, thread, 77), 0u);
  waiter.Join();
  EXPECT_EQ(error.load(), static_cast<DWORD>(WAIT_IO_COMPLETION));
  EXPECT_EQ(apc_ran.load(), 77u);
  CloseHandle(thread);
  CloseHandle(port);
}

TEST(PortSpec, Spec23_NonAlertableWaitsLeaveApcsQueued) {
  HANDLE port = NewPort();
  apc_ran = 0;
  ASSERT_NE(QueueUserAPC(RecordApc, GetCurrentThread(), 5), 0u);
  OVERLAPPED_ENTRY entry;
  ULONG removed;
  EXPECT_FALSE(GetQueuedCompletionStatusEx(port, &entry, 1, &removed, 0, FALSE));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(WAIT_TIMEOUT));
  EXPECT_EQ(apc_ran.load(), 0u);
  EXPECT_EQ(SleepEx(0, TRUE), static_cast<DWORD>(WAIT_IO_COMPLETION));  // runs it
  EXPECT_EQ(apc_ran.load(), 5u);
  CloseHandle(port);
}

TEST(PortSpec, Spec24_ClosingThePortAbandonsAGqcsExWaiter) {
  HANDLE port = NewPort();
  Worker waiter;
  std::atomic<DWORD> error{0};
  std::atomic<ULONG> removed{99};
  waiter.Run([&] {
    OVERLAPPED_ENTRY entry;
    ULONG n = 99;
    GetQueuedCompletionStatusEx(port, &entry, 1, &n, INFINITE, FALSE);
    error = GetLastError();
    removed = n;
  });
  WaitUntil([&] { return PortStats(port).waiting == 1; });
  CloseHandle(port);
  waiter.Join();
  EXPECT_EQ(error.load(), static_cast<DWORD>(ERROR_ABANDONED_WAIT_0));
  EXPECT_EQ(removed.load(), 0u);
}

// --- PostQueuedCompletionStatus ---

TEST(PortSpec, Spec25_PostedValuesAreDeliveredUnchangedAndNeverValidated) {
  HANDLE port = NewPort();
  const LPOVERLAPPED bogus = reinterpret_cast<LPOVERLAPPED>(0x12345678);
  ASSERT_TRUE(PostQueuedCompletionStatus(port, 0xFFFFFFFF, ~ULONG_PTR{0}, bogus));
  ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 0, nullptr));
  Dequeued d = Get(port, 0);
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(d.bytes, 0xFFFFFFFFu);
  EXPECT_EQ(d.key, ~ULONG_PTR{0});
  EXPECT_EQ(d.overlapped, bogus);
  d = Get(port, 0);
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(d.overlapped, nullptr);
  CloseHandle(port);
}

// --- Bad input never crashes and never loses a packet ---

TEST(PortBadInput, NullOutputPointersFailWithoutDequeuing) {
  HANDLE port = NewPort();
  ASSERT_TRUE(PostQueuedCompletionStatus(port, 3, 4, nullptr));
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED ov;
  EXPECT_FALSE(GetQueuedCompletionStatus(port, nullptr, &key, &ov, 0));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_FALSE(GetQueuedCompletionStatus(port, &bytes, nullptr, &ov, 0));
  EXPECT_FALSE(GetQueuedCompletionStatus(port, &bytes, &key, nullptr, 0));
  ULONG removed;
  EXPECT_FALSE(GetQueuedCompletionStatusEx(port, nullptr, 1, &removed, 0, FALSE));
  OVERLAPPED_ENTRY entry;
  EXPECT_FALSE(GetQueuedCompletionStatusEx(port, &entry, 1, nullptr, 0, FALSE));
  Dequeued d = Get(port, 0);
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(d.key, 4u);
  CloseHandle(port);
}

TEST(PortBadInput, NonPortAndStaleHandlesAreInvalidHandles) {
  HANDLE event = CreateEvent(nullptr, FALSE, FALSE, nullptr);
  Dequeued d = Get(event, 0);
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.error, static_cast<DWORD>(ERROR_INVALID_HANDLE));
  EXPECT_FALSE(PostQueuedCompletionStatus(event, 0, 0, nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  CloseHandle(event);
  for (HANDLE bogus :
       {static_cast<HANDLE>(nullptr), INVALID_HANDLE_VALUE, reinterpret_cast<HANDLE>(0x1),
        reinterpret_cast<HANDLE>(0x7FFFFFFC), reinterpret_cast<HANDLE>(~ULONG_PTR{0} - 7)}) {
    EXPECT_EQ(Get(bogus, 0).error, static_cast<DWORD>(ERROR_INVALID_HANDLE));
  }
  // A closed port's handle stays dead even when the slot is reused.
  HANDLE port = NewPort();
  CloseHandle(port);
  std::vector<HANDLE> fresh;
  for (int i = 0; i < 2000; ++i) fresh.push_back(CreateEvent(nullptr, FALSE, FALSE, nullptr));
  EXPECT_EQ(Get(port, 0).error, static_cast<DWORD>(ERROR_INVALID_HANDLE));
  EXPECT_FALSE(CloseHandle(port));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  for (HANDLE h : fresh) EXPECT_TRUE(CloseHandle(h));
}

TEST(PortBadInput, DuplicatedPortHandlesNameTheSamePort) {
  HANDLE port = NewPort();
  HANDLE copy = nullptr;
  ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), port, GetCurrentProcess(), &copy, 0, FALSE,
                              DUPLICATE_SAME_ACCESS));
  ASSERT_NE(copy, port);
  ASSERT_TRUE(PostQueuedCompletionStatus(copy, 0, 8, nullptr));
  EXPECT_EQ(Get(port, 0).key, 8u);
  CloseHandle(port);
  // The port lives on through the duplicate, and this thread is still
  // associated with it, but the closed value names nothing (GQCS reuses the
  // thread's port only while the handle it came through is open).
  ASSERT_TRUE(PostQueuedCompletionStatus(copy, 0, 9, nullptr));
  Dequeued stale = Get(port, 0);
  EXPECT_FALSE(stale.ok);
  EXPECT_EQ(stale.error, static_cast<DWORD>(ERROR_INVALID_HANDLE));
  EXPECT_EQ(Get(copy, 0).key, 9u);
  CloseHandle(copy);
}

// --- Many threads: every packet exactly once ---

TEST(PortThreads, ManyProducersAndConsumersDeliverEveryPacketExactlyOnce) {
  HANDLE port = NewPort(2);
  constexpr int kProducers = 4, kConsumers = 4, kPerProducer = 20000;
  std::vector<std::atomic<uint8_t>> seen(kProducers * kPerProducer);
  for (auto& s : seen) s = 0;
  std::vector<Worker> producers(kProducers), consumers(kConsumers);
  for (int c = 0; c < kConsumers; ++c) {
    consumers[c].Run([&] {
      for (;;) {
        Dequeued d = Get(port, kLongMs);
        if (!d.ok || d.key == ~ULONG_PTR{0}) return;
        seen[d.key].fetch_add(1);
      }
    });
  }
  for (int p = 0; p < kProducers; ++p) {
    producers[p].Run([&, p] {
      for (int i = 0; i < kPerProducer; ++i) {
        ASSERT_TRUE(PostQueuedCompletionStatus(
            port, 0, static_cast<ULONG_PTR>(p * kPerProducer + i), nullptr));
      }
    });
  }
  for (auto& producer : producers) producer.Join();
  for (int c = 0; c < kConsumers; ++c) PostQueuedCompletionStatus(port, 0, ~ULONG_PTR{0}, nullptr);
  for (auto& consumer : consumers) consumer.Join();
  for (size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i].load(), 1) << "packet " << i;
  CloseHandle(port);
}

}  // namespace
