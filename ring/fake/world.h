// The simulated kernel's state and logic, behind FakeKernel and FakeRing.
// Every method expects `mu` to be held by the caller (FakeKernel and FakeRing
// take it); one mutex for the whole world keeps several rings and threads
// consistent, and a single thread deterministic.
#ifndef IOCP_RING_FAKE_WORLD_H_
#define IOCP_RING_FAKE_WORLD_H_

#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "ring/fake/buffers.h"
#include "ring/fake/fake_options.h"
#include "ring/fake/objects.h"
#include "ring/fake/prng.h"
#include "ring/fake/socket_address.h"
#include "ring/ring.h"

namespace ring::fake_internal {

inline constexpr size_t kNoLimit = std::numeric_limits<size_t>::max();

// What one evaluation of an operation against the world gives: either it
// would block (the kernel would wait), or its result.
struct Attempt {
  bool blocked = false;
  int32_t result = 0;

  static Attempt Blocked() { return Attempt{true, 0}; }
  static Attempt Done(int64_t result) { return Attempt{false, static_cast<int32_t>(result)}; }
};

// The parameters of one send/recv/read/write.
struct Transfer {
  UserBuffers buffers;
  size_t skip = 0;          // bytes a MSG_WAITALL request already moved
  size_t limit = kNoLimit;  // most bytes this attempt may move (injected short transfers)
  uint32_t flags = 0;       // MSG_*
  const sockaddr* name = nullptr;  // datagram destination (sendto/sendmsg)
  socklen_t name_len = 0;
  msghdr* message = nullptr;  // recvmsg: where the source and msg_flags go

  size_t Wanted() const {
    const size_t left = buffers.total() - skip;
    return left < limit ? left : limit;
  }
};

struct RingState;

// A submitted request until its completion reaches the CQ.
struct Operation {
  enum class Stage : uint8_t { kPending, kReady };

  uint64_t seq = 0;  // global issue order
  RingState* ring = nullptr;
  Request request;
  Object* object = nullptr;        // the resolved descriptor (holds a reference)
  std::optional<int32_t> failure;  // a result known at submission (-EBADF, -EFAULT...)
  Stage stage = Stage::kPending;
  int32_t result = 0;    // kReady: the fixed result
  int64_t ready_at = 0;  // kReady: virtual time its completion may be delivered
  int64_t deadline = 0;  // kTimeout: virtual time it fires
  size_t done = 0;       // MSG_WAITALL: bytes moved so far
  bool faults_considered = false;
  // Set once the thread that submitted it has exited. The kernel runs a
  // request's progress in that thread's task work; with the thread gone,
  // it ends the request with -ECANCELED when it would have progressed.
  std::shared_ptr<const std::atomic<bool>> submitter_exited;
};

struct RingState {
  uint32_t sq_entries = 0;
  uint32_t cq_entries = 0;
  std::deque<Request> published;    // made visible by Publish(), not yet submitted
  std::deque<Completion> cq;        // at most cq_entries
  std::deque<Completion> overflow;  // NODROP: what did not fit, in order
  bool wake_pending = false;
};

class World {
 public:
  explicit World(const FakeOptions& options);
  ~World();

  std::mutex mu;
  const FakeOptions& options() const { return options_; }
  int64_t now() const { return now_; }
  uint64_t trace_hash() const { return trace_hash_; }
  uint64_t delivered() const { return delivered_; }
  uint64_t overflowed() const { return overflowed_; }

  // Wakes every thread blocked in a Wait so it re-examines the world.
  void Changed();
  // Records which thread is calling: once a second thread has used the
  // world, timed waits also wait in real time for other threads.
  void NoteThread();
  // Lets every pending request that the world now allows run (auto mode).
  void Progress();

  // --- System calls (world_system.cc, world_sockets.cc, world_files.cc) ---
  int Socket(int domain, int type, int protocol);
  int SocketPair(int domain, int type, int protocol, int fds[2]);
  int Bind(int fd, const sockaddr* addr, socklen_t addr_len);
  int Listen(int fd, int backlog);
  int Connect(int fd, const sockaddr* addr, socklen_t addr_len);
  int Accept(int fd, sockaddr* addr, socklen_t* addr_len, int flags);
  int GetSockName(int fd, sockaddr* addr, socklen_t* addr_len);
  int GetPeerName(int fd, sockaddr* addr, socklen_t* addr_len);
  int SetSockOpt(int fd, int level, int name, const void* value, socklen_t len);
  int GetSockOpt(int fd, int level, int name, void* value, socklen_t* len);
  int Shutdown(int fd, int how);
  int Close(int fd);
  int Pipe(int fds[2], int flags);
  int Open(const char* path, int flags, mode_t mode);
  int Unlink(const char* path);
  ssize_t Read(int fd, void* buf, size_t len);
  ssize_t Write(int fd, const void* buf, size_t len);
  ssize_t RecvMsg(int fd, msghdr* message, int flags);
  ssize_t SendMsg(int fd, const msghdr* message, int flags);
  int Poll(pollfd* fds, size_t count);
  int Truncate(int fd, int64_t length);
  int64_t FileSize(int fd);
  int64_t Seek(int fd, int64_t offset, int whence);
  int Sync(int fd);
  int ResetConnection(int fd);

