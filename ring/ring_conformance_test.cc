// The ring conformance suite: one set of test bodies, instantiated on every
// backend. The kernel backends run against the real kernel on this machine;
// the fake must give the same results, because where they differ the kernel
// is right.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "ring/ring.h"
#include "ring/testing/backends.h"

namespace ring {
namespace {

using testing::FakeBackend;
using testing::RawBackend;
using testing::RawSqPollBackend;
using testing::UringBackend;

constexpr int64_t kGenerousNs = 5'000'000'000;  // a bound, never a synchronisation

template <typename Backend>
class RingConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    ring_ = backend_.MakeRing(64);
    ASSERT_NE(ring_, nullptr) << backend_.Describe();
  }

  void TearDown() override {
    ring_.reset();
    for (int fd : fds_) sys().Close(fd);
    for (const std::string& path : paths_) sys().Unlink(path.c_str());
    if (HasFailure()) std::cerr << "failed on " << backend_.Describe() << "\n";
  }

  System& sys() { return backend_.system(); }
  Ring& ring() { return *ring_; }

  int Track(int fd) {
    if (fd >= 0) fds_.push_back(fd);
    return fd;
  }
  void Forget(int fd) { fds_.erase(std::remove(fds_.begin(), fds_.end(), fd), fds_.end()); }

  // Submits one request and waits for its completion.
  Completion Run(const Request& request) {
    EXPECT_EQ(ring().Prepare(request), 0);
    return WaitFor(request.user_data);
  }

  // Waits until the completion with `user_data` arrives; others are kept.
  Completion WaitFor(uint64_t user_data) {
    for (auto it = stash_.begin(); it != stash_.end(); ++it) {
      if (it->user_data == user_data) {
        Completion found = *it;
        stash_.erase(it);
        return found;
      }
    }
    for (int round = 0; round < 1000; ++round) {
      Completion batch[16];
      int n = ring().Wait(batch, 16, 1, kGenerousNs);
      EXPECT_GE(n, 0);
      if (n <= 0) break;
      Completion found{};
      bool have = false;
      for (int i = 0; i < n; ++i) {
        if (!have && batch[i].user_data == user_data) {
          found = batch[i];
          have = true;
        } else {
          stash_.push_back(batch[i]);
        }
      }
      if (have) return found;
    }
    ADD_FAILURE() << "no completion for user_data " << user_data;
    return Completion{user_data, -99999, 0};
  }

  // Collects exactly `count` completions.
  std::vector<Completion> Collect(size_t count) {
    std::vector<Completion> all(stash_.begin(), stash_.end());
    stash_.clear();
    while (all.size() < count) {
      Completion batch[64];
      unsigned want = static_cast<unsigned>(std::min<size_t>(64, count - all.size()));
      int n = ring().Wait(batch, want, want, kGenerousNs);
      EXPECT_GT(n, 0) << "collected " << all.size() << " of " << count;
      if (n <= 0) break;
      all.insert(all.end(), batch, batch + n);
    }
    return all;
  }

