// Pipes and in-memory regular files.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include <algorithm>

#include "ring/fake/check.h"
#include "ring/fake/world.h"

namespace ring::fake_internal {
namespace {

// Files are held in memory; past this size writes fail with EFBIG (the
// kernel's limit is far larger, but a simulation must not exhaust memory).
constexpr uint64_t kMaxFileSize = uint64_t{1} << 30;

constexpr int kKnownOpenFlags = O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_NONBLOCK |
                                O_CLOEXEC | O_NOCTTY | O_DSYNC | O_SYNC | O_NOATIME |
                                O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_DIRECT;

}  // namespace

int World::Pipe(int fds[2], int flags) {
  if ((flags & ~(O_NONBLOCK | O_CLOEXEC | O_DIRECT)) != 0) return -EINVAL;
  if (fds == nullptr) return -EFAULT;
  auto pipe = std::make_shared<struct Pipe>();
  pipe->readers = 1;
  pipe->writers = 1;
  auto reader = std::make_unique<PipeEnd>(ObjectKind::kPipeReader, pipe);
  auto writer = std::make_unique<PipeEnd>(ObjectKind::kPipeWriter, pipe);
  reader->nonblocking = writer->nonblocking = (flags & O_NONBLOCK) != 0;
  const int read_fd = Install(std::move(reader));
  if (read_fd < 0) return read_fd;
  const int write_fd = Install(std::move(writer));
  if (write_fd < 0) {
    --pipe->writers;  // never installed, so never released
    CloseDescriptor(read_fd, /*commit=*/true);
    return write_fd;
  }
  fds[0] = read_fd;
  fds[1] = write_fd;
  return 0;
}

int World::Open(const char* path, int flags, mode_t /*mode*/) {
  if (path == nullptr) return -EFAULT;
  if (path[0] == '\0') return -ENOENT;
  const int access = flags & O_ACCMODE;
  if (access == O_ACCMODE) return -EINVAL;
  if ((flags & O_TMPFILE) == O_TMPFILE) return -EOPNOTSUPP;
  if ((flags & ~kKnownOpenFlags) != 0) return -EINVAL;
  std::shared_ptr<Inode> inode;
  auto it = paths_.find(path);
  if (it != paths_.end()) {
    if ((flags & O_CREAT) && (flags & O_EXCL)) return -EEXIST;
    if (flags & O_DIRECTORY) return -ENOTDIR;
    if (it->second->type == Inode::Type::kSocket) return -ENXIO;
    inode = it->second;
    // Linux truncates on O_TRUNC whatever the access mode.
    if (flags & O_TRUNC) inode->data.clear();
  } else {
    if ((flags & O_CREAT) == 0) return -ENOENT;
    if (flags & O_DIRECTORY) return -EINVAL;
    inode = std::make_shared<Inode>(Inode::Type::kRegular);
  }
  if (LowestFreeDescriptor() < 0) return -EMFILE;
  paths_[path] = inode;
  auto file = std::make_unique<OpenFile>();
  file->inode = inode;
  file->readable = access != O_WRONLY;
  file->writable = access != O_RDONLY;
  file->append = (flags & O_APPEND) != 0;
  file->nonblocking = (flags & O_NONBLOCK) != 0;
  return Install(std::move(file));
}

int World::Unlink(const char* path) {
  if (path == nullptr) return -EFAULT;
  // Open descriptors keep the inode; only the name goes.
  return paths_.erase(path) == 1 ? 0 : -ENOENT;
}

int World::Truncate(int fd, int64_t length) {
  if (length < 0) return -EINVAL;
  Object* object = Lookup(fd);
  if (object == nullptr) return -EBADF;
  if (object->kind != ObjectKind::kFile) return -EINVAL;
  auto& file = static_cast<OpenFile&>(*object);
  if (!file.writable) return -EINVAL;
  if (static_cast<uint64_t>(length) > kMaxFileSize) return -EFBIG;
  file.inode->data.resize(static_cast<size_t>(length), '\0');
  return 0;
}

int64_t World::FileSize(int fd) {
  Object* object = Lookup(fd);
  if (object == nullptr) return -EBADF;
  // fstat reports 0 for pipes and sockets.
  if (object->kind != ObjectKind::kFile) return 0;
  return static_cast<int64_t>(static_cast<OpenFile&>(*object).inode->data.size());
}

int64_t World::Seek(int fd, int64_t offset, int whence) {
  Object* object = Lookup(fd);
  if (object == nullptr) return -EBADF;
  if (object->kind != ObjectKind::kFile) return -ESPIPE;
  auto& file = static_cast<OpenFile&>(*object);
  int64_t base;
  switch (whence) {
    case SEEK_SET:
      base = 0;
      break;
    case SEEK_CUR:
      base = static_cast<int64_t>(file.position);
      break;
    case SEEK_END:
      base = static_cast<int64_t>(file.inode->data.size());
      break;
    default:
      return -EINVAL;
  }
  if (offset < 0 ? base < INT64_MIN - offset : base > INT64_MAX - offset) return -EOVERFLOW;
  if (base + offset < 0) return -EINVAL;
  file.position = static_cast<uint64_t>(base + offset);
  return base + offset;
}

int World::Sync(int fd) {
  Object* object = Lookup(fd);
  if (object == nullptr) return -EBADF;
  // The simulation's files are always "on disk"; Linux refuses pipes and
  // sockets.
  return object->kind == ObjectKind::kFile ? 0 : -EINVAL;
}

Attempt World::ReadPipe(PipeEnd& end, Transfer& transfer, bool commit) {
  if (end.kind != ObjectKind::kPipeReader) return Attempt::Done(-EBADF);
  struct Pipe& pipe = *end.pipe;
  const size_t wanted = transfer.Wanted();
  if (wanted == 0) return Attempt::Done(0);
  if (!pipe.bytes.empty()) {
    const size_t n = std::min(wanted, pipe.bytes.size());
    if (commit) {
      transfer.buffers.CopyIn(transfer.skip, n, pipe.bytes.front());
      pipe.bytes.Consume(n);
    }
    return Attempt::Done(static_cast<int64_t>(n));
  }
  if (pipe.writers == 0) return Attempt::Done(0);
  return Attempt::Blocked();
}

Attempt World::WritePipe(PipeEnd& end, Transfer& transfer, bool commit) {
  if (end.kind != ObjectKind::kPipeWriter) return Attempt::Done(-EBADF);
  struct Pipe& pipe = *end.pipe;
  if (pipe.readers == 0) return Attempt::Done(-EPIPE);
  const size_t wanted = transfer.Wanted();
  if (wanted == 0) return Attempt::Done(0);
  const size_t room = Pipe::kCapacity - pipe.bytes.size();
  // Writes of up to PIPE_BUF bytes are atomic: all or wait.
  if (room == 0 || (wanted <= Pipe::kAtomicWrite && room < wanted)) return Attempt::Blocked();
  const size_t n = std::min(wanted, room);
  if (commit) {
    std::string bytes(n, '\0');
    transfer.buffers.CopyOut(transfer.skip, n, bytes.data());
    pipe.bytes.Append(bytes.data(), n);
  }
  return Attempt::Done(static_cast<int64_t>(n));
}

Attempt World::ReadFile(OpenFile& file, Transfer& transfer, uint64_t offset, bool commit) {
  if (!file.readable) return Attempt::Done(-EBADF);
  const bool at_position = offset == kCurrentPosition;
  const uint64_t position = at_position ? file.position : offset;
  if (static_cast<int64_t>(position) < 0) return Attempt::Done(-EINVAL);
  const std::string& data = file.inode->data;
  const size_t wanted = transfer.Wanted();
  const size_t n = position >= data.size()
                       ? 0
                       : static_cast<size_t>(std::min<uint64_t>(wanted, data.size() - position));
  if (commit) {
    transfer.buffers.CopyIn(transfer.skip, n, data.data() + position);
    if (at_position) file.position = position + n;
  }
  return Attempt::Done(static_cast<int64_t>(n));
}

Attempt World::WriteFile(OpenFile& file, Transfer& transfer, uint64_t offset, bool commit) {
  if (!file.writable) return Attempt::Done(-EBADF);
  const bool at_position = offset == kCurrentPosition;
  std::string& data = file.inode->data;
  // O_APPEND writes at the end even with an explicit offset, as Linux does.
  const uint64_t position = file.append ? data.size() : at_position ? file.position : offset;
  if (static_cast<int64_t>(position) < 0) return Attempt::Done(-EINVAL);
  size_t n = transfer.Wanted();
  if (n == 0) return Attempt::Done(0);
  if (position >= kMaxFileSize) return Attempt::Done(-EFBIG);
  n = static_cast<size_t>(std::min<uint64_t>(n, kMaxFileSize - position));
  if (commit) {
    if (data.size() < position + n) data.resize(position + n, '\0');
    transfer.buffers.CopyOut(transfer.skip, n, data.data() + position);
    if (at_position) file.position = position + n;
  }
  return Attempt::Done(static_cast<int64_t>(n));
}

}  // namespace ring::fake_internal
