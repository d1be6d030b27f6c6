#include "winapi/port.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <new>
#include <thread>

#include "ring/default_ring.h"
#include "winapi/clock.h"
#include "winapi/errors.h"
#include "winapi/futex.h"
#include "winapi/handle_table.h"
#include "winapi/io.h"

namespace winapi {
namespace {

constexpr uint32_t kRingEntries = 1024;
// IOCP_SQPOLL's thread spins this long without work before it sleeps: long
// enough to stay awake between a busy server's batches, short enough that an
// idle port (or a test suite's many ports) does not hold a CPU for the
// kernel's default second.
constexpr long kSqPollIdleMs = 10;
constexpr unsigned kReapBatch = 64;

// "The number of processors" of spec 3, for this process: the CPUs its
// affinity mask lets it run on (what nproc counts), so that a server pinned
// to fewer CPUs, or in a container's cpuset, runs that many workers at once
// rather than one per CPU of the machine. The same as the machine's count
// when nothing restricts the process.
uint32_t ProcessorCount() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) {
    return static_cast<uint32_t>(CPU_COUNT(&set));
  }
  long count = sysconf(_SC_NPROCESSORS_ONLN);
  return count > 0 ? static_cast<uint32_t>(count) : 1;
}

}  // namespace

// Inline (all callers are below): the usual case, nobody to wake, is an
// unlock and one test.
inline void CompletionPort::UnlockAndWake(std::unique_lock<Lock>& lock) {
  if (pending_wake_count_ != 0) return WakePending(lock);
  lock.unlock();
  RunDeferredStarts();  // requests whose turn came during a reap (io.h)
}

// --- PacketPool ---

PacketPool::~PacketPool() {
  while (chunks_) {
    Chunk* next = chunks_->next;
    delete chunks_;
    chunks_ = next;
  }
}

PacketPool::Node* PacketPool::GetFromNewChunk() {
  Chunk* chunk = new (std::nothrow) Chunk();
  if (chunk == nullptr) return nullptr;
  ++chunk_allocations_;
  chunk->next = chunks_;
  chunks_ = chunk;
  for (Node& node : chunk->nodes) Put(&node);
  return Get();
}

// --- CompletionPort: creation and teardown ---

namespace {

// The port's switches in the environment (docs/PORTING.md, "Tuning from the
// environment"), read when a port is made, so a test can set them for one.
// A flag is on when set to anything but "" or "0".
bool EnvFlag(const char* name) {
  const char* value = getenv(name);
  return value != nullptr && value[0] != '\0' && strcmp(value, "0") != 0;
}

// A whole number from the environment, or `fallback` when unset or not one.
long EnvNumber(const char* name, long fallback) {
  const char* text = getenv(name);
  if (text == nullptr || text[0] == '\0') return fallback;
  char* end = nullptr;
  const long value = strtol(text, &end, 10);
  return *end == '\0' ? value : fallback;
}

// The port's ring: IOCP_SQPOLL asks for a kernel submission thread,
// IOCP_SQPOLL_CPU pins it, IOCP_SQPOLL_IDLE_MS sets how long it spins idle.
ring::RingOptions PortRingOptions() {
  ring::RingOptions options;
  options.entries = kRingEntries;
  options.sq_poll = EnvFlag("IOCP_SQPOLL");
  if (options.sq_poll) {
    options.sq_poll_cpu = static_cast<int32_t>(EnvNumber("IOCP_SQPOLL_CPU", -1));
    const long idle_ms = EnvNumber("IOCP_SQPOLL_IDLE_MS", kSqPollIdleMs);
    options.sq_poll_idle_ms = idle_ms > 0 ? static_cast<uint32_t>(idle_ms) : 1;
  }
  return options;
}

}  // namespace

CompletionPort* CompletionPort::Create(uint32_t concurrency, uint32_t* error) {
  int ring_error = 0;
  std::unique_ptr<ring::Ring> ring = ring::CreateDefaultRing(PortRingOptions(), &ring_error);
  if (!ring) {
    *error = ring_error == -ENOMEM || ring_error == -EMFILE || ring_error == -ENFILE
                 ? kErrorNotEnoughMemory
                 : Win32FromErrno(ring_error);
    return nullptr;
  }
  if (concurrency == 0) concurrency = ProcessorCount();
  CompletionPort* port = new (std::nothrow) CompletionPort(concurrency, std::move(ring));
  if (port == nullptr) *error = kErrorNotEnoughMemory;
  return port;
}

