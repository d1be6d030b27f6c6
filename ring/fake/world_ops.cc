// Ring operations evaluated against the world. Execute(commit=false) asks
// what the operation would do now without changing anything; commit=true
// does it. The scheduler and the step API are built on that pair.
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "ring/fake/check.h"
#include "ring/fake/world.h"

namespace ring::fake_internal {
namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;

bool IsSocketOnlyOp(Op op) {
  return op == Op::kRecv || op == Op::kSend || op == Op::kRecvMsg || op == Op::kSendMsg;
}

bool IsReadOp(Op op) {
  return op == Op::kRecv || op == Op::kRecvMsg || op == Op::kRead || op == Op::kReadv;
}

bool IsTransferOp(Op op) {
  switch (op) {
    case Op::kRecv:
    case Op::kSend:
    case Op::kRecvMsg:
    case Op::kSendMsg:
    case Op::kRead:
    case Op::kWrite:
    case Op::kReadv:
    case Op::kWritev:
      return true;
    default:
      return false;
  }
}

// Nanoseconds of a relative timespec, saturating instead of overflowing.
int64_t TimespecNs(const __kernel_timespec& ts) {
  constexpr int64_t kMaxSeconds = INT64_MAX / kNsPerSecond - 1;
  if (ts.tv_sec > kMaxSeconds) return INT64_MAX / 2;
  return ts.tv_sec * kNsPerSecond + ts.tv_nsec;
}

}  // namespace

void World::Prepare(Operation& op) {
  const Request& request = op.request;
  switch (request.op) {
    case Op::kNop:
    case Op::kCancel:
    case Op::kClose:  // close looks its descriptor up when it runs
      return;
    case Op::kTimeout: {
      if (request.addr == 0) {
        op.failure = -EFAULT;
        return;
      }
      // io_uring copies the timespec at submission; so do we.
      __kernel_timespec ts;
      memcpy(&ts, reinterpret_cast<const void*>(request.addr), sizeof(ts));
      if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= kNsPerSecond) {
        op.failure = -EINVAL;
        return;
      }
      const int64_t relative = TimespecNs(ts);
      op.deadline = now_ > INT64_MAX / 2 ? now_ : now_ + relative;
      return;
    }
    default: {
      Object* object = Lookup(request.fd);
      if (object == nullptr) {
        op.failure = -EBADF;
        return;
      }
      Ref(object);  // like the kernel's file reference: a close cannot pull it away
      op.object = object;
      return;
    }
  }
}

Attempt World::Execute(Operation& op, size_t limit, bool commit) {
  if (op.failure) return Attempt::Done(*op.failure);
  const Request& request = op.request;
  switch (request.op) {
    case Op::kNop:
      return Attempt::Done(0);
    case Op::kTimeout:
      return now_ >= op.deadline ? Attempt::Done(-ETIME) : Attempt::Blocked();
    case Op::kCancel:
      return ExecuteCancel(op, commit);
    case Op::kClose:
      return Attempt::Done(CloseDescriptor(request.fd, commit));
    case Op::kPollAdd: {
      // io_uring reports these whether asked for or not (IO_POLL_UNMASK).
      constexpr uint32_t kAlwaysReported = POLLERR | POLLHUP | POLLNVAL | POLLRDHUP;
      const uint32_t mask = PollMask(*op.object) & (request.op_flags | kAlwaysReported);
      return mask != 0 ? Attempt::Done(mask) : Attempt::Blocked();
    }
    case Op::kFsync:
      // Only kFsyncDataOnly means anything; the kernel backends pass no
      // other bit to the kernel, so other bits are ignored here too.
      // Sockets and pipes have no fsync: vfs_fsync gives EINVAL.
      return Attempt::Done(op.object->kind == ObjectKind::kFile ? 0 : -EINVAL);
    case Op::kShutdown:
    case Op::kAccept:
    case Op::kConnect: {
      if (op.object->kind != ObjectKind::kSocket) return Attempt::Done(-ENOTSOCK);
      auto& socket = static_cast<SocketObject&>(*op.object);
      if (request.op == Op::kShutdown) {
        return Attempt::Done(ShutdownSocket(socket, static_cast<int>(request.op_flags), commit));
      }
      if (request.op == Op::kAccept) {
        return AcceptConnection(socket, reinterpret_cast<sockaddr*>(request.addr),
                                reinterpret_cast<socklen_t*>(request.addr2), request.op_flags,
                                commit);
      }
      return ConnectSocket(socket, reinterpret_cast<const sockaddr*>(request.addr), request.len,
                           commit);
    }
    default:
      FAKE_CHECK(IsTransferOp(request.op));
      return ExecuteTransfer(op, limit, commit);
  }
}

int World::MessageTransfer(msghdr* message, uint32_t flags, bool receive, Transfer* transfer) {
  if (message == nullptr) return -EFAULT;
  if (message->msg_iovlen > kMaxIovecs) return -EMSGSIZE;
  transfer->flags = flags;
  if (receive) {
    transfer->message = message;
  } else if (message->msg_name != nullptr && message->msg_namelen != 0) {
    transfer->name = static_cast<const sockaddr*>(message->msg_name);
    transfer->name_len = message->msg_namelen;
  }
  return transfer->buffers.Assign(message->msg_iov, message->msg_iovlen);
}

