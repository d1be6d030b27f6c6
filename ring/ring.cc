#include "ring/ring.h"

#include <errno.h>

namespace ring {

const char* OpName(Op op) {
  switch (op) {
    case Op::kNop:
      return "nop";
    case Op::kAccept:
      return "accept";
    case Op::kConnect:
      return "connect";
    case Op::kRecv:
      return "recv";
    case Op::kSend:
      return "send";
    case Op::kRecvMsg:
      return "recvmsg";
    case Op::kSendMsg:
      return "sendmsg";
    case Op::kRead:
      return "read";
    case Op::kWrite:
      return "write";
    case Op::kReadv:
      return "readv";
    case Op::kWritev:
      return "writev";
    case Op::kPollAdd:
      return "poll_add";
    case Op::kTimeout:
      return "timeout";
    case Op::kCancel:
      return "cancel";
    case Op::kClose:
      return "close";
    case Op::kShutdown:
      return "shutdown";
    case Op::kFsync:
      return "fsync";
    case Op::kCount:
      break;
  }
  return "invalid";
}

namespace {

uint64_t Address(const void* pointer) { return reinterpret_cast<uintptr_t>(pointer); }

Request Make(Op op, int fd, uint64_t user_data) {
  Request request;
  request.op = op;
  request.fd = fd;
  request.user_data = user_data;
  return request;
}

}  // namespace

Request Request::Nop(uint64_t user_data) { return Make(Op::kNop, -1, user_data); }

Request Request::Accept(int fd, sockaddr* addr, socklen_t* addr_len, uint32_t sock_flags,
                        uint64_t user_data) {
  Request r = Make(Op::kAccept, fd, user_data);
  r.addr = Address(addr);
  r.addr2 = Address(addr_len);
  r.op_flags = sock_flags;
  return r;
}

Request Request::Connect(int fd, const sockaddr* addr, socklen_t addr_len, uint64_t user_data) {
  Request r = Make(Op::kConnect, fd, user_data);
  r.addr = Address(addr);
  r.len = addr_len;
  return r;
}

Request Request::RecvMsg(int fd, msghdr* msg, uint32_t msg_flags, uint64_t user_data) {
  Request r = Make(Op::kRecvMsg, fd, user_data);
  r.addr = Address(msg);
  r.op_flags = msg_flags;
  return r;
}

Request Request::SendMsg(int fd, const msghdr* msg, uint32_t msg_flags, uint64_t user_data) {
  Request r = Make(Op::kSendMsg, fd, user_data);
  r.addr = Address(msg);
  r.op_flags = msg_flags;
  return r;
}

Request Request::Read(int fd, void* buf, uint32_t len, uint64_t offset, uint64_t user_data) {
  Request r = Make(Op::kRead, fd, user_data);
  r.addr = Address(buf);
  r.len = len;
  r.offset = offset;
  return r;
}

Request Request::Write(int fd, const void* buf, uint32_t len, uint64_t offset, uint64_t user_data) {
  Request r = Make(Op::kWrite, fd, user_data);
  r.addr = Address(buf);
  r.len = len;
  r.offset = offset;
  return r;
}

Request Request::Readv(int fd, const iovec* iov, uint32_t iov_count, uint64_t offset,
                       uint64_t user_data) {
  Request r = Make(Op::kReadv, fd, user_data);
  r.addr = Address(iov);
  r.len = iov_count;
  r.offset = offset;
  return r;
}

Request Request::Writev(int fd, const iovec* iov, uint32_t iov_count, uint64_t offset,
                        uint64_t user_data) {
  Request r = Make(Op::kWritev, fd, user_data);
  r.addr = Address(iov);
  r.len = iov_count;
  r.offset = offset;
  return r;
}

Request Request::PollAdd(int fd, uint32_t poll_mask, uint64_t user_data) {
  Request r = Make(Op::kPollAdd, fd, user_data);
  r.op_flags = poll_mask;
  return r;
}

Request Request::Timeout(const __kernel_timespec* relative, uint64_t user_data) {
  Request r = Make(Op::kTimeout, -1, user_data);
  r.addr = Address(relative);
  return r;
}

Request Request::Cancel(uint64_t target_user_data, uint64_t user_data) {
  Request r = Make(Op::kCancel, -1, user_data);
  r.addr = target_user_data;
  return r;
}

Request Request::Close(int fd, uint64_t user_data) { return Make(Op::kClose, fd, user_data); }

Request Request::Shutdown(int fd, int how, uint64_t user_data) {
  Request r = Make(Op::kShutdown, fd, user_data);
  r.op_flags = static_cast<uint32_t>(how);
  return r;
}

Request Request::Fsync(int fd, uint32_t fsync_flags, uint64_t user_data) {
  Request r = Make(Op::kFsync, fd, user_data);
  r.op_flags = fsync_flags;
  return r;
}

int Ring::RegisterFileTable(unsigned) { return -ENOSYS; }

int Ring::SetFile(unsigned, int) { return -ENOSYS; }

}  // namespace ring
