// Per-thread state of the Win32 layer: the last error, the completion port
// the thread is associated with, the record it waits on, and its APC queue.
// One instance per OS thread (thread_local), created on first use, torn down
// at thread exit, when it also leaves its port (the concurrency rule counts
// associated threads).
#ifndef IOCP_WINAPI_THREAD_STATE_H_
#define IOCP_WINAPI_THREAD_STATE_H_

#include <stdint.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "winapi/handle_table.h"
#include "winapi/object.h"
#include "winapi/packet.h"

namespace winapi {

class CompletionPort;
class SharedThreadState;

// A thread waiting on a port. Lives in the thread's ThreadState; linked into
// the port's waiter stack (most recent on top) only under the port's lock.
struct Waiter {
  std::atomic<uint32_t> signal{0};  // futex word: 1 = look again
  Waiter* above = nullptr;
  Waiter* below = nullptr;
  bool in_stack = false;
  bool has_packet = false;  // a releaser handed `packet` to this waiter
  Packet packet;
  SharedThreadState* owner = nullptr;  // keeps the record alive for a late wake
};

// The part of a thread's state that other threads touch: the record it waits
// on (releasers write its packet and futex word) and its queue of
// asynchronous procedure calls (QueueUserAPC), which run when the thread makes
// an alertable wait. Reference counted, shared by the thread and the handles
// that name it, so a late QueueUserAPC or wake-up never touches freed memory.
class SharedThreadState {
 public:
  using Routine = void (*)(uintptr_t);

  SharedThreadState() { waiter.owner = this; }
  SharedThreadState(const SharedThreadState&) = delete;
  SharedThreadState& operator=(const SharedThreadState&) = delete;

  void Ref() { references_.fetch_add(1, std::memory_order_relaxed); }
  void Unref() {
    if (references_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  // Queues a call and wakes the thread if it waits alertably. False if the
  // thread has exited.
  bool Queue(Routine routine, uintptr_t argument);
  bool HasPending() const { return pending_.load(std::memory_order_acquire) != 0; }
  // Runs every queued call on the calling (owning) thread. Returns how many.
  int RunAll();

  // The owning thread announces an alertable wait on `port`, which it holds a
  // reference to. Returns false, without registering, if calls are already
  // pending.
  bool BeginAlertableWait(CompletionPort* port);
  void EndAlertableWait();
  void MarkExited();

  Waiter waiter;

 private:
  std::atomic<int32_t> references_{1};
  std::atomic<uint32_t> pending_{0};
  std::mutex mutex_;
  std::vector<std::pair<Routine, uintptr_t>> calls_;
  CompletionPort* waiting_port_ = nullptr;  // with a reference while set
  bool exited_ = false;
};

class ThreadState {
 public:
  // Inline, and a plain pointer: every Win32 call asks (the last error, the
  // port association), and a thread_local object would cost a guard check
  // and a call each time.
  static ThreadState& Current() {
    ThreadState* state = current_;
    return state != nullptr ? *state : CreateCurrent();
  }

  ThreadState();
  ~ThreadState();
  ThreadState(const ThreadState&) = delete;
  ThreadState& operator=(const ThreadState&) = delete;

  uint32_t last_error = 0;

  // Association with a completion port (see CompletionPort).
  RefPtr<CompletionPort> port;
  // The handle value this thread last passed to GQCS for `port`: while it
  // stays open, the next GQCS needs no lookup (api_port.cc).
  uintptr_t port_handle = 0;
  HandleTable::OpenWatch port_watch;  // port_handle's, for that test
  bool counted_running = false;       // included in port->running_
  int blocked_depth = 0;              // nesting of BlockingScope

  SharedThreadState* shared;  // owned reference
  Waiter& waiter() { return shared->waiter; }

 private:
  static ThreadState& CreateCurrent();
  static constinit thread_local ThreadState* current_ __attribute__((visibility("hidden")));
};

// Wraps a wait outside the port (Sleep, WaitForSingleObject, ...): the thread
// stops counting as running on its port for the duration, so the port may
// release another waiter, and its deferred submissions are flushed first.
class BlockingScope {
 public:
  BlockingScope();
  ~BlockingScope();
  BlockingScope(const BlockingScope&) = delete;
  BlockingScope& operator=(const BlockingScope&) = delete;

 private:
  ThreadState& self_;
  bool stopped_running_ = false;
};

}  // namespace winapi

#endif  // IOCP_WINAPI_THREAD_STATE_H_
