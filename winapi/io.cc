#include "winapi/io.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>

#include <new>
#include <thread>
#include <vector>

#include "ring/default_ring.h"
#include "winapi/api_util.h"
#include "winapi/clock.h"
#include "winapi/errors.h"
#include "winapi/futex.h"

namespace winapi {

inline void PutRecord(IoOperation* op);

namespace {

// OVERLAPPED's fields, by offset (the Windows layout, asserted in api_file.cc).
struct OverlappedFields {
  uintptr_t internal;
  uintptr_t internal_high;
};

void StoreCompletion(void* overlapped, uint32_t status, uint32_t bytes) {
  auto* fields = static_cast<OverlappedFields*>(overlapped);
  __atomic_store_n(&fields->internal_high, uintptr_t{bytes}, __ATOMIC_RELAXED);
  // Internal last, with release: whoever sees it no longer pending sees the
  // byte count too (HasOverlappedIoCompleted, GetOverlappedResult).
  __atomic_store_n(&fields->internal, uintptr_t{status}, __ATOMIC_RELEASE);
}

constexpr uint8_t kSkipSetEventOnHandle = 0x2;  // FILE_SKIP_SET_EVENT_ON_HANDLE

// The event an OVERLAPPED.hEvent value names (its low bit is the
// no-packet flag, spec 28), with a reference; empty if none or not an event.
__attribute__((noinline)) RefPtr<Event> LookupRequestEvent(uintptr_t handle) {
  auto found = LookupAs<Event>(reinterpret_cast<void*>(handle), ObjectKind::kEvent);
  return found ? RefPtr<Event>::Share(found.get()) : RefPtr<Event>();
}
// Inline: the port's requests have no event, and say so in one test.
inline RefPtr<Event> RequestEvent(uintptr_t event_value) {
  const uintptr_t handle = event_value & ~uintptr_t{1};
  if (handle == 0) return {};
  return LookupRequestEvent(handle);
}

}  // namespace

uint32_t IoStatus(IoKind kind, int32_t result, uint32_t requested) {
  if (result == 0 && kind == IoKind::kRead && requested > 0) return kStatusEndOfFile;
  return StatusFromErrno(result);
}

// --- IoOperation ---

bool IoOperation::Finish(int32_t result, Packet* packet, RefPtr<CompletionPort>* port_out) {
  IoObject* object = owner;
  if (result == -EINTR && cancel_requested.load(std::memory_order_acquire)) {
    // The kernel interrupts a request it was already executing when a cancel
    // reaches it (the cancel itself reports -EALREADY): that is Windows'
    // cancellation too.
    result = -ECANCELED;
  }
  uint32_t bytes = 0;
  const uint32_t status = object->CompleteOperation(this, result, &bytes);
  const bool receive = kind == IoKind::kRecv || kind == IoKind::kPoll;

  if (sync != nullptr) {
    // A synchronous call waits for this very request: no packet, no event.
    sync->result = result;
    sync->status = status;
    if (overlapped) StoreCompletion(overlapped, status, bytes);
  } else {
    if (receive) {
      // Receive flags for WSAGetOverlappedResult: Windows keeps socket
      // bookkeeping in Offset too (spec 26). None is reported here
      // (MSG_PARTIAL is for message-mode protocols; a truncated datagram
      // reports WSAEMSGSIZE instead).
      static_cast<uint32_t*>(overlapped)[4] = 0;
    }
    StoreCompletion(overlapped, status, bytes);
    if (RefPtr<Event> target = RequestEvent(event)) target->Set();
  }
  if ((object->notification_modes() & kSkipSetEventOnHandle) == 0 && kind != IoKind::kSelect) {
    object->SetSignaled(true);  // spec 30
  }

  bool queue = false;
  if (extension != nullptr && extension->routine != nullptr) {
    QueueCompletionRoutine(extension->routine, extension->routine_kind, extension->routine_thread,
                           status, bytes, overlapped, 0);
    extension->routine_thread = nullptr;             // the queued call owns the reference now
  } else if (sync == nullptr && (event & 1) == 0) {  // spec 28: hEvent | 1, no packet
    CompletionPort* port = object->port();           // chosen now (spec 7)
    if (port != nullptr) {
      packet->key = object->key();
      packet->overlapped = overlapped;
      packet->status = status;
      packet->bytes = bytes;
      if (port_out != nullptr) *port_out = RefPtr<CompletionPort>::Share(port);
      queue = true;
    }
  }
  const bool release = object->UnlinkLocked(this);
  SyncWait* waiter = sync;
  owner = nullptr;
  OperationPool::Put(this);
  if (release) object->Unref();  // the closed handle's last request
  if (waiter != nullptr) {
    // The waiter may return (and its SyncWait go) as soon as it sees this.
    std::atomic<uint32_t>* done = &waiter->done;
    done->store(1, std::memory_order_release);
    FutexWakeOne(done);
  }
  return queue;
}

bool IoOperation::CancelRequested() {
  // Cancel stores the flag before it takes the issuer's lock, and the issuer
  // reads it under that lock after queuing: one of the two sees the other.
  return cancel_requested.load(std::memory_order_acquire);
}

bool IoOperation::Advance(int32_t* result, ring::Request* next) {
  if (!owner->ContinueOperation(this, *result, next)) return false;
  if (!cancel_requested.load(std::memory_order_acquire)) return true;
  // A cancel (CancelIoEx, close) that arrived while this step was completing
  // still ends the request; the next step's state is released by
  // CompleteOperation, which sees the stage reached.
  *result = -ECANCELED;
  return false;
}

// A server's one-buffer socket receive or send that succeeded, issued on its
// port's ring without an event or a synchronous waiter: Finish's steps for
// it alone (no cancel, event, routine or waiter to consider), which every
// message of an IOCP server takes twice.
inline bool IoOperation::FinishOnPort(int32_t result, Packet* packet) {
  IoObject* object = owner;
  uint32_t bytes;
  const uint32_t status = object->CompleteOperation(this, result, &bytes);
  // Receive flags for WSAGetOverlappedResult (spec 26): none, as in Finish.
  if (kind == IoKind::kRecv) static_cast<uint32_t*>(overlapped)[4] = 0;
  StoreCompletion(overlapped, status, bytes);
  if ((object->notification_modes() & kSkipSetEventOnHandle) == 0) object->SetSignaled(true);
  // The handle's port, for life: the one reaping this.
  packet->key = object->key();
  packet->overlapped = overlapped;
  packet->status = status;
  packet->bytes = bytes;
  const bool release = object->UnlinkLocked(this);
  owner = nullptr;
  PutRecord(this);
  if (release) object->Unref();  // the closed handle's last request
  return true;
}

bool IoOperation::OnComplete(int32_t result, uint32_t, Packet* packet) {
  // Called under the issuing port's lock: the handle was associated with that
  // port when the request started, and associations are for life.
  in_flight.store(false, std::memory_order_release);
  if (extension == nullptr && result >= 0 && (kind == IoKind::kRecv || kind == IoKind::kSend) &&
      sync == nullptr && event == 0) {
    return FinishOnPort(result, packet);
  }
  if (__builtin_expect(result == -ECANCELED, 0) && RestartAfterSubmitterExit(result)) return false;
  // Only a request with an extension (or a select watch) has a next step:
  // the one-buffer receives and sends of a server's loop skip the call.
  if (extension != nullptr || kind == IoKind::kSelect) {
    result = ConnectOutcome(result);
    ring::Request next;
    if (Advance(&result, &next)) {
      const int rc = ContinueLocked(next);
      if (rc == 0) return false;
      result = rc;  // the next step did not start
    }
  }
  // The packet goes to this very port (the handle's, for life), which the
  // caller holds: no reference needed.
  return Finish(result, packet, nullptr);
}

// --- Requests whose submitting thread exited ---

bool IoOperation::RestartAfterSubmitterExit(int32_t result) {
  // Only what Windows would not have cancelled, and that nobody cancelled
  // (every cancel stores the flag before its cancel request reaches the
  // ring): a request of a handle with a port, neither synchronous nor with
  // an event (spec 38); and WSAEventSelect's watch, which is the socket's.
  if (result != -ECANCELED || cancel_requested.load(std::memory_order_acquire) || sync != nullptr) {
    return false;
  }
  if (kind != IoKind::kSelect && (event != 0 || owner->port() == nullptr)) return false;
  ring::Request request;
  if (extension != nullptr) {
    request = extension->restart_request;
    if (request.op == ring::Op::kNop) return false;  // never recorded
    if (request.op == ring::Op::kConnect) {
      request = ring::Request::PollAdd(request.fd, POLLOUT, 0);
      extension->connect_by_poll = true;
    }
  } else {
    using namespace restart_packing;  // NOLINT: its constants, below
    if (restart_op == kNoRestart) return false;
    const auto op = static_cast<ring::Op>(restart_op);
    request.op = op;
    request.fd = owner->fd();
    request.addr = restart_addr;
    request.len = requested;
    if (IsReadOrWrite(op)) {
      request.offset = (restart_flags & kCurrentPosition) ? ring::kCurrentPosition
                                                          : OverlappedOffset(overlapped);
    } else {
      request.op_flags = (restart_flags & kLowFlags) |
                         ((restart_flags & kWaitAll) ? uint32_t{MSG_WAITALL} : 0) |
                         ((restart_flags & kNoSignal) ? uint32_t{MSG_NOSIGNAL} : 0);
    }
  }
  return ReissueLocked(request) == 0;
}

int IoOperation::ContinueLocked(ring::Request next) {
  RememberForRestart(next);
  return ReissueLocked(next);
}

int IoOperation::ReissueLocked(ring::Request request) {
  request.user_data = reinterpret_cast<uintptr_t>(this);
  const int rc = port_issuer != nullptr ? port_issuer->ContinueLocked(request, this)
                                        : IoService::Get().ContinueLocked(request, this);
  if (rc == 0) in_flight.store(true, std::memory_order_release);
  return rc;
}

int32_t IoOperation::ConnectOutcome(int32_t result) {
  if (extension == nullptr || !extension->connect_by_poll) return result;
  extension->connect_by_poll = false;
  if (result < 0) return result;  // the poll itself ended (a cancel)
  int error = 0;
  socklen_t length = sizeof(error);
  const int rc =
      ring::DefaultSystem().GetSockOpt(owner->fd(), SOL_SOCKET, SO_ERROR, &error, &length);
  if (rc < 0) return rc;
  return error != 0 ? -error : 0;
}

// --- Synchronous requests ---

void SyncWait::Await() {
  BlockingScope blocked;  // the port may run another worker meanwhile
  while (done.load(std::memory_order_acquire) == 0) FutexWait(&done, 0, -1);
}

uint32_t IoObject::StartAndWait(ring::Request request, IoOperation* op, uint32_t* bytes) {
  SyncWait wait;
  wait.Attach(op);
  const int rc = Start(request, op);
  if (rc < 0) return StatusFromErrno(rc);
  wait.Await();
  *bytes = wait.result > 0 ? static_cast<uint32_t>(wait.result) : 0;
  return wait.status;
}

// --- Default completion of files ---

bool IoObject::ContinueOperation(IoOperation*, int32_t, ring::Request*) { return false; }

uint32_t IoObject::CompleteOperation(IoOperation* op, int32_t result, uint32_t* bytes) {
  *bytes = result > 0 ? static_cast<uint32_t>(result) : 0;
  return IoStatus(op->kind, result, op->requested);
}

// --- RequestExtension ---

bool RequestExtension::ReserveBuffers(uint32_t count) {
  if (count <= kInlineBuffers) return true;
  buffers = new (std::nothrow) iovec[count];
  if (buffers == nullptr) {
    buffers = inline_buffers;
    return false;
  }
  return true;
}

void RequestExtension::Reset() {
  if (buffers != inline_buffers) delete[] buffers;
  buffers = inline_buffers;
  message = msghdr{};
  address_length = 0;
  from = nullptr;
  from_length = nullptr;
  stage = 0;
  accepted_fd = -1;
  if (accept_target != nullptr) accept_target->Unref();
  accept_target = nullptr;
  output = nullptr;
  receive_length = local_length = remote_length = 0;
  send_data = nullptr;
  send_length = 0;
  flags = 0;
  forced_status = 0;
  restart_request = ring::Request{};  // kNop: nothing recorded
  connect_by_poll = false;
  datagram = false;
  queue_next = nullptr;
  if (routine_thread != nullptr) routine_thread->Unref();
  routine = nullptr;
  routine_kind = RoutineKind::kWinsock;
  routine_thread = nullptr;
  if (transmit_file != nullptr) transmit_file->Unref();
  transmit_file = nullptr;
  delete[] transmit_buffer;
  transmit_buffer = nullptr;
  head = tail = nullptr;
  head_length = tail_length = 0;
  file_offset = file_remaining = 0;
  chunk_length = step_done = 0;
  total_sent = 0;
}

// --- Record pools ---

namespace {

// A free list of records of type T (linked through T::*kLink) behind a
// small per-thread cache: a worker that issues and completes requests takes
// and returns records without a lock; the global list is touched in
// batches. Grows by kChunk records, never shrinks.
template <typename T, T* T::*kLink, int kChunk>
class RecordPool {
 public:
  static T* Get() {
    Local& local = local_;
    if (local.head != nullptr) {  // only an active cache holds records
      T* record = local.head;
      local.head = record->*kLink;
      --local.count;
      return record;
    }
    return GetSlow(&local);
  }

