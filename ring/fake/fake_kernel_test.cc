// Differential tests: each scenario runs on the real kernel (PosixSystem +
// RawRing) and on the fake, and every recorded result must match, because
// where they differ the kernel is right. io_uring is required: without it
// these tests fail rather than skip.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "ring/fake/fake_kernel.h"
#include "ring/fake/fake_ring.h"
#include "ring/posix_system.h"
#include "ring/raw/raw_ring.h"

namespace ring {
namespace {

constexpr int64_t kGenerousNs = 5'000'000'000;

// One backend's run of a scenario: the calls it makes, what it records.
class Env {
 public:
  Env(System& sys, Ring& ring, std::string tag) : sys_(sys), ring_(ring), tag_(std::move(tag)) {}
  ~Env() {
    for (int fd : fds_) sys_.Close(fd);
    for (const std::string& path : paths_) sys_.Unlink(path.c_str());
  }

  System& sys() { return sys_; }
  Ring& ring() { return ring_; }
  void Record(const std::string& label, int64_t value) { log_.emplace_back(label, value); }
  const std::vector<std::pair<std::string, int64_t>>& log() const { return log_; }

  int Track(int fd) {
    if (fd >= 0) fds_.push_back(fd);
    return fd;
  }
  void Forget(int fd) {
    for (int& tracked : fds_) {
      if (tracked == fd) tracked = -1;
    }
  }
  // A short path (sun_path is small), distinct per backend and call.
  std::string Path(const char* stem) {
    std::string path = "/tmp/fkt." + std::to_string(getpid()) + "." + tag_ + "." + stem + "." +
                       std::to_string(++counter_);
    paths_.push_back(path);
    sys_.Unlink(path.c_str());
    return path;
  }

  // Submits one request and returns its result.
  int Run(const Request& request) {
    if (ring_.Prepare(request) != 0) return -99999;
    return WaitFor(request.user_data);
  }
  int WaitFor(uint64_t user_data) {
    for (auto it = stash_.begin(); it != stash_.end(); ++it) {
      if (it->user_data == user_data) {
        const int result = it->result;
        stash_.erase(it);
        return result;
      }
    }
    for (int round = 0; round < 100; ++round) {
      Completion batch[8];
      const int n = ring_.Wait(batch, 8, 1, kGenerousNs);
      if (n <= 0) break;
      int found = -99999;
      bool have = false;
      for (int i = 0; i < n; ++i) {
        if (!have && batch[i].user_data == user_data) {
          found = batch[i].result;
          have = true;
        } else {
          stash_.push_back(batch[i]);
        }
      }
      if (have) return found;
    }
    return -99998;  // never completed
  }
  // Whether the request is still pending after a short wait.
  bool StillPending(uint64_t user_data) {
    Completion batch[8];
    const int n = ring_.Wait(batch, 8, 8, 2'000'000);
    bool pending = true;
    for (int i = 0; i < n; ++i) {
      if (batch[i].user_data == user_data) pending = false;
      stash_.push_back(batch[i]);
    }
    return pending;
  }

