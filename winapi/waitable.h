// Waitable objects (events, threads) and the dispatcher that waits on them.
//
// One process-wide dispatcher lock and condition variable guard every
// waitable's signal state, the way Windows' dispatcher lock does. That makes
// WaitForMultipleObjects(wait-all) simple and exact: the wait checks and
// acquires all objects under one lock. Events and thread handles are not on
// an IOCP program's hot path (the port is), so one lock is the right trade.
#ifndef IOCP_WINAPI_WAITABLE_H_
#define IOCP_WINAPI_WAITABLE_H_

#include <pthread.h>
#include <stdint.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "winapi/object.h"
#include "winapi/thread_state.h"

namespace winapi {

class Waitable : public Object {
 public:
  using Object::Object;
  // Both under Dispatcher::mutex().
  virtual bool IsSignaled() const = 0;
  // Consumes the signal for the waiter that gets it (auto-reset events).
  virtual void Acquire() {}
};

class Dispatcher {
 public:
  static std::mutex& mutex();
  // Wakes every dispatcher wait to re-check (a signal changed, an APC came).
  static void NotifyAll();
  static std::condition_variable& condition();
  // Threads inside a dispatcher wait. A signal that changes without the lock
  // (IoObject's, on the I/O hot path) stores its state, then reads this
  // (both sequentially consistent) and takes the lock to notify only if a
  // waiter exists; a waiter counts itself before it reads any state, so one
  // of the two always sees the other.
  static std::atomic<int>& waiters();
};

class Event final : public Waitable {
 public:
  Event(bool manual_reset, bool initially_signaled)
      : Waitable(ObjectKind::kEvent), manual_reset_(manual_reset), signaled_(initially_signaled) {}
  void Set();
  void Reset();
  bool IsSignaled() const override { return signaled_; }
  void Acquire() override {
    if (!manual_reset_) signaled_ = false;
  }

 private:
  const bool manual_reset_;
  bool signaled_;  // under the dispatcher mutex
};

// A thread, as a handle names it: waitable (signalled at exit), with an exit
// code and the target for QueueUserAPC.
class ThreadObject final : public Waitable {
 public:
  explicit ThreadObject(SharedThreadState* shared);
  ~ThreadObject() override;

  bool IsSignaled() const override { return exited_; }
  void MarkExited(uint32_t exit_code);
  uint32_t exit_code() const { return exit_code_; }
  bool exited() const { return exited_; }
  uint32_t thread_id() const { return thread_id_; }
  void set_thread_id(uint32_t id) { thread_id_ = id; }
  SharedThreadState* shared() const { return shared_; }

 private:
  SharedThreadState* shared_;  // owned reference
  bool exited_ = false;        // under the dispatcher mutex
  uint32_t exit_code_ = 259;   // STILL_ACTIVE
  uint32_t thread_id_ = 0;
};

// Results of WaitForMultiple, as WaitForMultipleObjects returns them.
inline constexpr uint32_t kWaitObject0 = 0;
inline constexpr uint32_t kWaitTimeout = 258;
inline constexpr uint32_t kWaitFailed = 0xFFFFFFFFu;

// Waits on `count` objects (any, or all), alertable or not; `objects` stay
// referenced by the caller. Counts as blocked elsewhere for the port.
uint32_t WaitForMultiple(Waitable* const* objects, uint32_t count, bool wait_all,
                         uint32_t timeout_ms, bool alertable);

}  // namespace winapi

#endif  // IOCP_WINAPI_WAITABLE_H_