  static void Put(T* record) {
    Local& local = local_;
    if (local.state == kActive && local.count < kLocalMax) {
      record->*kLink = local.head;
      local.head = record;
      ++local.count;
      return;
    }
    PutSlow(&local, record);
  }

 private:
  static constexpr int kBatch = 32;
  static constexpr int kLocalMax = 4 * kBatch;

  // The cache's life: unused until the thread first takes a batch (its
  // exit flush is registered then), active, flushed once the thread exits
  // (other thread_local destructors may still finish requests: the global
  // list serves them).
  enum State : uint8_t { kUnused, kActive, kFlushed };
  // Plain data, so that it stays usable while the thread is being torn down.
  struct Local {
    T* head;
    int count;
    State state;
  };
  struct Flusher {
    ~Flusher() {  // thread exit: everything back to the global list
      std::lock_guard<Lock> lock(mutex_);
      while (local_.head != nullptr) {
        T* record = local_.head;
        local_.head = record->*kLink;
        record->*kLink = free_;
        free_ = record;
      }
      local_.count = 0;
      local_.state = kFlushed;
    }
  };

  // Registers the exit flush the first time; false once flushed.
  static bool Activate(Local* local) {
    if (local->state == kUnused) {
      thread_local Flusher flusher;
      (void)flusher;
      local->state = kActive;
    }
    return local->state == kActive;
  }