  // An AF_UNIX stream pair.
  void StreamPair(int fds[2]) {
    ASSERT_EQ(sys().SocketPair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    Track(fds[0]);
    Track(fds[1]);
  }

  // A listening TCP socket on 127.0.0.1 with an ephemeral port.
  int Listener(sockaddr_in* bound) {
    int fd = Track(sys().Socket(AF_INET, SOCK_STREAM, 0));
    EXPECT_GE(fd, 0);
    sockaddr_in addr = Loopback(0);
    EXPECT_EQ(sys().Bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(sys().Listen(fd, 16), 0);
    socklen_t len = sizeof(*bound);
    EXPECT_EQ(sys().GetSockName(fd, reinterpret_cast<sockaddr*>(bound), &len), 0);
    return fd;
  }

  static sockaddr_in Loopback(uint16_t port) {
    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
  }

  // A connected TCP pair over loopback: fds[0] client, fds[1] server side.
  void TcpPair(int fds[2]) {
    sockaddr_in bound;
    int listener = Listener(&bound);
    fds[0] = Track(sys().Socket(AF_INET, SOCK_STREAM, 0));
    ASSERT_GE(fds[0], 0);
    ASSERT_EQ(sys().Connect(fds[0], reinterpret_cast<sockaddr*>(&bound), sizeof(bound)), 0);
    fds[1] = Track(sys().Accept(listener, nullptr, nullptr, 0));
    ASSERT_GE(fds[1], 0);
  }

  int TempFile() {
    std::string path = testing::ScratchPath("ring_conformance");
    paths_.push_back(path);
    int fd = Track(sys().Open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600));
    EXPECT_GE(fd, 0);
    return fd;
  }

  Backend backend_;
  std::unique_ptr<Ring> ring_;
  std::vector<int> fds_;
  std::vector<std::string> paths_;
  std::vector<Completion> stash_;
};

using Backends = ::testing::Types<RawBackend, RawSqPollBackend, UringBackend, FakeBackend<1>,
                                  FakeBackend<2>, FakeBackend<0x5eed>>;

class BackendNames {
 public:
  template <typename T>
  static std::string GetName(int index) {
    static const char* const kNames[] = {"Raw",   "RawSqPoll", "Uring",
                                         "Fake1", "Fake2",     "FakeSeed5eed"};
    return kNames[index];
  }
};
TYPED_TEST_SUITE(RingConformance, Backends, BackendNames);

// --- Submission and completion mechanics ---

TYPED_TEST(RingConformance, NopCompletesWithZeroAndRoundTripsUserData) {
  const uint64_t values[] = {0, 1, 0x123456789abcdef0ull, kReservedUserDataMin - 1};
  for (uint64_t value : values) {
    Completion c = this->Run(Request::Nop(value));
    EXPECT_EQ(c.user_data, value);
    EXPECT_EQ(c.result, 0);
  }
}

TYPED_TEST(RingConformance, PrepareRejectsReservedUserDataAndUnknownOps) {
  EXPECT_EQ(this->ring().Prepare(Request::Nop(kReservedUserDataMin)), -EINVAL);
  EXPECT_EQ(this->ring().Prepare(Request::Nop(~uint64_t{0})), -EINVAL);
  Request bad = Request::Nop(7);
  bad.op = Op::kCount;
  EXPECT_EQ(this->ring().Prepare(bad), -EINVAL);
  EXPECT_EQ(this->ring().Prepared(), 0u);
}

TYPED_TEST(RingConformance, PrepareReportsFullQueueAndSubmitCountsAll) {
  const unsigned entries = this->ring().capabilities().sq_entries;
  ASSERT_EQ(entries, 64u);
  EXPECT_EQ(this->ring().Prepared(), 0u);
  for (unsigned i = 0; i < entries; ++i) ASSERT_EQ(this->ring().Prepare(Request::Nop(i)), 0);
  EXPECT_EQ(this->ring().Prepared(), entries);
  EXPECT_EQ(this->ring().Prepare(Request::Nop(999)), -EBUSY);
  EXPECT_EQ(this->ring().Submit(), static_cast<int>(entries));
  EXPECT_EQ(this->ring().Prepared(), 0u);
  EXPECT_EQ(this->ring().Submit(), 0);
  std::vector<Completion> all = this->Collect(entries);
  std::set<uint64_t> seen;
  for (const Completion& c : all) {
    EXPECT_EQ(c.result, 0);
    seen.insert(c.user_data);
  }
  EXPECT_EQ(seen.size(), entries);
}

TYPED_TEST(RingConformance, ManyBatchesAllCompleteExactlyOnce) {
  constexpr unsigned kBatches = 50, kPerBatch = 40;
  std::multiset<uint64_t> seen;
  for (unsigned b = 0; b < kBatches; ++b) {
    for (unsigned i = 0; i < kPerBatch; ++i) {
      ASSERT_EQ(this->ring().Prepare(Request::Nop(b * kPerBatch + i)), 0);
    }
    // Reap some of the batch now, the rest later with the next batches.
    Completion batch[kPerBatch];
    int n = this->ring().Wait(batch, kPerBatch, kPerBatch / 2, kGenerousNs);
    ASSERT_GE(n, static_cast<int>(kPerBatch / 2));
    for (int i = 0; i < n; ++i) seen.insert(batch[i].user_data);
  }
  for (const Completion& c : this->Collect(kBatches * kPerBatch - seen.size())) {
    seen.insert(c.user_data);
  }
  ASSERT_EQ(seen.size(), kBatches * kPerBatch);
  for (uint64_t i = 0; i < kBatches * kPerBatch; ++i) EXPECT_EQ(seen.count(i), 1u) << i;
}

TYPED_TEST(RingConformance, MoreCompletionsThanTheCqHoldsAreNeverLost) {
  const Capabilities& caps = this->ring().capabilities();
  ASSERT_TRUE(caps.nodrop);
  const unsigned total = caps.cq_entries * 4;
  unsigned submitted = 0;
  while (submitted < total) {
    while (submitted < total && this->ring().Prepare(Request::Nop(submitted)) == 0) ++submitted;
    int rc = this->ring().Submit();
    ASSERT_TRUE(rc >= 0 || rc == -EBUSY || rc == -EAGAIN) << rc;
  }
  std::vector<Completion> all = this->Collect(total);
  std::set<uint64_t> seen;
  for (const Completion& c : all) seen.insert(c.user_data);
  EXPECT_EQ(seen.size(), total);
  Completion extra[4];
  EXPECT_EQ(this->ring().Peek(extra, 4), 0);
}

TYPED_TEST(RingConformance, WaitCopiesAtMostCapacity) {
  for (uint64_t i = 0; i < 10; ++i) ASSERT_EQ(this->ring().Prepare(Request::Nop(i)), 0);
  Completion batch[4];
  ASSERT_EQ(this->ring().Wait(batch, 4, 4, kGenerousNs), 4);
  std::vector<Completion> rest = this->Collect(6);
  EXPECT_EQ(rest.size(), 6u);
}

TYPED_TEST(RingConformance, WaitTimesOutWithNothingAndPeekDoesNotBlock) {
  Completion c;
  EXPECT_EQ(this->ring().Peek(&c, 1), 0);
  EXPECT_EQ(this->ring().Wait(&c, 1, 1, 0), 0);
  EXPECT_EQ(this->ring().Wait(&c, 1, 1, 2'000'000), 0);
}

TYPED_TEST(RingConformance, WaitSubmitsPreparedRequestsEvenWithoutWaiting) {
  ASSERT_EQ(this->ring().Prepare(Request::Nop(5)), 0);
  Completion c;
  // A zero timeout still hands the nop to the kernel, whose result follows.
  int n = this->ring().Wait(&c, 1, 0, 0);
  ASSERT_GE(n, 0);
  EXPECT_EQ(this->ring().Prepared(), 0u);
  if (n == 0) c = this->WaitFor(5);
  EXPECT_EQ(c.user_data, 5u);
}

TYPED_TEST(RingConformance, WakeFromAnotherThreadEndsAnInfiniteWait) {
  std::atomic<bool> waiting{false};
  std::thread waker([&] {
    while (!waiting.load()) std::this_thread::yield();
    EXPECT_EQ(this->ring().Wake(), 0);
  });
  waiting.store(true);
  Completion c;
  // Whether the wake lands before or during the wait, the wait returns.
  EXPECT_EQ(this->ring().Wait(&c, 1, 1, kInfinite), 0);
  waker.join();
  // The wake-up is used up: the next wait times out normally.
  EXPECT_EQ(this->ring().Wait(&c, 1, 1, 1'000'000), 0);
}

TYPED_TEST(RingConformance, WakeBeforeWaitIsNotLost) {
  ASSERT_EQ(this->ring().Wake(), 0);
  Completion c;
  EXPECT_EQ(this->ring().Wait(&c, 1, 1, kInfinite), 0);
}

TYPED_TEST(RingConformance, BlockReturnsOnceACompletionIsAvailable) {
  ASSERT_EQ(this->ring().Prepare(Request::Nop(60)), 0);
  ASSERT_EQ(this->ring().Submit(), 1);
  EXPECT_EQ(this->ring().Block(1, kGenerousNs), 0);
  Completion c;
  ASSERT_EQ(this->ring().Peek(&c, 1), 1);
  EXPECT_EQ(c.user_data, 60u);
  EXPECT_EQ(this->ring().Block(0, 0), 0);
}

TYPED_TEST(RingConformance, BlockTimesOutWithEtime) {
  EXPECT_EQ(this->ring().Block(1, 1'000'000), -ETIME);
  Completion c;
  EXPECT_EQ(this->ring().Peek(&c, 1), 0);
}

// One thread sleeps in Block while another owns the submission and
// completion sides: the shape the Win32 port uses.
TYPED_TEST(RingConformance, BlockWakesForWorkSubmittedByAnotherThread) {
  std::atomic<int> block_result{1};
  std::atomic<bool> started{false};
  std::thread sleeper([&] {
    started.store(true);
    int rc;
    do {
      rc = this->ring().Block(1, kGenerousNs);
    } while (rc == -EINTR);
    block_result.store(rc);
  });
  while (!started.load()) std::this_thread::yield();
  int fds[2];
  this->StreamPair(fds);
  char buffer[4];
  ASSERT_EQ(this->ring().Prepare(Request::Recv(fds[1], buffer, 4, 0, 61)), 0);
  ASSERT_EQ(this->ring().Submit(), 1);
  ASSERT_EQ(this->sys().Write(fds[0], "blk", 3), 3);
  sleeper.join();
  EXPECT_EQ(block_result.load(), 0);
  EXPECT_EQ(this->WaitFor(61).result, 3);
}

TYPED_TEST(RingConformance, PublishThenBlockSubmitsAndWaitsInOneCall) {
  ASSERT_EQ(this->ring().Prepare(Request::Nop(62)), 0);
  ASSERT_EQ(this->ring().Prepare(Request::Nop(63)), 0);
  unsigned pending = this->ring().Publish();
  EXPECT_LE(pending, 2u);
  EXPECT_EQ(this->ring().Block(2, kGenerousNs, pending), 0);
  std::vector<Completion> both = this->Collect(2);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].user_data + both[1].user_data, 62u + 63u);
  EXPECT_EQ(this->ring().Prepared(), 0u);
}