  // --- Rings (world_scheduler.cc) ---
  void AttachRing(RingState* ring);
  void DetachRing(RingState* ring);
  void Submit(RingState* ring, const Request& request);
  // Submits up to `count` published requests; returns how many.
  unsigned SubmitPublished(RingState* ring, unsigned count);
  int Wait(std::unique_lock<std::mutex>& lock, RingState* ring, Completion* out,
           unsigned capacity, unsigned min_complete, int64_t timeout_ns);
  int Block(std::unique_lock<std::mutex>& lock, RingState* ring, unsigned min_available,
            int64_t timeout_ns);
  int Peek(RingState* ring, Completion* out, unsigned capacity);
  void Wake(RingState* ring);
  void AdvanceTime(int64_t ns);
  // Step API.
  std::vector<uint64_t> InFlight(const RingState* ring) const;
  bool IsReady(RingState* ring, uint64_t user_data);
  int Complete(RingState* ring, uint64_t user_data);
  int CompleteWith(RingState* ring, uint64_t user_data, int32_t result);

 private:
  // --- Descriptors and object lifetime (world_system.cc) ---
  Object* Lookup(int fd) const;
  SocketObject* LookupSocket(int fd, int* error) const;
  int LowestFreeDescriptor() const;
  int Install(std::unique_ptr<Object> object);  // the new descriptor or -EMFILE
  int InstallExisting(Object* object);           // takes over one reference
  // Registers an object that no descriptor holds yet.
  template <typename T>
  T* Adopt(std::unique_ptr<T> object) {
    T* raw = object.get();
    objects_.emplace(raw, std::move(object));
    return raw;
  }
  void Ref(Object* object) { ++object->refs; }
  void Unref(Object* object);
  void Release(Object* object);
  int CloseDescriptor(int fd, bool commit);

  // --- Sockets (world_sockets.cc) ---
  int CreateSocket(int domain, int type, int protocol, std::unique_ptr<SocketObject>* out);
  int BindSocket(SocketObject& socket, const sockaddr* addr, socklen_t addr_len);
  int BindInet(SocketObject& socket, const SocketAddress& address);
  int BindUnix(SocketObject& socket, const SocketAddress& address);
  bool BindConflicts(const SocketObject& socket, const SocketAddress& address,
                     const SocketObject& other) const;
  int AllocateEphemeralPort(const SocketObject& socket, const SocketAddress& host);
  void RegisterPort(SocketObject& socket);
  void UnregisterPort(SocketObject& socket);
  int AutoBind(SocketObject& socket);
  int ListenSocket(SocketObject& socket, int backlog);
  Attempt ConnectSocket(SocketObject& socket, const sockaddr* addr, socklen_t addr_len,
                        bool commit);
  Attempt ConnectStream(SocketObject& socket, const SocketAddress& address, bool commit);
  Attempt ConnectDatagram(SocketObject& socket, const SocketAddress& address, bool commit);
  int FindUnixPeer(const SocketAddress& address, int type, SocketObject** out) const;
  SocketObject* FindListener(const SocketAddress& address) const;
  SocketObject* FindDatagramReceiver(const SocketAddress& destination,
                                     const SocketAddress& source) const;
  Attempt AcceptConnection(SocketObject& listener, sockaddr* addr, socklen_t* addr_len,
                           uint32_t flags, bool commit);
  int SocketName(const SocketObject& socket, bool peer, sockaddr* addr, socklen_t* addr_len);
  int ShutdownSocket(SocketObject& socket, int how, bool commit);
  Attempt Receive(SocketObject& socket, Transfer& transfer, bool commit);
  Attempt Send(SocketObject& socket, Transfer& transfer, bool commit);
  Attempt ReceiveStream(SocketObject& socket, Transfer& transfer, bool commit);
  Attempt SendStream(SocketObject& socket, Transfer& transfer, bool commit);
  Attempt ReceiveDatagram(SocketObject& socket, Transfer& transfer, bool commit);
  Attempt SendDatagram(SocketObject& socket, Transfer& transfer, bool commit);
  bool UnixDatagramQueueFull(const SocketObject& sender, const SocketObject& target) const;
  size_t StreamCapacity(const SocketObject& sender, const SocketObject& receiver) const;
  uint32_t SocketPollMask(const SocketObject& socket) const;
  void ReleaseSocket(SocketObject& socket);
  void ResetBothEnds(SocketObject& socket);
  void StopListening(SocketObject& socket);
  void StoreMessageName(msghdr* message, const SocketAddress* address) const;
  void ReceiveReset(SocketObject& socket);
  int TakeError(SocketObject& socket, bool commit);

