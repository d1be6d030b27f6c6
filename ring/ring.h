// The ring interface: the only way the Win32 layer talks to the kernel's
// asynchronous I/O. It speaks in submissions (Request) and completions
// (Completion), exactly the shape of io_uring, and carries only the operations
// an IOCP layer needs.
//
// Backends (each its own Bazel target, chosen when a binary is linked):
//   ring/raw     RawRing    io_uring through syscall(2); what production links.
//   ring/uring   UringRing  io_uring through Debian's liburing.
//   ring/fake    FakeRing   a deterministic, seeded simulation of the kernel.
//
// Results follow the kernel: a completion's `result` is >= 0 on success (bytes
// transferred, a new descriptor, ...) or a negative errno. Backend calls return
// a count or a negative errno; nothing reads the global errno.
//
// Thread-safety: a Ring has a submission side (Prepare, Submit, Prepared) and
// a completion side (Peek); each side must be used by one thread at a time,
// which the caller arranges (winapi's port holds a lock). Wait uses both sides
// and is for single-threaded users. Two calls are safe from any thread at any
// time: Block (sleeps until completions are available, touching neither side)
// and Wake (ends a Block or Wait). This lets one thread sleep in the kernel
// while others keep submitting.
#ifndef IOCP_RING_RING_H_
#define IOCP_RING_RING_H_

#include <linux/time_types.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <memory>

namespace ring {

// Operations. Order and values are ours (not io_uring's opcodes); backends map
// them. kCount must stay last.
enum class Op : uint8_t {
  kNop,
  kAccept,    // fd = listener; addr = sockaddr*, addr2 = socklen_t*; op_flags = SOCK_* flags
  kConnect,   // fd; addr = const sockaddr*; len = socklen
  kRecv,      // fd; addr = buffer; len; op_flags = MSG_* flags
  kSend,      // fd; addr = buffer; len; op_flags = MSG_* flags
  kRecvMsg,   // fd; addr = msghdr*; op_flags = MSG_* flags
  kSendMsg,   // fd; addr = const msghdr*; op_flags = MSG_* flags
  kRead,      // fd; addr = buffer; len; offset (kCurrentPosition = file position)
  kWrite,     // fd; addr = buffer; len; offset
  kReadv,     // fd; addr = iovec*; len = iovec count; offset
  kWritev,    // fd; addr = const iovec*; len = iovec count; offset
  kPollAdd,   // fd; op_flags = POLL* mask (one shot); result = revents
  kTimeout,   // addr = __kernel_timespec* (relative); result = -ETIME when it fires
  kCancel,    // addr = user_data of the target; result 0, -ENOENT or -EALREADY
  kClose,     // fd
  kShutdown,  // fd; op_flags = SHUT_RD / SHUT_WR / SHUT_RDWR
  kFsync,     // fd; op_flags = 0 or kFsyncDataOnly
  kCount,
};

const char* OpName(Op op);

// For kRead/kWrite/kReadv/kWritev: use (and advance) the file position.
inline constexpr uint64_t kCurrentPosition = ~uint64_t{0};
// For kFsync: flush data only (fdatasync).
inline constexpr uint32_t kFsyncDataOnly = 1;

// One submission: a neutral value every backend translates. The memory that
// addr/addr2 point to must stay valid until the completion is reaped.
struct Request {
  Op op = Op::kNop;
  int32_t fd = -1;
  uint64_t user_data = 0;
  uint64_t addr = 0;
  uint64_t addr2 = 0;
  uint64_t offset = 0;
  uint32_t len = 0;
  uint32_t op_flags = 0;
  // `fd` is a slot of the ring's registered file table (RegisterFileTable),
  // not a descriptor: the kernel skips looking the descriptor up.
  bool fixed_file = false;

