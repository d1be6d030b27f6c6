// PosixSystem: ring::System over the real system calls. Each call converts the
// -1/errno convention into a negative errno at once.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ring/posix_system.h"

namespace ring {
namespace {

template <typename T>
T Result(T value) {
  return value < 0 ? static_cast<T>(-errno) : value;
}

class Posix final : public System {
 public:
  int Socket(int domain, int type, int protocol) override {
    return Result(::socket(domain, type | SOCK_CLOEXEC, protocol));
  }
  int SocketPair(int domain, int type, int protocol, int fds[2]) override {
    return Result(::socketpair(domain, type | SOCK_CLOEXEC, protocol, fds));
  }
  int Bind(int fd, const sockaddr* addr, socklen_t addr_len) override {
    return Result(::bind(fd, addr, addr_len));
  }
  int Listen(int fd, int backlog) override { return Result(::listen(fd, backlog)); }
  int Connect(int fd, const sockaddr* addr, socklen_t addr_len) override {
    int rc;
    do {
      rc = Result(::connect(fd, addr, addr_len));
    } while (rc == -EINTR);
    return rc;
  }
  int Accept(int fd, sockaddr* addr, socklen_t* addr_len, int flags) override {
    // Non-blocking by contract, whatever the listener's mode: look first.
    pollfd ready = {fd, POLLIN, 0};
    int polled = Result(::poll(&ready, 1, 0));
    if (polled < 0) return polled;
    if (polled == 0) return -EAGAIN;
    return Result(::accept4(fd, addr, addr_len, flags | SOCK_CLOEXEC));
  }
  int GetSockName(int fd, sockaddr* addr, socklen_t* addr_len) override {
    return Result(::getsockname(fd, addr, addr_len));
  }
  int GetPeerName(int fd, sockaddr* addr, socklen_t* addr_len) override {
    return Result(::getpeername(fd, addr, addr_len));
  }
  int SetSockOpt(int fd, int level, int name, const void* value, socklen_t len) override {
    return Result(::setsockopt(fd, level, name, value, len));
  }
  int GetSockOpt(int fd, int level, int name, void* value, socklen_t* len) override {
    return Result(::getsockopt(fd, level, name, value, len));
  }
  int Shutdown(int fd, int how) override { return Result(::shutdown(fd, how)); }
  int Close(int fd) override { return Result(::close(fd)); }
  int Pipe(int fds[2], int flags) override { return Result(::pipe2(fds, flags | O_CLOEXEC)); }
  int Open(const char* path, int flags, mode_t mode) override {
    return Result(::open(path, flags | O_CLOEXEC, mode));
  }
  int Unlink(const char* path) override { return Result(::unlink(path)); }
  ssize_t Read(int fd, void* buf, size_t len) override { return Result(::read(fd, buf, len)); }
  ssize_t Write(int fd, const void* buf, size_t len) override {
    return Result(::write(fd, buf, len));
  }
  ssize_t RecvMsg(int fd, msghdr* message, int flags) override {
    return Result(::recvmsg(fd, message, flags | MSG_DONTWAIT));
  }
  ssize_t SendMsg(int fd, const msghdr* message, int flags) override {
    return Result(::sendmsg(fd, message, flags | MSG_DONTWAIT | MSG_NOSIGNAL));
  }
  int Poll(pollfd* fds, size_t count, int timeout_ms) override {
    return Result(::poll(fds, count, timeout_ms));
  }
  int Truncate(int fd, int64_t length) override { return Result(::ftruncate(fd, length)); }
  int64_t FileSize(int fd) override {
    struct stat st;
    if (::fstat(fd, &st) < 0) return -errno;
    return st.st_size;
  }
  int64_t Seek(int fd, int64_t offset, int whence) override {
    const off_t position = ::lseek(fd, offset, whence);
    return position < 0 ? -errno : position;
  }
  int Sync(int fd) override { return Result(::fsync(fd)); }
};

}  // namespace

System& PosixSystem() {
  static Posix* const system = new Posix();
  return *system;
}

}  // namespace ring
