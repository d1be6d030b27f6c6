#include "winapi/waitable.h"

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>
#include <vector>

#include "winapi/clock.h"
#include "winapi/errors.h"

namespace winapi {

namespace {

// The mutexes the calling thread owns, each with a reference. Its address is
// the thread's owner token; at thread exit it abandons what is left (before
// the thread's handle is signalled: it is constructed later than the
// thread's exit signal, so destroyed earlier).
struct OwnedMutexes {
  std::vector<Mutex*> mutexes;
  ~OwnedMutexes() {
    std::vector<Mutex*> left;
    {
      std::lock_guard<std::mutex> lock(Dispatcher::mutex());
      left.swap(mutexes);
      for (Mutex* mutex : left) mutex->Abandon();
    }
    for (Mutex* mutex : left) mutex->Unref();
  }
};

OwnedMutexes& Owned() {
  thread_local OwnedMutexes owned;
  return owned;
}

std::unordered_map<std::string, SyncObject*>& Names() {
  static auto* const names = new std::unordered_map<std::string, SyncObject*>();
  return *names;
}

}  // namespace

std::mutex& Namespace::mutex() {
  static std::mutex* const mutex = new std::mutex();
  return *mutex;
}

SyncObject* Namespace::Find(const std::string& name) {
  auto found = Names().find(name);
  return found == Names().end() ? nullptr : found->second;
}

void Namespace::Add(SyncObject* object) { Names()[object->name()] = object; }

void SyncObject::OnLastHandleClosed() {
  if (name_.empty()) return;
  std::lock_guard<std::mutex> lock(Namespace::mutex());
  // An OpenX may have named it again since the count reached zero.
  if (handle_count() != 0) return;
  auto found = Names().find(name_);
  if (found != Names().end() && found->second == this) Names().erase(found);
}

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

namespace {

bool RegisterMembarrier() {
  return syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
}

}  // namespace

bool Dispatcher::AsymmetricFences() {
  static const bool registered = RegisterMembarrier();
  return registered;
}

void Dispatcher::OrderAgainstSignalers() {
  // Without membarrier, signallers store with seq_cst, which with the
  // waiter's seq_cst increment of waiting() is the plain Dekker pair.
  if (AsymmetricFences()) syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
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

void Event::Pulse() {
  std::lock_guard<std::mutex> lock(Dispatcher::mutex());
  ++pulse_epoch_;
  pulse_available_ = true;
  signaled_ = false;
  Dispatcher::condition().notify_all();
}

bool Mutex::IsSignaled() const { return owner_ == nullptr || owner_ == &Owned(); }

bool Mutex::Acquire() {
  OwnedMutexes& owned = Owned();
  if (owner_ == &owned) {
    ++recursion_;
    return false;
  }
  owner_ = &owned;
  recursion_ = 1;
  Ref();
  owned.mutexes.push_back(this);
  const bool abandoned = abandoned_;
  abandoned_ = false;
  return abandoned;
}

bool Mutex::Release() {
  OwnedMutexes& owned = Owned();
  {
    std::lock_guard<std::mutex> lock(Dispatcher::mutex());
    if (owner_ != &owned) return false;
    if (--recursion_ != 0) return true;
    owner_ = nullptr;
    auto found = std::find(owned.mutexes.begin(), owned.mutexes.end(), this);
    if (found != owned.mutexes.end()) owned.mutexes.erase(found);
    Dispatcher::condition().notify_all();
  }
  Unref();  // the owner list's reference; the caller's handle keeps it alive
  return true;
}

void Mutex::Abandon() {
  owner_ = nullptr;
  recursion_ = 0;
  abandoned_ = true;
  Dispatcher::condition().notify_all();
}

bool Semaphore::Release(int32_t release_count, int32_t* previous) {
  std::lock_guard<std::mutex> lock(Dispatcher::mutex());
  if (int64_t{count_} + release_count > maximum_) return false;
  *previous = count_;
  count_ += release_count;
  Dispatcher::condition().notify_all();
  return true;
}

int32_t ThreadObject::Suspend() {
  std::lock_guard<std::mutex> lock(Dispatcher::mutex());
  if (started_ || exited_) return -1;
  return suspend_count_++;
}

int32_t ThreadObject::Resume() {
  std::lock_guard<std::mutex> lock(Dispatcher::mutex());
  const int32_t previous = suspend_count_;
  if (previous > 0 && --suspend_count_ == 0) Dispatcher::condition().notify_all();
  return previous;
}

void ThreadObject::PassStartGate() {
  std::unique_lock<std::mutex> lock(Dispatcher::mutex());
  while (suspend_count_ > 0) Dispatcher::condition().wait(lock);
  started_ = true;
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
  if (count > 64) return kWaitFailed;  // MAXIMUM_WAIT_OBJECTS: callers check it
  ThreadState& self = ThreadState::Current();
  const int64_t deadline_ns = DeadlineFromMs(timeout_ms);
  BlockingScope blocked;
  struct Counted {
    Waitable* const* objects;
    uint32_t count;
    Counted(Waitable* const* o, uint32_t n) : objects(o), count(n) {
      Dispatcher::waiters().fetch_add(1, std::memory_order_seq_cst);
      for (uint32_t i = 0; i < count; ++i) {
        objects[i]->waiting().fetch_add(1, std::memory_order_seq_cst);
      }
      // Before any state is read (Dispatcher::OrderAgainstSignalers).
      if (count > 0) Dispatcher::OrderAgainstSignalers();
    }
    ~Counted() {
      for (uint32_t i = 0; i < count; ++i) {
        objects[i]->waiting().fetch_sub(1, std::memory_order_relaxed);
      }
      Dispatcher::waiters().fetch_sub(1, std::memory_order_seq_cst);
    }
  } counted(objects, count);
  std::unique_lock<std::mutex> lock(Dispatcher::mutex());
  // Pulses count only if they come after the wait started.
  uint64_t epochs[64];
  for (uint32_t i = 0; i < count; ++i) epochs[i] = objects[i]->pulse_epoch();
  auto ready = [&](uint32_t i) {
    return objects[i]->IsSignaled() || objects[i]->PulsedSince(epochs[i]);
  };
  auto take = [&](uint32_t i) {  // true: an abandoned mutex
    if (objects[i]->IsSignaled()) return objects[i]->Acquire();
    objects[i]->TakePulse();
    return false;
  };
  for (;;) {
    if (alertable && self.shared->HasPending()) {
      lock.unlock();
      self.shared->RunAll();
      return kWaitIoCompletion;
    }
    if (wait_all) {
      bool all = true;
      for (uint32_t i = 0; i < count && all; ++i) all = ready(i);
      if (all) {
        uint32_t result = kWaitObject0;
        for (uint32_t i = 0; i < count; ++i) {
          if (take(i) && result == kWaitObject0) result = kWaitAbandoned0 + i;
        }
        return result;
      }
    } else {
      for (uint32_t i = 0; i < count; ++i) {
        if (ready(i)) return (take(i) ? kWaitAbandoned0 : kWaitObject0) + i;
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
