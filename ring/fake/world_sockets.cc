// The socket model: names and ports, connection set-up, stream and datagram
// data paths, shutdown, release (FIN/RST) and poll readiness. Each rule
// cites the Linux behaviour it follows; results are negative errnos.
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>

#include "ring/fake/check.h"
#include "ring/fake/world.h"

namespace ring::fake_internal {
namespace {

constexpr int kSockTypeMask = 0xf;
constexpr uint32_t kMaxBacklog = 4096;  // net.core.somaxconn
constexpr uint16_t kEphemeralFirst = 32768;  // net.ipv4.ip_local_port_range
constexpr uint16_t kEphemeralLast = 60999;
// An AF_UNIX datagram receiver queues this many before senders block
// (net.unix.max_dgram_qlen; the kernel's test is "more than").
constexpr size_t kUnixDatagramQueue = 10;
// What one queued datagram costs its sender's SO_SNDBUF besides its bytes
// (roughly an skb's truesize).
constexpr size_t kDatagramOverhead = 768;
constexpr size_t kUdpMaxPayload4 = 65507;  // 65535 - IPv4 header - UDP header
constexpr size_t kUdpMaxPayload6 = 65527;  // 65535 - UDP header (jumbograms aside)

std::tuple<int, int, uint16_t> PortKey(const SocketObject& socket, uint16_t port) {
  return {socket.type, socket.family, port};
}

// A destination of 0.0.0.0 or :: means this host, as the kernel routes it.
SocketAddress RouteToLoopback(const SocketAddress& address) {
  if (!address.IsWildcard()) return address;
  return LoopbackAddress(address.family, address.port);
}

bool SameEndpoint(const SocketAddress& a, const SocketAddress& b) {
  return a.SameIp(b) && a.port == b.port;
}

}  // namespace

int World::CreateSocket(int domain, int type, int protocol, std::unique_ptr<SocketObject>* out) {
  if (domain != AF_INET && domain != AF_INET6 && domain != AF_UNIX) return -EAFNOSUPPORT;
  const int flags = type & ~kSockTypeMask;
  const int base_type = type & kSockTypeMask;
  if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) return -EINVAL;
  // SOCK_RAW and SOCK_SEQPACKET are not simulated.
  if (base_type != SOCK_STREAM && base_type != SOCK_DGRAM) return -ESOCKTNOSUPPORT;
  if (domain == AF_UNIX) {
    if (protocol != 0 && protocol != PF_UNIX) return -EPROTONOSUPPORT;
    protocol = 0;
  } else {
    const int expected = base_type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
    if (protocol != 0 && protocol != expected) return -EPROTONOSUPPORT;
    protocol = expected;
  }
  *out = std::make_unique<SocketObject>(domain, base_type, protocol);
  (*out)->nonblocking = (flags & SOCK_NONBLOCK) != 0;
  return 0;
}

// --- Names and ports ---

int World::BindSocket(SocketObject& socket, const sockaddr* addr, socklen_t addr_len) {
  SocketAddress address;
  int rc = ParseSocketAddress(socket.family, addr, addr_len, &address);
  if (rc < 0) return rc;
  if (socket.IsUnix()) {
    if (address.family != AF_UNIX) return -EINVAL;
    return BindUnix(socket, address);
  }
  if (address.family == AF_UNSPEC) {
    // Linux takes AF_UNSPEC with INADDR_ANY from old programs as AF_INET.
    if (socket.family != AF_INET) return -EAFNOSUPPORT;
    if (addr_len < sizeof(sockaddr_in)) return -EINVAL;
    sockaddr_in in;
    memcpy(&in, addr, sizeof(in));
    if (in.sin_addr.s_addr != htonl(INADDR_ANY)) return -EAFNOSUPPORT;
    address = WildcardAddress(AF_INET, ntohs(in.sin_port));
  }
  return BindInet(socket, address);
}

int World::BindInet(SocketObject& socket, const SocketAddress& address) {
  // Only this host's addresses exist in the simulated world.
  if (!address.IsWildcard() && !address.IsLoopback()) return -EADDRNOTAVAIL;
  if (socket.local || socket.state != SocketState::kUnconnected) return -EINVAL;
  SocketAddress bound = address;
  if (bound.port == 0) {
    const int port = AllocateEphemeralPort(socket, bound);
    if (port < 0) return port;
    bound.port = static_cast<uint16_t>(port);
  } else {
    auto it = ports_.find(PortKey(socket, bound.port));
    if (it != ports_.end()) {
      for (const SocketObject* other : it->second) {
        if (BindConflicts(socket, bound, *other)) return -EADDRINUSE;
      }
    }
  }
  socket.local = bound;
  RegisterPort(socket);
  return 0;
}

