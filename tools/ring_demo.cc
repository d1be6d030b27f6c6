// ring_demo (bazel run //tools:ring_demo): the ring doing real I/O. A
// loopback TCP echo, server and clients on one ring of the linked backend
// (production: the raw-syscall ring):
//   1. accept `connections` clients through the ring (accept + connect ops),
//   2. each client sends a 64-byte message, the server echoes it, the client
//      checks every byte and sends the next, for `seconds`,
//   3. print what happened: backend, capabilities, messages/s, bytes checked.
// The README's demo (//tools:demo) is a Windows program instead; this one
// shows the layer below it.
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <chrono>
#include <vector>

#include "ring/default_ring.h"
#include "ring/ring.h"

namespace {

constexpr uint32_t kMessageBytes = 64;

// User data: kind in the top byte, connection index below.
enum Kind : uint64_t { kAccept = 1, kConnect, kServerRecv, kServerSend, kClientRecv, kClientSend };
uint64_t Tag(Kind kind, uint64_t index) { return (uint64_t{kind} << 56) | index; }
Kind KindOf(uint64_t user_data) { return static_cast<Kind>(user_data >> 56); }
uint64_t IndexOf(uint64_t user_data) { return user_data & ((uint64_t{1} << 56) - 1); }

struct Connection {
  int client = -1;
  int server = -1;
  char out[kMessageBytes];
  char echo[kMessageBytes];
  char in[kMessageBytes];
  uint32_t sequence = 0;
};

[[noreturn]] void Fail(const char* what, int error) {
  fprintf(stderr, "ring_demo: %s: %s\n", what, strerror(-error));
  exit(1);
}

class Demo {
 public:
  Demo(ring::Ring& ring, ring::System& system, size_t connections)
      : ring_(ring), sys_(system), connections_(connections) {}

  void Run(double seconds) {
    Listen();
    ConnectAll();
    for (size_t i = 0; i < connections_.size(); ++i) SendNext(i);
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    ring::Completion batch[256];
    while (std::chrono::steady_clock::now() < end) {
      int n = ring_.Wait(batch, 256, 1, 100'000'000);
      if (n < 0) Fail("wait", n);
      for (int i = 0; i < n; ++i) Handle(batch[i]);
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    printf("echoed %llu messages of %u bytes over %zu connections in %.2f s\n",
           static_cast<unsigned long long>(echoed_), kMessageBytes, connections_.size(), elapsed);
    printf("throughput: %.0f messages/s, every byte checked (%llu bytes)\n", echoed_ / elapsed,
           static_cast<unsigned long long>(echoed_ * kMessageBytes));
    for (Connection& c : connections_) {
      sys_.Close(c.client);
      sys_.Close(c.server);
    }
    sys_.Close(listener_);
  }

 private:
  void Prepare(const ring::Request& request) {
    int rc = ring_.Prepare(request);
    if (rc == -EBUSY) {
      ring_.Submit();
      rc = ring_.Prepare(request);
    }
    if (rc < 0) Fail("prepare", rc);
  }

  void Listen() {
    listener_ = sys_.Socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0) Fail("socket", listener_);
    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = sys_.Bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    if (rc < 0) Fail("bind", rc);
    rc = sys_.Listen(listener_, 4096);
    if (rc < 0) Fail("listen", rc);
    socklen_t len = sizeof(address_);
    sys_.GetSockName(listener_, reinterpret_cast<sockaddr*>(&address_), &len);
    printf("listening on 127.0.0.1:%u\n", ntohs(address_.sin_port));
  }

