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
#include "winapi/io.h"

namespace winapi {

class SocketObject final : public IoObject {
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
  std::atomic<bool> send_shut{false};        // shutdown(SD_SEND) or DisconnectEx
  std::atomic<bool> accept_pending{false};   // the accept socket of a pending AcceptEx
  std::atomic<int64_t> connected_at_ns{-1};  // SO_CONNECT_TIME
  // A background connect (non-blocking connect()): in progress, and the
  // errno it failed with, which SO_ERROR reports once.
  std::atomic<bool> connecting{false};
  std::atomic<int> connect_error{0};
  uintptr_t background_overlapped[4] = {};  // its OVERLAPPED (no event, no packet)

  // Records the AcceptEx that uses this socket as its accept socket, so
  // closing this socket cancels it (spec 37). Cleared when it completes.
  void SetPendingAccept(SocketObject* listener, void* overlapped);
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

  // SO_RCVTIMEO / SO_SNDTIMEO (ms) and the options Linux reports otherwise
  // than Windows (kept as set, for getsockopt).
  std::atomic<uint32_t> receive_timeout_ms{0};
  std::atomic<uint32_t> send_timeout_ms{0};
  std::atomic<bool> reuse_address{false};
  std::atomic<bool> exclusive_address{false};
  std::atomic<int32_t> receive_buffer{-1};  // -1: never set
  std::atomic<int32_t> send_buffer{-1};

  // Starts an overlapped receive, or queues it behind the one the kernel
  // holds: io_uring does not order receives parked on one socket, Windows
  // fills them in issue order (spec 48). Returns 0 or a negative errno.
  int StartReceive(ring::Request request, IoOperation* op);
  void StartQueued(IoOperation* op) override;

  // WSAEventSelect: records network events (FD_* bits) for `event` while
  // they are in `mask`. mask 0 ends the selection. Returns 0 or a negative
  // errno.
  int SelectEvents(Event* event, int32_t mask);
  bool event_selected() const { return select_mask_.load(std::memory_order_acquire) != 0; }
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
  uint32_t CompleteAccept(IoOperation* op, int32_t result, uint32_t* bytes);
  int32_t RunSyncOp(ring::Request request, IoOperation* op, uint32_t timeout_ms);
  int32_t Blocking(ring::Request request, IoKind kind);
  // A sequenced receive finished: the next one, if any, may start.
  void ReceiveFinished();

  // Arms (or re-arms) the watch for what may still be recorded. Called
  // with select_mutex_ held; returns the request of a new watch to start.
  bool ArmWatchLocked(IoOperation** start, ring::Request* request);
  bool ContinueWatch(IoOperation* op, int32_t result, ring::Request* next);
  // ReenableEvents for a caller that holds an issuer's lock (a completion).
  void DeferRearm();
  uint32_t WatchMask() const;  // poll events for the still-unrecorded bits
  void StartWatch(IoOperation* op, const ring::Request& request);

  Lock select_mutex_;
  std::atomic<int32_t> select_mask_{0};
  RefPtr<Event> select_event_;
  int32_t select_recorded_ = 0;  // recorded, not yet enumerated
  int32_t select_disabled_ = 0;  // recorded, not re-enabled yet
  int32_t select_errors_[10] = {};
  IoOperation* watch_ = nullptr;  // the poll in flight, if any
  uint64_t watch_serial_ = 0;
  uintptr_t watch_overlapped_[4] = {};

  std::atomic<uint32_t> receives_{0};  // in the kernel or queued
  Lock receive_mutex_;
  IoOperation* receive_head_ = nullptr;  // waiting receives, in issue order
  IoOperation* receive_tail_ = nullptr;

  const int family_;
  const int type_;
  const int protocol_;
  std::atomic<bool> closing_{false};  // the last handle is closed

  Lock accept_mutex_;
  SocketObject* accept_listener_ = nullptr;  // a reference while set
  void* accept_overlapped_ = nullptr;
};

// The socket a SOCKET value names, with a reference; empty if it is not a
// socket (the caller reports WSAENOTSOCK, 10038).
TypedRef<SocketObject> LookupSocket(uintptr_t socket);

// connect() on a non-blocking socket: starts the connection in the
// background (the result lands in the socket's state). Returns 0 or a
// negative errno.
int StartBackgroundConnect(SocketObject* socket, const sockaddr_storage& address, socklen_t length);

// FIONREAD: bytes a receive would return now (stream: all buffered, up to
// 64 KiB; datagram: the first datagram's size). Or a negative errno.
int BytesReadable(SocketObject* socket);

// AcceptEx's address areas: each holds the Windows sockaddr's length (4
// bytes) then the address. Returns the size an area needs for `family`
// (Linux), which is what Windows requires: sizeof(sockaddr) + 16 at least.
uint32_t AcceptAddressAreaSize(int family);

}  // namespace winapi

#endif  // IOCP_WINAPI_SOCKET_H_
