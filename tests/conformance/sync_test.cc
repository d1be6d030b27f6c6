// Threads and synchronisation through the public API: named events, mutexes
// (recursion, ownership, abandonment), semaphores, WaitForMultipleObjects
// wait-all and wait-any over mixed kinds, SignalObjectAndWait, critical
// sections, SRW locks, condition variables, one-time initialisation,
// CREATE_SUSPENDED and _beginthreadex. Every value checked is Windows'.
#include <errno.h>
#include <process.h>
#include <stddef.h>
#include <windows.h>

#include <atomic>
#include <vector>

#include "gtest/gtest.h"
#include "tests/conformance/port_testing.h"

namespace {

using iocp_testing::WaitUntil;
using iocp_testing::Worker;

// Every test must leave the handle table as it found it.
class Sync : public ::testing::Test {
 protected:
  void SetUp() override { handles_before_ = winapi::HandleTable::Get().live_handles(); }
  void TearDown() override {
    EXPECT_EQ(winapi::HandleTable::Get().live_handles(), handles_before_) << "handle leak";
  }

 private:
  uint32_t handles_before_ = 0;
};

// Runs `routine` on a CreateThread thread and waits for it; returns its exit code.
DWORD RunThread(LPTHREAD_START_ROUTINE routine, void* parameter) {
  HANDLE thread = CreateThread(nullptr, 0, routine, parameter, 0, nullptr);
  EXPECT_NE(thread, nullptr);
  EXPECT_EQ(WaitForSingleObject(thread, INFINITE), WAIT_OBJECT_0);
  DWORD code = 0;
  EXPECT_TRUE(GetExitCodeThread(thread, &code));
  EXPECT_TRUE(CloseHandle(thread));
  return code;
}

// --- Events ---

TEST_F(Sync, NamedEventSecondCreateOpensTheSameEvent) {
  SetLastError(1234);
  HANDLE first = CreateEventA(nullptr, TRUE, FALSE, "sync_test_event_a");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(GetLastError(), ERROR_SUCCESS);
  HANDLE second = CreateEventA(nullptr, FALSE, TRUE, "sync_test_event_a");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
  EXPECT_NE(first, second);
  // The second create's arguments are ignored: still manual reset, unset.
  EXPECT_EQ(WaitForSingleObject(second, 0), WAIT_TIMEOUT);
  ASSERT_TRUE(SetEvent(second));
  EXPECT_EQ(WaitForSingleObject(first, 0), WAIT_OBJECT_0);
  EXPECT_EQ(WaitForSingleObject(first, 0), WAIT_OBJECT_0);  // manual reset
  EXPECT_TRUE(CloseHandle(first));
  EXPECT_TRUE(CloseHandle(second));
}

TEST_F(Sync, OpenEventFindsTheNamedEventUntilItsLastHandleCloses) {
  HANDLE event = CreateEventA(nullptr, FALSE, FALSE, "sync_test_event_b");
  ASSERT_NE(event, nullptr);
  HANDLE opened = OpenEventA(EVENT_ALL_ACCESS, FALSE, "sync_test_event_b");
  ASSERT_NE(opened, nullptr);
  ASSERT_TRUE(SetEvent(opened));
  EXPECT_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
  EXPECT_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);  // auto reset
  EXPECT_TRUE(CloseHandle(event));
  // One handle left: still findable.
  HANDLE again = OpenEventA(SYNCHRONIZE, FALSE, "sync_test_event_b");
  ASSERT_NE(again, nullptr);
  EXPECT_TRUE(CloseHandle(again));
  EXPECT_TRUE(CloseHandle(opened));
  // The name went with the last handle.
  EXPECT_EQ(OpenEventA(EVENT_ALL_ACCESS, FALSE, "sync_test_event_b"), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
  // A new event under that name is a new object.
  HANDLE fresh = CreateEventA(nullptr, FALSE, FALSE, "sync_test_event_b");
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(GetLastError(), ERROR_SUCCESS);
  EXPECT_TRUE(CloseHandle(fresh));
}

TEST_F(Sync, OpenEventBadArguments) {
  EXPECT_EQ(OpenEventA(EVENT_ALL_ACCESS, FALSE, nullptr), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  EXPECT_EQ(OpenEventA(EVENT_ALL_ACCESS, FALSE, "sync_test_no_such_event"), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
}

TEST_F(Sync, ANameHeldByAnotherKindIsInvalidHandle) {
  HANDLE mutex = CreateMutexA(nullptr, FALSE, "sync_test_kind_clash");
  ASSERT_NE(mutex, nullptr);
  EXPECT_EQ(CreateEventA(nullptr, FALSE, FALSE, "sync_test_kind_clash"), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  EXPECT_EQ(CreateSemaphoreA(nullptr, 0, 1, "sync_test_kind_clash"), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  EXPECT_EQ(OpenEventA(EVENT_ALL_ACCESS, FALSE, "sync_test_kind_clash"), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  EXPECT_EQ(OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, "sync_test_kind_clash"), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  EXPECT_TRUE(CloseHandle(mutex));
}

TEST_F(Sync, EmptyNameIsUnnamed) {
  HANDLE first = CreateEventA(nullptr, TRUE, FALSE, "");
  HANDLE second = CreateEventA(nullptr, TRUE, FALSE, "");
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(GetLastError(), ERROR_SUCCESS);
  ASSERT_TRUE(SetEvent(first));
  EXPECT_EQ(WaitForSingleObject(second, 0), WAIT_TIMEOUT);  // two events
  EXPECT_TRUE(CloseHandle(first));
  EXPECT_TRUE(CloseHandle(second));
}

TEST_F(Sync, CreateEventExFlags) {
  HANDLE event = CreateEventExA(
      nullptr, nullptr, CREATE_EVENT_MANUAL_RESET | CREATE_EVENT_INITIAL_SET, EVENT_ALL_ACCESS);
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
  EXPECT_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
  EXPECT_TRUE(CloseHandle(event));
  HANDLE automatic = CreateEventExA(nullptr, nullptr, CREATE_EVENT_INITIAL_SET, EVENT_ALL_ACCESS);
  ASSERT_NE(automatic, nullptr);
  EXPECT_EQ(WaitForSingleObject(automatic, 0), WAIT_OBJECT_0);
  EXPECT_EQ(WaitForSingleObject(automatic, 0), WAIT_TIMEOUT);
  EXPECT_TRUE(CloseHandle(automatic));
  EXPECT_EQ(CreateEventExA(nullptr, nullptr, 0x4, EVENT_ALL_ACCESS), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

TEST_F(Sync, PulseEventWithoutWaitersLeavesItReset) {
  for (BOOL manual : {TRUE, FALSE}) {
    HANDLE event = CreateEventA(nullptr, manual, TRUE, nullptr);
    ASSERT_NE(event, nullptr);
    ASSERT_TRUE(PulseEvent(event));
    EXPECT_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    EXPECT_TRUE(CloseHandle(event));
  }
  EXPECT_FALSE(PulseEvent(nullptr));
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
}

TEST_F(Sync, PulseEventReleasesWaitersAndResets) {
  for (BOOL manual : {TRUE, FALSE}) {
    HANDLE event = CreateEventA(nullptr, manual, FALSE, nullptr);
    ASSERT_NE(event, nullptr);
    constexpr int kWaiters = 3;
    std::atomic<int> released{0};
    std::vector<Worker> workers(kWaiters);
    for (auto& worker : workers) {
      worker.Run([&] {
        EXPECT_EQ(WaitForSingleObject(event, INFINITE), WAIT_OBJECT_0);
        released.fetch_add(1);
      });
    }
    // A pulse reaches only threads already waiting; pulse until all are out.
    WaitUntil([&] {
      PulseEvent(event);
      SwitchToThread();
      return released.load() == kWaiters;
    });
    for (auto& worker : workers) worker.Join();
    EXPECT_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    EXPECT_TRUE(CloseHandle(event));
  }
}

// --- Mutexes ---

TEST_F(Sync, MutexIsRecursiveAndReleasedOncePerAcquisition) {
  HANDLE mutex = CreateMutexA(nullptr, TRUE, nullptr);
  ASSERT_NE(mutex, nullptr);
  EXPECT_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0);  // depth 2
  std::atomic<DWORD> other{0};
  Worker worker;
  worker.Run([&] { other = WaitForSingleObject(mutex, 0); });
  worker.Join();
  EXPECT_EQ(other.load(), WAIT_TIMEOUT);
  EXPECT_TRUE(ReleaseMutex(mutex));
  EXPECT_TRUE(ReleaseMutex(mutex));
  EXPECT_FALSE(ReleaseMutex(mutex));
  EXPECT_EQ(GetLastError(), ERROR_NOT_OWNER);
  EXPECT_TRUE(CloseHandle(mutex));
}

TEST_F(Sync, ReleasingAMutexYouDoNotOwnIsNotOwner) {
  HANDLE mutex = CreateMutexA(nullptr, TRUE, nullptr);
  ASSERT_NE(mutex, nullptr);
  std::atomic<BOOL> released{TRUE};
  std::atomic<DWORD> error{0};
  Worker worker;
  worker.Run([&] {
    released = ReleaseMutex(mutex);
    error = GetLastError();
  });
  worker.Join();
  EXPECT_FALSE(released.load());
  EXPECT_EQ(error.load(), static_cast<DWORD>(ERROR_NOT_OWNER));
  EXPECT_TRUE(ReleaseMutex(mutex));
  EXPECT_TRUE(CloseHandle(mutex));
}

TEST_F(Sync, MutexPassesBetweenThreads) {
  HANDLE mutex = CreateMutexA(nullptr, FALSE, nullptr);
  ASSERT_NE(mutex, nullptr);
  long counter = 0;
  constexpr int kThreads = 4;
  constexpr int kRounds = 2000;
  std::vector<Worker> workers(kThreads);
  for (auto& worker : workers) {
    worker.Run([&] {
      for (int i = 0; i < kRounds; ++i) {
        ASSERT_EQ(WaitForSingleObject(mutex, INFINITE), WAIT_OBJECT_0);
        ++counter;
        ASSERT_TRUE(ReleaseMutex(mutex));
      }
    });
  }
  for (auto& worker : workers) worker.Join();
  EXPECT_EQ(counter, kThreads * kRounds);
  EXPECT_TRUE(CloseHandle(mutex));
}

DWORD WINAPI TakeMutexAndExit(LPVOID parameter) {
  HANDLE mutex = static_cast<HANDLE>(parameter);
  if (WaitForSingleObject(mutex, INFINITE) != WAIT_OBJECT_0) return 1;
  if (WaitForSingleObject(mutex, INFINITE) != WAIT_OBJECT_0) return 2;  // depth 2
  return 42;                                                            // exits owning it
}

TEST_F(Sync, AThreadThatExitsOwningAMutexAbandonsIt) {
  HANDLE mutex = CreateMutexA(nullptr, FALSE, nullptr);
  ASSERT_NE(mutex, nullptr);
  EXPECT_EQ(RunThread(TakeMutexAndExit, mutex), 42u);
  EXPECT_EQ(WaitForSingleObject(mutex, 0), WAIT_ABANDONED);
  // Now the caller owns it, once; the abandonment is reported once.
  EXPECT_TRUE(ReleaseMutex(mutex));
  EXPECT_FALSE(ReleaseMutex(mutex));
  EXPECT_EQ(GetLastError(), ERROR_NOT_OWNER);
  EXPECT_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0);
  EXPECT_TRUE(ReleaseMutex(mutex));
  EXPECT_TRUE(CloseHandle(mutex));
}

struct AbandonPlan {
  HANDLE mutex;
  HANDLE owned;  // set once the thread owns the mutex
  HANDLE go;     // the thread exits (ExitThread) once this is set
};

DWORD WINAPI OwnThenExitThread(LPVOID parameter) {
  AbandonPlan* plan = static_cast<AbandonPlan*>(parameter);
  if (WaitForSingleObject(plan->mutex, INFINITE) != WAIT_OBJECT_0) return 1;
  SetEvent(plan->owned);
  WaitForSingleObject(plan->go, INFINITE);
  ExitThread(5);
}

TEST_F(Sync, AWaiterBlockedOnTheMutexGetsAbandonedWhenTheOwnerExits) {
  AbandonPlan plan = {CreateMutexA(nullptr, FALSE, nullptr),
                      CreateEventA(nullptr, TRUE, FALSE, nullptr),
                      CreateEventA(nullptr, TRUE, FALSE, nullptr)};
  HANDLE owner = CreateThread(nullptr, 0, OwnThenExitThread, &plan, 0, nullptr);
  ASSERT_NE(owner, nullptr);
  ASSERT_EQ(WaitForSingleObject(plan.owned, INFINITE), WAIT_OBJECT_0);
  std::atomic<DWORD> result{0};
  std::atomic<BOOL> released{FALSE};
  Worker waiter;
  waiter.Run([&] {
    result = WaitForSingleObject(plan.mutex, INFINITE);
    released = ReleaseMutex(plan.mutex);
  });
  ASSERT_TRUE(SetEvent(plan.go));
  waiter.Join();
  EXPECT_EQ(result.load(), WAIT_ABANDONED);
  EXPECT_TRUE(released.load());
  EXPECT_EQ(WaitForSingleObject(owner, INFINITE), WAIT_OBJECT_0);
  DWORD code = 0;
  EXPECT_TRUE(GetExitCodeThread(owner, &code));
  EXPECT_EQ(code, 5u);
  for (HANDLE handle : {owner, plan.mutex, plan.owned, plan.go}) EXPECT_TRUE(CloseHandle(handle));
}

TEST_F(Sync, AbandonedMutexInWaitAnyIsAbandoned0PlusIndex) {
  HANDLE event = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  HANDLE mutex = CreateMutexA(nullptr, FALSE, nullptr);
  ASSERT_NE(mutex, nullptr);
  EXPECT_EQ(RunThread(TakeMutexAndExit, mutex), 42u);
  HANDLE handles[2] = {event, mutex};
  EXPECT_EQ(WaitForMultipleObjects(2, handles, FALSE, 0), WAIT_ABANDONED_0 + 1);
  EXPECT_TRUE(ReleaseMutex(mutex));
  EXPECT_TRUE(CloseHandle(event));
  EXPECT_TRUE(CloseHandle(mutex));
}

TEST_F(Sync, AbandonedMutexInWaitAllIsAbandoned0PlusIndex) {
  HANDLE semaphore = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  HANDLE mutex = CreateMutexA(nullptr, FALSE, nullptr);
  ASSERT_NE(mutex, nullptr);
  EXPECT_EQ(RunThread(TakeMutexAndExit, mutex), 42u);
  HANDLE handles[2] = {semaphore, mutex};
  EXPECT_EQ(WaitForMultipleObjects(2, handles, TRUE, 0), WAIT_ABANDONED_0 + 1);
  // Both were acquired.
  EXPECT_EQ(WaitForSingleObject(semaphore, 0), WAIT_TIMEOUT);
  EXPECT_TRUE(ReleaseMutex(mutex));
  EXPECT_TRUE(CloseHandle(semaphore));
  EXPECT_TRUE(CloseHandle(mutex));
}

TEST_F(Sync, NamedMutexOpenedNotOwnedBySecondCreate) {
  HANDLE mutex = CreateMutexA(nullptr, FALSE, "sync_test_mutex");
  ASSERT_NE(mutex, nullptr);
  EXPECT_EQ(GetLastError(), ERROR_SUCCESS);
  std::atomic<DWORD> error{0};
  std::atomic<BOOL> released{TRUE};
  Worker worker;
  worker.Run([&] {
    HANDLE second = CreateMutexA(nullptr, TRUE, "sync_test_mutex");
    error = GetLastError();
    released = ReleaseMutex(second);  // not owned: the flag was ignored
    CloseHandle(second);
  });
  worker.Join();
  EXPECT_EQ(error.load(), static_cast<DWORD>(ERROR_ALREADY_EXISTS));
  EXPECT_FALSE(released.load());
  HANDLE opened = OpenMutexA(MUTEX_ALL_ACCESS, FALSE, "sync_test_mutex");
  ASSERT_NE(opened, nullptr);
  EXPECT_EQ(WaitForSingleObject(opened, 0), WAIT_OBJECT_0);
  EXPECT_TRUE(ReleaseMutex(mutex));  // the same mutex under another handle
  EXPECT_TRUE(CloseHandle(opened));
  EXPECT_TRUE(CloseHandle(mutex));
  EXPECT_EQ(OpenMutexA(MUTEX_ALL_ACCESS, FALSE, "sync_test_mutex"), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
}

TEST_F(Sync, MutexBadHandles) {
  HANDLE event = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  EXPECT_FALSE(ReleaseMutex(event));
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  EXPECT_TRUE(CloseHandle(event));
  EXPECT_FALSE(ReleaseMutex(event));  // closed
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  EXPECT_FALSE(ReleaseMutex(nullptr));
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  EXPECT_EQ(CreateMutexExA(nullptr, nullptr, 0x2, MUTEX_ALL_ACCESS), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

// --- Semaphores ---

TEST_F(Sync, SemaphoreCountsAreValidated) {
  EXPECT_EQ(CreateSemaphoreA(nullptr, -1, 1, nullptr), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  EXPECT_EQ(CreateSemaphoreA(nullptr, 2, 1, nullptr), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  EXPECT_EQ(CreateSemaphoreA(nullptr, 0, 0, nullptr), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  EXPECT_EQ(CreateSemaphoreA(nullptr, 0, -5, nullptr), nullptr);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

TEST_F(Sync, ReleaseSemaphoreReportsThePreviousCountAndRefusesTooMany) {
  HANDLE semaphore = CreateSemaphoreA(nullptr, 1, 3, nullptr);
  ASSERT_NE(semaphore, nullptr);
  LONG previous = -1;
  ASSERT_TRUE(ReleaseSemaphore(semaphore, 1, &previous));
  EXPECT_EQ(previous, 1);
  previous = -1;
  EXPECT_FALSE(ReleaseSemaphore(semaphore, 2, &previous));  // 2 + 2 > 3
  EXPECT_EQ(GetLastError(), ERROR_TOO_MANY_POSTS);
  EXPECT_EQ(previous, -1);  // untouched
  EXPECT_FALSE(ReleaseSemaphore(semaphore, 0, nullptr));
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  EXPECT_FALSE(ReleaseSemaphore(semaphore, -1, nullptr));
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  // The count is still 2.
  EXPECT_EQ(WaitForSingleObject(semaphore, 0), WAIT_OBJECT_0);
  EXPECT_EQ(WaitForSingleObject(semaphore, 0), WAIT_OBJECT_0);
  EXPECT_EQ(WaitForSingleObject(semaphore, 0), WAIT_TIMEOUT);
  ASSERT_TRUE(ReleaseSemaphore(semaphore, 3, &previous));
  EXPECT_EQ(previous, 0);
  EXPECT_FALSE(ReleaseSemaphore(semaphore, 1, nullptr));
  EXPECT_EQ(GetLastError(), ERROR_TOO_MANY_POSTS);
  EXPECT_TRUE(CloseHandle(semaphore));
  EXPECT_FALSE(ReleaseSemaphore(semaphore, 1, nullptr));
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
}

TEST_F(Sync, NamedSemaphoreIsShared) {
  HANDLE semaphore = CreateSemaphoreA(nullptr, 0, 10, "sync_test_semaphore");
  ASSERT_NE(semaphore, nullptr);
  HANDLE same = CreateSemaphoreA(nullptr, 5, 5, "sync_test_semaphore");
  ASSERT_NE(same, nullptr);
  EXPECT_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
  HANDLE opened = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, "sync_test_semaphore");
  ASSERT_NE(opened, nullptr);
  LONG previous = -1;
  ASSERT_TRUE(ReleaseSemaphore(opened, 7, &previous));
  EXPECT_EQ(previous, 0);
  ASSERT_TRUE(ReleaseSemaphore(same, 1, &previous));
  EXPECT_EQ(previous, 7);
  EXPECT_EQ(WaitForSingleObject(semaphore, 0), WAIT_OBJECT_0);
  EXPECT_TRUE(CloseHandle(semaphore));
  EXPECT_TRUE(CloseHandle(same));
  EXPECT_TRUE(CloseHandle(opened));
}

TEST_F(Sync, SemaphoreWakesOneWaiterPerCount) {
  HANDLE semaphore = CreateSemaphoreA(nullptr, 0, 100, nullptr);
  ASSERT_NE(semaphore, nullptr);
  constexpr int kThreads = 4;
  constexpr int kEach = 500;
  std::atomic<int> taken{0};
  std::vector<Worker> workers(kThreads);
  for (auto& worker : workers) {
    worker.Run([&] {
      for (int i = 0; i < kEach; ++i) {
        ASSERT_EQ(WaitForSingleObject(semaphore, INFINITE), WAIT_OBJECT_0);
        taken.fetch_add(1);
      }
    });
  }
  for (int released = 0; released < kThreads * kEach;) {
    if (ReleaseSemaphore(semaphore, 1, nullptr)) {
      ++released;
    } else {
      ASSERT_EQ(GetLastError(), ERROR_TOO_MANY_POSTS);
      SwitchToThread();
    }
  }
  for (auto& worker : workers) worker.Join();
  EXPECT_EQ(taken.load(), kThreads * kEach);
  EXPECT_EQ(WaitForSingleObject(semaphore, 0), WAIT_TIMEOUT);
  EXPECT_TRUE(CloseHandle(semaphore));
}

// --- WaitForMultipleObjects ---

TEST_F(Sync, WaitForMultipleCountIsChecked) {
  HANDLE handles[MAXIMUM_WAIT_OBJECTS + 1];
  for (auto& handle : handles) handle = CreateEventA(nullptr, TRUE, TRUE, nullptr);
  EXPECT_EQ(WaitForMultipleObjects(0, handles, FALSE, 0), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  EXPECT_EQ(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, handles, FALSE, 0), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  EXPECT_EQ(WaitForMultipleObjectsEx(MAXIMUM_WAIT_OBJECTS + 1, handles, TRUE, 0, TRUE),
            WAIT_FAILED);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  EXPECT_EQ(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, handles, TRUE, 0), WAIT_OBJECT_0);
  for (auto& handle : handles) EXPECT_TRUE(CloseHandle(handle));
}

TEST_F(Sync, WaitAllAcquiresEverythingOrNothing) {
  HANDLE semaphore = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  HANDLE mutex = CreateMutexA(nullptr, FALSE, nullptr);
  HANDLE event = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  HANDLE handles[3] = {semaphore, mutex, event};
  EXPECT_EQ(WaitForMultipleObjects(3, handles, TRUE, 0), WAIT_TIMEOUT);
  // Nothing taken: the semaphore still has its count, the mutex is free.
  std::atomic<DWORD> other{0};
  {
    Worker worker;
    worker.Run([&] {
      HANDLE two[2] = {semaphore, mutex};
      other = WaitForMultipleObjects(2, two, TRUE, 0);
      if (other == WAIT_OBJECT_0) {
        ReleaseMutex(mutex);
        ReleaseSemaphore(semaphore, 1, nullptr);
      }
    });
  }
  EXPECT_EQ(other.load(), WAIT_OBJECT_0);
  ASSERT_TRUE(SetEvent(event));
  EXPECT_EQ(WaitForMultipleObjects(3, handles, TRUE, 0), WAIT_OBJECT_0);
  // Everything taken: count 0, mutex ours, auto-reset event reset.
  EXPECT_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
  {
    Worker worker;
    worker.Run([&] {
      HANDLE two[2] = {semaphore, mutex};
      other = WaitForMultipleObjects(2, two, FALSE, 0);
    });
  }
  EXPECT_EQ(other.load(), WAIT_TIMEOUT);
  EXPECT_TRUE(ReleaseMutex(mutex));
  for (HANDLE handle : handles) EXPECT_TRUE(CloseHandle(handle));
}

TEST_F(Sync, WaitAllBlocksUntilTheLastObjectIsSignalled) {
  HANDLE semaphore = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE mutex = CreateMutexA(nullptr, TRUE, nullptr);  // owned by this thread
  std::atomic<DWORD> result{0};
  std::atomic<bool> done{false};
  Worker worker;
  worker.Run([&] {
    HANDLE two[2] = {semaphore, mutex};
    result = WaitForMultipleObjects(2, two, TRUE, INFINITE);
    done = true;
    ReleaseMutex(mutex);
  });
  ASSERT_TRUE(ReleaseSemaphore(semaphore, 1, nullptr));
  // The waiter must not take the semaphore alone: a wait-any from here still
  // finds it, then gives it back.
  EXPECT_EQ(WaitForSingleObject(semaphore, 0), WAIT_OBJECT_0);
  EXPECT_FALSE(done.load());
  ASSERT_TRUE(ReleaseSemaphore(semaphore, 1, nullptr));
  ASSERT_TRUE(ReleaseMutex(mutex));
  worker.Join();
  EXPECT_EQ(result.load(), WAIT_OBJECT_0);
  EXPECT_EQ(WaitForSingleObject(semaphore, 0), WAIT_TIMEOUT);
  EXPECT_TRUE(CloseHandle(semaphore));
  EXPECT_TRUE(CloseHandle(mutex));
}

DWORD WINAPI ReturnSeven(LPVOID) { return 7; }

TEST_F(Sync, WaitAnyOverMixedKindsReturnsTheSignalledIndex) {
  HANDLE event = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  HANDLE semaphore = CreateSemaphoreA(nullptr, 0, 1, nullptr);
  HANDLE thread = CreateThread(nullptr, 0, ReturnSeven, nullptr, CREATE_SUSPENDED, nullptr);
  HANDLE mutex = CreateMutexA(nullptr, FALSE, nullptr);
  HANDLE handles[3] = {event, semaphore, thread};
  EXPECT_EQ(WaitForMultipleObjects(3, handles, FALSE, 0), WAIT_TIMEOUT);
  ASSERT_TRUE(ReleaseSemaphore(semaphore, 1, nullptr));
  EXPECT_EQ(WaitForMultipleObjects(3, handles, FALSE, 0), WAIT_OBJECT_0 + 1);
  EXPECT_EQ(ResumeThread(thread), 1u);
  EXPECT_EQ(WaitForMultipleObjects(3, handles, FALSE, INFINITE), WAIT_OBJECT_0 + 2);
  HANDLE with_mutex[2] = {event, mutex};
  EXPECT_EQ(WaitForMultipleObjects(2, with_mutex, FALSE, 0), WAIT_OBJECT_0 + 1);
  EXPECT_TRUE(ReleaseMutex(mutex));
  for (HANDLE handle : {event, semaphore, thread, mutex}) EXPECT_TRUE(CloseHandle(handle));
}

TEST_F(Sync, SignalObjectAndWait) {
  HANDLE ping = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  HANDLE pong = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  Worker worker;
  worker.Run([&] {
    for (int i = 0; i < 100; ++i) {
      ASSERT_EQ(WaitForSingleObject(ping, INFINITE), WAIT_OBJECT_0);
      ASSERT_TRUE(SetEvent(pong));
    }
  });
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(SignalObjectAndWait(ping, pong, INFINITE, FALSE), WAIT_OBJECT_0);
  }
  worker.Join();
  // Signalling a mutex releases it; one not owned, or a full semaphore, fails.
  HANDLE mutex = CreateMutexA(nullptr, TRUE, nullptr);
  HANDLE full = CreateSemaphoreA(nullptr, 1, 1, nullptr);
  EXPECT_EQ(SignalObjectAndWait(mutex, full, 0, FALSE), WAIT_OBJECT_0);
  EXPECT_EQ(SignalObjectAndWait(mutex, ping, 0, FALSE), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), ERROR_NOT_OWNER);
  ASSERT_TRUE(ReleaseSemaphore(full, 1, nullptr));
  EXPECT_EQ(SignalObjectAndWait(full, ping, 0, FALSE), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), ERROR_TOO_MANY_POSTS);
  EXPECT_EQ(SignalObjectAndWait(nullptr, ping, 0, FALSE), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  EXPECT_EQ(SignalObjectAndWait(ping, nullptr, 0, FALSE), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  EXPECT_EQ(WaitForSingleObject(ping, 0), WAIT_TIMEOUT);  // not signalled by the failure
  for (HANDLE handle : {ping, pong, mutex, full}) EXPECT_TRUE(CloseHandle(handle));
}

// --- Critical sections ---

TEST_F(Sync, CriticalSectionHasWindowsX64Layout) {
  static_assert(sizeof(CRITICAL_SECTION) == 40, "size");
  static_assert(offsetof(CRITICAL_SECTION, DebugInfo) == 0, "DebugInfo");
  static_assert(offsetof(CRITICAL_SECTION, LockCount) == 8, "LockCount");
  static_assert(offsetof(CRITICAL_SECTION, RecursionCount) == 12, "RecursionCount");
  static_assert(offsetof(CRITICAL_SECTION, OwningThread) == 16, "OwningThread");
  static_assert(offsetof(CRITICAL_SECTION, LockSemaphore) == 24, "LockSemaphore");
  static_assert(offsetof(CRITICAL_SECTION, SpinCount) == 32, "SpinCount");
  static_assert(sizeof(SRWLOCK) == 8 && sizeof(CONDITION_VARIABLE) == 8 && sizeof(INIT_ONCE) == 8,
                "pointer-sized");
  CRITICAL_SECTION section;
  InitializeCriticalSection(&section);
  EXPECT_EQ(section.LockCount, -1);
  EXPECT_EQ(section.RecursionCount, 0);
  EXPECT_EQ(section.OwningThread, nullptr);
  DeleteCriticalSection(&section);
}

TEST_F(Sync, CriticalSectionIsRecursive) {
  CRITICAL_SECTION section;
  InitializeCriticalSection(&section);
  EnterCriticalSection(&section);
  EnterCriticalSection(&section);
  EXPECT_TRUE(TryEnterCriticalSection(&section));
  EXPECT_EQ(section.RecursionCount, 3);
  EXPECT_EQ(section.OwningThread, reinterpret_cast<HANDLE>(ULONG_PTR{GetCurrentThreadId()}));
  std::atomic<BOOL> entered{TRUE};
  {
    Worker worker;
    worker.Run([&] { entered = TryEnterCriticalSection(&section); });
  }
  EXPECT_FALSE(entered.load());
  LeaveCriticalSection(&section);
  LeaveCriticalSection(&section);
  {
    Worker worker;
    worker.Run([&] { entered = TryEnterCriticalSection(&section); });
  }
  EXPECT_FALSE(entered.load());  // still held once
  LeaveCriticalSection(&section);
  EXPECT_EQ(section.OwningThread, nullptr);
  {
    Worker worker;
    worker.Run([&] {
      entered = TryEnterCriticalSection(&section);
      if (entered) LeaveCriticalSection(&section);
    });
  }
  EXPECT_TRUE(entered.load());
  DeleteCriticalSection(&section);
}

TEST_F(Sync, CriticalSectionExcludesUnderContention) {
  CRITICAL_SECTION section;
  ASSERT_TRUE(InitializeCriticalSectionAndSpinCount(&section, 100));
  long counter = 0;
  constexpr int kThreads = 4;
  constexpr int kRounds = 20000;
  std::vector<Worker> workers(kThreads);
  for (auto& worker : workers) {
    worker.Run([&] {
      for (int i = 0; i < kRounds; ++i) {
        EnterCriticalSection(&section);
        long seen = counter;
        if (i % 64 == 0) SwitchToThread();  // hold it a while: real contention
        counter = seen + 1;
        LeaveCriticalSection(&section);
      }
    });
  }
  for (auto& worker : workers) worker.Join();
  EXPECT_EQ(counter, kThreads * kRounds);
  EXPECT_EQ(section.LockCount, -1);
  DeleteCriticalSection(&section);
}

TEST_F(Sync, CriticalSectionSpinCountAndFlags) {
  CRITICAL_SECTION section;
  ASSERT_TRUE(InitializeCriticalSectionEx(&section, 4000, CRITICAL_SECTION_NO_DEBUG_INFO));
  EXPECT_EQ(SetCriticalSectionSpinCount(&section, 10), 4000u);
  EXPECT_EQ(SetCriticalSectionSpinCount(&section, 0), 10u);
  DeleteCriticalSection(&section);
  EXPECT_FALSE(InitializeCriticalSectionEx(&section, 0, 0x1));
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

// A thread blocked in EnterCriticalSection counts as blocked for its port:
// the port releases another waiter for the next packet.
TEST_F(Sync, CriticalSectionWaitLetsThePortReleaseAnotherThread) {
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1);
  ASSERT_NE(port, nullptr);
  HANDLE second_done = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  CRITICAL_SECTION section;
  InitializeCriticalSection(&section);
  EnterCriticalSection(&section);
  std::atomic<bool> first_taken{false};
  auto work = [&] {
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED overlapped;
    ASSERT_TRUE(GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, INFINITE));
    if (key == 1) {
      first_taken = true;
      EnterCriticalSection(&section);
      LeaveCriticalSection(&section);
    } else {
      SetEvent(second_done);
    }
  };
  Worker a, b;
  a.Run(work);
  b.Run(work);
  ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 1, nullptr));
  WaitUntil([&] { return first_taken.load(); });
  ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 2, nullptr));
  EXPECT_EQ(WaitForSingleObject(second_done, 30000), WAIT_OBJECT_0);
  LeaveCriticalSection(&section);
  a.Join();
  b.Join();
  DeleteCriticalSection(&section);
  EXPECT_TRUE(CloseHandle(second_done));
  EXPECT_TRUE(CloseHandle(port));
}

// --- SRW locks ---

TEST_F(Sync, SrwSharedHoldersCoexistAndExcludeWriters) {
  SRWLOCK lock = SRWLOCK_INIT;
  AcquireSRWLockShared(&lock);
  std::atomic<int> shared_ok{-1}, exclusive_ok{-1};
  {
    Worker worker;
    worker.Run([&] {
      shared_ok = TryAcquireSRWLockShared(&lock);
      if (shared_ok) ReleaseSRWLockShared(&lock);
      exclusive_ok = TryAcquireSRWLockExclusive(&lock);
    });
  }
  EXPECT_EQ(shared_ok.load(), TRUE);
  EXPECT_EQ(exclusive_ok.load(), FALSE);
  ReleaseSRWLockShared(&lock);
  EXPECT_TRUE(TryAcquireSRWLockExclusive(&lock));
  {
    Worker worker;
    worker.Run([&] { shared_ok = TryAcquireSRWLockShared(&lock); });
  }
  EXPECT_EQ(shared_ok.load(), FALSE);
  ReleaseSRWLockExclusive(&lock);
  EXPECT_EQ(lock.Ptr, nullptr);
}

TEST_F(Sync, SrwExclusiveUnderContentionWithReaders) {
  SRWLOCK lock;
  InitializeSRWLock(&lock);
  long counter = 0, mirror = 0;
  constexpr int kWriters = 3;
  constexpr int kRounds = 20000;
  std::atomic<bool> writers_done{false};
  std::atomic<long> inconsistent{0};
  Worker reader;
  reader.Run([&] {
    while (!writers_done.load()) {
      AcquireSRWLockShared(&lock);
      if (counter != mirror) inconsistent.fetch_add(1);
      ReleaseSRWLockShared(&lock);
    }
  });
  std::vector<Worker> writers(kWriters);
  for (auto& writer : writers) {
    writer.Run([&] {
      for (int i = 0; i < kRounds; ++i) {
        AcquireSRWLockExclusive(&lock);
        ++counter;
        if (i % 64 == 0) SwitchToThread();
        ++mirror;
        ReleaseSRWLockExclusive(&lock);
      }
    });
  }
  for (auto& writer : writers) writer.Join();
  writers_done = true;
  reader.Join();
  EXPECT_EQ(counter, kWriters * kRounds);
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_EQ(lock.Ptr, nullptr);
}

// --- Condition variables ---

TEST_F(Sync, ConditionVariableWithCriticalSection) {
  CRITICAL_SECTION section;
  InitializeCriticalSection(&section);
  CONDITION_VARIABLE not_empty = CONDITION_VARIABLE_INIT;
  std::vector<int> queue;
  constexpr int kItems = 5000;
  long long sum = 0;
  Worker consumer;
  consumer.Run([&] {
    for (int taken = 0; taken < kItems;) {
      EnterCriticalSection(&section);
      while (queue.empty()) {
        ASSERT_TRUE(SleepConditionVariableCS(&not_empty, &section, INFINITE));
        ASSERT_EQ(section.RecursionCount, 1);
      }
      for (int item : queue) sum += item;
      taken += static_cast<int>(queue.size());
      queue.clear();
      LeaveCriticalSection(&section);
    }
  });
  for (int i = 1; i <= kItems; ++i) {
    EnterCriticalSection(&section);
    queue.push_back(i);
    LeaveCriticalSection(&section);
    WakeConditionVariable(&not_empty);
  }
  consumer.Join();
  EXPECT_EQ(sum, static_cast<long long>(kItems) * (kItems + 1) / 2);
  DeleteCriticalSection(&section);
}

TEST_F(Sync, ConditionVariableTimeoutIsFalseWithErrorTimeoutAndRelocks) {
  CRITICAL_SECTION section;
  InitializeCriticalSection(&section);
  CONDITION_VARIABLE variable;
  InitializeConditionVariable(&variable);
  EnterCriticalSection(&section);
  EnterCriticalSection(&section);
  SetLastError(0);
  EXPECT_FALSE(SleepConditionVariableCS(&variable, &section, 20));
  EXPECT_EQ(GetLastError(), ERROR_TIMEOUT);
  EXPECT_EQ(section.RecursionCount, 2);
  EXPECT_EQ(section.OwningThread, reinterpret_cast<HANDLE>(ULONG_PTR{GetCurrentThreadId()}));
  EXPECT_FALSE(SleepConditionVariableCS(&variable, &section, 0));
  EXPECT_EQ(GetLastError(), ERROR_TIMEOUT);
  LeaveCriticalSection(&section);
  LeaveCriticalSection(&section);
  DeleteCriticalSection(&section);

  SRWLOCK lock = SRWLOCK_INIT;
  AcquireSRWLockShared(&lock);
  EXPECT_FALSE(SleepConditionVariableSRW(&variable, &lock, 10, CONDITION_VARIABLE_LOCKMODE_SHARED));
  EXPECT_EQ(GetLastError(), ERROR_TIMEOUT);
  EXPECT_FALSE(TryAcquireSRWLockExclusive(&lock));  // held shared again
  ReleaseSRWLockShared(&lock);
  AcquireSRWLockExclusive(&lock);
  EXPECT_FALSE(SleepConditionVariableSRW(&variable, &lock, 0, 0));
  EXPECT_EQ(GetLastError(), ERROR_TIMEOUT);
  EXPECT_FALSE(TryAcquireSRWLockShared(&lock));  // held exclusive again
  EXPECT_FALSE(SleepConditionVariableSRW(&variable, &lock, 0, 0x2));
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  ReleaseSRWLockExclusive(&lock);
}

TEST_F(Sync, WakeAllConditionVariableReleasesEveryWaiter) {
  SRWLOCK lock = SRWLOCK_INIT;
  CONDITION_VARIABLE go = CONDITION_VARIABLE_INIT;
  bool started = false;
  int waiting = 0;
  constexpr int kWaiters = 4;
  std::atomic<int> finished{0};
  std::vector<Worker> workers(kWaiters);
  for (int i = 0; i < kWaiters; ++i) {
    const ULONG mode = i % 2 ? CONDITION_VARIABLE_LOCKMODE_SHARED : 0;
    workers[i].Run([&, mode] {
      if (mode) {
        AcquireSRWLockShared(&lock);
      } else {
        AcquireSRWLockExclusive(&lock);
      }
      __atomic_add_fetch(&waiting, 1, __ATOMIC_SEQ_CST);
      while (!__atomic_load_n(&started, __ATOMIC_SEQ_CST)) {
        ASSERT_TRUE(SleepConditionVariableSRW(&go, &lock, INFINITE, mode));
      }
      if (mode) {
        ReleaseSRWLockShared(&lock);
      } else {
        ReleaseSRWLockExclusive(&lock);
      }
      finished.fetch_add(1);
    });
  }
  WaitUntil([&] { return __atomic_load_n(&waiting, __ATOMIC_SEQ_CST) == kWaiters; });
  AcquireSRWLockExclusive(&lock);
  __atomic_store_n(&started, true, __ATOMIC_SEQ_CST);
  ReleaseSRWLockExclusive(&lock);
  WakeAllConditionVariable(&go);
  for (auto& worker : workers) worker.Join();
  EXPECT_EQ(finished.load(), kWaiters);
}

// A thread sleeping on a condition variable counts as blocked for its port.
TEST_F(Sync, ConditionVariableSleepLetsThePortReleaseAnotherThread) {
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1);
  ASSERT_NE(port, nullptr);
  HANDLE second_done = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  SRWLOCK lock = SRWLOCK_INIT;
  CONDITION_VARIABLE variable = CONDITION_VARIABLE_INIT;
  bool go = false;
  auto work = [&] {
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED overlapped;
    ASSERT_TRUE(GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, INFINITE));
    if (key == 1) {
      AcquireSRWLockExclusive(&lock);
      while (!go) SleepConditionVariableSRW(&variable, &lock, INFINITE, 0);
      ReleaseSRWLockExclusive(&lock);
    } else {
      SetEvent(second_done);
    }
  };
  Worker a, b;
  a.Run(work);
  b.Run(work);
  ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 1, nullptr));
  ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 2, nullptr));
  EXPECT_EQ(WaitForSingleObject(second_done, 30000), WAIT_OBJECT_0);
  AcquireSRWLockExclusive(&lock);
  go = true;
  ReleaseSRWLockExclusive(&lock);
  WakeAllConditionVariable(&variable);
  a.Join();
  b.Join();
  EXPECT_TRUE(CloseHandle(second_done));
  EXPECT_TRUE(CloseHandle(port));
}