  static Request Nop(uint64_t user_data);
  static Request Accept(int fd, sockaddr* addr, socklen_t* addr_len, uint32_t sock_flags,
                        uint64_t user_data);
  static Request Connect(int fd, const sockaddr* addr, socklen_t addr_len, uint64_t user_data);
  static Request Recv(int fd, void* buf, uint32_t len, uint32_t msg_flags, uint64_t user_data);
  static Request Send(int fd, const void* buf, uint32_t len, uint32_t msg_flags,
                      uint64_t user_data);
  static Request RecvMsg(int fd, msghdr* msg, uint32_t msg_flags, uint64_t user_data);
  static Request SendMsg(int fd, const msghdr* msg, uint32_t msg_flags, uint64_t user_data);
  static Request Read(int fd, void* buf, uint32_t len, uint64_t offset, uint64_t user_data);
  static Request Write(int fd, const void* buf, uint32_t len, uint64_t offset, uint64_t user_data);
  static Request Readv(int fd, const iovec* iov, uint32_t iov_count, uint64_t offset,
                       uint64_t user_data);
  static Request Writev(int fd, const iovec* iov, uint32_t iov_count, uint64_t offset,
                        uint64_t user_data);
  static Request PollAdd(int fd, uint32_t poll_mask, uint64_t user_data);
  static Request Timeout(const __kernel_timespec* relative, uint64_t user_data);
  static Request Cancel(uint64_t target_user_data, uint64_t user_data);
  static Request Close(int fd, uint64_t user_data);
  static Request Shutdown(int fd, int how, uint64_t user_data);
  static Request Fsync(int fd, uint32_t fsync_flags, uint64_t user_data);

 private:
  // Recv and Send: a buffer, its length and MSG_* flags.
  static Request Transfer(Op op, int fd, const void* buf, uint32_t len, uint32_t msg_flags,
                          uint64_t user_data);
};

// Inline: a server's receive and send build one per call.
inline Request Request::Transfer(Op op, int fd, const void* buf, uint32_t len, uint32_t msg_flags,
                                 uint64_t user_data) {
  Request r;
  r.op = op;
  r.fd = fd;
  r.user_data = user_data;
  r.addr = reinterpret_cast<uintptr_t>(buf);
  r.len = len;
  r.op_flags = msg_flags;
  return r;
}

inline Request Request::Recv(int fd, void* buf, uint32_t len, uint32_t msg_flags,
                             uint64_t user_data) {
  return Transfer(Op::kRecv, fd, buf, len, msg_flags, user_data);
}

inline Request Request::Send(int fd, const void* buf, uint32_t len, uint32_t msg_flags,
                             uint64_t user_data) {
  return Transfer(Op::kSend, fd, buf, len, msg_flags, user_data);
}

// One completion, as the kernel reports it.
struct Completion {
  uint64_t user_data;
  int32_t result;  // >= 0 success, < 0 negative errno
  uint32_t flags;  // IORING_CQE_F_* bits as the kernel reports them (fake: 0)
};

// User data values at or above this are the backends' own (wake-ups, internal
// timeouts). A backend never returns them from Wait or Peek, and Prepare
// rejects them with -EINVAL.
inline constexpr uint64_t kReservedUserDataMin = ~uint64_t{0} - 255;

// What the kernel (or the simulation) supports, so the layer above can fall
// back where an operation is missing.
struct Capabilities {
  bool supported[static_cast<size_t>(Op::kCount)] = {};
  bool nodrop = false;       // CQ overflow never loses a completion
  bool ext_arg = false;      // wait with timeout needs no timeout SQE
  bool single_mmap = false;  // SQ and CQ rings share one mapping
  bool sq_poll = false;      // a kernel thread polls the SQ (RingOptions::sq_poll was granted)
  uint32_t sq_entries = 0;
  uint32_t cq_entries = 0;

  bool Supports(Op op) const { return supported[static_cast<size_t>(op)]; }
};

// A relative timeout for Wait. kInfinite waits until `min_complete`
// completions arrive or Wake() is called.
inline constexpr int64_t kInfinite = -1;

class Ring {
 public:
  virtual ~Ring() = default;
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;