CompletionPort::CompletionPort(uint32_t limit, std::unique_ptr<ring::Ring> ring)
    : Object(ObjectKind::kPort),
      limit_(limit),
      batching_(!EnvFlag("IOCP_NO_BATCHING")),
      ring_(std::move(ring)) {
  // Without a table (an old kernel, IOCP_NO_FIXED_FILES=1) requests name
  // descriptors, as before.
  if (EnvFlag("IOCP_NO_FIXED_FILES")) return;
  free_slots_.reset(new (std::nothrow) int32_t[kFileSlots]);
  if (free_slots_ == nullptr || ring_->RegisterFileTable(kFileSlots) < 0) return;
  for (unsigned i = 0; i < kFileSlots; ++i)
    free_slots_[i] = static_cast<int32_t>(kFileSlots - 1 - i);
  free_slot_count_ = kFileSlots;
  file_table_ = true;
}

// Under mutex_. The usual case, a slot filled for the socket's descriptor,
// is inline; filling or refilling one is UseNewFileSlot.
inline void CompletionPort::UseFileSlot(ring::Request* request, IoObject* object) {
  if (request->fixed_file || request->fd < 0) return;
  const uint32_t generation = object->fd_generation_.load(std::memory_order_acquire);
  if (request->fd != object->fd()) return;  // another descriptor (AcceptEx's new connection)
  if (object->file_slot_ < 0 ||
      object->slot_generation_.load(std::memory_order_relaxed) != generation) {
    UseNewFileSlot(request, object, generation);
    return;
  }
  request->fd = object->file_slot_;
  request->fixed_file = true;
}

void CompletionPort::UseNewFileSlot(ring::Request* request, IoObject* object, uint32_t generation) {
  static_assert(kFileSlots <= 32767, "IoObject::file_slot_ is 16 bits");
  if (object->file_slot_ < 0) {
    if (object->requests_before_slot_ + 1u < kRequestsBeforeSlot) {
      ++object->requests_before_slot_;
      return;
    }
    std::lock_guard<Lock> lock(slots_mutex_);
    if (free_slot_count_ == 0) return;  // the table is full: descriptors for the rest
    object->file_slot_ = static_cast<int16_t>(free_slots_[--free_slot_count_]);
  }
  if (object->slot_generation_.load(std::memory_order_relaxed) != generation) {
    std::lock_guard<Lock> lock(slots_mutex_);  // against DropStaleFileSlot
    object->slot_generation_.store(0, std::memory_order_relaxed);
    if (ring_->SetFile(static_cast<unsigned>(object->file_slot_), request->fd) < 0) return;
    // A descriptor swapped meanwhile (ExchangeFd, without our lock) leaves
    // the slot stale: this request uses the descriptor, the next refills.
    if (object->fd_generation_.load(std::memory_order_acquire) != generation) return;
    object->slot_generation_.store(generation, std::memory_order_relaxed);
  }
  request->fd = object->file_slot_;
  request->fixed_file = true;
}

void CompletionPort::DropStaleFileSlot(IoObject* object) {
  std::lock_guard<Lock> lock(slots_mutex_);
  const uint32_t filled = object->slot_generation_.load(std::memory_order_relaxed);
  if (object->file_slot_ < 0 || filled == 0) return;
  if (filled == object->fd_generation_.load(std::memory_order_acquire)) return;
  ring_->SetFile(static_cast<unsigned>(object->file_slot_), -1);
  // The next request refills it (UseFileSlot, under mutex_ and this lock).
  object->slot_generation_.store(0, std::memory_order_relaxed);
}

void CompletionPort::ReleaseFileSlot(int32_t slot) {
  ring_->SetFile(static_cast<unsigned>(slot), -1);  // the slot's reference to the file goes
  std::lock_guard<Lock> lock(slots_mutex_);
  free_slots_[free_slot_count_++] = slot;
}

CompletionPort::~CompletionPort() = default;

void CompletionPort::OnLastHandleClosed() {
  std::unique_lock<Lock> lock(mutex_);
  closed_ = true;
  // Queued packets die with the port handle (Windows frees them too).
  Packet discarded;
  while (PopQueued(&discarded)) {
  }
  // Every waiter returns ERROR_ABANDONED_WAIT_0 (spec 15, 24).
  for (Waiter* waiter = top_; waiter != nullptr; waiter = waiter->below) Signal(waiter);
  if (in_flight_ > 0) EnsureDrainer();
  UnlockAndWake(lock);
}

