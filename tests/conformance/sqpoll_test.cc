// IOCP_SQPOLL: a port asked for a kernel submission thread gets one (it shows
// as an "iou-sqp-" thread of the process), its I/O completes through it, and
// a port whose thread the kernel refuses still works, without one. Raw ring
// only: the simulation has no kernel threads. The Win32 semantics under
// SQPOLL are the conformance suites' (NAME_raw_sqpoll targets).
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <windows.h>

#include <chrono>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace {

constexpr DWORD kLongMs = 10'000;

// The process's threads named by io_uring's SQPOLL (iou-sqp-<pid>).
int SqPollThreads() {
  int count = 0;
  DIR* tasks = opendir("/proc/self/task");
  if (tasks == nullptr) return -1;
  while (dirent* entry = readdir(tasks)) {
    if (entry->d_name[0] == '.') continue;
    const std::string path = std::string("/proc/self/task/") + entry->d_name + "/comm";
    FILE* comm = fopen(path.c_str(), "r");
    if (comm == nullptr) continue;  // the thread ended meanwhile
    char name[32] = {};
    if (fgets(name, sizeof(name), comm) != nullptr && strncmp(name, "iou-sqp-", 8) == 0) ++count;
    fclose(comm);
  }
  closedir(tasks);
  return count;
}

class SqPoll : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* dir = getenv("TEST_TMPDIR");
    path_ = std::string(dir ? dir : "/tmp") + "/sqpoll_test." + std::to_string(getpid());
  }
  void TearDown() override {
    unsetenv("IOCP_SQPOLL");
    unsetenv("IOCP_SQPOLL_CPU");
    unsetenv("IOCP_SQPOLL_IDLE_MS");
    DeleteFileA(path_.c_str());
  }

  // Writes and reads back `rounds` records through a new port on `file`,
  // one at a time, each through GetQueuedCompletionStatus: every request
  // is submitted after an idle gap the 1 ms SQPOLL thread may sleep in.
  void RoundTrips(HANDLE port, HANDLE file, int rounds) {
    for (int i = 0; i < rounds; ++i) {
      char out[32] = {}, in[32] = {};
      snprintf(out, sizeof(out), "record %07d", i % 10000000);
      OVERLAPPED ov = {};
      ov.Offset = static_cast<DWORD>(i * sizeof(out));
      ASSERT_FALSE(WriteFile(file, out, sizeof(out), nullptr, &ov));
      ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
      DWORD bytes = 0;
      ULONG_PTR key = 0;
      LPOVERLAPPED got = nullptr;
      ASSERT_TRUE(GetQueuedCompletionStatus(port, &bytes, &key, &got, kLongMs)) << GetLastError();
      ASSERT_EQ(got, &ov);
      ASSERT_EQ(bytes, sizeof(out));
      ASSERT_EQ(key, 7u);
      ASSERT_FALSE(ReadFile(file, in, sizeof(in), nullptr, &ov));
      ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
      ASSERT_TRUE(GetQueuedCompletionStatus(port, &bytes, &key, &got, kLongMs)) << GetLastError();
      ASSERT_EQ(got, &ov);
      ASSERT_EQ(bytes, sizeof(in));
      ASSERT_EQ(memcmp(in, out, sizeof(in)), 0) << "round " << i;
    }
  }

  // A port made under the current environment, a file on it, and the
  // number of SQPOLL threads its creation added (given time to appear when
  // one is expected).
  int PortAddsThreads(int rounds, bool expect_thread) {
    const int before = SqPollThreads();
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1);
    EXPECT_NE(port, nullptr) << GetLastError();
    if (port == nullptr) return -1;
    int added = SqPollThreads() - before;
    if (expect_thread) {
      // The thread names itself when it first runs, which may be later.
      const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (added < 1 && std::chrono::steady_clock::now() < limit) {
        std::this_thread::yield();
        added = SqPollThreads() - before;
      }
    }
    HANDLE file = CreateFileA(path_.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr,
                              CREATE_ALWAYS, FILE_FLAG_OVERLAPPED, nullptr);
    EXPECT_NE(file, INVALID_HANDLE_VALUE) << GetLastError();
    EXPECT_EQ(CreateIoCompletionPort(file, port, 7, 0), port) << GetLastError();
    RoundTrips(port, file, rounds);
    EXPECT_TRUE(CloseHandle(file));
    EXPECT_TRUE(CloseHandle(port));
    return added;
  }

  std::string path_;
};

TEST_F(SqPoll, OffUnlessAskedFor) {
  unsetenv("IOCP_SQPOLL");
  EXPECT_EQ(PortAddsThreads(10, false), 0);
  setenv("IOCP_SQPOLL", "0", 1);
  EXPECT_EQ(PortAddsThreads(10, false), 0);
}

TEST_F(SqPoll, AskedForGivesTheRingAKernelThreadAndIoCompletesThroughIt) {
  setenv("IOCP_SQPOLL", "1", 1);
  setenv("IOCP_SQPOLL_IDLE_MS", "1", 1);
  EXPECT_EQ(PortAddsThreads(500, true), 1);
}

TEST_F(SqPoll, PinnedToACpuOfOurs) {
  cpu_set_t mask;
  ASSERT_EQ(sched_getaffinity(0, sizeof(mask), &mask), 0);
  int cpu = 0;
  while (!CPU_ISSET(cpu, &mask)) ++cpu;
  setenv("IOCP_SQPOLL", "1", 1);
  setenv("IOCP_SQPOLL_CPU", std::to_string(cpu).c_str(), 1);
  EXPECT_EQ(PortAddsThreads(100, true), 1);
}

TEST_F(SqPoll, RefusedByTheKernelFallsBackToAPlainRing) {
  // No such CPU: the kernel refuses the thread, and the port is made
  // without it rather than not at all.
  setenv("IOCP_SQPOLL", "1", 1);
  setenv("IOCP_SQPOLL_CPU", "100000", 1);
  EXPECT_LE(PortAddsThreads(100, false), 0);
}

}  // namespace
