// CompletionPort: the I/O completion port with Windows' semantics.
//
// State, all under one mutex:
//   queue_     packets, FIFO (spec 16), in nodes from a per-port pool, so a
//              posted packet costs no heap allocation in steady state
//   waiters_   threads waiting in GQCS, a stack: the most recent waiter is on
//              top and is released first (LIFO, spec 17)
//   running_   associated threads that are running, for the concurrency limit
//              (spec 18): a waiter is released only while running_ < limit_
//
// Releasing hands a packet to a specific waiter (its Waiter record) and
// counts it running at once, so the LIFO and concurrency rules hold exactly
// no matter when the woken thread gets the CPU.
//
// I/O: each port owns a ring. Operations on handles associated with the port
// are prepared into it (Issue). A thread issuing from inside its own
// completion loop (it is associated with this port and running) leaves them
// prepared: they reach the kernel with its next wait, in the same system call
// (Publish + Block). Any other thread submits at once. No thread is ever
// dedicated to the ring: one of the waiting threads (the "ring waiter")
// sleeps in ring->Block and turns completions into packets; the others sleep
// on their own futex. When the ring waiter leaves while I/O is in flight and
// others wait, it hands the role to the top waiter.
#ifndef IOCP_WINAPI_PORT_H_
#define IOCP_WINAPI_PORT_H_

#include <stdint.h>

#include <memory>
#include <mutex>

#include "ring/ring.h"
#include "winapi/lock.h"
#include "winapi/object.h"
#include "winapi/packet.h"
#include "winapi/thread_state.h"

namespace winapi {

class IoObject;
class IoOperation;

// An overlapped operation in flight on a port's ring. The ring's user data is
// the Operation's address; its owner keeps it alive until OnComplete.
class Operation {
 public:
  virtual ~Operation() = default;
  // Runs under the port's lock when the ring reports the result. Returns true
  // to queue *packet.
  virtual bool OnComplete(int32_t result, uint32_t flags, Packet* packet) = 0;
  // Whether a cancel was asked for before the request reached the ring: the
  // issuer then cancels it right behind it (the cancel could not find it).
  virtual bool CancelRequested() { return false; }
};

// The completion of a cancel request (or anything else nobody waits for):
// OnComplete does nothing. One object for every ring.
Operation& IgnoredCompletion();

// Fixed-size packet nodes, allocated in chunks and recycled forever.
class PacketPool {
 public:
  struct Node {
    Packet packet;
    Node* next = nullptr;
  };
  PacketPool() = default;
  ~PacketPool();
  PacketPool(const PacketPool&) = delete;
  PacketPool& operator=(const PacketPool&) = delete;

  // Null only when memory is exhausted. Inline: every packet takes one.
  Node* Get() {
    Node* node = free_;
    if (node == nullptr) return GetFromNewChunk();
    free_ = node->next;
    return node;
  }
  void Put(Node* node) {
    node->next = free_;
    free_ = node;
  }
  uint64_t chunk_allocations() const { return chunk_allocations_; }

 private:
  Node* GetFromNewChunk();
  static constexpr int kChunkNodes = 256;
  struct Chunk {
    Node nodes[kChunkNodes];
    Chunk* next = nullptr;
  };
  Node* free_ = nullptr;
  Chunk* chunks_ = nullptr;
  uint64_t chunk_allocations_ = 0;
};

class CompletionPort final : public Object {
 public:
  enum class WaitResult { kDequeued, kTimeout, kAbandoned, kApc };

  // concurrency 0 = number of processors (spec 3). On failure returns null
  // and stores a Win32 error.
  static CompletionPort* Create(uint32_t concurrency, uint32_t* error);
  ~CompletionPort() override;

  // PostQueuedCompletionStatus. False if the port is closed.
  bool Post(const Packet& packet);

  // GetQueuedCompletionStatus(Ex): dequeues 1..capacity packets into `out`.
  WaitResult Dequeue(Packet* out, uint32_t capacity, uint32_t* count, uint32_t timeout_ms,
                     bool alertable);

  // GQCS's usual case in a worker's loop, inline: `self` is associated with
  // this port and counted running within the limit, and a packet is queued.
  // Takes the oldest packet, as Dequeue's direct take would, and returns
  // true; false (nothing done) for anything else, which Dequeue then
  // decides. Other threads may wait only while the running threads fill the
  // limit: then the direct take's release and ring hand-over (both only
  // while running_ < limit_) have nothing to do.
  bool TakeOne(const ThreadState& self, Packet* out) {
    mutex_.lock();
    if (head_ == nullptr || closed_ || !self.counted_running || running_ > limit_ ||
        (top_ != nullptr && running_ < limit_)) {
      mutex_.unlock();
      return false;
    }
    PopQueued(out);
    // A plain unlock: nothing was reaped, so no start was deferred and no
    // wake-up decided (UnlockAndWake's cases).
    mutex_.unlock();
    return true;
  }

  // Starts an operation on this port's ring (user_data is set to `op`).
  // Returns 0 or a negative errno (the operation did not start).
  int Issue(ring::Request request, Operation* op);
  // The same for a handle's request, which is linked on its handle's list of
  // requests in flight under this port's lock.
  // `request` is the caller's, and is changed (user data, registered file).
  // The caller has recorded it first (IoOperation::RememberForRestart).
  int IssueIo(ring::Request* request, IoOperation* op);

  // Runs fn(arg) under the port's lock: it may walk the in-flight lists of
  // the port's handles and call CancelLocked. Then makes any wake-up due.
  void RunLocked(void (*fn)(void*), void* arg);
  // Cancels `target`, which is in the kernel (under the port's lock).
  void CancelLocked(IoOperation* target);

