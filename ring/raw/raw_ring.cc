#include "ring/raw/raw_ring.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <new>
#include <vector>

#include "ring/internal/clock.h"
#include "ring/internal/eventfd.h"
#include "ring/internal/reserved.h"
#include "ring/raw/barrier.h"
#include "ring/raw/syscalls.h"

namespace ring {
namespace {

// Maps our operations to io_uring opcodes. Indexed by Op.
constexpr uint8_t kOpcodes[] = {
    IORING_OP_NOP,     IORING_OP_ACCEPT,       IORING_OP_CONNECT, IORING_OP_RECV,
    IORING_OP_SEND,    IORING_OP_RECVMSG,      IORING_OP_SENDMSG, IORING_OP_READ,
    IORING_OP_WRITE,   IORING_OP_READV,        IORING_OP_WRITEV,  IORING_OP_POLL_ADD,
    IORING_OP_TIMEOUT, IORING_OP_ASYNC_CANCEL, IORING_OP_CLOSE,   IORING_OP_SHUTDOWN,
    IORING_OP_FSYNC,
};
static_assert(sizeof(kOpcodes) == static_cast<size_t>(Op::kCount), "one opcode per Op");

// Fills a zeroed SQE from a neutral request.
void Translate(const Request& request, io_uring_sqe* sqe) {
  sqe->opcode = kOpcodes[static_cast<size_t>(request.op)];
  sqe->fd = request.fd;
  sqe->user_data = request.user_data;
  if (request.fixed_file) sqe->flags |= IOSQE_FIXED_FILE;
  switch (request.op) {
    case Op::kNop:
      break;
    case Op::kAccept:
      sqe->addr = request.addr;
      sqe->addr2 = request.addr2;  // socklen_t* travels in the offset field
      sqe->accept_flags = request.op_flags;
      break;
    case Op::kConnect:
      sqe->addr = request.addr;
      sqe->off = request.len;  // the address length travels in the offset field
      break;
    case Op::kRecv:
    case Op::kSend:
      sqe->addr = request.addr;
      sqe->len = request.len;
      sqe->msg_flags = request.op_flags;
      break;
    case Op::kRecvMsg:
    case Op::kSendMsg:
      sqe->addr = request.addr;
      sqe->len = 1;
      sqe->msg_flags = request.op_flags;
      break;
    case Op::kRead:
    case Op::kWrite:
    case Op::kReadv:
    case Op::kWritev:
      sqe->addr = request.addr;
      sqe->len = request.len;
      sqe->off = request.offset;  // ~0 = current position (IORING_FEAT_RW_CUR_POS)
      break;
    case Op::kPollAdd:
      sqe->poll32_events = request.op_flags;
      break;
    case Op::kTimeout:
      sqe->addr = request.addr;
      sqe->len = 1;  // one timespec
      sqe->off = 0;  // a pure timer: not satisfied by other completions
      break;
    case Op::kCancel:
      sqe->addr = request.addr;
      sqe->fd = -1;
      break;
    case Op::kClose:
      break;
    case Op::kShutdown:
      sqe->len = request.op_flags;
      break;
    case Op::kFsync:
      sqe->fsync_flags = (request.op_flags & kFsyncDataOnly) ? IORING_FSYNC_DATASYNC : 0;
      break;
    case Op::kCount:
      break;
  }
}

}  // namespace

std::unique_ptr<RawRing> RawRing::Create(const RingOptions& options, int* error) {
  std::unique_ptr<RawRing> ring(new (std::nothrow) RawRing());
  int rc = ring ? ring->Setup(options) : -ENOMEM;
  if (rc < 0) {
    if (error) *error = rc;
    return nullptr;
  }
  if (error) *error = 0;
  return ring;
}

// Tries the set-up flags from the most to the least wanted: SQPOLL only if
// asked for, SUBMIT_ALL where the kernel has it (5.18). Without SUBMIT_ALL
// submission stops at the first failing SQE, which we handle the same way.
// SQPOLL refused (an old kernel without CAP_SYS_ADMIN, a CPU that is not
// ours) falls back to a plain ring; Capabilities::sq_poll tells the caller.
int RawRing::CreateRing(const RingOptions& options, io_uring_params* params) {
  int fd = -EINVAL;
  for (int with_sq_poll = options.sq_poll ? 1 : 0; with_sq_poll >= 0; --with_sq_poll) {
    for (int with_submit_all = 1; with_submit_all >= 0; --with_submit_all) {
      memset(params, 0, sizeof(*params));
      params->flags = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP;
      if (with_submit_all) params->flags |= IORING_SETUP_SUBMIT_ALL;
      params->cq_entries = options.entries * 2;
      if (with_sq_poll) {
        params->flags |= IORING_SETUP_SQPOLL;
        params->sq_thread_idle = options.sq_poll_idle_ms;
        if (options.sq_poll_cpu >= 0) {
          params->flags |= IORING_SETUP_SQ_AFF;
          params->sq_thread_cpu = static_cast<uint32_t>(options.sq_poll_cpu);
        }
      }
      fd = raw::IoUringSetup(options.entries, params);
      if (fd >= 0) {
        sq_poll_ = with_sq_poll != 0;
        return fd;
      }
      if (fd != -EINVAL && !(with_sq_poll && fd == -EPERM)) return fd;
    }
  }
  return fd;
}

int RawRing::Setup(const RingOptions& options) {
  if (options.entries == 0) return -EINVAL;
  io_uring_params params;
  int fd = CreateRing(options, &params);
  if (fd < 0) return fd;
  ring_fd_ = fd;
  capabilities_.sq_poll = sq_poll_;

  int rc = MapRings(params);
  if (rc < 0) return rc;
  Probe(params);
  if (!capabilities_.ext_arg || !capabilities_.nodrop || !capabilities_.Supports(Op::kPollAdd)) {
    return -ENOSYS;  // older than 5.13: see the header
  }

  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) return -errno;
  ArmWake();
  // Hand the wake poll to the kernel now so that Prepared() starts at zero.
  rc = FlushSubmissions();
  return rc < 0 ? rc : 0;
}