// --- One-time initialisation ---

std::atomic<int> once_calls{0};

BOOL WINAPI CountingInit(PINIT_ONCE, PVOID parameter, PVOID* context) {
  once_calls.fetch_add(1);
  SwitchToThread();
  *context = parameter;
  return TRUE;
}

BOOL WINAPI FailingInit(PINIT_ONCE, PVOID, PVOID*) {
  once_calls.fetch_add(1);
  SetLastError(ERROR_NOT_ENOUGH_MEMORY);
  return FALSE;
}

TEST_F(Sync, InitOnceExecuteOnceRunsExactlyOnce) {
  once_calls = 0;
  static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
  static int payload = 0;
  constexpr int kThreads = 8;
  std::atomic<int> agreed{0};
  std::vector<Worker> workers(kThreads);
  for (auto& worker : workers) {
    worker.Run([&] {
      PVOID context = nullptr;
      ASSERT_TRUE(InitOnceExecuteOnce(&once, CountingInit, &payload, &context));
      if (context == &payload) agreed.fetch_add(1);
    });
  }
  for (auto& worker : workers) worker.Join();
  EXPECT_EQ(once_calls.load(), 1);
  EXPECT_EQ(agreed.load(), kThreads);
}

TEST_F(Sync, InitOnceFailureLetsTheNextCallerTryAgain) {
  once_calls = 0;
  INIT_ONCE once;
  InitOnceInitialize(&once);
  EXPECT_FALSE(InitOnceExecuteOnce(&once, FailingInit, nullptr, nullptr));
  EXPECT_EQ(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
  int payload = 0;
  PVOID context = nullptr;
  EXPECT_TRUE(InitOnceExecuteOnce(&once, CountingInit, &payload, &context));
  EXPECT_EQ(context, &payload);
  EXPECT_EQ(once_calls.load(), 2);
}

TEST_F(Sync, InitOnceBeginAndComplete) {
  INIT_ONCE once = INIT_ONCE_STATIC_INIT;
  BOOL pending = FALSE;
  PVOID context = nullptr;
  EXPECT_FALSE(InitOnceBeginInitialize(&once, INIT_ONCE_CHECK_ONLY, &pending, &context));
  EXPECT_EQ(GetLastError(), ERROR_GEN_FAILURE);
  ASSERT_TRUE(InitOnceBeginInitialize(&once, 0, &pending, &context));
  EXPECT_TRUE(pending);
  EXPECT_FALSE(InitOnceBeginInitialize(&once, INIT_ONCE_CHECK_ONLY, &pending, &context));
  EXPECT_EQ(GetLastError(), ERROR_GEN_FAILURE);
  alignas(4) static char payload[4];
  EXPECT_FALSE(InitOnceComplete(&once, 0, payload + 1));  // low bits are reserved
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  ASSERT_TRUE(InitOnceComplete(&once, 0, payload));
  EXPECT_FALSE(InitOnceComplete(&once, 0, payload));
  EXPECT_EQ(GetLastError(), ERROR_GEN_FAILURE);
  pending = TRUE;
  ASSERT_TRUE(InitOnceBeginInitialize(&once, INIT_ONCE_CHECK_ONLY, &pending, &context));
  EXPECT_FALSE(pending);
  EXPECT_EQ(context, payload);
  EXPECT_FALSE(InitOnceBeginInitialize(&once, 0, nullptr, &context));
  EXPECT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  // A failed initialisation goes back to the start.
  INIT_ONCE again = INIT_ONCE_STATIC_INIT;
  ASSERT_TRUE(InitOnceBeginInitialize(&again, 0, &pending, &context));
  ASSERT_TRUE(InitOnceComplete(&again, INIT_ONCE_INIT_FAILED, nullptr));
  ASSERT_TRUE(InitOnceBeginInitialize(&again, 0, &pending, &context));
  EXPECT_TRUE(pending);
  ASSERT_TRUE(InitOnceComplete(&again, 0, nullptr));
}

// --- Threads ---

std::atomic<int> suspended_ran{0};

DWORD WINAPI MarkRan(LPVOID parameter) {
  suspended_ran.fetch_add(1);
  return static_cast<DWORD>(reinterpret_cast<ULONG_PTR>(parameter));
}

TEST_F(Sync, CreateSuspendedRunsOnlyWhenResumedToZero) {
  suspended_ran = 0;
  DWORD id = 0;
  HANDLE thread =
      CreateThread(nullptr, 0, MarkRan, reinterpret_cast<LPVOID>(9), CREATE_SUSPENDED, &id);
  ASSERT_NE(thread, nullptr);
  EXPECT_NE(id, 0u);
  EXPECT_EQ(GetThreadId(thread), id);
  DWORD code = 0;
  ASSERT_TRUE(GetExitCodeThread(thread, &code));
  EXPECT_EQ(code, static_cast<DWORD>(STILL_ACTIVE));
  EXPECT_EQ(SuspendThread(thread), 1u);  // 1 -> 2
  EXPECT_EQ(ResumeThread(thread), 2u);   // 2 -> 1
  EXPECT_EQ(WaitForSingleObject(thread, 20), WAIT_TIMEOUT);
  EXPECT_EQ(suspended_ran.load(), 0);
  EXPECT_EQ(ResumeThread(thread), 1u);  // 1 -> 0: runs
  EXPECT_EQ(WaitForSingleObject(thread, INFINITE), WAIT_OBJECT_0);
  EXPECT_EQ(suspended_ran.load(), 1);
  ASSERT_TRUE(GetExitCodeThread(thread, &code));
  EXPECT_EQ(code, 9u);
  EXPECT_EQ(ResumeThread(thread), 0u);  // not suspended
  EXPECT_EQ(SuspendThread(thread), static_cast<DWORD>(-1));
  EXPECT_EQ(GetLastError(), ERROR_NOT_SUPPORTED);
  EXPECT_TRUE(CloseHandle(thread));
  EXPECT_EQ(ResumeThread(thread), static_cast<DWORD>(-1));
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  EXPECT_EQ(SuspendThread(thread), static_cast<DWORD>(-1));
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
}

TEST_F(Sync, SuspendingARunningThreadIsNotSupported) {
  EXPECT_EQ(SuspendThread(GetCurrentThread()), static_cast<DWORD>(-1));
  EXPECT_EQ(GetLastError(), ERROR_NOT_SUPPORTED);
  EXPECT_EQ(ResumeThread(GetCurrentThread()), 0u);
}

TEST_F(Sync, GetThreadIdAndSwitchToThread) {
  EXPECT_EQ(GetThreadId(GetCurrentThread()), GetCurrentThreadId());
  EXPECT_EQ(GetThreadId(nullptr), 0u);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  HANDLE event = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  EXPECT_EQ(GetThreadId(event), 0u);
  EXPECT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  EXPECT_TRUE(CloseHandle(event));
  SwitchToThread();  // returns whether another thread ran; either is right
}

unsigned __stdcall BeginThreadRoutine(void* parameter) {
  unsigned* value = static_cast<unsigned*>(parameter);
  if (*value == 0) _endthreadex(77);
  return *value * 2;
}

TEST_F(Sync, BeginThreadExReturnsAWaitableHandle) {
  unsigned value = 21;
  unsigned id = 0;
  uintptr_t thread = _beginthreadex(nullptr, 0, BeginThreadRoutine, &value, 0, &id);
  ASSERT_NE(thread, 0u);
  EXPECT_NE(id, 0u);
  HANDLE handle = reinterpret_cast<HANDLE>(thread);
  EXPECT_EQ(GetThreadId(handle), id);
  EXPECT_EQ(WaitForSingleObject(handle, INFINITE), WAIT_OBJECT_0);
  DWORD code = 0;
  ASSERT_TRUE(GetExitCodeThread(handle, &code));
  EXPECT_EQ(code, 42u);
  EXPECT_TRUE(CloseHandle(handle));

  unsigned zero = 0;
  thread = _beginthreadex(nullptr, 0, BeginThreadRoutine, &zero, CREATE_SUSPENDED, nullptr);
  ASSERT_NE(thread, 0u);
  handle = reinterpret_cast<HANDLE>(thread);
  EXPECT_EQ(ResumeThread(handle), 1u);
  EXPECT_EQ(WaitForSingleObject(handle, INFINITE), WAIT_OBJECT_0);
  ASSERT_TRUE(GetExitCodeThread(handle, &code));
  EXPECT_EQ(code, 77u);  // _endthreadex
  EXPECT_TRUE(CloseHandle(handle));

  errno = 0;
  EXPECT_EQ(_beginthreadex(nullptr, 0, nullptr, nullptr, 0, nullptr), 0u);
  EXPECT_EQ(errno, EINVAL);
}

}  // namespace