int World::BuildTransfer(Operation& op, Transfer* transfer) const {
  const Request& request = op.request;
  switch (request.op) {
    case Op::kRecv:
    case Op::kSend:
      transfer->flags = request.op_flags;
      return transfer->buffers.AssignSingle(reinterpret_cast<void*>(request.addr), request.len);
    case Op::kRead:
    case Op::kWrite:
      return transfer->buffers.AssignSingle(reinterpret_cast<void*>(request.addr), request.len);
    case Op::kReadv:
    case Op::kWritev:
      if (request.len > kMaxIovecs) return -EINVAL;
      return transfer->buffers.Assign(reinterpret_cast<const iovec*>(request.addr), request.len);
    case Op::kRecvMsg:
    case Op::kSendMsg:
      return MessageTransfer(reinterpret_cast<msghdr*>(request.addr), request.op_flags,
                             request.op == Op::kRecvMsg, transfer);
    default:
      return -EINVAL;
  }
}

Attempt World::ExecuteTransfer(Operation& op, size_t limit, bool commit) {
  const Request& request = op.request;
  if (IsSocketOnlyOp(request.op) && op.object->kind != ObjectKind::kSocket) {
    return Attempt::Done(-ENOTSOCK);
  }
  Transfer transfer;
  const int rc = BuildTransfer(op, &transfer);
  if (rc < 0) return Attempt::Done(rc);
  transfer.limit = limit;
  transfer.skip = op.done;
  FAKE_CHECK(transfer.skip <= transfer.buffers.total());
  Attempt attempt;
  if (IsSocketOnlyOp(request.op)) {
    auto& socket = static_cast<SocketObject&>(*op.object);
    attempt =
        IsReadOp(request.op) ? Receive(socket, transfer, commit) : Send(socket, transfer, commit);
  } else {
    // Non-seekable descriptors ignore the offset, as io_uring does.
    attempt = IsReadOp(request.op) ? ReadObject(*op.object, transfer, request.offset, commit)
                                   : WriteObject(*op.object, transfer, request.offset, commit);
  }
  if (!WaitsForAll(op) || attempt.blocked) return attempt;
  // MSG_WAITALL on a stream: io_uring retries a short transfer until the
  // buffers are full; the end of the stream or an error ends it early with
  // what already moved. A forced (limited) transfer ends it too.
  if (attempt.result <= 0) {
    return op.done > 0 ? Attempt::Done(static_cast<int64_t>(op.done)) : attempt;
  }
  const size_t total = op.done + static_cast<size_t>(attempt.result);
  if (total >= transfer.buffers.total() || limit != kNoLimit) {
    return Attempt::Done(static_cast<int64_t>(total));
  }
  if (commit) op.done = total;
  return Attempt::Blocked();
}

Attempt World::ExecuteCancel(Operation& op, bool commit) {
  // Only requests still waiting can be cancelled; one whose result is fixed
  // has, for the kernel, already completed.
  Operation* target = nullptr;
  for (const auto& entry : operations_) {
    Operation& candidate = *entry.second;
    if (&candidate != &op && candidate.ring == op.ring &&
        candidate.request.user_data == op.request.addr &&
        candidate.stage == Operation::Stage::kPending) {
      target = &candidate;
      break;
    }
  }
  if (target == nullptr) return Attempt::Done(-ENOENT);
  if (!commit) return Attempt::Done(0);
  if (random_.Chance(options_.cancel_race)) {
    // The target was running in an io-wq worker: the cancel can only
    // interrupt it.
    Finish(*target, -EINTR);
    return Attempt::Done(-EALREADY);
  }
  Finish(*target, -ECANCELED);
  return Attempt::Done(0);
}

bool World::IsByteTransfer(const Operation& op) const {
  return IsTransferOp(op.request.op) && !op.failure && op.object != nullptr;
}

SocketObject* World::StreamSocketOf(const Operation& op) const {
  if (op.object == nullptr || op.object->kind != ObjectKind::kSocket) return nullptr;
  auto* socket = static_cast<SocketObject*>(op.object);
  return socket->IsStream() ? socket : nullptr;
}

bool World::WaitsForAll(const Operation& op) const {
  const Op kind = op.request.op;
  return IsSocketOnlyOp(kind) && (op.request.op_flags & MSG_WAITALL) != 0 &&
         StreamSocketOf(op) != nullptr;
}

bool World::CanShorten(const Operation& op) const {
  if (!IsByteTransfer(op)) return false;
  if (op.object->kind != ObjectKind::kSocket) return true;
  const auto& socket = static_cast<const SocketObject&>(*op.object);
  if (socket.IsStream()) return true;
  // A datagram is sent whole; a received one can be truncated unless the
  // caller asked for its full length (MSG_TRUNC).
  const bool receive = IsReadOp(op.request.op);
  return receive && (op.request.op_flags & MSG_TRUNC) == 0;
}

}  // namespace ring::fake_internal
