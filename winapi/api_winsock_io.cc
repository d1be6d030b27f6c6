// Exported overlapped Winsock calls: WSARecv, WSARecvFrom, WSASend,
// WSASendTo, AcceptEx, GetAcceptExSockaddrs, ConnectEx, DisconnectEx,
// WSAIoctl and WSAGetOverlappedResult.
//
// An overlapped request always pends here (SOCKET_ERROR + WSA_IO_PENDING, or
// FALSE + ERROR_IO_PENDING) and completes through the socket's port ring,
// batched with the issuing thread's next wait when it issues from its
// completion loop. Windows may also complete a request at once (spec 42);
// programs handle both, and a packet is queued either way. Without
// WSA_FLAG_OVERLAPPED, or without an OVERLAPPED, a call runs synchronously.
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include <new>

#include "ring/default_ring.h"
#include "winapi/api_util.h"
#include "winapi/api_winsock_util.h"
#include "winapi/clock.h"
#include "winapi/errors.h"
#include "winapi/sockaddr.h"
#include "winapi/socket.h"
#include "winapi/winsock_abi.h"
#include "winapi/winsock_errors.h"
#include "winapi/winsock_state.h"

namespace wsabi = winapi::wsabi;

extern "C" int ioctlsocket(wsabi::Socket s, int32_t cmd, uint32_t* argp);  // api_winsock.cc

namespace {

using winapi::WsaFail;

using winapi::IoKind;
using winapi::IoOperation;
using winapi::SocketObject;
using winapi::TypedRef;

uintptr_t LoadInternal(const wsabi::Overlapped* overlapped) {
  return __atomic_load_n(&overlapped->internal, __ATOMIC_ACQUIRE);
}

void MarkPending(wsabi::Overlapped* overlapped) {
  overlapped->internal_high = 0;
  __atomic_store_n(&overlapped->internal, uintptr_t{winapi::kStatusPending}, __ATOMIC_RELEASE);
}

// Copies the WSABUF array into the request (spec 47: the array may be
// reused as soon as the call returns). Returns the total length, or -1 for
// a bad array.
int64_t CopyBuffers(const wsabi::WsaBuf* buffers, uint32_t count, winapi::RequestExtension* out) {
  if (!out->ReserveBuffers(count)) return -1;
  int64_t total = 0;
  for (uint32_t i = 0; i < count; ++i) {
    if (buffers[i].buf == nullptr && buffers[i].len > 0) return -1;
    out->buffers[i].iov_base = buffers[i].buf;
    out->buffers[i].iov_len = buffers[i].len;
    total += buffers[i].len;
  }
  out->message.msg_iov = out->buffers;
  out->message.msg_iovlen = count;
  return total;
}

// The IOCP server's request: a one-buffer receive or send on a stream
// socket associated with `port`, for an OVERLAPPED with no event, no
// completion routine and (a receive) no other receive on the socket.
// IoObject::Start's steps in one body, which the server's two calls per
// message take (docs/PERFORMANCE.md). Returns as StartOverlapped.
__attribute__((always_inline)) inline int StartOnPort(SocketObject* socket, IoOperation* op,
                                                      ring::Request request,
                                                      wsabi::Overlapped* overlapped,
                                                      winapi::CompletionPort* port,
                                                      uint8_t restart_flags) {
  const bool receive = op->kind == IoKind::kRecv;
  const uintptr_t old_internal = overlapped->internal;
  const uintptr_t old_high = overlapped->internal_high;
  op->overlapped = overlapped;
  op->owner = socket;
  op->thread_key = winapi::CurrentThreadKey();
  op->port_issuer = port;
  op->sequenced = receive;
  MarkPending(overlapped);
  socket->SetSignaled(false);  // starting I/O resets the handle
  // For a restart (IoOperation::RestartAfterSubmitterExit): the socket's own
  // descriptor and no extension, so the transfer alone.
  op->RememberTransfer(request, restart_flags);
  const int rc = port->IssueIo(&request, op);
  if (rc < 0) {
    op->owner = nullptr;
    winapi::OperationPool::Put(op);
    if (receive) socket->AbandonReceive();
    overlapped->internal = old_internal;
    overlapped->internal_high = old_high;
    return WsaFail(winapi::WinsockFromErrno(rc));
  }
  return WsaFail(wsabi::kWsaIoPending);
}

// Starts a prepared overlapped request. Returns SOCKET_ERROR with
// WSA_IO_PENDING, or with the error when it could not start (the OVERLAPPED
// restored: spec 19).
int StartOverlapped(SocketObject* socket, IoOperation* op, const ring::Request& request,
                    wsabi::Overlapped* overlapped, wsabi::CompletionRoutine routine) {
  if (routine == nullptr && overlapped->event == nullptr && !op->extension) {
    winapi::CompletionPort* port = socket->port();
    if (port != nullptr &&
        (op->kind == IoKind::kSend || (op->kind == IoKind::kRecv && socket->EnterSoleReceive()))) {
      return StartOnPort(socket, op, request, overlapped, port,
                         winapi::restart_packing::PackRestartFlags(request, overlapped));
    }
  }
  if (routine != nullptr) {
    winapi::RequestExtension* extension = op->Extend();
    if (extension == nullptr) {
      winapi::OperationPool::Put(op);
      return WsaFail(wsabi::kWsaEnobufs);
    }
    extension->routine = reinterpret_cast<winapi::CompletionRoutine>(routine);
    extension->routine_thread = winapi::ThreadState::Current().shared;
    extension->routine_thread->Ref();
  }
  const uintptr_t old_internal = overlapped->internal;
  const uintptr_t old_high = overlapped->internal_high;
  op->overlapped = overlapped;
  op->event = reinterpret_cast<uintptr_t>(overlapped->event);
  MarkPending(overlapped);
  const bool receive = op->kind == IoKind::kRecv || op->kind == IoKind::kPoll;
  int rc = receive ? socket->StartReceive(request, op) : socket->Start(request, op);
  if (rc < 0) {
    overlapped->internal = old_internal;
    overlapped->internal_high = old_high;
    return WsaFail(winapi::WinsockFromErrno(rc));
  }
  return WsaFail(wsabi::kWsaIoPending);
}

// A request on a socket without WSA_FLAG_OVERLAPPED given an OVERLAPPED:
// runs to completion, fills the OVERLAPPED and its event, returns 0 (spec 52).
void CompleteInline(wsabi::Overlapped* overlapped, int32_t result, uint32_t status) {
  overlapped->internal_high = result > 0 ? static_cast<uint32_t>(result) : 0;
  __atomic_store_n(&overlapped->internal, uintptr_t{status}, __ATOMIC_RELEASE);
  uintptr_t event = reinterpret_cast<uintptr_t>(overlapped->event) & ~uintptr_t{1};
  if (event != 0) {
    auto target =
        winapi::LookupAs<winapi::Event>(reinterpret_cast<void*>(event), winapi::ObjectKind::kEvent);
    if (target) target->Set();
  }
}

// WSARecv and WSARecvFrom.
__attribute__((noinline)) int Receive(wsabi::Socket s, wsabi::WsaBuf* buffers, uint32_t count,
                                      uint32_t* received, uint32_t* flags, void* from,
                                      int32_t* from_length, wsabi::Overlapped* overlapped,
                                      wsabi::CompletionRoutine routine) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return wsabi::kSocketError;
  if (count == 0) return WsaFail(wsabi::kWsaEinval);  // spec 49
  if (buffers == nullptr || flags == nullptr) return WsaFail(wsabi::kWsaEfault);
  if (from != nullptr && from_length == nullptr) return WsaFail(wsabi::kWsaEfault);
  if (socket->is_stream() && !socket->connected.load()) return WsaFail(wsabi::kWsaEnotconn);
  if (overlapped != nullptr && routine != nullptr && socket->port() != nullptr) {
    return WsaFail(wsabi::kWsaEinval);  // spec 8: a completion routine on an associated socket
  }

