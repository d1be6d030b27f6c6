// Tests of what only the fake has: determinism by seed, reordering, the step
// API, fault injection, virtual time. Kernel-equivalent behaviour is covered
// by //ring:ring_conformance_test and fake_kernel_test.
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "ring/fake/fake_kernel.h"
#include "ring/fake/fake_ring.h"

namespace ring {
namespace {

constexpr int64_t kSecondNs = 1'000'000'000;

std::string SeedTrace(uint64_t seed) { return "seed=" + std::to_string(seed); }

FakeOptions Seeded(uint64_t seed) {
  FakeOptions options;
  options.seed = seed;
  return options;
}

// Reaps exactly `count` completions (each wait may advance virtual time).
std::vector<Completion> Collect(Ring& ring, size_t count, int64_t timeout_ns = 10 * kSecondNs) {
  std::vector<Completion> all;
  while (all.size() < count) {
    Completion batch[32];
    const unsigned want = static_cast<unsigned>(std::min<size_t>(32, count - all.size()));
    const int n = ring.Wait(batch, want, want, timeout_ns);
    EXPECT_GT(n, 0) << "collected " << all.size() << " of " << count;
    if (n <= 0) break;
    all.insert(all.end(), batch, batch + n);
  }
  return all;
}

// A batch of nops, timeouts and recvs whose completion order is up to the
// simulation. Returns the user data in completion order.
std::vector<uint64_t> RunMixedBatch(FakeKernel& kernel) {
  FakeRing ring(kernel, RingOptions{64});
  int fds[2];
  EXPECT_EQ(kernel.SocketPair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  char buffers[4][4];
  static const __kernel_timespec kSame = {0, 1000};
  for (uint64_t i = 0; i < 8; ++i) EXPECT_EQ(ring.Prepare(Request::Nop(i)), 0);
  for (uint64_t i = 0; i < 4; ++i) EXPECT_EQ(ring.Prepare(Request::Timeout(&kSame, 100 + i)), 0);
  for (uint64_t i = 0; i < 4; ++i) {
    EXPECT_EQ(ring.Prepare(Request::Recv(fds[1], buffers[i], 4, 0, 200 + i)), 0);
  }
  EXPECT_EQ(ring.Submit(), 16);
  EXPECT_EQ(kernel.Write(fds[0], "0123456789abcdef", 16), 16);
  std::vector<uint64_t> order;
  for (const Completion& c : Collect(ring, 16)) order.push_back(c.user_data);
  kernel.Close(fds[0]);
  kernel.Close(fds[1]);
  return order;
}

TEST(FakeDeterminism, OneSeedReplaysBitForBit) {
  for (uint64_t seed : {1u, 7u, 12345u}) {
    SCOPED_TRACE(SeedTrace(seed));
    FakeKernel first(Seeded(seed)), second(Seeded(seed));
    const std::vector<uint64_t> a = RunMixedBatch(first);
    const std::vector<uint64_t> b = RunMixedBatch(second);
    EXPECT_EQ(a, b);
    EXPECT_EQ(first.trace_hash(), second.trace_hash());
    EXPECT_EQ(first.completions_delivered(), 16u);
    EXPECT_EQ(first.NowNs(), second.NowNs());
  }
}

TEST(FakeDeterminism, SeedsReorderCompletions) {
  std::set<std::vector<uint64_t>> orders;
  std::set<uint64_t> hashes;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(SeedTrace(seed));
    FakeKernel kernel(Seeded(seed));
    std::vector<uint64_t> order = RunMixedBatch(kernel);
    ASSERT_EQ(order.size(), 16u);
    orders.insert(order);
    hashes.insert(kernel.trace_hash());
  }
  // Reordering really happens: twenty seeds, many different orders.
  EXPECT_GE(orders.size(), 10u);
  EXPECT_GE(hashes.size(), 10u);
}

TEST(FakeDeterminism, NoDelayKeepsIssueOrder) {
  FakeOptions options = Seeded(3);
  options.max_delay_ticks = 0;
  FakeKernel kernel(options);
  FakeRing ring(kernel, RingOptions{16});
  for (uint64_t i = 0; i < 10; ++i) ASSERT_EQ(ring.Prepare(Request::Nop(i)), 0);
  std::vector<Completion> all = Collect(ring, 10);
  for (uint64_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].user_data, i);
}

TEST(FakeOrdering, RecvsOnOneSocketTakeDataInIssueOrder) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    SCOPED_TRACE(SeedTrace(seed));
    FakeKernel kernel(Seeded(seed));
    FakeRing ring(kernel, RingOptions{8});
    int fds[2];
    ASSERT_EQ(kernel.SocketPair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    char first[3] = {}, second[3] = {}, third[3] = {};
    ASSERT_EQ(ring.Prepare(Request::Recv(fds[1], first, 3, 0, 1)), 0);
    ASSERT_EQ(ring.Prepare(Request::Recv(fds[1], second, 3, 0, 2)), 0);
    ASSERT_EQ(ring.Prepare(Request::Recv(fds[1], third, 3, 0, 3)), 0);
    ASSERT_EQ(ring.Submit(), 3);
    ASSERT_EQ(kernel.Write(fds[0], "abcdefghi", 9), 9);
    for (const Completion& c : Collect(ring, 3)) EXPECT_EQ(c.result, 3) << c.user_data;
    EXPECT_EQ(std::string(first, 3) + std::string(second, 3) + std::string(third, 3),
              "abcdefghi");
  }
}

