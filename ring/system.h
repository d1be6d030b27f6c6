// The synchronous half of the kernel interface: the few POSIX calls the Win32
// layer and the tests make outside the ring (creating sockets, binding,
// options, files). It exists so that the fake backend can simulate them too:
// a descriptor made by FakeSystem only means something to FakeRing, and one
// made by PosixSystem only to the kernel rings.
//
// Every call returns >= 0 on success or a negative errno; none reads or writes
// the global errno. On the kernel, Read/Write block as the descriptor's mode
// says; on the fake, where a single-threaded simulation cannot block, they
// return -EAGAIN wherever the kernel would block. Thread-safe.
#ifndef IOCP_RING_SYSTEM_H_
#define IOCP_RING_SYSTEM_H_

#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>

namespace ring {

class System {
 public:
  virtual ~System() = default;

  virtual int Socket(int domain, int type, int protocol) = 0;
  virtual int SocketPair(int domain, int type, int protocol, int fds[2]) = 0;
  virtual int Bind(int fd, const sockaddr* addr, socklen_t addr_len) = 0;
  virtual int Listen(int fd, int backlog) = 0;
  // Blocking connect (loopback set-up in tests; ConnectEx uses the ring).
  virtual int Connect(int fd, const sockaddr* addr, socklen_t addr_len) = 0;
  // Non-blocking accept: -EAGAIN when no connection is waiting.
  virtual int Accept(int fd, sockaddr* addr, socklen_t* addr_len, int flags) = 0;
  virtual int GetSockName(int fd, sockaddr* addr, socklen_t* addr_len) = 0;
  virtual int GetPeerName(int fd, sockaddr* addr, socklen_t* addr_len) = 0;
  virtual int SetSockOpt(int fd, int level, int name, const void* value, socklen_t len) = 0;
  virtual int GetSockOpt(int fd, int level, int name, void* value, socklen_t* len) = 0;
  virtual int Shutdown(int fd, int how) = 0;
  virtual int Close(int fd) = 0;
  virtual int Pipe(int fds[2], int flags) = 0;
  virtual int Open(const char* path, int flags, mode_t mode) = 0;
  virtual int Unlink(const char* path) = 0;
  // Non-blocking read/write at the current position (or of a socket/pipe).
  virtual ssize_t Read(int fd, void* buf, size_t len) = 0;
  virtual ssize_t Write(int fd, const void* buf, size_t len) = 0;
  // Never block, on any backend (MSG_DONTWAIT is implied): -EAGAIN where a
  // blocking call would wait. recvmsg fills msg_name/msg_namelen/msg_flags.
  virtual ssize_t RecvMsg(int fd, msghdr* message, int flags) = 0;
  virtual ssize_t SendMsg(int fd, const msghdr* message, int flags) = 0;
  // poll(2): fills each revents, returns how many are non-zero (POLLNVAL
  // for a descriptor that is not open). The kernel waits up to `timeout_ms`
  // (-1: no limit); the fake never waits (a single-threaded simulation
  // cannot block), so callers loop until their own deadline.
  virtual int Poll(pollfd* fds, size_t count, int timeout_ms) = 0;
  virtual int Truncate(int fd, int64_t length) = 0;
  // Size of a regular file, or a negative errno.
  virtual int64_t FileSize(int fd) = 0;
  // lseek(2): the new position, or a negative errno (-ESPIPE for pipes and
  // sockets).
  virtual int64_t Seek(int fd, int64_t offset, int whence) = 0;
  // fsync(2): 0, or a negative errno (-EINVAL for pipes and sockets).
  virtual int Sync(int fd) = 0;
};

}  // namespace ring

#endif  // IOCP_RING_SYSTEM_H_
