// Overlapped I/O on handles (files now, sockets next): the object a file or
// socket handle names, the record of one request in flight, and where
// requests of handles without a port go.
//
// IoObject: a descriptor plus Windows' per-handle I/O state: the completion
//   port and key it is associated with (once, for life: spec 2, 5), the
//   notification modes (spec 29-31), a signalled state (the handle itself is
//   waitable and is signalled when an operation completes, unless
//   FILE_SKIP_SET_EVENT_ON_HANDLE), and the lists of operations in flight
//   (for CancelIo/CancelIoEx and close): one per issuer, each guarded by its
//   issuer's lock, which the request's start and completion hold anyway, so
//   keeping the list costs no lock of its own.
// IoOperation: one request. Its address is the ring's user data; records are
//   pooled and never freed (type-stable), and each use has a new serial
//   number, so a cancel aimed at a record that completed and was reused is
//   recognised and skipped.
// Issuer: where a request was submitted: the handle's port (its ring, its
//   lock) or, for a handle with no port, the process's IoService (one ring
//   and one reaper thread, off the IOCP hot path).
//
// Completion (IoOperation::Finish) does what the I/O manager does, in order:
// OVERLAPPED.InternalHigh and Internal (spec 19), the event (hEvent, low bit
// masked: spec 28), the handle's signalled state, then the packet, to
// whatever port the handle is associated with *now* (spec 7) unless
// hEvent's low bit is set.
//
// Lock order: issuer (port or service) -> IoObject::mutex_ -> dispatcher.
// CancelIoEx walks each issuer's list under that issuer's lock.
#ifndef IOCP_WINAPI_IO_H_
#define IOCP_WINAPI_IO_H_

#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "ring/ring.h"
#include "winapi/object.h"
#include "winapi/packet.h"
#include "winapi/port.h"
#include "winapi/waitable.h"

namespace winapi {

class IoObject;
class IoService;
class SharedThreadState;

// A completion routine as the library stores it: Winsock's four-argument
// shape (error, bytes, OVERLAPPED*, flags). A file routine
// (LPOVERLAPPED_COMPLETION_ROUTINE: error, bytes, OVERLAPPED*) is stored
// cast to this type and cast back before the call.
using CompletionRoutine = void (*)(uint32_t error, uint32_t bytes, void* overlapped,
                                   uint32_t flags);
using FileCompletionRoutine = void (*)(uint32_t error, uint32_t bytes, void* overlapped);
// Which shape, and which error numbers: Winsock's (WSARecv/WSASend) or the
// Win32 ones (ReadFileEx/WriteFileEx).
enum class RoutineKind : uint8_t { kWinsock, kFile };

// OVERLAPPED.Offset/OffsetHigh as one 64-bit offset.
inline uint64_t OverlappedOffset(const void* overlapped) {
  const auto* words = static_cast<const uint32_t*>(overlapped);
  return (uint64_t{words[5]} << 32) | words[4];  // after Internal and InternalHigh
}

enum class IoKind : uint8_t {
  kRead,        // ReadFile
  kWrite,       // WriteFile
  kRecv,        // WSARecv(From), recv
  kSend,        // WSASend(To), send
  kAccept,      // AcceptEx (then its first receive)
  kConnect,     // ConnectEx (then its send data)
  kDisconnect,  // DisconnectEx
  kPoll,        // a zero-byte WSARecv: waits for data without taking it
  kSelect,      // WSAEventSelect's watch: polls until its events are recorded
  kTransmit,    // TransmitFile: head, the file in chunks, tail, then maybe a shutdown
};

// What a request carries beyond the common fields, in a second pooled record
// that only some requests take (IoOperation::Extend): a WSABUF array, an
// address, the state of a multi-step request (AcceptEx, ConnectEx,
// TransmitFile), a receive waiting its turn, a completion routine. The
// requests of a steady IOCP server (one-buffer WSARecv/WSASend on a stream,
// ReadFile/WriteFile) need none of it, so an idle connection's pending
// receive is a 104-byte IoOperation and nothing more. Pooled too, so that
// issuing any request allocates nothing (except a WSABUF array longer than
// kInlineBuffers). The kernel reads `message`, `buffers` and `address` until
// the completion, so they live here, not on a stack.
struct RequestExtension {
  static constexpr uint32_t kInlineBuffers = 8;
  iovec inline_buffers[kInlineBuffers];
  iovec* buffers = inline_buffers;  // or a heap array
  msghdr message{};
  sockaddr_storage address{};
  socklen_t address_length = 0;
  // WSARecvFrom's lpFrom/lpFromlen: written at completion (spec 53).
  void* from = nullptr;
  int32_t* from_length = nullptr;
  // Multi-step requests (AcceptEx: accept, receive; ConnectEx: connect, send).
  uint32_t stage = 0;
  int accepted_fd = -1;
  IoObject* accept_target = nullptr;  // AcceptEx's accept socket, a reference
  char* output = nullptr;             // AcceptEx's buffer
  uint32_t receive_length = 0;
  uint32_t local_length = 0;
  uint32_t remote_length = 0;
  const void* send_data = nullptr;  // ConnectEx's first data
  uint32_t send_length = 0;
  uint32_t flags = 0;          // DisconnectEx's and TransmitFile's flags
  uint32_t forced_status = 0;  // non-zero: the request pends only to report this
  bool datagram = false;       // a receive on a message socket (truncation matters)
  // TransmitFile's state (a heap buffer for the file's chunks).
  IoObject* transmit_file = nullptr;  // a reference
  char* transmit_buffer = nullptr;
  const char* head = nullptr;
  uint32_t head_length = 0;
  const char* tail = nullptr;
  uint32_t tail_length = 0;
  uint64_t file_offset = 0;
  uint64_t file_remaining = 0;  // ~0: to the end of the file
  uint32_t chunk_length = 0;
  uint32_t step_done = 0;  // bytes of the current piece already sent
  uint64_t total_sent = 0;
  // A request waiting its turn (a receive behind another, spec 48; a
  // WSAEventSelect watch; a deferred start): the request to issue when its
  // turn comes, and the queue link.
  ring::Request queued_request;
  IoOperation* queue_next = nullptr;
  // The step in flight, as issued (IoOperation::RememberForRestart).
  ring::Request restart_request;
  // A connect asked again as a poll for its outcome (RestartAfterSubmitterExit).
  bool connect_by_poll = false;
  // A completion routine, queued as an APC to the issuing thread instead of
  // a packet (only for handles without a port: spec 8).
  CompletionRoutine routine = nullptr;
  RoutineKind routine_kind = RoutineKind::kWinsock;
  SharedThreadState* routine_thread = nullptr;  // a reference while set
  RequestExtension* free_next = nullptr;        // the pool's free list

