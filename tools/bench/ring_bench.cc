// ring_bench: the raw-syscall ring against liburing, side by side in one run.
//
// Workloads (each a loop of submit + wait through the ring interface):
//   nop        one nop per io_uring_enter: the fixed cost of a round trip
//   nop_x32    32 nops per enter: the cost per operation when batching
//   pingpong   a 64-byte message bounced over an AF_UNIX socketpair: send on
//              one end and recv on the other in one batch, then back
// The contenders run interleaved, `--reps` times each (default 5), and the
// median rate is compared. Output: one line per workload with both rates and
// the ratio raw/liburing.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ring/raw/raw_ring.h"
#include "ring/ring.h"
#include "ring/uring/uring_ring.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Contender {
  const char* name;
  std::function<std::unique_ptr<ring::Ring>()> make;
};

void Check(bool ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "ring_bench: %s failed\n", what);
    exit(1);
  }
}

// Runs `batch` nops per round trip; returns operations per second.
double NopRate(ring::Ring& r, unsigned batch, int64_t operations) {
  ring::Completion done[64];
  const auto start = Clock::now();
  for (int64_t i = 0; i < operations; i += batch) {
    for (unsigned j = 0; j < batch; ++j) Check(r.Prepare(ring::Request::Nop(j)) == 0, "prepare");
    unsigned got = 0;
    while (got < batch) {
      int n = r.Wait(done, 64, batch - got, ring::kInfinite);
      Check(n >= 0, "wait");
      got += static_cast<unsigned>(n);
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(operations) / seconds;
}

// Bounces a message over a socketpair; returns messages per second.
double PingPongRate(ring::Ring& r, int64_t messages) {
  int fds[2];
  Check(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0, "socketpair");
  char out[64], in[64];
  memset(out, 'x', sizeof(out));
  ring::Completion done[4];
  const auto start = Clock::now();
  for (int64_t i = 0; i < messages; ++i) {
    const int from = fds[i & 1], to = fds[(i + 1) & 1];
    Check(r.Prepare(ring::Request::Recv(to, in, sizeof(in), MSG_WAITALL, 2)) == 0, "prepare");
    Check(r.Prepare(ring::Request::Send(from, out, sizeof(out), 0, 1)) == 0, "prepare");
    unsigned got = 0;
    while (got < 2) {
      int n = r.Wait(done, 4, 2 - got, ring::kInfinite);
      Check(n >= 0, "wait");
      for (int k = 0; k < n; ++k) Check(done[k].result == 64, "transfer");
      got += static_cast<unsigned>(n);
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  close(fds[0]);
  close(fds[1]);
  return static_cast<double>(messages) / seconds;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 5;
  int64_t scale = 200000;
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], "--reps=", 7) == 0) reps = atoi(argv[i] + 7);
    if (strncmp(argv[i], "--ops=", 6) == 0) scale = atoll(argv[i] + 6);
  }
  Check(reps > 0 && scale > 0, "arguments");

  const Contender contenders[] = {
      {"raw", [] { return std::unique_ptr<ring::Ring>(ring::RawRing::Create({256}, nullptr)); }},
      {"liburing",
       [] { return std::unique_ptr<ring::Ring>(ring::UringRing::Create({256}, nullptr)); }},
  };
  struct Workload {
    const char* name;
    const char* unit;
    std::function<double(ring::Ring&)> run;
  };
  const Workload workloads[] = {
      {"nop", "ops/s", [&](ring::Ring& r) { return NopRate(r, 1, scale); }},
      {"nop_x32", "ops/s", [&](ring::Ring& r) { return NopRate(r, 32, scale * 8); }},
      {"pingpong", "msgs/s", [&](ring::Ring& r) { return PingPongRate(r, scale / 2); }},
  };

  printf("ring_bench: %d repetitions, interleaved, median\n", reps);
  printf("%-10s %16s %16s %8s\n", "workload", "raw", "liburing", "ratio");
  for (const Workload& w : workloads) {
    std::vector<double> rates[2];
    for (int rep = 0; rep < reps; ++rep) {
      for (int c = 0; c < 2; ++c) {
        auto r = contenders[c].make();
        Check(r != nullptr, "ring creation");
        rates[c].push_back(w.run(*r));
      }
    }
    const double raw = Median(rates[0]), uring = Median(rates[1]);
    printf("%-10s %12.0f %-3s %12.0f %-3s %7.3fx\n", w.name, raw, "", uring, "", raw / uring);
    fflush(stdout);
  }
  printf("(rates in ops/s; pingpong counts one-way messages)\n");
  return 0;
}
