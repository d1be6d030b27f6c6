// ring_differential_fuzzer: the same program of ring operations on the
// production raw-syscall ring, on that ring with a kernel submission thread
// (SQPOLL, idling 1 ms) and on the liburing ring, all on the real
// kernel (a temporary file, a Unix stream socket pair and a pipe, all
// non-blocking), must give identical results: every completion's result and
// every byte read. Operations run one at a time (submit, wait), so the
// kernel's answers do not depend on timing; one that would wait (a poll, a
// pipe) is bounded by a short timeout and then cancelled, and the cancel's
// outcome is compared too.
#include <errno.h>
#include <fcntl.h>
#include <linux/time_types.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "fuzz/fuzz_input.h"
#include "ring/raw/raw_ring.h"
#include "ring/ring.h"
#include "ring/uring/uring_ring.h"

namespace {

using Input = FuzzInput;

// What one operation gave: its result and a hash of the bytes it read.
struct Outcome {
  int op;
  int32_t result;
  uint64_t data_hash;
  bool operator==(const Outcome& other) const {
    return op == other.op && result == other.result && data_hash == other.data_hash;
  }
};

uint64_t Hash(const char* data, size_t length) {
  uint64_t hash = 1469598103934665603ull;
  for (size_t i = 0; i < length; ++i)
    hash = (hash ^ static_cast<uint8_t>(data[i])) * 1099511628211ull;
  return hash;
}

// One backend's world: its ring and its own descriptors.
class World {
 public:
  explicit World(std::unique_ptr<ring::Ring> ring, const std::string& path)
      : ring_(std::move(ring)) {
    file_ = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    unlink(path.c_str());
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sockets_) != 0 ||
        pipe2(pipe_, O_NONBLOCK | O_CLOEXEC) != 0 || file_ < 0) {
      abort();
    }
  }
  ~World() {
    close(file_);
    close(sockets_[0]);
    close(sockets_[1]);
    close(pipe_[0]);
    close(pipe_[1]);
  }

  // Runs `request` alone and returns its result. Everything here completes
  // by itself (MSG_DONTWAIT, files) except a poll, or a pipe read or write,
  // that nothing will satisfy (io_uring waits on a pipe even when it is
  // O_NONBLOCK): those (`may_wait`) are cancelled after 20 ms, and the
  // cancel's own result is folded in. Nothing else runs, so what is not
  // ready at once does not become ready in those 20 ms: no timing in it.
  int32_t Run(ring::Request request, bool may_wait = false) {
    request.user_data = 1;
    if (ring_->Prepare(request) != 0) abort();
    ring::Completion completion;
    // A slow disk (fsync) may take long; only a poll is cut short.
    int n = ring_->Wait(&completion, 1, 1, may_wait ? 20'000'000 : 30'000'000'000);
    if (n == 1) return completion.result;
    if (!may_wait) {  // a request that always completes did not
      fprintf(stderr, "ring_differential_fuzzer: op %d never completed\n",
              static_cast<int>(request.op));
      abort();
    }
    // Still waiting (a poll or a receive that nothing will satisfy).
    if (ring_->Prepare(ring::Request::Cancel(1, 2)) != 0) abort();
    int32_t target = 0, cancel = 0;
    for (int seen = 0; seen < 2;) {
      n = ring_->Wait(&completion, 1, 1, 1'000'000'000);
      if (n != 1) abort();  // a cancelled request always completes
      (completion.user_data == 1 ? target : cancel) = completion.result;
      ++seen;
    }
    return target * 1000 + cancel;  // both, in one comparable number
  }

  int file() const { return file_; }
  int socket(int end) const { return sockets_[end]; }
  int pipe_end(int end) const { return pipe_[end]; }

 private:
  std::unique_ptr<ring::Ring> ring_;
  int file_ = -1;
  int sockets_[2] = {-1, -1};
  int pipe_[2] = {-1, -1};
};

// Executes the input's program on `world`, recording every outcome.
std::vector<Outcome> Execute(const uint8_t* data, size_t size, World& world) {
  Input input(data, size);
  std::vector<Outcome> outcomes;
  char buffer[4096];
  char payload[4096];
  for (int steps = 0; steps < 64 && !input.empty(); ++steps) {
    const int op = static_cast<int>(input.Below(12));
    // Mostly short transfers, sometimes up to the whole buffer.
    const uint32_t length =
        input.Below(4) == 0 ? input.Below(sizeof(buffer) + 1) : input.Below(16) * 37;
    const uint64_t offset = uint64_t{input.Below(16)} * 256;
    // The bytes written: a pattern from one input byte (the input stays a
    // program of steps, not a payload).
    const uint8_t pattern = input.Byte();
    for (uint32_t i = 0; i < length; ++i) payload[i] = static_cast<char>(pattern + i * 7);
    memset(buffer, 0, sizeof(buffer));
    int32_t result = 0;
    uint64_t read_hash = 0;
    switch (op) {
      case 0:
        result = world.Run(ring::Request::Write(world.file(), payload, length, offset, 0));
        break;
      case 1:
        result = world.Run(ring::Request::Read(world.file(), buffer, length, offset, 0));
        break;
      case 2: {
        iovec vectors[2] = {{payload, length / 2}, {payload + length / 2, length - length / 2}};
        result =
            world.Run(ring::Request::Writev(world.file(), vectors, 2, ring::kCurrentPosition, 0));
        break;
      }
      case 3: {
        iovec vectors[2] = {{buffer, length / 3}, {buffer + length / 3, length - length / 3}};
        result = world.Run(ring::Request::Readv(world.file(), vectors, 2, offset, 0));
        break;
      }
      case 4:
        result = world.Run(ring::Request::Send(world.socket(input.Below(2)), payload, length,
                                               MSG_DONTWAIT | MSG_NOSIGNAL, 0));
        break;
      case 5:
        result =
            world.Run(ring::Request::Recv(world.socket(input.Below(2)), buffer, length,
                                          MSG_DONTWAIT | (input.Below(4) == 0 ? MSG_PEEK : 0), 0));
        break;
      case 6:
        // io_uring waits on a pipe even when it is O_NONBLOCK.
        result = world.Run(
            ring::Request::Write(world.pipe_end(1), payload, length, ring::kCurrentPosition, 0),
            /*may_wait=*/true);
        break;
      case 7:
        result = world.Run(
            ring::Request::Read(world.pipe_end(0), buffer, length, ring::kCurrentPosition, 0),
            /*may_wait=*/true);
        break;
      case 8:
        result = world.Run(ring::Request::PollAdd(world.socket(input.Below(2)),
                                                  input.Below(2) ? POLLIN : POLLIN | POLLOUT, 0),
                           /*may_wait=*/true);
        break;
      case 9:
        result = world.Run(ring::Request::Fsync(world.file(), input.Below(2), 0));
        break;
      case 10: {
        __kernel_timespec relative = {0, 1000};
        result = world.Run(ring::Request::Timeout(&relative, 0));
        break;
      }
      case 11:
        // A descriptor nobody opened, and a nop.
        result = world.Run(input.Below(2) ? ring::Request::Nop(0)
                                          : ring::Request::Read(987654, buffer, length, 0, 0));
        break;
    }
    if (result > 0 && (op == 1 || op == 3 || op == 5 || op == 7)) {
      read_hash = Hash(buffer, static_cast<size_t>(result) <= sizeof(buffer) ? result : 0);
    }
    outcomes.push_back({op, result, read_hash});
  }
  return outcomes;
}

std::string ScratchPath(const char* backend) {
  static int counter = 0;
  const char* dir = getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/ring_differential." + std::to_string(getpid()) + "." +
         backend + "." + std::to_string(++counter);
}

// Every outcome of `other` must equal the raw ring's.
void Compare(const std::vector<Outcome>& raw, const std::vector<Outcome>& other,
             const char* other_name) {
  if (raw.size() != other.size()) {
    fprintf(stderr, "ring_differential_fuzzer: raw ring %zu outcomes, %s %zu\n", raw.size(),
            other_name, other.size());
    abort();
  }
  for (size_t i = 0; i < raw.size(); ++i) {
    if (!(raw[i] == other[i])) {
      fprintf(stderr,
              "ring_differential_fuzzer: step %zu (op %d): raw ring %d (data %016llx), "
              "%s %d (data %016llx)\n",
              i, raw[i].op, raw[i].result, static_cast<unsigned long long>(raw[i].data_hash),
              other_name, other[i].result, static_cast<unsigned long long>(other[i].data_hash));
      abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int error = 0;
  ring::RingOptions options;
  options.entries = 8;
  std::unique_ptr<ring::Ring> raw = ring::RawRing::Create(options, &error);
  std::unique_ptr<ring::Ring> uring = ring::UringRing::Create(options, &error);
  ring::RingOptions sq_poll_options = options;
  sq_poll_options.sq_poll = true;
  sq_poll_options.sq_poll_idle_ms = 1;
  std::unique_ptr<ring::Ring> sq_poll = ring::RawRing::Create(sq_poll_options, &error);
  if (!raw || !uring || !sq_poll || !sq_poll->capabilities().sq_poll) {
    fprintf(stderr, "ring_differential_fuzzer: cannot create the rings (%d)\n", error);
    abort();
  }
  std::vector<Outcome> raw_outcomes, uring_outcomes, sq_poll_outcomes;
  {
    World world(std::move(raw), ScratchPath("raw"));
    raw_outcomes = Execute(data, size, world);
  }
  {
    World world(std::move(uring), ScratchPath("uring"));
    uring_outcomes = Execute(data, size, world);
  }
  {
    World world(std::move(sq_poll), ScratchPath("sqpoll"));
    sq_poll_outcomes = Execute(data, size, world);
  }
  if (getenv("RING_DIFFERENTIAL_TRACE") != nullptr) {
    for (const Outcome& o : raw_outcomes) fprintf(stderr, "op %d result %d\n", o.op, o.result);
  }
  Compare(raw_outcomes, uring_outcomes, "liburing");
  Compare(raw_outcomes, sq_poll_outcomes, "raw+SQPOLL");
  return 0;
}
