// Pipes: CreatePipe's anonymous pipes and named pipes (CreateNamedPipeA,
// ConnectNamedPipe, CreateFile on \\.\pipe\ names), over Unix stream
// sockets.
//
// Why sockets and not pipe(2): a Windows pipe end reports its peer's close
// as ERROR_BROKEN_PIPE / ERROR_NO_DATA, never as a signal; a socket written
// with MSG_NOSIGNAL does the same, where a Linux pipe raises SIGPIPE. Named
// pipes need many server instances sharing one name and a connect that
// finds a free instance: a listening socket with an abstract address
// ("\0iocp-pipe:<lower-case name>") is exactly that, and other processes
// using the library can connect to it too.
//
// A server instance starts without a connection; ConnectNamedPipe accepts
// one from the name's shared listener (an accept on the ring when it must
// wait) and the instance adopts the accepted socket. DisconnectNamedPipe
// drops it and the instance listens again.
#ifndef IOCP_WINAPI_PIPE_H_
#define IOCP_WINAPI_PIPE_H_

#include <stdint.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "winapi/io.h"

namespace winapi {

struct PipeName;  // the shared state of one named pipe's instances

class PipeObject final : public IoObject {
 public:
  // An end of a connection (`fd` >= 0), or a named pipe's server instance
  // still waiting for a client (fd -1, `name` set).
  PipeObject(int fd, bool overlapped, bool readable, bool writable,
             std::shared_ptr<PipeName> name = nullptr);
  ~PipeObject() override;

  bool is_server() const { return name_ != nullptr; }

  // The Win32 error a ReadFile (`read`) or WriteFile must fail with before
  // it starts, or 0: the wrong direction, or no client yet / any more.
  uint32_t TransferError(bool read) const;

  // ConnectNamedPipe: 0 with *started when `op` (an accept) was started to
  // wait for a client; otherwise a Win32 error, ERROR_PIPE_CONNECTED when a
  // client was already there (it is now connected; nothing started).
  uint32_t Connect(IoOperation* op, bool* started);
  // DisconnectNamedPipe: drops the client, ends pending requests, listens
  // again. False if this is not a server instance.
  bool Disconnect();

  uint32_t CompleteOperation(IoOperation* op, int32_t result, uint32_t* bytes) override;

 private:
  enum class PipeState : uint8_t { kListening, kConnected, kDisconnected };

  void Adopt(int fd);
  void CloseRetiredFds();

  const bool readable_;
  const bool writable_;
  const std::shared_ptr<PipeName> name_;  // null for clients and anonymous pipes
  // A server instance's state: written under the registry's mutex (the
  // completion of an accept may write it on another thread), read without
  // it by the instance's calls.
  std::atomic<PipeState> state_;
  std::atomic<bool> connecting_{false};  // a ConnectNamedPipe is pending
  std::vector<int> retired_fds_;         // dropped clients, closed when idle
};

// CreateNamedPipeA's checks and registration: the new server instance with
// a reference, or null with *error set.
PipeObject* CreateNamedPipeInstance(const char* name, uint32_t open_mode, uint32_t pipe_mode,
                                    uint32_t max_instances, uint32_t default_timeout_ms,
                                    uint32_t* error);

// CreateFileA on a pipe name: a connected client end, or null with *error.
PipeObject* ConnectToNamedPipe(const char* name, uint32_t access, uint32_t flags, uint32_t* error);

// WaitNamedPipeA: a Win32 error, or 0 once an instance of `name` listens.
uint32_t WaitForNamedPipe(const char* name, uint32_t timeout_ms);

// CreatePipe: two connected ends (read, write), each with a reference.
uint32_t CreateAnonymousPipe(PipeObject** read_end, PipeObject** write_end);

// True for "\\.\pipe\..." in any letter case, with '/' or '\'.
bool IsPipeName(const char* name);

}  // namespace winapi

#endif  // IOCP_WINAPI_PIPE_H_
