// echo_uring_best: contender (c) of tools/bench/run. An echo server on
// liburing the way io_uring's authors recommend for sockets:
//   - IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN (task work runs
//     only when this thread waits, in batches), the ring fd registered;
//   - multishot accept, and one multishot receive per connection that
//     picks its buffer from a provided-buffer ring (no buffer per idle
//     connection, no resubmission per message);
//   - the data is sent back from the provided buffer, which returns to the
//     buffer ring when its send completes; returns are published once per
//     loop, and every prepared request goes out in the next
//     io_uring_submit_and_wait.
// One thread. Sends on a connection are kept in order (one in flight, the
// rest queued), so a message split over two receives is echoed in order.
//
// echo_uring_best --port=P [--cpu=N]   (--port=0: any free port; "port N" is printed)
#include <liburing.h>
#include <sys/mman.h>

#include <memory>
#include <vector>

#include "tools/bench/echo_server_util.h"

namespace {

using echo_bench::Die;

constexpr unsigned kBufferCount = 4096;  // power of two (buffer ring entries)
constexpr unsigned kBufferSize = 4096;
constexpr int kGroup = 1;
constexpr unsigned kQueueMax = 256;  // queued sends per connection (pieces of one message)

enum Op : uint64_t { kAccept = 0, kReceive = 1, kSend = 2 };

uint64_t Tag(int fd, Op op) { return (uint64_t(unsigned(fd)) << 2) | op; }

struct Pending {
  uint16_t buffer_id;
  uint32_t length;
};

struct Connection {
  int fd;
  bool receiving;  // the multishot receive is armed
  bool sending;    // queue[head] is in flight
  uint32_t sent;   // bytes of queue[head] already sent
  unsigned head, count;
  Pending queue[kQueueMax];
};

class Server {
 public:
  explicit Server(int listener) : listener_(listener) {
    io_uring_params params = {};
    params.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    int res = io_uring_queue_init_params(4096, &ring_, &params);
    if (res < 0) Die("io_uring_queue_init_params (SINGLE_ISSUER | DEFER_TASKRUN)", -res);
    res = io_uring_register_ring_fd(&ring_);
    if (res < 0) Die("io_uring_register_ring_fd", -res);
    const size_t ring_bytes = kBufferCount * sizeof(io_uring_buf);
    void* ring_memory =
        mmap(nullptr, ring_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (ring_memory == MAP_FAILED) Die("mmap", errno);
    buffer_ring_ = static_cast<io_uring_buf_ring*>(ring_memory);
    io_uring_buf_ring_init(buffer_ring_);
    io_uring_buf_reg reg = {};
    reg.ring_addr = reinterpret_cast<uint64_t>(buffer_ring_);
    reg.ring_entries = kBufferCount;
    reg.bgid = kGroup;
    res = io_uring_register_buf_ring(&ring_, &reg, 0);
    if (res < 0) Die("io_uring_register_buf_ring", -res);
    buffers_.reset(new char[size_t(kBufferCount) * kBufferSize]);
    for (unsigned id = 0; id < kBufferCount; ++id) ReturnBuffer(uint16_t(id));
    PublishBuffers();
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
        Complete(int(cqe->user_data >> 2), Op(cqe->user_data & 3), cqe->res, cqe->flags);
      }
      io_uring_cq_advance(&ring_, seen);
      PublishBuffers();
    }
  }

 private:
  char* BufferAt(uint16_t id) { return buffers_.get() + size_t(id) * kBufferSize; }
  void ReturnBuffer(uint16_t id) {
    io_uring_buf_ring_add(buffer_ring_, BufferAt(id), kBufferSize, id,
                          io_uring_buf_ring_mask(kBufferCount), int(returned_));
    ++returned_;
  }
  void PublishBuffers() {
    if (returned_ == 0) return;
    io_uring_buf_ring_advance(buffer_ring_, int(returned_));
    returned_ = 0;
  }
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
    io_uring_prep_multishot_accept(sqe, listener_, nullptr, nullptr, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, Tag(listener_, kAccept));
  }
  void Receive(Connection* c) {
    io_uring_sqe* sqe = Sqe();
    io_uring_prep_recv_multishot(sqe, c->fd, nullptr, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = kGroup;
    io_uring_sqe_set_data64(sqe, Tag(c->fd, kReceive));
    c->receiving = true;
  }
  void SendHead(Connection* c) {
    const Pending& p = c->queue[c->head];
    io_uring_sqe* sqe = Sqe();
    io_uring_prep_send(sqe, c->fd, BufferAt(p.buffer_id) + c->sent, p.length - c->sent,
                       MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, Tag(c->fd, kSend));
    c->sending = true;
  }
  void DropQueue(Connection* c) {
    for (; c->count > 0; --c->count, c->head = (c->head + 1) % kQueueMax) {
      ReturnBuffer(c->queue[c->head].buffer_id);
    }
  }
  void CloseIfIdle(Connection* c) {
    if (c->receiving || c->sending) return;
    DropQueue(c);
    close(c->fd);
    connections_[size_t(c->fd)].reset();
  }

  void Complete(int fd, Op op, int res, unsigned flags) {
    if (op == kAccept) {
      if (res >= 0) {
        echo_bench::NoDelay(res);
        if (size_t(res) >= connections_.size()) connections_.resize(size_t(res) + 1);
        connections_[size_t(res)].reset(new Connection{});
        Connection* c = connections_[size_t(res)].get();
        c->fd = res;
        Receive(c);
      }
      if (!(flags & IORING_CQE_F_MORE)) Accept();
      return;
    }
    Connection* c = connections_[size_t(fd)].get();
    if (op == kReceive) {
      const bool more = flags & IORING_CQE_F_MORE;
      if (!more) c->receiving = false;
      if (res > 0) {
        const uint16_t id = uint16_t(flags >> IORING_CQE_BUFFER_SHIFT);
        if (c->count == kQueueMax) Die("send queue full (not a ping-pong client?)", ENOBUFS);
        c->queue[(c->head + c->count) % kQueueMax] = Pending{id, uint32_t(res)};
        if (++c->count == 1) {
          c->sent = 0;
          SendHead(c);
        }
        if (!more) Receive(c);  // e.g. the buffer ring ran dry for a moment
        return;
      }
      if (res == -ENOBUFS) {
        Receive(c);
        return;
      }
      CloseIfIdle(c);  // end of stream or an error: the multishot receive is over
      return;
    }
    // kSend
    c->sending = false;
    if (res < 0) {
      DropQueue(c);
      if (c->receiving) shutdown(c->fd, SHUT_RDWR);  // ends the receive; closed then
      CloseIfIdle(c);
      return;
    }
    c->sent += uint32_t(res);
    if (c->sent < c->queue[c->head].length) {
      SendHead(c);
      return;
    }
    ReturnBuffer(c->queue[c->head].buffer_id);
    c->head = (c->head + 1) % kQueueMax;
    --c->count;
    c->sent = 0;
    if (c->count > 0) {
      SendHead(c);
    } else if (!c->receiving) {
      CloseIfIdle(c);
    }
  }

  int listener_;
  io_uring ring_;
  io_uring_buf_ring* buffer_ring_;
  std::unique_ptr<char[]> buffers_;
  unsigned returned_ = 0;
  std::vector<std::unique_ptr<Connection>> connections_;
};

}  // namespace

int main(int argc, char** argv) {
  const unsigned short port = echo_bench::PortFlagAndPin(argc, argv);
  Server server(echo_bench::Listen(port, false));
  server.Run();
}
