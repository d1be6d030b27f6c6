// handle_table_fuzzer: random create / duplicate / close / use of handles of
// every kind through the public Win32 API, on the simulated kernel, checked
// step by step against a small reference model.
//
// The input is a program: each step is four bytes (operation, three
// arguments). Handle arguments pick a live handle, a closed (stale) one, a
// pseudo-handle, or a value that was never issued (null, INVALID_HANDLE_VALUE,
// a live value with tag bits or another generation, an index never used,
// arbitrary bits). The model knows only this: which values are live, the
// object each names (kind and identity), and each object's observable state
// (event signalled, packets queued on a port, bytes in a file or pipe,
// association and key, a thread's exit code). It predicts every return value
// and last-error code:
//   - a value that is not a live handle fails with ERROR_INVALID_HANDLE (6),
//     or WSAENOTSOCK (10038) for Winsock calls, and changes nothing;
//   - a live handle of the wrong kind fails the same way (the calls that take
//     a file/socket/pipe give 87 where spec item 5 says so);
//   - an operation through a live handle reaches exactly its own object:
//     events, ports, files and pipes are checked by their later contents.
// Any difference prints the step and aborts. At the end every handle is
// closed and the process's handle table must be empty (LeakSanitizer checks
// the objects behind them).
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <windows.h>
#include <winsock2.h>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "winapi/handle_table.h"

namespace {

// ---------------------------------------------------------------------------
// The reference model. Written from the Win32 documentation and the project
// spec, not from winapi/: it never looks inside the implementation.

// kNamedPipe: either end of a connected named-pipe instance (both read and
// write).
enum class Kind {
  kEvent,
  kPort,
  kFile,
  kPipeRead,
  kPipeWrite,
  kNamedPipe,
  kSocket,
  kThread,
  kSelfThread
};

struct ModelPacket {
  DWORD bytes;
  ULONG_PTR key;
  OVERLAPPED* overlapped;
  bool from_io;  // queued by a completed read/write (may trail the wait by a moment)
};

struct ModelObject {
  Kind kind;
  int handles = 0;   // open handles naming it
  uint8_t fill = 0;  // the byte this object's data is written with (identity)
  // event
  bool manual = false;
  bool signaled = false;
  // port
  std::deque<ModelPacket> queue;
  // file / socket / pipe
  bool overlapped = false;
  int port = -1;  // associated port object, or -1
  ULONG_PTR key = 0;
  // file
  std::string path;
  uint64_t size = 0;
  uint64_t position = 0;  // synchronous handles only
  // pipe: the other end, and (on the read end) the bytes waiting in the pipe
  int peer = -1;
  size_t buffered = 0;
  // socket
  int socket_type = 0;
  // thread
  DWORD exit_code = 0;
  bool exited = false;
};

enum class ValueClass { kLive, kInvalid, kProcessPseudo, kThreadPseudo };

// Windows ignores a handle's two low bits (tag bits, ntdef.h
// OBJ_HANDLE_TAGBITS), and so does the handle table: h | 1 names h's object.
constexpr bool kTagBitsIgnored = true;

class Model {
 public:
  std::vector<ModelObject> objects;  // by object id, never shrinks
  std::map<uintptr_t, int> live;     // handle value -> object id
  std::vector<uintptr_t> stale;      // values closed in this run

