// A deterministic simulation of a multi-threaded IOCP echo server and its
// clients, entirely on the simulated kernel.
//
// Real worker threads (so the port sees distinct threads: association and
// the concurrency limit are the real thing) take turns chosen by a seeded
// scheduler: exactly one runs at a time, for one step (a
// GetQueuedCompletionStatus with a zero timeout and whatever the packet
// leads to), then hands back. The scheduler also lets virtual time pass.
// Everything the run does therefore follows from the seed, and the same seed
// replays it bit for bit: the test runs a seed twice in child processes and
// compares the kernel's trace hash (every completion, its result and its
// virtual time).
//
// The simulated kernel's faults are on: short transfers, slow and
// reordered completions, and connections reset under their requests.
// Invariants, after every step:
//   - every request completes exactly once, on the port of its socket, with
//     its key (a map of outstanding OVERLAPPEDs);
//   - a write completes whole or fails; every echo is the bytes sent, in
//     order, unless the connection was reset (then it ends early);
//   - the concurrency limit: a worker gets a packet only while fewer other
//     workers of the port run than the limit (a worker parked between turns
//     in a Win32 wait is blocked; one parked on a plain condition variable
//     still runs, as far as the port can tell);
// and at the end: every connection finished, no request left outstanding,
// and the handle table back where it started.
//
// A failure prints the seed and the command that replays it.
#include <mswsock.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include <condition_variable>
#include <initializer_list>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/simulation/sim_control.h"

namespace {

// --- The seeded choices (splitmix64) ---

class Prng {
 public:
  explicit Prng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(Next() % n); }

 private:
  uint64_t state_;
};

uint64_t g_seed = 1;

[[noreturn]] void Violation(const std::string& what) {
  const char* faults = getenv("IOCP_FAKE_FAULTS");
  fprintf(stderr,
          "echo_simulation: seed %llu: %s\n"
          "replay: IOCP_SIM_CHILD=1 IOCP_FAKE_SEED=%llu IOCP_FAKE_FAULTS='%s' "
          "bazel-bin/tests/simulation/echo_simulation_test\n",
          static_cast<unsigned long long>(g_seed), what.c_str(),
          static_cast<unsigned long long>(g_seed), faults != nullptr ? faults : "");
  fflush(stderr);
  _exit(3);
}

void Expect(bool condition, const std::string& what) {
  if (!condition) Violation(what);
}

// --- The simulated programs ---

constexpr int kConnections = 6;
constexpr int kMessages = 12;
constexpr uint32_t kMaxMessage = 3000;
constexpr int kServerWorkers = 3;
constexpr int kClientWorkers = 2;
constexpr DWORD kServerConcurrency = 2;

enum class OpKind { kServerReceive, kServerSend, kClientReceive, kClientSend, kRefusedConnect };

struct Op {
  OVERLAPPED overlapped;  // first: the packet's pointer is the Op's
  OpKind kind;
  int connection;
  uint32_t length;
};

struct Connection {
  SOCKET client = INVALID_SOCKET;
  SOCKET server = INVALID_SOCKET;
  // Client side.
  int message = 0;           // the message being echoed
  std::vector<char> sent;    // its bytes
  std::vector<char> echoed;  // what came back so far
  bool send_done = false;    // its send's packet was dequeued
  bool client_receiving = false;
  OVERLAPPED* receive_overlapped = nullptr;  // the pending receive, for CancelIoEx
  bool client_closed = false;
  bool reset = false;  // a request failed: the connection ends early
  // Server side.
  char server_buffer[kMaxMessage];
  bool server_closed = false;
  // Buffers the client's requests point at.
  char client_buffer[kMaxMessage];
};

class Simulation {
 public:
  explicit Simulation(uint64_t seed) : rng_(seed) {}

