#include "ring/uring/uring_ring.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <new>

#include "ring/internal/clock.h"
#include "ring/internal/eventfd.h"
#include "ring/internal/reserved.h"

namespace ring {
namespace {

void* Pointer(uint64_t address) { return reinterpret_cast<void*>(static_cast<uintptr_t>(address)); }

// Liburing's prep helper for each operation.
void PrepareSqe(const Request& r, io_uring_sqe* sqe) {
  switch (r.op) {
    case Op::kNop:
      io_uring_prep_nop(sqe);
      break;
    case Op::kAccept:
      io_uring_prep_accept(sqe, r.fd, static_cast<sockaddr*>(Pointer(r.addr)),
                           static_cast<socklen_t*>(Pointer(r.addr2)), static_cast<int>(r.op_flags));
      break;
    case Op::kConnect:
      io_uring_prep_connect(sqe, r.fd, static_cast<const sockaddr*>(Pointer(r.addr)), r.len);
      break;
    case Op::kRecv:
      io_uring_prep_recv(sqe, r.fd, Pointer(r.addr), r.len, static_cast<int>(r.op_flags));
      break;
    case Op::kSend:
      io_uring_prep_send(sqe, r.fd, Pointer(r.addr), r.len, static_cast<int>(r.op_flags));
      break;
    case Op::kRecvMsg:
      io_uring_prep_recvmsg(sqe, r.fd, static_cast<msghdr*>(Pointer(r.addr)), r.op_flags);
      break;
    case Op::kSendMsg:
      io_uring_prep_sendmsg(sqe, r.fd, static_cast<const msghdr*>(Pointer(r.addr)), r.op_flags);
      break;
    case Op::kRead:
      io_uring_prep_read(sqe, r.fd, Pointer(r.addr), r.len, r.offset);
      break;
    case Op::kWrite:
      io_uring_prep_write(sqe, r.fd, Pointer(r.addr), r.len, r.offset);
      break;
    case Op::kReadv:
      io_uring_prep_readv(sqe, r.fd, static_cast<const iovec*>(Pointer(r.addr)), r.len, r.offset);
      break;
    case Op::kWritev:
      io_uring_prep_writev(sqe, r.fd, static_cast<const iovec*>(Pointer(r.addr)), r.len, r.offset);
      break;
    case Op::kPollAdd:
      io_uring_prep_poll_add(sqe, r.fd, r.op_flags);
      break;
    case Op::kTimeout:
      io_uring_prep_timeout(sqe, static_cast<__kernel_timespec*>(Pointer(r.addr)), 0, 0);
      break;
    case Op::kCancel:
      io_uring_prep_cancel64(sqe, r.addr, 0);
      break;
    case Op::kClose:
      io_uring_prep_close(sqe, r.fd);
      break;
    case Op::kShutdown:
      io_uring_prep_shutdown(sqe, r.fd, static_cast<int>(r.op_flags));
      break;
    case Op::kFsync:
      io_uring_prep_fsync(sqe, r.fd, (r.op_flags & kFsyncDataOnly) ? IORING_FSYNC_DATASYNC : 0);
      break;
    case Op::kCount:
      break;
  }
  io_uring_sqe_set_data64(sqe, r.user_data);
  if (r.fixed_file) sqe->flags |= IOSQE_FIXED_FILE;
}

constexpr int kOpcodes[] = {
    IORING_OP_NOP,     IORING_OP_ACCEPT,       IORING_OP_CONNECT, IORING_OP_RECV,
    IORING_OP_SEND,    IORING_OP_RECVMSG,      IORING_OP_SENDMSG, IORING_OP_READ,
    IORING_OP_WRITE,   IORING_OP_READV,        IORING_OP_WRITEV,  IORING_OP_POLL_ADD,
    IORING_OP_TIMEOUT, IORING_OP_ASYNC_CANCEL, IORING_OP_CLOSE,   IORING_OP_SHUTDOWN,
    IORING_OP_FSYNC,
};
static_assert(sizeof(kOpcodes) / sizeof(kOpcodes[0]) == static_cast<size_t>(Op::kCount));

}  // namespace

std::unique_ptr<UringRing> UringRing::Create(const RingOptions& options, int* error) {
  std::unique_ptr<UringRing> ring(new (std::nothrow) UringRing());
  int rc = ring ? ring->Setup(options) : -ENOMEM;
  if (error) *error = rc < 0 ? rc : 0;
  if (rc < 0) return nullptr;
  return ring;
}

int UringRing::Setup(const RingOptions& options) {
  if (options.entries == 0) return -EINVAL;
  io_uring_params params;
  memset(&params, 0, sizeof(params));
  params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP;
  params.cq_entries = options.entries * 2;
  int rc = io_uring_queue_init_params(options.entries, &ring_, &params);
  if (rc < 0) return rc;
  initialized_ = true;

  capabilities_.nodrop = (params.features & IORING_FEAT_NODROP) != 0;
  capabilities_.ext_arg = (params.features & IORING_FEAT_EXT_ARG) != 0;
  capabilities_.single_mmap = (params.features & IORING_FEAT_SINGLE_MMAP) != 0;
  capabilities_.sq_entries = params.sq_entries;
  capabilities_.cq_entries = params.cq_entries;
  if (io_uring_probe* probe = io_uring_get_probe_ring(&ring_)) {
    for (size_t op = 0; op < static_cast<size_t>(Op::kCount); ++op) {
      capabilities_.supported[op] = io_uring_opcode_supported(probe, kOpcodes[op]) != 0;
    }
    io_uring_free_probe(probe);
  }

  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) return -errno;
  ArmWake();
  rc = io_uring_submit(&ring_);
  return rc < 0 ? rc : 0;
}

