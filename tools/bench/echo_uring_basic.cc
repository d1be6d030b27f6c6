// echo_uring_basic: contender (b) of tools/bench/run. An echo server on
// liburing written the plain way: one accept at a time, one receive per
// connection (resubmitted after each echo), a send of what came in, and one
// io_uring_submit_and_wait per loop, which submits everything the previous
// batch of completions prepared. One thread.
//
// echo_uring_basic --port=P [--cpu=N]   (--port=0: any free port; "port N" is printed)
//
// Built a second time as echo_uring_basic_burn (ECHO_BURN defined), an
// experiment that takes --burn=N: N empty loop iterations (about 3N
// instructions, no memory touched) of extra user-space work per completion,
// to measure what user-space work per message costs in time
// (tools/bench/cpu_split, docs/PERFORMANCE.md). The contender itself is
// built without it.
#include <liburing.h>

#include <memory>
#include <vector>

#include "tools/bench/echo_server_util.h"

namespace {

using echo_bench::Die;
using echo_bench::kBufferBytes;

enum Op : uint64_t { kAccept = 0, kReceive = 1, kSend = 2 };

struct Connection {
  int fd;
  size_t length;
  size_t sent;
  char buffer[kBufferBytes];
};

uint64_t Tag(int fd, Op op) { return (uint64_t(unsigned(fd)) << 2) | op; }

class Server {
 public:
  Server(int listener, long burn) : listener_(listener), burn_(burn) {
    const int res = io_uring_queue_init(4096, &ring_, 0);
    if (res < 0) Die("io_uring_queue_init", -res);
  }

  [[noreturn]] void Run() {
    Accept();
    for (;;) {
      const int res = io_uring_submit_and_wait(&ring_, 1);
      if (res < 0 && res != -EINTR) Die("io_uring_submit_and_wait", -res);
      io_uring_cqe* cqe;
      unsigned head, seen = 0;
      io_uring_for_each_cqe(&ring_, head, cqe) {
        ++seen;
#ifdef ECHO_BURN
        for (long i = 0; i < burn_; ++i) asm volatile("" ::: "memory");
#endif
        Complete(int(cqe->user_data >> 2), Op(cqe->user_data & 3), cqe->res);
      }
      io_uring_cq_advance(&ring_, seen);
    }
  }

 private:
  io_uring_sqe* Sqe() {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (sqe == nullptr) {
      io_uring_submit(&ring_);
      sqe = io_uring_get_sqe(&ring_);
      if (sqe == nullptr) Die("io_uring_get_sqe", EBUSY);
    }
    return sqe;
  }
  void Accept() {
    io_uring_sqe* sqe = Sqe();
    io_uring_prep_accept(sqe, listener_, nullptr, nullptr, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, Tag(listener_, kAccept));
  }
  void Receive(Connection* c) {
    io_uring_sqe* sqe = Sqe();
    io_uring_prep_recv(sqe, c->fd, c->buffer, kBufferBytes, 0);
    io_uring_sqe_set_data64(sqe, Tag(c->fd, kReceive));
  }
  void Send(Connection* c) {
    io_uring_sqe* sqe = Sqe();
    io_uring_prep_send(sqe, c->fd, c->buffer + c->sent, c->length - c->sent, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, Tag(c->fd, kSend));
  }
  void Close(Connection* c) {
    close(c->fd);
    connections_[size_t(c->fd)].reset();
  }

  void Complete(int fd, Op op, int res) {
    if (op == kAccept) {
      if (res >= 0) {
        echo_bench::NoDelay(res);
        if (size_t(res) >= connections_.size()) connections_.resize(size_t(res) + 1);
        connections_[size_t(res)].reset(new Connection{res, 0, 0, {}});
        Receive(connections_[size_t(res)].get());
      }
      Accept();
      return;
    }
    Connection* c = connections_[size_t(fd)].get();
    if (res <= 0) {  // the client closed, or an error
      Close(c);
      return;
    }
    if (op == kReceive) {
      c->length = size_t(res);
      c->sent = 0;
    } else {
      c->sent += size_t(res);
    }
    if (c->sent < c->length) {
      Send(c);
    } else {
      Receive(c);
    }
  }

  int listener_;
  [[maybe_unused]] const long burn_;  // ECHO_BURN only
  io_uring ring_;
  std::vector<std::unique_ptr<Connection>> connections_;
};

}  // namespace

int main(int argc, char** argv) {
  const unsigned short port = echo_bench::PortFlagAndPin(argc, argv);
  Server server(echo_bench::Listen(port, false), echo_bench::Flag(argc, argv, "--burn", 0));
  server.Run();
}
