// UringRing: the ring interface over Debian's liburing. It is the reference
// the raw-syscall backend is measured and differentially tested against, so
// it is written independently: it uses liburing's prep helpers and waits, and
// shares no translation code with RawRing.
#ifndef IOCP_RING_URING_URING_RING_H_
#define IOCP_RING_URING_URING_RING_H_

#include <liburing.h>

#include <memory>

#include "ring/ring.h"

namespace ring {

class UringRing final : public Ring {
 public:
  static std::unique_ptr<UringRing> Create(const RingOptions& options, int* error);
  ~UringRing() override;

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

 private:
  UringRing() = default;
  int Setup(const RingOptions& options);
  void ArmWake();
  unsigned Reap(Completion* out, unsigned capacity);

  io_uring ring_ = {};
  bool initialized_ = false;
  int wake_fd_ = -1;
  bool wake_armed_ = false;
  bool files_registered_ = false;
  bool woken_ = false;
  Capabilities capabilities_;
};

}  // namespace ring

#endif  // IOCP_RING_URING_URING_RING_H_