// Under mutex_.
void CompletionPort::EnsureDrainer() {
  if (drainer_running_) return;
  drainer_running_ = true;
  Ref();  // the drainer's
  std::thread([this] { DrainLoop(); }).detach();
}

void CompletionPort::DrainLoop() {
  for (;;) {
    std::unique_lock<Lock> lock(mutex_);
    Reap();  // packets of a closed port are dropped in Enqueue
    if (in_flight_ == 0) {
      drainer_running_ = false;
      UnlockAndWake(lock);
      break;
    }
    const unsigned to_submit = ring_->Publish();
    UnlockAndWake(lock);
    ring_->Block(1, 100'000'000, to_submit);
  }
  Unref();
}

// --- The packet queue and the waiter stack (all under mutex_) ---

__attribute__((always_inline)) inline void CompletionPort::Enqueue(const Packet& packet) {
  if (closed_) return;  // nobody can dequeue it any more
  PacketPool::Node* node = pool_.Get();
  if (node == nullptr) return;  // out of memory: nothing sane left to do
  node->packet = packet;
  node->next = nullptr;
  if (tail_) {
    tail_->next = node;
  } else {
    head_ = node;
  }
  tail_ = node;
  ++queued_;
}

uint32_t CompletionPort::TakeQueued(Packet* out, uint32_t capacity) {
  uint32_t taken = 0;
  while (taken < capacity && PopQueued(&out[taken])) ++taken;
  return taken;
}

void CompletionPort::PushWaiter(Waiter* waiter) {
  waiter->above = nullptr;
  waiter->below = top_;
  if (top_) top_->above = waiter;
  top_ = waiter;
  waiter->in_stack = true;
  ++waiting_;
}

void CompletionPort::RemoveWaiter(Waiter* waiter) {
  if (!waiter->in_stack) return;
  if (waiter->above) {
    waiter->above->below = waiter->below;
  } else {
    top_ = waiter->below;
  }
  if (waiter->below) waiter->below->above = waiter->above;
  waiter->above = waiter->below = nullptr;
  waiter->in_stack = false;
  --waiting_;
}

void CompletionPort::Signal(Waiter* waiter) {
  waiter->signal.store(1, std::memory_order_release);
  const bool through_ring = waiter == ring_waiter_;
  if (pending_wake_count_ == kMaxPendingWakes) {
    // Rare (closing a port with many waiters): wake now, under the lock.
    if (through_ring) {
      ring_->Wake();
    } else {
      FutexWakeOne(&waiter->signal);
    }
    return;
  }
  // The record may be reused or its thread gone by the time we wake it: hold
  // its owner. A late wake-up is only ever spurious, which waiters tolerate.
  waiter->owner->Ref();
  pending_wakes_[pending_wake_count_++] = PendingWake{waiter, through_ring};
}

void CompletionPort::WakePending(std::unique_lock<Lock>& lock) {
  PendingWake wakes[kMaxPendingWakes];
  const int count = pending_wake_count_;
  for (int i = 0; i < count; ++i) wakes[i] = pending_wakes_[i];
  pending_wake_count_ = 0;
  lock.unlock();
  for (int i = 0; i < count; ++i) {
    if (wakes[i].through_ring) {
      ring_->Wake();
    } else {
      FutexWakeOne(&wakes[i].waiter->signal);
    }
    wakes[i].waiter->owner->Unref();
  }
  RunDeferredStarts();  // requests whose turn came during a reap (io.h)
}

// Hands queued packets to waiters, most recent first, while the concurrency
// limit allows. `self` (the calling waiter, if any) needs no wake-up.
void CompletionPort::ReleaseWaiters(Waiter* self) {
  while (queued_ > 0 && top_ != nullptr && running_ < limit_) {
    Waiter* waiter = top_;
    RemoveWaiter(waiter);
    PopQueued(&waiter->packet);
    waiter->has_packet = true;
    ++running_;
    if (waiter != self) Signal(waiter);
  }
}