  int linux_flags;
  if (!winapi::LinuxMessageFlags(static_cast<int>(*flags), &linux_flags)) {
    return WsaFail(wsabi::kWsaEopnotsupp);
  }

  // The IOCP server's receive: one buffer on a stream, straight into the
  // ring's request; the record needs no extension.
  const bool overlapped_io = overlapped != nullptr && socket->overlapped();
  const bool plain = overlapped_io && count == 1 && socket->is_stream();
  if (plain && buffers[0].buf == nullptr && buffers[0].len > 0) {
    return WsaFail(wsabi::kWsaEfault);
  }
  IoOperation* op = plain ? winapi::OperationPool::Get() : winapi::OperationPool::GetExtended();
  if (op == nullptr) return WsaFail(wsabi::kWsaEnobufs);
  if (plain) {
    ring::Request ring_request;
    if (buffers[0].len == 0) {
      op->kind = IoKind::kPoll;  // spec 49: waits for data without taking it
      ring_request = ring::Request::PollAdd(socket->fd(), POLLIN, 0);
    } else {
      op->kind = IoKind::kRecv;
      ring_request = ring::Request::Recv(socket->fd(), buffers[0].buf, buffers[0].len,
                                         static_cast<uint32_t>(linux_flags), 0);
    }
    return StartOverlapped(socket.get(), op, ring_request, overlapped, routine);
  }
  winapi::RequestExtension& request = *op->extension;
  const int64_t total = CopyBuffers(buffers, count, &request);
  if (total < 0) {
    winapi::OperationPool::Put(op);
    return WsaFail(wsabi::kWsaEfault);
  }
  request.datagram = !socket->is_stream();
  request.message.msg_name = &request.address;
  request.message.msg_namelen = sizeof(request.address);
  request.from = socket->is_stream() ? nullptr : from;
  request.from_length = socket->is_stream() ? nullptr : from_length;