  // For Operation::OnComplete only (the port's lock is held): starts the
  // next step of a multi-step request. Returns 0 or a negative errno.
  int ContinueLocked(ring::Request request, Operation* op) {
    return IssueLocked(request, op, /*defer=*/false);
  }

  // Blocked-elsewhere and thread-exit hooks (see ThreadState).
  void OnThreadBlocked(ThreadState& self);
  void OnThreadUnblocked(ThreadState& self);
  void Disassociate(ThreadState& self);

  // Turns whatever completions the ring holds into packets, now.
  void ReapNow();

  // Sleeps in the ring (beside any ring waiter) until a completion arrives
  // or `timeout_ns` passes, then reaps. For a thread waiting on one request
  // (GetOverlappedResult) of a handle whose port nobody else may be reaping.
  void AwaitCompletion(int64_t timeout_ns);

  // Wakes `waiter` if it is waiting here (an APC arrived).
  void Interrupt(Waiter* waiter);

  void OnLastHandleClosed() override;

  // Empties and frees a registered-file slot (the handle's object is being
  // destroyed: nothing prepared names the slot any more).
  void ReleaseFileSlot(int32_t slot);
  // Empties `object`'s slot if it was filled for an older descriptor.
  void DropStaleFileSlot(IoObject* object);

  uint32_t concurrency_limit() const { return limit_; }
  ring::Ring& ring() { return *ring_; }

  // Introspection for tests.
  struct Stats {
    uint32_t queued;
    uint32_t waiting;
    uint32_t running;
    uint32_t in_flight;
    uint64_t pool_chunk_allocations;
  };
  Stats stats();

 private:
  CompletionPort(uint32_t limit, std::unique_ptr<ring::Ring> ring);

  void AssociateThread(ThreadState& self);
  __attribute__((noinline)) WaitResult WaitLocked(ThreadState& self, std::unique_lock<Lock>& lock,
                                                  Packet* out, uint32_t capacity, uint32_t* count,
                                                  uint32_t timeout_ms, bool alertable);
  void PushWaiter(Waiter* waiter);
  void RemoveWaiter(Waiter* waiter);
  void Enqueue(const Packet& packet);
  // Inline: TakeOne and TakeQueued take every packet through it.
  bool PopQueued(Packet* packet) {
    PacketPool::Node* node = head_;
    if (node == nullptr) return false;
    head_ = node->next;
    if (head_ == nullptr) tail_ = nullptr;
    --queued_;
    *packet = node->packet;
    pool_.Put(node);
    return true;
  }
  uint32_t TakeQueued(Packet* out, uint32_t capacity);
  void Reap();
  int IssueLocked(ring::Request request, Operation* op, bool defer);
  void UseFileSlot(ring::Request* request, IoObject* object);
  void UseNewFileSlot(ring::Request* request, IoObject* object, uint32_t generation);
  void ReleaseWaiters(Waiter* self);
  void Signal(Waiter* waiter);
  void UnlockAndWake(std::unique_lock<Lock>& lock);
  void WakePending(std::unique_lock<Lock>& lock);
  void HandOverRing(Waiter* self);
  // After issuing: completions need a thread in the ring; if all waiters
  // sleep on futexes, the top one must take the role. Inline: a thread of a
  // server's loop issues with nobody waiting, or with the ring owned.
  void HandOverRingIfUnowned() {
    if (ring_waiter_ == nullptr && top_ != nullptr) HandOverRing(nullptr);
  }
  void FlushPrepared();
  void StopRunning(ThreadState& self);
  void EnsureDrainer();
  void DrainLoop();

  const uint32_t limit_;
  // IOCP_NO_BATCHING=1 in the environment when the port is created turns
  // batching off (every request is submitted at once): for measuring what
  // batching buys (tools/bench:file_bench), never needed otherwise.
  const bool batching_;
  std::unique_ptr<ring::Ring> ring_;

  Lock mutex_;
  PacketPool pool_;
  PacketPool::Node* head_ = nullptr;
  PacketPool::Node* tail_ = nullptr;
  uint32_t queued_ = 0;
  Waiter* top_ = nullptr;  // waiter stack
  uint32_t waiting_ = 0;
  uint32_t running_ = 0;
  uint32_t in_flight_ = 0;  // operations issued, completion not yet reaped
  Waiter* ring_waiter_ = nullptr;
  bool closed_ = false;
  // After the port handle is closed nobody calls GQCS, but requests of
  // handles still associated must finish (their OVERLAPPED, events, and the
  // objects they hold). A drainer thread reaps the ring while any are in
  // flight; their packets are dropped, as Windows drops them.
  bool drainer_running_ = false;

  // Registered files: sockets associated with the port name their
  // descriptor by a slot of the ring's file table, which spares the kernel
  // a descriptor lookup and release per request (3-5% of a raw io_uring
  // echo server's throughput here, docs/PERFORMANCE.md). The free slots are
  // under their own lock (an object may be destroyed under mutex_).
  static constexpr unsigned kFileSlots = 4096;
  static constexpr uint32_t kRequestsBeforeSlot = 4;  // short-lived sockets skip the two calls
  bool file_table_ = false;
  Lock slots_mutex_;
  std::unique_ptr<int32_t[]> free_slots_;
  unsigned free_slot_count_ = 0;

  // Wake-ups decided under the lock, made after it is released so that the
  // woken thread does not run into the lock its waker still holds.
  struct PendingWake {
    Waiter* waiter;
    bool through_ring;
  };
  static constexpr int kMaxPendingWakes = 16;
  PendingWake pending_wakes_[kMaxPendingWakes];
  int pending_wake_count_ = 0;
};

}  // namespace winapi

#endif  // IOCP_WINAPI_PORT_H_