  // Loopback TCP helpers.
  static sockaddr_in Loopback(uint16_t port) {
    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
  }
  int Listener(sockaddr_in* bound, int backlog = 8) {
    const int fd = Track(sys_.Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    sockaddr_in addr = Loopback(0);
    sys_.Bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    sys_.Listen(fd, backlog);
    socklen_t len = sizeof(*bound);
    sys_.GetSockName(fd, reinterpret_cast<sockaddr*>(bound), &len);
    return fd;
  }
  // fds[0] client, fds[1] accepted; both non-blocking.
  void TcpPair(int fds[2]) {
    sockaddr_in bound;
    const int listener = Listener(&bound);
    fds[0] = Track(sys_.Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    // Connect through the ring: a non-blocking System::Connect would be
    // EINPROGRESS on the kernel.
    Record("tcp pair connect",
           Run(Request::Connect(fds[0], reinterpret_cast<sockaddr*>(&bound), sizeof(bound),
                                9000)));
    fds[1] = Track(sys_.Accept(listener, nullptr, nullptr, SOCK_NONBLOCK));
    Record("tcp pair accept", fds[1] >= 0);
  }
  int IntOpt(int fd, int level, int name) {
    int value = -1;
    socklen_t len = sizeof(value);
    const int rc = sys_.GetSockOpt(fd, level, name, &value, &len);
    return rc < 0 ? rc : value;
  }
  int SetInt(int fd, int level, int name, int value) {
    return sys_.SetSockOpt(fd, level, name, &value, sizeof(value));
  }
  int Poll(int fd, uint32_t mask, uint64_t user_data) {
    return Run(Request::PollAdd(fd, mask, user_data));
  }

 private:
  System& sys_;
  Ring& ring_;
  std::string tag_;
  std::vector<int> fds_;
  std::vector<std::string> paths_;
  std::vector<Completion> stash_;
  std::vector<std::pair<std::string, int64_t>> log_;
  int counter_ = 0;
};

using Scenario = std::function<void(Env&)>;

std::string Format(const std::vector<std::pair<std::string, int64_t>>& log) {
  std::ostringstream out;
  for (const auto& [label, value] : log) out << "  " << label << " = " << value << "\n";
  return out.str();
}

// Runs `scenario` on the fake (several seeds) and, when io_uring works, on
// the kernel; every recorded value must agree.
void Compare(const Scenario& scenario) {
  // Writing to a pipe without readers raises SIGPIPE on the kernel.
  signal(SIGPIPE, SIG_IGN);
  std::vector<std::pair<std::string, int64_t>> kernel_log;
  int error = 0;
  std::unique_ptr<RawRing> raw = RawRing::Create(RingOptions{32}, &error);
  if (raw != nullptr) {
    Env env(PosixSystem(), *raw, "k");
    scenario(env);
    kernel_log = env.log();
  }
  for (uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed=" + std::to_string(seed));
    FakeOptions options;
    options.seed = seed;
    FakeKernel kernel(options);
    std::vector<std::pair<std::string, int64_t>> fake_log;
    {
      FakeRing ring(kernel, RingOptions{32});
      Env env(kernel, ring, "f");
      scenario(env);
      fake_log = env.log();
    }
    if (raw == nullptr) continue;
    ASSERT_EQ(kernel_log.size(), fake_log.size())
        << "kernel:\n" << Format(kernel_log) << "fake:\n" << Format(fake_log);
    for (size_t i = 0; i < kernel_log.size(); ++i) {
      EXPECT_EQ(kernel_log[i], fake_log[i]) << "step " << i;
    }
  }
  // io_uring is required where these tests run: its absence is a failure.
  if (raw == nullptr) FAIL() << "io_uring unavailable (" << error << ")";
}

TEST(FakeVersusKernel, TcpNamesAndPorts) {
  Compare([](Env& env) {
    System& sys = env.sys();
    const int a = env.Track(sys.Socket(AF_INET, SOCK_STREAM, 0));
    const int b = env.Track(sys.Socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in addr = Env::Loopback(0);
    env.Record("bind ephemeral", sys.Bind(a, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)));
    socklen_t len = sizeof(addr);
    env.Record("getsockname", sys.GetSockName(a, reinterpret_cast<sockaddr*>(&addr), &len));
    env.Record("getsockname len", len);
    env.Record("port chosen", addr.sin_port != 0);
    env.Record("bind twice", sys.Bind(a, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)));
    env.Record("bind taken", sys.Bind(b, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)));
    env.Record("bind short", sys.Bind(b, reinterpret_cast<sockaddr*>(&addr), 8));
    sockaddr_in remote = addr;
    remote.sin_addr.s_addr = htonl(0x08080808);
    env.Record("bind foreign", sys.Bind(b, reinterpret_cast<sockaddr*>(&remote), sizeof(remote)));
    // SO_REUSEADDR on both shares a port nobody listens on...
    const int c = env.Track(sys.Socket(AF_INET, SOCK_STREAM, 0));
    const int d = env.Track(sys.Socket(AF_INET, SOCK_STREAM, 0));
    env.Record("reuse c", env.SetInt(c, SOL_SOCKET, SO_REUSEADDR, 1));
    env.Record("reuse d", env.SetInt(d, SOL_SOCKET, SO_REUSEADDR, 1));
    sockaddr_in shared = Env::Loopback(0);
    env.Record("bind c", sys.Bind(c, reinterpret_cast<sockaddr*>(&shared), sizeof(shared)));
    len = sizeof(shared);
    sys.GetSockName(c, reinterpret_cast<sockaddr*>(&shared), &len);
    env.Record("bind d shared", sys.Bind(d, reinterpret_cast<sockaddr*>(&shared), sizeof(shared)));
    // ...but only one of them may listen.
    env.Record("listen c", sys.Listen(c, 4));
    env.Record("listen d", sys.Listen(d, 4));
    env.Record("getpeername", sys.GetPeerName(c, reinterpret_cast<sockaddr*>(&addr), &len));
    env.Record("reuseaddr", env.IntOpt(c, SOL_SOCKET, SO_REUSEADDR));
    env.Record("acceptconn", env.IntOpt(c, SOL_SOCKET, SO_ACCEPTCONN));
    env.Record("type", env.IntOpt(c, SOL_SOCKET, SO_TYPE));
    // Listening without a bind picks a port on the wildcard address.
    const int e = env.Track(sys.Socket(AF_INET, SOCK_STREAM, 0));
    env.Record("listen unbound", sys.Listen(e, 1));
    sockaddr_in auto_name = {};
    len = sizeof(auto_name);
    sys.GetSockName(e, reinterpret_cast<sockaddr*>(&auto_name), &len);
    env.Record("autobound wildcard", auto_name.sin_addr.s_addr == htonl(INADDR_ANY));
    env.Record("autobound port", auto_name.sin_port != 0);
  });
}

TEST(FakeVersusKernel, TcpErrorsOnUnconnectedSockets) {
  Compare([](Env& env) {
    System& sys = env.sys();
    const int fd = env.Track(sys.Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    char buffer[4];
    env.Record("recv", env.Run(Request::Recv(fd, buffer, 4, 0, 1)));
    env.Record("send", env.Run(Request::Send(fd, "ab", 2, MSG_NOSIGNAL, 2)));
    env.Record("read", sys.Read(fd, buffer, 4));
    env.Record("accept", sys.Accept(fd, nullptr, nullptr, 0));
    env.Record("accept flags", env.Run(Request::Accept(fd, nullptr, nullptr, 0x40, 3)));
    env.Record("poll fresh", env.Poll(fd, POLLIN | POLLOUT, 4));
    env.Record("so_error", env.IntOpt(fd, SOL_SOCKET, SO_ERROR));
    env.Record("unknown option", env.SetInt(fd, SOL_SOCKET, 12345, 1));
    env.Record("nodelay set", env.SetInt(fd, IPPROTO_TCP, TCP_NODELAY, 5));
    env.Record("nodelay get", env.IntOpt(fd, IPPROTO_TCP, TCP_NODELAY));
    env.Record("rcvbuf set", env.SetInt(fd, SOL_SOCKET, SO_RCVBUF, 4096));
    env.Record("rcvbuf get", env.IntOpt(fd, SOL_SOCKET, SO_RCVBUF));
    env.Record("sndbuf set", env.SetInt(fd, SOL_SOCKET, SO_SNDBUF, 1));
    env.Record("sndbuf get", env.IntOpt(fd, SOL_SOCKET, SO_SNDBUF));
    linger value = {1, 0};
    env.Record("linger short", sys.SetSockOpt(fd, SOL_SOCKET, SO_LINGER, &value, 4));
    env.Record("linger", sys.SetSockOpt(fd, SOL_SOCKET, SO_LINGER, &value, sizeof(value)));
    linger back = {};
    socklen_t len = sizeof(back);
    env.Record("linger get", sys.GetSockOpt(fd, SOL_SOCKET, SO_LINGER, &back, &len));
    env.Record("linger onoff", back.l_onoff);
    env.Record("shutdown", sys.Shutdown(fd, SHUT_WR));
    env.Record("shutdown bad how", sys.Shutdown(fd, 7));
    env.Record("send after shutdown", env.Run(Request::Send(fd, "ab", 2, MSG_NOSIGNAL, 5)));
    env.Record("fsync socket", env.Run(Request::Fsync(fd, 0, 6)));
    env.Record("udp level on tcp", env.SetInt(fd, IPPROTO_UDP, 1, 1));
    const int unix_fd = env.Track(sys.Socket(AF_UNIX, SOCK_STREAM, 0));
    env.Record("tcp level on unix", env.SetInt(unix_fd, IPPROTO_TCP, TCP_NODELAY, 1));
    env.Record("bad domain", sys.Socket(12345, SOCK_STREAM, 0));
    env.Record("bad type flags", sys.Socket(AF_INET, SOCK_STREAM | 0x1000, 0));
    env.Record("bad protocol", sys.Socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
    int pair[2];
    env.Record("inet socketpair", sys.SocketPair(AF_INET, SOCK_STREAM, 0, pair));
    env.Record("close unknown", sys.Close(987654));
  });
}

TEST(FakeVersusKernel, TcpConnectAcceptAndData) {
  Compare([](Env& env) {
    System& sys = env.sys();
    sockaddr_in bound;
    const int listener = env.Listener(&bound, 1);
    env.Record("accept empty", sys.Accept(listener, nullptr, nullptr, 0));
    env.Record("poll empty listener pending", [&] {
      env.ring().Prepare(Request::PollAdd(listener, POLLIN, 10));
      return env.StillPending(10);
    }());
    const int client = env.Track(sys.Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    env.Record("connect", env.Run(Request::Connect(client, reinterpret_cast<sockaddr*>(&bound),
                                                   sizeof(bound), 11)));
    env.Record("listener poll", env.WaitFor(10));
    env.Record("connect again", env.Run(Request::Connect(
                                    client, reinterpret_cast<sockaddr*>(&bound), sizeof(bound),
                                    12)));
    env.Record("connect listener",
               env.Run(Request::Connect(listener, reinterpret_cast<sockaddr*>(&bound),
                                        sizeof(bound), 13)));
    sockaddr_in peer = {};
    socklen_t peer_len = sizeof(peer);
    const int server = env.Track(sys.Accept(listener, reinterpret_cast<sockaddr*>(&peer),
                                            &peer_len, SOCK_NONBLOCK));
    env.Record("accepted", server >= 0);
    env.Record("peer len", peer_len);
    sockaddr_in client_name = {};
    socklen_t name_len = sizeof(client_name);
    sys.GetSockName(client, reinterpret_cast<sockaddr*>(&client_name), &name_len);
    env.Record("peer is client", peer.sin_port == client_name.sin_port &&
                                     peer.sin_addr.s_addr == client_name.sin_addr.s_addr);
    sockaddr_in server_peer = {};
    name_len = sizeof(server_peer);
    env.Record("getpeername",
               sys.GetPeerName(client, reinterpret_cast<sockaddr*>(&server_peer), &name_len));
    env.Record("peer port", server_peer.sin_port == bound.sin_port);
    env.Record("write", sys.Write(client, "hello", 5));
    env.Record("poll readable", env.Poll(server, POLLIN | POLLOUT | POLLRDHUP, 14));
    char buffer[16] = {};
    msghdr message = {};
    iovec iov[2] = {{buffer, 2}, {buffer + 2, 14}};
    sockaddr_in from = {};
    message.msg_name = &from;
    message.msg_namelen = sizeof(from);
    message.msg_iov = iov;
    message.msg_iovlen = 2;
    env.Record("recvmsg", env.Run(Request::RecvMsg(server, &message, 0, 15)));
    env.Record("recvmsg namelen", message.msg_namelen);
    env.Record("recvmsg flags", message.msg_flags);
    env.Record("read empty", sys.Read(server, buffer, sizeof(buffer)));
    // MSG_WAITALL collects data arriving in pieces.
    char whole[6] = {};
    env.ring().Prepare(Request::Recv(server, whole, 6, MSG_WAITALL, 16));
    env.Record("waitall pending", env.StillPending(16));
    env.Record("piece 1", sys.Write(client, "abc", 3));
    env.Record("waitall still pending", env.StillPending(16));
    env.Record("piece 2", sys.Write(client, "defg", 4));
    env.Record("waitall", env.WaitFor(16));
    env.Record("waitall bytes", std::string(whole, 6) == "abcdef");
    env.Record("rest", sys.Read(server, buffer, sizeof(buffer)));
    // Peek leaves the data queued; DONTWAIT fails instead of waiting.
    env.Record("dontwait", env.Run(Request::Recv(server, buffer, 4, MSG_DONTWAIT, 17)));
    sys.Write(client, "xy", 2);
    env.Record("peek", env.Run(Request::Recv(server, buffer, 4, MSG_PEEK, 18)));
    env.Record("after peek", sys.Read(server, buffer, sizeof(buffer)));
  });
}

TEST(FakeVersusKernel, TcpGracefulCloseAndTheResetThatAnswersLateData) {
  Compare([](Env& env) {
    System& sys = env.sys();
    int fds[2];
    env.TcpPair(fds);
    char buffer[8];
    env.Record("close client", sys.Close(fds[0]));
    env.Forget(fds[0]);
    env.Record("recv eof", env.Run(Request::Recv(fds[1], buffer, 8, 0, 1)));
    env.Record("poll after fin", env.Poll(fds[1], POLLIN | POLLOUT | POLLRDHUP, 2));
    env.Record("getpeername", [&] {
      sockaddr_in peer;
      socklen_t len = sizeof(peer);
      return sys.GetPeerName(fds[1], reinterpret_cast<sockaddr*>(&peer), &len);
    }());
    env.Record("send to closed peer", env.Run(Request::Send(fds[1], "a", 1, MSG_NOSIGNAL, 3)));
    env.Record("send after rst", env.Run(Request::Send(fds[1], "b", 1, MSG_NOSIGNAL, 4)));
    env.Record("send again", env.Run(Request::Send(fds[1], "c", 1, MSG_NOSIGNAL, 5)));
    env.Record("recv after rst", env.Run(Request::Recv(fds[1], buffer, 8, 0, 6)));
    env.Record("shutdown after rst", sys.Shutdown(fds[1], SHUT_RDWR));
  });
}

TEST(FakeVersusKernel, TcpAbortiveCloses) {
  Compare([](Env& env) {
    System& sys = env.sys();
    char buffer[8];
    {
      // Closing with unread data resets the peer.
      int fds[2];
      env.TcpPair(fds);
      sys.Write(fds[1], "unread", 6);
      env.Record("close with unread", sys.Close(fds[0]));
      env.Forget(fds[0]);
      env.Record("poll reset", env.Poll(fds[1], POLLIN | POLLOUT, 1));
      env.Record("so_error", env.IntOpt(fds[1], SOL_SOCKET, SO_ERROR));
      env.Record("so_error again", env.IntOpt(fds[1], SOL_SOCKET, SO_ERROR));
      env.Record("recv after", env.Run(Request::Recv(fds[1], buffer, 8, 0, 2)));
      env.Record("send after", env.Run(Request::Send(fds[1], "x", 1, MSG_NOSIGNAL, 3)));
    }
    {
      // Data queued before the reset is still read first.
      int fds[2];
      env.TcpPair(fds);
      sys.Write(fds[0], "early", 5);
      linger abort_on_close = {1, 0};
      sys.SetSockOpt(fds[0], SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
      env.Record("abort", sys.Close(fds[0]));
      env.Forget(fds[0]);
      env.Record("recv data", env.Run(Request::Recv(fds[1], buffer, 8, 0, 4)));
      env.Record("recv reset", env.Run(Request::Recv(fds[1], buffer, 8, 0, 5)));
      env.Record("recv then", env.Run(Request::Recv(fds[1], buffer, 8, 0, 6)));
      sockaddr_in peer;
      socklen_t len = sizeof(peer);
      env.Record("getpeername", sys.GetPeerName(fds[1], reinterpret_cast<sockaddr*>(&peer), &len));
    }
    {
      // A listener closed with a connection nobody accepted resets it.
      sockaddr_in bound;
      const int listener = env.Listener(&bound);
      const int client = env.Track(sys.Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
      env.Record("connect", env.Run(Request::Connect(client, reinterpret_cast<sockaddr*>(&bound),
                                                     sizeof(bound), 7)));
      env.Record("close listener", sys.Close(listener));
      env.Forget(listener);
      env.Record("client recv", env.Run(Request::Recv(client, buffer, 8, 0, 8)));
      const int late = env.Track(sys.Socket(AF_INET, SOCK_STREAM, 0));
      env.Record("connect refused", env.Run(Request::Connect(
                                        late, reinterpret_cast<sockaddr*>(&bound), sizeof(bound),
                                        9)));
    }
  });
}

TEST(FakeVersusKernel, TcpHalfClose) {
  Compare([](Env& env) {
    System& sys = env.sys();
    int fds[2];
    env.TcpPair(fds);
    char buffer[8];
    env.Record("shutdown wr", env.Run(Request::Shutdown(fds[0], SHUT_WR, 1)));
    env.Record("shutdown wr again", sys.Shutdown(fds[0], SHUT_WR));
    env.Record("peer reads eof", env.Run(Request::Recv(fds[1], buffer, 8, 0, 2)));
    env.Record("own send", env.Run(Request::Send(fds[0], "x", 1, MSG_NOSIGNAL, 3)));
    env.Record("peer still sends", env.Run(Request::Send(fds[1], "back", 4, MSG_NOSIGNAL, 4)));
    env.Record("own recv", env.Run(Request::Recv(fds[0], buffer, 8, 0, 5)));
    env.Record("poll half closed", env.Poll(fds[0], POLLIN | POLLOUT | POLLRDHUP, 6));
    env.Record("poll peer", env.Poll(fds[1], POLLIN | POLLOUT | POLLRDHUP, 7));
    env.Record("shutdown rd", sys.Shutdown(fds[1], SHUT_RD));
    env.Record("recv after shut rd", env.Run(Request::Recv(fds[1], buffer, 8, 0, 8)));
  });
}

TEST(FakeVersusKernel, UnixStreamSockets) {
  Compare([](Env& env) {
    System& sys = env.sys();
    char buffer[8];
    const int lone = env.Track(sys.Socket(AF_UNIX, SOCK_STREAM, 0));
    env.Record("recv unconnected", env.Run(Request::Recv(lone, buffer, 8, 0, 1)));
    env.Record("send unconnected", env.Run(Request::Send(lone, "x", 1, MSG_NOSIGNAL, 2)));
    env.Record("listen unbound", sys.Listen(lone, 1));
    env.Record("shutdown unconnected", sys.Shutdown(lone, SHUT_RDWR));
    const std::string path = env.Path("s");
    sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    const socklen_t addr_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
    const int client = env.Track(sys.Socket(AF_UNIX, SOCK_STREAM, 0));
    env.Record("connect missing", env.Run(Request::Connect(
                                      client, reinterpret_cast<sockaddr*>(&addr), addr_len, 3)));
    const int server = env.Track(sys.Socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
    env.Record("bind", sys.Bind(server, reinterpret_cast<sockaddr*>(&addr), addr_len));
    env.Record("connect not listening",
               env.Run(Request::Connect(client, reinterpret_cast<sockaddr*>(&addr), addr_len, 4)));
    const int other = env.Track(sys.Socket(AF_UNIX, SOCK_STREAM, 0));
    env.Record("bind taken", sys.Bind(other, reinterpret_cast<sockaddr*>(&addr), addr_len));
    env.Record("open socket path", sys.Open(path.c_str(), O_RDONLY, 0));
    env.Record("listen", sys.Listen(server, 2));
    env.Record("connect", env.Run(Request::Connect(client, reinterpret_cast<sockaddr*>(&addr),
                                                   addr_len, 5)));
    sockaddr_un peer = {};
    socklen_t peer_len = sizeof(peer);
    const int accepted = env.Track(
        env.Run(Request::Accept(server, reinterpret_cast<sockaddr*>(&peer), &peer_len, 0, 6)));
    env.Record("accepted", accepted >= 0);
    env.Record("unnamed peer len", peer_len);
    sockaddr_un name = {};
    socklen_t name_len = sizeof(name);
    env.Record("client getpeername",
               sys.GetPeerName(client, reinterpret_cast<sockaddr*>(&name), &name_len));
    env.Record("client peer len", name_len);
    env.Record("client peer path", std::string(name.sun_path) == path);
    env.Record("send", env.Run(Request::Send(client, "unix", 4, MSG_NOSIGNAL, 7)));
    msghdr message = {};
    iovec iov = {buffer, sizeof(buffer)};
    sockaddr_un from = {};
    message.msg_name = &from;
    message.msg_namelen = sizeof(from);
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    env.Record("recvmsg", env.Run(Request::RecvMsg(accepted, &message, 0, 8)));
    env.Record("recvmsg namelen", message.msg_namelen);
    env.Record("shutdown rd", sys.Shutdown(accepted, SHUT_RD));
    env.Record("peer send after shut rd", env.Run(Request::Send(client, "z", 1, MSG_NOSIGNAL, 9)));
    env.Record("poll", env.Poll(accepted, POLLIN | POLLOUT | POLLRDHUP, 10));
    env.Record("close accepted", sys.Close(accepted));
    env.Forget(accepted);
    env.Record("recv after peer close", env.Run(Request::Recv(client, buffer, 8, 0, 11)));
    env.Record("send after peer close", env.Run(Request::Send(client, "z", 1, MSG_NOSIGNAL, 12)));
    env.Record("close server", sys.Close(server));
    env.Forget(server);
    const int late = env.Track(sys.Socket(AF_UNIX, SOCK_STREAM, 0));
    env.Record("connect stale path",
               env.Run(Request::Connect(late, reinterpret_cast<sockaddr*>(&addr), addr_len, 13)));
    const int dgram = env.Track(sys.Socket(AF_UNIX, SOCK_DGRAM, 0));
    const std::string dgram_path = env.Path("d");
    sockaddr_un dgram_addr = {};
    dgram_addr.sun_family = AF_UNIX;
    memcpy(dgram_addr.sun_path, dgram_path.c_str(), dgram_path.size() + 1);
    sys.Bind(dgram, reinterpret_cast<sockaddr*>(&dgram_addr), sizeof(dgram_addr));
    env.Record("connect wrong type",
               env.Run(Request::Connect(late, reinterpret_cast<sockaddr*>(&dgram_addr),
                                        sizeof(dgram_addr), 14)));
  });
}

TEST(FakeVersusKernel, ClosingAnAcceptedConnectionKeepsTheListenersAbstractName) {
  Compare([](Env& env) {
    System& sys = env.sys();
    const std::string name = env.Path("abstract");
    sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path + 1, name.data(), name.size());  // sun_path[0] == 0: abstract
    const socklen_t addr_len =
        static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    const int server = env.Track(sys.Socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
    env.Record("bind", sys.Bind(server, reinterpret_cast<sockaddr*>(&addr), addr_len));
    env.Record("listen", sys.Listen(server, 4));
    for (int round = 0; round < 2; ++round) {
      const int client = env.Track(sys.Socket(AF_UNIX, SOCK_STREAM, 0));
      env.Record("connect", sys.Connect(client, reinterpret_cast<sockaddr*>(&addr), addr_len));
      const int accepted = sys.Accept(server, nullptr, nullptr, 0);
      env.Record("accepted", accepted >= 0);
      env.Record("close accepted", sys.Close(accepted));
    }
  });
}

TEST(FakeVersusKernel, UnixCloseWithUnreadDataResets) {
  Compare([](Env& env) {
    System& sys = env.sys();
    int fds[2];
    env.Record("pair", sys.SocketPair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds));
    env.Track(fds[0]);
    env.Track(fds[1]);
    sys.Write(fds[0], "unread", 6);
    sys.Write(fds[1], "mine", 4);
    env.Record("close", sys.Close(fds[1]));
    env.Forget(fds[1]);
    char buffer[8];
    env.Record("poll", env.Poll(fds[0], POLLIN | POLLOUT | POLLRDHUP, 1));
    env.Record("read data", sys.Read(fds[0], buffer, sizeof(buffer)));
    env.Record("read reset", sys.Read(fds[0], buffer, sizeof(buffer)));
    env.Record("read then", sys.Read(fds[0], buffer, sizeof(buffer)));
    env.Record("send", env.Run(Request::Send(fds[0], "x", 1, MSG_NOSIGNAL, 2)));
  });
}

TEST(FakeVersusKernel, StreamBuffersFillAndDrain) {
  Compare([](Env& env) {
    System& sys = env.sys();
    int fds[2];
    env.Record("pair", sys.SocketPair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds));
    env.Track(fds[0]);
    env.Track(fds[1]);
    const std::string chunk(4096, 'c');
    ssize_t written = 0, rc;
    int rounds = 0;
    while ((rc = sys.Write(fds[0], chunk.data(), chunk.size())) > 0 && ++rounds < 10000) {
      written += rc;
    }
    env.Record("write blocks", rc);
    env.Record("poll full writable", [&] {
      env.ring().Prepare(Request::PollAdd(fds[0], POLLOUT, 1));
      return env.StillPending(1);
    }());
    // A ring send waits for room instead of failing.
    env.ring().Prepare(Request::Send(fds[0], chunk.data(), chunk.size(), MSG_NOSIGNAL, 2));
    env.Record("send pending", env.StillPending(2));
    std::string sink(1 << 20, '\0');
    ssize_t drained = 0;
    while ((rc = sys.Read(fds[1], sink.data(), sink.size())) > 0) drained += rc;
    env.Record("send completes", env.WaitFor(2) > 0);
    env.Record("poll writable", env.WaitFor(1) & POLLOUT);
    env.Record("drained everything", drained >= written);
  });
}

TEST(FakeVersusKernel, Datagrams) {
  Compare([](Env& env) {
    System& sys = env.sys();
    const int a = env.Track(sys.Socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0));
    const int b = env.Track(sys.Socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0));
    char buffer[16];
    env.Record("send unaddressed", env.Run(Request::Send(a, "x", 1, 0, 1)));
    env.Record("recv unbound", sys.Read(a, buffer, sizeof(buffer)));
    env.Record("shutdown unconnected", sys.Shutdown(a, SHUT_RD));
    env.Record("listen", sys.Listen(b, 1));
    env.Record("accept", env.Run(Request::Accept(b, nullptr, nullptr, 0, 2)));
    sockaddr_in addr_b = Env::Loopback(0);
    sys.Bind(b, reinterpret_cast<sockaddr*>(&addr_b), sizeof(addr_b));
    socklen_t len = sizeof(addr_b);
    sys.GetSockName(b, reinterpret_cast<sockaddr*>(&addr_b), &len);
    msghdr out = {};
    iovec out_iov = {const_cast<char*>("datagram"), 8};
    out.msg_name = &addr_b;
    out.msg_namelen = sizeof(addr_b);
    out.msg_iov = &out_iov;
    out.msg_iovlen = 1;
    env.Record("sendmsg", env.Run(Request::SendMsg(a, &out, 0, 3)));
    sockaddr_in name_a = {};
    len = sizeof(name_a);
    sys.GetSockName(a, reinterpret_cast<sockaddr*>(&name_a), &len);
    env.Record("autobound", name_a.sin_port != 0);
    env.Record("autobound wildcard", name_a.sin_addr.s_addr == htonl(INADDR_ANY));
    env.Record("poll", env.Poll(b, POLLIN | POLLOUT, 4));
    env.Record("recv truncated", env.Run(Request::Recv(b, buffer, 3, 0, 5)));
    env.Record("empty after", sys.Read(b, buffer, sizeof(buffer)));
    env.Record("sendmsg again", env.Run(Request::SendMsg(a, &out, 0, 6)));
    env.Record("recv trunc flag", env.Run(Request::Recv(b, buffer, 3, MSG_TRUNC, 7)));
    // Connected UDP: an ICMP port unreachable comes back as ECONNREFUSED.
    const int c = env.Track(sys.Socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0));
    sockaddr_in nowhere = Env::Loopback(0);
    const int holder = env.Track(sys.Socket(AF_INET, SOCK_DGRAM, 0));
    sys.Bind(holder, reinterpret_cast<sockaddr*>(&nowhere), sizeof(nowhere));
    len = sizeof(nowhere);
    sys.GetSockName(holder, reinterpret_cast<sockaddr*>(&nowhere), &len);
    sys.Close(holder);
    env.Forget(holder);
    env.Record("connect", sys.Connect(c, reinterpret_cast<sockaddr*>(&nowhere), sizeof(nowhere)));
    sockaddr_in name_c = {};
    len = sizeof(name_c);
    sys.GetSockName(c, reinterpret_cast<sockaddr*>(&name_c), &len);
    env.Record("connected source", name_c.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    env.Record("send to nobody", env.Run(Request::Send(c, "x", 1, 0, 8)));
    env.Record("refused", env.Run(Request::Recv(c, buffer, sizeof(buffer), 0, 9)));
    env.Record("then nothing", sys.Read(c, buffer, sizeof(buffer)));
    env.Record("shutdown connected", sys.Shutdown(c, SHUT_WR));
    env.Record("send after shutdown", env.Run(Request::Send(c, "x", 1, 0, 10)));
    env.Record("disconnect", [&] {
      sockaddr unspec = {};
      unspec.sa_family = AF_UNSPEC;
      return sys.Connect(c, &unspec, sizeof(unspec));
    }());
    env.Record("getpeername after", [&] {
      sockaddr_in peer;
      socklen_t peer_len = sizeof(peer);
      return sys.GetPeerName(c, reinterpret_cast<sockaddr*>(&peer), &peer_len);
    }());
  });
}

TEST(FakeVersusKernel, UnixDatagrams) {
  Compare([](Env& env) {
    System& sys = env.sys();
    int fds[2];
    env.Record("pair", sys.SocketPair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, fds));
    env.Track(fds[0]);
    env.Track(fds[1]);
    char buffer[16] = {};
    env.Record("send", env.Run(Request::Send(fds[0], "hello", 5, 0, 1)));
    msghdr message = {};
    iovec iov = {buffer, 2};
    sockaddr_un from = {};
    message.msg_name = &from;
    message.msg_namelen = sizeof(from);
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    env.Record("recvmsg", env.Run(Request::RecvMsg(fds[1], &message, 0, 2)));
    env.Record("msg_flags", message.msg_flags);
    env.Record("msg_namelen", message.msg_namelen);
    env.Record("empty", sys.Read(fds[1], buffer, sizeof(buffer)));
    int sent = 0;
    ssize_t rc;
    while ((rc = sys.Write(fds[0], "q", 1)) == 1 && sent < 1000) ++sent;
    // The exact count depends on the kernel's skb accounting; that the queue
    // fills and then refuses is what must match.
    env.Record("queue takes some", sent > 10);
    env.Record("queue full", rc);
    env.Record("close peer", sys.Close(fds[1]));
    env.Forget(fds[1]);
    env.Record("send refused", env.Run(Request::Send(fds[0], "x", 1, 0, 3)));
    env.Record("send unconnected", env.Run(Request::Send(fds[0], "x", 1, 0, 4)));
    const std::string path = env.Path("u");
    sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    msghdr to = {};
    iovec to_iov = {const_cast<char*>("x"), 1};
    to.msg_name = &addr;
    to.msg_namelen = sizeof(addr);
    to.msg_iov = &to_iov;
    to.msg_iovlen = 1;
    env.Record("sendto missing", env.Run(Request::SendMsg(fds[0], &to, 0, 5)));
  });
}

TEST(FakeVersusKernel, PipesAndDescriptors) {
  Compare([](Env& env) {
    System& sys = env.sys();
    int fds[2];
    env.Record("bad flags", sys.Pipe(fds, 0x4));
    env.Record("pipe", sys.Pipe(fds, O_NONBLOCK));
    env.Track(fds[0]);
    env.Track(fds[1]);
    char buffer[8];
    env.Record("read empty", sys.Read(fds[0], buffer, sizeof(buffer)));
    env.Record("read write end", sys.Read(fds[1], buffer, sizeof(buffer)));
    env.Record("poll reader", [&] {
      env.ring().Prepare(Request::PollAdd(fds[0], POLLIN, 1));
      return env.StillPending(1);
    }());
    env.Record("poll writer", env.Poll(fds[1], POLLIN | POLLOUT, 2));
    env.Record("write offset ignored", env.Run(Request::Write(fds[1], "pipe", 4, 0, 3)));
    env.Record("poll reader fires", env.WaitFor(1));
    env.Record("recv on pipe", env.Run(Request::Recv(fds[0], buffer, 8, 0, 4)));
    env.Record("fsync pipe", env.Run(Request::Fsync(fds[0], 0, 5)));
    env.Record("shutdown pipe", env.Run(Request::Shutdown(fds[0], SHUT_RD, 6)));
    env.Record("truncate pipe", sys.Truncate(fds[1], 0));
    env.Record("size pipe", sys.FileSize(fds[0]));
    env.Record("seek pipe", sys.Seek(fds[0], 0, SEEK_CUR));
    env.Record("sync pipe", sys.Sync(fds[1]));
    env.Record("read", env.Run(Request::Read(fds[0], buffer, 8, 0, 7)));
    env.Record("close writer", sys.Close(fds[1]));
    env.Forget(fds[1]);
    env.Record("poll eof", env.Poll(fds[0], POLLIN, 8));
    env.Record("read eof", sys.Read(fds[0], buffer, sizeof(buffer)));
    int again[2];
    sys.Pipe(again, 0);
    env.Track(again[1]);
    sys.Close(again[0]);
    env.Record("poll no reader", env.Poll(again[1], POLLOUT, 9));
    env.Record("write no reader", env.Run(Request::Write(again[1], "x", 1, kCurrentPosition, 10)));
    // Descriptors are reused lowest first.
    const int first = env.Track(sys.Socket(AF_INET, SOCK_DGRAM, 0));
    const int second = env.Track(sys.Socket(AF_INET, SOCK_DGRAM, 0));
    sys.Close(first);
    env.Forget(first);
    const int third = env.Track(sys.Socket(AF_INET, SOCK_DGRAM, 0));
    env.Record("lowest free reused", third == first && second > first);
    env.Record("close via ring", env.Run(Request::Close(third, 11)));
    env.Forget(third);
    env.Record("closed", sys.Close(third));
  });
}

TEST(FakeVersusKernel, Files) {
  Compare([](Env& env) {
    System& sys = env.sys();
    const std::string path = env.Path("f");
    env.Record("open missing", sys.Open(path.c_str(), O_RDONLY, 0));
    const int fd = env.Track(sys.Open(path.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600));
    env.Record("created", fd >= 0);
    env.Record("exclusive again", sys.Open(path.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600));
    env.Record("directory", sys.Open(path.c_str(), O_RDONLY | O_DIRECTORY, 0));
    env.Record("write", sys.Write(fd, "0123456789", 10));
    char buffer[16] = {};
    env.Record("read at end", sys.Read(fd, buffer, sizeof(buffer)));
    env.Record("pread", env.Run(Request::Read(fd, buffer, 4, 3, 1)));
    env.Record("pread bytes", std::string(buffer, 4) == "3456");
    env.Record("negative offset", env.Run(Request::Read(fd, buffer, 4, uint64_t{1} << 63, 2)));
    env.Record("position after write", sys.Seek(fd, 0, SEEK_CUR));
    env.Record("seek set", sys.Seek(fd, 2, SEEK_SET));
    env.Record("read after seek", sys.Read(fd, buffer, 3));
    env.Record("read after seek bytes", std::string(buffer, 3) == "234");
    env.Record("seek end", sys.Seek(fd, -1, SEEK_END));
    env.Record("seek past end", sys.Seek(fd, 100, SEEK_CUR));
    env.Record("seek negative", sys.Seek(fd, -1000, SEEK_SET));
    env.Record("seek bad whence", sys.Seek(fd, 0, 77));
    env.Record("position kept", sys.Seek(fd, 0, SEEK_CUR));
    env.Record("sync file", sys.Sync(fd));
    env.Record("truncate", sys.Truncate(fd, 4));
    env.Record("size", sys.FileSize(fd));
    env.Record("truncate negative", sys.Truncate(fd, -1));
    env.Record("grow", sys.Truncate(fd, 6));
    env.Record("read hole", env.Run(Request::Read(fd, buffer, 16, 0, 3)));
    env.Record("hole zero", buffer[5] == 0);
    env.Record("poll file", env.Poll(fd, POLLIN | POLLOUT, 4));
    env.Record("fsync", env.Run(Request::Fsync(fd, kFsyncDataOnly, 5)));
    env.Record("fsync bad flags", env.Run(Request::Fsync(fd, 0x10, 6)));
    env.Record("send on file", env.Run(Request::Send(fd, "x", 1, 0, 7)));
    env.Record("connect on file", env.Run(Request::Connect(fd, nullptr, 0, 8)));
    const int reader = env.Track(sys.Open(path.c_str(), O_RDONLY, 0));
    env.Record("write read-only", sys.Write(reader, "x", 1));
    env.Record("truncate read-only", sys.Truncate(reader, 0));
    const int appender = env.Track(sys.Open(path.c_str(), O_WRONLY | O_APPEND, 0));
    env.Record("read write-only", sys.Read(appender, buffer, 1));
    env.Record("append at offset", env.Run(Request::Write(appender, "AB", 2, 0, 9)));
    env.Record("size after append", sys.FileSize(fd));
    env.Record("append current", env.Run(Request::Write(appender, "CD", 2, kCurrentPosition, 10)));
    env.Record("size after append 2", sys.FileSize(fd));
    env.Record("trunc open", [&] {
      const int again = env.Track(sys.Open(path.c_str(), O_RDONLY | O_TRUNC, 0));
      return again >= 0 ? sys.FileSize(again) : again;
    }());
    env.Record("unlink", sys.Unlink(path.c_str()));
    env.Record("unlink again", sys.Unlink(path.c_str()));
    env.Record("still usable", sys.Write(fd, "z", 1));
    char many[2];
    std::vector<iovec> iovs(1025, iovec{many, 1});
    env.Record("too many iovecs", env.Run(Request::Readv(fd, iovs.data(), 1025, 0, 11)));
  });
}

TEST(FakeVersusKernel, TimeoutsAndCancellation) {
  Compare([](Env& env) {
    System& sys = env.sys();
    __kernel_timespec bad = {0, -1};
    env.Record("bad timespec", env.Run(Request::Timeout(&bad, 1)));
    __kernel_timespec zero = {0, 0};
    env.Record("zero timeout", env.Run(Request::Timeout(&zero, 2)));
    int fds[2];
    sys.SocketPair(AF_UNIX, SOCK_STREAM, 0, fds);
    env.Track(fds[0]);
    env.Track(fds[1]);
    char buffer[8];
    env.ring().Prepare(Request::Recv(fds[1], buffer, 8, 0, 3));
    env.ring().Prepare(Request::Recv(fds[1], buffer, 8, 0, 3));
    env.Record("cancel first", env.Run(Request::Cancel(3, 4)));
    env.Record("first cancelled", env.WaitFor(3));
    env.Record("cancel second", env.Run(Request::Cancel(3, 5)));
    env.Record("second cancelled", env.WaitFor(3));
    env.Record("cancel none", env.Run(Request::Cancel(3, 6)));
    // A recv pending on a descriptor closed meanwhile keeps the socket alive.
    env.ring().Prepare(Request::Recv(fds[1], buffer, 8, 0, 7));
    env.Record("pending", env.StillPending(7));
    env.Record("close fd", sys.Close(fds[1]));
    env.Forget(fds[1]);
    env.Record("still pending", env.StillPending(7));
    env.Record("peer still connected", env.Run(Request::Send(fds[0], "late", 4, MSG_NOSIGNAL, 8)));
    env.Record("recv gets it", env.WaitFor(7));
  });
}

}  // namespace
}  // namespace ring
