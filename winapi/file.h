// Files: CreateFileA's translation of Windows' access, disposition and flags
// into an open(2) on the linked System, and the file handle's object.
#ifndef IOCP_WINAPI_FILE_H_
#define IOCP_WINAPI_FILE_H_

#include <stdint.h>

#include <string>

#include "winapi/io.h"

namespace winapi {

class FileObject final : public IoObject {
 public:
  FileObject(int fd, bool overlapped, std::string delete_on_close_path)
      : IoObject(ObjectKind::kFile, fd, overlapped),
        delete_on_close_path_(std::move(delete_on_close_path)) {}
  ~FileObject() override;
  void OnLastHandleClosed() override;

 private:
  std::string delete_on_close_path_;  // empty unless FILE_FLAG_DELETE_ON_CLOSE
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