  // Accepts and connects every connection through the ring.
  void ConnectAll() {
    for (size_t i = 0; i < connections_.size(); ++i) {
      Connection& c = connections_[i];
      c.client = sys_.Socket(AF_INET, SOCK_STREAM, 0);
      if (c.client < 0) Fail("socket", c.client);
      int one = 1;
      sys_.SetSockOpt(c.client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      Prepare(ring::Request::Accept(listener_, nullptr, nullptr, 0, Tag(kAccept, i)));
      Prepare(ring::Request::Connect(c.client, reinterpret_cast<sockaddr*>(&address_),
                                     sizeof(address_), Tag(kConnect, i)));
    }
    size_t accepted = 0, connected = 0;
    std::vector<int> servers;
    ring::Completion batch[256];
    while (accepted < connections_.size() || connected < connections_.size()) {
      int n = ring_.Wait(batch, 256, 1, ring::kInfinite);
      if (n < 0) Fail("wait", n);
      for (int k = 0; k < n; ++k) {
        if (batch[k].result < 0)
          Fail(KindOf(batch[k].user_data) == kAccept ? "accept" : "connect", batch[k].result);
        if (KindOf(batch[k].user_data) == kAccept) {
          servers.push_back(batch[k].result);
          ++accepted;
        } else {
          ++connected;
        }
      }
    }
    // Accepts complete in any order; pair server ends with clients by port.
    std::vector<uint16_t> client_ports;
    for (Connection& c : connections_) {
      sockaddr_in mine = {};
      socklen_t len = sizeof(mine);
      sys_.GetSockName(c.client, reinterpret_cast<sockaddr*>(&mine), &len);
      client_ports.push_back(mine.sin_port);
    }
    for (int server : servers) {
      sockaddr_in peer = {};
      socklen_t len = sizeof(peer);
      sys_.GetPeerName(server, reinterpret_cast<sockaddr*>(&peer), &len);
      for (size_t i = 0; i < connections_.size(); ++i) {
        if (client_ports[i] == peer.sin_port) connections_[i].server = server;
      }
    }
    for (size_t i = 0; i < connections_.size(); ++i) {
      if (connections_[i].server < 0) Fail("pairing", -EINVAL);
      Prepare(ring::Request::Recv(connections_[i].server, connections_[i].echo, kMessageBytes,
                                  MSG_WAITALL, Tag(kServerRecv, i)));
    }
    printf("%zu connections accepted and connected through the ring\n", connections_.size());
  }

  void SendNext(size_t i) {
    Connection& c = connections_[i];
    ++c.sequence;
    for (uint32_t b = 0; b < kMessageBytes; ++b)
      c.out[b] = static_cast<char>(c.sequence * 31 + b + i);
    Prepare(ring::Request::Recv(c.client, c.in, kMessageBytes, MSG_WAITALL, Tag(kClientRecv, i)));
    Prepare(ring::Request::Send(c.client, c.out, kMessageBytes, MSG_NOSIGNAL, Tag(kClientSend, i)));
  }

  void Handle(const ring::Completion& completion) {
    const size_t i = IndexOf(completion.user_data);
    Connection& c = connections_[i];
    if (completion.result != static_cast<int>(kMessageBytes))
      Fail("transfer", completion.result < 0 ? completion.result : -EIO);
    switch (KindOf(completion.user_data)) {
      case kServerRecv:  // echo back what arrived
        Prepare(ring::Request::Send(c.server, c.echo, kMessageBytes, MSG_NOSIGNAL,
                                    Tag(kServerSend, i)));
        break;
      case kServerSend:
        Prepare(
            ring::Request::Recv(c.server, c.echo, kMessageBytes, MSG_WAITALL, Tag(kServerRecv, i)));
        break;
      case kClientRecv:
        if (memcmp(c.in, c.out, kMessageBytes) != 0) Fail("echo mismatch", -EIO);
        ++echoed_;
        SendNext(i);
        break;
      default:
        break;
    }
  }

  ring::Ring& ring_;
  ring::System& sys_;
  std::vector<Connection> connections_;
  int listener_ = -1;
  sockaddr_in address_ = {};
  uint64_t echoed_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  size_t connections = argc > 1 ? strtoul(argv[1], nullptr, 10) : 64;
  double seconds = argc > 2 ? strtod(argv[2], nullptr) : 2.0;
  if (connections == 0 || connections > 4096) connections = 64;
  int error = 0;
  auto ring = ring::CreateDefaultRing(ring::RingOptions{1024}, &error);
  if (!ring) Fail("ring", error);
  const ring::Capabilities& caps = ring->capabilities();
  printf("ring backend: %s (sq %u, cq %u entries, nodrop=%d, ext_arg=%d, single_mmap=%d)\n",
         ring::DefaultRingName(), caps.sq_entries, caps.cq_entries, caps.nodrop, caps.ext_arg,
         caps.single_mmap);
  Demo demo(*ring, ring::DefaultSystem(), connections);
  demo.Run(seconds);
  return 0;
}
