#include "winapi/pipe.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <new>
#include <vector>

#include "ring/default_ring.h"
#include "winapi/errors.h"
#include "winapi/thread_state.h"

namespace winapi {

// Win32 errors this file reports.
constexpr uint32_t kErrorSemTimeout = 121;
constexpr uint32_t kErrorInvalidName = 123;
constexpr uint32_t kErrorPipeBusy = 231;
constexpr uint32_t kErrorPipeConnected = 535;
constexpr uint32_t kErrorNotSupported = 50;
constexpr uint32_t kErrorInvalidFunction = 1;
constexpr uint32_t kErrorPipeNotConnected = 233;
constexpr uint32_t kErrorPipeListening = 536;

// The statuses a pipe's requests end with (Win32FromStatus: 109, 232).
constexpr uint32_t kStatusPipeBroken = 0xC000014Bu;
constexpr uint32_t kStatusPipeClosing = 0xC00000B1u;

// CreateNamedPipeA's modes.
constexpr uint32_t kPipeAccessInbound = 0x1;
constexpr uint32_t kPipeAccessOutbound = 0x2;
constexpr uint32_t kFileFlagFirstPipeInstance = 0x00080000;
constexpr uint32_t kFileFlagOverlapped = 0x40000000;
constexpr uint32_t kFileFlagWriteThrough = 0x80000000u;
constexpr uint32_t kPipeNoWait = 0x1;
constexpr uint32_t kPipeMessageModes = 0x2 | 0x4;  // PIPE_READMODE_MESSAGE, PIPE_TYPE_MESSAGE
constexpr uint32_t kPipeRejectRemoteClients = 0x8;
constexpr uint32_t kPipeUnlimitedInstances = 255;
constexpr uint32_t kGenericRead = 0x80000000u;
constexpr uint32_t kGenericWrite = 0x40000000u;
constexpr uint32_t kGenericAll = 0x10000000u;

struct PipeName {
  std::string key;
  int listener = -1;
  uint32_t max_instances = 0;
  uint32_t default_timeout_ms = 50;
  // Under the registry's mutex:
  uint32_t instances = 0;  // server instances alive
  uint32_t listening = 0;  // instances without a client
  uint64_t connects = 0;   // this process's clients that connected
  uint64_t accepts = 0;    // connections the instances took