bool World::BindConflicts(const SocketObject& socket, const SocketAddress& address,
                          const SocketObject& other) const {
  if (&other == &socket || !other.local) return false;
  const SocketAddress& taken = *other.local;
  if (!address.IsWildcard() && !taken.IsWildcard() && !address.SameIp(taken)) return false;
  if (IntOption(socket, SOL_SOCKET, SO_REUSEPORT, 0) != 0 &&
      IntOption(other, SOL_SOCKET, SO_REUSEPORT, 0) != 0) {
    return false;
  }
  // SO_REUSEADDR on both lets a TCP port be shared unless the holder listens;
  // UDP sockets share freely.
  const bool reuse_addr = IntOption(socket, SOL_SOCKET, SO_REUSEADDR, 0) != 0 &&
                          IntOption(other, SOL_SOCKET, SO_REUSEADDR, 0) != 0;
  if (reuse_addr && (!socket.IsStream() || other.state != SocketState::kListening)) return false;
  return true;
}

int World::AllocateEphemeralPort(const SocketObject& socket, const SocketAddress& host) {
  constexpr int kRange = kEphemeralLast - kEphemeralFirst + 1;
  for (int attempt = 0; attempt < kRange; ++attempt) {
    const uint16_t port = static_cast<uint16_t>(kEphemeralFirst + next_ephemeral_);
    next_ephemeral_ = static_cast<uint16_t>((next_ephemeral_ + 1) % kRange);
    auto it = ports_.find(PortKey(socket, port));
    if (it == ports_.end() || it->second.empty()) return port;
    (void)host;  // ephemeral ports are never shared, whatever the address
  }
  return -EADDRINUSE;
}

void World::RegisterPort(SocketObject& socket) {
  FAKE_CHECK(socket.local && !socket.IsUnix());
  ports_[PortKey(socket, socket.local->port)].push_back(&socket);
}

void World::UnregisterPort(SocketObject& socket) {
  if (!socket.local || socket.IsUnix()) return;
  auto it = ports_.find(PortKey(socket, socket.local->port));
  if (it == ports_.end()) return;
  std::vector<SocketObject*>& holders = it->second;
  holders.erase(std::remove(holders.begin(), holders.end(), &socket), holders.end());
  if (holders.empty()) ports_.erase(it);
}

int World::AutoBind(SocketObject& socket) {
  if (socket.IsUnix()) {
    // Linux's autobind: an abstract name of five hex digits.
    for (int attempt = 0; attempt < 0x100000; ++attempt) {
      char name[8];
      snprintf(name, sizeof(name), "%05x", next_autobind_++ & 0xfffff);
      SocketAddress address = UnnamedUnixAddress();
      address.unix_name = std::string(1, '\0') + name;
      if (abstract_names_.count(address.unix_name) == 0) return BindUnix(socket, address);
    }
    return -ENOSPC;
  }
  return BindInet(socket, WildcardAddress(socket.family, 0));
}

int World::BindUnix(SocketObject& socket, const SocketAddress& address) {
  if (socket.local) return -EINVAL;
  if (address.unix_name.empty()) return AutoBind(socket);
  if (address.IsAbstract()) {
    if (abstract_names_.count(address.unix_name) != 0) return -EADDRINUSE;
    abstract_names_[address.unix_name] = &socket;
  } else {
    if (paths_.count(address.unix_name) != 0) return -EADDRINUSE;
    auto inode = std::make_shared<Inode>(Inode::Type::kSocket);
    inode->socket = &socket;
    paths_[address.unix_name] = inode;
    socket.bound_inode = inode;
  }
  socket.local = address;
  return 0;
}

int World::SocketName(const SocketObject& socket, bool peer, sockaddr* addr, socklen_t* addr_len) {
  if (addr_len == nullptr) return -EFAULT;
  if (!peer) {
    SocketAddress name = socket.local ? *socket.local
                         : socket.IsUnix() ? UnnamedUnixAddress()
                                           : WildcardAddress(socket.family, 0);
    return StoreSocketAddress(name, addr, addr_len);
  }
  bool connected = socket.state == SocketState::kConnected;
  // An AF_UNIX datagram socket forgets its peer when that peer is closed.
  if (socket.IsUnix() && !socket.IsStream()) connected = connected && socket.peer != nullptr;
  if (!connected) return -ENOTCONN;
  return StoreSocketAddress(socket.remote, addr, addr_len);
}