  // Queues one request for the next Submit. Never allocates, never enters the
  // kernel. Returns 0, -EBUSY when the submission queue is full (Submit, then
  // retry), or -EINVAL for a malformed request (unknown op, reserved user data).
  virtual int Prepare(const Request& request) = 0;

  // Hands every prepared request to the kernel. Returns how many were
  // submitted (>= 0) or a negative errno.
  virtual int Submit() = 0;

  // Submits what is prepared, then waits until at least `min_complete`
  // completions are available, `timeout_ns` elapses, or Wake() is called, and
  // copies up to `capacity` of them into `out`. Returns the number copied
  // (possibly 0 after a timeout or a wake-up) or a negative errno. A Wake()
  // that happens before Wait starts still makes that Wait return.
  virtual int Wait(Completion* out, unsigned capacity, unsigned min_complete,
                   int64_t timeout_ns) = 0;

  // Copies up to `capacity` completions that are already available, without
  // blocking and without submitting. Returns the number copied.
  virtual int Peek(Completion* out, unsigned capacity) = 0;

  // Submission side: makes every prepared request visible to the kernel
  // without a system call and returns how many await submission. A following
  // Block(..., to_submit) submits them in the same system call as its wait.
  virtual unsigned Publish() = 0;

  // Thread-safe: submits `to_submit` published requests (0 = none), then
  // sleeps until at least `min_available` completions can be Peeked,
  // `timeout_ns` elapses, or Wake() is called. Consumes nothing and touches
  // neither side, so other threads may Prepare, Submit and Peek meanwhile.
  // Call it after Publish() or Submit(), so the backend's own wake-up request
  // is in the kernel. Returns 0, or -ETIME on timeout, -EINTR when interrupted,
  // another negative errno on failure. May return early (spuriously); callers
  // Peek and decide.
  virtual int Block(unsigned min_available, int64_t timeout_ns, unsigned to_submit = 0) = 0;

  // Thread-safe: makes a sleeping (or the next) Block or Wait return.
  // Returns 0 or a negative errno.
  virtual int Wake() = 0;

  // Requests prepared but not yet submitted.
  virtual unsigned Prepared() const = 0;

  // Registered files: a table of `slots` empty slots that requests may name
  // instead of a descriptor (Request::fixed_file), which saves the kernel a
  // descriptor lookup and release per request. Once per ring. Returns 0, or
  // a negative errno (-ENOSYS: this backend has none).
  virtual int RegisterFileTable(unsigned slots);
  // Thread-safe (like Wake): puts the file `fd` names in `slot`, or empties
  // the slot (fd -1). The slot holds its own reference to the file (the
  // kernel's: closing `fd` does not close the file while it is registered).
  // A request resolves its slot when it is prepared (fake) or submitted
  // (kernel): change a slot only while no prepared request names it.
  // Returns 0 or a negative errno.
  virtual int SetFile(unsigned slot, int fd);

  virtual const Capabilities& capabilities() const = 0;

 protected:
  Ring() = default;
};

struct RingOptions {
  uint32_t entries = 256;  // submission queue size; the CQ is twice as large
  // IORING_SETUP_SQPOLL: a kernel thread takes published submissions by
  // itself, so submitting needs a system call only when that thread has gone
  // to sleep, and the thread (not the caller) runs the requests' issue path.
  // Raw backend only; where the kernel refuses it (or another backend is
  // linked) the ring is made without it and Capabilities::sq_poll says so.
  bool sq_poll = false;
  int32_t sq_poll_cpu = -1;      // pin the thread to this CPU (-1: anywhere)
  uint32_t sq_poll_idle_ms = 0;  // idle time before it sleeps (0: the kernel's, 1 s)
};

}  // namespace ring

#endif  // IOCP_RING_RING_H_