  int Add(ModelObject object) {
    objects.push_back(std::move(object));
    return static_cast<int>(objects.size()) - 1;
  }
  void Name(uintptr_t value, int id) {
    live[value] = id;
    objects[id].handles++;
  }
  ValueClass Classify(uintptr_t value, int* id) const {
    if (value == ~uintptr_t{0}) return ValueClass::kProcessPseudo;
    if (value == ~uintptr_t{0} - 1) return ValueClass::kThreadPseudo;
    auto it = live.find(Canonical(value));
    if (it == live.end()) return ValueClass::kInvalid;
    *id = it->second;
    return ValueClass::kLive;
  }
  // Closes one handle; returns the object id if that was its last handle.
  static uintptr_t Canonical(uintptr_t value) {
    return kTagBitsIgnored ? value & ~uintptr_t{3} : value;
  }
  int Unname(uintptr_t value) {
    value = Canonical(value);
    int id = live.at(value);
    live.erase(value);
    stale.push_back(value);
    return --objects[id].handles == 0 ? id : -1;
  }
  bool Open(int id) const { return id >= 0 && objects[id].handles > 0; }
};

// ---------------------------------------------------------------------------
// The run.

std::atomic<int> threads_running{0};

DWORD WINAPI ExitAtOnce(LPVOID parameter) {
  DWORD code = static_cast<DWORD>(reinterpret_cast<uintptr_t>(parameter));
  threads_running.fetch_sub(1);
  return code;
}

constexpr int kMaxSteps = 256;
constexpr int kMaxObjects = 48;
constexpr int kMaxThreads = 6;
constexpr size_t kPipeBytesMax = 2048;

class Run {
 public:
  Run(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  void Execute() {
    for (step_ = 0; step_ < kMaxSteps && offset_ < size_; ++step_) {
      const uint8_t op = Byte();
      a_ = Byte();
      b_ = Byte();
      c_ = Byte();
      Step(op);
      if (trace_)
        fprintf(stderr, "step %d: %s (%d live)\n", step_, step_name_,
                static_cast<int>(model_.live.size()));
    }
    Finish();
  }

 private:
  // --- input ---
  uint8_t Byte() { return offset_ < size_ ? data_[offset_++] : 0; }

  [[noreturn]] void Fail(const char* what, long long got, long long expected) {
    fprintf(stderr, "handle_table_fuzzer: step %d (%s): %s: got %lld, expected %lld\n", step_,
            step_name_, what, got, expected);
    abort();
  }
  void Expect(const char* what, long long got, long long expected) {
    if (got != expected) Fail(what, got, expected);
  }
  void ExpectError(DWORD expected) { Expect("GetLastError", GetLastError(), expected); }

  // A handle value to use, from argument byte `selector` and `extra`.
  uintptr_t PickValue(uint8_t selector, uint8_t extra) {
    std::vector<uintptr_t> values;
    for (auto& entry : model_.live) values.push_back(entry.first);
    switch (selector % 10) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
        if (!values.empty()) return values[extra % values.size()];
        return 0;
      case 5:
        if (!model_.stale.empty()) return model_.stale[extra % model_.stale.size()];
        return 0x40000000u | (uintptr_t{extra} << 2);
      case 6:
        return extra % 2 ? ~uintptr_t{0} : ~uintptr_t{0} - 1;  // process, thread pseudo
      case 7: {  // a live value with tag bits, or another generation
        if (values.empty()) return extra;
        uintptr_t value = values[(extra >> 2) % values.size()];
        if ((extra & 3) != 0) return value | (extra & 3);
        return value ^ (uintptr_t{1} << 22);
      }
      case 8: {  // never issued: an index far beyond any used, or beyond 2^31
        static const uintptr_t kOdd[] = {0,           4,           0x3ffffc,          0x7ffffffc,
                                         0x80000000u, 0xfffffffcu, uintptr_t{1} << 40};
        return kOdd[extra % (sizeof(kOdd) / sizeof(kOdd[0]))];
      }
      default: {  // arbitrary bits from the input
        uintptr_t value = extra;
        for (int i = 0; i < 3; ++i) value = (value << 8) | Byte();
        return value;
      }
    }
  }
  HANDLE Pick(uint8_t selector, uint8_t extra) {
    return reinterpret_cast<HANDLE>(PickValue(selector, extra));
  }
  static uintptr_t Value(HANDLE h) { return reinterpret_cast<uintptr_t>(h); }

  // The live object of kind `kind` a value names, or -1.
  int LiveOf(uintptr_t value, std::initializer_list<Kind> kinds) {
    int id = -1;
    if (model_.Classify(value, &id) != ValueClass::kLive) return -1;
    for (Kind kind : kinds) {
      if (model_.objects[id].kind == kind) return id;
    }
    return -1;
  }

  bool Room() const { return model_.live.size() < static_cast<size_t>(kMaxObjects); }

  OVERLAPPED* NewOverlapped() {
    overlappeds_.push_back(std::make_unique<OVERLAPPED>());
    memset(overlappeds_.back().get(), 0, sizeof(OVERLAPPED));
    return overlappeds_.back().get();
  }

  // --- steps ---
  void Step(uint8_t op) {
    switch (op % 20) {
      case 0:
        return CreateEventStep();
      case 1:
        return CreatePortStep();
      case 2:
        return CreateFileStep();
      case 3:
        return CreatePipeStep();
      case 4:
        return CreateSocketStep();
      case 5:
        return CreateThreadStep();
      case 6:
        return DuplicateStep();
      case 7:
      case 8:
        return CloseStep();
      case 9:
        return SetResetEventStep();
      case 10:
        return WaitStep();
      case 11:
        return PostStep();
      case 12:
        return DequeueStep();
      case 13:
        return AssociateStep();
      case 14:
        return WriteStep();
      case 15:
        return ReadStep();
      case 16:
        return FileTypeStep();
      case 17:
        return SocketStep();
      case 18:
        return ThreadStep();
      default:
        return AuditStep();
    }
  }

  void CreateEventStep() {
    step_name_ = "CreateEventA";
    if (!Room()) return;
    ModelObject event{Kind::kEvent};
    event.manual = a_ & 1;
    event.signaled = a_ & 2;
    HANDLE h = CreateEventA(nullptr, event.manual, event.signaled, nullptr);
    if (h == nullptr) Fail("CreateEventA returned NULL", 0, 1);
    model_.Name(Value(h), model_.Add(event));
  }

  void CreatePortStep() {
    step_name_ = "CreateIoCompletionPort(new)";
    if (!Room()) return;
    HANDLE h = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, a_, b_ % 4);
    if (h == nullptr) Fail("new port is NULL", 0, 1);
    model_.Name(Value(h), model_.Add(ModelObject{Kind::kPort}));
  }

  void CreateFileStep() {
    step_name_ = "CreateFileA";
    if (!Room()) return;
    ModelObject file{Kind::kFile};
    file.overlapped = a_ & 1;
    file.path = directory_ + "iocp-handle-fuzz-" + std::to_string(getpid()) + "-" +
                std::to_string(file_counter_++);
    HANDLE h =
        CreateFileA(file.path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                    FILE_ATTRIBUTE_NORMAL | (file.overlapped ? FILE_FLAG_OVERLAPPED : 0), nullptr);
    if (h == INVALID_HANDLE_VALUE) Fail("CreateFileA failed, error", GetLastError(), 0);
    paths_.push_back(file.path);
    const int id = model_.Add(file);
    model_.objects[id].fill = static_cast<uint8_t>(id + 1);
    model_.Name(Value(h), id);
  }

