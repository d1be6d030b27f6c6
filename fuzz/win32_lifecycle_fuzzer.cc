// win32_lifecycle_fuzzer: operation lifecycles through the public Win32 API,
// over the simulated kernel. The input is a program of steps: overlapped
// receives, sends, file reads and writes, posted packets, dequeues (one at a
// time and in batches), CancelIo/CancelIoEx, closing handles, stale-handle
// use and virtual time passing. Beside the library runs a reference model
// written from Windows' rules (../shared/spec/iocp-semantics.md), not from
// the implementation: which handles are open, which port and key each is
// associated with, and which requests are outstanding. After every step the
// call's return value and last error must be one Windows allows for that
// state, and every dequeued packet must match the model:
//   - every request completes exactly once (none lost, none duplicated);
//   - on the port its handle is associated with, with that handle's key;
//   - with a status Windows can give for the request (and its byte count
//     within what was asked; a stream send complete or failed);
//   - posted packets come back exactly as posted, on the port posted to;
//   - nothing writes an OVERLAPPED after its packet was dequeued: each
//     request's OVERLAPPED is its own heap block, freed at dequeue, so ASan
//     catches a late write.
// The simulation's faults (short transfers, slow and reordered
// completions, cancels racing their targets) are on; the input picks
// virtual-time steps. At the end every handle is closed and the ports are
// drained: whatever is still outstanding then was lost.
#include <mswsock.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include <map>
#include <string>
#include <vector>

#include "fuzz/fake_clock.h"
#include "fuzz/fuzz_input.h"

namespace {

using Input = FuzzInput;

[[noreturn]] void Violation(const std::string& what) {
  fprintf(stderr, "win32_lifecycle_fuzzer: %s\n", what.c_str());
  abort();
}

void Expect(bool condition, const std::string& what) {
  if (!condition) Violation(what);
}

enum class Kind { kSocket, kFile, kPipe };
enum class RequestKind { kReceive, kSend, kRead, kWrite, kPost };

constexpr int kPorts = 2;
constexpr uint32_t kBufferSize = 256;

// A request the model expects back: its OVERLAPPED is the first member, so
// the packet's pointer finds it.
struct Request {
  OVERLAPPED overlapped;
  uint64_t id;
  RequestKind kind;
  int handle_index;  // -1 for a posted packet
  int port;          // where the packet must arrive
  ULONG_PTR key;
  uint32_t length;  // bytes asked for (or posted)
  char buffer[kBufferSize];
};

// A handle as the model sees it.
struct Handle {
  Kind kind;
  HANDLE value;  // a SOCKET is stored as a HANDLE too
  bool open;
  int port;       // associated at creation
  ULONG_PTR key;  // its completion key
  uint64_t file_size_hint;
};

class Run {
 public:
  explicit Run(Input& input) : input_(input) {}

  void Execute() {
    for (int p = 0; p < kPorts; ++p) {
      ports_[p] = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
      Expect(ports_[p] != nullptr, "CreateIoCompletionPort failed");
      port_open_[p] = true;
    }
    MakeSocketPair();
    MakeFile();
    MakePipePair();
    for (int steps = 0; steps < 200 && !input_.empty(); ++steps) Step();
    Finish();
  }

 private:
  // --- The world ---

  int AddHandle(Kind kind, HANDLE value) {
    Handle handle{kind, value, true, static_cast<int>(input_.Below(kPorts)), 0, 0};
    handle.key = 0x1000 + handles_.size();
    HANDLE port = CreateIoCompletionPort(value, ports_[handle.port], handle.key, 0);
    Expect(port == ports_[handle.port], "association returns the port given (spec 2)");
    handles_.push_back(handle);
    return static_cast<int>(handles_.size()) - 1;
  }