TEST(FakeTime, TimeoutsElapseInVirtualTimeAtOnce) {
  FakeKernel kernel(Seeded(5));
  FakeRing ring(kernel, RingOptions{8});
  const __kernel_timespec hour = {3600, 0};
  const __kernel_timespec day = {86400, 0};
  ASSERT_EQ(ring.Prepare(Request::Timeout(&day, 2)), 0);
  ASSERT_EQ(ring.Prepare(Request::Timeout(&hour, 1)), 0);
  const auto started = std::chrono::steady_clock::now();
  // A wait with no limit in virtual time: the clock jumps a day at once.
  std::vector<Completion> all = Collect(ring, 2, kInfinite);
  const auto real = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(all.size(), 2u);
  // The shorter timer fires first, whatever the delays.
  EXPECT_EQ(all[0].user_data, 1u);
  EXPECT_EQ(all[1].user_data, 2u);
  EXPECT_EQ(all[0].result, -ETIME);
  EXPECT_EQ(all[1].result, -ETIME);
  EXPECT_GE(kernel.NowNs(), 86400 * kSecondNs);
  EXPECT_LT(real, std::chrono::seconds(5));  // a bound, not a synchronisation
}

TEST(FakeTime, TimedWaitWithNothingJumpsToItsDeadline) {
  FakeKernel kernel(Seeded(5));
  FakeRing ring(kernel, RingOptions{8});
  Completion c;
  const int64_t before = kernel.NowNs();
  EXPECT_EQ(ring.Wait(&c, 1, 1, 30 * kSecondNs), 0);
  EXPECT_EQ(kernel.NowNs() - before, 30 * kSecondNs);
  EXPECT_EQ(ring.Block(1, 5 * kSecondNs), -ETIME);
  EXPECT_EQ(kernel.NowNs() - before, 35 * kSecondNs);
}