  void CreatePipeStep() {
    if (model_.live.size() + 2 > static_cast<size_t>(kMaxObjects)) return;
    if (a_ & 1) return CreateNamedPipeStep();
    step_name_ = "CreatePipe";
    HANDLE read_end = nullptr, write_end = nullptr;
    if (!CreatePipe(&read_end, &write_end, nullptr, 0)) Fail("CreatePipe", GetLastError(), 0);
    const int r = model_.Add(ModelObject{Kind::kPipeRead});
    const int w = model_.Add(ModelObject{Kind::kPipeWrite});
    model_.objects[r].peer = w;
    model_.objects[w].peer = r;
    model_.objects[w].fill = static_cast<uint8_t>(w + 1);
    model_.Name(Value(read_end), r);
    model_.Name(Value(write_end), w);
  }

  // A named-pipe instance and a client connected to it: the server end
  // synchronous (it carries bytes both ways) or overlapped (then only its
  // handle is used, not its I/O).
  void CreateNamedPipeStep() {
    step_name_ = "CreateNamedPipeA";
    const std::string name = "\\\\.\\pipe\\iocp-handle-fuzz-" + std::to_string(getpid()) + "-" +
                             std::to_string(file_counter_++);
    const bool overlapped = a_ & 2;
    HANDLE server = CreateNamedPipeA(
        name.c_str(), PIPE_ACCESS_DUPLEX | (overlapped ? FILE_FLAG_OVERLAPPED : 0),
        PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1, 4096, 4096, 0, nullptr);
    if (server == INVALID_HANDLE_VALUE) Fail("CreateNamedPipeA, error", GetLastError(), 0);
    step_name_ = "CreateFileA(pipe client)";
    HANDLE client = CreateFileA(name.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr,
                                OPEN_EXISTING, 0, nullptr);
    if (client == INVALID_HANDLE_VALUE) Fail("CreateFileA(pipe), error", GetLastError(), 0);
    step_name_ = "ConnectNamedPipe(client came first)";
    OVERLAPPED* connect = overlapped ? NewOverlapped() : nullptr;
    Expect("ConnectNamedPipe", ConnectNamedPipe(server, connect), FALSE);
    ExpectError(ERROR_PIPE_CONNECTED);
    const int s = model_.Add(ModelObject{Kind::kNamedPipe});
    const int c = model_.Add(ModelObject{Kind::kNamedPipe});
    model_.objects[s].peer = c;
    model_.objects[c].peer = s;
    model_.objects[s].overlapped = overlapped;
    model_.objects[s].fill = static_cast<uint8_t>(s + 1);
    model_.objects[c].fill = static_cast<uint8_t>(c + 1);
    model_.Name(Value(server), s);
    model_.Name(Value(client), c);
  }

  void CreateSocketStep() {
    step_name_ = "socket";
    if (!Room()) return;
    ModelObject socket_object{Kind::kSocket};
    socket_object.socket_type = a_ & 1 ? SOCK_DGRAM : SOCK_STREAM;
    socket_object.overlapped = true;  // socket() makes overlapped sockets
    SOCKET s = socket(AF_INET, socket_object.socket_type, 0);
    if (s == INVALID_SOCKET) Fail("socket failed, WSA error", WSAGetLastError(), 0);
    model_.Name(static_cast<uintptr_t>(s), model_.Add(socket_object));
  }

  void CreateThreadStep() {
    step_name_ = "CreateThread";
    if (!Room() || threads_created_ >= kMaxThreads) return;
    ++threads_created_;
    ModelObject thread{Kind::kThread};
    thread.exit_code = 1000 + static_cast<DWORD>(model_.objects.size());
    threads_running.fetch_add(1);
    DWORD id = 0;
    HANDLE h = CreateThread(nullptr, 0, ExitAtOnce,
                            reinterpret_cast<LPVOID>(uintptr_t{thread.exit_code}), 0, &id);
    if (h == nullptr) Fail("CreateThread returned NULL, error", GetLastError(), 0);
    if (id == 0) Fail("thread id", 0, 1);
    model_.Name(Value(h), model_.Add(thread));
  }

