// Sockets: the object a SOCKET names, and how its overlapped requests
// complete with Winsock's statuses.
//
// A SOCKET is a handle in the same table as files and ports (so
// CreateIoCompletionPort, CancelIoEx, ReadFile/WriteFile and CloseHandle take
// it, as on Windows) naming a SocketObject: a Linux socket descriptor plus
// the Windows-visible state the kernel does not keep in the same form
// (non-blocking mode, whether bind/listen/connect happened, DisconnectEx's
// shutdown, an AcceptEx that names it as the accept socket).
//
// Requests: WSARecv/WSASend become one ring request each (recvmsg/sendmsg
// over a copy of the WSABUF array); AcceptEx is accept, then a receive when
// it asks for first data; ConnectEx is connect, then a send of its data; a
// zero-byte WSARecv is a poll for input. CompleteOperation maps each result to
// the NTSTATUS Windows reports for that request (spec 36-66).
#ifndef IOCP_WINAPI_SOCKET_H_
#define IOCP_WINAPI_SOCKET_H_

#include <stdint.h>

#include <atomic>

#include "winapi/api_util.h"
#include "winapi/handle_table.h"
#include "winapi/io.h"

namespace winapi {

// Socket options kept as set (Linux reports some otherwise than Windows,
// and SO_RCVTIMEO/SO_SNDTIMEO apply to our blocking calls): for getsockopt.
struct SocketOptions {
  std::atomic<uint32_t> receive_timeout_ms{0};  // SO_RCVTIMEO (0: none)
  std::atomic<uint32_t> send_timeout_ms{0};     // SO_SNDTIMEO
  std::atomic<int32_t> receive_buffer{-1};      // SO_RCVBUF as set; -1: never set
  std::atomic<int32_t> send_buffer{-1};
  std::atomic<bool> reuse_address{false};
  std::atomic<bool> exclusive_address{false};
};

class SocketObject final : public IoObject {
  struct Extras;

 public:
  // `family`, `type`, `protocol` are Linux's.
  SocketObject(int fd, int family, int type, int protocol, bool overlapped);
  ~SocketObject() override;

  int family() const { return family_; }
  int type() const { return type_; }
  int protocol() const { return protocol_; }
  bool is_stream() const { return type_ == SOCK_STREAM; }

  // Windows-visible state.
  std::atomic<bool> nonblocking{false};  // FIONBIO
  std::atomic<bool> bound{false};
  std::atomic<bool> listening{false};
  std::atomic<bool> connected{false};
  std::atomic<bool> send_shut{false};       // shutdown(SD_SEND) or DisconnectEx
  std::atomic<bool> accept_pending{false};  // the accept socket of a pending AcceptEx
  // A background connect (non-blocking connect()) is in progress; the errno
  // it failed with is TakeConnectError's.
  std::atomic<bool> connecting{false};

  // SO_CONNECT_TIME: marks the connection made now; forgets it; whole
  // seconds since (-1: not connected).
  void MarkConnected();
  void ClearConnected() { connected_at_ds_.store(0, std::memory_order_relaxed); }
  int32_t SecondsConnected() const;

  // SO_ERROR of a background connect: its errno, once (0: none); and a look
  // without taking it (select).
  int TakeConnectError();
  int connect_error() const;

  // The options as set (defaults when none was); for setting, null when
  // out of memory.
  const SocketOptions& options() const;
  SocketOptions* MutableOptions();

  // Records the AcceptEx that uses this socket as its accept socket, so
  // closing this socket cancels it (spec 37). Cleared when it completes.
  void SetPendingAccept(SocketObject* listener);
  void ClearPendingAccept();

  // Replaces the descriptor with a fresh unconnected socket of the same
  // kind (DisconnectEx with TF_REUSE_SOCKET). Returns 0 or a negative errno.
  int Renew();
  // Adopts an accepted connection's descriptor (AcceptEx).
  void AdoptConnection(int fd);

