// The things descriptors refer to in the simulated world: stream and
// datagram sockets, pipe ends and open regular files.
#ifndef IOCP_RING_FAKE_OBJECTS_H_
#define IOCP_RING_FAKE_OBJECTS_H_

#include <stddef.h>
#include <stdint.h>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "ring/fake/buffers.h"
#include "ring/fake/socket_address.h"

namespace ring::fake_internal {

enum class ObjectKind : uint8_t { kSocket, kPipeReader, kPipeWriter, kFile };

// Reference counted like a kernel struct file: each descriptor and each
// in-flight request that resolved a descriptor holds one reference, and so
// does a listener's accept queue for the connections in it. When the last
// reference goes the object is released (a socket sends FIN or RST) - which
// is why closing a descriptor with a request still in flight on it does not
// end the connection, exactly as on io_uring.
struct Object {
  explicit Object(ObjectKind object_kind) : kind(object_kind) {}
  virtual ~Object() = default;
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  const ObjectKind kind;
  int refs = 0;
  // O_NONBLOCK is recorded only: System calls never block in the fake, and
  // io_uring ignores it for pollable files (it arms a poll instead).
  bool nonblocking = false;
};

struct Pipe {
  static constexpr size_t kCapacity = 65536;  // 16 pages, the Linux default
  static constexpr size_t kAtomicWrite = 4096;  // PIPE_BUF
  ByteQueue bytes;
  int readers = 0;
  int writers = 0;
};

struct PipeEnd final : Object {
  PipeEnd(ObjectKind end, std::shared_ptr<Pipe> shared) : Object(end), pipe(std::move(shared)) {}
  std::shared_ptr<Pipe> pipe;
};

struct SocketObject;

// A name in the simulated filesystem: a regular file's contents, or the
// node an AF_UNIX bind creates.
struct Inode {
  enum class Type : uint8_t { kRegular, kSocket };
  explicit Inode(Type inode_type) : type(inode_type) {}
  Type type;
  std::string data;          // kRegular
  SocketObject* socket = nullptr;  // kSocket: the bound socket, null once it is closed
};

struct OpenFile final : Object {
  OpenFile() : Object(ObjectKind::kFile) {}
  std::shared_ptr<Inode> inode;
  uint64_t position = 0;
  bool readable = false;
  bool writable = false;
  bool append = false;
};

// States as the kernel's sk_state groups them for the checks that matter.
enum class SocketState : uint8_t {
  kUnconnected,  // fresh or bound (TCP_CLOSE, never connected)
  kListening,
  kConnected,  // stream: established (also after the peer's FIN); datagram: has a default peer
  kClosed,     // TCP after a reset: TCP_CLOSE with the connection gone
};

struct Datagram {
  std::string bytes;
  SocketAddress source;
};

struct SocketObject final : Object {
  SocketObject(int socket_family, int socket_type, int socket_protocol)
      : Object(ObjectKind::kSocket),
        family(socket_family),
        type(socket_type),
        protocol(socket_protocol) {}

  bool IsStream() const { return type == SOCK_STREAM; }
  bool IsUnix() const { return family == AF_UNIX; }
  bool IsTcp() const { return IsStream() && !IsUnix(); }

  const int family;
  const int type;  // SOCK_STREAM or SOCK_DGRAM
  const int protocol;
  SocketState state = SocketState::kUnconnected;
  std::optional<SocketAddress> local;  // set once bound
  SocketAddress remote;                // meaningful when connected
  int error = 0;                       // pending sk_err (positive errno), read once
  bool read_shutdown = false;          // sk_shutdown & RCV_SHUTDOWN
  bool write_shutdown = false;         // sk_shutdown & SEND_SHUTDOWN
  std::map<std::pair<int, int>, std::string> options;  // (level, name) -> value bytes

  // Stream: the other end while both exist; a connected TCP socket without
  // one has had its peer close gracefully. AF_UNIX datagram: the socket
  // connect() chose, cleared when that socket is closed.
  SocketObject* peer = nullptr;
  ByteQueue received;
  bool fin_received = false;     // TCP SOCK_DONE: reads end before errors
  bool abort_on_release = false;  // release with RST (unaccepted connection of a closed listener)
  std::deque<SocketObject*> accept_queue;  // listening: established, not yet accepted
  uint32_t backlog = 0;

  // Datagram.
  std::deque<Datagram> datagrams;
  size_t datagram_bytes = 0;

  // The filesystem node of a bound AF_UNIX path name.
  std::shared_ptr<Inode> bound_inode;
};

}  // namespace ring::fake_internal

#endif  // IOCP_RING_FAKE_OBJECTS_H_