  void DuplicateStep() {
    step_name_ = "DuplicateHandle";
    const uintptr_t source = PickValue(a_, b_);
    const bool close_source = c_ & 1;
    const bool want_target = (c_ & 6) != 0;  // sometimes no target pointer
    int id = -1;
    const ValueClass cls = model_.Classify(source, &id);
    if ((cls == ValueClass::kLive || cls == ValueClass::kThreadPseudo) && want_target && !Room()) {
      return;
    }
    HANDLE target = reinterpret_cast<HANDLE>(uintptr_t{0x5a5a});
    BOOL ok = DuplicateHandle(GetCurrentProcess(), reinterpret_cast<HANDLE>(source),
                              GetCurrentProcess(), want_target ? &target : nullptr, 0, FALSE,
                              DUPLICATE_SAME_ACCESS | (close_source ? DUPLICATE_CLOSE_SOURCE : 0));
    switch (cls) {
      case ValueClass::kInvalid:
        Expect("DuplicateHandle(invalid)", ok, FALSE);
        ExpectError(ERROR_INVALID_HANDLE);
        Expect("target written", Value(target), 0x5a5a);
        return;
      case ValueClass::kProcessPseudo:
        // A real process handle is not provided here (docs/PORTING.md).
        Expect("DuplicateHandle(process pseudo)", ok, FALSE);
        ExpectError(ERROR_NOT_SUPPORTED);
        return;
      case ValueClass::kThreadPseudo:
        Expect("DuplicateHandle(thread pseudo)", ok, TRUE);
        if (want_target) {
          if (model_.live.count(Value(target))) Fail("duplicate reuses a live value", 0, 1);
          model_.Name(Value(target), model_.Add(ModelObject{Kind::kSelfThread}));
        }
        return;
      case ValueClass::kLive:
        Expect("DuplicateHandle(live)", ok, TRUE);
        if (want_target) {
          if (Value(target) == source || model_.live.count(Value(target))) {
            Fail("duplicate reuses a live value", static_cast<long long>(Value(target)), 0);
          }
          model_.Name(Value(target), id);
        }
        if (close_source) Closed(source);
        return;
    }
  }

  // The model's side of closing one handle.
  void Closed(uintptr_t value) {
    const int last = model_.Unname(value);
    if (last < 0) return;
    ModelObject& object = model_.objects[last];
    if (object.kind == Kind::kPort) object.queue.clear();  // unreachable from now on
  }

  void CloseStep() {
    const uintptr_t value = PickValue(a_, b_);
    int id = -1;
    const ValueClass cls = model_.Classify(value, &id);
    if (c_ & 1) {
      step_name_ = "closesocket";
      int rc = closesocket(static_cast<SOCKET>(value));
      if (cls == ValueClass::kLive && model_.objects[id].kind == Kind::kSocket) {
        Expect("closesocket(socket)", rc, 0);
        Closed(value);
      } else {
        Expect("closesocket(not a socket)", rc, SOCKET_ERROR);
        Expect("WSAGetLastError", WSAGetLastError(), WSAENOTSOCK);
      }
      return;
    }
    step_name_ = "CloseHandle";
    BOOL ok = CloseHandle(reinterpret_cast<HANDLE>(value));
    if (cls == ValueClass::kLive) {
      Expect("CloseHandle(live)", ok, TRUE);
      Closed(value);
    } else if (cls == ValueClass::kInvalid) {
      Expect("CloseHandle(invalid)", ok, FALSE);
      ExpectError(ERROR_INVALID_HANDLE);
    } else {
      Expect("CloseHandle(pseudo)", ok, TRUE);
    }
  }

  void SetResetEventStep() {
    const bool set = c_ & 1;
    step_name_ = set ? "SetEvent" : "ResetEvent";
    const uintptr_t value = PickValue(a_, b_);
    const int id = LiveOf(value, {Kind::kEvent});
    BOOL ok = set ? SetEvent(reinterpret_cast<HANDLE>(value))
                  : ResetEvent(reinterpret_cast<HANDLE>(value));
    if (id < 0) {
      Expect("result on a non-event", ok, FALSE);
      ExpectError(ERROR_INVALID_HANDLE);
      return;
    }
    Expect("result", ok, TRUE);
    model_.objects[id].signaled = set;
  }

  void WaitStep() {
    step_name_ = "WaitForSingleObject(h, 0)";
    const uintptr_t value = PickValue(a_, b_);
    int id = -1;
    const ValueClass cls = model_.Classify(value, &id);
    DWORD rc = WaitForSingleObject(reinterpret_cast<HANDLE>(value), 0);
    if (cls == ValueClass::kThreadPseudo) {
      Expect("wait on the running thread", rc, WAIT_TIMEOUT);
      return;
    }
    if (cls != ValueClass::kLive || model_.objects[id].kind == Kind::kPort) {
      // Invalid values; the process pseudo-handle and ports are not waitable
      // here (docs/PORTING.md, "Where we differ").
      Expect("wait result", rc, WAIT_FAILED);
      ExpectError(ERROR_INVALID_HANDLE);
      return;
    }
    ModelObject& object = model_.objects[id];
    switch (object.kind) {
      case Kind::kEvent:
        Expect("event wait", rc, object.signaled ? WAIT_OBJECT_0 : WAIT_TIMEOUT);
        if (!object.manual) object.signaled = false;
        return;
      case Kind::kSelfThread:
        Expect("wait on the running thread", rc, WAIT_TIMEOUT);
        return;
      case Kind::kThread:
        if (object.exited) Expect("wait on an exited thread", rc, WAIT_OBJECT_0);
        if (rc != WAIT_OBJECT_0 && rc != WAIT_TIMEOUT) Fail("thread wait", rc, WAIT_TIMEOUT);
        if (rc == WAIT_OBJECT_0) object.exited = true;
        return;
      default:  // files, pipes, sockets: signalled by I/O history
        if (rc != WAIT_OBJECT_0 && rc != WAIT_TIMEOUT) Fail("I/O handle wait", rc, WAIT_TIMEOUT);
        return;
    }
  }