// --- Listening and connecting ---

int World::ListenSocket(SocketObject& socket, int backlog) {
  if (!socket.IsStream()) return -EOPNOTSUPP;
  if (socket.state != SocketState::kUnconnected && socket.state != SocketState::kListening) {
    return -EINVAL;
  }
  if (socket.IsUnix()) {
    if (!socket.local) return -EINVAL;  // no listens on an unbound AF_UNIX socket
  } else if (!socket.local) {
    const int rc = AutoBind(socket);
    if (rc < 0) return rc;
  } else if (socket.state != SocketState::kListening) {
    // Two listeners on one port need SO_REUSEPORT on both.
    auto it = ports_.find(PortKey(socket, socket.local->port));
    for (const SocketObject* other : it->second) {
      if (other == &socket || other->state != SocketState::kListening) continue;
      const bool overlap = socket.local->IsWildcard() || other->local->IsWildcard() ||
                           socket.local->SameIp(*other->local);
      const bool shared = IntOption(socket, SOL_SOCKET, SO_REUSEPORT, 0) != 0 &&
                          IntOption(*other, SOL_SOCKET, SO_REUSEPORT, 0) != 0;
      if (overlap && !shared) return -EADDRINUSE;
    }
  }
  socket.backlog = (backlog < 0 || static_cast<uint32_t>(backlog) > kMaxBacklog)
                       ? kMaxBacklog
                       : static_cast<uint32_t>(backlog);
  socket.state = SocketState::kListening;
  return 0;
}

Attempt World::ConnectSocket(SocketObject& socket, const sockaddr* addr, socklen_t addr_len,
                             bool commit) {
  SocketAddress address;
  const int rc = ParseSocketAddress(socket.family, addr, addr_len, &address);
  if (rc < 0) return Attempt::Done(rc);
  if (socket.IsStream()) {
    // AF_UNSPEC (disconnect) is not simulated for streams.
    if (address.family == AF_UNSPEC) return Attempt::Done(-EINVAL);
    return ConnectStream(socket, address, commit);
  }
  return ConnectDatagram(socket, address, commit);
}

SocketObject* World::FindListener(const SocketAddress& destination) const {
  auto it = ports_.find({SOCK_STREAM, destination.family, destination.port});
  if (it == ports_.end()) return nullptr;
  SocketObject* wildcard = nullptr;
  for (SocketObject* candidate : it->second) {
    if (candidate->state != SocketState::kListening) continue;
    if (candidate->local->SameIp(destination)) return candidate;
    if (candidate->local->IsWildcard() && wildcard == nullptr) wildcard = candidate;
  }
  return wildcard;
}

int World::FindUnixPeer(const SocketAddress& address, int type, SocketObject** out) const {
  SocketObject* target = nullptr;
  if (address.unix_name.empty()) return -EINVAL;
  if (address.IsAbstract()) {
    auto it = abstract_names_.find(address.unix_name);
    if (it == abstract_names_.end()) return -ECONNREFUSED;
    target = it->second;
  } else {
    auto it = paths_.find(address.unix_name);
    if (it == paths_.end()) return -ENOENT;
    // A regular file, or the node of a socket that has been closed.
    if (it->second->type != Inode::Type::kSocket || it->second->socket == nullptr) {
      return -ECONNREFUSED;
    }
    target = it->second->socket;
  }
  if (target->type != type) return -EPROTOTYPE;
  *out = target;
  return 0;
}