TYPED_TEST(RingConformance, WakeEndsABlockInAnotherThread) {
  std::atomic<bool> started{false};
  std::atomic<int> block_result{1};
  std::thread sleeper([&] {
    started.store(true);
    block_result.store(this->ring().Block(1, kInfinite));
  });
  while (!started.load()) std::this_thread::yield();
  EXPECT_EQ(this->ring().Wake(), 0);
  sleeper.join();
  EXPECT_EQ(block_result.load(), 0);
  // The wake-up is internal: nothing reaches the caller.
  Completion c;
  EXPECT_EQ(this->ring().Peek(&c, 1), 0);
}

TYPED_TEST(RingConformance, CapabilitiesListEveryOperation) {
  const Capabilities& caps = this->ring().capabilities();
  for (size_t op = 0; op < static_cast<size_t>(Op::kCount); ++op) {
    EXPECT_TRUE(caps.supported[op]) << OpName(static_cast<Op>(op));
  }
  EXPECT_TRUE(caps.ext_arg);
  EXPECT_GE(caps.cq_entries, 2 * caps.sq_entries);
}

// --- Sockets ---

TYPED_TEST(RingConformance, SendThenRecvOnAStreamPair) {
  int fds[2];
  this->StreamPair(fds);
  const char message[] = "hello ring";
  Completion sent = this->Run(Request::Send(fds[0], message, 10, MSG_NOSIGNAL, 1));
  EXPECT_EQ(sent.result, 10);
  char buffer[32] = {};
  Completion got = this->Run(Request::Recv(fds[1], buffer, sizeof(buffer), 0, 2));
  EXPECT_EQ(got.result, 10);
  EXPECT_EQ(std::string(buffer, 10), "hello ring");
}