  void PostStep() {
    step_name_ = "PostQueuedCompletionStatus";
    const uintptr_t value = PickValue(a_, b_);
    const int id = LiveOf(value, {Kind::kPort});
    const ULONG_PTR key = 0x10000 + ++packet_counter_;
    OVERLAPPED* overlapped = c_ & 1 ? NewOverlapped() : nullptr;
    const DWORD bytes = c_;
    BOOL ok = PostQueuedCompletionStatus(reinterpret_cast<HANDLE>(value), bytes, key, overlapped);
    if (id < 0) {
      Expect("post to a non-port", ok, FALSE);
      ExpectError(ERROR_INVALID_HANDLE);
      return;
    }
    Expect("post", ok, TRUE);
    model_.objects[id].queue.push_back(ModelPacket{bytes, key, overlapped, false});
  }

  void DequeueStep() {
    if (c_ & 1) return DequeueManyStep();
    step_name_ = "GetQueuedCompletionStatus(h, 0)";
    const uintptr_t value = PickValue(a_, b_);
    const int id = LiveOf(value, {Kind::kPort});
    DWORD bytes = 0xdead;
    ULONG_PTR key = 0xbeef;
    OVERLAPPED* overlapped = reinterpret_cast<OVERLAPPED*>(uintptr_t{0x1234});
    BOOL ok =
        GetQueuedCompletionStatus(reinterpret_cast<HANDLE>(value), &bytes, &key, &overlapped, 0);
    if (id < 0) {
      Expect("dequeue from a non-port", ok, FALSE);
      ExpectError(ERROR_INVALID_HANDLE);
      return;
    }
    Dequeued(id, ok, bytes, key, overlapped);
  }

  void DequeueManyStep() {
    step_name_ = "GetQueuedCompletionStatusEx(h, n, 0)";
    const uintptr_t value = PickValue(a_, b_);
    const int id = LiveOf(value, {Kind::kPort});
    OVERLAPPED_ENTRY entries[4];
    memset(entries, 0x5a, sizeof(entries));
    const ULONG count = 1 + (c_ >> 1) % 4;
    ULONG removed = 0x5a5a;
    BOOL ok = GetQueuedCompletionStatusEx(reinterpret_cast<HANDLE>(value), entries, count, &removed,
                                          0, FALSE);
    if (id < 0) {
      Expect("dequeue from a non-port", ok, FALSE);
      ExpectError(ERROR_INVALID_HANDLE);
      return;
    }
    if (!ok) {
      ExpectError(WAIT_TIMEOUT);
      // The same rules as GQCS's timeout (a trailing I/O packet is waited for).
      return Dequeued(id, FALSE, 0, 0, nullptr);
    }
    if (removed < 1 || removed > count) Fail("entries removed", removed, count);
    for (ULONG i = 0; i < removed; ++i) {
      Expect("entry Internal (status)", entries[i].Internal, 0);  // spec 20
      Dequeued(id, TRUE, entries[i].dwNumberOfBytesTransferred, entries[i].lpCompletionKey,
               entries[i].lpOverlapped);
    }
  }

  // Checks one GQCS(…, 0) result against port `id`'s model queue.
  void Dequeued(int id, BOOL ok, DWORD bytes, ULONG_PTR key, OVERLAPPED* overlapped) {
    std::deque<ModelPacket>& queue = model_.objects[id].queue;
    if (!ok && overlapped == nullptr) {
      ExpectError(WAIT_TIMEOUT);
      bool only_io = true;
      for (auto& packet : queue) only_io = only_io && packet.from_io;
      if (queue.empty()) return;
      if (!only_io)
        Fail("timeout with posted packets queued", static_cast<long long>(queue.size()), 0);
      // A completed I/O's packet may trail the wait that saw it complete:
      // give it a bounded moment.
      for (const auto& entry : model_.live) {
        if (entry.second != id) continue;
        ok = GetQueuedCompletionStatus(reinterpret_cast<HANDLE>(entry.first), &bytes, &key,
                                       &overlapped, 10000);
        break;
      }
      if (!ok) Fail("I/O packet never arrived", 0, 1);
    }
    Expect("dequeue result", ok, TRUE);
    // Posted packets come out in posting order; I/O packets may interleave.
    for (auto it = queue.begin(); it != queue.end(); ++it) {
      if (it->key == key && it->overlapped == overlapped) {
        Expect("bytes", bytes, it->bytes);
        if (!it->from_io) {
          for (auto earlier = queue.begin(); earlier != it; ++earlier) {
            if (!earlier->from_io)
              Fail("posted packet out of order", static_cast<long long>(key),
                   static_cast<long long>(earlier->key));
          }
        }
        queue.erase(it);
        return;
      }
    }
    Fail("dequeued a packet this port never got, key", static_cast<long long>(key), 0);
  }

