// select (Windows' fd_set: a count and an array of SOCKETs) and WSAPoll
// (Windows' POLL* values), over the linked System's poll.
//
// Both wait as a blocked-elsewhere call (the port may release another
// worker meanwhile). On the kernel the wait is one poll(2); the fake kernel
// cannot block, so the wait becomes a loop that yields until its deadline.
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <string.h>

#include <vector>

#include "ring/default_ring.h"
#include "winapi/api_util.h"
#include "winapi/api_winsock_util.h"
#include "winapi/clock.h"
#include "winapi/socket.h"
#include "winapi/winsock_abi.h"
#include "winapi/winsock_errors.h"
#include "winapi/winsock_state.h"

namespace wsabi = winapi::wsabi;

namespace {

using winapi::WsaFail;

// Polls `fds` until something is ready or `timeout_ms` (-1: no limit)
// passes. Returns the count ready, or a negative errno.
int PollUntil(std::vector<pollfd>& fds, int timeout_ms) {
  winapi::BlockingScope blocked;
  const int64_t deadline = timeout_ms < 0 ? -1 : winapi::NowNs() + int64_t{timeout_ms} * 1000000;
  for (;;) {
    int64_t remaining = winapi::RemainingNs(deadline);
    int slice = remaining < 0 ? 100 : static_cast<int>(remaining / 1000000);
    if (slice > 100) slice = 100;  // re-checks now and then
    int rc = ring::DefaultSystem().Poll(fds.data(), fds.size(), slice);
    if (rc != 0 && rc != -EINTR) return rc;
    if (deadline >= 0 && winapi::RemainingNs(deadline) == 0) return 0;
    sched_yield();
  }
}

// The sockets of a Windows fd_set (count, then SOCKETs).
uint32_t SetCount(const void* set) {
  return set == nullptr ? 0 : static_cast<const wsabi::FdSetHeader*>(set)->count;
}
wsabi::Socket* SetSockets(void* set) {
  return reinterpret_cast<wsabi::Socket*>(static_cast<char*>(set) + wsabi::kFdSetArrayOffset);
}

// Whether a socket polled with `revents` belongs in set 0 (read), 1 (write)
// or 2 (except) by Windows' rules.
bool Ready(int set, short revents, winapi::SocketObject* object) {
  if (set == 0) {
    // Readable: data, FIN, an error, or (listening) a connection.
    return (revents & (POLLIN | POLLHUP | POLLERR)) != 0 && !object->connecting.load();
  }
  if (set == 1) {
    // Writable: room to send, or a non-blocking connect that succeeded.
    return (revents & POLLOUT) != 0 && !object->connecting.load() && object->connect_error() == 0;
  }
  // Exceptional: urgent data, or a non-blocking connect that failed.
  return (revents & POLLPRI) != 0 || object->connect_error() != 0;
}

}  // namespace

