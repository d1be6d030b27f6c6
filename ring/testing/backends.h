// The backends the ring conformance suite runs on, each a small traits type:
// it makes rings, gives the System that makes descriptors those rings can act
// on, and describes itself (with the seed, for the fake) when a test fails.
#ifndef IOCP_RING_TESTING_BACKENDS_H_
#define IOCP_RING_TESTING_BACKENDS_H_

#include <stdlib.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "ring/fake/fake_kernel.h"
#include "ring/fake/fake_ring.h"
#include "ring/posix_system.h"
#include "ring/raw/raw_ring.h"
#include "ring/ring.h"
#include "ring/system.h"
#include "ring/uring/uring_ring.h"

namespace ring::testing {

// A path for a scratch file, unique per call, inside Bazel's test tmpdir.
inline std::string ScratchPath(const char* stem) {
  static int counter = 0;
  const char* dir = getenv("TEST_TMPDIR");
  if (dir == nullptr) dir = "/tmp";
  return std::string(dir) + "/" + stem + "." + std::to_string(getpid()) + "." +
         std::to_string(++counter);
}

struct RawBackend {
  static constexpr bool kIsFake = false;
  std::unique_ptr<Ring> MakeRing(unsigned entries) {
    int error = 0;
    auto ring = RawRing::Create(RingOptions{entries}, &error);
    return ring;
  }
  System& system() { return PosixSystem(); }
  std::string Describe() const { return "backend=raw"; }
};

// The raw ring with a kernel submission thread (SQPOLL) that sleeps after
// 1 ms idle, so the suite crosses its wake-up path again and again.
struct RawSqPollBackend {
  static constexpr bool kIsFake = false;
  std::unique_ptr<Ring> MakeRing(unsigned entries) {
    RingOptions options;
    options.entries = entries;
    options.sq_poll = true;
    options.sq_poll_idle_ms = 1;
    int error = 0;
    auto ring = RawRing::Create(options, &error);
    // This machine's kernel grants SQPOLL; a ring without it would test
    // the plain path twice.
    if (ring && !ring->capabilities().sq_poll) ring.reset();
    return ring;
  }
  System& system() { return PosixSystem(); }
  std::string Describe() const { return "backend=raw+sqpoll"; }
};

struct UringBackend {
  static constexpr bool kIsFake = false;
  std::unique_ptr<Ring> MakeRing(unsigned entries) {
    int error = 0;
    return UringRing::Create(RingOptions{entries}, &error);
  }
  System& system() { return PosixSystem(); }
  std::string Describe() const { return "backend=uring"; }
};

// The seed comes from IOCP_FAKE_SEED when set (to replay a failure), else
// from the template argument, so one binary covers several seeds.
template <uint64_t kSeed>
struct FakeBackend {
  static constexpr bool kIsFake = true;
  static uint64_t Seed() {
    const char* env = getenv("IOCP_FAKE_SEED");
    return env ? strtoull(env, nullptr, 0) : kSeed;
  }
  FakeBackend() : kernel(MakeOptions()) {}
  static FakeOptions MakeOptions() {
    FakeOptions options;
    options.seed = Seed();
    return options;
  }
  std::unique_ptr<Ring> MakeRing(unsigned entries) {
    return std::make_unique<FakeRing>(kernel, RingOptions{entries});
  }
  System& system() { return kernel; }
  std::string Describe() const {
    return "backend=fake seed=" + std::to_string(kernel.seed()) +
           " (replay: IOCP_FAKE_SEED=" + std::to_string(kernel.seed()) + ")";
  }
  FakeKernel kernel;
};

}  // namespace ring::testing

#endif  // IOCP_RING_TESTING_BACKENDS_H_