// Called when a thread stops waiting or stops running: if I/O is in flight
// and nobody sleeps in the ring, the top waiter must take over, or
// completions would sit unreaped while threads wait. Only while the
// concurrency limit would let that waiter run: at the limit, a reaped
// packet could not be released to it anyway, and the running threads reap
// when they next wait (or block, which calls this again). Waking it then
// would only cost a wake-up and a context switch per packet (the worker
// pool pinned to one CPU made 0.1 extra system calls per message so).
void CompletionPort::HandOverRing(Waiter* self) {
  if (ring_waiter_ == nullptr && in_flight_ > 0 && top_ != nullptr && top_ != self &&
      running_ < limit_) {
    Signal(top_);
  }
}

void CompletionPort::Reap() {
  // Only operations produce completions worth reaping; a stray internal one
  // (a wake-up) is consumed with the next real batch.
  if (in_flight_ == 0) return;
  ring::Completion batch[kReapBatch];
  for (;;) {
    int n = ring_->Peek(batch, kReapBatch);
    for (int i = 0; i < n; ++i) {
      auto* op = reinterpret_cast<Operation*>(static_cast<uintptr_t>(batch[i].user_data));
      --in_flight_;
      Packet packet;
      if (op->OnComplete(batch[i].result, batch[i].flags, &packet)) Enqueue(packet);
    }
    if (n < static_cast<int>(kReapBatch)) break;
  }
  // Peeking may have consumed the wake-up meant for the thread sleeping in
  // the ring (the ring wakes a sleeper by posting a completion, and the CQ
  // does not care who reads it). If that thread has a signal pending, wake
  // it again: an extra wake-up is harmless, a lost one is not.
  if (ring_waiter_ != nullptr && ring_waiter_->signal.load(std::memory_order_relaxed) == 1) {
    Signal(ring_waiter_);
  }
}

void CompletionPort::FlushPrepared() {
  if (ring_->Prepared() > 0) ring_->Submit();
}

void CompletionPort::StopRunning(ThreadState& self) {
  if (self.counted_running) {
    self.counted_running = false;
    --running_;
  }
}

// Never destroyed: a late cancel completion may be reaped while the process
// exits, after static objects are gone.
Operation& IgnoredCompletion() {
  struct Ignored final : Operation {
    bool OnComplete(int32_t, uint32_t, Packet*) override { return false; }
  };
  static Ignored* const ignored = new Ignored();
  return *ignored;
}

// --- The public operations ---

bool CompletionPort::Post(const Packet& packet) {
  std::unique_lock<Lock> lock(mutex_);
  if (closed_) return false;
  Enqueue(packet);
  ReleaseWaiters(nullptr);
  UnlockAndWake(lock);
  return true;
}

// A thread waiting on this port for the first time (or after another)
// takes the association first.
void CompletionPort::AssociateThread(ThreadState& self) {
  // One port per thread: waiting here ends the association with another.
  if (self.port) self.port->Disassociate(self);
  self.port = RefPtr<CompletionPort>::Share(this);
  self.port_handle = 0;  // the caller names the new port's (api_port.cc)
  self.port_watch = HandleTable::OpenWatch();
}

CompletionPort::WaitResult CompletionPort::Dequeue(Packet* out, uint32_t capacity, uint32_t* count,
                                                   uint32_t timeout_ms, bool alertable) {
  ThreadState& self = ThreadState::Current();
  if (self.port.get() != this) AssociateThread(self);
  std::unique_lock<Lock> lock(mutex_);
  // Not counting ourselves, as if we had stopped running to wait.
  const uint32_t others_running = running_ - (self.counted_running ? 1 : 0);
  if (queued_ >= capacity && others_running < limit_ && !closed_) {
    // A worker back for its next packet with enough queued (as Windows'
    // KeRemoveQueue, which takes a queued entry before it would wait):
    // pushed on the stack it would be the top waiter, released at once with
    // the oldest packets, so it takes them without the stack. What is left
    // goes to the waiters the limit lets run, as after any release. Not
    // reaping here is as if the kernel's newer completions came a moment
    // later: they are reaped when the queue runs dry (or by the ring waiter).
    *count = TakeQueued(out, capacity);
    if (!self.counted_running) {
      ++running_;
      self.counted_running = true;
    }
    if (top_ != nullptr) {  // a pool with idle workers
      ReleaseWaiters(nullptr);
      HandOverRing(nullptr);
    }
    UnlockAndWake(lock);
    return WaitResult::kDequeued;
  }
  return WaitLocked(self, lock, out, capacity, count, timeout_ms, alertable);
}