  void AssociateStep() {
    step_name_ = "CreateIoCompletionPort(associate)";
    const uintptr_t value = PickValue(a_, b_);
    const uintptr_t port_value = c_ & 1 ? 0 : PickValue(c_ >> 1, Byte());
    const ULONG_PTR key = 0x20000 + ++packet_counter_;
    int id = -1;
    const ValueClass cls = model_.Classify(value, &id);
    if (port_value == 0 && !Room()) return;
    HANDLE result = CreateIoCompletionPort(reinterpret_cast<HANDLE>(value),
                                           reinterpret_cast<HANDLE>(port_value), key, 0);
    if (cls == ValueClass::kProcessPseudo) {  // INVALID_HANDLE_VALUE
      if (port_value != 0) {
        Expect("port made with a port given", Value(result), 0);
        ExpectError(ERROR_INVALID_PARAMETER);  // spec 6
      } else {
        if (result == nullptr) Fail("new port is NULL", 0, 1);
        model_.Name(Value(result), model_.Add(ModelObject{Kind::kPort}));
      }
      return;
    }
    if (cls != ValueClass::kLive) {
      Expect("associate an invalid handle", Value(result), 0);
      ExpectError(ERROR_INVALID_HANDLE);
      return;
    }
    ModelObject& object = model_.objects[id];
    const bool io = object.kind == Kind::kFile || object.kind == Kind::kSocket ||
                    object.kind == Kind::kPipeRead || object.kind == Kind::kPipeWrite ||
                    object.kind == Kind::kNamedPipe;
    if (!io) {
      Expect("associate a non-I/O handle", Value(result), 0);
      ExpectError(ERROR_INVALID_PARAMETER);
      return;
    }
    if (!object.overlapped) {
      Expect("associate a synchronous handle", Value(result), 0);
      ExpectError(ERROR_INVALID_PARAMETER);  // spec 5
      return;
    }
    int port = -1;
    if (port_value != 0) {
      port = LiveOf(port_value, {Kind::kPort});
      if (port < 0) {
        Expect("associate with a non-port", Value(result), 0);
        ExpectError(ERROR_INVALID_HANDLE);
        return;
      }
    }
    if (object.port >= 0) {
      Expect("second association", Value(result), 0);
      ExpectError(ERROR_INVALID_PARAMETER);  // spec 5: one port per handle, for life
      return;
    }
    if (port_value != 0) {
      Expect("associate returns the port", Value(result), port_value);
    } else {
      if (result == nullptr) Fail("associate with a new port", 0, 1);
      port = model_.Add(ModelObject{Kind::kPort});
      model_.Name(Value(result), port);
    }
    model_.objects[id].port = port;
    model_.objects[id].key = key;
  }

  void WriteStep() {
    step_name_ = "WriteFile";
    const uintptr_t value = PickValue(a_, b_);
    int id = -1;
    const ValueClass cls = model_.Classify(value, &id);
    const DWORD length = 1 + c_ % 64;
    // Sockets are file handles on Windows too, but an unconnected socket's
    // errors are not this fuzzer's business.
    if (cls == ValueClass::kLive &&
        (model_.objects[id].kind == Kind::kSocket || model_.objects[id].kind == Kind::kPipeRead)) {
      return;  // the wrong end of a pipe is ERROR_ACCESS_DENIED on Windows: not modelled
    }
    if (cls == ValueClass::kLive && model_.objects[id].kind == Kind::kNamedPipe &&
        (model_.objects[id].overlapped || !model_.Open(model_.objects[id].peer))) {
      return;  // an overlapped instance, or a closed peer: left to the pipe suite
    }
    const bool target = cls == ValueClass::kLive && (model_.objects[id].kind == Kind::kFile ||
                                                     model_.objects[id].kind == Kind::kPipeWrite ||
                                                     model_.objects[id].kind == Kind::kNamedPipe);
    if (target && model_.objects[id].kind != Kind::kFile) {
      ModelObject& pipe = model_.objects[id];
      if (model_.Open(pipe.peer) && model_.objects[pipe.peer].buffered + length > kPipeBytesMax) {
        return;  // would block
      }
    }
    const uint8_t fill = target ? model_.objects[id].fill : 0xee;
    uint8_t buffer[64];
    memset(buffer, fill, sizeof(buffer));
    DWORD written = 0xdead;
    const bool use_overlapped = target && model_.objects[id].overlapped;
    OVERLAPPED* overlapped = use_overlapped || (!target && (c_ & 0x80)) ? NewOverlapped() : nullptr;
    if (overlapped) overlapped->Internal = 0x77;
    BOOL ok = WriteFile(reinterpret_cast<HANDLE>(value), buffer, length,
                        overlapped ? nullptr : &written, overlapped);
    if (!target) {
      Expect("write to a non-writable handle", ok, FALSE);
      ExpectError(ERROR_INVALID_HANDLE);
      if (overlapped) Expect("OVERLAPPED touched by a failed call", overlapped->Internal, 0x77);
      return;
    }
    ModelObject& object = model_.objects[id];
    if (object.kind != Kind::kFile) {
      if (!model_.Open(object.peer)) {
        Expect("write to a pipe without reader", ok, FALSE);
        ExpectError(ERROR_NO_DATA);
        return;
      }
      Expect("pipe write", ok, TRUE);
      Expect("pipe bytes written", written, length);
      model_.objects[object.peer].buffered += length;
      return;
    }
    if (!use_overlapped) {
      Expect("file write", ok, TRUE);
      Expect("file bytes written", written, length);
      object.position += length;
      if (object.position > object.size) object.size = object.position;
      return;
    }
    Completed(id, ok, overlapped, length);
    if (length > object.size) object.size = length;
  }

  // An overlapped file request was issued: wait for it and expect its packet.
  void Completed(int id, BOOL ok, OVERLAPPED* overlapped, DWORD expected) {
    if (!ok) {
      ExpectError(ERROR_IO_PENDING);
    }
    DWORD transferred = 0;
    const uintptr_t handle = HandleOf(id);
    if (!GetOverlappedResult(reinterpret_cast<HANDLE>(handle), overlapped, &transferred, TRUE)) {
      Fail("GetOverlappedResult, error", GetLastError(), 0);
    }
    Expect("bytes transferred", transferred, expected);
    ModelObject& object = model_.objects[id];
    if (object.port >= 0) {
      model_.objects[object.port].queue.push_back(
          ModelPacket{expected, object.key, overlapped, true});
    }
  }