  if (!overlapped_io) {
    // Synchronous: the caller's thread waits (blocked elsewhere). The
    // source address goes to this frame: the record is recycled below.
    sockaddr_storage source;
    msghdr message = request.message;
    message.msg_name = &source;
    message.msg_namelen = sizeof(source);
    ssize_t n = socket->ReceiveNow(&message, linux_flags);
    winapi::OperationPool::Put(op);
    socket->ReenableEvents(1 << 0 | 1 << 2);  // WSAEventSelect: FD_READ, FD_OOB again
    if (n < 0) return WsaFail(winapi::WinsockFromErrno(static_cast<int>(n)));
    const bool truncated = !socket->is_stream() && (message.msg_flags & MSG_TRUNC);
    if (from != nullptr && !socket->is_stream()) {
      winapi::ToWindows(static_cast<sockaddr*>(message.msg_name), message.msg_namelen, from,
                        from_length);
    }
    if (received != nullptr) *received = static_cast<uint32_t>(n);
    *flags = 0;
    if (overlapped != nullptr) {
      CompleteInline(overlapped, static_cast<int32_t>(n), truncated ? 0x80000005u : 0u);
    }
    if (truncated) return WsaFail(wsabi::kWsaEmsgsize);
    return 0;
  }

  ring::Request ring_request;
  if (total == 0 && socket->is_stream()) {
    // spec 49: a zero-byte receive waits for data without taking it.
    op->kind = IoKind::kPoll;
    ring_request = ring::Request::PollAdd(socket->fd(), POLLIN, 0);
  } else {
    op->kind = IoKind::kRecv;
    ring_request = ring::Request::RecvMsg(socket->fd(), &request.message,
                                          static_cast<uint32_t>(linux_flags), 0);
  }
  return StartOverlapped(socket.get(), op, ring_request, overlapped, routine);
}

// WSASend and WSASendTo.
__attribute__((noinline)) int Send(wsabi::Socket s, wsabi::WsaBuf* buffers, uint32_t count,
                                   uint32_t* sent, uint32_t flags, const void* to, int to_length,
                                   wsabi::Overlapped* overlapped,
                                   wsabi::CompletionRoutine routine) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return wsabi::kSocketError;
  if (count == 0) return WsaFail(wsabi::kWsaEinval);
  if (buffers == nullptr) return WsaFail(wsabi::kWsaEfault);
  if (overlapped == nullptr && sent == nullptr) return WsaFail(wsabi::kWsaEfault);  // spec 53
  if (socket->send_shut.load()) return WsaFail(wsabi::kWsaEshutdown);
  if (socket->is_stream() && !socket->connected.load()) return WsaFail(wsabi::kWsaEnotconn);
  if (overlapped != nullptr && routine != nullptr && socket->port() != nullptr) {
    return WsaFail(wsabi::kWsaEinval);
  }

  int send_flags;
  if (!winapi::LinuxMessageFlags(static_cast<int>(flags), &send_flags)) {
    return WsaFail(wsabi::kWsaEopnotsupp);
  }

  // An overlapped send on a stream completes when all of it is sent, as on
  // Windows (io_uring would report a short send as done): MSG_WAITALL.
  const int linux_flags = send_flags | MSG_NOSIGNAL | (socket->is_stream() ? MSG_WAITALL : 0);

  // The IOCP server's send: one buffer, no address, no extension.
  const bool overlapped_io = overlapped != nullptr && socket->overlapped();
  const bool plain = overlapped_io && count == 1 && (to == nullptr || socket->is_stream());
  if (plain && buffers[0].buf == nullptr && buffers[0].len > 0) {
    return WsaFail(wsabi::kWsaEfault);
  }
  IoOperation* op = plain ? winapi::OperationPool::Get() : winapi::OperationPool::GetExtended();
  if (op == nullptr) return WsaFail(wsabi::kWsaEnobufs);
  if (plain) {
    op->kind = IoKind::kSend;
    return StartOverlapped(socket.get(), op,
                           ring::Request::Send(socket->fd(), buffers[0].buf, buffers[0].len,
                                               static_cast<uint32_t>(linux_flags), 0),
                           overlapped, routine);
  }
  winapi::RequestExtension& request = *op->extension;
  if (CopyBuffers(buffers, count, &request) < 0) {
    winapi::OperationPool::Put(op);
    return WsaFail(wsabi::kWsaEfault);
  }
  if (to != nullptr && !socket->is_stream()) {
    if (int error = winapi::ToLinux(to, to_length, &request.address, &request.address_length)) {
      winapi::OperationPool::Put(op);
      return WsaFail(error);
    }
    request.message.msg_name = &request.address;
    request.message.msg_namelen = request.address_length;
  }
  if (!overlapped_io) {
    msghdr message = request.message;
    int32_t n = socket->SendNow(&message, send_flags);
    winapi::OperationPool::Put(op);
    if (n < 0) {
      if (n == -EAGAIN) socket->ReenableEvents(1 << 1);  // FD_WRITE may come again
      if (n == -EDESTADDRREQ) return WsaFail(wsabi::kWsaEnotconn);
      if (n == -EPIPE && socket->send_shut.load()) return WsaFail(wsabi::kWsaEshutdown);
      return WsaFail(winapi::WinsockFromErrno(n));
    }
    if (sent != nullptr) *sent = static_cast<uint32_t>(n);
    if (overlapped != nullptr) CompleteInline(overlapped, n, 0);
    return 0;
  }

  op->kind = IoKind::kSend;
  ring::Request ring_request =
      ring::Request::SendMsg(socket->fd(), &request.message, static_cast<uint32_t>(linux_flags), 0);
  return StartOverlapped(socket.get(), op, ring_request, overlapped, routine);
}