// Dequeue's other cases, out of line so that its fast case stays small.
CompletionPort::WaitResult CompletionPort::WaitLocked(ThreadState& self,
                                                      std::unique_lock<Lock>& lock, Packet* out,
                                                      uint32_t capacity, uint32_t* count,
                                                      uint32_t timeout_ms, bool alertable) {
  *count = 0;
  StopRunning(self);
  // No clock read unless the wait is finite and non-zero.
  const int64_t deadline_ns = timeout_ms == 0 ? 0 : DeadlineFromMs(timeout_ms);
  Waiter& waiter = self.waiter();
  bool alert_registered = false;
  waiter.has_packet = false;
  PushWaiter(&waiter);
  WaitResult result;
  for (;;) {
    if (closed_) {
      RemoveWaiter(&waiter);
      result = WaitResult::kAbandoned;
      break;
    }
    Reap();
    ReleaseWaiters(&waiter);
    if (waiter.has_packet) {
      // Released: counted running already. A GQCSEx caller also takes what
      // else is queued, up to its capacity.
      waiter.has_packet = false;
      out[0] = waiter.packet;
      *count = 1 + TakeQueued(out + 1, capacity - 1);
      self.counted_running = true;
      result = WaitResult::kDequeued;
      break;
    }
    if (alertable && self.shared->HasPending()) {
      RemoveWaiter(&waiter);
      ++running_;
      self.counted_running = true;
      result = WaitResult::kApc;
      break;
    }
    const int64_t remaining_ns = deadline_ns == 0 ? 0 : RemainingNs(deadline_ns);
    if (remaining_ns == 0) {
      RemoveWaiter(&waiter);
      ++running_;
      self.counted_running = true;
      result = WaitResult::kTimeout;
      break;
    }
    if (alertable && !alert_registered) {
      if (!self.shared->BeginAlertableWait(this)) continue;  // an APC just arrived
      alert_registered = true;
    }
    waiter.signal.store(0, std::memory_order_relaxed);
    if (ring_waiter_ == nullptr && in_flight_ > 0) {
      // Sleep in the ring: submit what is prepared and wait in one call.
      ring_waiter_ = &waiter;
      const unsigned to_submit = ring_->Publish();
      UnlockAndWake(lock);  // wake-ups decided in this loop must not wait for us
      ring_->Block(1, remaining_ns, to_submit);
      lock.lock();
      ring_waiter_ = nullptr;
    } else {
      // Another thread owns the ring (or nothing is in flight): our own
      // prepared requests must not wait for us.
      FlushPrepared();
      UnlockAndWake(lock);
      FutexWait(&waiter.signal, 0, remaining_ns);
      lock.lock();
    }
  }
  HandOverRing(&waiter);
  UnlockAndWake(lock);
  if (alert_registered) self.shared->EndAlertableWait();
  // A closed port ends the association (spec 18), and our reference with it,
  // so its ring's descriptor goes as soon as nothing else holds the port. The
  // caller's handle lookup keeps `this` alive until it returns.
  if (result == WaitResult::kAbandoned) self.port.reset();
  return result;
}

int CompletionPort::Issue(ring::Request request, Operation* op) {
  ThreadState& self = ThreadState::Current();
  // A worker of this port issuing from its completion loop batches: the
  // request reaches the kernel with its next wait. Everyone else submits now.
  const bool in_own_loop = batching_ && self.port.get() == this && self.counted_running;
  std::unique_lock<Lock> lock(mutex_);
  int rc = IssueLocked(request, op, in_own_loop);
  UnlockAndWake(lock);
  return rc;
}

