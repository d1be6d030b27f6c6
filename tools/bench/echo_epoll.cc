// echo_epoll: contender (d) of tools/bench/run. The classic readiness
// server: one thread, non-blocking sockets, level-triggered epoll. A
// readable connection is read once and written back at once; only when
// the socket cannot take it all is EPOLLOUT asked for (and reading paused)
// until the rest is out.
//
// echo_epoll --port=P [--cpu=N]   (--port=0: any free port; "port N" is printed)
#include <sys/epoll.h>

#include <memory>
#include <vector>

#include "tools/bench/echo_server_util.h"

namespace {

using echo_bench::Die;
using echo_bench::kBufferBytes;

struct Connection {
  int fd;
  size_t length;  // bytes in buffer
  size_t sent;    // of those, already written
  char buffer[kBufferBytes];
};

class Server {
 public:
  explicit Server(int listener) : listener_(listener), epoll_(epoll_create1(EPOLL_CLOEXEC)) {
    if (epoll_ < 0) Die("epoll_create1", errno);
    Control(EPOLL_CTL_ADD, listener_, EPOLLIN);
  }

  [[noreturn]] void Run() {
    epoll_event events[256];
    for (;;) {
      const int count = epoll_wait(epoll_, events, 256, -1);
      if (count < 0) {
        if (errno == EINTR) continue;
        Die("epoll_wait", errno);
      }
      for (int i = 0; i < count; ++i) {
        const int fd = events[i].data.fd;
        if (fd == listener_) {
          AcceptAll();
        } else if (events[i].events & EPOLLOUT) {
          Flush(connections_[size_t(fd)].get());
        } else {
          Echo(connections_[size_t(fd)].get());
        }
      }
    }
  }

 private:
  void Control(int op, int fd, uint32_t events) {
    epoll_event event = {};
    event.events = events;
    event.data.fd = fd;
    if (epoll_ctl(epoll_, op, fd, &event) != 0) Die("epoll_ctl", errno);
  }
  void AcceptAll() {
    for (;;) {
      const int fd = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd < 0) {
        if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) return;
        Die("accept4", errno);
      }
      echo_bench::NoDelay(fd);
      if (size_t(fd) >= connections_.size()) connections_.resize(size_t(fd) + 1);
      connections_[size_t(fd)].reset(new Connection{fd, 0, 0, {}});
      Control(EPOLL_CTL_ADD, fd, EPOLLIN);
    }
  }
  void Close(Connection* c) {
    close(c->fd);  // also leaves the epoll set
    connections_[size_t(c->fd)].reset();
  }
  void Echo(Connection* c) {
    const ssize_t got = read(c->fd, c->buffer, kBufferBytes);
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (got <= 0) {
      Close(c);
      return;
    }
    c->length = size_t(got);
    c->sent = 0;
    if (Write(c) && c->sent < c->length) Control(EPOLL_CTL_MOD, c->fd, EPOLLOUT);
  }
  void Flush(Connection* c) {
    if (Write(c) && c->sent == c->length) Control(EPOLL_CTL_MOD, c->fd, EPOLLIN);
  }
  // Writes what it can; false if the connection was closed.
  bool Write(Connection* c) {
    while (c->sent < c->length) {
      const ssize_t put = write(c->fd, c->buffer + c->sent, c->length - c->sent);
      if (put < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return true;
        Close(c);
        return false;
      }
      c->sent += size_t(put);
    }
    return true;
  }

  int listener_;
  int epoll_;
  std::vector<std::unique_ptr<Connection>> connections_;
};

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  const unsigned short port = echo_bench::PortFlagAndPin(argc, argv);
  Server server(echo_bench::Listen(port, true));
  server.Run();
}