Attempt World::ConnectStream(SocketObject& socket, const SocketAddress& address, bool commit) {
  SocketObject* listener = nullptr;
  SocketAddress destination = address;
  if (socket.IsUnix()) {
    if (socket.state == SocketState::kConnected) return Attempt::Done(-EISCONN);
    if (socket.state != SocketState::kUnconnected) return Attempt::Done(-EINVAL);
    const int rc = FindUnixPeer(address, SOCK_STREAM, &listener);
    if (rc < 0) return Attempt::Done(rc);
    if (listener->state != SocketState::kListening) return Attempt::Done(-ECONNREFUSED);
  } else {
    // A listening or once-connected TCP socket is not "unconnected" to connect().
    if (socket.state != SocketState::kUnconnected) return Attempt::Done(-EISCONN);
    destination = RouteToLoopback(address);
    if (!destination.IsLoopback()) return Attempt::Done(-ENETUNREACH);
    listener = FindListener(destination);
    if (listener == nullptr) return Attempt::Done(-ECONNREFUSED);
  }
  // A full accept queue drops the handshake; the connect waits for room.
  if (listener->accept_queue.size() > listener->backlog) return Attempt::Blocked();
  if (!commit) return Attempt::Done(0);

  if (!socket.IsUnix()) {
    if (!socket.local) {
      const int rc = BindInet(socket, WildcardAddress(socket.family, 0));
      if (rc < 0) return Attempt::Done(rc == -EADDRINUSE ? -EADDRNOTAVAIL : rc);
    }
    // Connecting fixes the source address a wildcard bind left open.
    if (socket.local->IsWildcard()) {
      socket.local = LoopbackAddress(socket.family, socket.local->port);
    }
  }
  auto child = std::make_unique<SocketObject>(socket.family, SOCK_STREAM, socket.protocol);
  child->options = listener->options;  // accepted sockets inherit the listener's options
  child->state = SocketState::kConnected;
  child->local = socket.IsUnix() ? *listener->local
                                 : SocketAddress(destination);
  if (!socket.IsUnix()) child->local->port = listener->local->port;
  child->remote = socket.local ? *socket.local : UnnamedUnixAddress();
  child->peer = &socket;
  socket.state = SocketState::kConnected;
  socket.peer = child.get();
  socket.remote = *child->local;
  SocketObject* queued = Adopt(std::move(child));
  Ref(queued);  // the accept queue's reference
  if (!queued->IsUnix()) RegisterPort(*queued);  // accepted sockets hold the listener's port
  listener->accept_queue.push_back(queued);
  return Attempt::Done(0);
}

Attempt World::ConnectDatagram(SocketObject& socket, const SocketAddress& address, bool commit) {
  if (address.family == AF_UNSPEC) {
    if (commit) {
      socket.state = SocketState::kUnconnected;
      socket.peer = nullptr;
    }
    return Attempt::Done(0);
  }
  if (socket.IsUnix()) {
    SocketObject* target = nullptr;
    const int rc = FindUnixPeer(address, SOCK_DGRAM, &target);
    if (rc < 0) return Attempt::Done(rc);
    // A socket connected elsewhere takes datagrams from its peer only.
    if (target->peer != nullptr && target->peer != &socket) return Attempt::Done(-EPERM);
    if (commit) {
      socket.peer = target;
      socket.remote = *target->local;
      socket.state = SocketState::kConnected;
    }
    return Attempt::Done(0);
  }
  const SocketAddress destination = RouteToLoopback(address);
  if (!destination.IsLoopback()) return Attempt::Done(-ENETUNREACH);
  if (commit) {
    if (!socket.local) {
      const int rc = AutoBind(socket);
      if (rc < 0) return Attempt::Done(rc);
    }
    if (socket.local->IsWildcard()) {
      socket.local = LoopbackAddress(socket.family, socket.local->port);
    }
    socket.remote = destination;
    socket.state = SocketState::kConnected;
  }
  return Attempt::Done(0);
}

