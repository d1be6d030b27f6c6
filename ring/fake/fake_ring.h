// FakeRing: a ring::Ring whose "kernel" is a FakeKernel. Requests are
// evaluated against the simulated world; results match Linux io_uring, and
// completion order is shuffled by seeded random delays of virtual time.
//
// Waiting does not sleep in real time: when nothing is available the virtual
// clock jumps to the next event (a delayed completion, a timer) or to the
// wait's deadline. A wait with nothing that can happen blocks only while
// another thread might change the world: with kInfinite, until one does or
// calls Wake(); with a timeout, and only once a second thread has ever used
// this kernel, for at most that timeout in real time (then the virtual clock
// jumps to the deadline). A single-threaded test never sleeps.
//
// With FakeOptions::manual, nothing completes on its own: the test drives
// each request with the step API below, and Wait/Peek only return what the
// test has completed.
#ifndef IOCP_RING_FAKE_FAKE_RING_H_
#define IOCP_RING_FAKE_FAKE_RING_H_

#include <stdint.h>

#include <atomic>
#include <memory>
#include <vector>

#include "ring/fake/fake_kernel.h"
#include "ring/ring.h"

namespace ring {

namespace fake_internal {
struct RingState;
}  // namespace fake_internal

class FakeRing final : public Ring {
 public:
  // entries is rounded up to a power of two within [1, 32768], as the kernel
  // sizes its rings; the CQ is twice as large.
  FakeRing(FakeKernel& kernel, const RingOptions& options);
  ~FakeRing() override;

  int Prepare(const Request& request) override;
  int Submit() override;
  int Wait(Completion* out, unsigned capacity, unsigned min_complete, int64_t timeout_ns) override;
  int Peek(Completion* out, unsigned capacity) override;
  unsigned Publish() override;
  int Block(unsigned min_available, int64_t timeout_ns, unsigned to_submit = 0) override;
  int Wake() override;
  unsigned Prepared() const override;
  // Registered files: the slot is resolved to its descriptor when the
  // request is prepared (the kernel resolves it at submission; the same as
  // long as a slot changes only while no prepared request names it, which
  // is the contract). The fake does not model the slot's own reference to
  // the file: closing a registered descriptor closes it here.
  int RegisterFileTable(unsigned slots) override;
  int SetFile(unsigned slot, int fd) override;
  const Capabilities& capabilities() const override { return capabilities_; }

  FakeKernel& kernel() const { return kernel_; }

  // --- Step API (meant for FakeOptions::manual, usable in either mode) ---
  // User data of this ring's submitted requests whose completion has not
  // reached the CQ, in issue order.
  std::vector<uint64_t> InFlight() const;
  // Whether the (first in-flight) request with `user_data` could complete now.
  bool IsReady(uint64_t user_data) const;
  // Completes it now with its natural result, straight into the CQ.
  // Returns 0, -EAGAIN if it would still wait, -ENOENT if unknown.
  int Complete(uint64_t user_data);
  // Completes it now with a forced result, keeping the world consistent: a
  // negative errno completes it without effect (-ECONNRESET on a stream also
  // resets the connection); a shorter byte count for a read/write/send/recv
  // moves only that many bytes. Returns 0, -ENOENT, -EAGAIN (not ready, for
  // results >= 0) or -EINVAL (a result the request cannot have).
  int CompleteWith(uint64_t user_data, int32_t result);
  // Moves the shared virtual clock forward (FakeKernel::AdvanceTime).
  void AdvanceTime(int64_t ns);

 private:
  // Submits published, then prepared requests. World lock held.
  unsigned SubmitAll();

  FakeKernel& kernel_;
  Capabilities capabilities_;
  std::vector<Request> prepared_;
  std::unique_ptr<fake_internal::RingState> state_;
  std::unique_ptr<std::atomic<int>[]> files_;  // registered slots (-1: empty)
  unsigned file_slots_ = 0;
};

}  // namespace ring

#endif  // IOCP_RING_FAKE_FAKE_RING_H_
