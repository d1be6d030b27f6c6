// The file API around the transfers: size, file pointer, end of file,
// flushing, file type, temporary files, ReadFileEx/WriteFileEx with their
// completion routines, and FILE_FLAG_NO_BUFFERING's alignment rules.
// Built over the raw ring (real files) and the fake ring.
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <windows.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace {

std::string ScratchDirectory() {
  const char* dir = getenv("TEST_TMPDIR");
  return dir ? dir : "/tmp";
}

std::string ScratchPath() {
  static int counter = 0;
  return ScratchDirectory() + "/file_api_test." + std::to_string(getpid()) + "." +
         std::to_string(++counter);
}

// A file made for one test, deleted after it.
class ScratchFile {
 public:
  explicit ScratchFile(DWORD flags = FILE_ATTRIBUTE_NORMAL,
                       DWORD access = GENERIC_READ | GENERIC_WRITE)
      : path_(ScratchPath()) {
    handle_ = CreateFileA(path_.c_str(), access, 0, nullptr, CREATE_ALWAYS, flags, nullptr);
  }
  ~ScratchFile() {
    if (handle_ != INVALID_HANDLE_VALUE) CloseHandle(handle_);
    DeleteFileA(path_.c_str());
  }
  HANDLE get() const { return handle_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  HANDLE handle_;
};

void WriteAll(HANDLE file, const char* text) {
  DWORD done = 0;
  ASSERT_TRUE(WriteFile(file, text, static_cast<DWORD>(strlen(text)), &done, nullptr));
  ASSERT_EQ(done, strlen(text));
}

TEST(FileSize, GetFileSizeAndExReportTheSize) {
  ScratchFile file;
  ASSERT_NE(file.get(), INVALID_HANDLE_VALUE);
  DWORD high = 77;
  EXPECT_EQ(GetFileSize(file.get(), &high), 0u);
  EXPECT_EQ(high, 0u);
  WriteAll(file.get(), "0123456789");
  EXPECT_EQ(GetFileSize(file.get(), nullptr), 10u);
  LARGE_INTEGER size;
  ASSERT_TRUE(GetFileSizeEx(file.get(), &size));
  EXPECT_EQ(size.QuadPart, 10);
}

TEST(FileSize, BadHandlesFailWithInvalidHandle) {
  SetLastError(0);
  EXPECT_EQ(GetFileSize(nullptr, nullptr), INVALID_FILE_SIZE);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  HANDLE event = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  LARGE_INTEGER size;
  EXPECT_FALSE(GetFileSizeEx(event, &size));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  CloseHandle(event);
  ScratchFile file;
  HANDLE stale = file.get();
  EXPECT_FALSE(GetFileSizeEx(reinterpret_cast<HANDLE>(0x12345678), &size));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  EXPECT_TRUE(GetFileSizeEx(stale, &size));
}

TEST(FilePointer, SetFilePointerMovesWhereSynchronousTransfersHappen) {
  ScratchFile file;
  WriteAll(file.get(), "0123456789");
  EXPECT_EQ(SetFilePointer(file.get(), 3, nullptr, FILE_BEGIN), 3u);
  char buffer[4] = {};
  DWORD done = 0;
  ASSERT_TRUE(ReadFile(file.get(), buffer, 2, &done, nullptr));
  EXPECT_EQ(std::string(buffer, done), "34");
  EXPECT_EQ(SetFilePointer(file.get(), -1, nullptr, FILE_CURRENT), 4u);
  EXPECT_EQ(SetFilePointer(file.get(), 0, nullptr, FILE_END), 10u);
  EXPECT_EQ(SetFilePointer(file.get(), -2, nullptr, FILE_END), 8u);
  WriteAll(file.get(), "XY");
  EXPECT_EQ(SetFilePointer(file.get(), 0, nullptr, FILE_CURRENT), 10u);
  EXPECT_EQ(GetFileSize(file.get(), nullptr), 10u);
}

TEST(FilePointer, NegativeSeeksAndBadMethodsFailAndLeaveThePointer) {
  ScratchFile file;
  WriteAll(file.get(), "0123456789");
  EXPECT_EQ(SetFilePointer(file.get(), -11, nullptr, FILE_END), INVALID_SET_FILE_POINTER);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NEGATIVE_SEEK));
  EXPECT_EQ(SetFilePointer(file.get(), 1, nullptr, 3), INVALID_SET_FILE_POINTER);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  LARGE_INTEGER where;
  where.QuadPart = -1;
  EXPECT_FALSE(SetFilePointerEx(file.get(), where, nullptr, FILE_BEGIN));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NEGATIVE_SEEK));
  EXPECT_EQ(SetFilePointer(file.get(), 0, nullptr, FILE_CURRENT), 10u);
  EXPECT_EQ(SetFilePointer(nullptr, 0, nullptr, FILE_CURRENT), INVALID_SET_FILE_POINTER);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
}

