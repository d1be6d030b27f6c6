// Descriptors, object lifetime and the System calls' dispatch.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>

#include <algorithm>

#include "ring/fake/check.h"
#include "ring/fake/world.h"

namespace ring::fake_internal {
namespace {

// Descriptors 0-2 belong to the process's stdio, as in any Linux process.
constexpr int kFirstDescriptor = 3;
// RLIMIT_NOFILE of the simulated process.
constexpr int kMaxDescriptors = 65536;

}  // namespace

World::World(const FakeOptions& options) : options_(options), random_(options.seed) {
  FAKE_CHECK(options.tick_ns > 0);
}

World::~World() {
  // Rings are destroyed before their kernel; what is left are descriptors
  // nobody closed. Drop them without simulating FIN/RST: nobody is left to see.
  FAKE_CHECK(rings_.empty());
  FAKE_CHECK(operations_.empty());
}

void World::Changed() {
  ++version_;
  changed_.notify_all();
}

Object* World::Lookup(int fd) const {
  if (fd < 0 || static_cast<size_t>(fd) >= descriptors_.size()) return nullptr;
  return descriptors_[fd];
}

SocketObject* World::LookupSocket(int fd, int* error) const {
  Object* object = Lookup(fd);
  if (object == nullptr) {
    *error = -EBADF;
    return nullptr;
  }
  if (object->kind != ObjectKind::kSocket) {
    *error = -ENOTSOCK;
    return nullptr;
  }
  *error = 0;
  return static_cast<SocketObject*>(object);
}

int World::LowestFreeDescriptor() const {
  for (size_t fd = kFirstDescriptor; fd < descriptors_.size(); ++fd) {
    if (descriptors_[fd] == nullptr) return static_cast<int>(fd);
  }
  const int next = std::max<int>(kFirstDescriptor, static_cast<int>(descriptors_.size()));
  return next < kMaxDescriptors ? next : -EMFILE;
}

int World::Install(std::unique_ptr<Object> object) {
  if (LowestFreeDescriptor() < 0) return -EMFILE;
  Object* raw = Adopt(std::move(object));
  Ref(raw);
  return InstallExisting(raw);
}

int World::InstallExisting(Object* object) {
  const int fd = LowestFreeDescriptor();
  FAKE_CHECK(fd >= 0);
  if (static_cast<size_t>(fd) >= descriptors_.size()) descriptors_.resize(fd + 1, nullptr);
  descriptors_[fd] = object;
  return fd;
}

void World::Unref(Object* object) {
  FAKE_CHECK(object->refs > 0);
  if (--object->refs > 0) return;
  Release(object);
  auto it = objects_.find(object);
  FAKE_CHECK(it != objects_.end());
  objects_.erase(it);
}

void World::Release(Object* object) {
  switch (object->kind) {
    case ObjectKind::kSocket:
      ReleaseSocket(*static_cast<SocketObject*>(object));
      break;
    case ObjectKind::kPipeReader:
      --static_cast<PipeEnd*>(object)->pipe->readers;
      break;
    case ObjectKind::kPipeWriter:
      --static_cast<PipeEnd*>(object)->pipe->writers;
      break;
    case ObjectKind::kFile:
      break;  // the inode lives on while a path or another descriptor names it
  }
}

int World::CloseDescriptor(int fd, bool commit) {
  Object* object = Lookup(fd);
  if (object == nullptr) return -EBADF;
  if (!commit) return 0;
  descriptors_[fd] = nullptr;
  Unref(object);
  return 0;
}

int World::Close(int fd) { return CloseDescriptor(fd, /*commit=*/true); }

int World::Socket(int domain, int type, int protocol) {
  std::unique_ptr<SocketObject> socket;
  int rc = CreateSocket(domain, type, protocol, &socket);
  if (rc < 0) return rc;
  return Install(std::move(socket));
}

int World::SocketPair(int domain, int type, int protocol, int fds[2]) {
  if (domain == AF_INET || domain == AF_INET6) return -EOPNOTSUPP;
  if (domain != AF_UNIX) return -EAFNOSUPPORT;
  if (fds == nullptr) return -EFAULT;
  std::unique_ptr<SocketObject> first, second;
  int rc = CreateSocket(domain, type, protocol, &first);
  if (rc < 0) return rc;
  rc = CreateSocket(domain, type, protocol, &second);
  if (rc < 0) return rc;
  // Connected to each other, both unnamed.
  for (SocketObject* end : {first.get(), second.get()}) {
    end->state = SocketState::kConnected;
    end->remote = UnnamedUnixAddress();
  }
  first->peer = second.get();
  second->peer = first.get();
  const int fd0 = Install(std::move(first));
  if (fd0 < 0) return fd0;  // neither end was ever registered: both just go
  const int fd1 = Install(std::move(second));
  if (fd1 < 0) {
    static_cast<SocketObject*>(Lookup(fd0))->peer = nullptr;
    CloseDescriptor(fd0, /*commit=*/true);
    return fd1;
  }
  fds[0] = fd0;
  fds[1] = fd1;
  return 0;
}

int World::Bind(int fd, const sockaddr* addr, socklen_t addr_len) {
  int error;
  SocketObject* socket = LookupSocket(fd, &error);
  if (socket == nullptr) return error;
  return BindSocket(*socket, addr, addr_len);
}

int World::Listen(int fd, int backlog) {
  int error;
  SocketObject* socket = LookupSocket(fd, &error);
  if (socket == nullptr) return error;
  const int rc = ListenSocket(*socket, backlog);
  return rc;
}

int World::Connect(int fd, const sockaddr* addr, socklen_t addr_len) {
  int error;
  SocketObject* socket = LookupSocket(fd, &error);
  if (socket == nullptr) return error;
  Attempt attempt = ConnectSocket(*socket, addr, addr_len, /*commit=*/true);
  // A full backlog would block the calling thread; the fake cannot block.
  return attempt.blocked ? -EAGAIN : attempt.result;
}

int World::Accept(int fd, sockaddr* addr, socklen_t* addr_len, int flags) {
  int error;
  SocketObject* socket = LookupSocket(fd, &error);
  if (socket == nullptr) return error;
  Attempt attempt =
      AcceptConnection(*socket, addr, addr_len, static_cast<uint32_t>(flags), /*commit=*/true);
  return attempt.blocked ? -EAGAIN : attempt.result;
}

int World::GetSockName(int fd, sockaddr* addr, socklen_t* addr_len) {
  int error;
  SocketObject* socket = LookupSocket(fd, &error);
  if (socket == nullptr) return error;
  return SocketName(*socket, /*peer=*/false, addr, addr_len);
}

int World::GetPeerName(int fd, sockaddr* addr, socklen_t* addr_len) {
  int error;
  SocketObject* socket = LookupSocket(fd, &error);
  if (socket == nullptr) return error;
  return SocketName(*socket, /*peer=*/true, addr, addr_len);
}

int World::SetSockOpt(int fd, int level, int name, const void* value, socklen_t len) {
  int error;
  SocketObject* socket = LookupSocket(fd, &error);
  if (socket == nullptr) return error;
  const int rc = SetOption(*socket, level, name, value, len);
  return rc;
}

int World::GetSockOpt(int fd, int level, int name, void* value, socklen_t* len) {
  int error;
  SocketObject* socket = LookupSocket(fd, &error);
  if (socket == nullptr) return error;
  return GetOption(*socket, level, name, value, len);
}

int World::Shutdown(int fd, int how) {
  int error;
  SocketObject* socket = LookupSocket(fd, &error);
  if (socket == nullptr) return error;
  const int rc = ShutdownSocket(*socket, how, /*commit=*/true);
  return rc;
}

ssize_t World::Read(int fd, void* buf, size_t len) {
  Object* object = Lookup(fd);
  if (object == nullptr) return -EBADF;
  Transfer transfer;
  int rc = transfer.buffers.AssignSingle(buf, len);
  if (rc < 0) return rc;
  Attempt attempt = ReadObject(*object, transfer, kCurrentPosition, /*commit=*/true);
  return attempt.blocked ? -EAGAIN : attempt.result;
}

ssize_t World::Write(int fd, const void* buf, size_t len) {
  Object* object = Lookup(fd);
  if (object == nullptr) return -EBADF;
  Transfer transfer;
  int rc = transfer.buffers.AssignSingle(const_cast<void*>(buf), len);
  if (rc < 0) return rc;
  Attempt attempt = WriteObject(*object, transfer, kCurrentPosition, /*commit=*/true);
  return attempt.blocked ? -EAGAIN : attempt.result;
}

ssize_t World::RecvMsg(int fd, msghdr* message, int flags) {
  int error;
  SocketObject* socket = LookupSocket(fd, &error);
  if (socket == nullptr) return error;
  Transfer transfer;
  int rc = MessageTransfer(message, static_cast<uint32_t>(flags), /*receive=*/true, &transfer);
  if (rc < 0) return rc;
  Attempt attempt = Receive(*socket, transfer, /*commit=*/true);
  return attempt.blocked ? -EAGAIN : attempt.result;
}

ssize_t World::SendMsg(int fd, const msghdr* message, int flags) {
  int error;
  SocketObject* socket = LookupSocket(fd, &error);
  if (socket == nullptr) return error;
  Transfer transfer;
  int rc = MessageTransfer(const_cast<msghdr*>(message), static_cast<uint32_t>(flags),
                           /*receive=*/false, &transfer);
  if (rc < 0) return rc;
  Attempt attempt = Send(*socket, transfer, /*commit=*/true);
  return attempt.blocked ? -EAGAIN : attempt.result;
}

int World::Poll(pollfd* fds, size_t count) {
  if (fds == nullptr && count > 0) return -EFAULT;
  int ready = 0;
  for (size_t i = 0; i < count; ++i) {
    fds[i].revents = 0;
    if (fds[i].fd < 0) continue;  // ignored, as poll(2) ignores it
    Object* object = Lookup(fds[i].fd);
    const uint32_t always = POLLERR | POLLHUP | POLLNVAL;
    const uint32_t mask = object == nullptr ? POLLNVAL : PollMask(*object);
    fds[i].revents = static_cast<short>(mask & (static_cast<uint16_t>(fds[i].events) | always));
    if (fds[i].revents != 0) ++ready;
  }
  return ready;
}

int World::ResetConnection(int fd) {
  int error;
  SocketObject* socket = LookupSocket(fd, &error);
  if (socket == nullptr) return error;
  if (!socket->IsStream() || socket->state != SocketState::kConnected) return -ENOTCONN;
  ResetBothEnds(*socket);
  return 0;
}

Attempt World::ReadObject(Object& object, Transfer& transfer, uint64_t offset, bool commit) {
  switch (object.kind) {
    case ObjectKind::kSocket:
      return Receive(static_cast<SocketObject&>(object), transfer, commit);
    case ObjectKind::kPipeReader:
    case ObjectKind::kPipeWriter:
      return ReadPipe(static_cast<PipeEnd&>(object), transfer, commit);
    case ObjectKind::kFile:
      return ReadFile(static_cast<OpenFile&>(object), transfer, offset, commit);
  }
  return Attempt::Done(-EBADF);
}

Attempt World::WriteObject(Object& object, Transfer& transfer, uint64_t offset, bool commit) {
  switch (object.kind) {
    case ObjectKind::kSocket:
      return Send(static_cast<SocketObject&>(object), transfer, commit);
    case ObjectKind::kPipeReader:
    case ObjectKind::kPipeWriter:
      return WritePipe(static_cast<PipeEnd&>(object), transfer, commit);
    case ObjectKind::kFile:
      return WriteFile(static_cast<OpenFile&>(object), transfer, offset, commit);
  }
  return Attempt::Done(-EBADF);
}

uint32_t World::PollMask(const Object& object) const {
  switch (object.kind) {
    case ObjectKind::kSocket:
      return SocketPollMask(static_cast<const SocketObject&>(object));
    case ObjectKind::kPipeReader: {
      const struct Pipe& pipe = *static_cast<const PipeEnd&>(object).pipe;
      uint32_t mask = 0;
      if (!pipe.bytes.empty()) mask |= POLLIN | POLLRDNORM;
      if (pipe.writers == 0) mask |= POLLHUP;
      return mask;
    }
    case ObjectKind::kPipeWriter: {
      const struct Pipe& pipe = *static_cast<const PipeEnd&>(object).pipe;
      uint32_t mask = 0;
      if (pipe.bytes.size() < Pipe::kCapacity) mask |= POLLOUT | POLLWRNORM;
      if (pipe.readers == 0) mask |= POLLERR;
      return mask;
    }
    case ObjectKind::kFile:
      return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;  // DEFAULT_POLLMASK
  }
  return 0;
}

}  // namespace ring::fake_internal