  // Points `buffers` at room for `count` entries. False when out of memory.
  bool ReserveBuffers(uint32_t count);
  void Reset();
};

struct SyncWait;

class IoOperation final : public Operation {
 public:
  bool OnComplete(int32_t result, uint32_t flags, Packet* packet) override;
  bool CancelRequested() override;

  // Fills the OVERLAPPED, signals, unlinks and recycles the record (under
  // the issuer's lock). Returns true with *packet set when a packet must be
  // queued on the handle's port; with `port` non-null, *port then holds a
  // reference to it (a caller that is not that port's reaper needs one).
  bool Finish(int32_t result, Packet* packet, RefPtr<CompletionPort>* port);
  // Finish for a successful plain receive or send on a port (OnComplete).
  bool FinishOnPort(int32_t result, Packet* packet);
  // A step completed with *result: true with *next to run another step;
  // otherwise the request is done with *result (which a late cancel may
  // have turned into -ECANCELED). Under the issuer's lock.
  bool Advance(int32_t* result, ring::Request* next);

  // The extension, taken from its pool on first use (before the request
  // starts); null when out of memory.
  RequestExtension* Extend();

  // What RestartAfterSubmitterExit needs to ask the kernel again: recorded
  // as the request (its step, for a multi-step one) enters the ring.
  // Without an extension, the request's buffer address, length (in
  // `requested`), op and flags go into the record itself; with one, the
  // whole request goes into the extension.
  void RememberForRestart(const ring::Request& request);
  // Its second half, for a caller that knows the request's shape (the
  // server's receive and send: RememberForRestart's flags are constants).
  void RememberTransfer(const ring::Request& request, uint8_t packed);
  // The kernel ties a request to the thread whose io_uring_enter submitted
  // it, and ends it with -ECANCELED when that thread has exited by the time
  // the request would have progressed. Windows does not cancel the I/O of a
  // handle associated with a port (spec 38), nor WSAEventSelect's watch, so
  // such a request is asked again, by the thread reaping it (under its
  // issuer's lock). True when it was (it is in flight again); false when it
  // must complete as it is: a cancel was asked for, it is synchronous, has
  // an event or no port (Windows cancels those at thread exit too), or the
  // ring refused. A connect in progress cannot be asked again (the kernel
  // answers EALREADY): a poll for its outcome is, as for a non-blocking
  // connect() (ConnectOutcome).
  bool RestartAfterSubmitterExit(int32_t result);
  // Under the issuer's lock, for a request that completed a step: the next
  // step, recorded for a restart (RememberForRestart), then issued as
  // ReissueLocked does. 0 or a negative errno (the step did not start).
  int ContinueLocked(ring::Request next);
  // Issues `request` for this record to the issuer of its first step (its
  // port's ring, or the IoService), under that issuer's lock; the record is
  // in flight again on success. 0 or a negative errno.
  int ReissueLocked(ring::Request request);
  // After such a restart of a connect: the poll's result turned into the
  // connect's (0, or the error SO_ERROR holds). Any other result as it is.
  int32_t ConnectOutcome(int32_t result);