  uintptr_t HandleOf(int id) {
    for (auto& entry : model_.live) {
      if (entry.second == id) return entry.first;
    }
    abort();
  }

  void ReadStep() {
    step_name_ = "ReadFile";
    const uintptr_t value = PickValue(a_, b_);
    int id = -1;
    const ValueClass cls = model_.Classify(value, &id);
    const DWORD length = 1 + c_ % 64;
    if (cls == ValueClass::kLive &&
        (model_.objects[id].kind == Kind::kSocket || model_.objects[id].kind == Kind::kPipeWrite)) {
      return;
    }
    if (cls == ValueClass::kLive && model_.objects[id].kind == Kind::kNamedPipe &&
        (model_.objects[id].overlapped || !model_.Open(model_.objects[id].peer))) {
      return;
    }
    const bool target = cls == ValueClass::kLive && (model_.objects[id].kind == Kind::kFile ||
                                                     model_.objects[id].kind == Kind::kPipeRead ||
                                                     model_.objects[id].kind == Kind::kNamedPipe);
    if (target) {
      ModelObject& object = model_.objects[id];
      if (object.kind == Kind::kNamedPipe && object.buffered == 0) return;  // would block
      // Reads that would block, or whose end-of-file report Windows may give
      // either at once or through the packet, are left to the file suites.
      if (object.kind == Kind::kPipeRead && object.buffered == 0 && model_.Open(object.peer))
        return;
      if (object.kind == Kind::kFile && object.overlapped && object.size == 0) return;
    }
    uint8_t buffer[64];
    memset(buffer, 0, sizeof(buffer));
    DWORD read = 0xdead;
    const bool use_overlapped = target && model_.objects[id].overlapped;
    OVERLAPPED* overlapped = use_overlapped || (!target && (c_ & 0x80)) ? NewOverlapped() : nullptr;
    if (overlapped) overlapped->Internal = 0x77;
    BOOL ok = ReadFile(reinterpret_cast<HANDLE>(value), buffer, length,
                       overlapped ? nullptr : &read, overlapped);
    if (!target) {
      Expect("read from a non-readable handle", ok, FALSE);
      ExpectError(ERROR_INVALID_HANDLE);
      if (overlapped) Expect("OVERLAPPED touched by a failed call", overlapped->Internal, 0x77);
      return;
    }
    ModelObject& object = model_.objects[id];
    DWORD expected;
    uint8_t fill;
    if (object.kind != Kind::kFile) {
      if (object.buffered == 0) {
        Expect("read from a pipe without writer", ok, FALSE);
        ExpectError(ERROR_BROKEN_PIPE);
        return;
      }
      Expect("pipe read", ok, TRUE);
      expected = static_cast<DWORD>(object.buffered < length ? object.buffered : length);
      // A stream may return less than what is buffered, never more.
      if (read == 0 || read > expected) Fail("pipe bytes read", read, expected);
      expected = read;
      object.buffered -= read;
      fill = model_.objects[object.peer].fill;
    } else if (!use_overlapped) {
      Expect("file read", ok, TRUE);
      const uint64_t left = object.size > object.position ? object.size - object.position : 0;
      expected = static_cast<DWORD>(left < length ? left : length);
      Expect("file bytes read", read, expected);
      object.position += expected;
      fill = object.fill;
    } else {
      expected = static_cast<DWORD>(object.size < length ? object.size : length);
      Completed(id, ok, overlapped, expected);
      fill = object.fill;
    }
    for (DWORD i = 0; i < expected; ++i) {
      if (buffer[i] != fill) Fail("byte read from another object's data", buffer[i], fill);
    }
  }

  void FileTypeStep() {
    step_name_ = "GetFileType";
    const uintptr_t value = PickValue(a_, b_);
    int id = -1;
    const ValueClass cls = model_.Classify(value, &id);
    SetLastError(0x1234);
    DWORD type = GetFileType(reinterpret_cast<HANDLE>(value));
    DWORD expected = FILE_TYPE_UNKNOWN;
    if (cls == ValueClass::kLive) {
      switch (model_.objects[id].kind) {
        case Kind::kFile:
          expected = FILE_TYPE_DISK;
          break;
        case Kind::kPipeRead:
        case Kind::kPipeWrite:
        case Kind::kNamedPipe:
        case Kind::kSocket:
          expected = FILE_TYPE_PIPE;
          break;
        default:
          break;
      }
    }
    Expect("file type", type, expected);
    ExpectError(expected == FILE_TYPE_UNKNOWN ? ERROR_INVALID_HANDLE : NO_ERROR);
  }

  void SocketStep() {
    step_name_ = "getsockopt(SO_TYPE)";
    const uintptr_t value = PickValue(a_, b_);
    const int id = LiveOf(value, {Kind::kSocket});
    int type = -1;
    int length = sizeof(type);
    int rc = getsockopt(static_cast<SOCKET>(value), SOL_SOCKET, SO_TYPE,
                        reinterpret_cast<char*>(&type), &length);
    if (id < 0) {
      Expect("getsockopt on a non-socket", rc, SOCKET_ERROR);
      Expect("WSAGetLastError", WSAGetLastError(), WSAENOTSOCK);
      return;
    }
    Expect("getsockopt", rc, 0);
    Expect("socket type (identity)", type, model_.objects[id].socket_type);
  }