  void Run() {
    WSADATA data;
    Expect(WSAStartup(MAKEWORD(2, 2), &data) == 0, "WSAStartup");
    baseline_handles_ = SimLiveHandles();
    server_port_ = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, kServerConcurrency);
    client_port_ = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
    Expect(server_port_ != nullptr && client_port_ != nullptr, "ports");
    Connect();
    for (int i = 0; i < kConnections; ++i) {
      StartServerReceive(i);
      StartMessage(i);
    }
    RunWorkers();
    Expect(outstanding_.empty(), std::to_string(outstanding_.size()) + " requests never completed");
    for (int i = 0; i < kConnections; ++i) {
      Expect(connections_[i].client_closed && connections_[i].server_closed,
             "connection " + std::to_string(i) + " did not finish");
      Expect(connections_[i].reset || connections_[i].message == kMessages,
             "connection " + std::to_string(i) + " stopped early without a reset");
    }
    Expect(CloseHandle(server_port_) && CloseHandle(client_port_), "closing the ports");
    Expect(SimLiveHandles() == baseline_handles_,
           "handles leaked: " + std::to_string(SimLiveHandles()) + " vs " +
               std::to_string(baseline_handles_));
    WSACleanup();
  }

  uint64_t steps() const { return steps_; }
  int cancelled() const { return cancelled_; }
  // A hash of everything the run did, step by step (which worker, what it
  // dequeued and with what result; each time step): equal only for
  // identical runs. (The kernel's own trace hash includes user data, which
  // are heap addresses and differ between processes.)
  uint64_t trace() const { return trace_; }
  int resets() const {
    int n = 0;
    for (const Connection& c : connections_) n += c.reset ? 1 : 0;
    return n;
  }

 private:
  void Connect() {
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int length = sizeof(address);
    Expect(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0, "bind");
    Expect(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0, "name");
    Expect(listen(listener, kConnections) == 0, "listen");
    for (int i = 0; i < kConnections; ++i) {
      Connection& c = connections_[i];
      c.client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
      Expect(connect(c.client, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0,
             "connect");
      c.server = accept(listener, nullptr, nullptr);
      Expect(c.server != INVALID_SOCKET, "accept");
      Expect(CreateIoCompletionPort(reinterpret_cast<HANDLE>(c.client), client_port_, 100 + i, 0) ==
                 client_port_,
             "associate client");
      Expect(CreateIoCompletionPort(reinterpret_cast<HANDLE>(c.server), server_port_, 200 + i, 0) ==
                 server_port_,
             "associate server");
    }
    closesocket(listener);
    StartRefusedConnect(address);
  }

  // A ConnectEx to the listener's port after the listener closed: refused.
  void StartRefusedConnect(sockaddr_in address) {
    refused_socket_ = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    GUID guid = WSAID_CONNECTEX;
    LPFN_CONNECTEX connect_ex = nullptr;
    DWORD bytes = 0;
    Expect(WSAIoctl(refused_socket_, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                    &connect_ex, sizeof(connect_ex), &bytes, nullptr, nullptr) == 0,
           "WSAID_CONNECTEX");
    sockaddr_in any = {};
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    Expect(bind(refused_socket_, reinterpret_cast<sockaddr*>(&any), sizeof(any)) == 0,
           "bind(refused)");
    Expect(CreateIoCompletionPort(reinterpret_cast<HANDLE>(refused_socket_), client_port_, 300,
                                  0) == client_port_,
           "associate refused");
    Op* op = NewOp(OpKind::kRefusedConnect, -1, 0);
    const BOOL ok = connect_ex(refused_socket_, reinterpret_cast<sockaddr*>(&address),
                               sizeof(address), nullptr, 0, nullptr, &op->overlapped);
    Expect(!ok && WSAGetLastError() == ERROR_IO_PENDING, "ConnectEx did not pend");
  }

  Op* NewOp(OpKind kind, int connection, uint32_t length) {
    auto* op = new Op{};
    op->kind = kind;
    op->connection = connection;
    op->length = length;
    outstanding_[&op->overlapped] = op;
    return op;
  }

  void Issue(SOCKET socket, Op* op, char* buffer, bool send) {
    WSABUF wsabuf = {op->length, buffer};
    DWORD flags = 0;
    const int rc = send ? WSASend(socket, &wsabuf, 1, nullptr, 0, &op->overlapped, nullptr)
                        : WSARecv(socket, &wsabuf, 1, nullptr, &flags, &op->overlapped, nullptr);
    Expect(rc == 0 || WSAGetLastError() == WSA_IO_PENDING,
           "a request on an open socket was refused: " + std::to_string(WSAGetLastError()));
  }

  // Client: the next message (its length and bytes from the seed).
  void StartMessage(int i) {
    Connection& c = connections_[i];
    const uint32_t length = 1 + rng_.Below(kMaxMessage);
    c.sent.resize(length);
    for (uint32_t b = 0; b < length; ++b) c.sent[b] = static_cast<char>(rng_.Next());
    c.echoed.clear();
    c.send_done = false;
    Issue(c.client, NewOp(OpKind::kClientSend, i, length), c.sent.data(), true);
    StartClientReceive(i);
  }

  void StartClientReceive(int i) {
    Connection& c = connections_[i];
    const uint32_t wanted = static_cast<uint32_t>(c.sent.size() - c.echoed.size());
    c.client_receiving = true;
    Op* op = NewOp(OpKind::kClientReceive, i, wanted);
    c.receive_overlapped = &op->overlapped;
    Issue(c.client, op, c.client_buffer, false);
  }

  void StartServerReceive(int i) {
    Connection& c = connections_[i];
    Issue(c.server, NewOp(OpKind::kServerReceive, i, kMaxMessage), c.server_buffer, false);
  }

  // The client ends its side once nothing of it is in flight.
  void MaybeCloseClient(int i) {
    Connection& c = connections_[i];
    if (c.client_closed || c.client_receiving || !c.send_done) return;
    if (!c.reset && c.message < kMessages) return;
    Expect(closesocket(c.client) == 0, "closesocket(client)");
    c.client_closed = true;
  }

  // --- One step of one worker: a packet, and what it leads to ---

  void HandlePacket(BOOL ok, DWORD error, DWORD bytes, ULONG_PTR key, OVERLAPPED* overlapped,
                    bool server) {
    auto found = outstanding_.find(overlapped);
    Expect(found != outstanding_.end(), "a packet for a request not outstanding (lost or twice)");
    Op* op = found->second;
    outstanding_.erase(found);
    if (op->kind == OpKind::kRefusedConnect) {
      // ConnectEx to a port nobody listens on: refused (spec: 1225).
      Expect(!server && key == 300, "the refused connect came on the wrong port or key");
      Expect(!ok && error == ERROR_CONNECTION_REFUSED,
             "a connect to a closed port: " + std::to_string(error));
      delete op;
      Expect(closesocket(refused_socket_) == 0, "closesocket(refused)");
      refused_socket_ = INVALID_SOCKET;
      return;
    }
    const int i = op->connection;
    Connection& c = connections_[i];
    const bool server_op = op->kind == OpKind::kServerReceive || op->kind == OpKind::kServerSend;
    Expect(server_op == server, "a packet on the wrong port");
    Expect(key == static_cast<ULONG_PTR>((server ? 200 : 100) + i), "a packet with the wrong key");
    if (ok && (op->kind == OpKind::kServerSend || op->kind == OpKind::kClientSend)) {
      Expect(bytes == op->length, "a stream send completed short");
    }
    if (ok) Expect(bytes <= op->length, "more bytes than asked");
    const OpKind kind = op->kind;
    delete op;

    switch (kind) {
      case OpKind::kRefusedConnect:
        return;  // handled above
      case OpKind::kServerReceive:
        if (!ok || bytes == 0) {  // the client left (or the connection broke)
          Expect(closesocket(c.server) == 0, "closesocket(server)");
          c.server_closed = true;
          return;
        }
        Issue(c.server, NewOp(OpKind::kServerSend, i, bytes), c.server_buffer, true);
        return;
      case OpKind::kServerSend:
        if (!ok) {
          Expect(closesocket(c.server) == 0, "closesocket(server)");
          c.server_closed = true;
          return;
        }
        StartServerReceive(i);
        return;
      case OpKind::kClientSend:
        c.send_done = true;
        if (!ok) c.reset = true;
        break;
      case OpKind::kClientReceive:
        c.client_receiving = false;
        c.receive_overlapped = nullptr;
        if (!ok && error == ERROR_OPERATION_ABORTED) {
          // Cancelled by the client (CancelIoEx): nothing was taken, so the
          // echo is still to come; ask again.
          ++cancelled_;
          StartClientReceive(i);
          return;
        }
        if (!ok || bytes == 0) {
          c.reset = true;
          break;
        }
        c.echoed.insert(c.echoed.end(), c.client_buffer, c.client_buffer + bytes);
        Expect(memcmp(c.echoed.data(), c.sent.data(), c.echoed.size()) == 0,
               "connection " + std::to_string(i) + " message " + std::to_string(c.message) +
                   ": the echo differs from what was sent");
        if (c.echoed.size() < c.sent.size()) {
          StartClientReceive(i);
          return;
        }
        break;
    }
    // A client message is done when both its send and its echo are.
    if (!c.reset && c.send_done && !c.client_receiving && c.echoed.size() == c.sent.size()) {
      if (++c.message < kMessages) {
        StartMessage(i);
        return;
      }
    }
    MaybeCloseClient(i);
  }

  bool Finished() const {
    if (refused_socket_ != INVALID_SOCKET) return false;
    for (const Connection& c : connections_) {
      if (!c.client_closed || !c.server_closed) return false;
    }
    return outstanding_.empty();
  }

  // --- The scheduler: real threads, one at a time, in the seed's order ---

  // A worker parks between its turns either in a Win32 wait (blocked, so
  // the port does not count it as running) or on a plain condition variable
  // (invisible to the port: it still counts as running, as a thread busy
  // outside any wait would). The seed chooses, so the concurrency limit
  // binds sometimes.
  struct Worker {
    bool server;
    HANDLE wake = nullptr;        // auto-reset event for a Win32 park
    bool parked_in_win32 = true;  // starts in a Win32 wait (not yet associated anyway)
    bool associated = false;      // has called GetQueuedCompletionStatus
    bool turn = false;
    bool stop = false;
    bool exited = false;
  };

  void Park(Worker& self) {
    if (self.parked_in_win32) {
      for (;;) {
        Expect(WaitForSingleObject(self.wake, INFINITE) == WAIT_OBJECT_0, "WaitForSingleObject");
        std::lock_guard<std::mutex> lock(mutex_);
        if (self.turn) return;
      }
    }
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return self.turn; });
  }

  void WorkerLoop(int index) {
    Worker& self = workers_[index];
    for (;;) {
      Park(self);
      if (self.stop) break;
      // One step, alone: nobody else runs until it hands back.
      HANDLE port = self.server ? server_port_ : client_port_;
      int running_others = 0;
      for (const Worker& w : workers_) {
        running_others += &w != &self && w.server && w.associated && !w.parked_in_win32;
      }
      DWORD bytes = 0;
      ULONG_PTR key = 0;
      OVERLAPPED* overlapped = nullptr;
      const BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, 0);
      const DWORD error = ok ? 0 : GetLastError();
      {
        auto it = overlapped ? outstanding_.find(overlapped) : outstanding_.end();
        const int connection = it != outstanding_.end() ? it->second->connection : -1;
        const int kind = it != outstanding_.end() ? static_cast<int>(it->second->kind) : -1;
        Record({steps_, static_cast<uint64_t>(index), static_cast<uint64_t>(ok), error, bytes,
                static_cast<uint64_t>(connection), static_cast<uint64_t>(kind)});
      }
      self.associated = true;
      if (overlapped != nullptr) {
        if (self.server) {
          // Windows releases a waiter only while fewer threads than the
          // limit run (spec: concurrency); the others parked outside a
          // Win32 wait still run.
          Expect(running_others < static_cast<int>(kServerConcurrency),
                 "a worker got a packet while " + std::to_string(running_others) +
                     " others ran (limit " + std::to_string(kServerConcurrency) + ")");
        }
        HandlePacket(ok, error, bytes, key, overlapped, self.server);
      } else {
        Expect(!ok && error == WAIT_TIMEOUT, "GQCS(0) without a packet: " + std::to_string(error));
      }
      self.parked_in_win32 = rng_.Below(3) != 0;
      std::lock_guard<std::mutex> lock(mutex_);
      self.turn = false;
      cv_.notify_all();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    self.exited = true;
    self.turn = false;
    cv_.notify_all();
  }

  // Waits until every worker that parks in a Win32 wait is inside it (and
  // so no longer counted as running by its port): the next step must not
  // race a worker still on its way to sleep.
  void AwaitSettled() {
    int expected = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (const Worker& w : workers_) expected += w.parked_in_win32 && !w.exited ? 1 : 0;
    }
    while (SimDispatcherWaiters() != expected) std::this_thread::yield();
  }

  void Give(int index) {
    AwaitSettled();
    Worker& worker = workers_[index];
    std::unique_lock<std::mutex> lock(mutex_);
    worker.turn = true;
    if (worker.parked_in_win32) {
      SetEvent(worker.wake);
    } else {
      cv_.notify_all();
    }
    cv_.wait(lock, [&] { return !worker.turn; });
  }

  void RunWorkers() {
    for (int w = 0; w < kServerWorkers + kClientWorkers; ++w) {
      Worker worker;
      worker.server = w < kServerWorkers;
      worker.wake = CreateEventA(nullptr, FALSE, FALSE, nullptr);
      workers_.push_back(worker);
    }
    std::vector<std::thread> threads;
    for (int w = 0; w < static_cast<int>(workers_.size()); ++w) {
      threads.emplace_back([this, w] { WorkerLoop(w); });
    }
    constexpr uint64_t kMaxSteps = 2000000;
    while (!Finished()) {
      Expect(++steps_ < kMaxSteps, "no progress after " + std::to_string(kMaxSteps) + " steps");
      AwaitSettled();  // the last worker is all the way back in its park
      if (rng_.Below(40) == 0) {
        // A client gives up on a pending receive (CancelIoEx from the
        // scheduler's thread, as a program's other thread would).
        const int i = static_cast<int>(rng_.Below(kConnections));
        if (connections_[i].receive_overlapped != nullptr && !connections_[i].client_closed) {
          const BOOL ok = CancelIoEx(reinterpret_cast<HANDLE>(connections_[i].client),
                                     connections_[i].receive_overlapped);
          Record({steps_, 2000, static_cast<uint64_t>(i), static_cast<uint64_t>(ok)});
          // Found it, or it had completed already (its packet is queued).
          Expect(ok || GetLastError() == ERROR_NOT_FOUND,
                 "CancelIoEx failed with " + std::to_string(GetLastError()));
        }
      } else if (rng_.Below(4) == 0) {
        const int64_t ns = 1000 * (1 + rng_.Below(20));
        Record({steps_, 1000, static_cast<uint64_t>(ns)});
        SimAdvanceTime(ns);  // virtual time passes
      } else {
        Give(static_cast<int>(rng_.Below(static_cast<uint32_t>(workers_.size()))));
      }
    }
    for (int w = 0; w < static_cast<int>(workers_.size()); ++w) {
      workers_[w].stop = true;
      Give(w);
    }
    for (std::thread& t : threads) t.join();
    for (Worker& w : workers_) CloseHandle(w.wake);
  }

  Prng rng_;
  HANDLE server_port_ = nullptr;
  HANDLE client_port_ = nullptr;
  Connection connections_[kConnections];
  std::map<OVERLAPPED*, Op*> outstanding_;
  std::vector<Worker> workers_;
  std::mutex mutex_;
  std::condition_variable cv_;
  uint64_t steps_ = 0;
  uint32_t baseline_handles_ = 0;
  SOCKET refused_socket_ = INVALID_SOCKET;
  int cancelled_ = 0;
  uint64_t trace_ = 14695981039346656037ull;

  void Record(std::initializer_list<uint64_t> fields) {
    for (uint64_t field : fields) {
      for (int byte = 0; byte < 8; ++byte) {
        trace_ = (trace_ ^ ((field >> (8 * byte)) & 0xFF)) * 1099511628211ull;  // FNV-1a
      }
    }
  }
};

