// The eventfd write behind both kernel backends' Wake().
#ifndef IOCP_RING_INTERNAL_EVENTFD_H_
#define IOCP_RING_INTERNAL_EVENTFD_H_

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

namespace ring::internal {

// Adds one to the eventfd counter. Returns 0 or a negative errno.
inline int SignalEventfd(int fd) {
  const uint64_t one = 1;
  ssize_t written;
  do {
    written = ::write(fd, &one, sizeof(one));
  } while (written < 0 && errno == EINTR);
  // EAGAIN means the counter is saturated: a wake-up is already pending.
  if (written < 0 && errno != EAGAIN) return -errno;
  return 0;
}

}  // namespace ring::internal

#endif  // IOCP_RING_INTERNAL_EVENTFD_H_
