// port_bench: the completion port's own costs, each beside a baseline in the
// same run, interleaved, median of --reps (default 5).
//
//   pair       PostQueuedCompletionStatus + GetQueuedCompletionStatus on one
//              thread (a packet is always queued: no system call), against a
//              mutex + condition-variable queue doing push + pop.
//   batch64    64 posts, then one GetQueuedCompletionStatusEx of 64, against
//              the mutex queue pushing 64 and popping 64 under one lock.
//   pingpong   two threads bouncing a packet over two ports (each hop wakes
//              a sleeping thread), against the same bounce over bare futex
//              words and over eventfds: the cross-thread wake-up latency.
//
// Placement: by default every thread is pinned to CPU 0 (a wake-up is then a
// same-CPU context switch, which is stable on this machine); --split leaves
// placement to the scheduler (cross-CPU wake-ups: noisy, reported apart).
//
// Run: bazel run --config=opt //tools/bench:port_bench [-- --split]
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <windows.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

void Check(bool ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "port_bench: %s failed (error %u)\n", what, GetLastError());
    exit(1);
  }
}

// The baseline queue: what a program would write without a port.
class MutexQueue {
 public:
  void Push(uintptr_t value) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      items_.push_back(value);
    }
    condition_.notify_one();
  }
  uintptr_t Pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    condition_.wait(lock, [&] { return !items_.empty(); });
    uintptr_t value = items_.front();
    items_.pop_front();
    return value;
  }
  void PushMany(const uintptr_t* values, int count) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (int i = 0; i < count; ++i) items_.push_back(values[i]);
    }
    condition_.notify_one();
  }
  int PopMany(uintptr_t* out, int capacity) {
    std::unique_lock<std::mutex> lock(mutex_);
    condition_.wait(lock, [&] { return !items_.empty(); });
    int n = 0;
    while (n < capacity && !items_.empty()) {
      out[n++] = items_.front();
      items_.pop_front();
    }
    return n;
  }

 private:
  std::mutex mutex_;
  std::condition_variable condition_;
  std::deque<uintptr_t> items_;
};

// --- pair ---

double PortPairs(int64_t count) {
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1);
  Check(port != nullptr, "CreateIoCompletionPort");
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED overlapped;
  auto start = Clock::now();
  for (int64_t i = 0; i < count; ++i) {
    PostQueuedCompletionStatus(port, 1, static_cast<ULONG_PTR>(i), nullptr);
    GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, INFINITE);
  }
  double rate = count / Seconds(start);
  Check(key == static_cast<ULONG_PTR>(count - 1), "pair order");
  CloseHandle(port);
  return rate;
}

double MutexPairs(int64_t count) {
  MutexQueue queue;
  uintptr_t last = 0;
  auto start = Clock::now();
  for (int64_t i = 0; i < count; ++i) {
    queue.Push(static_cast<uintptr_t>(i));
    last = queue.Pop();
  }
  double rate = count / Seconds(start);
  Check(last == static_cast<uintptr_t>(count - 1), "mutex order");
  return rate;
}

// --- batch64 ---

double PortBatches(int64_t count) {
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1);
  OVERLAPPED_ENTRY entries[64];
  ULONG removed;
  auto start = Clock::now();
  for (int64_t i = 0; i < count; i += 64) {
    for (int j = 0; j < 64; ++j) PostQueuedCompletionStatus(port, 0, static_cast<ULONG_PTR>(j), nullptr);
    GetQueuedCompletionStatusEx(port, entries, 64, &removed, INFINITE, FALSE);
    Check(removed == 64, "batch size");
  }
  double rate = count / Seconds(start);
  CloseHandle(port);
  return rate;
}

double MutexBatches(int64_t count) {
  MutexQueue queue;
  uintptr_t values[64], out[64];
  for (int j = 0; j < 64; ++j) values[j] = static_cast<uintptr_t>(j);
  auto start = Clock::now();
  for (int64_t i = 0; i < count; i += 64) {
    for (int j = 0; j < 64; ++j) queue.Push(values[j]);
    Check(queue.PopMany(out, 64) == 64, "mutex batch");
  }
  return count / Seconds(start);
}

// --- pingpong (round trips per second; each is two cross-thread wake-ups) ---