Attempt World::AcceptConnection(SocketObject& listener, sockaddr* addr, socklen_t* addr_len,
                                 uint32_t flags, bool commit) {
  if ((flags & ~static_cast<uint32_t>(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
    return Attempt::Done(-EINVAL);
  }
  if (!listener.IsStream()) return Attempt::Done(-EOPNOTSUPP);
  if (listener.state != SocketState::kListening) return Attempt::Done(-EINVAL);
  if (addr != nullptr && addr_len == nullptr) return Attempt::Done(-EFAULT);
  if (addr != nullptr && static_cast<int>(*addr_len) < 0) return Attempt::Done(-EINVAL);
  if (listener.accept_queue.empty()) return Attempt::Blocked();
  const int fd = LowestFreeDescriptor();
  if (fd < 0 || !commit) return Attempt::Done(fd);
  SocketObject* child = listener.accept_queue.front();
  listener.accept_queue.pop_front();
  child->nonblocking = (flags & SOCK_NONBLOCK) != 0;
  FAKE_CHECK(InstallExisting(child) == fd);  // takes over the queue's reference
  if (addr != nullptr) StoreSocketAddress(child->remote, addr, addr_len);
  return Attempt::Done(fd);
}

// --- Shutdown, reset, release ---

int World::ShutdownSocket(SocketObject& socket, int how, bool commit) {
  if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR) return -EINVAL;
  const bool read_side = how != SHUT_WR;
  const bool write_side = how != SHUT_RD;
  if (socket.IsTcp() && socket.state == SocketState::kListening) {
    // Shutting down a listener's receive side stops it listening.
    if (read_side && commit) StopListening(socket);
    return 0;
  }
  // inet sockets that were never connected report ENOTCONN, yet Linux still
  // records the shutdown (a later send fails with EPIPE). AF_UNIX never fails.
  const bool connected = socket.state == SocketState::kConnected;
  const int rc = (!socket.IsUnix() && !connected) ? -ENOTCONN : 0;
  if (!commit) return rc;
  socket.read_shutdown |= read_side;
  const bool newly_write_shut = write_side && !socket.write_shutdown;
  socket.write_shutdown |= write_side;
  if (!socket.IsStream() || socket.peer == nullptr || !connected) return rc;
  if (socket.IsUnix()) {
    // AF_UNIX mirrors the shutdown onto the peer's opposite direction.
    if (read_side) socket.peer->write_shutdown = true;
    if (write_side) socket.peer->read_shutdown = true;
  } else if (newly_write_shut) {
    socket.peer->fin_received = true;  // the FIN
    socket.peer->read_shutdown = true;
  }
  return rc;
}

void World::StopListening(SocketObject& listener) {
  // Connections nobody accepted are reset, as inet_csk_listen_stop does.
  std::deque<SocketObject*> queued;
  queued.swap(listener.accept_queue);
  for (SocketObject* child : queued) {
    child->abort_on_release = true;
    Unref(child);
  }
  listener.state = SocketState::kUnconnected;
  listener.backlog = 0;
}

void World::ReceiveReset(SocketObject& socket) {
  socket.error = ECONNRESET;
  socket.read_shutdown = true;
  socket.write_shutdown = true;
  if (socket.IsTcp()) socket.state = SocketState::kClosed;
  if (socket.peer != nullptr) {
    socket.peer->peer = nullptr;
    socket.peer = nullptr;
  }
}

void World::ResetBothEnds(SocketObject& socket) {
  SocketObject* peer = socket.peer;
  ReceiveReset(socket);
  if (peer != nullptr) ReceiveReset(*peer);
}

void World::ReleaseSocket(SocketObject& socket) {
  if (socket.state == SocketState::kListening) StopListening(socket);
  if (socket.IsStream() && socket.peer != nullptr) {
    SocketObject& peer = *socket.peer;
    socket.peer = nullptr;
    peer.peer = nullptr;
    // Closing with unread data (or SO_LINGER {1, 0}) aborts the connection.
    const bool abort = socket.abort_on_release || !socket.received.empty() ||
                       (socket.IsTcp() && LingerAborts(socket));
    if (abort) {
      peer.error = ECONNRESET;
      peer.read_shutdown = true;
      peer.write_shutdown = true;
      if (peer.IsTcp()) peer.state = SocketState::kClosed;
    } else if (peer.IsUnix()) {
      peer.read_shutdown = true;
      peer.write_shutdown = true;
    } else {
      peer.fin_received = true;
      peer.read_shutdown = true;
    }
  }
  if (socket.IsUnix() && !socket.IsStream()) {
    for (auto& entry : objects_) {
      if (entry.first->kind != ObjectKind::kSocket) continue;
      auto* other = static_cast<SocketObject*>(entry.first);
      if (other->peer == &socket) other->peer = nullptr;
    }
  }
  UnregisterPort(socket);
  if (socket.local && socket.local->IsAbstract()) {
    // Only the bound socket owns its name: a connection accepted from it
    // reports the same local name, and closing that must not free it.
    auto owner = abstract_names_.find(socket.local->unix_name);
    if (owner != abstract_names_.end() && owner->second == &socket) abstract_names_.erase(owner);
  }
  // A path name outlives its socket until unlinked; connecting to it is refused.
  if (socket.bound_inode) socket.bound_inode->socket = nullptr;
}

int World::TakeError(SocketObject& socket, bool commit) {
  const int error = socket.error;
  if (commit) socket.error = 0;
  return error;
}

// --- Data ---

Attempt World::Receive(SocketObject& socket, Transfer& transfer, bool commit) {
  return socket.IsStream() ? ReceiveStream(socket, transfer, commit)
                           : ReceiveDatagram(socket, transfer, commit);
}

Attempt World::Send(SocketObject& socket, Transfer& transfer, bool commit) {
  return socket.IsStream() ? SendStream(socket, transfer, commit)
                           : SendDatagram(socket, transfer, commit);
}

void World::StoreMessageName(msghdr* message, const SocketAddress* address) const {
  if (message == nullptr) return;
  message->msg_controllen = 0;  // no ancillary data is ever produced
  if (message->msg_name == nullptr) return;
  if (address == nullptr) {
    message->msg_namelen = 0;
    return;
  }
  message->msg_namelen = FormatSocketAddress(*address, static_cast<sockaddr*>(message->msg_name),
                                             message->msg_namelen);
}

Attempt World::ReceiveStream(SocketObject& socket, Transfer& transfer, bool commit) {
  if (socket.state == SocketState::kUnconnected || socket.state == SocketState::kListening) {
    return Attempt::Done(socket.IsUnix() ? -EINVAL : -ENOTCONN);
  }
  const size_t wanted = transfer.Wanted();
  if (wanted == 0) return Attempt::Done(0);
  if (!socket.received.empty()) {
    // Queued data comes first, even after a FIN or a reset.
    const size_t n = std::min(wanted, socket.received.size());
    if (commit) {
      transfer.buffers.CopyIn(transfer.skip, n, socket.received.front());
      if ((transfer.flags & MSG_PEEK) == 0) socket.received.Consume(n);
      if (transfer.message != nullptr) {
        // TCP reports no source; AF_UNIX reports the sender's name if it has one.
        const bool named = socket.IsUnix() && !socket.remote.unix_name.empty();
        StoreMessageName(transfer.message, named ? &socket.remote : nullptr);
        transfer.message->msg_flags = 0;
      }
    }
    return Attempt::Done(static_cast<int64_t>(n));
  }
  if (socket.fin_received) return Attempt::Done(0);
  if (const int error = TakeError(socket, commit)) return Attempt::Done(-error);
  if (socket.read_shutdown) return Attempt::Done(0);
  if (transfer.flags & MSG_DONTWAIT) return Attempt::Done(-EAGAIN);
  return Attempt::Blocked();
}

size_t World::StreamCapacity(const SocketObject& sender, const SocketObject& receiver) const {
  const int sndbuf = IntOption(sender, SOL_SOCKET, SO_SNDBUF, options_.default_sndbuf);
  const int rcvbuf = IntOption(receiver, SOL_SOCKET, SO_RCVBUF, options_.default_rcvbuf);
  return static_cast<size_t>(sndbuf) + static_cast<size_t>(rcvbuf);
}

Attempt World::SendStream(SocketObject& socket, Transfer& transfer, bool commit) {
  if (socket.IsUnix()) {
    if (transfer.name != nullptr) {
      return Attempt::Done(socket.state == SocketState::kConnected ? -EISCONN : -EOPNOTSUPP);
    }
    if (socket.state != SocketState::kConnected) return Attempt::Done(-ENOTCONN);
    if (socket.write_shutdown || socket.peer == nullptr || socket.peer->read_shutdown) {
      return Attempt::Done(-EPIPE);
    }
  } else {
    // TCP: a pending error first, then EPIPE for anything not established.
    const int error = TakeError(socket, commit);
    if (error != 0) return Attempt::Done(-error);
    if (socket.state != SocketState::kConnected || socket.write_shutdown) {
      return Attempt::Done(-EPIPE);
    }
    if (socket.peer == nullptr) {
      // The peer has closed: these bytes reach a socket that no longer
      // exists, which answers with a reset. On loopback that happens before
      // send() returns, so this send succeeds and the next one fails.
      const size_t n = transfer.Wanted();
      if (commit && n > 0) {
        socket.error = EPIPE;
        socket.state = SocketState::kClosed;
        socket.read_shutdown = true;
        socket.write_shutdown = true;
      }
      return Attempt::Done(static_cast<int64_t>(n));
    }
  }
  const size_t wanted = transfer.Wanted();
  if (wanted == 0) return Attempt::Done(0);
  SocketObject& peer = *socket.peer;
  const size_t capacity = StreamCapacity(socket, peer);
  const size_t queued = peer.received.size();
  const size_t room = queued < capacity ? capacity - queued : 0;
  if (room == 0) {
    return (transfer.flags & MSG_DONTWAIT) ? Attempt::Done(-EAGAIN) : Attempt::Blocked();
  }
  const size_t n = std::min(wanted, room);
  if (commit) {
    std::string bytes(n, '\0');
    transfer.buffers.CopyOut(transfer.skip, n, bytes.data());
    peer.received.Append(bytes.data(), n);
  }
  return Attempt::Done(static_cast<int64_t>(n));
}

Attempt World::ReceiveDatagram(SocketObject& socket, Transfer& transfer, bool commit) {
  // Datagram sockets report a pending error (an ICMP) before any data.
  if (const int error = TakeError(socket, commit)) return Attempt::Done(-error);
  if (!socket.datagrams.empty()) {
    const Datagram& datagram = socket.datagrams.front();
    const size_t room = std::min(transfer.buffers.total(), transfer.limit);
    const size_t copied = std::min(room, datagram.bytes.size());
    const bool truncated = copied < datagram.bytes.size();
    const size_t result = (transfer.flags & MSG_TRUNC) ? datagram.bytes.size() : copied;
    if (commit) {
      transfer.buffers.CopyIn(0, copied, datagram.bytes.data());
      if (transfer.message != nullptr) {
        // AF_UNIX reports an unnamed sender with no name at all.
        const bool named = !socket.IsUnix() || !datagram.source.unix_name.empty();
        StoreMessageName(transfer.message, named ? &datagram.source : nullptr);
        transfer.message->msg_flags = truncated ? MSG_TRUNC : 0;
      }
      if ((transfer.flags & MSG_PEEK) == 0) {
        socket.datagram_bytes -= datagram.bytes.size();
        socket.datagrams.pop_front();
      }
    }
    return Attempt::Done(static_cast<int64_t>(result));
  }
  if (socket.read_shutdown) return Attempt::Done(0);
  if (transfer.flags & MSG_DONTWAIT) return Attempt::Done(-EAGAIN);
  return Attempt::Blocked();
}

SocketObject* World::FindDatagramReceiver(const SocketAddress& destination,
                                          const SocketAddress& source) const {
  auto it = ports_.find({SOCK_DGRAM, destination.family, destination.port});
  if (it == ports_.end()) return nullptr;
  SocketObject* wildcard = nullptr;
  for (SocketObject* candidate : it->second) {
    // A connected UDP socket only takes datagrams from its peer.
    if (candidate->state == SocketState::kConnected && !SameEndpoint(candidate->remote, source)) {
      continue;
    }
    if (candidate->local->SameIp(destination)) return candidate;
    if (candidate->local->IsWildcard() && wildcard == nullptr) wildcard = candidate;
  }
  return wildcard;
}

Attempt World::SendDatagram(SocketObject& socket, Transfer& transfer, bool commit) {
  SocketAddress destination;
  const bool addressed = transfer.name != nullptr;
  if (addressed) {
    const int rc = ParseSocketAddress(socket.family, transfer.name, transfer.name_len,
                                      &destination);
    if (rc < 0) return Attempt::Done(rc);
    if (destination.family == AF_UNSPEC) return Attempt::Done(-EAFNOSUPPORT);
  }
  // A datagram goes whole or not at all: injected limits do not apply.
  const size_t size = transfer.buffers.total();

  if (socket.IsUnix()) {
    if ((transfer.flags & MSG_OOB) != 0) return Attempt::Done(-EOPNOTSUPP);
    const int sndbuf = IntOption(socket, SOL_SOCKET, SO_SNDBUF, options_.default_sndbuf);
    if (size + 32 > static_cast<size_t>(sndbuf)) return Attempt::Done(-EMSGSIZE);
    SocketObject* target = nullptr;
    if (addressed) {
      const int rc = FindUnixPeer(destination, SOCK_DGRAM, &target);
      if (rc < 0) return Attempt::Done(rc);
    } else {
      if (socket.state != SocketState::kConnected) return Attempt::Done(-ENOTCONN);
      if (socket.peer == nullptr) {
        // The connected peer is gone: refused once, then not connected.
        if (commit) socket.state = SocketState::kUnconnected;
        return Attempt::Done(-ECONNREFUSED);
      }
      target = socket.peer;
    }
    if (target->peer != nullptr && target->peer != &socket) return Attempt::Done(-EPERM);
    if (socket.write_shutdown || target->read_shutdown) return Attempt::Done(-EPIPE);
    if (UnixDatagramQueueFull(socket, *target)) {
      return (transfer.flags & MSG_DONTWAIT) ? Attempt::Done(-EAGAIN) : Attempt::Blocked();
    }
    if (commit) {
      Datagram datagram;
      datagram.bytes.resize(size);
      transfer.buffers.CopyOut(0, size, datagram.bytes.data());
      datagram.source = socket.local ? *socket.local : UnnamedUnixAddress();
      target->datagram_bytes += size;
      target->datagrams.push_back(std::move(datagram));
    }
    return Attempt::Done(static_cast<int64_t>(size));
  }

  const size_t max_payload = socket.family == AF_INET ? kUdpMaxPayload4 : kUdpMaxPayload6;
  if (size > max_payload) return Attempt::Done(-EMSGSIZE);
  if (addressed) {
    destination = RouteToLoopback(destination);
    if (destination.port == 0) return Attempt::Done(-EINVAL);
    if (!destination.IsLoopback()) return Attempt::Done(-ENETUNREACH);
  } else {
    if (socket.state != SocketState::kConnected) return Attempt::Done(-EDESTADDRREQ);
    destination = socket.remote;
  }
  if (const int error = TakeError(socket, commit)) return Attempt::Done(-error);
  if (socket.write_shutdown) return Attempt::Done(-EPIPE);
  if (!commit) return Attempt::Done(static_cast<int64_t>(size));
  if (!socket.local) {
    const int rc = AutoBind(socket);
    if (rc < 0) return Attempt::Done(rc == -EADDRINUSE ? -EAGAIN : rc);
  }
  const SocketAddress source = RouteToLoopback(*socket.local);
  SocketObject* receiver = FindDatagramReceiver(destination, source);
  if (receiver == nullptr) {
    // Port unreachable: the ICMP error reaches the sender only if connected.
    if (!addressed) socket.error = ECONNREFUSED;
    return Attempt::Done(static_cast<int64_t>(size));
  }
  const int rcvbuf = IntOption(*receiver, SOL_SOCKET, SO_RCVBUF, options_.default_rcvbuf);
  // A full receive buffer drops the datagram silently, as UDP does.
  if (receiver->datagram_bytes + size <= static_cast<size_t>(rcvbuf)) {
    Datagram datagram;
    datagram.bytes.resize(size);
    transfer.buffers.CopyOut(0, size, datagram.bytes.data());
    datagram.source = source;
    receiver->datagram_bytes += size;
    receiver->datagrams.push_back(std::move(datagram));
  }
  return Attempt::Done(static_cast<int64_t>(size));
}

bool World::UnixDatagramQueueFull(const SocketObject& sender, const SocketObject& target) const {
  if (target.peer != &sender) return target.datagrams.size() > kUnixDatagramQueue;
  // A receiver connected back to its sender has no queue-length limit; the
  // sender's SO_SNDBUF bounds what it has in flight.
  const size_t charged = target.datagram_bytes + target.datagrams.size() * kDatagramOverhead;
  const int sndbuf = IntOption(sender, SOL_SOCKET, SO_SNDBUF, options_.default_sndbuf);
  return charged >= static_cast<size_t>(sndbuf);
}

// --- Readiness ---

uint32_t World::SocketPollMask(const SocketObject& socket) const {
  uint32_t mask = 0;
  if (socket.error != 0) mask |= POLLERR;
  if (socket.state == SocketState::kListening) {
    if (!socket.accept_queue.empty()) mask |= POLLIN | POLLRDNORM;
    return mask;
  }
  if (socket.read_shutdown) mask |= POLLIN | POLLRDNORM | POLLRDHUP;
  if (socket.read_shutdown && socket.write_shutdown) mask |= POLLHUP;
  if (!socket.IsStream()) {
    if (!socket.datagrams.empty()) mask |= POLLIN | POLLRDNORM;
    bool writable = true;
    if (socket.IsUnix() && socket.state == SocketState::kConnected && socket.peer != nullptr) {
      writable = !UnixDatagramQueueFull(socket, *socket.peer);
    }
    if (writable) mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
    return mask;
  }
  // A stream socket that is not connected reports POLLHUP (TCP_CLOSE).
  if (socket.state != SocketState::kConnected) mask |= POLLHUP;
  if (!socket.received.empty()) mask |= POLLIN | POLLRDNORM;
  bool writable = true;
  if (socket.state == SocketState::kConnected && socket.peer != nullptr && !socket.write_shutdown) {
    writable = socket.peer->received.size() < StreamCapacity(socket, *socket.peer);
  }
  if (writable) mask |= POLLOUT | POLLWRNORM;
  return mask;
}

}  // namespace ring::fake_internal