// The hot path of every overlapped request on a port's handle (a server's
// WSARecv and WSASend), in one body: IssueLocked's steps, without its
// generality (a virtual cancel test, the request copied per call).
int CompletionPort::IssueIo(ring::Request* request, IoOperation* op) {
  ThreadState& self = ThreadState::Current();
  const bool in_own_loop = batching_ && self.port.get() == this && self.counted_running;
  IoObject* owner = op->owner;
  request->user_data = reinterpret_cast<uintptr_t>(op);
  std::unique_lock<Lock> lock(mutex_);
  // Linked first: a handle closed meanwhile marks it cancelled, which the
  // test below then sees.
  const bool newly_linked = !op->linked;
  if (newly_linked) owner->LinkLocked(op);
  op->in_flight.store(true, std::memory_order_relaxed);
  if (file_table_ && owner->kind() == ObjectKind::kSocket) UseFileSlot(request, owner);
  int rc = ring_->Prepare(*request);
  if (__builtin_expect(rc == -EBUSY, 0)) {
    ring_->Submit();
    rc = ring_->Prepare(*request);
  }
  if (__builtin_expect(rc < 0, 0)) {
    op->in_flight.store(false, std::memory_order_relaxed);
    // Never the last reference: the caller holds the handle, or the request
    // was linked before (then newly_linked is false).
    if (newly_linked) owner->UnlinkLocked(op);
    UnlockAndWake(lock);
    return rc;
  }
  ++in_flight_;
  if (__builtin_expect(op->cancel_requested.load(std::memory_order_acquire), 0)) {
    // CancelIoEx or a close got there first and found nothing to cancel:
    // cancel it now, right behind it (IssueLocked submits both at once).
    // The request itself is in the ring whatever becomes of the cancel.
    IssueLocked(ring::Request::Cancel(request->user_data, 0), &IgnoredCompletion(),
                /*defer=*/false);
  } else {
    if (!in_own_loop || closed_) ring_->Submit();
    if (closed_) EnsureDrainer();
    HandOverRingIfUnowned();
  }
  UnlockAndWake(lock);
  return 0;
}

int CompletionPort::IssueLocked(ring::Request request, Operation* op, bool defer) {
  request.user_data = reinterpret_cast<uintptr_t>(op);
  int rc = ring_->Prepare(request);
  if (rc == -EBUSY) {
    ring_->Submit();
    rc = ring_->Prepare(request);
  }
  if (rc < 0) return rc;
  ++in_flight_;
  if (op->CancelRequested()) {
    // CancelIoEx or a close got there first and found nothing to cancel:
    // cancel it now, right behind it (submitted with it, at once).
    return IssueLocked(ring::Request::Cancel(request.user_data, 0), &IgnoredCompletion(),
                       /*defer=*/false);
  }
  if (!defer || closed_) ring_->Submit();
  if (closed_) EnsureDrainer();
  HandOverRingIfUnowned();
  return 0;
}

void CompletionPort::CancelLocked(IoOperation* target) {
  IssueLocked(ring::Request::Cancel(reinterpret_cast<uintptr_t>(target), 0), &IgnoredCompletion(),
              /*defer=*/false);
}

void CompletionPort::RunLocked(void (*fn)(void*), void* arg) {
  std::unique_lock<Lock> lock(mutex_);
  fn(arg);
  UnlockAndWake(lock);
}

void CompletionPort::AwaitCompletion(int64_t timeout_ns) {
  std::unique_lock<Lock> lock(mutex_);
  const unsigned to_submit = ring_->Publish();
  lock.unlock();
  ring_->Block(1, timeout_ns, to_submit);
  ReapNow();
}

void CompletionPort::ReapNow() {
  std::unique_lock<Lock> lock(mutex_);
  FlushPrepared();  // a batch of ours may hold the very request awaited
  Reap();
  ReleaseWaiters(nullptr);
  UnlockAndWake(lock);
}

void CompletionPort::OnThreadBlocked(ThreadState& self) {
  std::unique_lock<Lock> lock(mutex_);
  FlushPrepared();
  StopRunning(self);
  ReleaseWaiters(nullptr);
  HandOverRing(nullptr);  // a running slot is free: someone must reap
  UnlockAndWake(lock);
}

void CompletionPort::OnThreadUnblocked(ThreadState& self) {
  std::lock_guard<Lock> lock(mutex_);
  // May exceed the limit briefly, as on Windows (spec 18).
  ++running_;
  self.counted_running = true;
}

void CompletionPort::Disassociate(ThreadState& self) {
  std::unique_lock<Lock> lock(mutex_);
  FlushPrepared();
  StopRunning(self);
  ReleaseWaiters(nullptr);
  HandOverRing(nullptr);
  UnlockAndWake(lock);
}

void CompletionPort::Interrupt(Waiter* waiter) {
  // The waiter may have moved on (even to another port's stack); a signal is
  // then only a spurious wake-up, which every waiter tolerates.
  std::unique_lock<Lock> lock(mutex_);
  Signal(waiter);
  UnlockAndWake(lock);
}

CompletionPort::Stats CompletionPort::stats() {
  std::lock_guard<Lock> lock(mutex_);
  return Stats{queued_, waiting_, running_, in_flight_, pool_.chunk_allocations()};
}

}  // namespace winapi
