#include "ring/default_ring.h"
#include "ring/posix_system.h"
#include "ring/raw/raw_ring.h"

namespace ring {

std::unique_ptr<Ring> CreateDefaultRing(const RingOptions& options, int* error) {
  return RawRing::Create(options, error);
}

System& DefaultSystem() { return PosixSystem(); }

const char* DefaultRingName() { return "raw"; }

}  // namespace ring