// BOOL-returning calls (AcceptEx, ConnectEx, DisconnectEx) fail with FALSE.
int FailBool(uint32_t error) {
  winapi::SetError(error);
  return 0;
}

// The request of an IOCP server's loop, taken before the general calls: a
// one-buffer overlapped receive (no flags) or send (no flags) on a connected
// stream socket associated with a port, for an OVERLAPPED without an event
// and no completion routine. Only conditions that are true, no errors: for
// anything else (including every error) the general call decides. Returns
// SOCKET_ERROR with WSA_IO_PENDING or the start's error, or kNotTaken.
constexpr int kNotTaken = 1;

int ReceiveOnPort(wsabi::Socket s, const wsabi::WsaBuf& buffer, wsabi::Overlapped* overlapped) {
  if (buffer.len == 0 || buffer.buf == nullptr || overlapped->event != nullptr ||
      !winapi::WinsockStarted()) {
    return kNotTaken;
  }
  TypedRef<SocketObject> socket = winapi::LookupSocket(s);
  if (!socket || !socket->overlapped() || !socket->is_stream() || !socket->connected.load()) {
    return kNotTaken;
  }
  winapi::CompletionPort* port = socket->port();
  if (port == nullptr || !socket->EnterSoleReceive()) return kNotTaken;
  IoOperation* op = winapi::OperationPool::Get();
  if (op == nullptr) {
    socket->AbandonReceive();
    return kNotTaken;  // the general call reports it
  }
  op->kind = IoKind::kRecv;
  return StartOnPort(socket.get(), op,
                     ring::Request::Recv(socket->fd(), buffer.buf, buffer.len, 0, 0), overlapped,
                     port, /*restart_flags=*/0);
}

int SendOnPort(wsabi::Socket s, const wsabi::WsaBuf& buffer, wsabi::Overlapped* overlapped) {
  if (buffer.buf == nullptr || overlapped->event != nullptr || !winapi::WinsockStarted()) {
    return kNotTaken;
  }
  TypedRef<SocketObject> socket = winapi::LookupSocket(s);
  if (!socket || !socket->overlapped() || !socket->is_stream() || !socket->connected.load() ||
      socket->send_shut.load()) {
    return kNotTaken;
  }
  winapi::CompletionPort* port = socket->port();
  if (port == nullptr) return kNotTaken;
  IoOperation* op = winapi::OperationPool::Get();
  if (op == nullptr) return kNotTaken;
  op->kind = IoKind::kSend;
  // As Send: the whole buffer (MSG_WAITALL), no SIGPIPE.
  return StartOnPort(
      socket.get(), op,
      ring::Request::Send(socket->fd(), buffer.buf, buffer.len, MSG_NOSIGNAL | MSG_WAITALL, 0),
      overlapped, port, winapi::restart_packing::kWaitAll | winapi::restart_packing::kNoSignal);
}

}  // namespace