  // Runs one request for a synchronous call and waits for it, counting as
  // blocked elsewhere, at most `timeout_ms` (0: no limit; SO_RCVTIMEO and
  // SO_SNDTIMEO apply to blocking calls only, spec 51). Returns the kernel's
  // result, -ETIMEDOUT after the limit.
  int32_t RunSync(ring::Request request, IoKind kind, uint32_t timeout_ms = 0);
  // Synchronous receive/send for recv, send and their WSA forms without an
  // OVERLAPPED: the non-blocking system call first; if it would block and
  // the socket is blocking, the ring (SO_RCVTIMEO/SO_SNDTIMEO apply). A
  // blocking send sends everything. Return bytes or a negative errno
  // (-EINTR when closesocket ended the wait, as Windows reports it).
  int ReceiveNow(msghdr* message, int linux_flags);
  int SendNow(msghdr* message, int linux_flags);
  // The same for an operation the caller filled in (TransmitFile).
  int32_t RunTransmit(ring::Request request, IoOperation* op) { return RunSyncOp(request, op, 0); }

  // Starts an overlapped receive, or queues it behind the one the kernel
  // holds: io_uring does not order receives parked on one socket, Windows
  // fills them in issue order (spec 48). Returns 0 or a negative errno (the
  // operation then recycled, as Start does).
  int StartReceive(ring::Request request, IoOperation* op);
  // The usual receive, alone on its socket: counts it in (spec 48) if no
  // other receive is in flight or waiting. False: nothing done, take
  // StartReceive. A receive counted in here that then fails to start goes
  // back through AbandonReceive.
  bool EnterSoleReceive() {
    uint32_t none = 0;
    return receives_.compare_exchange_strong(none, 1, std::memory_order_acq_rel);
  }
  void AbandonReceive();
  void StartQueued(IoOperation* op) override;

  // Starts a non-blocking connect()'s request (StartBackgroundConnect).
  int StartBackgroundConnect(const sockaddr_storage& address, socklen_t length);

  // WSAEventSelect: records network events (FD_* bits) for `event` while
  // they are in `mask`. mask 0 ends the selection. Returns 0 or a negative
  // errno.
  int SelectEvents(Event* event, int32_t mask);
  bool event_selected() const;
  // The re-enabling functions (recv, send, accept, ...) call this: `bits`
  // may be recorded again, as Windows does after they run.
  void ReenableEvents(int32_t bits);
  // Records `bits` directly (FD_CONNECT when a connect ends), with `error`
  // (a Winsock code) for each.
  void RecordEvents(int32_t bits, uint32_t error);
  // accept(): the new socket gets this one's selection.
  void CopySelectionTo(SocketObject* accepted);
  // WSAEnumNetworkEvents: takes the recorded events and their errors.
  int32_t TakeEvents(int32_t errors[10]);

  // TransmitFile: the next step of `op` (head, file chunks, tail, shutdown),
  // or false when it is done.
  bool TransmitNext(IoOperation* op, ring::Request* next);

  bool ContinueOperation(IoOperation* op, int32_t result, ring::Request* next) override;
  uint32_t CompleteOperation(IoOperation* op, int32_t result, uint32_t* bytes) override;
  void OnLastHandleClosed() override;

 private:
  // CompleteOperation but for a plain receive or send that succeeded (out
  // of line: that case, every message's, then needs no stack frame).
  __attribute__((noinline)) uint32_t CompleteOther(IoOperation* op, int32_t result,
                                                   uint32_t* bytes);
  uint32_t CompleteAccept(IoOperation* op, int32_t result, uint32_t* bytes);
  int32_t RunSyncOp(ring::Request request, IoOperation* op, uint32_t timeout_ms);
  int32_t Blocking(ring::Request request, IoKind kind);
  // Stores the AcceptEx link (taking over `listener`'s reference; null:
  // none) and gives back the old one's.
  void ExchangeAcceptListener(SocketObject* listener);
  // A sequenced receive finished: the next one, if any, may start.
  // A receive is done: counts it out, and starts the next in line if one
  // counted itself in meanwhile (StartNextReceive). Inline: every receive.
  void ReceiveFinished() {
    if (receives_.fetch_sub(1, std::memory_order_acq_rel) != 1) StartNextReceive();
  }
  void StartNextReceive();
  // Whether `op` has what it needs to wait in line: its extension and the
  // socket's queue.
  bool ReadyToQueue(IoOperation* op);
  // Whether `op` is the background connect's request.
  bool IsBackgroundConnect(const IoOperation* op) const;