UringRing::~UringRing() {
  if (initialized_) io_uring_queue_exit(&ring_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

int UringRing::Prepare(const Request& request) {
  if (request.op >= Op::kCount || request.user_data >= kReservedUserDataMin) return -EINVAL;
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  if (sqe == nullptr) return -EBUSY;
  PrepareSqe(request, sqe);
  return 0;
}

int UringRing::RegisterFileTable(unsigned slots) {
  if (slots == 0 || files_registered_) return -EINVAL;
  int rc = io_uring_register_files_sparse(&ring_, slots);
  if (rc < 0) return rc;
  files_registered_ = true;
  return 0;
}

int UringRing::SetFile(unsigned slot, int fd) {
  if (!files_registered_) return -ENXIO;
  int value = fd;
  int rc = io_uring_register_files_update(&ring_, slot, &value, 1);
  return rc < 0 ? rc : 0;
}

unsigned UringRing::Prepared() const { return io_uring_sq_ready(&ring_); }

void UringRing::ArmWake() {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  if (sqe == nullptr) {
    io_uring_submit(&ring_);
    sqe = io_uring_get_sqe(&ring_);
    if (sqe == nullptr) return;  // armed before the next blocking wait
  }
  // One multishot poll serves every Wake(): each eventfd write posts one
  // completion. The counter is never drained (see RawRing for why).
  io_uring_prep_poll_multishot(sqe, wake_fd_, POLLIN);
  io_uring_sqe_set_data64(sqe, internal::kWakeUserData);
  wake_armed_ = true;
}

int UringRing::Submit() {
  if (Prepared() == 0) return 0;
  int rc;
  do {
    rc = io_uring_submit(&ring_);
  } while (rc == -EINTR);
  return rc;
}

unsigned UringRing::Reap(Completion* out, unsigned capacity) {
  unsigned copied = 0;
  io_uring_cqe* batch[64];
  while (copied < capacity) {
    // Peek at most as many as fit, so none is consumed without being copied.
    unsigned want = std::min<unsigned>(64, capacity - copied);
    unsigned got = io_uring_peek_batch_cqe(&ring_, batch, want);
    if (got == 0) break;
    for (unsigned i = 0; i < got; ++i) {
      const io_uring_cqe* cqe = batch[i];
      if (cqe->user_data == internal::kWakeUserData) {
        woken_ = true;
        if ((cqe->flags & IORING_CQE_F_MORE) == 0) wake_armed_ = false;  // ended by the kernel
      } else if (cqe->user_data < kReservedUserDataMin) {
        out[copied++] = Completion{cqe->user_data, cqe->res, cqe->flags};
      }
    }
    io_uring_cq_advance(&ring_, got);
  }
  if (!wake_armed_) ArmWake();
  return copied;
}

int UringRing::Peek(Completion* out, unsigned capacity) {
  return static_cast<int>(Reap(out, capacity));
}

int UringRing::Wait(Completion* out, unsigned capacity, unsigned min_complete, int64_t timeout_ns) {
  if (out == nullptr && capacity > 0) return -EFAULT;
  min_complete = std::min(min_complete, capacity);
  const int64_t deadline_ns = timeout_ns < 0 ? -1 : internal::MonotonicNs() + timeout_ns;
  unsigned reaped = Reap(out, capacity);
  int last_error = 0;
  while (reaped < min_complete && !woken_) {
    __kernel_timespec timeout = {};
    if (deadline_ns >= 0) {
      int64_t remaining_ns = deadline_ns - internal::MonotonicNs();
      if (remaining_ns <= 0) break;
      timeout = internal::ToTimespec(remaining_ns);
    }
    if (!wake_armed_) ArmWake();
    io_uring_cqe* first = nullptr;
    int rc = io_uring_submit_and_wait_timeout(&ring_, &first, min_complete - reaped,
                                              deadline_ns >= 0 ? &timeout : nullptr, nullptr);
    if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EBUSY && rc != -EAGAIN) {
      last_error = rc;
    }
    reaped += Reap(out + reaped, capacity - reaped);
    if (last_error != 0) break;
  }
  if (Prepared() > 0) {
    int rc = Submit();
    if (rc < 0 && rc != -EBUSY && rc != -EAGAIN && last_error == 0) last_error = rc;
    reaped += Reap(out + reaped, capacity - reaped);
  }
  woken_ = false;  // a wake-up is used up by the Wait it ends
  if (reaped == 0 && last_error != 0) return last_error;
  return static_cast<int>(reaped);
}

unsigned UringRing::Publish() {
  // liburing publishes only inside io_uring_submit; submit now instead, which
  // gives the same observable result (the requests reach the kernel).
  int rc = Submit();
  (void)rc;
  return 0;
}

int UringRing::Block(unsigned min_available, int64_t timeout_ns, unsigned to_submit) {
  // liburing's wait with an EXT_ARG timeout enters the kernel without
  // submitting and returns without consuming. Publish already submitted.
  (void)to_submit;
  __kernel_timespec timeout = internal::ToTimespec(timeout_ns);
  if (min_available == 0) return 0;
  io_uring_cqe* first = nullptr;
  int rc = io_uring_wait_cqes(&ring_, &first, min_available, timeout_ns < 0 ? nullptr : &timeout,
                              nullptr);
  return rc < 0 ? rc : 0;
}

int UringRing::Wake() { return internal::SignalEventfd(wake_fd_); }

}  // namespace ring
