#include "winapi/thread_state.h"

#include "winapi/port.h"
#include "winapi/waitable.h"

namespace winapi {

// --- SharedThreadState ---

bool SharedThreadState::Queue(Routine routine, uintptr_t argument) {
  CompletionPort* port;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (exited_) return false;
    calls_.emplace_back(routine, argument);
    pending_.store(static_cast<uint32_t>(calls_.size()), std::memory_order_release);
    port = waiting_port_;
    if (port) port->Ref();
  }
  // Outside our lock: the port's lock is taken before ours elsewhere.
  if (port) {
    port->Interrupt(&waiter);
    port->Unref();
  }
  // The thread may instead be in an alertable dispatcher wait (SleepEx,
  // WaitForSingleObjectEx).
  Dispatcher::NotifyAll();
  return true;
}

int SharedThreadState::RunAll() {
  int ran = 0;
  for (;;) {
    std::vector<std::pair<Routine, uintptr_t>> calls;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      calls.swap(calls_);
      pending_.store(0, std::memory_order_release);
    }
    if (calls.empty()) return ran;
    for (auto& [routine, argument] : calls) {
      routine(argument);
      ++ran;
    }
  }
}

bool SharedThreadState::BeginAlertableWait(CompletionPort* port) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!calls_.empty()) return false;
  port->Ref();
  waiting_port_ = port;
  return true;
}

void SharedThreadState::EndAlertableWait() {
  CompletionPort* port;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    port = waiting_port_;
    waiting_port_ = nullptr;
  }
  if (port) port->Unref();
}

void SharedThreadState::MarkExited() {
  std::lock_guard<std::mutex> lock(mutex_);
  exited_ = true;
  calls_.clear();
  pending_.store(0, std::memory_order_release);
}

// --- ThreadState ---

constinit thread_local ThreadState* ThreadState::current_ = nullptr;

ThreadState& ThreadState::CreateCurrent() {
  // Destroyed at thread exit; current_ keeps pointing at it, as a
  // thread_local object's accessor would.
  thread_local ThreadState state;
  current_ = &state;
  return state;
}

ThreadState::ThreadState() : shared(new SharedThreadState()) {}

ThreadState::~ThreadState() {
  // Leaving the port: the thread no longer counts as running there (spec 18).
  if (port) port->Disassociate(*this);
  port.reset();
  shared->MarkExited();
  shared->Unref();
}

// --- BlockingScope ---

BlockingScope::BlockingScope() : self_(ThreadState::Current()) {
  if (self_.blocked_depth++ == 0 && self_.port && self_.counted_running) {
    self_.port->OnThreadBlocked(self_);
    stopped_running_ = true;
  }
}

BlockingScope::~BlockingScope() {
  --self_.blocked_depth;
  if (stopped_running_ && self_.port) self_.port->OnThreadUnblocked(self_);
}

}  // namespace winapi