// The child: one seed, one run; prints what identifies the run.
int RunChild() {
  const char* seed = getenv("IOCP_FAKE_SEED");
  g_seed = seed != nullptr ? strtoull(seed, nullptr, 10) : 1;
  Simulation simulation(g_seed);
  simulation.Run();
  printf(
      "seed=%llu trace=%016llx completions=%llu steps=%llu resets=%d cancelled=%d "
      "overflowed=%llu\n",
      static_cast<unsigned long long>(g_seed), static_cast<unsigned long long>(simulation.trace()),
      static_cast<unsigned long long>(SimCompletionsDelivered()),
      static_cast<unsigned long long>(simulation.steps()), simulation.resets(),
      simulation.cancelled(), static_cast<unsigned long long>(SimCompletionsOverflowed()));
  return 0;
}

// Runs this binary as a child for `seed`; returns its output (and exit code).
std::string RunSeed(uint64_t seed, int* exit_code) {
  std::string command =
      "IOCP_SIM_CHILD=1 IOCP_FAKE_SEED=" + std::to_string(seed) +
      " IOCP_FAKE_FAULTS='partial=0.3,slow=0.05,delay=8,reset=0.002,cancel_race=0.3,cq=4' "
      "/proc/" +
      std::to_string(getpid()) + "/exe 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char line[512];
  while (pipe != nullptr && fgets(line, sizeof(line), pipe) != nullptr) output += line;
  const int status = pipe != nullptr ? pclose(pipe) : -1;
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return output;
}