  void ThreadStep() {
    const uintptr_t value = PickValue(a_, b_);
    const int id = LiveOf(value, {Kind::kThread, Kind::kSelfThread});
    if (c_ & 1) {
      step_name_ = "GetExitCodeThread";
      DWORD code = 0xdead;
      BOOL ok = GetExitCodeThread(reinterpret_cast<HANDLE>(value), &code);
      int pseudo = -1;
      if (model_.Classify(value, &pseudo) == ValueClass::kThreadPseudo) {
        Expect("own exit code", ok, TRUE);
        Expect("own exit code", code, STILL_ACTIVE);
        return;
      }
      if (id < 0) {
        Expect("exit code of a non-thread", ok, FALSE);
        ExpectError(ERROR_INVALID_HANDLE);
        return;
      }
      Expect("GetExitCodeThread", ok, TRUE);
      ModelObject& thread = model_.objects[id];
      if (thread.kind == Kind::kSelfThread) {
        Expect("own exit code", code, STILL_ACTIVE);
      } else if (thread.exited) {
        Expect("exit code (identity)", code, thread.exit_code);
      } else if (code != STILL_ACTIVE && code != thread.exit_code) {
        Fail("exit code (identity)", code, thread.exit_code);
      }
      return;
    }
    step_name_ = "WaitForSingleObject(thread, INFINITE)";
    if (id < 0 || model_.objects[id].kind != Kind::kThread) return;
    Expect("join", WaitForSingleObject(reinterpret_cast<HANDLE>(value), INFINITE), WAIT_OBJECT_0);
    model_.objects[id].exited = true;
  }

  // Every live event's state, and every port's packets, as the model says.
  void AuditStep() {
    step_name_ = "audit";
    std::map<int, uintptr_t> seen;
    for (auto& entry : model_.live) seen.emplace(entry.second, entry.first);
    for (auto& [id, value] : seen) {
      ModelObject& object = model_.objects[id];
      if (object.kind == Kind::kEvent) {
        Expect("event state", WaitForSingleObject(reinterpret_cast<HANDLE>(value), 0),
               object.signaled ? WAIT_OBJECT_0 : WAIT_TIMEOUT);
        if (!object.manual) object.signaled = false;
      } else if (object.kind == Kind::kPort && (a_ & 1)) {
        DrainPort(id, value);
      }
    }
  }

  void DrainPort(int id, uintptr_t value) {
    for (;;) {
      DWORD bytes = 0;
      ULONG_PTR key = 0;
      OVERLAPPED* overlapped = nullptr;
      BOOL ok =
          GetQueuedCompletionStatus(reinterpret_cast<HANDLE>(value), &bytes, &key, &overlapped, 0);
      const bool empty = model_.objects[id].queue.empty();
      Dequeued(id, ok, bytes, key, overlapped);
      if (empty) return;
    }
  }

  void Finish() {
    step_name_ = "finish";
    AuditStepAll();
    while (!model_.live.empty()) {
      auto entry = *model_.live.begin();
      const bool socket = model_.objects[entry.second].kind == Kind::kSocket;
      if (socket) {
        Expect("closesocket at the end", closesocket(static_cast<SOCKET>(entry.first)), 0);
      } else {
        Expect("CloseHandle at the end", CloseHandle(reinterpret_cast<HANDLE>(entry.first)), TRUE);
      }
      Closed(entry.first);
    }
    for (uintptr_t value : model_.stale) {
      Expect("CloseHandle(closed) at the end", CloseHandle(reinterpret_cast<HANDLE>(value)), FALSE);
    }
    Expect("live handles left in the table", winapi::HandleTable::Get().live_handles(), 0);
    while (threads_running.load() != 0) sched_yield();
    for (const std::string& path : paths_) {
      if (!DeleteFileA(path.c_str())) Fail("DeleteFileA, error", GetLastError(), 0);
    }
  }

  void AuditStepAll() {
    a_ = 1;
    AuditStep();
    step_name_ = "finish";
  }

 public:
  static std::string TempDirectory() {
    char path[MAX_PATH];
    DWORD length = GetTempPathA(sizeof(path), path);
    if (length == 0 || length >= sizeof(path)) abort();
    return std::string(path, length);
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t offset_ = 0;
  int step_ = 0;
  const char* step_name_ = "";
  uint8_t a_ = 0, b_ = 0, c_ = 0;
  Model model_;
  std::vector<std::unique_ptr<OVERLAPPED>> overlappeds_;  // outlive every packet
  std::vector<std::string> paths_;
  std::string directory_ = TempDirectory();
  int file_counter_ = 0;
  int threads_created_ = 0;
  uint64_t packet_counter_ = 0;
  // HANDLE_FUZZ_TRACE=1: print each step (to read what an input does).
  const bool trace_ = getenv("HANDLE_FUZZ_TRACE") != nullptr;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool started = [] {
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) abort();
    return true;
  }();
  (void)started;
  if (winapi::HandleTable::Get().live_handles() != 0) {
    fprintf(stderr, "handle_table_fuzzer: handles live before the run\n");
    abort();
  }
  Run run(data, size);
  run.Execute();
  return 0;
}
