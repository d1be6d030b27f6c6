// FakeKernel: a deterministic, in-memory simulation of the kernel side of
// io_uring and of the synchronous calls (ring::System) - sockets (AF_INET,
// AF_INET6 over loopback, AF_UNIX; stream and datagram), pipes, regular files
// and a virtual clock. FakeRings attach to one FakeKernel and share its world.
//
// Results follow Linux (negative errnos); where the fake and the kernel
// differ, the kernel is right. Randomness comes only from FakeOptions::seed:
// driven from one thread, one seed gives one run, bit for bit (trace_hash()
// proves it). Every method is thread-safe (one mutex guards the world).
//
// Descriptors made here mean something only to FakeRings on this kernel.
// Destroy every FakeRing before its FakeKernel.
#ifndef IOCP_RING_FAKE_FAKE_KERNEL_H_
#define IOCP_RING_FAKE_FAKE_KERNEL_H_

#include <stdint.h>

#include <memory>

#include "ring/fake/fake_options.h"
#include "ring/system.h"

namespace ring {

namespace fake_internal {
class World;
}  // namespace fake_internal

class FakeRing;

class FakeKernel final : public System {
 public:
  explicit FakeKernel(const FakeOptions& options = FakeOptions());
  ~FakeKernel() override;
  FakeKernel(const FakeKernel&) = delete;
  FakeKernel& operator=(const FakeKernel&) = delete;

  // System. Read/Write/Accept/Connect never block: -EAGAIN where the kernel
  // would wait.
  int Socket(int domain, int type, int protocol) override;
  int SocketPair(int domain, int type, int protocol, int fds[2]) override;
  int Bind(int fd, const sockaddr* addr, socklen_t addr_len) override;
  int Listen(int fd, int backlog) override;
  int Connect(int fd, const sockaddr* addr, socklen_t addr_len) override;
  int Accept(int fd, sockaddr* addr, socklen_t* addr_len, int flags) override;
  int GetSockName(int fd, sockaddr* addr, socklen_t* addr_len) override;
  int GetPeerName(int fd, sockaddr* addr, socklen_t* addr_len) override;
  int SetSockOpt(int fd, int level, int name, const void* value, socklen_t len) override;
  int GetSockOpt(int fd, int level, int name, void* value, socklen_t* len) override;
  int Shutdown(int fd, int how) override;
  int Close(int fd) override;
  int Pipe(int fds[2], int flags) override;
  int Open(const char* path, int flags, mode_t mode) override;
  int Unlink(const char* path) override;
  ssize_t Read(int fd, void* buf, size_t len) override;
  ssize_t Write(int fd, const void* buf, size_t len) override;
  ssize_t RecvMsg(int fd, msghdr* message, int flags) override;
  ssize_t SendMsg(int fd, const msghdr* message, int flags) override;
  int Poll(pollfd* fds, size_t count, int timeout_ms) override;
  int Truncate(int fd, int64_t length) override;
  int64_t FileSize(int fd) override;
  int64_t Seek(int fd, int64_t offset, int whence) override;
  int Sync(int fd) override;

  // --- Simulation controls ---
  uint64_t seed() const;
  const FakeOptions& options() const;
  // The virtual clock, in nanoseconds since the kernel was made.
  int64_t NowNs() const;
  // Moves the virtual clock forward; timeouts that fall due fire.
  void AdvanceTime(int64_t ns);
  // A running 64-bit hash of every completion delivered to any ring's CQ
  // (user_data, result, virtual time): equal hashes, identical runs.
  uint64_t trace_hash() const;
  uint64_t completions_delivered() const;
  // Completions that found their ring's CQ full and waited in its overflow
  // list.
  uint64_t completions_overflowed() const;
  // Injects a reset of the stream connection `fd` belongs to: both ends see
  // ECONNRESET, as when an RST arrives. Returns 0, -EBADF, -ENOTSOCK or
  // -ENOTCONN.
  int ResetConnection(int fd);

 private:
  friend class FakeRing;
  std::unique_ptr<fake_internal::World> world_;
};

}  // namespace ring

#endif  // IOCP_RING_FAKE_FAKE_KERNEL_H_
