#include "winapi/waitable.h"

#include <chrono>

#include "winapi/clock.h"
#include "winapi/errors.h"

namespace winapi {

std::mutex& Dispatcher::mutex() {
  static std::mutex* const mutex = new std::mutex();
  return *mutex;
}

std::condition_variable& Dispatcher::condition() {
  static std::condition_variable* const condition = new std::condition_variable();
  return *condition;
}

std::atomic<int>& Dispatcher::waiters() {
  static std::atomic<int> count{0};
  return count;
}

void Dispatcher::NotifyAll() {
  // Taking the lock orders the notification after any state change a waiter
  // might be checking.
  std::lock_guard<std::mutex> lock(mutex());
  condition().notify_all();
}

void Event::Set() {
  std::lock_guard<std::mutex> lock(Dispatcher::mutex());
  signaled_ = true;
  Dispatcher::condition().notify_all();
}

void Event::Reset() {
  std::lock_guard<std::mutex> lock(Dispatcher::mutex());
  signaled_ = false;
}

ThreadObject::ThreadObject(SharedThreadState* shared)
    : Waitable(ObjectKind::kThread), shared_(shared) {
  shared_->Ref();
}

ThreadObject::~ThreadObject() { shared_->Unref(); }

void ThreadObject::MarkExited(uint32_t exit_code) {
  std::lock_guard<std::mutex> lock(Dispatcher::mutex());
  exit_code_ = exit_code;
  exited_ = true;
  Dispatcher::condition().notify_all();
}

uint32_t WaitForMultiple(Waitable* const* objects, uint32_t count, bool wait_all,
                         uint32_t timeout_ms, bool alertable) {
  ThreadState& self = ThreadState::Current();
  const int64_t deadline_ns = DeadlineFromMs(timeout_ms);
  BlockingScope blocked;
  struct Counted {
    Counted() { Dispatcher::waiters().fetch_add(1, std::memory_order_seq_cst); }
    ~Counted() { Dispatcher::waiters().fetch_sub(1, std::memory_order_seq_cst); }
  } counted;
  std::unique_lock<std::mutex> lock(Dispatcher::mutex());
  for (;;) {
    if (alertable && self.shared->HasPending()) {
      lock.unlock();
      self.shared->RunAll();
      return kWaitIoCompletion;
    }
    if (wait_all) {
      bool all = true;
      for (uint32_t i = 0; i < count && all; ++i) all = objects[i]->IsSignaled();
      if (all) {
        for (uint32_t i = 0; i < count; ++i) objects[i]->Acquire();
        return kWaitObject0;
      }
    } else {
      for (uint32_t i = 0; i < count; ++i) {
        if (objects[i]->IsSignaled()) {
          objects[i]->Acquire();
          return kWaitObject0 + i;
        }
      }
    }
    const int64_t remaining_ns = RemainingNs(deadline_ns);
    if (remaining_ns == 0) return kWaitTimeout;
    if (remaining_ns < 0) {
      Dispatcher::condition().wait(lock);
    } else {
      Dispatcher::condition().wait_for(lock, std::chrono::nanoseconds(remaining_ns));
    }
  }
}

}  // namespace winapi
