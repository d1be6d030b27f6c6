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

// Sleeps while the 32-bit word at `address` holds `expected`, at most
// timeout_ns (< 0: no limit). Returns 0 when woken (or the word already
// differed), -ETIMEDOUT, -EINTR. The word may be any aligned 32 bits,
// also inside a program's own structure (CRITICAL_SECTION, SRWLOCK, ...).
inline int FutexWaitAddress(void* address, uint32_t expected, int64_t timeout_ns) {
  timespec timeout;
  timespec* timeout_pointer = nullptr;
  if (timeout_ns >= 0) {
    timeout.tv_sec = timeout_ns / 1000000000;
    timeout.tv_nsec = timeout_ns % 1000000000;
    timeout_pointer = &timeout;
  }
  long rc = syscall(SYS_futex, address, FUTEX_WAIT_PRIVATE, expected, timeout_pointer, nullptr, 0);
  if (rc == 0) return 0;
  if (errno == EAGAIN) return 0;  // the word changed before we slept
  return -errno;
}

// Wakes up to `count` threads sleeping on the word at `address`.
inline void FutexWakeAddress(void* address, int count) {
  syscall(SYS_futex, address, FUTEX_WAKE_PRIVATE, count, nullptr, nullptr, 0);
}

inline int FutexWait(std::atomic<uint32_t>* word, uint32_t expected, int64_t timeout_ns) {
  return FutexWaitAddress(reinterpret_cast<uint32_t*>(word), expected, timeout_ns);
}

inline void FutexWakeOne(std::atomic<uint32_t>* word) {
  FutexWakeAddress(reinterpret_cast<uint32_t*>(word), 1);
}

}  // namespace winapi

#endif  // IOCP_WINAPI_FUTEX_H_