  // Fields by size, so that the record stays 104 bytes (static_assert in
  // io.cc): it is most of an idle connection's memory.
  IoObject* owner = nullptr;              // alive while the request is linked (see IoObject)
  void* overlapped = nullptr;             // OVERLAPPED*, the caller's
  uintptr_t event = 0;                    // hEvent as given (low bit: no packet)
  uintptr_t thread_key = 0;               // the issuing thread's state (CancelIo)
  CompletionPort* port_issuer = nullptr;  // null: the IoService
  uintptr_t restart_addr = 0;             // see RememberForRestart
  // A synchronous caller waits on this instead of a packet.
  SyncWait* sync = nullptr;
  RequestExtension* extension = nullptr;  // see Extend
  // The owner's in-flight list of this request's issuer, under the issuer's
  // lock (linked: on it).
  IoOperation* prev = nullptr;
  IoOperation* next = nullptr;
  // Each use of the record has a new serial (a cancel by serial finds only
  // its own use). 32 bits: a stale serial would have to survive 2^32 uses of
  // one record, hours at any rate this process reaches.
  std::atomic<uint32_t> serial{0};
  uint32_t requested = 0;  // bytes asked for (EOF detection; RememberForRestart)
  IoKind kind = IoKind::kRead;
  // Set just before the issuer takes the request (atomic: a cancel reads it
  // under the issuer's lock while the issuing thread sets it).
  std::atomic<bool> in_flight{false};
  // Set under the owner's mutex (a second cancel finds nothing); read
  // without it by the issuer, which re-checks it after queuing the request.
  std::atomic<bool> cancel_requested{false};
  bool linked = false;
  // DeferStart's caller took a reference to the owner for it (an unlinked
  // request), which RunDeferredStarts gives back.
  bool deferred_ref = false;
  // A socket receive counted in its socket's receive sequence (spec 48).
  bool sequenced = false;
  // See RememberForRestart: the ring op (kNoRestart: cannot be asked again)
  // and its flags, packed into one byte (restart_packing, below).
  uint8_t restart_op = kNoRestart;
  uint8_t restart_flags = 0;
  static constexpr uint8_t kNoRestart = 0xFF;
};

// A synchronous call's wait for its one request: no packet, no event; the
// completion stores the result here and wakes the caller.
struct SyncWait {
  std::atomic<uint32_t> done{0};
  int32_t result = 0;   // the ring's result
  uint32_t status = 0;  // the NTSTATUS
  // Points `op` here; before the request starts.
  void Attach(IoOperation* op) { op->sync = this; }
  // Until the request completes (blocked elsewhere, for the port).
  void Await();
};

// The pool of operation records: grows in chunks, never shrinks (records
// are type-stable: a cancel may look at one that was recycled). Put also
// returns the record's extension to its pool.
class OperationPool {
 public:
  static IoOperation* Get();  // null only when memory is exhausted
  // A record with its extension (IoOperation::Extend); null likewise.
  static IoOperation* GetExtended();
  static void Put(IoOperation* op);
};

class IoObject : public Waitable {
 public:
  IoObject(ObjectKind kind, int fd, bool overlapped);
  ~IoObject() override;

  int fd() const { return fd_.load(std::memory_order_acquire); }
  bool overlapped() const { return overlapped_; }

  // CreateIoCompletionPort(handle, port, key): false if already associated.
  bool Associate(CompletionPort* port, uintptr_t key);
  CompletionPort* port() const { return port_.load(std::memory_order_acquire); }
  uintptr_t key() const { return key_; }

