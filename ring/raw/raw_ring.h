// RawRing: io_uring through the three system calls and our own mmap of the
// rings, with no liburing anywhere in its dependency graph. This is the
// backend production links (see //ring:default_raw).
//
// Design notes:
// - SQ slots are used in order (slot = tail & mask) and the SQ index array is
//   filled with the identity once at set-up, so Prepare writes one SQE and
//   bumps a local tail; nothing is published until the next system call.
// - Wake() writes an eventfd watched by a multishot poll armed once in the ring
//   under a reserved user data. Each write posts a completion, which ends a
//   blocked io_uring_enter; Reap consumes it, so it never reaches the caller.
//   The poll is re-armed only if the kernel ends it (no IORING_CQE_F_MORE).
//   The counter is never drained: a multishot poll fires once per write, not
//   while the counter is non-zero, and 2^64 writes take longer than forever.
// - Timed waits pass the timeout through IORING_ENTER_EXT_ARG, so they cost no
//   SQE and Block can sleep without touching the SQ.
// - Minimum kernel: 5.13 (EXT_ARG 5.11, multishot poll 5.13, NODROP 5.5);
//   Create fails with -ENOSYS on older kernels.
// - With IORING_FEAT_NODROP the kernel keeps completions that do not fit in
//   the CQ on an overflow list and sets IORING_SQ_CQ_OVERFLOW; every enter
//   made while that flag is up asks for GETEVENTS so the list is flushed back
//   into the CQ as we reap. No completion is lost.
// - With SQPOLL (RingOptions::sq_poll) a kernel thread consumes the SQ as soon
//   as the tail is published. Publishing stays where it was (Submit, Publish,
//   Wait), so Prepare can still report a full queue and a batch is still
//   handed over at once; what changes is that a system call is made only
//   when the thread has set IORING_SQ_NEED_WAKEUP (then with
//   IORING_ENTER_SQ_WAKEUP), or, in Prepare, to wait for room when the SQ
//   is full of entries the thread has yet to take (IORING_ENTER_SQ_WAIT). Prepared() then counts
//   unpublished entries: once published and the thread known to be awake, they are submitted, and a
//   Prepare that finds the queue full of those waits for the thread to take
//   some rather than failing with -EBUSY.
#ifndef IOCP_RING_RAW_RAW_RING_H_
#define IOCP_RING_RAW_RAW_RING_H_

#include <linux/io_uring.h>
#include <stdint.h>

#include <memory>

#include "ring/ring.h"

namespace ring {

class RawRing final : public Ring {
 public:
  static std::unique_ptr<RawRing> Create(const RingOptions& options, int* error);
  ~RawRing() override;

  int Prepare(const Request& request) override;
  int Submit() override;
  int Wait(Completion* out, unsigned capacity, unsigned min_complete, int64_t timeout_ns) override;
  int Peek(Completion* out, unsigned capacity) override;
  unsigned Publish() override;
  int Block(unsigned min_available, int64_t timeout_ns, unsigned to_submit) override;
  int Wake() override;
  unsigned Prepared() const override;
  int RegisterFileTable(unsigned slots) override;
  int SetFile(unsigned slot, int fd) override;
  const Capabilities& capabilities() const override { return capabilities_; }

  int ring_fd() const { return ring_fd_; }

 private:
  RawRing() = default;
  int Setup(const RingOptions& options);
  int CreateRing(const RingOptions& options, io_uring_params* params);
  unsigned SqWakeFlag() const;
  int MapRings(const io_uring_params& params);
  void Probe(const io_uring_params& params);

  io_uring_sqe* NextSqe();
  bool WaitForSqRoom();
  void ArmWake();
  unsigned Available() const;
  int Enter(bool submit, unsigned min_complete, unsigned flags, const __kernel_timespec* timeout);
  int FlushSubmissions();
  unsigned Reap(Completion* out, unsigned capacity);
  void HandleInternal(const io_uring_cqe& cqe);

  int ring_fd_ = -1;
  int wake_fd_ = -1;

  void* sq_map_ = nullptr;
  size_t sq_map_size_ = 0;
  void* cq_map_ = nullptr;  // equals sq_map_ with IORING_FEAT_SINGLE_MMAP
  size_t cq_map_size_ = 0;
  io_uring_sqe* sqes_ = nullptr;
  size_t sqes_size_ = 0;

  unsigned* sq_head_ = nullptr;  // kernel-owned
  unsigned* sq_tail_ = nullptr;  // ours
  unsigned* sq_flags_ = nullptr;
  unsigned sq_mask_ = 0;
  unsigned sq_entries_ = 0;
  unsigned sqe_tail_ = 0;  // prepared, not yet published to *sq_tail_
  // *sq_head_ as last read: the kernel only advances it, so room counted
  // from it is never more than there is; read again only when it shows none.
  unsigned sq_head_seen_ = 0;
  // SQPOLL only: the tail as last published; the thread takes it from there.
  unsigned sq_published_ = 0;
  bool sq_poll_ = false;  // fixed at set-up, so Block may read it from any thread

  unsigned* cq_head_ = nullptr;  // ours
  unsigned* cq_tail_ = nullptr;  // kernel-owned
  unsigned cq_mask_ = 0;
  io_uring_cqe* cqes_ = nullptr;

  // Wake-up plumbing (see the header comment).
  bool wake_armed_ = false;
  bool files_registered_ = false;
  bool woken_ = false;

  Capabilities capabilities_;
};

}  // namespace ring

#endif  // IOCP_RING_RAW_RAW_RING_H_