TEST(FilePointer, SixtyFourBitPositionsUseTheHighHalf) {
  ScratchFile file;
  LONG high = 1;
  EXPECT_EQ(SetFilePointer(file.get(), 16, &high, FILE_BEGIN), 16u);
  EXPECT_EQ(high, 1);
  LARGE_INTEGER where, now;
  where.QuadPart = 0;
  ASSERT_TRUE(SetFilePointerEx(file.get(), where, &now, FILE_CURRENT));
  EXPECT_EQ(now.QuadPart, (int64_t{1} << 32) + 16);
  // Without the high half, a position past 4 GiB cannot be returned.
  EXPECT_EQ(SetFilePointer(file.get(), 0, nullptr, FILE_CURRENT), INVALID_SET_FILE_POINTER);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  // 0xFFFFFFFF is a real position when the last error says NO_ERROR.
  high = 0;
  SetLastError(ERROR_INVALID_FUNCTION);
  EXPECT_EQ(SetFilePointer(file.get(), -1, &high, FILE_BEGIN), INVALID_SET_FILE_POINTER);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(NO_ERROR));
  EXPECT_EQ(high, 0);
}

TEST(FileEnd, SetEndOfFileCutsOrGrowsAtThePointer) {
  ScratchFile file;
  WriteAll(file.get(), "0123456789");
  ASSERT_EQ(SetFilePointer(file.get(), 4, nullptr, FILE_BEGIN), 4u);
  ASSERT_TRUE(SetEndOfFile(file.get()));
  EXPECT_EQ(GetFileSize(file.get(), nullptr), 4u);
  ASSERT_EQ(SetFilePointer(file.get(), 100, nullptr, FILE_BEGIN), 100u);
  ASSERT_TRUE(SetEndOfFile(file.get()));
  EXPECT_EQ(GetFileSize(file.get(), nullptr), 100u);
  ASSERT_TRUE(FlushFileBuffers(file.get()));
}

TEST(FileEnd, ReadOnlyHandlesCannotTruncateOrFlush) {
  ScratchFile file;
  WriteAll(file.get(), "abc");
  HANDLE reader = CreateFileA(file.path().c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr,
                              OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(reader, INVALID_HANDLE_VALUE);
  EXPECT_FALSE(SetEndOfFile(reader));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_ACCESS_DENIED));
  EXPECT_FALSE(FlushFileBuffers(reader));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_ACCESS_DENIED));
  EXPECT_EQ(GetFileSize(reader, nullptr), 3u);
  CloseHandle(reader);
  EXPECT_FALSE(FlushFileBuffers(reader));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  EXPECT_FALSE(SetEndOfFile(reader));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
}

TEST(FileType, DiskFilesAndNonFiles) {
  ScratchFile file;
  SetLastError(ERROR_INVALID_FUNCTION);
  EXPECT_EQ(GetFileType(file.get()), static_cast<DWORD>(FILE_TYPE_DISK));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(NO_ERROR));
  HANDLE event = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  EXPECT_EQ(GetFileType(event), static_cast<DWORD>(FILE_TYPE_UNKNOWN));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  CloseHandle(event);
  EXPECT_EQ(GetFileType(nullptr), static_cast<DWORD>(FILE_TYPE_UNKNOWN));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
}

TEST(FileType, StandardHandlesReportWhatTheirDescriptorIs) {
  // Bazel runs tests with stdout and stderr redirected to a file or pipe,
  // never a terminal: compare with what the descriptor really is.
  struct stat st;
  ASSERT_EQ(fstat(1, &st), 0);
  const DWORD expected = S_ISCHR(st.st_mode)                             ? FILE_TYPE_CHAR
                         : S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ? FILE_TYPE_PIPE
                         : S_ISREG(st.st_mode)                           ? FILE_TYPE_DISK
                                                                         : FILE_TYPE_UNKNOWN;
  SetLastError(ERROR_INVALID_FUNCTION);
  EXPECT_EQ(GetFileType(GetStdHandle(STD_OUTPUT_HANDLE)), expected);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(NO_ERROR));
}