  // Arms (or re-arms) the watch for what may still be recorded. Called
  // with the select lock held; returns the request of a new watch to start.
  bool ArmWatchLocked(Extras* x, IoOperation** start, ring::Request* request);
  bool ContinueWatch(IoOperation* op, int32_t result, ring::Request* next);
  // ReenableEvents for a caller that holds an issuer's lock (a completion).
  void DeferRearm();
  uint32_t WatchMask(const Extras* x) const;  // poll events for the still-unrecorded bits
  void StartWatch(IoOperation* op, const ring::Request& request);

  // What most sockets never use, allocated on first use: WSAEventSelect's
  // state, a background connect's, options as set, and the queue of
  // receives waiting their turn. Kept apart so that an idle connection's
  // socket object stays at 120 bytes (static_assert in socket.cc).
  struct Extras {
    // WSAEventSelect (socket_events.cc), under select_mutex.
    Lock select_mutex;
    std::atomic<int32_t> select_mask{0};
    RefPtr<Event> select_event;
    int32_t select_recorded = 0;  // recorded, not yet enumerated
    int32_t select_disabled = 0;  // recorded, not re-enabled yet
    int32_t select_errors[10] = {};
    IoOperation* watch = nullptr;  // the poll in flight, if any
    uint32_t watch_serial = 0;
    uintptr_t watch_overlapped[4] = {};
    // A background connect: its OVERLAPPED (no event, no packet) and the
    // errno it failed with, which SO_ERROR reports once.
    uintptr_t background_overlapped[4] = {};
    std::atomic<int> connect_error{0};
    SocketOptions options;
    // Receives waiting their turn, in issue order.
    Lock receive_mutex;
    IoOperation* receive_head = nullptr;
    IoOperation* receive_tail = nullptr;
  };
  // The extras, allocated on first use; null when out of memory.
  Extras* GetExtras();
  // The extras if they exist (for readers: absent means defaults).
  Extras* extras() const { return extras_.load(std::memory_order_acquire); }

  // Ordered by size after IoObject's last small field (see there).
  std::atomic<bool> closing_{false};  // the last handle is closed
  const uint8_t family_;
  const uint8_t type_;
  const uint16_t protocol_;
  std::atomic<uint32_t> receives_{0};  // sequenced receives in the kernel or queued
  // When the connection was made, in tenths of a second on the monotonic
  // clock (0: not connected): SO_CONNECT_TIME reports whole seconds.
  std::atomic<uint32_t> connected_at_ds_{0};
  std::atomic<Extras*> extras_{nullptr};
  SocketObject* accept_listener_ = nullptr;  // a reference while set; under mutex_
};

// The socket a SOCKET value names, with a reference; empty if it is not a
// socket (the caller reports WSAENOTSOCK, 10038). Inline: every Winsock
// call takes it. Not through the thread's lookup cache, which never holds a
// socket (see HandleTable::LookupCached): one scan of it fewer per call.
__attribute__((always_inline)) inline TypedRef<SocketObject> LookupSocket(uintptr_t socket) {
  return TypedRef<SocketObject>{HandleTable::Get().LookupKind(socket, ObjectKind::kSocket)};
}

// FIONREAD: bytes a receive would return now (stream: all buffered, up to
// 64 KiB; datagram: the first datagram's size). Or a negative errno.
int BytesReadable(SocketObject* socket);

// AcceptEx's address areas: each holds the Windows sockaddr's length (4
// bytes) then the address. Returns the size an area needs for `family`
// (Linux), which is what Windows requires: sizeof(sockaddr) + 16 at least.
uint32_t AcceptAddressAreaSize(int family);

}  // namespace winapi

#endif  // IOCP_WINAPI_SOCKET_H_
