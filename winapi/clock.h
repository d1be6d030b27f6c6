// Monotonic milliseconds and deadlines for Win32 timeouts (DWORD ms,
// INFINITE = 0xFFFFFFFF).
#ifndef IOCP_WINAPI_CLOCK_H_
#define IOCP_WINAPI_CLOCK_H_

#include <stdint.h>
#include <time.h>

namespace winapi {

inline constexpr uint32_t kInfiniteMs = 0xFFFFFFFFu;

inline int64_t NowNs() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return int64_t{now.tv_sec} * 1000000000 + now.tv_nsec;
}

// A deadline in monotonic ns, or -1 for INFINITE.
inline int64_t DeadlineFromMs(uint32_t ms) {
  if (ms == kInfiniteMs) return -1;
  return NowNs() + int64_t{ms} * 1000000;
}

// Remaining ns until deadline (>= 0), or -1 for no deadline.
inline int64_t RemainingNs(int64_t deadline_ns) {
  if (deadline_ns < 0) return -1;
  int64_t left = deadline_ns - NowNs();
  return left < 0 ? 0 : left;
}

}  // namespace winapi

#endif  // IOCP_WINAPI_CLOCK_H_
