// echo_client: the load client of tools/bench/run. C connections to an echo
// server on 127.0.0.1:PORT, each with one S-byte message in flight (send it,
// wait for all S bytes to come back, send again). One thread on liburing,
// submissions batched into one io_uring_submit_and_wait per loop.
//
// A warm-up (not counted) is followed by a measured window of fixed length;
// then every connection finishes its round trip and is closed. Each
// message carries a per-connection sequence byte at both ends, checked on
// its echo (the first and last byte of a message that arrives in pieces). Round-trip
// latency goes into a log-linear histogram (fixed size, ~1.6% resolution),
// so memory is bounded whatever the duration. Prints one line:
//
//   result messages=N seconds=T msgs_per_s=R p50_us=A p99_us=B total_messages=M
//
// (total_messages counts warm-up and the final round trips too.) With
// --count-file=PATH the running total is also kept in PATH (a 64-bit
// counter, mapped shared, stored once per loop) for tools/bench/run to read
// while the client runs.
//
// echo_client --port=P [--connections=64] [--size=64] [--seconds=1]
//     [--warmup=0.2] [--cpu=N] [--connect-timeout=30] [--count-file=PATH]
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <vector>

namespace {

constexpr int kConnectionsMax = 20000;
constexpr size_t kSizeMax = 1 << 20;

void Die(const char* what) {
  fprintf(stderr, "echo_client: %s: %s\n", what, strerror(errno));
  exit(1);
}

void DieRes(const char* what, int res) {
  fprintf(stderr, "echo_client: %s: %s\n", what, strerror(-res));
  exit(1);
}

uint64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1000000000u + uint64_t(ts.tv_nsec);
}

// Log-linear histogram of nanoseconds: 64 linear sub-buckets per power of two.
class Histogram {
 public:
  void Add(uint64_t ns) {
    ++counts_[Index(ns)];
    ++total_;
  }
  uint64_t total() const { return total_; }
  // The value (ns) below which `fraction` of the samples lie (bucket middle).
  double Quantile(double fraction) const {
    if (total_ == 0) return 0;
    const uint64_t rank = uint64_t(fraction * double(total_ - 1));
    uint64_t seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
      seen += counts_[i];
      if (seen > rank) return Middle(i);
    }
    return Middle(kBuckets - 1);
  }

 private:
  static constexpr int kSubBits = 6;
  static constexpr int kSub = 1 << kSubBits;
  static constexpr int kBuckets = (64 - kSubBits + 1) * kSub;

  static int Index(uint64_t ns) {
    if (ns < kSub) return int(ns);
    const int top = 63 - __builtin_clzll(ns);  // >= kSubBits
    const int shift = top - kSubBits;
    return (shift + 1) * kSub + int((ns >> shift) - kSub);
  }
  static double Middle(int index) {
    if (index < kSub) return index;
    const int shift = index / kSub - 1;
    const uint64_t low = (uint64_t(index % kSub) + kSub) << shift;
    return double(low) + double((uint64_t{1} << shift)) / 2;
  }

  uint64_t counts_[kBuckets] = {};
  uint64_t total_ = 0;
};

double DoubleFlag(int argc, char** argv, const char* name, double fallback) {
  const size_t length = strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], name, length) == 0 && argv[i][length] == '=') {
      return strtod(argv[i] + length + 1, nullptr);
    }
  }
  return fallback;
}

const char* StringFlag(int argc, char** argv, const char* name) {
  const size_t length = strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], name, length) == 0 && argv[i][length] == '=') {
      return argv[i] + length + 1;
    }
  }
  return nullptr;
}

// The shared counter of --count-file, or a private one.
uint64_t* MapCounter(const char* path) {
  static uint64_t private_counter;
  if (path == nullptr) return &private_counter;
  const int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) Die("open --count-file");
  if (ftruncate(fd, sizeof(uint64_t)) != 0) Die("ftruncate --count-file");
  void* mapping = mmap(nullptr, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (mapping == MAP_FAILED) Die("mmap --count-file");
  close(fd);
  return static_cast<uint64_t*>(mapping);
}

int ConnectOne(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) Die("socket");
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    const int error = errno;
    close(fd);
    errno = error;
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

// The first connection waits for the server to listen (it may still be
// starting, e.g. under Wine); the others must succeed at once.
std::vector<int> ConnectAll(uint16_t port, int count, double timeout_seconds) {
  std::vector<int> fds;
  const uint64_t deadline = NowNs() + uint64_t(timeout_seconds * 1e9);
  int fd;
  while ((fd = ConnectOne(port)) < 0) {
    if (errno != ECONNREFUSED || NowNs() > deadline) Die("connect (first)");
    usleep(10000);  // polling for a server that is still starting, not sync
  }
  fds.push_back(fd);
  while (int(fds.size()) < count) {
    fd = ConnectOne(port);
    if (fd < 0) Die("connect");
    fds.push_back(fd);
  }
  return fds;
}

struct Connection {
  int fd;
  size_t received;
  uint64_t sent_at_ns;
  char* buffer;
  uint8_t mark;  // written to the first and last byte of each message sent
};

uint64_t Tag(size_t index, bool send) { return (uint64_t{index} << 1) | (send ? 1 : 0); }

}  // namespace