TYPED_TEST(RingConformance, RecvStaysPendingUntilDataArrives) {
  int fds[2];
  this->StreamPair(fds);
  char buffer[8] = {};
  ASSERT_EQ(this->ring().Prepare(Request::Recv(fds[1], buffer, sizeof(buffer), 0, 3)), 0);
  Completion c;
  EXPECT_EQ(this->ring().Wait(&c, 1, 1, 1'000'000), 0);
  ASSERT_EQ(this->sys().Write(fds[0], "xyz", 3), 3);
  c = this->WaitFor(3);
  EXPECT_EQ(c.result, 3);
  EXPECT_EQ(std::string(buffer, 3), "xyz");
}

// The kernel ties a request to the thread whose io_uring_enter submitted it:
// once that thread has exited, the request ends with -ECANCELED when it
// would have progressed (winapi asks again: IoOperation::RestartAfter-
// SubmitterExit). With SQPOLL the kernel's own thread submits, so the
// request lives on. The fake ring models both.
TYPED_TEST(RingConformance, ARequestWhoseSubmitterExitedIsCancelledWhenItWouldProgress) {
  int fds[2];
  this->StreamPair(fds);
  char buffer[8] = {};
  std::thread([&] {
    ASSERT_EQ(this->ring().Prepare(Request::Recv(fds[1], buffer, sizeof(buffer), 0, 4)), 0);
    ASSERT_EQ(this->ring().Submit(), 1);
  }).join();
  Completion c;
  EXPECT_EQ(this->ring().Wait(&c, 1, 1, 1'000'000), 0);  // still pending
  ASSERT_EQ(this->sys().Write(fds[0], "xyz", 3), 3);
  c = this->WaitFor(4);
  if (this->ring().capabilities().sq_poll) {
    EXPECT_EQ(c.result, 3);
  } else {
    EXPECT_EQ(c.result, -ECANCELED);
    // The data is still there for a request asked again.
    EXPECT_EQ(this->Run(Request::Recv(fds[1], buffer, sizeof(buffer), 0, 5)).result, 3);
    EXPECT_EQ(std::string(buffer, 3), "xyz");
  }
}

