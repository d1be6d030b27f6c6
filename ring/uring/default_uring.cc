#include "ring/default_ring.h"
#include "ring/posix_system.h"
#include "ring/uring/uring_ring.h"

namespace ring {

std::unique_ptr<Ring> CreateDefaultRing(const RingOptions& options, int* error) {
  return UringRing::Create(options, error);
}

System& DefaultSystem() { return PosixSystem(); }

const char* DefaultRingName() { return "uring"; }

}  // namespace ring