  // --- Socket options (world_options.cc) ---
  int SetOption(SocketObject& socket, int level, int name, const void* value, socklen_t len);
  int GetOption(SocketObject& socket, int level, int name, void* value, socklen_t* len);
  int IntOption(const SocketObject& socket, int level, int name, int fallback) const;
  bool LingerAborts(const SocketObject& socket) const;

  // --- Pipes and files (world_files.cc) ---
  Attempt ReadPipe(PipeEnd& end, Transfer& transfer, bool commit);
  Attempt WritePipe(PipeEnd& end, Transfer& transfer, bool commit);
  Attempt ReadFile(OpenFile& file, Transfer& transfer, uint64_t offset, bool commit);
  Attempt WriteFile(OpenFile& file, Transfer& transfer, uint64_t offset, bool commit);
  uint32_t PollMask(const Object& object) const;
  // A descriptor-level read/write: sockets, pipes, files at `offset`.
  Attempt ReadObject(Object& object, Transfer& transfer, uint64_t offset, bool commit);
  Attempt WriteObject(Object& object, Transfer& transfer, uint64_t offset, bool commit);

  // --- Ring operations (world_ops.cc) ---
  void Prepare(Operation& op);
  Attempt Execute(Operation& op, size_t limit, bool commit);
  Attempt ExecuteTransfer(Operation& op, size_t limit, bool commit);
  Attempt ExecuteCancel(Operation& op, bool commit);
  int BuildTransfer(Operation& op, Transfer* transfer) const;
  // The transfer of a recvmsg (`receive`) or sendmsg over `message`.
  static int MessageTransfer(msghdr* message, uint32_t flags, bool receive, Transfer* transfer);
  bool IsByteTransfer(const Operation& op) const;
  SocketObject* StreamSocketOf(const Operation& op) const;
  bool CanShorten(const Operation& op) const;
  bool WaitsForAll(const Operation& op) const;

  // --- Scheduling and delivery (world_scheduler.cc) ---
  Operation* FindOperation(const RingState* ring, uint64_t user_data) const;
  bool Advance(Operation& op);
  bool InjectIssueFaults(Operation& op);
  size_t InjectedLimit(const Operation& op, int32_t natural);
  void Finish(Operation& op, int32_t result, bool deliver_now = false);
  void Deliver(Operation& op);
  void DeliverDue(RingState* ring);
  std::optional<int64_t> NextEvent(const RingState* ring) const;
  void AdvanceTo(int64_t time);
  enum class WaitEnd : uint8_t { kSatisfied, kWoken, kTimedOut };
  WaitEnd WaitUntil(std::unique_lock<std::mutex>& lock, RingState* ring, unsigned wanted,
                    int64_t timeout_ns);
  int Reap(RingState* ring, Completion* out, unsigned capacity);
  int64_t DelayNs();

  const FakeOptions options_;
  SplitMix64 random_;
  std::condition_variable changed_;
  uint64_t version_ = 0;
  int64_t now_ = 0;
  uint64_t trace_hash_ = 0;
  uint64_t delivered_ = 0;
  uint64_t overflowed_ = 0;  // completions that went to an overflow list
  uint64_t next_seq_ = 1;
  std::optional<std::thread::id> first_thread_;
  bool multi_threaded_ = false;

  std::unordered_map<Object*, std::unique_ptr<Object>> objects_;
  std::vector<Object*> descriptors_;  // index = fd
  std::map<std::string, std::shared_ptr<Inode>> paths_;
  std::map<std::string, SocketObject*> abstract_names_;
  // (type, family, port) -> the sockets holding it.
  std::map<std::tuple<int, int, uint16_t>, std::vector<SocketObject*>> ports_;
  uint16_t next_ephemeral_ = 0;
  uint32_t next_autobind_ = 0;

  std::map<uint64_t, std::unique_ptr<Operation>> operations_;  // by seq
  std::vector<RingState*> rings_;
};

}  // namespace ring::fake_internal

#endif  // IOCP_RING_FAKE_WORLD_H_