  // Clients connected but not yet taken by an instance (only this process's
  // are known).
  uint64_t Waiting() const { return connects > accepts ? connects - accepts : 0; }
  bool HasFreeInstance() const { return listening > Waiting(); }
};

namespace {

struct Registry {
  std::mutex mutex;
  std::condition_variable changed;  // an instance started listening
  std::map<std::string, std::shared_ptr<PipeName>> names;
};

Registry& TheRegistry() {
  static Registry* registry = new Registry;  // never destroyed: used at exit
  return *registry;
}

constexpr char kPrefix[] = "\\\\.\\pipe\\";
constexpr size_t kPrefixLength = sizeof(kPrefix) - 1;

bool SameSeparator(char a, char b) { return (a == '\\' || a == '/') && (b == '\\' || b == '/'); }

// The name after \\.\pipe\, lower-cased: Windows' pipe names ignore case.
std::string PipeKey(const char* name) {
  std::string key(name + kPrefixLength);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

// The abstract socket address of a pipe name. Names too long for
// sun_path are shortened to a prefix and a hash of the whole.
socklen_t PipeAddress(const std::string& key, sockaddr_un* address) {
  memset(address, 0, sizeof(*address));
  address->sun_family = AF_UNIX;
  std::string text = "iocp-pipe:" + key;
  constexpr size_t kRoom = sizeof(address->sun_path) - 1;  // after the leading NUL
  if (text.size() > kRoom) {
    uint64_t hash = 1469598103934665603ull;  // FNV-1a
    for (unsigned char c : key) hash = (hash ^ c) * 1099511628211ull;
    char suffix[24];
    snprintf(suffix, sizeof(suffix), "#%016llx", static_cast<unsigned long long>(hash));
    text = text.substr(0, kRoom - strlen(suffix)) + suffix;
  }
  memcpy(address->sun_path + 1, text.data(), text.size());
  return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + text.size());
}

}  // namespace

bool IsPipeName(const char* name) {
  if (name == nullptr || strlen(name) <= kPrefixLength) return false;
  for (size_t i = 0; i < kPrefixLength; ++i) {
    const char a = name[i], b = kPrefix[i];
    const char lower = (a >= 'A' && a <= 'Z') ? static_cast<char>(a - 'A' + 'a') : a;
    if (lower != b && !SameSeparator(a, b)) return false;
  }
  return true;
}

// --- PipeObject ---

PipeObject::PipeObject(int fd, bool overlapped, bool readable, bool writable,
                       std::shared_ptr<PipeName> name)
    : IoObject(ObjectKind::kPipe, fd, overlapped),
      readable_(readable),
      writable_(writable),
      name_(std::move(name)),
      state_(fd >= 0 ? PipeState::kConnected : PipeState::kListening) {}

PipeObject::~PipeObject() {
  ring::System& system = ring::DefaultSystem();
  if (fd() >= 0) system.Close(fd());
  for (int retired : retired_fds_) system.Close(retired);
  if (name_ == nullptr) return;
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  if (state_ != PipeState::kConnected) --name_->listening;
  if (--name_->instances == 0) {
    system.Close(name_->listener);
    registry.names.erase(name_->key);
  }
}

void PipeObject::Adopt(int fd) {
  ExchangeFd(fd);  // was -1: a listening instance has no descriptor
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  state_ = PipeState::kConnected;
  --name_->listening;
  ++name_->accepts;
}

uint32_t PipeObject::Connect(IoOperation* op, bool* started) {
  *started = false;
  if (!is_server()) return kErrorInvalidFunction;
  CloseRetiredFds();
  if (state_ == PipeState::kConnected) return kErrorPipeConnected;
  if (connecting_.exchange(true)) return kErrorInvalidParameter;  // one ConnectNamedPipe at a time
  // A client that came first is taken at once: ERROR_PIPE_CONNECTED, as
  // Windows reports a client that connected before ConnectNamedPipe.
  const int accepted =
      ring::DefaultSystem().Accept(name_->listener, nullptr, nullptr, SOCK_CLOEXEC);
  if (accepted >= 0) {
    Adopt(accepted);
    connecting_.store(false);
    return kErrorPipeConnected;
  }
  op->kind = IoKind::kAccept;
  const int rc =
      Start(ring::Request::Accept(name_->listener, nullptr, nullptr, SOCK_CLOEXEC, 0), op);
  if (rc < 0) {
    connecting_.store(false);
    return Win32FromErrno(rc);
  }
  *started = true;
  return 0;
}

bool PipeObject::Disconnect() {
  if (!is_server()) return false;
  const int old = ExchangeFd(-1);
  {
    Registry& registry = TheRegistry();
    std::lock_guard<std::mutex> lock(registry.mutex);
    if (state_ == PipeState::kConnected) {
      ++name_->listening;
      registry.changed.notify_all();
    }
    state_ = PipeState::kDisconnected;
  }
  if (old < 0) return true;
  // The client sees the end at once; requests still in flight end now.
  ring::DefaultSystem().Shutdown(old, SHUT_RDWR);
  Cancel(nullptr, 0);
  // A request not yet reaped may still name the old descriptor: closing it
  // now could let a new descriptor take its number under that request.
  retired_fds_.push_back(old);
  CloseRetiredFds();
  return true;
}

void PipeObject::CloseRetiredFds() {
  if (HasRequests()) return;  // later: nothing may still use them (before mutex_: lock order)
  std::lock_guard<Lock> lock(mutex_);
  for (int retired : retired_fds_) ring::DefaultSystem().Close(retired);
  retired_fds_.clear();
}

uint32_t PipeObject::TransferError(bool read) const {
  if (read ? !readable_ : !writable_) return kErrorAccessDenied;
  if (state_ == PipeState::kListening) return kErrorPipeListening;
  if (state_ == PipeState::kDisconnected) return kErrorPipeNotConnected;
  return 0;
}

uint32_t PipeObject::CompleteOperation(IoOperation* op, int32_t result, uint32_t* bytes) {
  *bytes = 0;
  if (op->kind == IoKind::kAccept) {
    connecting_.store(false);
    if (result < 0) return StatusFromErrno(result);
    Adopt(result);
    return kStatusSuccess;
  }
  // The other end closed: a reader sees a broken pipe (also when it was
  // reset, having left data unread), a writer a closing pipe.
  if (result == -EPIPE) return kStatusPipeClosing;
  if (result == -ECONNRESET) return kStatusPipeBroken;
  if (result < 0) return StatusFromErrno(result);
  *bytes = static_cast<uint32_t>(result);
  if (result == 0 && op->kind == IoKind::kRead && op->requested > 0) return kStatusPipeBroken;
  return kStatusSuccess;
}

// --- Creating ---

PipeObject* CreateNamedPipeInstance(const char* name, uint32_t open_mode, uint32_t pipe_mode,
                                    uint32_t max_instances, uint32_t default_timeout_ms,
                                    uint32_t* error) {
  *error = 0;
  if (!IsPipeName(name)) {
    *error = kErrorInvalidName;
    return nullptr;
  }
  const uint32_t access = open_mode & (kPipeAccessInbound | kPipeAccessOutbound);
  constexpr uint32_t kKnownOpenModes = kPipeAccessInbound | kPipeAccessOutbound |
                                       kFileFlagFirstPipeInstance | kFileFlagOverlapped |
                                       kFileFlagWriteThrough;
  if (access == 0 || (open_mode & ~kKnownOpenModes) != 0 || max_instances == 0 ||
      max_instances > kPipeUnlimitedInstances ||
      (pipe_mode & ~(kPipeNoWait | kPipeMessageModes | kPipeRejectRemoteClients)) != 0) {
    *error = kErrorInvalidParameter;
    return nullptr;
  }
  // PIPE_NOWAIT (a LAN Manager relic) and message mode are refused; the
  // header makes their constants a compile error (docs/PORTING.md).
  if ((pipe_mode & (kPipeNoWait | kPipeMessageModes)) != 0) {
    *error = kErrorNotSupported;
    return nullptr;
  }
  ring::System& system = ring::DefaultSystem();
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  const std::string key = PipeKey(name);
  std::shared_ptr<PipeName>& entry = registry.names[key];
  if (entry == nullptr) {
    auto made = std::make_shared<PipeName>();
    made->key = key;
    made->max_instances = max_instances;
    if (default_timeout_ms != 0) made->default_timeout_ms = default_timeout_ms;
    sockaddr_un address;
    const socklen_t length = PipeAddress(key, &address);
    int fd = system.Socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int rc = fd < 0 ? fd : system.Bind(fd, reinterpret_cast<sockaddr*>(&address), length);
    if (rc == 0) rc = system.Listen(fd, 128);
    if (rc < 0) {
      if (fd >= 0) system.Close(fd);
      registry.names.erase(key);
      // Another process serves this name.
      *error = rc == -EADDRINUSE ? kErrorAccessDenied : Win32FromErrno(rc);
      return nullptr;
    }
    made->listener = fd;
    entry = std::move(made);
  } else if (open_mode & kFileFlagFirstPipeInstance) {
    *error = kErrorAccessDenied;
    return nullptr;
  } else if (entry->instances >= entry->max_instances) {
    *error = kErrorPipeBusy;
    return nullptr;
  }
  auto* pipe = new (std::nothrow)
      PipeObject(-1, (open_mode & kFileFlagOverlapped) != 0, (access & kPipeAccessInbound) != 0,
                 (access & kPipeAccessOutbound) != 0, entry);
  if (pipe == nullptr) {
    if (entry->instances == 0) {
      system.Close(entry->listener);
      registry.names.erase(key);
    }
    *error = kErrorNotEnoughMemory;
    return nullptr;
  }
  ++entry->instances;
  ++entry->listening;
  registry.changed.notify_all();
  return pipe;
}

PipeObject* ConnectToNamedPipe(const char* name, uint32_t access, uint32_t flags, uint32_t* error) {
  *error = 0;
  const std::string key = PipeKey(name);
  Registry& registry = TheRegistry();
  std::shared_ptr<PipeName> local;
  {
    std::lock_guard<std::mutex> lock(registry.mutex);
    auto found = registry.names.find(key);
    if (found != registry.names.end()) {
      local = found->second;
      // Every instance has a client (or one waiting to be taken).
      if (!local->HasFreeInstance()) {
        *error = kErrorPipeBusy;
        return nullptr;
      }
      ++local->connects;  // claims the instance before connecting
    }
  }
  auto unclaim = [&] {
    if (local == nullptr) return;
    std::lock_guard<std::mutex> lock(registry.mutex);
    --local->connects;
  };
  ring::System& system = ring::DefaultSystem();
  sockaddr_un address;
  const socklen_t length = PipeAddress(key, &address);
  const int fd = system.Socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int rc = fd < 0 ? fd : system.Connect(fd, reinterpret_cast<sockaddr*>(&address), length);
  if (rc < 0) {
    if (fd >= 0) system.Close(fd);
    unclaim();
    *error = rc == -ECONNREFUSED || rc == -ENOENT ? kErrorFileNotFound
             : rc == -EAGAIN                      ? kErrorPipeBusy
                                                  : Win32FromErrno(rc);
    return nullptr;
  }
  const bool readable = (access & (kGenericRead | kGenericAll)) != 0;
  const bool writable = (access & (kGenericWrite | kGenericAll)) != 0;
  auto* pipe =
      new (std::nothrow) PipeObject(fd, (flags & kFileFlagOverlapped) != 0, readable, writable);
  if (pipe == nullptr) {
    system.Close(fd);
    unclaim();
    *error = kErrorNotEnoughMemory;
  }
  return pipe;
}

uint32_t WaitForNamedPipe(const char* name, uint32_t timeout_ms) {
  if (!IsPipeName(name)) return kErrorInvalidName;
  // Blocked (for the port) before the registry's lock is taken: the port's
  // lock is taken inside, and completions take the registry's lock under
  // the port's (Adopt), so the other order could deadlock.
  BlockingScope blocked;
  Registry& registry = TheRegistry();
  const std::string key = PipeKey(name);
  std::unique_lock<std::mutex> lock(registry.mutex);
  auto found = registry.names.find(key);
  if (found == registry.names.end()) return kErrorFileNotFound;
  std::shared_ptr<PipeName> pipe = found->second;
  if (timeout_ms == 0) timeout_ms = pipe->default_timeout_ms;  // NMPWAIT_USE_DEFAULT_WAIT
  auto ready = [&] { return pipe->instances == 0 || pipe->HasFreeInstance(); };
  if (timeout_ms == 0xFFFFFFFFu) {  // NMPWAIT_WAIT_FOREVER
    registry.changed.wait(lock, ready);
  } else if (!registry.changed.wait_for(lock, std::chrono::milliseconds(timeout_ms), ready)) {
    return kErrorSemTimeout;
  }
  return pipe->instances == 0 ? kErrorFileNotFound : 0;
}

uint32_t CreateAnonymousPipe(PipeObject** read_end, PipeObject** write_end) {
  *read_end = *write_end = nullptr;
  ring::System& system = ring::DefaultSystem();
  int fds[2];
  const int rc = system.SocketPair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
  if (rc < 0) return Win32FromErrno(rc);
  system.Shutdown(fds[0], SHUT_WR);  // one direction, as CreatePipe's
  system.Shutdown(fds[1], SHUT_RD);
  *read_end = new (std::nothrow) PipeObject(fds[0], false, true, false);
  *write_end = new (std::nothrow) PipeObject(fds[1], false, false, true);
  if (*read_end == nullptr || *write_end == nullptr) {
    if (*read_end != nullptr)
      (*read_end)->Unref();  // closes its descriptor
    else
      system.Close(fds[0]);
    if (*write_end != nullptr)
      (*write_end)->Unref();
    else
      system.Close(fds[1]);
    *read_end = *write_end = nullptr;
    return kErrorNotEnoughMemory;
  }
  return 0;
}

}  // namespace winapi
