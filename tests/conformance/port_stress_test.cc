// A multi-threaded stress of the port with real I/O: worker threads on one
// port (concurrency 2) dequeue packets and issue overlapped reads and writes
// on several associated files, cancel some of them, post packets of their
// own. Every request and every posted packet must come back exactly once,
// with a status Windows could give it. Seeded (IOCP_STRESS_SEED) for the
// choices; thread interleaving is the scheduler's. Runs on the raw ring and
// the fake, and under TSan in CI.
#include <stdlib.h>
#include <unistd.h>
#include <windows.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/conformance/port_testing.h"

namespace {

constexpr int kFiles = 4;
constexpr int kWorkers = 4;
constexpr int kContexts = 6000;
constexpr ULONG_PTR kKickKey = 100;
constexpr ULONG_PTR kStopKey = 101;

struct Context {
  OVERLAPPED overlapped;
  int id;
  bool is_read;
  char data[32];
};

struct Stress {
  HANDLE port = nullptr;
  HANDLE files[kFiles] = {};
  std::vector<Context> contexts = std::vector<Context>(kContexts);
  std::atomic<int> next{0};       // contexts handed out
  std::atomic<int> completed{0};  // packets accounted for
  std::atomic<int> failures{0};
  std::atomic<int> phase[kWorkers] = {};
  std::vector<std::atomic<int>> kicks = std::vector<std::atomic<int>>(kContexts);
  std::atomic<int> first_failure_line{0};
  std::atomic<unsigned> first_failure_error{0};
  void Failed(int line, unsigned error) {
    if (failures.fetch_add(1) == 0) {
      first_failure_line = line;
      first_failure_error = error;
    }
  }
  std::vector<std::atomic<int>> seen = std::vector<std::atomic<int>>(kContexts);

  // Takes a fresh context, or null when all are used.
  Context* Take() {
    int id = next.fetch_add(1);
    if (id >= kContexts) return nullptr;
    Context* context = &contexts[id];
    ZeroMemory(&context->overlapped, sizeof(context->overlapped));
    context->id = id;
    return context;
  }

  void Issue(std::mt19937_64& random) {
    Context* context = Take();
    if (context == nullptr) return;
    const int choice = static_cast<int>(random() % 10);
    if (choice == 0) {  // a posted packet
      kicks[context->id] = 1;
      if (!PostQueuedCompletionStatus(port, 0, kKickKey, &context->overlapped))
        Failed(__LINE__, GetLastError());
      return;
    }
    const int file = static_cast<int>(random() % kFiles);
    context->overlapped.Offset = static_cast<DWORD>((random() % 64) * 32);
    context->is_read = choice < 5;
    BOOL ok = context->is_read ? ReadFile(files[file], context->data, sizeof(context->data),
                                          nullptr, &context->overlapped)
                               : WriteFile(files[file], context->data, sizeof(context->data),
                                           nullptr, &context->overlapped);
    if (ok || GetLastError() != ERROR_IO_PENDING)
      Failed(__LINE__, GetLastError());  // always pends here
    if (random() % 7 == 0) {
      // May find it (TRUE) or not (1168: it already completed).
      if (!CancelIoEx(files[file], &context->overlapped) && GetLastError() != ERROR_NOT_FOUND) {
        Failed(__LINE__, GetLastError());
      }
    }
  }

  void Worker(uint64_t seed, int w) {
    std::mt19937_64 random(seed);
    for (;;) {
      phase[w] = 1;
      DWORD bytes = 0;
      ULONG_PTR key = 0;
      LPOVERLAPPED overlapped = nullptr;
      BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, 30000);
      phase[w] = 2;
      if (ok && key == kStopKey) return;
      if (overlapped == nullptr) {
        auto stats = iocp_testing::PortStats(port);
        for (int i = 0; i < kContexts; ++i) {
          if (seen[i].load() == 0 && i < next.load()) {
            fprintf(stderr, "missing context %d read=%d internal=%#lx high=%lu kick=%d\n", i,
                    contexts[i].is_read, (unsigned long)contexts[i].overlapped.Internal,
                    (unsigned long)contexts[i].overlapped.InternalHigh, kicks[i].load());
          }
        }
        fprintf(stderr, "phases %d %d %d %d\n", phase[0].load(), phase[1].load(), phase[2].load(),
                phase[3].load());
        fprintf(stderr,
                "timeout: queued %u waiting %u running %u in_flight %u issued %d completed %d\n",
                stats.queued, stats.waiting, stats.running, stats.in_flight, next.load(),
                completed.load());
        Failed(__LINE__, GetLastError());  // a timeout or an abandoned wait: something was lost
        return;
      }
      Context* context = CONTAINING_RECORD(overlapped, Context, overlapped);
      if (seen[context->id].fetch_add(1) != 0) Failed(__LINE__, GetLastError());  // delivered twice
      if (key != kKickKey) {
        const DWORD error = ok ? 0 : GetLastError();
        const bool plausible = error == 0 || error == ERROR_OPERATION_ABORTED ||
                               (context->is_read && error == ERROR_HANDLE_EOF);
        if (!plausible) Failed(__LINE__, GetLastError());
        if (ok && bytes != sizeof(context->data)) Failed(__LINE__, GetLastError());
      }
      completed++;
      phase[w] = 3;
      // Each completion issues up to two more, so the work fans out.
      Issue(random);
      if (random() % 2) Issue(random);
    }
  }
};

TEST(PortStress, EveryRequestAndPacketComesBackExactlyOnce) {
  const char* seed_text = getenv("IOCP_STRESS_SEED");
  const uint64_t seed = seed_text ? strtoull(seed_text, nullptr, 0) : 20261128;
  SCOPED_TRACE("seed=" + std::to_string(seed) +
               " (replay: --test_env=IOCP_STRESS_SEED=" + std::to_string(seed) + ")");
  Stress stress;
  stress.port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 2);
  ASSERT_NE(stress.port, nullptr);
  const char* dir = getenv("TEST_TMPDIR");
  for (int i = 0; i < kFiles; ++i) {
    std::string path = std::string(dir ? dir : "/tmp") + "/stress." + std::to_string(getpid()) +
                       "." + std::to_string(i);
    stress.files[i] =
        CreateFileA(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                    FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, nullptr);
    ASSERT_NE(stress.files[i], INVALID_HANDLE_VALUE);
    ASSERT_EQ(CreateIoCompletionPort(stress.files[i], stress.port, static_cast<ULONG_PTR>(i), 0),
              stress.port);
  }
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&stress, seed, w] { stress.Worker(seed * 31 + w, w); });
  }
  std::mt19937_64 random(seed);
  for (int i = 0; i < 16; ++i) stress.Issue(random);
  // Done when every context handed out has come back.
  iocp_testing::WaitUntil([&] {
    const int issued = std::min(stress.next.load(), kContexts);
    return stress.failures.load() > 0 || (issued == kContexts && stress.completed.load() == issued);
  });
  for (int w = 0; w < kWorkers; ++w) PostQueuedCompletionStatus(stress.port, 0, kStopKey, nullptr);
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(stress.failures.load(), 0) << "first at line " << stress.first_failure_line.load()
                                       << ", last error " << stress.first_failure_error.load();
  EXPECT_EQ(stress.completed.load(), kContexts);
  for (int i = 0; i < kContexts; ++i) ASSERT_EQ(stress.seen[i].load(), 1) << "context " << i;
  for (HANDLE file : stress.files) CloseHandle(file);
  CloseHandle(stress.port);
}

}  // namespace