int RawRing::MapRings(const io_uring_params& params) {
  sq_map_size_ = params.sq_off.array + params.sq_entries * sizeof(unsigned);
  cq_map_size_ = params.cq_off.cqes + params.cq_entries * sizeof(io_uring_cqe);
  const bool single_mmap = (params.features & IORING_FEAT_SINGLE_MMAP) != 0;
  if (single_mmap) sq_map_size_ = cq_map_size_ = std::max(sq_map_size_, cq_map_size_);

  sq_map_ = ::mmap(nullptr, sq_map_size_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                   ring_fd_, IORING_OFF_SQ_RING);
  if (sq_map_ == MAP_FAILED) {
    sq_map_ = nullptr;
    return -errno;
  }
  if (single_mmap) {
    cq_map_ = sq_map_;
  } else {
    cq_map_ = ::mmap(nullptr, cq_map_size_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                     ring_fd_, IORING_OFF_CQ_RING);
    if (cq_map_ == MAP_FAILED) {
      cq_map_ = nullptr;
      return -errno;
    }
  }
  sqes_size_ = params.sq_entries * sizeof(io_uring_sqe);
  void* sqes = ::mmap(nullptr, sqes_size_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                      ring_fd_, IORING_OFF_SQES);
  if (sqes == MAP_FAILED) return -errno;
  sqes_ = static_cast<io_uring_sqe*>(sqes);

  char* sq = static_cast<char*>(sq_map_);
  sq_head_ = reinterpret_cast<unsigned*>(sq + params.sq_off.head);
  sq_tail_ = reinterpret_cast<unsigned*>(sq + params.sq_off.tail);
  sq_flags_ = reinterpret_cast<unsigned*>(sq + params.sq_off.flags);
  sq_mask_ = *reinterpret_cast<unsigned*>(sq + params.sq_off.ring_mask);
  sq_entries_ = *reinterpret_cast<unsigned*>(sq + params.sq_off.ring_entries);
  unsigned* sq_array = reinterpret_cast<unsigned*>(sq + params.sq_off.array);
  // Slot i always holds SQE i: the indirection array is the identity.
  for (unsigned i = 0; i < sq_entries_; ++i) sq_array[i] = i;
  sqe_tail_ = *sq_tail_;
  sq_published_ = sqe_tail_;

  char* cq = static_cast<char*>(cq_map_);
  cq_head_ = reinterpret_cast<unsigned*>(cq + params.cq_off.head);
  cq_tail_ = reinterpret_cast<unsigned*>(cq + params.cq_off.tail);
  cq_mask_ = *reinterpret_cast<unsigned*>(cq + params.cq_off.ring_mask);
  cqes_ = reinterpret_cast<io_uring_cqe*>(cq + params.cq_off.cqes);

  capabilities_.single_mmap = single_mmap;
  capabilities_.nodrop = (params.features & IORING_FEAT_NODROP) != 0;
  capabilities_.ext_arg = (params.features & IORING_FEAT_EXT_ARG) != 0;
  capabilities_.sq_entries = params.sq_entries;
  capabilities_.cq_entries = params.cq_entries;
  return 0;
}

