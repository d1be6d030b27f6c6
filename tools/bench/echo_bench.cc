// echo_bench: a TCP echo server written against the Windows API (AcceptEx,
// WSARecv, WSASend, one GetQueuedCompletionStatus worker: echo_iocp_server.c)
// against the same server hand-written on liburing, driven by one client
// (liburing, C connections each with one message of S bytes in flight,
// TCP_NODELAY). Everything is pinned to one CPU, where a loopback echo is
// stable within a few per cent. The two servers run interleaved, --reps
// times each; the medians and their ratio are printed.
//
// bazel run --config=opt //tools/bench:echo_bench -- [--connections=16]
//     [--size=64] [--seconds=1] [--reps=5] [--split] [--only-iocp | --only-uring]
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "tools/bench/echo_iocp_server.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    perror(what);
    exit(1);
  }
}

int Listen(uint16_t* port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  Check(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0, "bind");
  Check(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0, "getsockname");
  Check(listen(fd, 1024) == 0, "listen");
  *port = ntohs(address.sin_port);
  return fd;
}

std::vector<int> Connect(uint16_t port, int count) {
  std::vector<int> fds;
  for (int i = 0; i < count; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    Check(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0, "connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    fds.push_back(fd);
  }
  return fds;
}

// user_data: connection index << 1 | (1 = send, 0 = receive).
uint64_t Tag(size_t index, bool send) { return (uint64_t{index} << 1) | (send ? 1 : 0); }

// The client: each connection sends `size` bytes, reads them back, again.
// Returns round trips per second.
double RunClient(uint16_t port, int connections, size_t size, double seconds) {
  std::vector<int> fds = Connect(port, connections);
  io_uring ring;
  Check(io_uring_queue_init(256, &ring, 0) == 0, "io_uring_queue_init");
  std::vector<std::vector<char>> buffers(connections, std::vector<char>(size, 'x'));
  std::vector<size_t> received(connections, 0);
  for (int i = 0; i < connections; ++i) {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring);
    io_uring_prep_send(sqe, fds[i], buffers[i].data(), size, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, Tag(i, true));
  }
  uint64_t round_trips = 0;
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  bool stopping = false;
  int in_flight = connections;
  while (in_flight > 0) {
    io_uring_submit_and_wait(&ring, 1);
    io_uring_cqe* cqe;
    unsigned head, seen = 0;
    io_uring_for_each_cqe(&ring, head, cqe) {
      ++seen;
      --in_flight;
      const size_t index = cqe->user_data >> 1;
      const bool was_send = cqe->user_data & 1;
      Check(cqe->res > 0, "echo I/O");
      if (was_send) {
        received[index] = 0;
      } else {
        received[index] += static_cast<size_t>(cqe->res);
        if (received[index] == size) {
          ++round_trips;
          if (stopping) continue;
          io_uring_sqe* sqe = io_uring_get_sqe(&ring);
          io_uring_prep_send(sqe, fds[index], buffers[index].data(), size, MSG_NOSIGNAL);
          io_uring_sqe_set_data64(sqe, Tag(index, true));
          ++in_flight;
          continue;
        }
      }
      io_uring_sqe* sqe = io_uring_get_sqe(&ring);
      io_uring_prep_recv(sqe, fds[index], buffers[index].data() + received[index],
                         size - received[index], 0);
      io_uring_sqe_set_data64(sqe, Tag(index, false));
      ++in_flight;
    }
    io_uring_cq_advance(&ring, seen);
    if (!stopping && std::chrono::steady_clock::now() >= end) stopping = true;
  }
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  io_uring_queue_exit(&ring);
  for (int fd : fds) close(fd);
  return static_cast<double>(round_trips) / elapsed;
}

