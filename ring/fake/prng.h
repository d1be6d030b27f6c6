// The simulation's only source of randomness: SplitMix64 seeded from
// FakeOptions::seed. Every random decision goes through one generator in a
// fixed order, so one seed replays one run bit for bit.
#ifndef IOCP_RING_FAKE_PRNG_H_
#define IOCP_RING_FAKE_PRNG_H_

#include <stdint.h>

namespace ring::fake_internal {

// The SplitMix64 output function: a strong 64-bit mixer (also used to hash
// the completion trace).
inline uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ull;
    return Mix64(state_);
  }

  // Uniform in [0, bound); bound 0 gives 0 without drawing.
  uint64_t Below(uint64_t bound) {
    if (bound == 0) return 0;
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * bound) >> 64);
  }

  // True with probability p. Draws nothing when p <= 0, so a disabled fault
  // never shifts the random sequence the enabled ones see.
  bool Chance(double p) {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p;
  }

 private:
  uint64_t state_;
};

}  // namespace ring::fake_internal

#endif  // IOCP_RING_FAKE_PRNG_H_