TYPED_TEST(RingConformance, RegisteredFilesStandForTheirDescriptors) {
  int fds[2];
  this->StreamPair(fds);
  char buffer[8] = {};
  // Before a table exists a slot cannot be set.
  EXPECT_EQ(this->ring().SetFile(0, fds[1]), -ENXIO);
  ASSERT_EQ(this->ring().RegisterFileTable(4), 0);
  EXPECT_EQ(this->ring().RegisterFileTable(4), -EINVAL);  // once per ring
  ASSERT_EQ(this->ring().SetFile(2, fds[1]), 0);
  Request recv = Request::Recv(2, buffer, sizeof(buffer), 0, 21);
  recv.fixed_file = true;
  ASSERT_EQ(this->ring().Prepare(recv), 0);
  ASSERT_EQ(this->ring().Submit(), 1);
  ASSERT_EQ(this->sys().Write(fds[0], "fix", 3), 3);
  EXPECT_EQ(this->WaitFor(21).result, 3);
  EXPECT_EQ(std::string(buffer, 3), "fix");
  Request send = Request::Send(2, "back", 4, MSG_NOSIGNAL, 22);
  send.fixed_file = true;
  EXPECT_EQ(this->Run(send).result, 4);
  char echoed[4];
  ASSERT_EQ(this->sys().Read(fds[0], echoed, sizeof(echoed)), 4);
  EXPECT_EQ(std::string(echoed, 4), "back");
  // An emptied slot, and one that was never set, name no file.
  ASSERT_EQ(this->ring().SetFile(2, -1), 0);
  recv.user_data = 23;
  EXPECT_EQ(this->Run(recv).result, -EBADF);
  recv.fd = 3;
  recv.user_data = 24;
  EXPECT_EQ(this->Run(recv).result, -EBADF);
}

TYPED_TEST(RingConformance, RecvReturnsZeroAfterPeerShutdownAndClose) {
  int fds[2];
  this->StreamPair(fds);
  char buffer[8];
  ASSERT_EQ(this->ring().Prepare(Request::Recv(fds[1], buffer, sizeof(buffer), 0, 4)), 0);
  ASSERT_EQ(this->ring().Submit(), 1);
  ASSERT_EQ(this->sys().Shutdown(fds[0], SHUT_WR), 0);
  EXPECT_EQ(this->WaitFor(4).result, 0);
  ASSERT_EQ(this->sys().Close(fds[0]), 0);
  this->Forget(fds[0]);
  EXPECT_EQ(this->Run(Request::Recv(fds[1], buffer, sizeof(buffer), 0, 5)).result, 0);
}

TYPED_TEST(RingConformance, RecvSeesResetWhenPeerAbortsTcp) {
  int fds[2];
  this->TcpPair(fds);
  char buffer[8];
  ASSERT_EQ(this->ring().Prepare(Request::Recv(fds[1], buffer, sizeof(buffer), 0, 6)), 0);
  ASSERT_EQ(this->ring().Submit(), 1);
  linger abort_on_close = {1, 0};
  ASSERT_EQ(this->sys().SetSockOpt(fds[0], SOL_SOCKET, SO_LINGER, &abort_on_close,
                                   sizeof(abort_on_close)),
            0);
  ASSERT_EQ(this->sys().Close(fds[0]), 0);
  this->Forget(fds[0]);
  EXPECT_EQ(this->WaitFor(6).result, -ECONNRESET);
}