TEST(TempFiles, GetTempPathEndsWithASeparatorAndReportsTheSizeNeeded) {
  char small[2];
  const DWORD needed = GetTempPathA(sizeof(small), small);
  ASSERT_GT(needed, 2u);
  std::vector<char> buffer(needed);
  const DWORD length = GetTempPathA(needed, buffer.data());
  EXPECT_EQ(length, needed - 1);  // without the NUL once it fits
  EXPECT_EQ(strlen(buffer.data()), length);
  EXPECT_EQ(buffer[length - 1], '/');
}

TEST(TempFiles, GetTempFileNameCreatesAUniqueFileUnlessGivenANumber) {
  const std::string dir = ScratchDirectory();
  char name[MAX_PATH];
  const UINT number = GetTempFileNameA(dir.c_str(), "iocpx", 0, name);
  ASSERT_NE(number, 0u) << GetLastError();
  char expected_tail[32];
  snprintf(expected_tail, sizeof(expected_tail), "/ioc%X.TMP", number);
  EXPECT_EQ(std::string(name), dir + expected_tail);
  HANDLE made = CreateFileA(name, GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0, nullptr);
  EXPECT_NE(made, INVALID_HANDLE_VALUE);  // created, empty
  EXPECT_EQ(GetFileSize(made, nullptr), 0u);
  CloseHandle(made);
  char second[MAX_PATH];
  ASSERT_NE(GetTempFileNameA(dir.c_str(), "iocpx", 0, second), 0u);
  EXPECT_STRNE(name, second);
  EXPECT_TRUE(DeleteFileA(name));
  EXPECT_TRUE(DeleteFileA(second));

  EXPECT_EQ(GetTempFileNameA(dir.c_str(), "q", 0x1abcd, name), 0xabcdu);
  EXPECT_EQ(std::string(name), dir + "/qABCD.TMP");
  EXPECT_EQ(CreateFileA(name, GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0, nullptr),
            INVALID_HANDLE_VALUE);  // a given number only names the file
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_FILE_NOT_FOUND));
}

// --- ReadFileEx / WriteFileEx ---

struct RoutineLog {
  int calls = 0;
  DWORD error = 0xDEAD;
  DWORD bytes = 0xDEAD;
  LPOVERLAPPED overlapped = nullptr;
};
thread_local RoutineLog routine_log;

VOID WINAPI LogRoutine(DWORD error, DWORD bytes, LPOVERLAPPED overlapped) {
  ++routine_log.calls;
  routine_log.error = error;
  routine_log.bytes = bytes;
  routine_log.overlapped = overlapped;
}

TEST(FileRoutines, WriteThenReadRunTheirRoutinesInAnAlertableWaitOnly) {
  routine_log = {};
  ScratchFile file(FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OVERLAPPED);
  HANDLE event = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  OVERLAPPED ov = {};
  ov.Offset = 2;
  ov.hEvent = event;  // the program's own: ReadFileEx/WriteFileEx ignore it
  SetLastError(ERROR_INVALID_FUNCTION);
  ASSERT_TRUE(WriteFileEx(file.get(), "abcdef", 6, &ov, LogRoutine));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_SUCCESS));
  EXPECT_EQ(routine_log.calls, 0);  // not until the thread waits alertably
  // A non-alertable wait does not run it.
  EXPECT_EQ(WaitForSingleObjectEx(file.get(), INFINITE, FALSE), WAIT_OBJECT_0);
  EXPECT_EQ(routine_log.calls, 0);
  EXPECT_EQ(SleepEx(INFINITE, TRUE), static_cast<DWORD>(WAIT_IO_COMPLETION));
  EXPECT_EQ(routine_log.calls, 1);
  EXPECT_EQ(routine_log.error, 0u);
  EXPECT_EQ(routine_log.bytes, 6u);
  EXPECT_EQ(routine_log.overlapped, &ov);
  EXPECT_EQ(ov.Internal, 0u);
  EXPECT_EQ(ov.InternalHigh, 6u);
  EXPECT_EQ(WaitForSingleObject(event, 0), static_cast<DWORD>(WAIT_TIMEOUT));

  char buffer[8] = {};
  OVERLAPPED read_ov = {};
  read_ov.Offset = 4;
  ASSERT_TRUE(ReadFileEx(file.get(), buffer, sizeof(buffer), &read_ov, LogRoutine));
  EXPECT_EQ(SleepEx(INFINITE, TRUE), static_cast<DWORD>(WAIT_IO_COMPLETION));
  EXPECT_EQ(routine_log.calls, 2);
  EXPECT_EQ(routine_log.error, 0u);
  EXPECT_EQ(routine_log.bytes, 4u);
  EXPECT_EQ(std::string(buffer, 4), "cdef");
  CloseHandle(event);
}

