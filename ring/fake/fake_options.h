// Options of the simulated kernel.
#ifndef IOCP_RING_FAKE_FAKE_OPTIONS_H_
#define IOCP_RING_FAKE_FAKE_OPTIONS_H_

#include <stdint.h>

namespace ring {

struct FakeOptions {
  // The only source of randomness: one seed, one run.
  uint64_t seed = 1;

  // Every completion is delivered 0..max_delay_ticks ticks of virtual time
  // after its result is fixed, so completions reorder as they can on the
  // kernel. 0 delivers in the order results are fixed.
  uint32_t max_delay_ticks = 3;
  int64_t tick_ns = 1000;

  // Injected faults, each one the kernel can produce. All off by default so
  // the conformance suite sees kernel-equivalent results.
  double partial_transfer = 0;  // a stream/pipe read or write moves fewer bytes than it could
  double spurious_reset = 0;    // a stream op's connection is reset as the op is issued
  double cancel_race = 0;       // a cancel finds its target executing: -EALREADY, target -EINTR
  double slow_completion = 0;   // a completion is delayed slow_delay_ticks more
  uint32_t slow_delay_ticks = 1000;

  // What SO_SNDBUF / SO_RCVBUF report before anyone sets them. A stream
  // direction holds the sender's SO_SNDBUF plus the receiver's SO_RCVBUF
  // bytes before a send blocks; a UDP socket queues up to SO_RCVBUF bytes.
  uint32_t default_sndbuf = 32768;
  uint32_t default_rcvbuf = 32768;

  // At most this many completions fit a ring's CQ (0: the ring's own size,
  // twice its SQ); the rest wait in its overflow list (NODROP), as when a
  // program falls behind reaping. A small cap makes overflow common.
  uint32_t cq_entries_cap = 0;

  // Manual stepping: no completion is ever produced on its own; the test
  // completes in-flight requests one by one through FakeRing's step API.
  bool manual = false;
};

}  // namespace ring

#endif  // IOCP_RING_FAKE_FAKE_OPTIONS_H_
