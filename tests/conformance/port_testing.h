// Helpers for the port conformance tests: a worker thread that runs one task,
// waiting for observable state instead of sleeping, and a look at a port's
// internal counters through its handle.
#ifndef IOCP_TESTS_CONFORMANCE_PORT_TESTING_H_
#define IOCP_TESTS_CONFORMANCE_PORT_TESTING_H_

#include <windows.h>

#include <chrono>
#include <functional>
#include <thread>

#include <stdio.h>
#include <stdlib.h>

#include "gtest/gtest.h"
#include "ring/default_ring.h"
#include "winapi/api_util.h"
#include "winapi/port.h"

namespace iocp_testing {

// Spins (yielding) until `condition` holds. A generous bound turns a hang
// into a test failure; it is never what the test waits for.
inline void WaitUntil(const std::function<bool()>& condition) {
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > limit) {
      ADD_FAILURE() << "condition not reached within 30 s";
      return;
    }
    std::this_thread::yield();
  }
}

// A thread running one task; joined by Join or on destruction.
class Worker {
 public:
  Worker() = default;
  ~Worker() { Join(); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  void Run(std::function<void()> task) { thread_ = std::thread(std::move(task)); }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::thread thread_;
};

struct PortCounters {
  uint32_t limit = 0;
  uint32_t queued = 0;
  uint32_t waiting = 0;
  uint32_t running = 0;
  uint32_t in_flight = 0;
  uint64_t pool_chunk_allocations = 0;
};

inline PortCounters PortStats(HANDLE handle) {
  auto port = winapi::LookupAs<winapi::CompletionPort>(handle, winapi::ObjectKind::kPort);
  PortCounters counters;
  if (!port) {
    ADD_FAILURE() << "not a port handle";
    return counters;
  }
  auto stats = port->stats();
  counters.limit = port->concurrency_limit();
  counters.queued = stats.queued;
  counters.waiting = stats.waiting;
  counters.running = stats.running;
  counters.in_flight = stats.in_flight;
  counters.pool_chunk_allocations = stats.pool_chunk_allocations;
  return counters;
}

// On failure, says which ring ran the test and how to replay it.
class ReplayHint : public ::testing::Environment {
 public:
  void TearDown() override {
    if (::testing::UnitTest::GetInstance()->failed_test_count() == 0) return;
    const char* seed = getenv("IOCP_FAKE_SEED");
    fprintf(stderr, "failed on ring=%s seed=%s (replay: --test_env=IOCP_FAKE_SEED=%s)\n",
            ring::DefaultRingName(), seed ? seed : "1", seed ? seed : "1");
  }
};
inline ::testing::Environment* const kReplayHint =
    ::testing::AddGlobalTestEnvironment(new ReplayHint);

}  // namespace iocp_testing

#endif  // IOCP_TESTS_CONFORMANCE_PORT_TESTING_H_