  void MakeSocketPair() {
    SOCKET listener =
        WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    Expect(listener != INVALID_SOCKET, "socket");
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int length = sizeof(address);
    Expect(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0, "bind");
    Expect(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0, "name");
    Expect(listen(listener, 4) == 0, "listen");
    SOCKET client = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    Expect(connect(client, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0, "connect");
    SOCKET server = accept(listener, nullptr, nullptr);
    Expect(server != INVALID_SOCKET, "accept");
    closesocket(listener);
    AddHandle(Kind::kSocket, reinterpret_cast<HANDLE>(client));
    AddHandle(Kind::kSocket, reinterpret_cast<HANDLE>(server));
  }

  void MakeFile() {
    static int counter = 0;
    const std::string path = "/tmp/win32_lifecycle_fuzzer." + std::to_string(++counter);
    HANDLE file = CreateFileA(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                              FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, nullptr);
    Expect(file != INVALID_HANDLE_VALUE, "CreateFileA");
    AddHandle(Kind::kFile, file);
  }

  void MakePipePair() {
    static int counter = 0;
    const std::string name = "\\\\.\\pipe\\win32-lifecycle-fuzzer-" + std::to_string(++counter);
    HANDLE server = CreateNamedPipeA(name.c_str(), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                                     PIPE_TYPE_BYTE, 1, 0, 0, 0, nullptr);
    Expect(server != INVALID_HANDLE_VALUE, "CreateNamedPipeA");
    HANDLE client = CreateFileA(name.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr,
                                OPEN_EXISTING, FILE_FLAG_OVERLAPPED, nullptr);
    Expect(client != INVALID_HANDLE_VALUE, "pipe CreateFileA");
    OVERLAPPED ov = {};
    Expect(!ConnectNamedPipe(server, &ov) && GetLastError() == ERROR_PIPE_CONNECTED,
           "a client that came first gives ERROR_PIPE_CONNECTED");
    AddHandle(Kind::kPipe, server);
    AddHandle(Kind::kPipe, client);
  }

  Request* NewRequest(RequestKind kind, int handle_index, int port, ULONG_PTR key,
                      uint32_t length) {
    // Its own heap block: freed when its packet is dequeued, so a late write
    // by the library is a use-after-free ASan reports.
    auto* request = static_cast<Request*>(calloc(1, sizeof(Request)));
    request->id = ++next_id_;
    request->kind = kind;
    request->handle_index = handle_index;
    request->port = port;
    request->key = key;
    request->length = length;
    memset(request->buffer, static_cast<int>('a' + request->id % 26), kBufferSize);
    outstanding_[&request->overlapped] = request;
    return request;
  }

  void Forget(Request* request) {
    outstanding_.erase(&request->overlapped);
    free(request);
  }

  // --- Steps ---

  void Step() {
    const int handle_index = static_cast<int>(input_.Below(static_cast<uint32_t>(handles_.size())));
    switch (input_.Below(9)) {
      case 0:
      case 1:
        Transfer(handle_index, /*read=*/true);
        break;
      case 2:
        Transfer(handle_index, /*read=*/false);
        break;
      case 3:
        Post();
        break;
      case 4:
      case 5:
        Dequeue(static_cast<int>(input_.Below(kPorts)), input_.Below(2) == 0);
        break;
      case 6:
        Cancel(handle_index);
        break;
      case 7:
        if (input_.Below(4) == 0) Close(handle_index);
        break;
      case 8:
        // Time passes in the simulation (completions fall due).
        AdvanceFakeTime(1000 * (1 + input_.Below(50)));
        break;
    }
  }

  void Transfer(int index, bool read) {
    Handle& handle = handles_[index];
    const uint32_t length = 1 + input_.Below(kBufferSize);
    RequestKind kind = handle.kind == Kind::kSocket
                           ? (read ? RequestKind::kReceive : RequestKind::kSend)
                           : (read ? RequestKind::kRead : RequestKind::kWrite);
    Request* request = NewRequest(kind, index, handle.port, handle.key, length);
    if (handle.kind == Kind::kFile) {
      const uint32_t offset = input_.Below(4) * 64;
      request->overlapped.Offset = offset;
    }
    bool pending;
    DWORD error;
    if (handle.kind == Kind::kSocket) {
      WSABUF buffer = {length, request->buffer};
      DWORD flags = 0;
      const SOCKET socket = reinterpret_cast<SOCKET>(handle.value);
      const int rc =
          read ? WSARecv(socket, &buffer, 1, nullptr, &flags, &request->overlapped, nullptr)
               : WSASend(socket, &buffer, 1, nullptr, 0, &request->overlapped, nullptr);
      error = rc == 0 ? 0 : static_cast<DWORD>(WSAGetLastError());
      pending = rc == 0 || error == WSA_IO_PENDING;  // success at once still queues a packet
      if (!handle.open) {
        Expect(rc == SOCKET_ERROR && error == WSAENOTSOCK,
               "a closed socket gives WSAENOTSOCK, got " + std::to_string(error));
      }
    } else {
      const BOOL ok =
          read ? ReadFile(handle.value, request->buffer, length, nullptr, &request->overlapped)
               : WriteFile(handle.value, request->buffer, length, nullptr, &request->overlapped);
      error = ok ? 0 : GetLastError();
      pending = ok || error == ERROR_IO_PENDING;
      if (!handle.open) {
        Expect(!ok && error == ERROR_INVALID_HANDLE,
               "a closed handle gives ERROR_INVALID_HANDLE, got " + std::to_string(error));
      }
    }
    if (!pending) {
      // Refused at once: no packet may come (spec 19), and the OVERLAPPED
      // must not be pending.
      Expect(request->overlapped.Internal != STATUS_PENDING,
             "a refused request left its OVERLAPPED pending");
      Forget(request);
      return;
    }
    Expect(handle.open, "a request on a closed handle was accepted");
  }

  void Post() {
    const int port = static_cast<int>(input_.Below(kPorts));
    const ULONG_PTR key = 0x9000 + input_.Below(16);
    const uint32_t bytes = input_.Below(1000);
    Request* request = NewRequest(RequestKind::kPost, -1, port, key, bytes);
    const BOOL ok = PostQueuedCompletionStatus(ports_[port], bytes, key, &request->overlapped);
    if (!port_open_[port]) {
      Expect(!ok && GetLastError() == ERROR_INVALID_HANDLE, "posting to a closed port");
      Forget(request);
      return;
    }
    Expect(ok, "PostQueuedCompletionStatus failed");
  }

  // Checks one packet from `port` against the model and retires its request.
  void Retire(int port, BOOL ok, DWORD error, DWORD bytes, ULONG_PTR key, OVERLAPPED* overlapped) {
    auto found = outstanding_.find(overlapped);
    if (found == outstanding_.end()) {
      Violation("a packet for an OVERLAPPED that is not outstanding (duplicate or unknown), key " +
                std::to_string(key));
    }
    Request* request = found->second;
    const std::string what = "request " + std::to_string(request->id);
    Expect(request->port == port, what + " came to the wrong port");
    Expect(request->key == key, what + " came with the wrong key");
    Expect(overlapped->Internal != STATUS_PENDING, what + " dequeued while still pending");
    if (request->kind == RequestKind::kPost) {
      Expect(ok && bytes == request->length, what + ": a posted packet comes back as posted");
      Forget(request);
      return;
    }
    Expect(overlapped->InternalHigh == bytes, what + ": InternalHigh differs from the packet");
    if (ok) {
      Expect(bytes <= request->length, what + " moved more bytes than asked");
      if (request->kind == RequestKind::kSend || request->kind == RequestKind::kWrite) {
        Expect(bytes == request->length, what + ": a write or stream send completes whole");
      }
    } else {
      // Statuses Windows gives a request that fails: cancelled or closed
      // (995), aborted by close (1236), reset or broken (64, 109), end of
      // file (38), a pipe closing (232).
      static const DWORD kAllowed[] = {ERROR_OPERATION_ABORTED, ERROR_CONNECTION_ABORTED,
                                       ERROR_NETNAME_DELETED,   ERROR_BROKEN_PIPE,
                                       ERROR_HANDLE_EOF,        ERROR_NO_DATA};
      bool allowed = false;
      for (DWORD code : kAllowed) allowed = allowed || code == error;
      Expect(allowed, what + " failed with " + std::to_string(error));
      if (error == ERROR_HANDLE_EOF) {
        Expect(request->kind == RequestKind::kRead, what + ": only a file read meets the end");
      }
    }
    Forget(request);
  }

  void Dequeue(int port, bool batch) {
    if (batch) {
      OVERLAPPED_ENTRY entries[8];
      ULONG count = 0;
      const BOOL ok = GetQueuedCompletionStatusEx(ports_[port], entries, 8, &count, 1, FALSE);
      if (!port_open_[port]) {
        Expect(!ok && GetLastError() == ERROR_INVALID_HANDLE, "GQCSEx on a closed port");
        return;
      }
      if (!ok) {
        Expect(GetLastError() == WAIT_TIMEOUT,
               "GQCSEx failed with " + std::to_string(GetLastError()));
        return;
      }
      Expect(count >= 1 && count <= 8, "GQCSEx returned a bad count");
      for (ULONG i = 0; i < count; ++i) {
        // GQCSEx reports each status in Internal (spec 16).
        const NTSTATUS status = static_cast<NTSTATUS>(entries[i].Internal);
        const BOOL entry_ok = status >= 0;
        Retire(port, entry_ok, entry_ok ? 0 : StatusError(entries[i].lpOverlapped),
               entries[i].dwNumberOfBytesTransferred, entries[i].lpCompletionKey,
               entries[i].lpOverlapped);
      }
      return;
    }
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED* overlapped = nullptr;
    const BOOL ok = GetQueuedCompletionStatus(ports_[port], &bytes, &key, &overlapped, 1);
    const DWORD error = ok ? 0 : GetLastError();
    if (!port_open_[port]) {
      Expect(!ok && error == ERROR_INVALID_HANDLE && overlapped == nullptr,
             "GQCS on a closed port");
      return;
    }
    if (overlapped == nullptr) {
      Expect(!ok && error == WAIT_TIMEOUT,
             "GQCS without a packet must time out, got " + std::to_string(error));
      return;
    }
    Retire(port, ok, error, bytes, key, overlapped);
  }

  // The Win32 error of a failed GQCSEx entry, from its NTSTATUS (the
  // spec's error table, for the statuses the model allows).
  static DWORD StatusError(OVERLAPPED* overlapped) {
    switch (static_cast<uint32_t>(overlapped->Internal)) {
      case 0xC0000120u:  // STATUS_CANCELLED
        return ERROR_OPERATION_ABORTED;
      case 0xC0000241u:  // STATUS_CONNECTION_ABORTED
        return ERROR_CONNECTION_ABORTED;
      case 0xC000020Du:  // STATUS_CONNECTION_RESET
      case 0xC000013Bu:  // STATUS_LOCAL_DISCONNECT
      case 0xC000013Cu:  // STATUS_REMOTE_DISCONNECT
        return ERROR_NETNAME_DELETED;
      case 0xC000014Bu:  // STATUS_PIPE_BROKEN
        return ERROR_BROKEN_PIPE;
      case 0xC0000011u:  // STATUS_END_OF_FILE
        return ERROR_HANDLE_EOF;
      case 0xC00000B1u:  // STATUS_PIPE_CLOSING
        return ERROR_NO_DATA;
      default:
        return 0xFFFFFFFFu;  // not a status the model allows
    }
  }

  void Cancel(int index) {
    Handle& handle = handles_[index];
    OVERLAPPED* target = nullptr;
    if (input_.Below(2) == 0) {
      // One of this handle's outstanding requests, if any.
      for (auto& entry : outstanding_) {
        if (entry.second->handle_index == index) {
          target = entry.first;
          break;
        }
      }
    }
    const BOOL ok = CancelIoEx(handle.value, target);
    const DWORD error = ok ? 0 : GetLastError();
    if (!handle.open) {
      Expect(!ok && error == ERROR_INVALID_HANDLE, "CancelIoEx on a closed handle");
      return;
    }
    // Found something, or nothing left in flight (it may have completed in
    // the kernel with its packet not dequeued yet: spec 33).
    Expect(ok || error == ERROR_NOT_FOUND, "CancelIoEx failed with " + std::to_string(error));
    if (ok) {
      // Something was in flight: the model must have had it outstanding.
      bool any = false;
      for (auto& entry : outstanding_) any = any || entry.second->handle_index == index;
      Expect(any, "CancelIoEx found a request the model never issued");
    }
  }

  void Close(int index) {
    Handle& handle = handles_[index];
    BOOL ok;
    DWORD error;
    if (handle.kind == Kind::kSocket) {
      const int rc = closesocket(reinterpret_cast<SOCKET>(handle.value));
      ok = rc == 0;
      error = ok ? 0 : static_cast<DWORD>(WSAGetLastError());
      if (!handle.open) {
        Expect(!ok && error == WSAENOTSOCK, "closing a closed socket gives WSAENOTSOCK");
        return;
      }
    } else {
      ok = CloseHandle(handle.value);
      error = ok ? 0 : GetLastError();
      if (!handle.open) {
        Expect(!ok && error == ERROR_INVALID_HANDLE, "closing a closed handle gives 6");
        return;
      }
    }
    Expect(ok, "closing an open handle failed");
    handle.open = false;
  }

  // --- The end: close everything, drain, and nothing may be missing ---

  void Finish() {
    for (size_t i = 0; i < handles_.size(); ++i) {
      if (handles_[i].open) Close(static_cast<int>(i));
    }
    for (int round = 0; round < 2000 && !outstanding_.empty(); ++round) {
      for (int p = 0; p < kPorts; ++p) {
        if (port_open_[p]) Dequeue(p, round % 2 == 0);
      }
      AdvanceFakeTime(100000);
    }
    if (!outstanding_.empty()) {
      Request* lost = outstanding_.begin()->second;
      Violation("request " + std::to_string(lost->id) + " never completed (" +
                std::to_string(outstanding_.size()) + " lost)");
    }
    for (int p = 0; p < kPorts; ++p) {
      if (port_open_[p]) CloseHandle(ports_[p]);
    }
  }

  Input& input_;
  HANDLE ports_[kPorts] = {};
  bool port_open_[kPorts] = {};
  std::vector<Handle> handles_;
  std::map<OVERLAPPED*, Request*> outstanding_;
  uint64_t next_id_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The simulation's faults, unless the caller chose others; read when the
  // simulated kernel is first used.
  setenv("IOCP_FAKE_FAULTS", "partial=0.2,slow=0.05,cancel_race=0.3,delay=6", 0);
  WSADATA data;
  if (WSAStartup(MAKEWORD(2, 2), &data) != 0) abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static bool initialised = [] {
    int argc = 0;
    char** argv = nullptr;
    return LLVMFuzzerInitialize(&argc, &argv) == 0;
  }();
  (void)initialised;
  Input input(data, size);
  Run run(input);
  run.Execute();
  return 0;
}