double PortPingPong(int64_t rounds) {
  HANDLE there = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1);
  HANDLE back = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1);
  std::thread echo([&] {
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED overlapped;
    for (int64_t i = 0; i < rounds; ++i) {
      GetQueuedCompletionStatus(there, &bytes, &key, &overlapped, INFINITE);
      PostQueuedCompletionStatus(back, 0, key, nullptr);
    }
  });
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED overlapped;
  auto start = Clock::now();
  for (int64_t i = 0; i < rounds; ++i) {
    PostQueuedCompletionStatus(there, 0, static_cast<ULONG_PTR>(i), nullptr);
    GetQueuedCompletionStatus(back, &bytes, &key, &overlapped, INFINITE);
  }
  double rate = rounds / Seconds(start);
  echo.join();
  CloseHandle(there);
  CloseHandle(back);
  return rate;
}

// A one-slot mailbox over a bare futex word: the least a wake-up can cost.
struct FutexMailbox {
  std::atomic<uint32_t> full{0};
  void Put() {
    full.store(1, std::memory_order_release);
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&full), FUTEX_WAKE_PRIVATE, 1, nullptr,
            nullptr, 0);
  }
  void Take() {
    while (full.load(std::memory_order_acquire) == 0) {
      syscall(SYS_futex, reinterpret_cast<uint32_t*>(&full), FUTEX_WAIT_PRIVATE, 0, nullptr,
              nullptr, 0);
    }
    full.store(0, std::memory_order_relaxed);
  }
};

double FutexPingPong(int64_t rounds) {
  FutexMailbox there, back;
  std::thread echo([&] {
    for (int64_t i = 0; i < rounds; ++i) {
      there.Take();
      back.Put();
    }
  });
  auto start = Clock::now();
  for (int64_t i = 0; i < rounds; ++i) {
    there.Put();
    back.Take();
  }
  double rate = rounds / Seconds(start);
  echo.join();
  return rate;
}

double EventfdPingPong(int64_t rounds) {
  int there = eventfd(0, EFD_CLOEXEC), back = eventfd(0, EFD_CLOEXEC);
  std::thread echo([&] {
    uint64_t value;
    for (int64_t i = 0; i < rounds; ++i) {
      Check(read(there, &value, 8) == 8, "eventfd read");
      value = 1;
      Check(write(back, &value, 8) == 8, "eventfd write");
    }
  });
  uint64_t value = 1;
  auto start = Clock::now();
  for (int64_t i = 0; i < rounds; ++i) {
    value = 1;
    Check(write(there, &value, 8) == 8, "eventfd write");
    Check(read(back, &value, 8) == 8, "eventfd read");
  }
  double rate = rounds / Seconds(start);
  echo.join();
  close(there);
  close(back);
  return rate;
}

struct Contender {
  const char* name;
  std::function<double()> run;
};

void Compare(const char* workload, const char* unit, std::vector<Contender> contenders, int reps) {
  std::vector<std::vector<double>> rates(contenders.size());
  for (int rep = 0; rep < reps; ++rep) {
    for (size_t c = 0; c < contenders.size(); ++c) rates[c].push_back(contenders[c].run());
  }
  const double ours = Median(rates[0]);
  printf("%-9s %-12s %14.0f %s\n", workload, contenders[0].name, ours, unit);
  for (size_t c = 1; c < contenders.size(); ++c) {
    const double baseline = Median(rates[c]);
    printf("%-9s %-12s %14.0f %s   port/baseline %.3fx rate, %.3fx latency\n", workload,
           contenders[c].name, baseline, unit, ours / baseline, baseline / ours);
  }
  fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 5;
  int64_t scale = 2000000;
  bool split = false;
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], "--reps=", 7) == 0) reps = atoi(argv[i] + 7);
    if (strncmp(argv[i], "--ops=", 6) == 0) scale = atoll(argv[i] + 6);
    if (strcmp(argv[i], "--split") == 0) split = true;
  }
  if (!split) {
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(0, &cpus);
    Check(sched_setaffinity(0, sizeof(cpus), &cpus) == 0, "sched_setaffinity");
  }
  printf("port_bench: %d repetitions, interleaved, median; threads %s\n", reps,
         split ? "placed by the scheduler (split)" : "pinned to CPU 0 (same CPU)");
  Compare("pair", "pairs/s",
          {{"port", [&] { return PortPairs(scale); }}, {"mutex+cv", [&] { return MutexPairs(scale); }}},
          reps);
  Compare("batch64", "packets/s",
          {{"port", [&] { return PortBatches(scale * 4); }},
           {"mutex+cv", [&] { return MutexBatches(scale * 4); }}},
          reps);
  const int64_t rounds = scale / 40;
  Compare("pingpong", "rounds/s",
          {{"port", [&] { return PortPingPong(rounds); }},
           {"futex", [&] { return FutexPingPong(rounds); }},
           {"eventfd", [&] { return EventfdPingPong(rounds); }}},
          reps);
  return 0;
}