TEST(FakeTime, AdvanceTimeFiresDueTimers) {
  FakeOptions options = Seeded(9);
  options.max_delay_ticks = 0;
  FakeKernel kernel(options);
  FakeRing ring(kernel, RingOptions{8});
  const __kernel_timespec ms = {0, 1'000'000};
  ASSERT_EQ(ring.Prepare(Request::Timeout(&ms, 1)), 0);
  ASSERT_EQ(ring.Submit(), 1);
  Completion c;
  EXPECT_EQ(ring.Peek(&c, 1), 0);
  kernel.AdvanceTime(999'999);
  EXPECT_EQ(ring.Peek(&c, 1), 0);
  kernel.AdvanceTime(1);
  ASSERT_EQ(ring.Peek(&c, 1), 1);
  EXPECT_EQ(c.result, -ETIME);
}

TEST(FakeCompletionQueue, FourTimesTheCqIsNeverLostAndStaysInOrder) {
  FakeOptions options = Seeded(11);
  options.max_delay_ticks = 0;  // delivery order = issue order, to check the overflow keeps it
  FakeKernel kernel(options);
  FakeRing ring(kernel, RingOptions{8});
  const unsigned total = ring.capabilities().cq_entries * 4;
  ASSERT_EQ(ring.capabilities().cq_entries, 16u);
  unsigned submitted = 0;
  while (submitted < total) {
    while (submitted < total && ring.Prepare(Request::Nop(submitted)) == 0) ++submitted;
    ASSERT_GE(ring.Submit(), 0);
  }
  // Everything completes without being reaped: the CQ overflows.
  ASSERT_EQ(ring.Block(total, kSecondNs), 0);
  std::vector<Completion> all;
  Completion batch[5];
  int n;
  while ((n = ring.Peek(batch, 5)) > 0) all.insert(all.end(), batch, batch + n);
  ASSERT_EQ(all.size(), total);
  for (unsigned i = 0; i < total; ++i) EXPECT_EQ(all[i].user_data, i);
  EXPECT_EQ(kernel.completions_delivered(), total);
}

TEST(FakeCompletionQueue, OverflowWithReorderingLosesNothing) {
  for (uint64_t seed : {2u, 3u, 4u}) {
    SCOPED_TRACE(SeedTrace(seed));
    FakeKernel kernel(Seeded(seed));
    FakeRing ring(kernel, RingOptions{4});
    const unsigned total = ring.capabilities().cq_entries * 4;
    unsigned submitted = 0;
    while (submitted < total) {
      while (submitted < total && ring.Prepare(Request::Nop(submitted)) == 0) ++submitted;
      ASSERT_GE(ring.Submit(), 0);
    }
    std::set<uint64_t> seen;
    for (const Completion& c : Collect(ring, total)) seen.insert(c.user_data);
    EXPECT_EQ(seen.size(), total);
  }
}

TEST(FakeThreads, WakeFromAnotherThreadEndsAnInfiniteWait) {
  FakeKernel kernel(Seeded(1));
  FakeRing ring(kernel, RingOptions{8});
  std::atomic<bool> about_to_wait{false};
  std::thread waker([&] {
    while (!about_to_wait.load()) std::this_thread::yield();
    EXPECT_EQ(ring.Wake(), 0);  // before or during the Wait: either must end it
  });
  about_to_wait.store(true);
  Completion c;
  EXPECT_EQ(ring.Wait(&c, 1, 1, kInfinite), 0);
  waker.join();
}

TEST(FakeThreads, WakeBeforeWaitIsKeptForTheNextWait) {
  FakeKernel kernel(Seeded(1));
  FakeRing ring(kernel, RingOptions{8});
  ASSERT_EQ(ring.Wake(), 0);
  Completion c;
  EXPECT_EQ(ring.Wait(&c, 1, 1, kInfinite), 0);
  // Used up: the next timed wait times out (in virtual time).
  EXPECT_EQ(ring.Wait(&c, 1, 1, 1000), 0);
}

TEST(FakeThreads, DataFromAnotherThreadCompletesAnInfiniteWait) {
  FakeKernel kernel(Seeded(4));
  FakeRing ring(kernel, RingOptions{8});
  int fds[2];
  ASSERT_EQ(kernel.SocketPair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  char buffer[8];
  ASSERT_EQ(ring.Prepare(Request::Recv(fds[1], buffer, sizeof(buffer), 0, 1)), 0);
  ASSERT_EQ(ring.Submit(), 1);
  std::thread writer([&] { EXPECT_EQ(kernel.Write(fds[0], "hey", 3), 3); });
  Completion c;
  ASSERT_EQ(ring.Wait(&c, 1, 1, kInfinite), 1);
  writer.join();
  EXPECT_EQ(c.result, 3);
}

// --- Manual stepping ---

class FakeManual : public ::testing::Test {
 protected:
  FakeManual() : kernel_(ManualOptions()), ring_(kernel_, RingOptions{16}) {}
  static FakeOptions ManualOptions() {
    FakeOptions options;
    options.seed = 21;
    options.manual = true;
    return options;
  }
  void SetUp() override { ASSERT_EQ(kernel_.SocketPair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
  std::vector<Completion> Drain() {
    std::vector<Completion> all;
    Completion batch[8];
    int n;
    while ((n = ring_.Peek(batch, 8)) > 0) all.insert(all.end(), batch, batch + n);
    return all;
  }

  FakeKernel kernel_;
  FakeRing ring_;
  int fds_[2];
};

TEST_F(FakeManual, NothingCompletesOnItsOwnAndTheTestPicksTheOrder) {
  char buffer[8];
  ASSERT_EQ(ring_.Prepare(Request::Nop(1)), 0);
  ASSERT_EQ(ring_.Prepare(Request::Nop(2)), 0);
  ASSERT_EQ(ring_.Prepare(Request::Recv(fds_[1], buffer, sizeof(buffer), 0, 3)), 0);
  Completion c;
  EXPECT_EQ(ring_.Wait(&c, 1, 1, kInfinite), 0);  // never blocks in manual mode
  EXPECT_EQ(ring_.InFlight(), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_TRUE(ring_.IsReady(1));
  EXPECT_FALSE(ring_.IsReady(3));
  EXPECT_EQ(ring_.Complete(3), -EAGAIN);
  EXPECT_EQ(ring_.Complete(99), -ENOENT);

  ASSERT_EQ(ring_.Complete(2), 0);  // the second nop first
  ASSERT_EQ(ring_.Peek(&c, 1), 1);
  EXPECT_EQ(c.user_data, 2u);
  ASSERT_EQ(kernel_.Write(fds_[0], "data", 4), 4);
  EXPECT_TRUE(ring_.IsReady(3));
  ASSERT_EQ(ring_.Complete(3), 0);
  ASSERT_EQ(ring_.Complete(1), 0);
  std::vector<Completion> rest = Drain();
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].user_data, 3u);
  EXPECT_EQ(rest[0].result, 4);
  EXPECT_EQ(rest[1].user_data, 1u);
  EXPECT_TRUE(ring_.InFlight().empty());
}

TEST_F(FakeManual, ForcedShortRecvConsumesOnlyItsBytes) {
  char first[8] = {}, second[8] = {};
  ASSERT_EQ(kernel_.Write(fds_[0], "abcdef", 6), 6);
  ASSERT_EQ(ring_.Prepare(Request::Recv(fds_[1], first, sizeof(first), 0, 1)), 0);
  ASSERT_EQ(ring_.Prepare(Request::Recv(fds_[1], second, sizeof(second), 0, 2)), 0);
  ASSERT_EQ(ring_.Submit(), 2);
  EXPECT_EQ(ring_.CompleteWith(1, 7), -EINVAL);  // more than there is
  ASSERT_EQ(ring_.CompleteWith(1, 2), 0);
  ASSERT_EQ(ring_.Complete(2), 0);
  std::vector<Completion> all = Drain();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].result, 2);
  EXPECT_EQ(all[1].result, 4);
  EXPECT_EQ(std::string(first, 2), "ab");
  EXPECT_EQ(std::string(second, 4), "cdef");
}

TEST_F(FakeManual, ForcedResetBreaksTheConnectionForBothEnds) {
  char buffer[8];
  ASSERT_EQ(ring_.Prepare(Request::Recv(fds_[1], buffer, sizeof(buffer), 0, 1)), 0);
  ASSERT_EQ(ring_.Submit(), 1);
  ASSERT_EQ(ring_.CompleteWith(1, -ECONNRESET), 0);
  Completion c;
  ASSERT_EQ(ring_.Peek(&c, 1), 1);
  EXPECT_EQ(c.result, -ECONNRESET);
  // The connection is gone: the peer cannot send, this end reads EOF.
  EXPECT_EQ(kernel_.Write(fds_[0], "x", 1), -EPIPE);
  EXPECT_EQ(kernel_.Read(fds_[1], buffer, sizeof(buffer)), 0);
}

TEST_F(FakeManual, TimeoutsWaitForAdvanceTimeAndCancelDeliversBoth) {
  const __kernel_timespec ms = {0, 1'000'000};
  ASSERT_EQ(ring_.Prepare(Request::Timeout(&ms, 1)), 0);
  ASSERT_EQ(ring_.Prepare(Request::Timeout(&ms, 2)), 0);
  ASSERT_EQ(ring_.Prepare(Request::Cancel(2, 3)), 0);
  ASSERT_EQ(ring_.Submit(), 3);
  EXPECT_FALSE(ring_.IsReady(1));
  ring_.AdvanceTime(1'000'000);
  EXPECT_TRUE(ring_.IsReady(1));
  ASSERT_EQ(ring_.Complete(3), 0);  // the cancel: its target completes too
  ASSERT_EQ(ring_.Complete(1), 0);
  std::vector<Completion> all = Drain();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].user_data, 2u);
  EXPECT_EQ(all[0].result, -ECANCELED);
  EXPECT_EQ(all[1].user_data, 3u);
  EXPECT_EQ(all[1].result, 0);
  EXPECT_EQ(all[2].user_data, 1u);
  EXPECT_EQ(all[2].result, -ETIME);
}