  void AddNotificationModes(uint8_t modes) { modes_.fetch_or(modes, std::memory_order_relaxed); }
  uint8_t notification_modes() const { return modes_.load(std::memory_order_relaxed); }

  // Starts `request` for `op` (already filled in) on the port's ring or the
  // IoService. Returns 0 or a negative errno (nothing started).
  int Start(ring::Request request, IoOperation* op);
  // Starts `op` for a synchronous call and waits for it (blocked elsewhere,
  // for the port). Returns its NTSTATUS and *bytes.
  uint32_t StartAndWait(ring::Request request, IoOperation* op, uint32_t* bytes);
  // Start in two halves, for a request that must wait its turn (a socket's
  // receives, spec 48): Prepare picks its issuer; Issue hands it to the
  // issuer, which links it in flight (0 or a negative errno; on failure the
  // caller still owns the operation). A request that waits its turn is
  // linked at once (LinkNow) so that a cancel finds it.
  void Prepare(IoOperation* op);
  int Issue(ring::Request request, IoOperation* op);
  void LinkNow(IoOperation* op);
  void UnlinkNow(IoOperation* op);
  // Links/unlinks `op` on the list of its issuer (op->port_issuer, or the
  // IoService), whose lock the caller holds. UnlinkLocked returns true when
  // the caller must Unref() the object once done with it (the last request
  // of a closed handle: see "Lifetime" below).
  inline void LinkLocked(IoOperation* op);
  inline bool UnlinkLocked(IoOperation* op);
  // Whether any request is in flight (or waiting its turn).
  bool HasRequests();
  // Starts an operation that waited its turn (see DeferStart).
  virtual void StartQueued(IoOperation* op);

  // Cancels operations in flight: all of them (overlapped == null), only
  // those issued by the thread with `thread_key` (when non-zero; see
  // CurrentThreadKey), or the one for `overlapped`; with `accept_target`,
  // only AcceptEx requests naming it as their accept socket. Returns how
  // many cancellations were requested.
  int Cancel(const void* overlapped, uintptr_t thread_key, const IoObject* accept_target = nullptr);

  // Waitable: the handle is signalled when an operation completes.
  bool IsSignaled() const override { return signaled_.load(std::memory_order_seq_cst); }
  // Takes the dispatcher lock only when someone waits (Dispatcher::waiters).
  // Inline: every request resets it and every completion sets it.
  void SetSignaled(bool signaled) {
    if (signaled_.load(std::memory_order_relaxed) == signaled) return;
    if (signaled) {
      Signal();
    } else {
      // Resetting needs no ordering with waiters: none is woken by it.
      signaled_.store(false, std::memory_order_relaxed);
    }
  }

  void OnLastHandleClosed() override;

  // Hooks for the kinds of requests a handle type adds (sockets).
  // A step of `op` finished with `result` (under the issuer's lock): returns
  // true with *next filled to continue the request with another step, having
  // advanced op->socket.stage. If that step then fails or is cancelled,
  // CompleteOperation gets its result and releases what earlier steps made.
  virtual bool ContinueOperation(IoOperation* op, int32_t result, ring::Request* next);
  // `op` is done: returns its NTSTATUS and sets *bytes (InternalHigh).
  virtual uint32_t CompleteOperation(IoOperation* op, int32_t result, uint32_t* bytes);

 protected:
  friend class IoOperation;
  friend class CompletionPort;  // the registered-file slot fields
  // Swaps in another descriptor (AcceptEx's accepted connection, a socket
  // reused after DisconnectEx) and returns the old one, which the caller
  // closes. Only while the object has no request in flight on it.
  int ExchangeFd(int fd) {
    const int old = fd_.exchange(fd, std::memory_order_acq_rel);
    fd_generation_.fetch_add(1, std::memory_order_release);  // a registered slot is stale
    return old;
  }
  // SetSignaled(true) when the state changes: the store ordered against
  // waiters, and their wake-up if any wait.
  void Signal();

  // Marks matching requests of one list cancelled; `cancel` is called for
  // each that is in the kernel. Under the list's issuer lock.
  template <typename CancelFn>
  int CancelList(IoOperation* head, const void* overlapped, uintptr_t thread_key,
                 const IoObject* accept_target, CancelFn cancel);