TEST(FileRoutines, ReadingAtTheEndReportsHandleEofToTheRoutine) {
  routine_log = {};
  ScratchFile file(FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OVERLAPPED);
  char buffer[8];
  OVERLAPPED ov = {};
  ov.Offset = 100;
  ASSERT_TRUE(ReadFileEx(file.get(), buffer, sizeof(buffer), &ov, LogRoutine));
  EXPECT_EQ(SleepEx(INFINITE, TRUE), static_cast<DWORD>(WAIT_IO_COMPLETION));
  EXPECT_EQ(routine_log.calls, 1);
  EXPECT_EQ(routine_log.error, static_cast<DWORD>(ERROR_HANDLE_EOF));
  EXPECT_EQ(routine_log.bytes, 0u);
  EXPECT_EQ(ov.Internal, static_cast<ULONG_PTR>(0xC0000011));  // STATUS_END_OF_FILE
}

TEST(FileRoutines, RefusedWithoutARoutineOnSynchronousOrAssociatedHandles) {
  routine_log = {};
  char buffer[4];
  OVERLAPPED ov = {};
  ScratchFile overlapped_file(FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OVERLAPPED);
  EXPECT_FALSE(ReadFileEx(overlapped_file.get(), buffer, 4, &ov, nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_FALSE(ReadFileEx(overlapped_file.get(), buffer, 4, nullptr, LogRoutine));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_FALSE(WriteFileEx(nullptr, buffer, 4, &ov, LogRoutine));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));

  ScratchFile sync_file;
  EXPECT_FALSE(WriteFileEx(sync_file.get(), "x", 1, &ov, LogRoutine));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));

  HANDLE port = CreateIoCompletionPort(overlapped_file.get(), nullptr, 1, 0);
  ASSERT_NE(port, nullptr);
  EXPECT_FALSE(WriteFileEx(overlapped_file.get(), "x", 1, &ov, LogRoutine));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(SleepEx(0, TRUE), 0u);  // nothing was queued
  EXPECT_EQ(routine_log.calls, 0);
  CloseHandle(port);
}

// --- FILE_FLAG_NO_BUFFERING ---

TEST(NoBuffering, SectorAlignedTransfersWorkAndOthersAreRefused) {
  ScratchFile file(FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING);
  ASSERT_NE(file.get(), INVALID_HANDLE_VALUE) << GetLastError();
  HANDLE port = CreateIoCompletionPort(file.get(), nullptr, 1, 0);
  auto* buffer = static_cast<char*>(aligned_alloc(4096, 4096));
  memset(buffer, 'n', 4096);
  OVERLAPPED ov = {};
  ov.Offset = 4096;
  ASSERT_FALSE(WriteFile(file.get(), buffer, 4096, nullptr, &ov));
  ASSERT_EQ(GetLastError(), static_cast<DWORD>(ERROR_IO_PENDING));
  DWORD bytes = 0;
  ULONG_PTR key;
  LPOVERLAPPED got;
  ASSERT_TRUE(GetQueuedCompletionStatus(port, &bytes, &key, &got, 10000));
  EXPECT_EQ(bytes, 4096u);
  EXPECT_EQ(GetFileSize(file.get(), nullptr), 8192u);

  OVERLAPPED bad = {};
  EXPECT_FALSE(ReadFile(file.get(), buffer + 1, 512, nullptr, &bad));  // misaligned memory
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_FALSE(ReadFile(file.get(), buffer, 100, nullptr, &bad));  // part of a sector
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  bad.Offset = 100;  // an offset inside a sector
  EXPECT_FALSE(ReadFile(file.get(), buffer, 512, nullptr, &bad));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(bad.Internal, 0u);  // a refused request leaves the OVERLAPPED alone

  memset(buffer, 0, 4096);
  OVERLAPPED read_ov = {};
  read_ov.Offset = 4096;
  ASSERT_FALSE(ReadFile(file.get(), buffer, 4096, nullptr, &read_ov));
  ASSERT_TRUE(GetQueuedCompletionStatus(port, &bytes, &key, &got, 10000));
  EXPECT_EQ(bytes, 4096u);
  EXPECT_EQ(buffer[0], 'n');
  EXPECT_EQ(buffer[4095], 'n');
  free(buffer);
  CloseHandle(port);
}

}  // namespace
