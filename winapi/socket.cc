#include "winapi/socket.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <string.h>

#include "ring/default_ring.h"
#include "winapi/clock.h"
#include "winapi/errors.h"
#include "winapi/futex.h"
#include "winapi/sockaddr.h"
#include "winapi/thread_state.h"
#include "winapi/winsock_errors.h"

namespace winapi {
namespace {

constexpr uint32_t kStatusBufferOverflow = 0x80000005;
constexpr int32_t kFdConnect = 1 << 4;  // WSAEventSelect's FD_CONNECT

// Writes an AcceptEx address area: the Windows sockaddr's length, then it.
void StoreAcceptAddress(char* area, uint32_t area_size, const sockaddr* address, socklen_t length) {
  if (area_size < sizeof(int32_t)) return;
  int32_t windows_length = static_cast<int32_t>(area_size - sizeof(int32_t));
  if (ToWindows(address, length, area + sizeof(int32_t), &windows_length) != 0) {
    windows_length = 0;
  }
  memcpy(area, &windows_length, sizeof(windows_length));
}

}  // namespace

uint32_t AcceptAddressAreaSize(int family) {
  // What Windows demands of each area: the largest sockaddr of the family
  // plus 16 bytes. Our layout (length + address) fits in that.
  return (family == AF_INET6 ? kWindowsSockaddrIn6Size : kWindowsSockaddrInSize) + 16;
}

// An idle connection's memory is this object, its pending receive's
// IoOperation and a handle-table slot (docs/PERFORMANCE.md): 120 bytes is a
// 128-byte heap chunk.
static_assert(!kLockIsOneWord || sizeof(SocketObject) <= 120,
              "SocketObject grew: see docs/PERFORMANCE.md");

SocketObject::SocketObject(int fd, int family, int type, int protocol, bool overlapped)
    : IoObject(ObjectKind::kSocket, fd, overlapped),
      family_(static_cast<uint8_t>(family)),
      type_(static_cast<uint8_t>(type)),
      protocol_(static_cast<uint16_t>(protocol)) {}

SocketObject::~SocketObject() {
  ClearPendingAccept();
  delete extras_.load(std::memory_order_acquire);
  ring::DefaultSystem().Close(fd());
}

SocketObject::Extras* SocketObject::GetExtras() {
  Extras* existing = extras_.load(std::memory_order_acquire);
  if (existing != nullptr) return existing;
  auto* fresh = new (std::nothrow) Extras();
  if (fresh == nullptr) return nullptr;
  if (extras_.compare_exchange_strong(existing, fresh, std::memory_order_acq_rel)) return fresh;
  delete fresh;  // another thread's came first
  return existing;
}

const SocketOptions& SocketObject::options() const {
  static const SocketOptions defaults;
  const Extras* x = extras();
  return x != nullptr ? x->options : defaults;
}

SocketOptions* SocketObject::MutableOptions() {
  Extras* x = GetExtras();
  return x != nullptr ? &x->options : nullptr;
}

int SocketObject::TakeConnectError() {
  Extras* x = extras();
  return x != nullptr ? x->connect_error.exchange(0) : 0;
}

int SocketObject::connect_error() const {
  const Extras* x = extras();
  return x != nullptr ? x->connect_error.load() : 0;
}

bool SocketObject::IsBackgroundConnect(const IoOperation* op) const {
  const Extras* x = extras();
  return x != nullptr && op->overlapped == x->background_overlapped;
}

namespace {
// Tenths of a second on the monotonic clock, never 0 (which means "not
// connected"): 32 bits last 13 years of uptime.
uint32_t NowDeciseconds() { return static_cast<uint32_t>(NowNs() / 100000000) + 1; }
}  // namespace

void SocketObject::MarkConnected() {
  connected_at_ds_.store(NowDeciseconds(), std::memory_order_relaxed);
}

int32_t SocketObject::SecondsConnected() const {
  const uint32_t since = connected_at_ds_.load(std::memory_order_relaxed);
  if (since == 0) return -1;
  return static_cast<int32_t>((NowDeciseconds() - since) / 10);
}

void SocketObject::SetPendingAccept(SocketObject* listener) {
  listener->Ref();
  ExchangeAcceptListener(listener);
}

void SocketObject::ClearPendingAccept() { ExchangeAcceptListener(nullptr); }

void SocketObject::ExchangeAcceptListener(SocketObject* listener) {
  SocketObject* old;
  {
    std::lock_guard<Lock> lock(mutex_);
    old = accept_listener_;
    accept_listener_ = listener;
    accept_pending.store(listener != nullptr, std::memory_order_release);
  }
  if (old != nullptr) old->Unref();
}

int SocketObject::Renew() {
  int fresh = ring::DefaultSystem().Socket(family_, type_ | SOCK_CLOEXEC, protocol_);
  if (fresh < 0) return fresh;
  ring::DefaultSystem().Close(ExchangeFd(fresh));
  DropStaleFileSlot();  // the old connection closes now, not at the next request
  bound.store(false);
  listening.store(false);
  connected.store(false);
  send_shut.store(false);
  ClearConnected();
  return 0;
}

void SocketObject::AdoptConnection(int fd) {
  ring::DefaultSystem().Close(ExchangeFd(fd));
  DropStaleFileSlot();
  bound.store(true);
  connected.store(true);
  send_shut.store(false);
  MarkConnected();
}

int32_t SocketObject::RunSync(ring::Request request, IoKind kind, uint32_t timeout_ms) {
  IoOperation* op = OperationPool::Get();
  if (op == nullptr) return -ENOMEM;
  op->kind = kind;
  return RunSyncOp(request, op, timeout_ms);
}

int32_t SocketObject::RunSyncOp(ring::Request request, IoOperation* op, uint32_t timeout_ms) {
  SyncWait wait;
  wait.Attach(op);
  std::atomic<uint32_t>& done = wait.done;
  const int32_t& result = wait.result;
  const uint32_t serial = op->serial.load(std::memory_order_acquire);
  int rc = Start(request, op);
  if (rc < 0) return rc;
  BlockingScope blocked;
  const int64_t deadline_ns = timeout_ms == 0 ? -1 : DeadlineFromMs(timeout_ms);
  bool timed_out = false;
  while (done.load(std::memory_order_acquire) == 0) {
    const int64_t remaining_ns = timed_out ? -1 : RemainingNs(deadline_ns);
    if (remaining_ns == 0) {
      timed_out = true;
      IoService::Get().Cancel(op, serial);  // then wait for its completion
      continue;
    }
    FutexWait(&done, 0, remaining_ns);
  }
  if (timed_out && result == -ECANCELED) return -ETIMEDOUT;
  return result;
}

namespace {

// TransmitFile's steps (SocketRequest::stage).
enum TransmitStage : uint32_t {
  kTransmitStart,
  kTransmitHead,
  kTransmitRead,
  kTransmitChunk,
  kTransmitTail,
  kTransmitShutdown,
  kTransmitDone,
};
constexpr uint32_t kTransmitChunkSize = 65536;
constexpr uint32_t kTfDisconnect = 0x01;
constexpr uint32_t kTfReuseSocket = 0x02;

}  // namespace

bool SocketObject::TransmitNext(IoOperation* op, ring::Request* next) {
  RequestExtension& r = *op->extension;
  for (;;) {
    switch (r.stage) {
      case kTransmitStart:
        r.stage = kTransmitHead;
        r.step_done = 0;
        continue;
      case kTransmitHead:
        if (r.step_done < r.head_length) {
          *next = ring::Request::Send(fd(), r.head + r.step_done, r.head_length - r.step_done,
                                      MSG_NOSIGNAL, 0);
          return true;
        }
        r.stage = kTransmitRead;
        continue;
      case kTransmitRead:
        if (r.transmit_file != nullptr && r.file_remaining != 0) {
          const uint32_t length = r.file_remaining < kTransmitChunkSize
                                      ? static_cast<uint32_t>(r.file_remaining)
                                      : kTransmitChunkSize;
          *next = ring::Request::Read(r.transmit_file->fd(), r.transmit_buffer, length,
                                      r.file_offset, 0);
          return true;
        }
        r.stage = kTransmitTail;
        r.step_done = 0;
        continue;
      case kTransmitChunk:
        if (r.step_done < r.chunk_length) {
          *next = ring::Request::Send(fd(), r.transmit_buffer + r.step_done,
                                      r.chunk_length - r.step_done, MSG_NOSIGNAL, 0);
          return true;
        }
        r.stage = kTransmitRead;
        continue;
      case kTransmitTail:
        if (r.step_done < r.tail_length) {
          *next = ring::Request::Send(fd(), r.tail + r.step_done, r.tail_length - r.step_done,
                                      MSG_NOSIGNAL, 0);
          return true;
        }
        r.stage = kTransmitShutdown;
        continue;
      case kTransmitShutdown:
        r.stage = kTransmitDone;
        if (r.flags & (kTfDisconnect | kTfReuseSocket)) {
          *next = ring::Request::Shutdown(fd(), SHUT_WR, 0);
          return true;
        }
        continue;
      default:
        return false;
    }
  }
}

int32_t SocketObject::Blocking(ring::Request request, IoKind kind) {
  const SocketOptions& set = options();
  const uint32_t timeout = kind == IoKind::kSend
                               ? set.send_timeout_ms.load(std::memory_order_relaxed)
                               : set.receive_timeout_ms.load(std::memory_order_relaxed);
  int32_t result = RunSync(request, kind, timeout);
  // Cancelled by closesocket from another thread: Windows' blocking calls
  // return WSAEINTR then.
  return result == -ECANCELED ? -EINTR : result;
}

int SocketObject::ReceiveNow(msghdr* message, int linux_flags) {
  ssize_t n = ring::DefaultSystem().RecvMsg(fd(), message, linux_flags);
  if (n == -EAGAIN && !nonblocking.load(std::memory_order_relaxed)) {
    n = Blocking(ring::Request::RecvMsg(fd(), message, static_cast<uint32_t>(linux_flags), 0),
                 IoKind::kRecv);
  }
  return static_cast<int>(n);
}

int SocketObject::SendNow(msghdr* message, int linux_flags) {
  linux_flags |= MSG_NOSIGNAL;  // Windows has no SIGPIPE
  size_t total = 0;
  for (size_t i = 0; i < message->msg_iovlen; ++i) total += message->msg_iov[i].iov_len;
  ssize_t n = ring::DefaultSystem().SendMsg(fd(), message, linux_flags);
  if (nonblocking.load(std::memory_order_relaxed)) return static_cast<int>(n);
  size_t sent = n > 0 ? static_cast<size_t>(n) : 0;
  if (n < 0 && n != -EAGAIN) return static_cast<int>(n);
  // Blocking: the rest through the ring, as the kernel would block.
  while (sent < total) {
    // Skip what went out already (the iovecs are the caller's copy).
    size_t skip = sent;
    size_t first = 0;
    while (skip >= message->msg_iov[first].iov_len) skip -= message->msg_iov[first++].iov_len;
    constexpr size_t kMaxRest = 64;  // the rest of a longer array goes next round
    iovec rest[kMaxRest];
    size_t count = 0;
    for (size_t i = first; i < message->msg_iovlen && count < kMaxRest; ++i) {
      rest[count++] = message->msg_iov[i];
    }
    rest[0].iov_base = static_cast<char*>(rest[0].iov_base) + skip;
    rest[0].iov_len -= skip;
    msghdr tail = *message;
    tail.msg_iov = rest;
    tail.msg_iovlen = count;
    int32_t r = Blocking(ring::Request::SendMsg(fd(), &tail, static_cast<uint32_t>(linux_flags), 0),
                         IoKind::kSend);
    if (r < 0) return sent > 0 ? static_cast<int>(sent) : r;
    if (r == 0) break;
    sent += static_cast<size_t>(r);
  }
  return static_cast<int>(sent);
}

bool SocketObject::ContinueOperation(IoOperation* op, int32_t result, ring::Request* next) {
  if (op->kind == IoKind::kSelect) return ContinueWatch(op, result, next);
  if (op->kind == IoKind::kTransmit) {
    if (result < 0) return false;
    RequestExtension& r = *op->extension;
    switch (r.stage) {
      case kTransmitHead:
      case kTransmitChunk:
      case kTransmitTail:
        r.step_done += static_cast<uint32_t>(result);
        r.total_sent += static_cast<uint32_t>(result);
        break;
      case kTransmitRead:
        if (result == 0) {
          r.file_remaining = 0;  // the file ended early
        } else {
          r.chunk_length = static_cast<uint32_t>(result);
          r.file_offset += static_cast<uint32_t>(result);
          if (r.file_remaining != ~uint64_t{0}) r.file_remaining -= static_cast<uint32_t>(result);
          r.step_done = 0;
          r.stage = kTransmitChunk;
        }
        break;
      default:
        break;
    }
    return TransmitNext(op, next);
  }
  // A blocking accept() or connect() has no extension: one step.
  if (op->extension == nullptr || result < 0 || op->extension->stage != 0) return false;
  RequestExtension& request = *op->extension;
  if (op->kind == IoKind::kAccept) {
    request.accepted_fd = result;
    if (request.receive_length == 0) return false;
    // AcceptEx with first data: completes only once data (or FIN) arrives.
    request.stage = 1;
    *next = ring::Request::Recv(result, request.output, request.receive_length, 0, 0);
    return true;
  }
  if (op->kind == IoKind::kConnect && request.send_length > 0) {
    connected.store(true);
    MarkConnected();
    request.stage = 1;
    *next = ring::Request::Send(fd(), request.send_data, request.send_length,
                                MSG_NOSIGNAL | MSG_WAITALL, 0);
    return true;
  }
  return false;
}

uint32_t SocketObject::CompleteAccept(IoOperation* op, int32_t result, uint32_t* bytes) {
  RequestExtension& request = *op->extension;
  auto* target = static_cast<SocketObject*>(request.accept_target);
  target->ClearPendingAccept();
  if (result < 0) {
    if (request.accepted_fd >= 0) ring::DefaultSystem().Close(request.accepted_fd);
    request.accepted_fd = -1;
    return StatusFromErrno(result);  // ECANCELED: 995 for either socket's close (spec 37)
  }
  const int fd = request.accepted_fd;
  request.accepted_fd = -1;
  *bytes = request.stage == 1 ? static_cast<uint32_t>(result) : 0;

  // Addresses after the data, in the areas the caller sized (spec 59).
  sockaddr_storage local;
  socklen_t local_length = sizeof(local);
  char* local_area = request.output + request.receive_length;
  if (ring::DefaultSystem().GetSockName(fd, reinterpret_cast<sockaddr*>(&local), &local_length) ==
      0) {
    StoreAcceptAddress(local_area, request.local_length, reinterpret_cast<sockaddr*>(&local),
                       local_length);
  }
  StoreAcceptAddress(local_area + request.local_length, request.remote_length,
                     reinterpret_cast<sockaddr*>(&request.address), request.address_length);
  target->AdoptConnection(fd);
  return kStatusSuccess;
}

bool SocketObject::ReadyToQueue(IoOperation* op) {
  return op->Extend() != nullptr && GetExtras() != nullptr;
}

int SocketObject::StartReceive(ring::Request request, IoOperation* op) {
  op->sequenced = true;
  // A receive counted in while another is in the kernel must wait in line,
  // which needs room: taken before counting in. (A rare race, two threads
  // receiving on one socket at once, can still count in unprepared; then it
  // waits below for the memory.)
  if (receives_.load(std::memory_order_acquire) != 0 && !ReadyToQueue(op)) {
    op->sequenced = false;
    OperationPool::Put(op);
    return -ENOMEM;
  }
  // The usual case, one receive at a time, takes no lock: the count says
  // whether another is in the kernel (or queued).
  if (receives_.fetch_add(1, std::memory_order_acq_rel) == 0) {
    int rc = Start(request, op);
    if (rc < 0) {
      ReceiveFinished();
      RunDeferredStarts();  // no issuer lock is held here
    }
    return rc;
  }
  while (!ReadyToQueue(op)) sched_yield();  // counted in: it must queue
  // Wait in line: pending, cancellable and linked first, then visible to the
  // completion that will start it.
  Extras* x = extras();
  op->extension->queued_request = request;
  op->extension->queue_next = nullptr;
  Prepare(op);
  LinkNow(op);
  std::lock_guard<Lock> lock(x->receive_mutex);
  if (x->receive_tail) {
    x->receive_tail->extension->queue_next = op;
  } else {
    x->receive_head = op;
  }
  x->receive_tail = op;
  return 0;
}

void SocketObject::AbandonReceive() {
  ReceiveFinished();
  RunDeferredStarts();  // no issuer lock is held here
}

void SocketObject::StartNextReceive() {
  // Someone counted itself in; it may still be on its way into the queue
  // (whose extras it allocates first).
  IoOperation* next = nullptr;
  for (;;) {
    if (Extras* x = extras()) {
      std::lock_guard<Lock> lock(x->receive_mutex);
      next = x->receive_head;
      if (next != nullptr) {
        x->receive_head = next->extension->queue_next;
        if (x->receive_head == nullptr) x->receive_tail = nullptr;
      }
    }
    if (next != nullptr) break;
    sched_yield();
  }
  DeferStart(next);  // once the issuer's lock is released
}

void SocketObject::StartQueued(IoOperation* op) {
  if (op->kind == IoKind::kSelect) {
    if (Issue(op->extension->queued_request, op) < 0) {
      Extras* x = extras();  // a watch exists: so do the extras
      {
        std::lock_guard<Lock> lock(x->select_mutex);
        if (x->watch == op) x->watch = nullptr;
      }
      op->owner = nullptr;
      OperationPool::Put(op);
    }
    return;
  }
  const bool cancelled = op->cancel_requested.load(std::memory_order_acquire);
  ring::Request request = op->extension->queued_request;
  if (cancelled) {
    // Cancelled while it waited: it still completes, through its issuer.
    op->extension->forced_status =
        closing_.load(std::memory_order_acquire) ? kStatusConnectionAborted : kStatusCancelled;
    request = ring::Request::Nop(0);
  }
  if (Issue(request, op) < 0) {
    // The issuer refused (out of memory): fail the request through the
    // IoService, which always takes a no-op.
    op->extension->forced_status = kStatusConnectionAborted;
    Ref();          // unlinking may give back a closed handle's last reference
    UnlinkNow(op);  // from the port's list, onto the IoService's
    op->port_issuer = nullptr;
    IoService::Get().Issue(ring::Request::Nop(0), op);
    Unref();
  }
}

uint32_t SocketObject::CompleteOperation(IoOperation* op, int32_t result, uint32_t* bytes) {
  if (op->extension == nullptr && result >= 0 &&
      (op->kind == IoKind::kRecv || op->kind == IoKind::kSend)) {
    // A server loop's one-buffer stream receive or send that succeeded:
    // what the general path would find, in fewer steps.
    if (op->sequenced) {
      op->sequenced = false;
      ReceiveFinished();
    }
    *bytes = static_cast<uint32_t>(result);
    return kStatusSuccess;
  }
  return CompleteOther(op, result, bytes);
}

uint32_t SocketObject::CompleteOther(IoOperation* op, int32_t result, uint32_t* bytes) {
  // Most requests have no extension: read its defaults then.
  static const RequestExtension kNoExtension{};
  const RequestExtension& request = op->extension ? *op->extension : kNoExtension;
  *bytes = 0;
  if (op->sequenced) {
    op->sequenced = false;
    ReceiveFinished();
  }
  if (request.forced_status != 0) return request.forced_status;
  // AcceptEx (a blocking accept() has no accept socket: its result is the
  // descriptor, returned as it is).
  if (op->kind == IoKind::kAccept && request.accept_target != nullptr) {
    return CompleteAccept(op, result, bytes);
  }
  if (op->kind == IoKind::kSelect) {
    Extras* x = extras();  // a watch exists: so do the extras
    std::lock_guard<Lock> lock(x->select_mutex);
    if (x->watch == op) x->watch = nullptr;
    return kStatusSuccess;
  }

  if (result < 0) {
    // Closing the socket ends its receives and sends as an abort (spec 36),
    // CancelIo(Ex) as a cancellation (spec 32).
    if (result == -ECANCELED && closing_.load(std::memory_order_acquire)) {
      return kStatusConnectionAborted;
    }
    if (op->kind == IoKind::kConnect && request.stage == 0) {
      connected.store(false);
      if (IsBackgroundConnect(op)) {
        extras()->connect_error.store(-result);
        connecting.store(false);
        RecordEvents(kFdConnect, WinsockFromErrno(result));  // failed
      }
    }
    return StatusFromErrno(result);
  }

  switch (op->kind) {
    case IoKind::kRecv:
    case IoKind::kRead:
      *bytes = static_cast<uint32_t>(result);
      if (request.from != nullptr && request.from_length != nullptr) {
        // spec 53: the source address is written only now.
        int length = *request.from_length;
        if (ToWindows(reinterpret_cast<const sockaddr*>(&request.address),
                      request.message.msg_namelen, request.from, &length) == 0) {
          *request.from_length = length;
        }
      }
      if (request.datagram && (request.message.msg_flags & MSG_TRUNC) != 0) {
        return kStatusBufferOverflow;  // spec 50: WSAEMSGSIZE, bytes = what fit
      }
      return kStatusSuccess;  // 0 bytes on a stream: graceful close (spec 45)
    case IoKind::kPoll:
      // A zero-byte receive: data (or FIN) is there; an error is reported.
      if ((static_cast<uint32_t>(result) & POLLERR) != 0) {
        int error = 0;
        socklen_t length = sizeof(error);
        ring::DefaultSystem().GetSockOpt(fd(), SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) return StatusFromErrno(-error);
      }
      return kStatusSuccess;
    case IoKind::kSend:
    case IoKind::kWrite:
      *bytes = static_cast<uint32_t>(result);
      return kStatusSuccess;
    case IoKind::kConnect:
      connecting.store(false);
      connected.store(true);
      bound.store(true);
      if (request.stage == 0) MarkConnected();
      if (IsBackgroundConnect(op) && event_selected()) {
        RecordEvents(kFdConnect, 0);
        DeferRearm();  // FD_WRITE, FD_READ... now that it is connected
      }
      *bytes = request.stage == 1 ? static_cast<uint32_t>(result) : 0;  // spec 61
      return kStatusSuccess;
    case IoKind::kDisconnect:
      send_shut.store(true);
      connected.store(false);
      if (request.flags & 0x02) Renew();  // TF_REUSE_SOCKET (spec 64)
      return kStatusSuccess;
    case IoKind::kTransmit:
      *bytes = static_cast<uint32_t>(request.total_sent);
      if (request.flags & (kTfDisconnect | kTfReuseSocket)) {
        send_shut.store(true);
        connected.store(false);
        if (request.flags & kTfReuseSocket) Renew();
      }
      return kStatusSuccess;
    case IoKind::kAccept:
    case IoKind::kSelect:
      break;
  }
  return kStatusSuccess;
}

int SocketObject::StartBackgroundConnect(const sockaddr_storage& address, socklen_t length) {
  if (connecting.load()) return -EALREADY;
  Extras* x = GetExtras();
  IoOperation* op = x != nullptr ? OperationPool::GetExtended() : nullptr;
  if (op == nullptr) return -ENOMEM;
  RequestExtension* request = op->extension;
  op->kind = IoKind::kConnect;
  op->overlapped = x->background_overlapped;
  op->event = 1;  // the low bit: no packet; no event either
  request->address = address;
  request->address_length = length;
  connecting.store(true);
  x->connect_error.store(0);
  int rc = Start(
      ring::Request::Connect(fd(), reinterpret_cast<sockaddr*>(&request->address), length, 0), op);
  if (rc < 0) connecting.store(false);
  return rc;
}

int BytesReadable(SocketObject* socket) {
  thread_local char scratch[65536];
  iovec iov = {scratch, socket->is_stream() ? sizeof(scratch) : 1};
  msghdr message{};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  // A datagram socket: MSG_TRUNC makes the peek return the full size.
  const int flags = MSG_PEEK | (socket->is_stream() ? 0 : MSG_TRUNC);
  ssize_t n = ring::DefaultSystem().RecvMsg(socket->fd(), &message, flags);
  if (n == -EAGAIN || n == -ENOTCONN) return 0;
  return static_cast<int>(n);
}

void SocketObject::OnLastHandleClosed() {
  closing_.store(true, std::memory_order_release);
  // An AcceptEx naming this socket as its accept socket was issued on the
  // listener: cancel it there (spec 37, 995).
  SocketObject* listener;
  {
    std::lock_guard<Lock> lock(mutex_);
    listener = accept_listener_;
    if (listener != nullptr) listener->Ref();
  }
  if (listener != nullptr) {
    listener->Cancel(nullptr, 0, this);
    listener->Unref();
  }
  IoObject::OnLastHandleClosed();
}

}  // namespace winapi