  // The fields are ordered by size so that none pads (a socket object is
  // most of an idle connection's memory): the small ones first, filling the
  // bytes after Object's, the pointers, then the 4-, 2- and 1-byte ones,
  // after which a derived class's small fields follow without a gap.
  const bool overlapped_;
  std::atomic<uint8_t> modes_{0};
  std::atomic<bool> signaled_{false};
  std::atomic<bool> handle_closed_{false};  // the last handle is closed
  std::atomic<int> fd_;
  std::atomic<CompletionPort*> port_{nullptr};  // a reference once set
  uintptr_t key_ = 0;
  // Lifetime: a request does not hold a reference to its object (two atomic
  // read-modify-writes per request saved). While a handle is open, the
  // handle table's reference keeps the object; when the last handle closes
  // with requests still linked, the list takes one reference (pinned) and
  // gives it back when it empties. Each list's fields are under its lock.
  IoOperation* port_requests_ = nullptr;     // under the port's lock
  IoOperation* service_requests_ = nullptr;  // under the IoService's lock
  std::atomic<uint32_t> fd_generation_{1};   // +1 per ExchangeFd
  // The port's registered-file slot for this handle's descriptor (sockets:
  // CompletionPort::UseFileSlot): the fd_generation_ it was filled for (0:
  // not filled) and the slot (-1: none yet), written under both the port's
  // lock and its slots lock, read under either; how many requests came
  // before one was taken (port's lock).
  std::atomic<uint32_t> slot_generation_{0};
  // Guards association (and, for a socket, its AcceptEx link): a leaf but
  // for the dispatcher.
  Lock mutex_;
  int16_t file_slot_ = -1;
  uint8_t requests_before_slot_ = 0;
  bool port_pinned_ = false;     // under the port's lock
  bool service_pinned_ = false;  // under the IoService's lock
  // After ExchangeFd: empties the slot if it still holds the old
  // descriptor's file, so that closing that descriptor closes it now.
  void DropStaleFileSlot();
  // Under the list's lock: pins the object if its handle is closed and the
  // list holds requests.
  void PinIfClosedLocked(bool port_list);
};

// Inline: every request of a port's handle is linked under the port's lock.
inline void IoObject::LinkLocked(IoOperation* op) {
  // A call that looked the handle up before another thread closed it starts
  // its request after the close's cancel pass: it is cancelled at once (its
  // issuer sees the flag), rather than waiting forever on a closed handle.
  // The close sets handle_closed_ before it takes this lock to cancel.
  const bool closed = handle_closed_.load(std::memory_order_acquire);
  if (closed) op->cancel_requested.store(true, std::memory_order_release);
  const bool port_list = op->port_issuer != nullptr;
  IoOperation*& head = port_list ? port_requests_ : service_requests_;
  op->prev = nullptr;
  op->next = head;
  if (head) head->prev = op;
  head = op;
  op->linked = true;
  // Open: a close that comes later pins the object in its own cancel pass
  // (under this lock, after we release it).
  if (closed) PinIfClosedLocked(port_list);
}

// Inline likewise: every completion unlinks its request.
inline bool IoObject::UnlinkLocked(IoOperation* op) {
  if (!op->linked) return false;
  const bool port_list = op->port_issuer != nullptr;
  IoOperation*& head = port_list ? port_requests_ : service_requests_;
  if (op->prev) {
    op->prev->next = op->next;
  } else {
    head = op->next;
  }
  if (op->next) op->next->prev = op->prev;
  op->prev = op->next = nullptr;
  op->linked = false;
  bool& pinned = port_list ? port_pinned_ : service_pinned_;
  if (head != nullptr || !pinned) return false;
  pinned = false;
  return true;
}

// Requests of handles that have no port: one ring, one reaper thread.
class IoService {
 public:
  static IoService& Get();
  // The service if a request ever made it, else null (nothing to cancel).
  static IoService* Existing();
  int Issue(ring::Request request, IoOperation* op);
  // Requests a cancel of `op` if it is still the same use (`serial`).
  void Cancel(IoOperation* op, uint32_t serial);

  // Guards the in-flight lists of requests issued here.
  Lock& mutex() { return mutex_; }
  void CancelLocked(uint64_t target_user_data);
  // Under mutex(), from the reaper: issues `request` for `op`, already
  // linked (IoOperation::ReissueLocked). 0 or a negative errno.
  int ContinueLocked(const ring::Request& request, IoOperation* op);

 private:
  IoService();
  int PrepareLocked(const ring::Request& request);
  void ReaperLoop();

