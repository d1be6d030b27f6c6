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

bool SocketObject::event_selected() const {
  const Extras* x = extras();
  return x != nullptr && x->select_mask.load(std::memory_order_acquire) != 0;
}

uint32_t SocketObject::WatchMask(const Extras* x) const {
  // An unconnected stream socket polls as hung up on Linux: nothing to
  // watch until it listens or connects (FD_CONNECT comes from the connect).
  if (is_stream() && !connected.load() && !listening.load()) return 0;
  const int32_t wanted = x->select_mask.load(std::memory_order_relaxed) & ~x->select_disabled;
  uint32_t poll = 0;
  if (wanted & (kFdRead | kFdAccept)) poll |= POLLIN;
  if (wanted & kFdOob) poll |= POLLPRI;
  if (wanted & kFdWrite) poll |= POLLOUT;
  if (wanted & kFdClose) poll |= POLLRDHUP;
  return poll;
}

bool SocketObject::ArmWatchLocked(Extras* x, IoOperation** start, ring::Request* request) {
  *start = nullptr;
  if (x->watch != nullptr) return false;
  const uint32_t mask = WatchMask(x);
  if (mask == 0) return false;
  IoOperation* op = OperationPool::GetExtended();  // it waits its turn in the extension
  if (op == nullptr) return false;
  op->kind = IoKind::kSelect;
  op->overlapped = x->watch_overlapped;
  op->event = 1;  // no packet, no event: it only records (and goes to the IoService)
  x->watch = op;
  x->watch_serial = op->serial.load(std::memory_order_acquire);
  *request = ring::Request::PollAdd(fd(), mask, 0);
  *start = op;
  return true;
}

void SocketObject::StartWatch(IoOperation* op, const ring::Request& request) {
  op->extension->queued_request = request;
  Prepare(op);
  StartQueued(op);
}

int SocketObject::SelectEvents(Event* event, int32_t mask) {
  Extras* x = extras();
  if (x == nullptr && mask == 0) return 0;  // nothing was ever selected
  if (x == nullptr && (x = GetExtras()) == nullptr) return -ENOMEM;
  IoOperation* old;
  uint32_t old_serial;
  IoOperation* start;
  ring::Request request;
  {
    std::lock_guard<Lock> lock(x->select_mutex);
    old = x->watch;
    old_serial = x->watch_serial;
    x->watch = nullptr;  // a superseded watch stops at its next completion
    x->select_event = event ? RefPtr<Event>::Share(event) : RefPtr<Event>();
    x->select_mask.store(event ? mask : 0, std::memory_order_release);
    // A new selection clears what was recorded (Windows does).
    x->select_recorded = 0;
    x->select_disabled = 0;
    for (int32_t& error : x->select_errors) error = 0;
    if (mask != 0) nonblocking.store(true);  // WSAEventSelect makes it non-blocking
    ArmWatchLocked(x, &start, &request);
  }
  if (old != nullptr) IoService::Get().Cancel(old, old_serial);
  if (start != nullptr) StartWatch(start, request);
  return 0;
}

void SocketObject::ReenableEvents(int32_t bits) {
  if (!event_selected()) return;
  Extras* x = extras();
  IoOperation* start;
  ring::Request request;
  {
    std::lock_guard<Lock> lock(x->select_mutex);
    x->select_disabled &= ~bits;
    ArmWatchLocked(x, &start, &request);
  }
  if (start != nullptr) StartWatch(start, request);
}

void SocketObject::CopySelectionTo(SocketObject* accepted) {
  if (!event_selected()) return;
  Extras* x = extras();
  RefPtr<Event> event;
  int32_t mask;
  {
    std::lock_guard<Lock> lock(x->select_mutex);
    if (!x->select_event) return;
    event = RefPtr<Event>::Share(x->select_event.get());
    mask = x->select_mask.load(std::memory_order_relaxed);
  }
  // The listener's FD_ACCEPT means nothing on a connection.
  accepted->SelectEvents(event.get(), mask & ~kFdAccept);
}

void SocketObject::DeferRearm() {
  Extras* x = extras();
  if (x == nullptr) return;  // nothing selected
  IoOperation* start;
  ring::Request request;
  {
    std::lock_guard<Lock> lock(x->select_mutex);
    ArmWatchLocked(x, &start, &request);
  }
  if (start == nullptr) return;
  start->extension->queued_request = request;
  Prepare(start);
  // Not linked until it starts: hold the object meanwhile (the completion
  // that called us may be the closed handle's last request).
  Ref();
  start->deferred_ref = true;
  DeferStart(start);  // an issuer's lock is held: start once it is released
}

void SocketObject::RecordEvents(int32_t bits, uint32_t error) {
  Extras* x = extras();
  if (x == nullptr) return;  // nothing selected
  RefPtr<Event> event;
  {
    std::lock_guard<Lock> lock(x->select_mutex);
    bits &= x->select_mask.load(std::memory_order_relaxed);
    if (bits == 0) return;
    x->select_recorded |= bits;
    for (int i = 0; i < 10; ++i) {
      if (bits & (1 << i)) x->select_errors[i] = static_cast<int32_t>(error);
    }
    if (x->select_event) event = RefPtr<Event>::Share(x->select_event.get());
  }
  if (event) event->Set();
}

int32_t SocketObject::TakeEvents(int32_t errors[10]) {
  Extras* x = extras();
  if (x == nullptr) {
    for (int i = 0; i < 10; ++i) errors[i] = 0;
    return 0;
  }
  std::lock_guard<Lock> lock(x->select_mutex);
  const int32_t recorded = x->select_recorded;
  for (int i = 0; i < 10; ++i) {
    errors[i] = x->select_errors[i];
    x->select_errors[i] = 0;
  }
  x->select_recorded = 0;
  return recorded;
}

// The watch's poll completed (under the IoService's lock): record what
// fired and watch on for the rest.
bool SocketObject::ContinueWatch(IoOperation* op, int32_t result, ring::Request* next) {
  Extras* x = extras();  // a watch exists: so do the extras
  RefPtr<Event> event;
  bool more = false;
  {
    std::lock_guard<Lock> lock(x->select_mutex);
    if (op != x->watch || result < 0) return false;  // superseded, cancelled or failed
    const uint32_t revents = static_cast<uint32_t>(result);
    const int32_t wanted = x->select_mask.load(std::memory_order_relaxed) & ~x->select_disabled;
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
      x->select_recorded |= fired;
      x->select_disabled |= fired;
      if (fired & kFdClose) {
        x->select_errors[BitIndex(kFdClose)] = static_cast<int32_t>(close_error);
      }
      if (x->select_event) event = RefPtr<Event>::Share(x->select_event.get());
      const uint32_t mask = WatchMask(x);
      if (mask != 0) {
        *next = ring::Request::PollAdd(fd(), mask, 0);
        more = true;
      }
    }
    // Nothing wanted fired (a hang-up nobody asked about): stop, rather
    // than spin on a condition that stays true; a re-enabling call re-arms.
    if (!more) x->watch = nullptr;
  }
  if (event) event->Set();
  return more;
}

}  // namespace winapi