int main(int argc, char** argv) {
  const long port = long(DoubleFlag(argc, argv, "--port", 0));
  const int connections = int(DoubleFlag(argc, argv, "--connections", 64));
  const size_t size = size_t(DoubleFlag(argc, argv, "--size", 64));
  const double seconds = DoubleFlag(argc, argv, "--seconds", 1);
  const double warmup = DoubleFlag(argc, argv, "--warmup", 0.2);
  const int cpu = int(DoubleFlag(argc, argv, "--cpu", -1));
  const double connect_timeout = DoubleFlag(argc, argv, "--connect-timeout", 30);
  if (port <= 0 || port > 65535 || connections < 1 || connections > kConnectionsMax || size < 1 ||
      size > kSizeMax || seconds <= 0 || seconds > 600 || warmup < 0 || warmup > 60) {
    fprintf(stderr,
            "usage: echo_client --port=P [--connections=1..%d] [--size=1..%zu] "
            "[--seconds=(0,600]] [--warmup=0.2] [--cpu=N] [--connect-timeout=30]\n",
            kConnectionsMax, kSizeMax);
    return 2;
  }
  if (cpu >= 0) {
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(cpu, &cpus);
    if (sched_setaffinity(0, sizeof(cpus), &cpus) != 0) Die("sched_setaffinity");
  }

  uint64_t* const shared_total = MapCounter(StringFlag(argc, argv, "--count-file"));
  std::vector<int> fds = ConnectAll(uint16_t(port), connections, connect_timeout);
  io_uring ring;
  const unsigned entries = 2 * unsigned(connections) < 4096 ? 2 * unsigned(connections) : 4096;
  int res = io_uring_queue_init(entries < 8 ? 8 : entries, &ring, 0);
  if (res < 0) DieRes("io_uring_queue_init", res);
  std::vector<char> memory(size * size_t(connections), 'x');
  std::vector<Connection> conns(static_cast<size_t>(connections));
  static Histogram histogram;

  auto get_sqe = [&]() {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring);
    if (sqe == nullptr) {
      io_uring_submit(&ring);
      sqe = io_uring_get_sqe(&ring);
      if (sqe == nullptr) DieRes("io_uring_get_sqe", -EBUSY);
    }
    return sqe;
  };
  auto send = [&](size_t i, uint64_t now) {
    conns[i].received = 0;
    conns[i].sent_at_ns = now;
    conns[i].mark = uint8_t(conns[i].mark + 1);
    conns[i].buffer[0] = char(conns[i].mark);
    conns[i].buffer[size - 1] = char(conns[i].mark);
    io_uring_sqe* sqe = get_sqe();
    io_uring_prep_send(sqe, conns[i].fd, conns[i].buffer, size, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, Tag(i, true));
  };
  auto receive = [&](size_t i) {
    io_uring_sqe* sqe = get_sqe();
    io_uring_prep_recv(sqe, conns[i].fd, conns[i].buffer + conns[i].received,
                       size - conns[i].received, 0);
    io_uring_sqe_set_data64(sqe, Tag(i, false));
  };

  const uint64_t start_ns = NowNs();
  for (size_t i = 0; i < conns.size(); ++i) {
    conns[i].fd = fds[i];
    conns[i].buffer = memory.data() + i * size;
    send(i, start_ns);
  }
  const uint64_t measure_from_ns = start_ns + uint64_t(warmup * 1e9);
  const uint64_t measure_until_ns = measure_from_ns + uint64_t(seconds * 1e9);
  bool measuring = false, stopping = false;
  uint64_t messages = 0, total_messages = 0;
  int in_flight = connections;
  while (in_flight > 0) {
    res = io_uring_submit_and_wait(&ring, 1);
    if (res < 0 && res != -EINTR) DieRes("io_uring_submit_and_wait", res);
    const uint64_t now = NowNs();
    if (!measuring && now >= measure_from_ns) measuring = true;
    if (!stopping && now >= measure_until_ns) stopping = true;
    io_uring_cqe* cqe;
    unsigned head, seen = 0;
    io_uring_for_each_cqe(&ring, head, cqe) {
      ++seen;
      --in_flight;
      const size_t i = size_t(cqe->user_data >> 1);
      const bool was_send = cqe->user_data & 1;
      if (cqe->res <= 0)
        DieRes(was_send ? "send" : "receive (server closed?)", cqe->res ? cqe->res : -EPIPE);
      if (was_send) {
        if (size_t(cqe->res) != size) DieRes("short send", -EMSGSIZE);
        receive(i);
        ++in_flight;
        continue;
      }
      conns[i].received += size_t(cqe->res);
      if (conns[i].received < size) {
        receive(i);
        ++in_flight;
        continue;
      }
      ++total_messages;
      if (conns[i].buffer[0] != char(conns[i].mark) ||
          conns[i].buffer[size - 1] != char(conns[i].mark)) {
        DieRes("the echo differs from the message sent", -EPROTO);
      }
      if (measuring && !stopping) {
        ++messages;
        histogram.Add(now - conns[i].sent_at_ns);
      }
      if (stopping) continue;
      send(i, now);
      ++in_flight;
    }
    io_uring_cq_advance(&ring, seen);
    __atomic_store_n(shared_total, total_messages, __ATOMIC_RELAXED);
  }
  io_uring_queue_exit(&ring);
  for (int fd : fds) close(fd);
  printf(
      "result messages=%llu seconds=%.3f msgs_per_s=%.0f p50_us=%.1f p99_us=%.1f "
      "total_messages=%llu\n",
      (unsigned long long)messages, seconds, double(messages) / seconds,
      histogram.Quantile(0.50) / 1000, histogram.Quantile(0.99) / 1000,
      (unsigned long long)total_messages);
  return messages > 0 ? 0 : 1;
}