TEST(EchoSimulation, SeedsRunToCompletionWithEveryInvariant) {
  // IOCP_SIM_SEEDS=N runs seeds 1..N (tools/swarm runs random ones).
  const char* count = getenv("IOCP_SIM_SEEDS");
  const uint64_t seeds = count != nullptr ? strtoull(count, nullptr, 10) : 12;
  int resets = 0;
  int overflows = 0;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    int exit_code = 0;
    const std::string output = RunSeed(seed, &exit_code);
    ASSERT_EQ(exit_code, 0) << output;
    ASSERT_NE(output.find("trace="), std::string::npos) << output;
    resets += output.find("resets=0 ") == std::string::npos ? 1 : 0;
    overflows += output.find("overflowed=0\n") == std::string::npos ? 1 : 0;
  }
  // The fault mix must actually break some connections across the seeds,
  // and the small CQ (cq=4) overflow.
  EXPECT_GT(resets, 0);
  EXPECT_GT(overflows, 0);
}

TEST(EchoSimulation, TheSameSeedReplaysBitForBitAndOthersDiffer) {
  int exit_code = 0;
  const std::string first = RunSeed(7, &exit_code);
  ASSERT_EQ(exit_code, 0) << first;
  const std::string second = RunSeed(7, &exit_code);
  ASSERT_EQ(exit_code, 0) << second;
  EXPECT_EQ(first, second);  // trace hash, completion count and steps
  const std::string other = RunSeed(8, &exit_code);
  ASSERT_EQ(exit_code, 0) << other;
  EXPECT_NE(first.substr(first.find("trace=")), other.substr(other.find("trace=")));
}

}  // namespace

int main(int argc, char** argv) {
  if (getenv("IOCP_SIM_CHILD") != nullptr) return RunChild();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