  __attribute__((noinline)) static T* GetSlow(Local* local) {
    const bool cache = Activate(local);
    std::lock_guard<Lock> lock(mutex_);
    if (free_ == nullptr) {
      auto* chunk = new (std::nothrow) T[kChunk];
      if (chunk == nullptr) return nullptr;
      for (int i = 0; i < kChunk; ++i) {
        chunk[i].*kLink = free_;
        free_ = &chunk[i];
      }
    }
    T* record = free_;
    free_ = record->*kLink;
    for (int i = 0; cache && i < kBatch && free_ != nullptr; ++i) {
      T* spare = free_;
      free_ = spare->*kLink;
      spare->*kLink = local->head;
      local->head = spare;
      ++local->count;
    }
    return record;
  }

  __attribute__((noinline)) static void PutSlow(Local* local, T* record) {
    std::lock_guard<Lock> lock(mutex_);
    record->*kLink = free_;
    free_ = record;
    if (!Activate(local)) return;
    // Too many here (this thread completes more than it issues): a batch
    // goes back with this one.
    for (int i = 0; i < kBatch && local->head != nullptr; ++i) {
      T* back = local->head;
      local->head = back->*kLink;
      --local->count;
      back->*kLink = free_;
      free_ = back;
    }
  }

  static inline Lock mutex_;
  static inline T* free_ = nullptr;
  static inline thread_local Local local_ = {nullptr, 0, kUnused};
};

using OperationRecords = RecordPool<IoOperation, &IoOperation::next, 256>;
using ExtensionRecords = RecordPool<RequestExtension, &RequestExtension::free_next, 32>;

// The record's size is most of an idle connection's memory (a pending
// receive needs nothing else but its socket): keep it here.
static_assert(sizeof(IoOperation) <= 104, "IoOperation grew: see docs/PERFORMANCE.md");

}  // namespace

RequestExtension* IoOperation::Extend() {
  if (extension == nullptr) extension = ExtensionRecords::Get();
  return extension;
}

IoOperation* OperationPool::Get() {
  IoOperation* op = OperationRecords::Get();
  if (op == nullptr) return nullptr;
  op->next = op->prev = nullptr;
  // Only the thread that took the record writes its serial: no
  // read-modify-write needed.
  op->serial.store(op->serial.load(std::memory_order_relaxed) + 1, std::memory_order_release);
  return op;
}

IoOperation* OperationPool::GetExtended() {
  IoOperation* op = Get();
  if (op == nullptr || op->Extend() != nullptr) return op;
  Put(op);
  return nullptr;
}

// Put's body, inline in this file (a request's completion recycles it).
__attribute__((always_inline)) inline void PutRecord(IoOperation* op) {
  if (op->extension != nullptr) {
    op->extension->Reset();
    ExtensionRecords::Put(op->extension);
    op->extension = nullptr;
  }
  op->overlapped = nullptr;
  op->event = 0;
  op->sync = nullptr;
  op->port_issuer = nullptr;
  op->in_flight.store(false, std::memory_order_release);
  op->cancel_requested.store(false, std::memory_order_relaxed);
  op->linked = false;
  op->sequenced = false;
  op->restart_op = IoOperation::kNoRestart;  // recorded anew by the next use
  op->prev = nullptr;
  OperationRecords::Put(op);
}

void OperationPool::Put(IoOperation* op) { PutRecord(op); }

// --- IoObject ---

IoObject::IoObject(ObjectKind kind, int fd, bool overlapped)
    : Waitable(kind), overlapped_(overlapped), fd_(fd) {}

IoObject::~IoObject() {
  if (CompletionPort* port = port_.load(std::memory_order_relaxed)) {
    // Only now does the socket really close (the slot held the file too).
    if (file_slot_ >= 0) port->ReleaseFileSlot(file_slot_);
    port->Unref();
  }
}

void IoObject::DropStaleFileSlot() {
  if (CompletionPort* port = this->port()) port->DropStaleFileSlot(this);
}

bool IoObject::Associate(CompletionPort* port, uintptr_t key) {
  std::lock_guard<Lock> lock(mutex_);
  if (port_.load(std::memory_order_relaxed) != nullptr) return false;
  port->Ref();  // the port lives while an associated handle does (spec 10)
  key_ = key;
  port_.store(port, std::memory_order_release);
  return true;
}

void IoObject::Signal() {
  // Stored, then waiting() read: the waiter side of this Dekker pair pays
  // for the fence (Dispatcher::OrderAgainstSignalers).
  if (Dispatcher::AsymmetricFences()) {
    signaled_.store(true, std::memory_order_release);
    std::atomic_signal_fence(std::memory_order_seq_cst);
  } else {
    signaled_.store(true, std::memory_order_seq_cst);
  }
  if (waiting().load(std::memory_order_seq_cst) > 0) {
    Dispatcher::NotifyAll();  // orders the store before any waiter's re-check
  }
}

void IoObject::PinIfClosedLocked(bool port_list) {
  bool& pinned = port_list ? port_pinned_ : service_pinned_;
  IoOperation* head = port_list ? port_requests_ : service_requests_;
  if (pinned || head == nullptr || !handle_closed_.load(std::memory_order_acquire)) return;
  pinned = true;
  Ref();
}

namespace {

struct LinkCall {
  IoObject* object;
  IoOperation* op;
  bool link;
  bool release;
};

void RunLinkCall(void* argument) {
  auto* call = static_cast<LinkCall*>(argument);
  if (call->link) {
    call->object->LinkLocked(call->op);
  } else {
    call->release = call->object->UnlinkLocked(call->op);
  }
}

}  // namespace

void IoObject::LinkNow(IoOperation* op) {
  LinkCall call{this, op, true, false};
  if (op->port_issuer != nullptr) {
    op->port_issuer->RunLocked(&RunLinkCall, &call);
  } else {
    std::lock_guard<Lock> lock(IoService::Get().mutex());
    RunLinkCall(&call);
  }
}

void IoObject::UnlinkNow(IoOperation* op) {
  LinkCall call{this, op, false, false};
  if (op->port_issuer != nullptr) {
    op->port_issuer->RunLocked(&RunLinkCall, &call);
  } else if (IoService* service = IoService::Existing()) {
    std::lock_guard<Lock> lock(service->mutex());
    RunLinkCall(&call);
  }
  if (call.release) Unref();
}

bool IoObject::HasRequests() {
  struct Check {
    IoObject* object;
    bool any;
  } check{this, false};
  if (CompletionPort* port = this->port()) {
    port->RunLocked(
        [](void* argument) {
          auto* c = static_cast<Check*>(argument);
          c->any = c->object->port_requests_ != nullptr;
        },
        &check);
  }
  if (check.any) return true;
  if (IoService* service = IoService::Existing()) {
    std::lock_guard<Lock> lock(service->mutex());
    return service_requests_ != nullptr;
  }
  return false;
}

uintptr_t CurrentThreadKey() { return reinterpret_cast<uintptr_t>(&ThreadState::Current()); }

void IoObject::Prepare(IoOperation* op) {
  op->owner = this;
  op->thread_key = CurrentThreadKey();
  // Starting I/O resets the handle and the request's event (as Windows does);
  // WSAEventSelect's watch is not the program's I/O.
  if (op->sync == nullptr && op->kind != IoKind::kSelect) {
    SetSignaled(false);
    if (RefPtr<Event> target = RequestEvent(op->event)) target->Reset();
  }
  // A port's ring is reaped by the threads that wait on the port. Requests
  // somebody may wait for otherwise go to the IoService, whose reaper
  // completes them on its own (and still queues their packet on the port,
  // spec 7): a synchronous call's request, and one with an hEvent, which a
  // program may wait on (WaitForSingleObject) without calling GQCS. The
  // IOCP hot path (hEvent NULL) stays on the port's ring. TransmitFile goes
  // there too: its later steps move data, which must not wait for a reaper.
  op->port_issuer = op->sync != nullptr || op->event != 0 || op->kind == IoKind::kTransmit
                        ? nullptr
                        : this->port();
}

int IoObject::Issue(ring::Request request, IoOperation* op) {
  CompletionPort* port = op->port_issuer;
  if (port == nullptr) return IoService::Get().Issue(request, op);
  op->RememberForRestart(request);
  return port->IssueIo(&request, op);
}

int IoObject::Start(ring::Request request, IoOperation* op) {
  Prepare(op);
  int rc = Issue(request, op);
  if (rc < 0) {
    op->owner = nullptr;
    OperationPool::Put(op);
  }
  return rc;
}

// --- Requests whose turn came while their issuer's lock was held ---

constinit thread_local IoOperation* deferred_start_head = nullptr;
namespace {
thread_local IoOperation* deferred_tail = nullptr;
}  // namespace

void DeferStart(IoOperation* op) {
  op->extension->queue_next = nullptr;
  if (deferred_tail) {
    deferred_tail->extension->queue_next = op;
  } else {
    deferred_start_head = op;
  }
  deferred_tail = op;
}

void RunDeferredStartsSlow() {
  while (deferred_start_head != nullptr) {
    IoOperation* op = deferred_start_head;
    deferred_start_head = op->extension->queue_next;
    if (deferred_start_head == nullptr) deferred_tail = nullptr;
    op->extension->queue_next = nullptr;
    IoObject* owner = op->owner;
    const bool release = op->deferred_ref;
    op->deferred_ref = false;
    owner->StartQueued(op);
    if (release) owner->Unref();
  }
}

void IoObject::StartQueued(IoOperation*) {}

template <typename CancelFn>
int IoObject::CancelList(IoOperation* head, const void* overlapped, uintptr_t thread_key,
                         const IoObject* accept_target, CancelFn cancel) {
  int count = 0;
  for (IoOperation* op = head; op != nullptr; op = op->next) {
    if (overlapped != nullptr && op->overlapped != overlapped) continue;
    if (accept_target != nullptr &&
        (op->extension == nullptr || op->extension->accept_target != accept_target)) {
      continue;
    }
    if (thread_key != 0 && op->thread_key != thread_key) continue;
    if (op->cancel_requested.load(std::memory_order_relaxed)) continue;  // spec 33
    op->cancel_requested.store(true, std::memory_order_release);
    // A request waiting its turn (not in the kernel) sees the flag when its
    // turn comes; one between two steps sees it before the next.
    if (op->in_flight.load(std::memory_order_acquire)) cancel(op);
    ++count;
  }
  return count;
}

int IoObject::Cancel(const void* overlapped, uintptr_t thread_key, const IoObject* accept_target) {
  struct PortPass {
    IoObject* object;
    CompletionPort* port;
    const void* overlapped;
    uintptr_t thread_key;
    const IoObject* accept_target;
    int count;
  };
  PortPass pass{this, this->port(), overlapped, thread_key, accept_target, 0};
  if (pass.port != nullptr) {
    pass.port->RunLocked(
        [](void* argument) {
          auto* p = static_cast<PortPass*>(argument);
          p->object->PinIfClosedLocked(/*port_list=*/true);
          p->count = p->object->CancelList(p->object->port_requests_, p->overlapped, p->thread_key,
                                           p->accept_target,
                                           [p](IoOperation* op) { p->port->CancelLocked(op); });
        },
        &pass);
  }
  int count = pass.count;
  if (IoService* service = IoService::Existing()) {
    std::lock_guard<Lock> lock(service->mutex());
    PinIfClosedLocked(/*port_list=*/false);
    count += CancelList(
        service_requests_, overlapped, thread_key, accept_target,
        [service](IoOperation* op) { service->CancelLocked(reinterpret_cast<uintptr_t>(op)); });
  }
  return count;
}

void IoObject::OnLastHandleClosed() {
  // Before the passes below, which pin the object for the requests still
  // linked (Cancel takes each list's lock; a request linked later sees it).
  handle_closed_.store(true, std::memory_order_seq_cst);
  // Whatever is still in flight ends now, with a cancellation status.
  Cancel(nullptr, 0);
}

// --- IoService ---

namespace {
std::atomic<IoService*> existing_service{nullptr};
}  // namespace

IoService& IoService::Get() {
  static IoService* const service = [] {
    auto* created = new IoService();
    existing_service.store(created, std::memory_order_release);
    return created;
  }();
  return *service;
}

IoService* IoService::Existing() { return existing_service.load(std::memory_order_acquire); }

IoService::IoService() {
  int error = 0;
  ring_ = ring::CreateDefaultRing(ring::RingOptions{256}, &error);
  if (!ring_) return;
  std::thread([this] { ReaperLoop(); }).detach();
}

int IoService::Issue(ring::Request request, IoOperation* op) {
  if (!ring_) return -ENOSYS;
  request.user_data = reinterpret_cast<uintptr_t>(op);
  std::lock_guard<Lock> lock(mutex_);
  const bool newly_linked = !op->linked;
  if (newly_linked) op->owner->LinkLocked(op);  // may mark it cancelled (a closed handle)
  op->in_flight.store(true, std::memory_order_relaxed);
  op->RememberForRestart(request);
  int rc = PrepareLocked(request);
  if (rc < 0) {
    op->in_flight.store(false, std::memory_order_relaxed);
    // Not its last request: the caller, which still uses the object, holds a
    // handle or a linked request.
    if (newly_linked) op->owner->UnlinkLocked(op);
    return rc;
  }
  // A cancel came first and found nothing (see CompletionPort::IssueLocked).
  if (op->CancelRequested()) CancelLocked(request.user_data);
  return 0;
}

int IoService::ContinueLocked(const ring::Request& request, IoOperation* op) {
  const int rc = PrepareLocked(request);
  if (rc == 0 && op->CancelRequested()) CancelLocked(request.user_data);
  return rc;
}

void IoService::CancelLocked(uint64_t target) {
  ring::Request cancel = ring::Request::Cancel(target, 0);
  cancel.user_data = reinterpret_cast<uintptr_t>(&IgnoredCompletion());
  PrepareLocked(cancel);
}

int IoService::PrepareLocked(const ring::Request& request) {
  int rc = ring_->Prepare(request);
  if (rc == -EBUSY) {
    ring_->Submit();
    rc = ring_->Prepare(request);
  }
  if (rc < 0) return rc;
  ring_->Submit();
  return 0;
}

void IoService::Cancel(IoOperation* op, uint32_t serial) {
  std::lock_guard<Lock> lock(mutex_);
  if (op->serial.load(std::memory_order_acquire) != serial ||
      !op->in_flight.load(std::memory_order_acquire)) {
    return;
  }
  // As every cancel: the flag first (its -ECANCELED is then no restart).
  op->cancel_requested.store(true, std::memory_order_release);
  CancelLocked(reinterpret_cast<uintptr_t>(op));
}

void IoService::ReaperLoop() {
  ring::Completion batch[64];
  for (;;) {
    ring_->Block(1, -1, 0);
    std::vector<std::pair<RefPtr<CompletionPort>, Packet>> posts;
    {
      std::lock_guard<Lock> lock(mutex_);
      int n = ring_->Peek(batch, 64);
      for (int i = 0; i < n; ++i) {
        auto* op = reinterpret_cast<Operation*>(static_cast<uintptr_t>(batch[i].user_data));
        if (op == &IgnoredCompletion()) continue;
        auto* io = static_cast<IoOperation*>(op);
        io->in_flight.store(false, std::memory_order_release);
        int32_t result = batch[i].result;
        if (__builtin_expect(result == -ECANCELED, 0) && io->RestartAfterSubmitterExit(result)) {
          continue;
        }
        result = io->ConnectOutcome(result);
        ring::Request next;
        if (io->Advance(&result, &next)) {
          const int rc = io->ContinueLocked(next);
          if (rc == 0) continue;
          result = rc;
        }
        Packet packet;
        RefPtr<CompletionPort> port;
        if (io->Finish(result, &packet, &port)) posts.emplace_back(std::move(port), packet);
      }
    }
    // The handle was associated after the request started: the packet goes
    // to that port now (spec 7).
    for (auto& [port, packet] : posts) port->Post(packet);
    RunDeferredStarts();
  }
}

// --- Completion routines ---

namespace {

struct RoutineCall {
  CompletionRoutine routine;
  RoutineKind kind;
  uint32_t error;
  uint32_t bytes;
  void* overlapped;
  uint32_t flags;
};

void RunRoutineCall(uintptr_t argument) {
  auto* call = reinterpret_cast<RoutineCall*>(argument);
  auto copy = *call;
  delete call;
  if (copy.kind == RoutineKind::kFile) {
    reinterpret_cast<FileCompletionRoutine>(reinterpret_cast<void (*)()>(copy.routine))(
        copy.error, copy.bytes, copy.overlapped);
  } else {
    copy.routine(copy.error, copy.bytes, copy.overlapped, copy.flags);
  }
}

}  // namespace

void QueueCompletionRoutine(CompletionRoutine routine, RoutineKind kind, SharedThreadState* thread,
                            uint32_t status, uint32_t bytes, void* overlapped, uint32_t flags) {
  // One small allocation per call: completion routines are the
  // Windows-without-a-port path, not the IOCP hot path.
  const uint32_t error = status == kStatusSuccess     ? 0
                         : kind == RoutineKind::kFile ? Win32FromStatus(status)
                                                      : WinsockFromStatus(status);
  auto* call = new (std::nothrow) RoutineCall{routine, kind, error, bytes, overlapped, flags};
  if (call != nullptr && !thread->Queue(&RunRoutineCall, reinterpret_cast<uintptr_t>(call))) {
    delete call;  // the thread has exited: nobody is left to call
  }
  thread->Unref();
}

// --- Waiting for one operation ---

uint32_t WaitForOperation(IoObject* object, void* overlapped, uint32_t timeout_ms, bool alertable) {
  auto* fields = static_cast<OverlappedFields*>(overlapped);
  // OVERLAPPED.hEvent: the fourth pointer-sized field (offset 24).
  const uintptr_t event_value = reinterpret_cast<uintptr_t>(static_cast<void**>(overlapped)[3]);
  const int64_t deadline_ns = DeadlineFromMs(timeout_ms);
  ThreadState& self = ThreadState::Current();
  BlockingScope blocked;
  for (;;) {
    if (__atomic_load_n(&fields->internal, __ATOMIC_ACQUIRE) != kStatusPending) return 0;
    if (alertable && self.shared->HasPending()) {
      self.shared->RunAll();
      return kWaitIoCompletion;
    }
    const int64_t remaining_ns = RemainingNs(deadline_ns);
    if (remaining_ns == 0) return kWaitTimeout;
    if (CompletionPort* port = object->port()) {
      // A request on a port's ring completes when someone reaps that ring,
      // and nobody may be waiting on the port: sleep in the ring ourselves,
      // in slices, in case another thread reaps it first.
      constexpr int64_t kSliceNs = 10'000'000;
      port->AwaitCompletion(remaining_ns < 0 || remaining_ns > kSliceNs ? kSliceNs : remaining_ns);
      continue;
    }
    // The IoService's reaper completes it: wait on the event, or the handle.
    RefPtr<Event> event = RequestEvent(event_value);
    Waitable* target = event ? static_cast<Waitable*>(event.get()) : object;
    const uint32_t slice_ms =
        remaining_ns < 0 ? 10 : static_cast<uint32_t>(remaining_ns / 1000000 + 1);
    Waitable* targets[1] = {target};
    uint32_t result = WaitForMultiple(targets, 1, false, slice_ms < 10 ? slice_ms : 10, alertable);
    if (result == kWaitIoCompletion) return result;
  }
}

}  // namespace winapi
