// Lock: the mutex of the I/O hot path, one 32-bit futex word.
//
// std::mutex is 40 bytes and every lock and unlock is a call into glibc; the
// port's lock is taken twice per request and a socket carries several locks
// (memory per idle connection counts, docs/PERFORMANCE.md). This is the
// classic three-state futex mutex (0 free, 1 held, 2 held with sleepers):
// lock is one inline compare-and-swap, unlock one inline exchange, and the
// kernel is entered only under contention. It satisfies Lockable, so
// std::lock_guard and std::unique_lock work with it.
//
// ThreadSanitizer builds use std::mutex instead: TSan reasons about pthread
// mutexes (lock-order inversions included), which it cannot do for a lock
// made of atomics.
#ifndef IOCP_WINAPI_LOCK_H_
#define IOCP_WINAPI_LOCK_H_

#include <stdint.h>

#include <atomic>
#include <mutex>

#include "winapi/futex.h"

namespace winapi {

#if defined(__SANITIZE_THREAD__)
using Lock = std::mutex;
// Record sizes are asserted (io.cc, socket.cc) only with the one-word lock.
inline constexpr bool kLockIsOneWord = false;
#else
class Lock {
 public:
  Lock() = default;
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  void lock() {
    uint32_t expected = kFree;
    if (!word_.compare_exchange_strong(expected, kHeld, std::memory_order_acquire,
                                       std::memory_order_relaxed)) {
      LockSlow();
    }
  }
  bool try_lock() {
    uint32_t expected = kFree;
    return word_.compare_exchange_strong(expected, kHeld, std::memory_order_acquire,
                                         std::memory_order_relaxed);
  }
  void unlock() {
    if (word_.exchange(kFree, std::memory_order_release) == kContended) FutexWakeOne(&word_);
  }

 private:
  static constexpr uint32_t kFree = 0;
  static constexpr uint32_t kHeld = 1;
  static constexpr uint32_t kContended = 2;

  void LockSlow() {
    // A short spin first: the port's lock is held for a few hundred
    // nanoseconds at most, less than a futex round trip.
    for (int i = 0; i < 64; ++i) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
      if (word_.load(std::memory_order_relaxed) == kFree && try_lock()) return;
    }
    // Marked contended: whoever unlocks next wakes a sleeper.
    while (word_.exchange(kContended, std::memory_order_acquire) != kFree) {
      FutexWait(&word_, kContended, -1);
    }
  }

  std::atomic<uint32_t> word_{kFree};
};
inline constexpr bool kLockIsOneWord = true;
#endif

}  // namespace winapi

#endif  // IOCP_WINAPI_LOCK_H_
