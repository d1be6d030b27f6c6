// Waitable objects (events, mutexes, semaphores, threads) and the dispatcher
// that waits on them.
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
#include <string>

#include "winapi/object.h"
#include "winapi/thread_state.h"

namespace winapi {

class Waitable : public Object {
 public:
  using Object::Object;
  // Threads in a dispatcher wait that includes this object. A signal that
  // changes without the dispatcher lock (IoObject's, on the I/O hot path)
  // reads it after storing its state, and takes the lock to notify only if
  // someone waits; see Dispatcher::OrderAgainstSignalers for the ordering.
  std::atomic<int32_t>& waiting() { return waiting_; }
  // Both under Dispatcher::mutex().
  virtual bool IsSignaled() const = 0;
  // Consumes the signal for the waiter that gets it (auto-reset events,
  // semaphores, mutexes). Returns true if the object was an abandoned mutex.
  virtual bool Acquire() { return false; }
  // PulseEvent: a waiter that started waiting at pulse epoch `epoch` is
  // released if a pulse happened since (and, for auto-reset events, nobody
  // took that pulse yet). Under Dispatcher::mutex().
  virtual uint64_t pulse_epoch() const { return 0; }
  virtual bool PulsedSince(uint64_t epoch) const {
    (void)epoch;
    return false;
  }
  virtual void TakePulse() {}

 private:
  std::atomic<int32_t> waiting_{0};
};

// A waitable that may carry a name (events, mutexes, semaphores): the name
// leaves the process namespace when the object's last handle closes.
class SyncObject : public Waitable {
 public:
  using Waitable::Waitable;
  void set_name(const std::string& name) { name_ = name; }
  const std::string& name() const { return name_; }
  void OnLastHandleClosed() override;

 private:
  std::string name_;  // empty: unnamed; set once, before the name is published
};

// The process's object namespace: names of events, mutexes and semaphores.
// An entry does not hold a reference; it is erased when its object's last
// handle closes (under the namespace lock, which also covers opening).
class Namespace {
 public:
  static std::mutex& mutex();
  // Under mutex(): the object with this name, or null.
  static SyncObject* Find(const std::string& name);
  // Under mutex().
  static void Add(SyncObject* object);
};

class Dispatcher {
 public:
  static std::mutex& mutex();
  // Wakes every dispatcher wait to re-check (a signal changed, an APC came).
  static void NotifyAll();
  static std::condition_variable& condition();
  // Threads inside a dispatcher wait (introspection: the simulation).
  static std::atomic<int>& waiters();

  // The Dekker pair of a lock-free signal: the signaller stores its state
  // then reads Waitable::waiting(); a waiter increments waiting() then reads
  // the state. One of them must see the other's write, which on x86 needs a
  // full fence on both sides. The waiter (rare) pays for both: it calls
  // OrderAgainstSignalers() after counting itself, a process-wide barrier
  // (membarrier), so the signaller (every completed request) needs only a
  // compiler barrier. Where membarrier is unavailable, signallers fall back
  // to a sequentially consistent store (AsymmetricFences() false).
  static bool AsymmetricFences();
  static void OrderAgainstSignalers();
};

class Event final : public SyncObject {
 public:
  Event(bool manual_reset, bool initially_signaled)
      : SyncObject(ObjectKind::kEvent),
        manual_reset_(manual_reset),
        signaled_(initially_signaled) {}
  void Set();
  void Reset();
  // Releases the threads waiting now (manual reset) or one of them (auto
  // reset), and leaves the event reset.
  void Pulse();
  bool IsSignaled() const override { return signaled_; }
  bool Acquire() override {
    if (!manual_reset_) signaled_ = false;
    return false;
  }
  uint64_t pulse_epoch() const override { return pulse_epoch_; }
  bool PulsedSince(uint64_t epoch) const override {
    return pulse_epoch_ != epoch && (manual_reset_ || pulse_available_);
  }
  void TakePulse() override {
    if (!manual_reset_) pulse_available_ = false;
  }

 private:
  const bool manual_reset_;
  bool signaled_;                 // under the dispatcher mutex
  uint64_t pulse_epoch_ = 0;      // under the dispatcher mutex
  bool pulse_available_ = false;  // auto reset: the last pulse is untaken
};

// A mutex: owned by one thread at a time, recursively; signalled when free
// (or, for the owner, always). A thread that ends while owning it abandons
// it: the next thread to acquire it gets WAIT_ABANDONED.
class Mutex final : public SyncObject {
 public:
  Mutex() : SyncObject(ObjectKind::kMutex) {}
  bool IsSignaled() const override;
  bool Acquire() override;
  // ReleaseMutex: false if the calling thread does not own it.
  bool Release();

  // The thread's list of owned mutexes abandons them at thread exit.
  void Abandon();

 private:
  const void* owner_ = nullptr;  // the owner thread's token; under the dispatcher mutex
  uint32_t recursion_ = 0;
  bool abandoned_ = false;
};

// A counting semaphore with a maximum.
class Semaphore final : public SyncObject {
 public:
  Semaphore(int32_t initial, int32_t maximum)
      : SyncObject(ObjectKind::kSemaphore), count_(initial), maximum_(maximum) {}
  bool IsSignaled() const override { return count_ > 0; }
  bool Acquire() override {
    --count_;
    return false;
  }
  // ReleaseSemaphore: false, and no change, if the count would pass the
  // maximum. Stores the count before the release.
  bool Release(int32_t release_count, int32_t* previous);

 private:
  int32_t count_;  // under the dispatcher mutex
  const int32_t maximum_;
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

  // Suspend counts (under the dispatcher mutex): a created thread waits at
  // its start gate until its count is 0. Returns the count before, or -1 if
  // the thread is past its gate (suspending a running thread is not
  // supported).
  int32_t Suspend();
  int32_t Resume();
  // The new thread, before running its routine.
  void PassStartGate();

 private:
  int32_t suspend_count_ = 0;  // under the dispatcher mutex
  bool started_ = false;       // past the start gate
  SharedThreadState* shared_;  // owned reference
  bool exited_ = false;        // under the dispatcher mutex
  uint32_t exit_code_ = 259;   // STILL_ACTIVE
  uint32_t thread_id_ = 0;
};

// Results of WaitForMultiple, as WaitForMultipleObjects returns them.
inline constexpr uint32_t kWaitObject0 = 0;
inline constexpr uint32_t kWaitAbandoned0 = 0x80;
inline constexpr uint32_t kWaitTimeout = 258;
inline constexpr uint32_t kWaitFailed = 0xFFFFFFFFu;

// Waits on `count` objects (any, or all), alertable or not; `objects` stay
// referenced by the caller. Counts as blocked elsewhere for the port.
// Returns WAIT_OBJECT_0 + i, WAIT_ABANDONED_0 + i (an abandoned mutex; for
// wait-all, the first abandoned one), WAIT_TIMEOUT or WAIT_IO_COMPLETION.
uint32_t WaitForMultiple(Waitable* const* objects, uint32_t count, bool wait_all,
                         uint32_t timeout_ms, bool alertable);

}  // namespace winapi

#endif  // IOCP_WINAPI_WAITABLE_H_
