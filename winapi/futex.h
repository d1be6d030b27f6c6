// The one blocking primitive of the Win32 layer besides the ring: a 32-bit
// futex word per waiting thread. Waiters sleep on their own word, so a wake-up
// goes to exactly the thread chosen (the LIFO rule needs that), never to a
// herd.
#ifndef IOCP_WINAPI_FUTEX_H_
#define IOCP_WINAPI_FUTEX_H_

#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace winapi {

// Sleeps while *word == expected, at most timeout_ns (< 0: no limit).
// Returns 0 when woken (or the word already differed), -ETIMEDOUT, -EINTR.
inline int FutexWait(std::atomic<uint32_t>* word, uint32_t expected, int64_t timeout_ns) {
  timespec timeout;
  timespec* timeout_pointer = nullptr;
  if (timeout_ns >= 0) {
    timeout.tv_sec = timeout_ns / 1000000000;
    timeout.tv_nsec = timeout_ns % 1000000000;
    timeout_pointer = &timeout;
  }
  long rc = syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAIT_PRIVATE, expected,
                    timeout_pointer, nullptr, 0);
  if (rc == 0) return 0;
  if (errno == EAGAIN) return 0;  // the word changed before we slept
  return -errno;
}

inline void FutexWakeOne(std::atomic<uint32_t>* word) {
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

}  // namespace winapi

#endif  // IOCP_WINAPI_FUTEX_H_