TYPED_TEST(RingConformance, AcceptAndConnectThroughTheRing) {
  sockaddr_in bound;
  int listener = this->Listener(&bound);
  sockaddr_in peer = {};
  socklen_t peer_len = sizeof(peer);
  ASSERT_EQ(this->ring().Prepare(Request::Accept(listener, reinterpret_cast<sockaddr*>(&peer),
                                                 &peer_len, SOCK_CLOEXEC, 10)),
            0);
  int client = this->Track(this->sys().Socket(AF_INET, SOCK_STREAM, 0));
  ASSERT_GE(client, 0);
  ASSERT_EQ(this->ring().Prepare(
                Request::Connect(client, reinterpret_cast<sockaddr*>(&bound), sizeof(bound), 11)),
            0);
  Completion accepted = this->WaitFor(10);
  Completion connected = this->WaitFor(11);
  ASSERT_GE(accepted.result, 0);
  this->Track(accepted.result);
  EXPECT_EQ(connected.result, 0);
  EXPECT_EQ(peer_len, sizeof(sockaddr_in));
  EXPECT_EQ(peer.sin_family, AF_INET);
  EXPECT_EQ(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
  sockaddr_in client_name = {};
  socklen_t client_len = sizeof(client_name);
  ASSERT_EQ(this->sys().GetSockName(client, reinterpret_cast<sockaddr*>(&client_name), &client_len),
            0);
  EXPECT_EQ(peer.sin_port, client_name.sin_port);
  // The accepted descriptor carries data both ways.
  EXPECT_EQ(this->Run(Request::Send(accepted.result, "ok", 2, MSG_NOSIGNAL, 12)).result, 2);
  char buffer[4];
  EXPECT_EQ(this->Run(Request::Recv(client, buffer, sizeof(buffer), 0, 13)).result, 2);
}

TYPED_TEST(RingConformance, ConnectToAClosedPortIsRefused) {
  // Bind without listening: the port is ours and nobody accepts on it.
  int holder = this->Track(this->sys().Socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in addr = this->Loopback(0);
  ASSERT_EQ(this->sys().Bind(holder, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(this->sys().GetSockName(holder, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  int client = this->Track(this->sys().Socket(AF_INET, SOCK_STREAM, 0));
  Completion c =
      this->Run(Request::Connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof(addr), 20));
  EXPECT_EQ(c.result, -ECONNREFUSED);
}

TYPED_TEST(RingConformance, ConnectOnAConnectedSocketFails) {
  int fds[2];
  this->TcpPair(fds);
  sockaddr_in addr = this->Loopback(1);
  Completion c =
      this->Run(Request::Connect(fds[0], reinterpret_cast<sockaddr*>(&addr), sizeof(addr), 21));
  EXPECT_EQ(c.result, -EISCONN);
}

TYPED_TEST(RingConformance, AcceptOnASocketThatIsNotListeningFails) {
  int fd = this->Track(this->sys().Socket(AF_INET, SOCK_STREAM, 0));
  Completion c = this->Run(Request::Accept(fd, nullptr, nullptr, 0, 22));
  EXPECT_EQ(c.result, -EINVAL);
}

TYPED_TEST(RingConformance, BadDescriptorsFailWithEbadfAndEnotsock) {
  char buffer[4];
  EXPECT_EQ(this->Run(Request::Recv(987654, buffer, 4, 0, 30)).result, -EBADF);
  EXPECT_EQ(this->Run(Request::Read(987654, buffer, 4, 0, 31)).result, -EBADF);
  int file = this->TempFile();
  EXPECT_EQ(this->Run(Request::Recv(file, buffer, 4, 0, 32)).result, -ENOTSOCK);
  EXPECT_EQ(this->Run(Request::Close(987654, 33)).result, -EBADF);
}

TYPED_TEST(RingConformance, RecvOnAnUnconnectedTcpSocketFails) {
  int fd = this->Track(this->sys().Socket(AF_INET, SOCK_STREAM, 0));
  char buffer[4];
  EXPECT_EQ(this->Run(Request::Recv(fd, buffer, 4, 0, 34)).result, -ENOTCONN);
}

TYPED_TEST(RingConformance, DatagramsCarryTheirSourceAndReportTruncation) {
  int a = this->Track(this->sys().Socket(AF_INET, SOCK_DGRAM, 0));
  int b = this->Track(this->sys().Socket(AF_INET, SOCK_DGRAM, 0));
  sockaddr_in addr_a = this->Loopback(0), addr_b = this->Loopback(0);
  ASSERT_EQ(this->sys().Bind(a, reinterpret_cast<sockaddr*>(&addr_a), sizeof(addr_a)), 0);
  ASSERT_EQ(this->sys().Bind(b, reinterpret_cast<sockaddr*>(&addr_b), sizeof(addr_b)), 0);
  socklen_t len = sizeof(addr_a);
  ASSERT_EQ(this->sys().GetSockName(a, reinterpret_cast<sockaddr*>(&addr_a), &len), 0);
  ASSERT_EQ(this->sys().GetSockName(b, reinterpret_cast<sockaddr*>(&addr_b), &len), 0);

  char payload[] = "0123456789";
  iovec out_iov = {payload, 10};
  msghdr out = {};
  out.msg_name = &addr_b;
  out.msg_namelen = sizeof(addr_b);
  out.msg_iov = &out_iov;
  out.msg_iovlen = 1;
  EXPECT_EQ(this->Run(Request::SendMsg(a, &out, 0, 40)).result, 10);
  EXPECT_EQ(this->Run(Request::SendMsg(a, &out, 0, 41)).result, 10);

  // Whole datagram, scattered over two buffers.
  char first[4] = {}, second[16] = {};
  iovec in_iov[2] = {{first, 4}, {second, 16}};
  sockaddr_in from = {};
  msghdr in = {};
  in.msg_name = &from;
  in.msg_namelen = sizeof(from);
  in.msg_iov = in_iov;
  in.msg_iovlen = 2;
  EXPECT_EQ(this->Run(Request::RecvMsg(b, &in, 0, 42)).result, 10);
  EXPECT_EQ(std::string(first, 4) + std::string(second, 6), "0123456789");
  EXPECT_EQ(in.msg_namelen, sizeof(sockaddr_in));
  EXPECT_EQ(from.sin_port, addr_a.sin_port);
  EXPECT_EQ(in.msg_flags & MSG_TRUNC, 0);

  // Too small a buffer: the kernel copies what fits and flags the rest.
  char small[4] = {};
  iovec small_iov = {small, 4};
  msghdr truncated = {};
  truncated.msg_iov = &small_iov;
  truncated.msg_iovlen = 1;
  EXPECT_EQ(this->Run(Request::RecvMsg(b, &truncated, 0, 43)).result, 4);
  EXPECT_EQ(std::string(small, 4), "0123");
  EXPECT_NE(truncated.msg_flags & MSG_TRUNC, 0);
}

TYPED_TEST(RingConformance, PollReportsReadability) {
  int fds[2];
  this->StreamPair(fds);
  ASSERT_EQ(this->ring().Prepare(Request::PollAdd(fds[1], POLLIN, 50)), 0);
  Completion c;
  EXPECT_EQ(this->ring().Wait(&c, 1, 1, 1'000'000), 0);
  ASSERT_EQ(this->sys().Write(fds[0], "p", 1), 1);
  c = this->WaitFor(50);
  EXPECT_EQ(c.result & POLLIN, POLLIN);
  // A writable socket polls POLLOUT at once.
  EXPECT_EQ(this->Run(Request::PollAdd(fds[0], POLLOUT, 51)).result & POLLOUT, POLLOUT);
}

TYPED_TEST(RingConformance, ShutdownThroughTheRingEndsThePeersStream) {
  int fds[2];
  this->TcpPair(fds);
  EXPECT_EQ(this->Run(Request::Shutdown(fds[0], SHUT_WR, 60)).result, 0);
  char buffer[4];
  EXPECT_EQ(this->Run(Request::Recv(fds[1], buffer, 4, 0, 61)).result, 0);
  int lone = this->Track(this->sys().Socket(AF_INET, SOCK_STREAM, 0));
  EXPECT_EQ(this->Run(Request::Shutdown(lone, SHUT_RDWR, 62)).result, -ENOTCONN);
}

TYPED_TEST(RingConformance, CloseThroughTheRingReleasesTheDescriptor) {
  int fds[2];
  this->StreamPair(fds);
  EXPECT_EQ(this->Run(Request::Close(fds[0], 70)).result, 0);
  this->Forget(fds[0]);
  EXPECT_EQ(this->sys().Close(fds[0]), -EBADF);
  char buffer[4];
  // The peer sees end of stream.
  EXPECT_EQ(this->Run(Request::Recv(fds[1], buffer, 4, 0, 71)).result, 0);
}

// --- Files and pipes ---

TYPED_TEST(RingConformance, FileWritesAndReadsAtOffsets) {
  int fd = this->TempFile();
  EXPECT_EQ(this->Run(Request::Write(fd, "abcdef", 6, 0, 80)).result, 6);
  EXPECT_EQ(this->Run(Request::Write(fd, "XY", 2, 10, 81)).result, 2);
  EXPECT_EQ(this->sys().FileSize(fd), 12);
  char buffer[16] = {};
  EXPECT_EQ(this->Run(Request::Read(fd, buffer, 3, 2, 82)).result, 3);
  EXPECT_EQ(std::string(buffer, 3), "cde");
  // The hole reads as zeros; a read that crosses the end is short.
  EXPECT_EQ(this->Run(Request::Read(fd, buffer, 16, 4, 83)).result, 8);
  EXPECT_EQ(std::string(buffer, 8), std::string("ef\0\0\0\0XY", 8));
  EXPECT_EQ(this->Run(Request::Read(fd, buffer, 4, 12, 84)).result, 0);
  EXPECT_EQ(this->Run(Request::Read(fd, buffer, 4, 1000, 85)).result, 0);
}

TYPED_TEST(RingConformance, VectoredFileIo) {
  int fd = this->TempFile();
  char a[] = "head-", b[] = "tail";
  iovec out[2] = {{a, 5}, {b, 4}};
  EXPECT_EQ(this->Run(Request::Writev(fd, out, 2, 0, 90)).result, 9);
  char x[3] = {}, y[10] = {};
  iovec in[2] = {{x, 3}, {y, 10}};
  EXPECT_EQ(this->Run(Request::Readv(fd, in, 2, 1, 91)).result, 8);
  EXPECT_EQ(std::string(x, 3) + std::string(y, 5), "ead-tail");
}

TYPED_TEST(RingConformance, CurrentPositionReadsAdvanceTheFilePointer) {
  int fd = this->TempFile();
  ASSERT_EQ(this->Run(Request::Write(fd, "0123456789", 10, 0, 100)).result, 10);
  char buffer[6] = {};
  EXPECT_EQ(this->Run(Request::Read(fd, buffer, 6, kCurrentPosition, 101)).result, 6);
  EXPECT_EQ(std::string(buffer, 6), "012345");
  EXPECT_EQ(this->Run(Request::Read(fd, buffer, 6, kCurrentPosition, 102)).result, 4);
  EXPECT_EQ(std::string(buffer, 4), "6789");
  EXPECT_EQ(this->Run(Request::Read(fd, buffer, 6, kCurrentPosition, 103)).result, 0);
}

TYPED_TEST(RingConformance, FsyncSucceedsOnFiles) {
  int fd = this->TempFile();
  ASSERT_EQ(this->Run(Request::Write(fd, "data", 4, 0, 110)).result, 4);
  EXPECT_EQ(this->Run(Request::Fsync(fd, 0, 111)).result, 0);
  EXPECT_EQ(this->Run(Request::Fsync(fd, kFsyncDataOnly, 112)).result, 0);
}

TYPED_TEST(RingConformance, PipesCarryDataAndEndOfStream) {
  int fds[2];
  ASSERT_EQ(this->sys().Pipe(fds, 0), 0);
  this->Track(fds[0]);
  this->Track(fds[1]);
  char buffer[8] = {};
  ASSERT_EQ(this->ring().Prepare(Request::Read(fds[0], buffer, 8, kCurrentPosition, 120)), 0);
  ASSERT_EQ(this->ring().Submit(), 1);
  EXPECT_EQ(this->Run(Request::Write(fds[1], "pipe", 4, kCurrentPosition, 121)).result, 4);
  EXPECT_EQ(this->WaitFor(120).result, 4);
  EXPECT_EQ(std::string(buffer, 4), "pipe");
  ASSERT_EQ(this->sys().Close(fds[1]), 0);
  this->Forget(fds[1]);
  EXPECT_EQ(this->Run(Request::Read(fds[0], buffer, 8, kCurrentPosition, 122)).result, 0);
}

// --- Timeouts and cancellation ---

TYPED_TEST(RingConformance, TimeoutFiresWithEtime) {
  __kernel_timespec one_ms = {0, 1'000'000};
  EXPECT_EQ(this->Run(Request::Timeout(&one_ms, 130)).result, -ETIME);
}

TYPED_TEST(RingConformance, CancelEndsAPendingRecv) {
  int fds[2];
  this->StreamPair(fds);
  char buffer[8];
  ASSERT_EQ(this->ring().Prepare(Request::Recv(fds[1], buffer, 8, 0, 140)), 0);
  ASSERT_EQ(this->ring().Submit(), 1);
  ASSERT_EQ(this->ring().Prepare(Request::Cancel(140, 141)), 0);
  EXPECT_EQ(this->WaitFor(141).result, 0);
  EXPECT_EQ(this->WaitFor(140).result, -ECANCELED);
  // Cancelling again finds nothing.
  EXPECT_EQ(this->Run(Request::Cancel(140, 142)).result, -ENOENT);
}

TYPED_TEST(RingConformance, CancelEndsAPendingTimeout) {
  __kernel_timespec long_time = {3600, 0};
  ASSERT_EQ(this->ring().Prepare(Request::Timeout(&long_time, 150)), 0);
  ASSERT_EQ(this->ring().Submit(), 1);
  EXPECT_EQ(this->Run(Request::Cancel(150, 151)).result, 0);
  EXPECT_EQ(this->WaitFor(150).result, -ECANCELED);
}

TYPED_TEST(RingConformance, CancelOfAnUnknownRequestFindsNothing) {
  EXPECT_EQ(this->Run(Request::Cancel(424242, 160)).result, -ENOENT);
}

}  // namespace
}  // namespace ring
