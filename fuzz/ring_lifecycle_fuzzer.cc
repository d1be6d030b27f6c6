// ring_lifecycle_fuzzer: the input is a program of ring steps run on the fake
// kernel (the seed, the fault mix and every step come from the input bytes).
// Invariants, checked after every step and at the end:
//   - every accepted submission completes exactly once (none lost, none
//     duplicated), and no completion carries a user data never submitted;
//   - results are plausible for the operation (a recv never returns more
//     bytes than asked; a nop returns 0; a cancel returns 0/-ENOENT/-EALREADY);
//   - the ring never returns more completions than asked for.
// The Win32-level lifecycle fuzzer with a reference model builds on this.
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <map>
#include <vector>

#include "fuzz/fuzz_input.h"
#include "ring/fake/fake_kernel.h"
#include "ring/fake/fake_ring.h"

namespace {

using Input = FuzzInput;

[[noreturn]] void Violation(const char* what, uint64_t user_data, int32_t result) {
  fprintf(stderr, "ring_lifecycle_fuzzer: %s (user_data=%llu result=%d)\n", what,
          static_cast<unsigned long long>(user_data), result);
  abort();
}

struct Pending {
  ring::Op op;
  uint32_t length;
};

class Run {
 public:
  explicit Run(Input& input) : input_(input), kernel_(Options(input)), ring_(kernel_, {16}) {}

  void Execute() {
    for (int fd = 0; fd < 2; ++fd) {
      int pair[2];
      if (kernel_.SocketPair(AF_UNIX, SOCK_STREAM, 0, pair) == 0) {
        fds_.push_back(pair[0]);
        fds_.push_back(pair[1]);
      }
    }
    int steps = 0;
    while (!input_.empty() && steps++ < 2000) Step();
    Drain();
  }

 private:
  static ring::FakeOptions Options(Input& input) {
    ring::FakeOptions options;
    options.seed = input.U64();
    const uint8_t faults = input.Byte();
    options.partial_transfer = (faults & 1) ? 0.3 : 0;
    options.spurious_reset = (faults & 2) ? 0.05 : 0;
    options.cancel_race = (faults & 4) ? 0.3 : 0;
    options.slow_completion = (faults & 8) ? 0.2 : 0;
    options.max_delay_ticks = faults >> 4;
    return options;
  }

  int Fd() { return fds_.empty() ? -1 : fds_[input_.Byte() % fds_.size()]; }

  void Submit(const ring::Request& request, uint32_t length) {
    int rc = ring_.Prepare(request);
    if (rc == -EBUSY) {
      ring_.Submit();
      return;
    }
    if (rc != 0) Violation("prepare refused a valid request", request.user_data, rc);
    pending_[request.user_data] = Pending{request.op, length};
  }

  void Step() {
    const uint64_t user_data = next_user_data_++;
    const uint32_t length = 1 + input_.Byte() % 64;
    switch (input_.Byte() % 10) {
      case 0:
        Submit(ring::Request::Nop(user_data), 0);
        break;
      case 1:
        Submit(ring::Request::Recv(Fd(), buffer_, length, 0, user_data), length);
        break;
      case 2:
        Submit(ring::Request::Send(Fd(), buffer_, length, MSG_NOSIGNAL, user_data), length);
        break;
      case 3: {
        timeout_.tv_sec = 0;
        timeout_.tv_nsec = input_.Byte() * 1000;
        Submit(ring::Request::Timeout(&timeout_, user_data), 0);
        break;
      }
      case 4: {
        uint64_t target = pending_.empty() ? 0 : pending_.begin()->first + input_.Byte() % 4;
        Submit(ring::Request::Cancel(target, user_data), 0);
        break;
      }
      case 5:
        Submit(ring::Request::Shutdown(Fd(), SHUT_WR, user_data), 0);
        break;
      case 6:
        ring_.Submit();
        break;
      case 7:
        Reap(input_.Byte() % 8, 0);
        break;
      case 8:
        kernel_.AdvanceTime(input_.Byte() * 1000);
        break;
      case 9:
        if (!fds_.empty()) kernel_.ResetConnection(Fd());
        break;
    }
  }

  void Reap(unsigned min_complete, int64_t timeout_ns) {
    ring::Completion batch[8];
    int n = ring_.Wait(batch, 8, min_complete, timeout_ns);
    if (n < 0) Violation("wait failed", 0, n);
    if (n > 8) Violation("wait overran its capacity", 0, n);
    for (int i = 0; i < n; ++i) Check(batch[i]);
  }

  void Check(const ring::Completion& c) {
    auto it = pending_.find(c.user_data);
    if (it == pending_.end())
      Violation("completion never submitted or duplicated", c.user_data, c.result);
    const Pending p = it->second;
    pending_.erase(it);
    switch (p.op) {
      case ring::Op::kNop:
        if (c.result != 0) Violation("nop failed", c.user_data, c.result);
        break;
      case ring::Op::kRecv:
      case ring::Op::kSend:
        if (c.result > static_cast<int32_t>(p.length))
          Violation("transfer too long", c.user_data, c.result);
        break;
      case ring::Op::kCancel:
        if (c.result != 0 && c.result != -ENOENT && c.result != -EALREADY) {
          Violation("cancel result", c.user_data, c.result);
        }
        break;
      default:
        break;
    }
  }

  // Ends every connection (shutdown: a close alone would not, while the
  // ring's requests still hold the files), so every transfer completes;
  // then nothing may be left over.
  void Drain() {
    for (int fd : fds_) kernel_.Shutdown(fd, SHUT_RDWR);
    ring_.Submit();
    for (int round = 0; round < 100000 && !pending_.empty(); ++round) {
      kernel_.AdvanceTime(1000000);
      Reap(0, 1000000);
    }
    if (!pending_.empty()) Violation("operations never completed", pending_.begin()->first, 0);
    ring::Completion extra;
    if (ring_.Peek(&extra, 1) != 0)
      Violation("completion after drain", extra.user_data, extra.result);
    for (int fd : fds_) kernel_.Close(fd);
  }

  Input& input_;
  ring::FakeKernel kernel_;
  ring::FakeRing ring_;
  std::vector<int> fds_;
  std::map<uint64_t, Pending> pending_;
  uint64_t next_user_data_ = 1;
  char buffer_[64] = {};
  __kernel_timespec timeout_ = {};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input input(data, size);
  Run run(input);
  run.Execute();
  return 0;
}
