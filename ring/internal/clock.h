// Monotonic time for the kernel backends' wait deadlines.
#ifndef IOCP_RING_INTERNAL_CLOCK_H_
#define IOCP_RING_INTERNAL_CLOCK_H_

#include <linux/time_types.h>
#include <stdint.h>
#include <time.h>

namespace ring::internal {

inline int64_t MonotonicNs() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return int64_t{now.tv_sec} * 1000000000 + now.tv_nsec;
}

// Non-negative nanoseconds to a kernel timespec.
inline __kernel_timespec ToTimespec(int64_t ns) {
  if (ns < 0) ns = 0;
  __kernel_timespec ts;
  ts.tv_sec = ns / 1000000000;
  ts.tv_nsec = ns % 1000000000;
  return ts;
}

}  // namespace ring::internal

#endif  // IOCP_RING_INTERNAL_CLOCK_H_
