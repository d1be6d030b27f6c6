#include "ring/fake/fake_kernel.h"

#include <mutex>

#include "ring/fake/world.h"

namespace ring {
namespace {

using fake_internal::World;

// Runs one System call on the locked world, then lets pending requests
// react to what it changed and wakes any thread waiting on a ring.
template <typename Call>
auto Mutate(World& world, Call&& call) {
  std::lock_guard<std::mutex> lock(world.mu);
  world.NoteThread();
  auto result = call();
  world.Progress();
  world.Changed();
  return result;
}

}  // namespace

FakeKernel::FakeKernel(const FakeOptions& options)
    : world_(std::make_unique<World>(options)) {}

FakeKernel::~FakeKernel() = default;

int FakeKernel::Socket(int domain, int type, int protocol) {
  return Mutate(*world_, [&] { return world_->Socket(domain, type, protocol); });
}

int FakeKernel::SocketPair(int domain, int type, int protocol, int fds[2]) {
  return Mutate(*world_, [&] { return world_->SocketPair(domain, type, protocol, fds); });
}

int FakeKernel::Bind(int fd, const sockaddr* addr, socklen_t addr_len) {
  return Mutate(*world_, [&] { return world_->Bind(fd, addr, addr_len); });
}

int FakeKernel::Listen(int fd, int backlog) {
  return Mutate(*world_, [&] { return world_->Listen(fd, backlog); });
}

int FakeKernel::Connect(int fd, const sockaddr* addr, socklen_t addr_len) {
  return Mutate(*world_, [&] { return world_->Connect(fd, addr, addr_len); });
}

int FakeKernel::Accept(int fd, sockaddr* addr, socklen_t* addr_len, int flags) {
  return Mutate(*world_, [&] { return world_->Accept(fd, addr, addr_len, flags); });
}

int FakeKernel::GetSockName(int fd, sockaddr* addr, socklen_t* addr_len) {
  return Mutate(*world_, [&] { return world_->GetSockName(fd, addr, addr_len); });
}

int FakeKernel::GetPeerName(int fd, sockaddr* addr, socklen_t* addr_len) {
  return Mutate(*world_, [&] { return world_->GetPeerName(fd, addr, addr_len); });
}

int FakeKernel::SetSockOpt(int fd, int level, int name, const void* value, socklen_t len) {
  return Mutate(*world_, [&] { return world_->SetSockOpt(fd, level, name, value, len); });
}

int FakeKernel::GetSockOpt(int fd, int level, int name, void* value, socklen_t* len) {
  return Mutate(*world_, [&] { return world_->GetSockOpt(fd, level, name, value, len); });
}

int FakeKernel::Shutdown(int fd, int how) {
  return Mutate(*world_, [&] { return world_->Shutdown(fd, how); });
}

int FakeKernel::Close(int fd) {
  return Mutate(*world_, [&] { return world_->Close(fd); });
}

int FakeKernel::Pipe(int fds[2], int flags) {
  return Mutate(*world_, [&] { return world_->Pipe(fds, flags); });
}

int FakeKernel::Open(const char* path, int flags, mode_t mode) {
  return Mutate(*world_, [&] { return world_->Open(path, flags, mode); });
}

int FakeKernel::Unlink(const char* path) {
  return Mutate(*world_, [&] { return world_->Unlink(path); });
}

ssize_t FakeKernel::Read(int fd, void* buf, size_t len) {
  return Mutate(*world_, [&] { return world_->Read(fd, buf, len); });
}

ssize_t FakeKernel::Write(int fd, const void* buf, size_t len) {
  return Mutate(*world_, [&] { return world_->Write(fd, buf, len); });
}

ssize_t FakeKernel::RecvMsg(int fd, msghdr* message, int flags) {
  return Mutate(*world_, [&] { return world_->RecvMsg(fd, message, flags); });
}

ssize_t FakeKernel::SendMsg(int fd, const msghdr* message, int flags) {
  return Mutate(*world_, [&] { return world_->SendMsg(fd, message, flags); });
}

int FakeKernel::Poll(pollfd* fds, size_t count, int /*timeout_ms*/) {
  std::lock_guard<std::mutex> lock(world_->mu);  // observes, changes nothing
  return world_->Poll(fds, count);
}

int FakeKernel::Truncate(int fd, int64_t length) {
  return Mutate(*world_, [&] { return world_->Truncate(fd, length); });
}

int64_t FakeKernel::FileSize(int fd) {
  return Mutate(*world_, [&] { return world_->FileSize(fd); });
}

int64_t FakeKernel::Seek(int fd, int64_t offset, int whence) {
  return Mutate(*world_, [&] { return world_->Seek(fd, offset, whence); });
}

int FakeKernel::Sync(int fd) {
  return Mutate(*world_, [&] { return world_->Sync(fd); });
}

uint64_t FakeKernel::seed() const { return world_->options().seed; }

const FakeOptions& FakeKernel::options() const { return world_->options(); }

int64_t FakeKernel::NowNs() const {
  std::lock_guard<std::mutex> lock(world_->mu);
  return world_->now();
}

void FakeKernel::AdvanceTime(int64_t ns) {
  Mutate(*world_, [&] {
    world_->AdvanceTime(ns);
    return 0;
  });
}

uint64_t FakeKernel::trace_hash() const {
  std::lock_guard<std::mutex> lock(world_->mu);
  return world_->trace_hash();
}

uint64_t FakeKernel::completions_delivered() const {
  std::lock_guard<std::mutex> lock(world_->mu);
  return world_->delivered();
}

uint64_t FakeKernel::completions_overflowed() const {
  std::lock_guard<std::mutex> lock(world_->mu);
  return world_->overflowed();
}

int FakeKernel::ResetConnection(int fd) {
  return Mutate(*world_, [&] { return world_->ResetConnection(fd); });
}

}  // namespace ring
