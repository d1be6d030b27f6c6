// WSAEventSelect's machinery for SocketObject: a watch (a poll request on the
// IoService ring, re-armed from its own completion) records FD_* network
// events, signals the selected event, and stops watching each event once
// recorded until a re-enabling call (recv, send, accept, ...) runs, as
// Windows does. FD_CONNECT is recorded by the connect's own completion.
#include <errno.h>
#include <poll.h>

#include "ring/default_ring.h"
#include "winapi/errors.h"
#include "winapi/socket.h"
#include "winapi/winsock_errors.h"

namespace winapi {
namespace {

constexpr int32_t kFdRead = 1 << 0;
constexpr int32_t kFdWrite = 1 << 1;
constexpr int32_t kFdOob = 1 << 2;
constexpr int32_t kFdAccept = 1 << 3;
constexpr int32_t kFdClose = 1 << 5;

int BitIndex(int32_t bit) { return __builtin_ctz(static_cast<uint32_t>(bit)); }

}  // namespace

uint32_t SocketObject::WatchMask() const {
  // An unconnected stream socket polls as hung up on Linux: nothing to
  // watch until it listens or connects (FD_CONNECT comes from the connect).
  if (is_stream() && !connected.load() && !listening.load()) return 0;
  const int32_t wanted = select_mask_.load(std::memory_order_relaxed) & ~select_disabled_;
  uint32_t poll = 0;
  if (wanted & (kFdRead | kFdAccept)) poll |= POLLIN;
  if (wanted & kFdOob) poll |= POLLPRI;
  if (wanted & kFdWrite) poll |= POLLOUT;
  if (wanted & kFdClose) poll |= POLLRDHUP;
  return poll;
}

bool SocketObject::ArmWatchLocked(IoOperation** start, ring::Request* request) {
  *start = nullptr;
  if (watch_ != nullptr) return false;
  const uint32_t mask = WatchMask();
  if (mask == 0) return false;
  IoOperation* op = OperationPool::Get();
  if (op == nullptr) return false;
  op->kind = IoKind::kSelect;
  op->overlapped = watch_overlapped_;
  op->event = 1;  // no packet, no event: it only records (and goes to the IoService)
  watch_ = op;
  watch_serial_ = op->serial.load(std::memory_order_acquire);
  *request = ring::Request::PollAdd(fd(), mask, 0);
  *start = op;
  return true;
}

void SocketObject::StartWatch(IoOperation* op, const ring::Request& request) {
  op->socket.queued_request = request;
  Prepare(op);
  StartQueued(op);
}

int SocketObject::SelectEvents(Event* event, int32_t mask) {
  IoOperation* old;
  uint64_t old_serial;
  IoOperation* start;
  ring::Request request;
  {
    std::lock_guard<Lock> lock(select_mutex_);
    old = watch_;
    old_serial = watch_serial_;
    watch_ = nullptr;  // a superseded watch stops at its next completion
    select_event_ = event ? RefPtr<Event>::Share(event) : RefPtr<Event>();
    select_mask_.store(event ? mask : 0, std::memory_order_release);
    // A new selection clears what was recorded (Windows does).
    select_recorded_ = 0;
    select_disabled_ = 0;
    for (int32_t& error : select_errors_) error = 0;
    if (mask != 0) nonblocking.store(true);  // WSAEventSelect makes it non-blocking
    ArmWatchLocked(&start, &request);
  }
  if (old != nullptr) IoService::Get().Cancel(old, old_serial);
  if (start != nullptr) StartWatch(start, request);
  return 0;
}

void SocketObject::ReenableEvents(int32_t bits) {
  if (!event_selected()) return;
  IoOperation* start;
  ring::Request request;
  {
    std::lock_guard<Lock> lock(select_mutex_);
    select_disabled_ &= ~bits;
    ArmWatchLocked(&start, &request);
  }
  if (start != nullptr) StartWatch(start, request);
}

void SocketObject::CopySelectionTo(SocketObject* accepted) {
  if (!event_selected()) return;
  RefPtr<Event> event;
  int32_t mask;
  {
    std::lock_guard<Lock> lock(select_mutex_);
    if (!select_event_) return;
    event = RefPtr<Event>::Share(select_event_.get());
    mask = select_mask_.load(std::memory_order_relaxed);
  }
  // The listener's FD_ACCEPT means nothing on a connection.
  accepted->SelectEvents(event.get(), mask & ~kFdAccept);
}

void SocketObject::DeferRearm() {
  IoOperation* start;
  ring::Request request;
  {
    std::lock_guard<Lock> lock(select_mutex_);
    ArmWatchLocked(&start, &request);
  }
  if (start == nullptr) return;
  start->socket.queued_request = request;
  Prepare(start);
  // Not linked until it starts: hold the object meanwhile (the completion
  // that called us may be the closed handle's last request).
  Ref();
  start->deferred_ref = true;
  DeferStart(start);  // an issuer's lock is held: start once it is released
}

void SocketObject::RecordEvents(int32_t bits, uint32_t error) {
  RefPtr<Event> event;
  {
    std::lock_guard<Lock> lock(select_mutex_);
    bits &= select_mask_.load(std::memory_order_relaxed);
    if (bits == 0) return;
    select_recorded_ |= bits;
    for (int i = 0; i < 10; ++i) {
      if (bits & (1 << i)) select_errors_[i] = static_cast<int32_t>(error);
    }
    if (select_event_) event = RefPtr<Event>::Share(select_event_.get());
  }
  if (event) event->Set();
}

int32_t SocketObject::TakeEvents(int32_t errors[10]) {
  std::lock_guard<Lock> lock(select_mutex_);
  const int32_t recorded = select_recorded_;
  for (int i = 0; i < 10; ++i) {
    errors[i] = select_errors_[i];
    select_errors_[i] = 0;
  }
  select_recorded_ = 0;
  return recorded;
}

// The watch's poll completed (under the IoService's lock): record what
// fired and watch on for the rest.
bool SocketObject::ContinueWatch(IoOperation* op, int32_t result, ring::Request* next) {
  RefPtr<Event> event;
  bool more = false;
  {
    std::lock_guard<Lock> lock(select_mutex_);
    if (op != watch_ || result < 0) return false;  // superseded, cancelled or failed
    const uint32_t revents = static_cast<uint32_t>(result);
    const int32_t wanted = select_mask_.load(std::memory_order_relaxed) & ~select_disabled_;
    int32_t fired = 0;
    uint32_t close_error = 0;
    if (revents & POLLIN) fired |= listening.load() ? kFdAccept : kFdRead;
    if (revents & POLLPRI) fired |= kFdOob;
    if (revents & POLLOUT) fired |= kFdWrite;
    if (revents & (POLLRDHUP | POLLHUP | POLLERR)) {
      fired |= kFdClose;
      if (revents & POLLERR) {
        int error = 0;
        socklen_t length = sizeof(error);
        ring::DefaultSystem().GetSockOpt(fd(), SOL_SOCKET, SO_ERROR, &error, &length);
        close_error = error ? WinsockFromErrno(-error) : 0;
      }
    }
    fired &= wanted;
    if (fired != 0) {
      select_recorded_ |= fired;
      select_disabled_ |= fired;
      if (fired & kFdClose) select_errors_[BitIndex(kFdClose)] = static_cast<int32_t>(close_error);
      if (select_event_) event = RefPtr<Event>::Share(select_event_.get());
      const uint32_t mask = WatchMask();
      if (mask != 0) {
        *next = ring::Request::PollAdd(fd(), mask, 0);
        more = true;
      }
    }
    // Nothing wanted fired (a hang-up nobody asked about): stop, rather
    // than spin on a condition that stays true; a re-enabling call re-arms.
    if (!more) watch_ = nullptr;
  }
  if (event) event->Set();
  return more;
}

}  // namespace winapi