  Lock mutex_;
  std::unique_ptr<ring::Ring> ring_;
};

// Queues a completion routine to `thread` (taking over the reference) as an
// APC: it runs when that thread waits alertably.
void QueueCompletionRoutine(CompletionRoutine routine, RoutineKind kind, SharedThreadState* thread,
                            uint32_t status, uint32_t bytes, void* overlapped, uint32_t flags);

// A completion (under its issuer's lock) found that `op` may start now; the
// start happens once the lock is released: RunDeferredStarts, which the
// reaping paths call after unlocking (CompletionPort::UnlockAndWake, the
// IoService reaper). Thread-local, so no lock is needed. `op` has an
// extension (its queue link).
void DeferStart(IoOperation* op);
// Inline: every unlock of a port calls it, and almost always finds nothing.
// (Hidden: the shared library's dynamic symbols are the Windows API alone.)
extern constinit thread_local IoOperation* deferred_start_head
    __attribute__((visibility("hidden")));
void RunDeferredStartsSlow();
inline void RunDeferredStarts() {
  if (deferred_start_head != nullptr) RunDeferredStartsSlow();
}

// Identifies the calling thread for CancelIo.
uintptr_t CurrentThreadKey();

// The NTSTATUS a completed read or write reports (EOF for a read of a file
// that returned 0 bytes for a non-zero request: spec 68).
uint32_t IoStatus(IoKind kind, int32_t result, uint32_t requested);

// Waits (blocked elsewhere) until an operation on `overlapped` is no longer
// pending: on its event, or the handle when there is none. Returns 0, or
// kWaitTimeout / kWaitIoCompletion.
uint32_t WaitForOperation(IoObject* object, void* overlapped, uint32_t timeout_ms, bool alertable);

// --- IoOperation::RememberForRestart, inline: every request takes it ---

namespace restart_packing {
// The MSG_* flags (and poll bits) a request without an extension carries,
// in one byte; RememberForRestart keeps only what fits. Read and write
// requests carry no flags: the byte says where their offset came from.
inline constexpr uint32_t kLowFlags = MSG_OOB | MSG_PEEK | MSG_DONTROUTE;  // bits 0-2, as they are
static_assert(kLowFlags == 7 && (POLLIN | POLLPRI | POLLOUT) == 7, "bits 0-2 kept as they are");
inline constexpr uint8_t kWaitAll = 1u << 3;
inline constexpr uint8_t kNoSignal = 1u << 4;
inline constexpr uint8_t kCurrentPosition = 1u << 5;   // offset ring::kCurrentPosition
inline constexpr uint8_t kOverlappedOffset = 1u << 6;  // offset from the OVERLAPPED
inline bool IsReadOrWrite(ring::Op op) { return op == ring::Op::kRead || op == ring::Op::kWrite; }

// The flags byte of a request without an extension; kUnpackable when it
// carries something RememberForRestart does not keep.
inline constexpr uint8_t kUnpackable = 0xFF;
inline uint8_t PackRestartFlags(const ring::Request& request, const void* overlapped) {
  const uint32_t flags = request.op_flags;
  if ((flags & ~(kLowFlags | MSG_WAITALL | MSG_NOSIGNAL)) != 0 || request.addr2 != 0) {
    return kUnpackable;  // nothing of this shape is issued without an extension today
  }
  uint8_t packed =
      static_cast<uint8_t>((flags & kLowFlags) | ((flags & MSG_WAITALL) ? kWaitAll : 0) |
                           ((flags & MSG_NOSIGNAL) ? kNoSignal : 0));
  if (IsReadOrWrite(request.op)) {
    if (request.offset == ring::kCurrentPosition) return packed | kCurrentPosition;
    if (overlapped != nullptr && request.offset == OverlappedOffset(overlapped)) {
      return packed | kOverlappedOffset;
    }
    return kUnpackable;
  }
  return request.offset == 0 ? packed : kUnpackable;
}
}  // namespace restart_packing

// For a request without an extension whose descriptor is its owner's, with
// `packed` from PackRestartFlags (or the constant it gives for the request).
inline void IoOperation::RememberTransfer(const ring::Request& request, uint8_t packed) {
  restart_addr = request.addr;
  requested = request.len;
  restart_flags = packed;
  restart_op =
      packed == restart_packing::kUnpackable ? kNoRestart : static_cast<uint8_t>(request.op);
}

inline void IoOperation::RememberForRestart(const ring::Request& request) {
  if (extension != nullptr) {
    extension->restart_request = request;
  } else if (request.fd != owner->fd()) {
    restart_op = kNoRestart;
  } else {
    RememberTransfer(request, restart_packing::PackRestartFlags(request, overlapped));
  }
}

}  // namespace winapi

#endif  // IOCP_WINAPI_IO_H_