// The baseline: the same server hand-written on liburing, one thread.
void RunUringServer(int listener, int connections) {
  std::vector<int> fds;
  for (int i = 0; i < connections; ++i) {
    int fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    Check(fd >= 0, "accept");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    fds.push_back(fd);
  }
  io_uring ring;
  Check(io_uring_queue_init(256, &ring, 0) == 0, "io_uring_queue_init");
  std::vector<std::vector<char>> buffers(connections, std::vector<char>(65536));
  std::vector<size_t> length(connections), sent(connections);
  for (int i = 0; i < connections; ++i) {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring);
    io_uring_prep_recv(sqe, fds[i], buffers[i].data(), buffers[i].size(), 0);
    io_uring_sqe_set_data64(sqe, Tag(i, false));
  }
  int open = connections;
  while (open > 0) {
    io_uring_submit_and_wait(&ring, 1);
    io_uring_cqe* cqe;
    unsigned head, seen = 0;
    io_uring_for_each_cqe(&ring, head, cqe) {
      ++seen;
      const size_t index = cqe->user_data >> 1;
      const bool was_send = cqe->user_data & 1;
      io_uring_sqe* sqe = io_uring_get_sqe(&ring);
      if (!was_send) {
        if (cqe->res <= 0) {  // the client closed
          --open;
          io_uring_prep_nop(sqe);
          io_uring_sqe_set_data64(sqe, ~uint64_t{0} - 1);
          continue;
        }
        length[index] = static_cast<size_t>(cqe->res);
        sent[index] = 0;
      } else {
        sent[index] += static_cast<size_t>(cqe->res);
      }
      if (sent[index] < length[index]) {
        io_uring_prep_send(sqe, fds[index], buffers[index].data() + sent[index],
                           length[index] - sent[index], MSG_NOSIGNAL);
        io_uring_sqe_set_data64(sqe, Tag(index, true));
      } else {
        io_uring_prep_recv(sqe, fds[index], buffers[index].data(), buffers[index].size(), 0);
        io_uring_sqe_set_data64(sqe, Tag(index, false));
      }
    }
    io_uring_cq_advance(&ring, seen);
  }
  io_uring_queue_exit(&ring);
  for (int fd : fds) close(fd);
}

double UringRound(int connections, size_t size, double seconds) {
  uint16_t port;
  int listener = Listen(&port);
  std::thread server(RunUringServer, listener, connections);
  double rate = RunClient(port, connections, size, seconds);
  server.join();
  close(listener);
  return rate;
}

double IocpRound(int connections, size_t size, double seconds) {
  unsigned short port;
  Check(EchoIocpServerStart(&port) == 0, "EchoIocpServerStart");
  double rate = RunClient(port, connections, size, seconds);
  EchoIocpServerStop();
  return rate;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

long Flag(int argc, char** argv, const char* name, long fallback) {
  const size_t length = strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], name, length) == 0 && argv[i][length] == '=') {
      return strtol(argv[i] + length + 1, nullptr, 10);
    }
  }
  return fallback;
}

bool HasFlag(int argc, char** argv, const char* name) {
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], name) == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const int connections = static_cast<int>(Flag(argc, argv, "--connections", 16));
  const size_t size = static_cast<size_t>(Flag(argc, argv, "--size", 64));
  const double seconds = static_cast<double>(Flag(argc, argv, "--seconds", 1));
  const int reps = static_cast<int>(Flag(argc, argv, "--reps", 5));
  const bool split = HasFlag(argc, argv, "--split");
  // --only-iocp / --only-uring: one side alone (for profiling).
  const bool only_iocp = HasFlag(argc, argv, "--only-iocp");
  const bool only_uring = HasFlag(argc, argv, "--only-uring");
  if (!split) {
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(0, &cpus);
    Check(sched_setaffinity(0, sizeof(cpus), &cpus) == 0, "sched_setaffinity");
  }
  printf(
      "echo_bench: %d connections x %zu-byte messages, %.0f s per run, %d runs each, "
      "interleaved, median; %s\n",
      connections, size, seconds, reps, split ? "threads unpinned" : "all threads on CPU 0");
  std::vector<double> uring, iocp;
  for (int rep = 0; rep < reps; ++rep) {
    uring.push_back(only_iocp ? 1 : UringRound(connections, size, seconds));
    iocp.push_back(only_uring ? 1 : IocpRound(connections, size, seconds));
    printf("  run %d: liburing server %.0f round trips/s, IOCP server %.0f round trips/s\n",
           rep + 1, uring.back(), iocp.back());
    fflush(stdout);
  }
  const double u = Median(uring), i = Median(iocp);
  printf(
      "echo_bench: liburing server %.0f/s, IOCP server (Win32 API over the raw ring) %.0f/s, "
      "ratio %.2fx\n",
      u, i, i / u);
  return 0;
}
