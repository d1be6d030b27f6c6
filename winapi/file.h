// Files: CreateFileA's translation of Windows' access, disposition and flags
// into an open(2) on the linked System, and the file handle's object.
#ifndef IOCP_WINAPI_FILE_H_
#define IOCP_WINAPI_FILE_H_

#include <stdint.h>

#include <string>

#include "winapi/io.h"

namespace winapi {

// What GetFileType reports.
enum class FileType : uint8_t { kDisk = 1, kChar = 2 };

// FILE_FLAG_NO_BUFFERING's rule: buffer address, length and offset are
// multiples of the volume's sector size. Windows volumes use 512 or 4096;
// 512 is Linux's logical block size for O_DIRECT on nearly every device,
// and a device that needs more refuses the request with EINVAL, which
// reports the same ERROR_INVALID_PARAMETER.
inline constexpr uint32_t kSectorSize = 512;

class FileObject final : public IoObject {
 public:
  FileObject(int fd, bool overlapped, std::string delete_on_close_path)
      : IoObject(ObjectKind::kFile, fd, overlapped),
        delete_on_close_path_(std::move(delete_on_close_path)) {}
  ~FileObject() override;
  void OnLastHandleClosed() override;

  // Opened with GENERIC_WRITE (SetEndOfFile and FlushFileBuffers need it).
  bool writable() const { return writable_; }
  void set_writable(bool writable) { writable_ = writable; }
  // FILE_FLAG_NO_BUFFERING: transfers must be sector-aligned.
  bool no_buffering() const { return no_buffering_; }
  void set_no_buffering(bool no_buffering) { no_buffering_ = no_buffering; }
  FileType file_type() const { return file_type_; }
  void set_file_type(FileType type) { file_type_ = type; }

 private:
  std::string delete_on_close_path_;  // empty unless FILE_FLAG_DELETE_ON_CLOSE
  bool writable_ = true;
  bool no_buffering_ = false;
  FileType file_type_ = FileType::kDisk;
};

struct CreateFileResult {
  FileObject* file = nullptr;  // with a reference, or null
  uint32_t error = 0;          // the last error to report (also on success:
                               // ERROR_ALREADY_EXISTS or 0)
};

CreateFileResult CreateFileObject(const char* name, uint32_t access, uint32_t disposition,
                                  uint32_t flags);

// Windows path to Linux path: backslashes become slashes.
std::string LinuxPath(const char* name);

}  // namespace winapi

#endif  // IOCP_WINAPI_FILE_H_