extern "C" {

int WSARecv(wsabi::Socket s, wsabi::WsaBuf* lpBuffers, uint32_t dwBufferCount,
            uint32_t* lpNumberOfBytesRecvd, uint32_t* lpFlags, wsabi::Overlapped* lpOverlapped,
            wsabi::CompletionRoutine lpCompletionRoutine) {
  if (dwBufferCount == 1 && lpBuffers != nullptr && lpFlags != nullptr && *lpFlags == 0 &&
      lpOverlapped != nullptr && lpCompletionRoutine == nullptr) {
    const int rc = ReceiveOnPort(s, lpBuffers[0], lpOverlapped);
    if (rc != kNotTaken) return rc;
  }
  return Receive(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, nullptr, nullptr,
                 lpOverlapped, lpCompletionRoutine);
}

int WSARecvFrom(wsabi::Socket s, wsabi::WsaBuf* lpBuffers, uint32_t dwBufferCount,
                uint32_t* lpNumberOfBytesRecvd, uint32_t* lpFlags, void* lpFrom, int32_t* lpFromlen,
                wsabi::Overlapped* lpOverlapped, wsabi::CompletionRoutine lpCompletionRoutine) {
  return Receive(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen,
                 lpOverlapped, lpCompletionRoutine);
}

int WSASend(wsabi::Socket s, wsabi::WsaBuf* lpBuffers, uint32_t dwBufferCount,
            uint32_t* lpNumberOfBytesSent, uint32_t dwFlags, wsabi::Overlapped* lpOverlapped,
            wsabi::CompletionRoutine lpCompletionRoutine) {
  if (dwBufferCount == 1 && lpBuffers != nullptr && dwFlags == 0 && lpOverlapped != nullptr &&
      lpCompletionRoutine == nullptr) {
    const int rc = SendOnPort(s, lpBuffers[0], lpOverlapped);
    if (rc != kNotTaken) return rc;
  }
  return Send(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, nullptr, 0, lpOverlapped,
              lpCompletionRoutine);
}

int WSASendTo(wsabi::Socket s, wsabi::WsaBuf* lpBuffers, uint32_t dwBufferCount,
              uint32_t* lpNumberOfBytesSent, uint32_t dwFlags, const void* lpTo, int iTolen,
              wsabi::Overlapped* lpOverlapped, wsabi::CompletionRoutine lpCompletionRoutine) {
  return Send(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen, lpOverlapped,
              lpCompletionRoutine);
}

int AcceptEx(wsabi::Socket sListenSocket, wsabi::Socket sAcceptSocket, void* lpOutputBuffer,
             uint32_t dwReceiveDataLength, uint32_t dwLocalAddressLength,
             uint32_t dwRemoteAddressLength, uint32_t* lpdwBytesReceived,
             wsabi::Overlapped* lpOverlapped) {
  if (!winapi::WinsockStarted()) return FailBool(wsabi::kWsaNotInitialised);
  // spec 27: Internal reads STATUS_PENDING even after a synchronous failure.
  if (lpOverlapped != nullptr) MarkPending(lpOverlapped);
  auto listener = winapi::LookupSocket(sListenSocket);
  auto target = winapi::LookupSocket(sAcceptSocket);
  if (!listener || !target) return FailBool(wsabi::kWsaEnotsock);  // spec 55
  if (lpOverlapped == nullptr) return FailBool(wsabi::kWsaInvalidParameter);
  if (!listener->listening.load()) return FailBool(wsabi::kWsaEinval);
  if (target->bound.load() || target->connected.load() || target->accept_pending.load() ||
      target.get() == listener.get()) {
    return FailBool(wsabi::kWsaEinval);  // spec 54
  }
  if (dwRemoteAddressLength == 0) return FailBool(wsabi::kWsaEfault);  // spec 55
  if (lpOutputBuffer == nullptr) return FailBool(wsabi::kWsaEfault);
  if (lpdwBytesReceived != nullptr) *lpdwBytesReceived = 0;

  IoOperation* op = winapi::OperationPool::GetExtended();
  if (op == nullptr) return FailBool(wsabi::kWsaEnobufs);
  winapi::RequestExtension* extension = op->extension;
  op->kind = IoKind::kAccept;
  winapi::RequestExtension& request = *extension;
  request.output = static_cast<char*>(lpOutputBuffer);
  request.receive_length = dwReceiveDataLength;
  request.local_length = dwLocalAddressLength;
  request.remote_length = dwRemoteAddressLength;
  request.address_length = sizeof(request.address);
  target->Ref();
  request.accept_target = target.get();

  const uint32_t area = winapi::AcceptAddressAreaSize(listener->family());
  ring::Request ring_request;
  if ((dwLocalAddressLength != 0 && dwLocalAddressLength < area) || dwRemoteAddressLength < area) {
    // spec 56: pends, then fails with ERROR_INSUFFICIENT_BUFFER (122).
    request.forced_status = 0xC0000023;  // STATUS_BUFFER_TOO_SMALL
    ring_request = ring::Request::Nop(0);
  } else {
    ring_request =
        ring::Request::Accept(listener->fd(), reinterpret_cast<sockaddr*>(&request.address),
                              &request.address_length, SOCK_CLOEXEC, 0);
    target->SetPendingAccept(listener.get());
  }
  op->overlapped = lpOverlapped;
  op->event = reinterpret_cast<uintptr_t>(lpOverlapped->event);
  int rc = listener->Start(ring_request, op);
  if (rc < 0) {
    target->ClearPendingAccept();
    return FailBool(winapi::WinsockFromErrno(rc));
  }
  return FailBool(wsabi::kWsaIoPending);
}

void GetAcceptExSockaddrs(void* lpOutputBuffer, uint32_t dwReceiveDataLength,
                          uint32_t dwLocalAddressLength, uint32_t dwRemoteAddressLength,
                          void** LocalSockaddr, int32_t* LocalSockaddrLength, void** RemoteSockaddr,
                          int32_t* RemoteSockaddrLength) {
  // The areas AcceptEx wrote: a 4-byte length, then the Windows sockaddr.
  char* local = static_cast<char*>(lpOutputBuffer) + dwReceiveDataLength;
  char* remote = local + dwLocalAddressLength;
  auto read_area = [](char* area, uint32_t size, void** address, int32_t* length) {
    int32_t stored = 0;
    if (size >= sizeof(int32_t)) memcpy(&stored, area, sizeof(stored));
    // A length that does not fit its area was not written by AcceptEx: report
    // no address rather than one a program would copy past the buffer.
    if (stored < 0 || static_cast<uint32_t>(stored) > size - sizeof(int32_t)) stored = 0;
    if (address != nullptr) *address = stored > 0 ? area + sizeof(int32_t) : nullptr;
    if (length != nullptr) *length = stored;
  };
  if (lpOutputBuffer == nullptr) return;
  read_area(local, dwLocalAddressLength, LocalSockaddr, LocalSockaddrLength);
  read_area(remote, dwRemoteAddressLength, RemoteSockaddr, RemoteSockaddrLength);
}

int ConnectEx(wsabi::Socket s, const void* name, int namelen, void* lpSendBuffer,
              uint32_t dwSendDataLength, uint32_t* lpdwBytesSent, wsabi::Overlapped* lpOverlapped) {
  if (!winapi::WinsockStarted()) return FailBool(wsabi::kWsaNotInitialised);
  if (lpOverlapped != nullptr) MarkPending(lpOverlapped);  // spec 27
  auto socket = winapi::LookupSocket(s);
  if (!socket) return FailBool(wsabi::kWsaEnotsock);
  if (lpOverlapped == nullptr) return FailBool(wsabi::kWsaInvalidParameter);
  if (!socket->is_stream()) return FailBool(wsabi::kWsaEinval);
  if (socket->connected.load() || socket->connecting.load()) {
    return FailBool(wsabi::kWsaEisconn);  // spec 60
  }
  if (!socket->bound.load() || socket->listening.load()) return FailBool(wsabi::kWsaEinval);
  if (lpSendBuffer == nullptr && dwSendDataLength > 0) return FailBool(wsabi::kWsaEfault);

  IoOperation* op = winapi::OperationPool::GetExtended();
  if (op == nullptr) return FailBool(wsabi::kWsaEnobufs);
  winapi::RequestExtension* extension = op->extension;
  winapi::RequestExtension& request = *extension;
  if (int error = winapi::ToLinux(name, namelen, &request.address, &request.address_length)) {
    winapi::OperationPool::Put(op);
    return FailBool(error);
  }
  op->kind = IoKind::kConnect;
  request.send_data = lpSendBuffer;
  request.send_length = dwSendDataLength;
  if (lpdwBytesSent != nullptr) *lpdwBytesSent = 0;
  op->overlapped = lpOverlapped;
  op->event = reinterpret_cast<uintptr_t>(lpOverlapped->event);
  int rc = socket->Start(
      ring::Request::Connect(socket->fd(), reinterpret_cast<sockaddr*>(&request.address),
                             request.address_length, 0),
      op);
  if (rc < 0) return FailBool(winapi::WinsockFromErrno(rc));
  return FailBool(wsabi::kWsaIoPending);
}

int DisconnectEx(wsabi::Socket s, wsabi::Overlapped* lpOverlapped, uint32_t dwFlags,
                 uint32_t dwReserved) {
  if (!winapi::WinsockStarted()) return FailBool(wsabi::kWsaNotInitialised);
  auto socket = winapi::LookupSocket(s);
  if (!socket) return FailBool(wsabi::kWsaEnotsock);  // spec 64
  if (dwReserved != 0 || (dwFlags & ~wsabi::kTfReuseSocket) != 0) {
    return FailBool(wsabi::kWsaEinval);
  }
  if (!socket->connected.load()) return FailBool(wsabi::kWsaEnotconn);
  if (lpOverlapped == nullptr) {
    int rc = ring::DefaultSystem().Shutdown(socket->fd(), SHUT_WR);
    if (rc < 0) return FailBool(winapi::WinsockFromErrno(rc));
    socket->send_shut.store(true);
    socket->connected.store(false);
    if (dwFlags & wsabi::kTfReuseSocket) socket->Renew();
    return 1;
  }
  IoOperation* op = winapi::OperationPool::GetExtended();
  if (op == nullptr) return FailBool(wsabi::kWsaEnobufs);
  winapi::RequestExtension* extension = op->extension;
  op->kind = IoKind::kDisconnect;
  extension->flags = dwFlags;
  // The error (WSA_IO_PENDING or why it did not start) is set; a BOOL says
  // FALSE either way.
  StartOverlapped(socket.get(), op, ring::Request::Shutdown(socket->fd(), SHUT_WR, 0), lpOverlapped,
                  nullptr);
  return 0;
}

int TransmitFile(wsabi::Socket hSocket, void* hFile, uint32_t nNumberOfBytesToWrite,
                 uint32_t nNumberOfBytesPerSend, wsabi::Overlapped* lpOverlapped,
                 wsabi::TransmitFileBuffers* lpTransmitBuffers, uint32_t dwFlags) {
  (void)nNumberOfBytesPerSend;  // the kernel picks its own send sizes
  if (!winapi::WinsockStarted()) return FailBool(wsabi::kWsaNotInitialised);
  auto socket = winapi::LookupSocket(hSocket);
  if (!socket) return FailBool(wsabi::kWsaEnotsock);  // spec 65
  if (!socket->is_stream() || !socket->connected.load()) return FailBool(wsabi::kWsaEnotconn);
  if (dwFlags & ~(wsabi::kTfDisconnect | wsabi::kTfReuseSocket | 0x04 | 0x10 | 0x20)) {
    return FailBool(wsabi::kWsaEinval);
  }
  winapi::HandleTable::Ref file;
  if (hFile != nullptr) {
    file = winapi::HandleTable::Get().Lookup(reinterpret_cast<uintptr_t>(hFile));
    if (!file || file.get()->kind() != winapi::ObjectKind::kFile) {
      return FailBool(wsabi::kWsaInvalidHandle);
    }
  }
  IoOperation* op = winapi::OperationPool::GetExtended();
  if (op == nullptr) return FailBool(wsabi::kWsaEnobufs);
  winapi::RequestExtension* extension = op->extension;
  winapi::RequestExtension& r = *extension;
  op->kind = IoKind::kTransmit;
  r.flags = dwFlags;
  if (lpTransmitBuffers != nullptr) {
    r.head = static_cast<const char*>(lpTransmitBuffers->head);
    r.head_length = r.head ? lpTransmitBuffers->head_length : 0;
    r.tail = static_cast<const char*>(lpTransmitBuffers->tail);
    r.tail_length = r.tail ? lpTransmitBuffers->tail_length : 0;
  }
  if (file) {
    auto* object = static_cast<winapi::IoObject*>(file.get());
    const int64_t size = ring::DefaultSystem().FileSize(object->fd());
    r.file_offset = lpOverlapped != nullptr
                        ? (uint64_t{lpOverlapped->offset_high} << 32) | lpOverlapped->offset
                        : 0;
    const uint64_t available =
        size > static_cast<int64_t>(r.file_offset) ? uint64_t(size) - r.file_offset : 0;
    r.file_remaining = nNumberOfBytesToWrite == 0 || nNumberOfBytesToWrite > available
                           ? available
                           : nNumberOfBytesToWrite;
    r.transmit_buffer = new (std::nothrow) char[65536];
    if (r.transmit_buffer == nullptr) {
      winapi::OperationPool::Put(op);
      return FailBool(wsabi::kWsaEnobufs);
    }
    object->Ref();
    r.transmit_file = object;
  }
  ring::Request first;
  if (!socket->TransmitNext(op, &first)) first = ring::Request::Nop(0);  // nothing to send

  if (lpOverlapped == nullptr) {
    // Synchronous: every step through the IoService, waited for here.
    int32_t result = socket->RunTransmit(first, op);
    if (result < 0) return FailBool(winapi::WinsockFromErrno(result));
    return 1;
  }
  StartOverlapped(socket.get(), op, first, lpOverlapped, nullptr);  // sets the error
  return 0;
}

int WSAIoctl(wsabi::Socket s, uint32_t dwIoControlCode, void* lpvInBuffer, uint32_t cbInBuffer,
             void* lpvOutBuffer, uint32_t cbOutBuffer, uint32_t* lpcbBytesReturned,
             wsabi::Overlapped* lpOverlapped, wsabi::CompletionRoutine lpCompletionRoutine) {
  (void)lpOverlapped;  // every code here completes at once
  (void)lpCompletionRoutine;
  auto socket = winapi::EnterSocket(s);
  if (!socket) return wsabi::kSocketError;
  switch (dwIoControlCode) {
    case wsabi::kSioGetExtensionFunctionPointer: {
      if (lpvInBuffer == nullptr || cbInBuffer < sizeof(wsabi::Guid) || lpvOutBuffer == nullptr ||
          cbOutBuffer < sizeof(void*)) {
        return WsaFail(wsabi::kWsaEfault);
      }
      wsabi::Guid guid;
      memcpy(&guid, lpvInBuffer, sizeof(guid));
      void* function = nullptr;
      if (guid == wsabi::kGuidAcceptEx) function = reinterpret_cast<void*>(&AcceptEx);
      if (guid == wsabi::kGuidGetAcceptExSockaddrs) {
        function = reinterpret_cast<void*>(&GetAcceptExSockaddrs);
      }
      if (guid == wsabi::kGuidConnectEx) function = reinterpret_cast<void*>(&ConnectEx);
      if (guid == wsabi::kGuidDisconnectEx) function = reinterpret_cast<void*>(&DisconnectEx);
      if (guid == wsabi::kGuidTransmitFile) function = reinterpret_cast<void*>(&TransmitFile);
      if (function == nullptr) return WsaFail(wsabi::kWsaEinval);  // spec 66
      memcpy(lpvOutBuffer, &function, sizeof(function));
      if (lpcbBytesReturned != nullptr) *lpcbBytesReturned = sizeof(function);
      return 0;
    }
    case wsabi::kFionBio:
    case wsabi::kFionRead:
    case wsabi::kSiocAtMark: {
      uint32_t value = 0;
      if (dwIoControlCode == wsabi::kFionBio) {
        if (lpvInBuffer == nullptr || cbInBuffer < sizeof(uint32_t)) {
          return WsaFail(wsabi::kWsaEfault);
        }
        memcpy(&value, lpvInBuffer, sizeof(value));
      } else if (lpvOutBuffer == nullptr || cbOutBuffer < sizeof(uint32_t)) {
        return WsaFail(wsabi::kWsaEfault);
      }
      if (ioctlsocket(s, static_cast<int32_t>(dwIoControlCode), &value) != 0) {
        return wsabi::kSocketError;
      }
      if (dwIoControlCode != wsabi::kFionBio) {
        memcpy(lpvOutBuffer, &value, sizeof(value));
        if (lpcbBytesReturned != nullptr) *lpcbBytesReturned = sizeof(value);
      } else if (lpcbBytesReturned != nullptr) {
        *lpcbBytesReturned = 0;
      }
      return 0;
    }
    case wsabi::kSioKeepaliveVals: {
      if (lpvInBuffer == nullptr || cbInBuffer < sizeof(wsabi::TcpKeepalive)) {
        return WsaFail(wsabi::kWsaEfault);
      }
      wsabi::TcpKeepalive values;
      memcpy(&values, lpvInBuffer, sizeof(values));
      ring::System& sys = ring::DefaultSystem();
      int on = values.onoff != 0;
      int idle = static_cast<int>(values.keepalive_time / 1000);
      int interval = static_cast<int>(values.keepalive_interval / 1000);
      sys.SetSockOpt(socket->fd(), SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
      if (on) {
        if (idle < 1) idle = 1;
        if (interval < 1) interval = 1;
        sys.SetSockOpt(socket->fd(), IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
        sys.SetSockOpt(socket->fd(), IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
      }
      if (lpcbBytesReturned != nullptr) *lpcbBytesReturned = 0;
      return 0;
    }
    case wsabi::kSioUdpConnReset:
      // Linux reports ICMP port-unreachable to unconnected UDP sockets only
      // with IP_RECVERR; there is nothing to switch off.
      if (lpcbBytesReturned != nullptr) *lpcbBytesReturned = 0;
      return 0;
    default:
      return WsaFail(wsabi::kWsaEopnotsupp);
  }
}

int WSAGetOverlappedResult(wsabi::Socket s, wsabi::Overlapped* lpOverlapped, uint32_t* lpcbTransfer,
                           int fWait, uint32_t* lpdwFlags) {
  auto socket = winapi::EnterSocket(s);
  if (!socket) return 0;  // spec 40: WSAENOTSOCK
  if (lpOverlapped == nullptr || lpcbTransfer == nullptr || lpdwFlags == nullptr) {
    return FailBool(wsabi::kWsaEfault);
  }
  if (LoadInternal(lpOverlapped) == winapi::kStatusPending) {
    if (!fWait) return FailBool(wsabi::kWsaIoIncomplete);
    winapi::WaitForOperation(socket.get(), lpOverlapped, winapi::kInfiniteMs, false);
  }
  const uintptr_t status = LoadInternal(lpOverlapped);
  *lpcbTransfer = static_cast<uint32_t>(lpOverlapped->internal_high);
  *lpdwFlags = lpOverlapped->offset;  // receive flags, stored at completion
  if (static_cast<int32_t>(status) < 0) {
    return FailBool(winapi::WinsockFromStatus(static_cast<uint32_t>(status)));
  }
  return 1;
}

}  // extern "C"