extern "C" {

int iocp_select(int nfds, void* readfds, void* writefds, void* exceptfds,
                const wsabi::TimeVal* timeout) {
  (void)nfds;  // ignored, as on Windows
  if (!winapi::WinsockStarted()) return WsaFail(wsabi::kWsaNotInitialised);
  void* sets[3] = {readfds, writefds, exceptfds};
  const uint32_t total = SetCount(readfds) + SetCount(writefds) + SetCount(exceptfds);
  if (total == 0) return WsaFail(wsabi::kWsaEinval);  // Windows refuses empty sets
  if (timeout != nullptr && (timeout->tv_sec < 0 || timeout->tv_usec < 0)) {
    return WsaFail(wsabi::kWsaEinval);
  }

  struct Entry {
    int set;
    wsabi::Socket socket;
    winapi::TypedRef<winapi::SocketObject> object;
  };
  std::vector<Entry> entries;
  std::vector<pollfd> fds;
  entries.reserve(total);
  fds.reserve(total);
  for (int i = 0; i < 3; ++i) {
    const uint32_t count = SetCount(sets[i]);
    for (uint32_t j = 0; j < count; ++j) {
      wsabi::Socket s = SetSockets(sets[i])[j];
      auto object = winapi::LookupSocket(s);
      if (!object) return WsaFail(wsabi::kWsaEnotsock);
      short events = i == 0 ? POLLIN : i == 1 ? POLLOUT : POLLPRI;
      fds.push_back(pollfd{object->fd(), events, 0});
      entries.push_back(Entry{i, s, std::move(object)});
    }
  }
  int64_t deadline = -1;
  if (timeout != nullptr) {
    deadline =
        winapi::NowNs() + int64_t{timeout->tv_sec} * 1000000000 + int64_t{timeout->tv_usec} * 1000;
  }
  // The kernel's readiness is not always Windows' (a connect the kernel has
  // finished but whose completion is not reaped yet): poll again until
  // something is ready by Windows' rules or the time is up.
  uint32_t kept[3] = {0, 0, 0};
  int ready = 0;
  for (;;) {
    const int64_t remaining = winapi::RemainingNs(deadline);
    const int timeout_ms = remaining < 0 ? -1 : static_cast<int>((remaining + 999999) / 1000000);
    int rc = PollUntil(fds, timeout_ms);
    if (rc < 0) return WsaFail(winapi::WinsockFromErrno(rc));
    ready = 0;
    for (size_t k = 0; k < entries.size(); ++k) {
      if (Ready(entries[k].set, fds[k].revents, entries[k].object.get())) ++ready;
    }
    if (ready > 0 || winapi::RemainingNs(deadline) == 0) break;
    sched_yield();
  }
  // Rewrite each set to hold only its ready sockets (in order).
  for (size_t k = 0; k < entries.size(); ++k) {
    const Entry& entry = entries[k];
    if (Ready(entry.set, fds[k].revents, entry.object.get())) {
      SetSockets(sets[entry.set])[kept[entry.set]++] = entry.socket;
    }
  }
  for (int i = 0; i < 3; ++i) {
    if (sets[i] != nullptr) static_cast<wsabi::FdSetHeader*>(sets[i])->count = kept[i];
  }
  return ready;
}

int __WSAFDIsSet(wsabi::Socket fd, void* set) {
  const uint32_t count = SetCount(set);
  for (uint32_t i = 0; i < count; ++i) {
    if (SetSockets(set)[i] == fd) return 1;
  }
  return 0;
}

int WSAPoll(wsabi::PollFd* fdArray, uint32_t fds, int timeout) {
  if (!winapi::WinsockStarted()) return WsaFail(wsabi::kWsaNotInitialised);
  if (fdArray == nullptr) return WsaFail(wsabi::kWsaEfault);
  if (fds == 0) return WsaFail(wsabi::kWsaEinval);
  std::vector<pollfd> linux_fds(fds);
  std::vector<winapi::TypedRef<winapi::SocketObject>> objects(fds);
  int invalid = 0;
  for (uint32_t i = 0; i < fds; ++i) {
    const int16_t events = fdArray[i].events;
    if (events & ~(wsabi::kPollIn | wsabi::kPollOut | wsabi::kPollWrBand)) {
      return WsaFail(wsabi::kWsaEinval);  // POLLPRI and unknown bits: refused, as on Windows
    }
    linux_fds[i].events = 0;
    if (events & wsabi::kPollIn) linux_fds[i].events |= POLLIN;
    if (events & (wsabi::kPollOut | wsabi::kPollWrBand)) linux_fds[i].events |= POLLOUT;
    objects[i] = winapi::LookupSocket(fdArray[i].fd);
    // A negative fd makes poll(2) skip the entry; Windows reports POLLNVAL.
    linux_fds[i].fd = objects[i] ? objects[i]->fd() : -1;
    if (!objects[i]) ++invalid;
  }
  int rc = invalid > 0 ? ring::DefaultSystem().Poll(linux_fds.data(), fds, 0)
                       : PollUntil(linux_fds, timeout);
  if (rc < 0) return WsaFail(winapi::WinsockFromErrno(rc));
  int ready = 0;
  for (uint32_t i = 0; i < fds; ++i) {
    int16_t out = 0;
    if (!objects[i]) {
      out = wsabi::kPollNval;
    } else {
      const short revents = linux_fds[i].revents;
      if ((revents & POLLIN) && (fdArray[i].events & wsabi::kPollRdNorm)) out |= wsabi::kPollRdNorm;
      if ((revents & POLLOUT) && (fdArray[i].events & wsabi::kPollWrNorm))
        out |= wsabi::kPollWrNorm;
      if (revents & POLLERR) out |= wsabi::kPollErr;
      if (revents & POLLHUP) out |= wsabi::kPollHup;
    }
    fdArray[i].revents = out;
    if (out != 0) ++ready;
  }
  return ready;
}

}  // extern "C"