// --- Fault injection ---

TEST(FakeFaults, PartialTransfersAreShortButConsistent) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    SCOPED_TRACE(SeedTrace(seed));
    FakeOptions options = Seeded(seed);
    options.partial_transfer = 1.0;
    FakeKernel kernel(options);
    FakeRing ring(kernel, RingOptions{8});
    int fds[2];
    ASSERT_EQ(kernel.SocketPair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    const std::string message(1000, 'm');
    ASSERT_EQ(ring.Prepare(Request::Send(fds[0], message.data(), 1000, 0, 1)), 0);
    std::vector<Completion> sent = Collect(ring, 1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_GE(sent[0].result, 1);
    EXPECT_LT(sent[0].result, 1000);
    char buffer[1000];
    ASSERT_EQ(ring.Prepare(Request::Recv(fds[1], buffer, sizeof(buffer), 0, 2)), 0);
    std::vector<Completion> got = Collect(ring, 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_GE(got[0].result, 1);
    EXPECT_LT(got[0].result, sent[0].result);
    // What the recv left behind is still there, in order.
    EXPECT_EQ(kernel.Read(fds[1], buffer, sizeof(buffer)), sent[0].result - got[0].result);
  }
}

TEST(FakeFaults, SpuriousResetsEndInFlightStreamOps) {
  FakeOptions options = Seeded(8);
  options.spurious_reset = 1.0;
  FakeKernel kernel(options);
  FakeRing ring(kernel, RingOptions{8});
  int fds[2];
  ASSERT_EQ(kernel.SocketPair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  char buffer[8];
  ASSERT_EQ(ring.Prepare(Request::Recv(fds[1], buffer, sizeof(buffer), 0, 1)), 0);
  std::vector<Completion> got = Collect(ring, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].result, -ECONNRESET);
  EXPECT_EQ(kernel.Write(fds[0], "x", 1), -EPIPE);
}

TEST(FakeFaults, InjectedPeerResetReachesAPendingRecv) {
  FakeKernel kernel(Seeded(6));
  FakeRing ring(kernel, RingOptions{8});
  int fds[2];
  ASSERT_EQ(kernel.SocketPair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  char buffer[8];
  ASSERT_EQ(ring.Prepare(Request::Recv(fds[1], buffer, sizeof(buffer), 0, 1)), 0);
  ASSERT_EQ(ring.Submit(), 1);
  EXPECT_EQ(kernel.ResetConnection(fds[0]), 0);
  std::vector<Completion> got = Collect(ring, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].result, -ECONNRESET);
  int pipe_fds[2];
  ASSERT_EQ(kernel.Pipe(pipe_fds, 0), 0);
  EXPECT_EQ(kernel.ResetConnection(pipe_fds[0]), -ENOTSOCK);
  EXPECT_EQ(kernel.ResetConnection(kernel.Socket(AF_INET, SOCK_STREAM, 0)), -ENOTCONN);
}

TEST(FakeFaults, CancelRacingTheTargetReportsEalready) {
  FakeOptions options = Seeded(10);
  options.cancel_race = 1.0;
  FakeKernel kernel(options);
  FakeRing ring(kernel, RingOptions{8});
  int fds[2];
  ASSERT_EQ(kernel.SocketPair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  char buffer[8];
  ASSERT_EQ(ring.Prepare(Request::Recv(fds[1], buffer, sizeof(buffer), 0, 1)), 0);
  ASSERT_EQ(ring.Prepare(Request::Cancel(1, 2)), 0);
  std::vector<Completion> all = Collect(ring, 2);
  ASSERT_EQ(all.size(), 2u);
  for (const Completion& c : all) {
    EXPECT_EQ(c.result, c.user_data == 1 ? -EINTR : -EALREADY) << c.user_data;
  }
}

TEST(FakeFaults, SlowCompletionsArriveLater) {
  FakeOptions options = Seeded(12);
  options.max_delay_ticks = 0;
  options.slow_completion = 1.0;
  options.slow_delay_ticks = 500;
  FakeKernel kernel(options);
  FakeRing ring(kernel, RingOptions{8});
  ASSERT_EQ(ring.Prepare(Request::Nop(1)), 0);
  ASSERT_EQ(ring.Submit(), 1);
  Completion c;
  EXPECT_EQ(ring.Peek(&c, 1), 0);
  ASSERT_EQ(ring.Wait(&c, 1, 1, kSecondNs), 1);
  EXPECT_EQ(kernel.NowNs(), 500 * options.tick_ns);
}

TEST(FakeFaults, DefaultsInjectNothing) {
  FakeOptions defaults;
  EXPECT_EQ(defaults.partial_transfer, 0);
  EXPECT_EQ(defaults.spurious_reset, 0);
  EXPECT_EQ(defaults.cancel_race, 0);
  EXPECT_EQ(defaults.slow_completion, 0);
  EXPECT_GT(defaults.max_delay_ticks, 0u);
  EXPECT_FALSE(defaults.manual);
}

}  // namespace
}  // namespace ring