void RawRing::Probe(const io_uring_params& params) {
  (void)params;
  constexpr unsigned kProbeOps = 256;
  const size_t size = sizeof(io_uring_probe) + kProbeOps * sizeof(io_uring_probe_op);
  alignas(io_uring_probe) unsigned char
      buffer[sizeof(io_uring_probe) + kProbeOps * sizeof(io_uring_probe_op)];
  memset(buffer, 0, size);
  auto* probe = reinterpret_cast<io_uring_probe*>(buffer);
  if (raw::IoUringRegister(ring_fd_, IORING_REGISTER_PROBE, probe, kProbeOps) < 0) {
    // Kernels before 5.6 cannot probe; they have the 5.1 basics only.
    capabilities_.supported[static_cast<size_t>(Op::kNop)] = true;
    capabilities_.supported[static_cast<size_t>(Op::kReadv)] = true;
    capabilities_.supported[static_cast<size_t>(Op::kWritev)] = true;
    capabilities_.supported[static_cast<size_t>(Op::kFsync)] = true;
    capabilities_.supported[static_cast<size_t>(Op::kPollAdd)] = true;
    return;
  }
  for (size_t op = 0; op < static_cast<size_t>(Op::kCount); ++op) {
    const unsigned opcode = kOpcodes[op];
    capabilities_.supported[op] =
        opcode <= probe->last_op && (probe->ops[opcode].flags & IO_URING_OP_SUPPORTED) != 0;
  }
}

