// User data values the kernel backends keep for their own submissions. All
// are >= kReservedUserDataMin, so they never collide with a caller's and are
// filtered out before completions are returned.
#ifndef IOCP_RING_INTERNAL_RESERVED_H_
#define IOCP_RING_INTERNAL_RESERVED_H_

#include <stdint.h>

#include "ring/ring.h"

namespace ring::internal {

// ~0 is liburing's own (LIBURING_UDATA_TIMEOUT, its timer on old kernels).
inline constexpr uint64_t kLiburingTimeoutUserData = ~uint64_t{0};
inline constexpr uint64_t kWakeUserData = ~uint64_t{0} - 1;  // the eventfd's multishot poll
static_assert(kWakeUserData >= kReservedUserDataMin);

}  // namespace ring::internal

#endif  // IOCP_RING_INTERNAL_RESERVED_H_