RawRing::~RawRing() {
  if (sqes_) ::munmap(sqes_, sqes_size_);
  if (cq_map_ && cq_map_ != sq_map_) ::munmap(cq_map_, cq_map_size_);
  if (sq_map_) ::munmap(sq_map_, sq_map_size_);
  // Closing the ring cancels whatever is still in flight before the kernel
  // releases it, so the wake read's buffer (ours) is not written afterwards.
  if (ring_fd_ >= 0) ::close(ring_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

inline io_uring_sqe* RawRing::NextSqe() {
  if (sqe_tail_ - sq_head_seen_ >= sq_entries_) {
    sq_head_seen_ = raw::LoadAcquire(sq_head_);
    if (sqe_tail_ - sq_head_seen_ >= sq_entries_ && !WaitForSqRoom()) return nullptr;
  }
  io_uring_sqe* sqe = &sqes_[sqe_tail_ & sq_mask_];
  memset(sqe, 0, sizeof(*sqe));
  ++sqe_tail_;
  return sqe;
}

// A full SQ. Without SQPOLL the caller submits and retries. With it,
// entries already published are the kernel thread's, submitted as far as the
// caller is concerned: while some are, wait for the thread to take them
// (once the queue holds only unpublished entries, Submit is the answer).
bool RawRing::WaitForSqRoom() {
  while (sq_poll_ && sq_published_ != sq_head_seen_) {
    const int rc =
        raw::IoUringEnter(ring_fd_, 0, 0, IORING_ENTER_SQ_WAIT | SqWakeFlag(), nullptr, 0);
    if (rc < 0 && rc != -EINTR) return false;
    sq_head_seen_ = raw::LoadAcquire(sq_head_);
    if (sqe_tail_ - sq_head_seen_ < sq_entries_) return true;
  }
  return false;
}

int RawRing::Prepare(const Request& request) {
  if (request.op >= Op::kCount || request.user_data >= kReservedUserDataMin) return -EINVAL;
  io_uring_sqe* sqe = NextSqe();
  if (sqe == nullptr) return -EBUSY;
  if (request.op == Op::kRecv || request.op == Op::kSend) {
    // A server's receives and sends, every message: Translate's case, direct.
    sqe->opcode = request.op == Op::kRecv ? IORING_OP_RECV : IORING_OP_SEND;
    sqe->flags = request.fixed_file ? IOSQE_FIXED_FILE : 0;
    sqe->fd = request.fd;
    sqe->addr = request.addr;
    sqe->len = request.len;
    sqe->msg_flags = request.op_flags;
    sqe->user_data = request.user_data;
    return 0;
  }
  Translate(request, sqe);
  return 0;
}

int RawRing::RegisterFileTable(unsigned slots) {
  if (slots == 0 || files_registered_) return -EINVAL;
  // Every slot empty (-1): a sparse table (kernels since 5.5 take -1 here).
  std::vector<int32_t> empty(slots, -1);
  int rc = raw::IoUringRegister(ring_fd_, IORING_REGISTER_FILES, empty.data(), slots);
  if (rc < 0) return rc;
  files_registered_ = true;
  return 0;
}

int RawRing::SetFile(unsigned slot, int fd) {
  if (!files_registered_) return -ENXIO;
  int32_t value = fd;
  io_uring_files_update update;
  memset(&update, 0, sizeof(update));
  update.offset = slot;
  update.fds = reinterpret_cast<uintptr_t>(&value);
  int rc = raw::IoUringRegister(ring_fd_, IORING_REGISTER_FILES_UPDATE, &update, 1);
  return rc < 0 ? rc : 0;
}

unsigned RawRing::Prepared() const {
  return sq_poll_ ? sqe_tail_ - sq_published_ : sqe_tail_ - raw::LoadAcquire(sq_head_);
}

// SQPOLL: after publishing the tail, the enter flag that makes sure the
// kernel thread will see it (0 while it is awake, which costs no system call).
unsigned RawRing::SqWakeFlag() const {
  raw::FullFence();
  return (raw::LoadRelaxed(sq_flags_) & IORING_SQ_NEED_WAKEUP) ? IORING_ENTER_SQ_WAKEUP : 0;
}

void RawRing::ArmWake() {
  io_uring_sqe* sqe = NextSqe();
  if (sqe == nullptr) {
    // A full SQ: publish it and try again. If the kernel still has no room,
    // the next Wait arms the poll before it blocks.
    FlushSubmissions();
    sqe = NextSqe();
    if (sqe == nullptr) return;
  }
  sqe->opcode = IORING_OP_POLL_ADD;
  sqe->fd = wake_fd_;
  sqe->poll32_events = POLLIN;
  sqe->len = IORING_POLL_ADD_MULTI;
  sqe->user_data = internal::kWakeUserData;
  wake_armed_ = true;
}

int RawRing::Enter(bool submit, unsigned min_complete, unsigned flags,
                   const __kernel_timespec* timeout) {
  unsigned to_submit = 0;
  if (submit) {
    raw::StoreRelease(sq_tail_, sqe_tail_);
    if (sq_poll_) {
      // The kernel thread takes them; we only wake it. A caller that flushed
      // to make room finds it in its next Prepare (WaitForSqRoom).
      sq_published_ = sqe_tail_;
      flags |= SqWakeFlag();
    } else {
      to_submit = sqe_tail_ - raw::LoadAcquire(sq_head_);
    }
  }
  // Completions parked on the overflow list come back only through GETEVENTS.
  if (raw::LoadRelaxed(sq_flags_) & IORING_SQ_CQ_OVERFLOW) flags |= IORING_ENTER_GETEVENTS;
  io_uring_getevents_arg arg = {};
  const void* arg_pointer = nullptr;
  size_t arg_size = 0;
  if (timeout != nullptr) {
    arg.sigmask = 0;
    arg.sigmask_sz = _NSIG / 8;
    arg.ts = reinterpret_cast<uintptr_t>(timeout);
    arg_pointer = &arg;
    arg_size = sizeof(arg);
    flags |= IORING_ENTER_EXT_ARG;
  }
  if (to_submit == 0 && (flags & (IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAKEUP)) == 0) return 0;
  return raw::IoUringEnter(ring_fd_, to_submit, min_complete, flags, arg_pointer, arg_size);
}

int RawRing::FlushSubmissions() {
  for (;;) {
    int rc = Enter(/*submit=*/true, 0, 0, nullptr);
    if (rc != -EINTR) return rc;
  }
}

int RawRing::Submit() {
  const unsigned prepared = Prepared();
  if (prepared == 0) return 0;
  const int rc = FlushSubmissions();
  // Under SQPOLL the kernel answers 0 submitted: they are the thread's now.
  return sq_poll_ && rc >= 0 ? static_cast<int>(prepared) : rc;
}

void RawRing::HandleInternal(const io_uring_cqe& cqe) {
  if (cqe.user_data != internal::kWakeUserData) return;
  woken_ = true;
  if ((cqe.flags & IORING_CQE_F_MORE) == 0) {
    // The kernel ended the multishot poll (e.g. under CQ overflow): arm a new
    // one; it reaches the kernel with the next submission.
    wake_armed_ = false;
    ArmWake();
  }
}

unsigned RawRing::Reap(Completion* out, unsigned capacity) {
  unsigned head = *cq_head_;  // only we write it
  const unsigned tail = raw::LoadAcquire(cq_tail_);
  unsigned copied = 0;
  while (head != tail && copied < capacity) {
    const io_uring_cqe& cqe = cqes_[head & cq_mask_];
    if (cqe.user_data >= kReservedUserDataMin) {
      HandleInternal(cqe);
    } else {
      out[copied++] = Completion{cqe.user_data, cqe.res, cqe.flags};
    }
    ++head;
  }
  raw::StoreRelease(cq_head_, head);
  return copied;
}

int RawRing::Peek(Completion* out, unsigned capacity) {
  unsigned copied = Reap(out, capacity);
  if (copied < capacity && (raw::LoadRelaxed(sq_flags_) & IORING_SQ_CQ_OVERFLOW)) {
    // Bring overflowed completions back into the CQ without submitting.
    int rc;
    do {
      rc = Enter(/*submit=*/false, 0, IORING_ENTER_GETEVENTS, nullptr);
    } while (rc == -EINTR);
    copied += Reap(out + copied, capacity - copied);
  }
  return static_cast<int>(copied);
}

int RawRing::Wait(Completion* out, unsigned capacity, unsigned min_complete, int64_t timeout_ns) {
  if (out == nullptr && capacity > 0) return -EFAULT;
  min_complete = std::min(min_complete, capacity);
  const int64_t deadline_ns = timeout_ns < 0 ? -1 : internal::MonotonicNs() + timeout_ns;
  unsigned reaped = static_cast<unsigned>(Peek(out, capacity));

  int last_error = 0;
  while (reaped < min_complete && !woken_) {
    int64_t remaining_ns = -1;
    if (deadline_ns >= 0) {
      remaining_ns = deadline_ns - internal::MonotonicNs();
      if (remaining_ns <= 0) break;
    }
    if (!wake_armed_) ArmWake();
    __kernel_timespec timeout = internal::ToTimespec(remaining_ns);
    int rc = Enter(/*submit=*/true, min_complete - reaped, IORING_ENTER_GETEVENTS,
                   remaining_ns < 0 ? nullptr : &timeout);
    if (rc == -EBUSY || rc == -EAGAIN) {
      // The kernel wants us to reap before it takes more submissions. Wait
      // without submitting; overflowed completions flow back as we reap.
      rc =
          Enter(/*submit=*/false, 1, IORING_ENTER_GETEVENTS, remaining_ns < 0 ? nullptr : &timeout);
    }
    if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EBUSY && rc != -EAGAIN) {
      last_error = rc;
    }
    reaped += Reap(out + reaped, capacity - reaped);
    if (last_error != 0) break;
  }
  // Whatever was prepared reaches the kernel even when no wait was needed.
  if (Prepared() > 0) {
    int rc = FlushSubmissions();
    if (rc < 0 && rc != -EBUSY && rc != -EAGAIN && last_error == 0) last_error = rc;
    reaped += Reap(out + reaped, capacity - reaped);
  }
  // A wake-up (even one reaped earlier by Peek) is used up by this Wait.
  woken_ = false;
  if (reaped == 0 && last_error != 0) return last_error;
  return static_cast<int>(reaped);
}

unsigned RawRing::Available() const {
  // Another thread may be reaping: read both indices atomically. Internal
  // completions count too; a caller that finds only those Peeks nothing and
  // blocks again, which is the documented spurious return.
  return raw::LoadAcquire(cq_tail_) - raw::LoadAcquire(cq_head_);
}

unsigned RawRing::Publish() {
  raw::StoreRelease(sq_tail_, sqe_tail_);
  if (sq_poll_) {
    // Submitted once the thread is known to be awake: Block(..., to_submit)
    // makes sure of that.
    const unsigned published = sqe_tail_ - sq_published_;
    sq_published_ = sqe_tail_;
    return published;
  }
  return sqe_tail_ - raw::LoadAcquire(sq_head_);
}

int RawRing::Block(unsigned min_available, int64_t timeout_ns, unsigned to_submit) {
  unsigned sq_wake = 0;
  if (sq_poll_ && to_submit > 0) {
    // Published entries are the kernel thread's: wake it if it sleeps.
    sq_wake = SqWakeFlag();
    to_submit = 0;
  }
  if (to_submit == 0 && sq_wake == 0 && Available() >= min_available) return 0;
  const bool overflowed = (raw::LoadRelaxed(sq_flags_) & IORING_SQ_CQ_OVERFLOW) != 0;
  if (overflowed && min_available <= 1) {
    // Completions are parked on the overflow list: GETEVENTS with no wait
    // count flushes them into the CQ, which is all this caller needs.
    min_available = 0;
  }
  __kernel_timespec timeout = internal::ToTimespec(timeout_ns);
  io_uring_getevents_arg arg = {};
  arg.sigmask_sz = _NSIG / 8;
  arg.ts = timeout_ns < 0 ? 0 : reinterpret_cast<uintptr_t>(&timeout);
  // The SQ itself belongs to whichever thread holds the submission side; we
  // only ask the kernel to consume up to `to_submit` published entries. If
  // another thread's enter consumed them first, the kernel takes what is
  // there (all of it published and valid) or nothing.
  int rc =
      raw::IoUringEnter(ring_fd_, to_submit, min_available,
                        IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG | sq_wake, &arg, sizeof(arg));
  return rc < 0 ? rc : 0;
}

int RawRing::Wake() { return internal::SignalEventfd(wake_fd_); }

}  // namespace ring
