/*
 * unbuffered_copy.c - the classic Windows unbuffered copier: source and
 * destination opened with FILE_FLAG_NO_BUFFERING | FILE_FLAG_OVERLAPPED on
 * one completion port, sector-aligned buffers from VirtualAlloc, several
 * reads and writes in flight at OVERLAPPED offsets. Unbuffered transfers
 * are whole sectors, so the last block is written rounded up, and the
 * destination is then cut to the source's size through a second, buffered
 * handle with SetFilePointerEx + SetEndOfFile. The copy is checked byte for
 * byte, and a misaligned request must fail with ERROR_INVALID_PARAMETER.
 *
 * usage: unbuffered_copy [bytes] [block size, a multiple of 4096] [requests in flight]
 */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_READ_DONE 1
#define KEY_WRITE_DONE 2
#define MAX_IN_FLIGHT 32

typedef struct Block {
  OVERLAPPED overlapped;
  ULONGLONG offset;
  char* data; /* VirtualAlloc: page-aligned, so sector-aligned */
} Block;

static HANDLE g_port;
static HANDLE g_source;
static HANDLE g_destination;
static ULONGLONG g_size;
static DWORD g_block;
static ULONGLONG g_next_offset = 0;

static char Pattern(ULONGLONG i) { return (char)((i * 31 + (i >> 13)) & 0xFF); }

static void Die(const char* what) {
  printf("unbuffered_copy: %s failed: %lu\n", what, (unsigned long)GetLastError());
  exit(1);
}

static void SetOffset(Block* block, ULONGLONG offset) {
  ZeroMemory(&block->overlapped, sizeof(block->overlapped));
  block->offset = offset;
  block->overlapped.Offset = (DWORD)(offset & 0xFFFFFFFFu);
  block->overlapped.OffsetHigh = (DWORD)(offset >> 32);
}

/* Starts the next read for `block`: FALSE once the whole source is read. */
static BOOL StartRead(Block* block) {
  if (g_next_offset >= g_size) return FALSE;
  SetOffset(block, g_next_offset);
  g_next_offset += g_block;
  /* A whole block even at the end: an unbuffered read is whole sectors and
     simply comes back short there. */
  if (!ReadFile(g_source, block->data, g_block, NULL, &block->overlapped) &&
      GetLastError() != ERROR_IO_PENDING) {
    Die("ReadFile");
  }
  return TRUE;
}

static BOOL MakeSource(const char* path) {
  HANDLE file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  char chunk[4096];
  ULONGLONG written = 0;
  if (file == INVALID_HANDLE_VALUE) return FALSE;
  while (written < g_size) {
    DWORD n = (DWORD)(g_size - written < sizeof(chunk) ? g_size - written : sizeof(chunk));
    DWORD done = 0, i;
    for (i = 0; i < n; ++i) chunk[i] = Pattern(written + i);
    if (!WriteFile(file, chunk, n, &done, NULL) || done != n) return FALSE;
    written += n;
  }
  return CloseHandle(file);
}

static BOOL SameContents(const char* path) {
  HANDLE file = CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  char chunk[4096];
  ULONGLONG offset = 0;
  LARGE_INTEGER size;
  BOOL same = TRUE;
  if (file == INVALID_HANDLE_VALUE) return FALSE;
  if (!GetFileSizeEx(file, &size) || (ULONGLONG)size.QuadPart != g_size) same = FALSE;
  while (same) {
    DWORD done = 0, i;
    if (!ReadFile(file, chunk, sizeof(chunk), &done, NULL)) same = FALSE;
    if (done == 0) break;
    for (i = 0; i < done && same; ++i) same = chunk[i] == Pattern(offset + i);
    offset += done;
  }
  CloseHandle(file);
  return same && offset == g_size;
}

int main(int argc, char** argv) {
  DWORD in_flight = argc > 3 ? (DWORD)atoi(argv[3]) : 8;
  char directory[MAX_PATH], source_path[MAX_PATH], destination_path[MAX_PATH];
  Block blocks[MAX_IN_FLIGHT];
  DWORD i, active = 0;
  ULONGLONG copied = 0;
  HANDLE trimmer;
  LARGE_INTEGER end;
  OVERLAPPED misaligned;

  g_size = argc > 1 ? (ULONGLONG)atoll(argv[1]) : 5000001;
  g_block = argc > 2 ? (DWORD)atoi(argv[2]) : 65536;
  if (in_flight < 1 || in_flight > MAX_IN_FLIGHT || g_block == 0 || g_block % 4096 != 0) {
    printf("unbuffered_copy: bad arguments\n");
    return 2;
  }
  if (GetTempPathA(sizeof(directory), directory) == 0 ||
      GetTempFileNameA(directory, "unb", 0, source_path) == 0 ||
      GetTempFileNameA(directory, "unb", 0, destination_path) == 0) {
    Die("temporary file names");
  }
  if (!MakeSource(source_path)) Die("making the source");

  g_source = CreateFileA(source_path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                         FILE_FLAG_NO_BUFFERING | FILE_FLAG_OVERLAPPED, NULL);
  g_destination = CreateFileA(destination_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_FLAG_NO_BUFFERING | FILE_FLAG_OVERLAPPED, NULL);
  if (g_source == INVALID_HANDLE_VALUE || g_destination == INVALID_HANDLE_VALUE) Die("CreateFileA");
  g_port = CreateIoCompletionPort(g_source, NULL, KEY_READ_DONE, 0);
  if (g_port == NULL || CreateIoCompletionPort(g_destination, g_port, KEY_WRITE_DONE, 0) != g_port) {
    Die("CreateIoCompletionPort");
  }

  for (i = 0; i < in_flight; ++i) {
    blocks[i].data = (char*)VirtualAlloc(NULL, g_block, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (blocks[i].data == NULL) Die("VirtualAlloc");
  }

  /* Unbuffered means whole sectors from aligned memory: this must fail. */
  ZeroMemory(&misaligned, sizeof(misaligned));
  if (ReadFile(g_source, blocks[0].data + 1, 4096, NULL, &misaligned) ||
      GetLastError() != ERROR_INVALID_PARAMETER) {
    printf("unbuffered_copy: a misaligned read was not refused\n");
    return 1;
  }

  for (i = 0; i < in_flight; ++i) {
    if (StartRead(&blocks[i])) ++active;
  }
  while (active > 0) {
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED overlapped = NULL;
    Block* block;
    BOOL ok = GetQueuedCompletionStatus(g_port, &bytes, &key, &overlapped, INFINITE);
    if (overlapped == NULL) Die("GetQueuedCompletionStatus");
    block = CONTAINING_RECORD(overlapped, Block, overlapped);
    if (key == KEY_READ_DONE) {
      DWORD rounded;
      if (!ok || bytes == 0) Die("reading");
      /* Write what was read, rounded up to whole sectors (the tail of the
         last block is cut off at the end). */
      rounded = (bytes + 4095) & ~4095u;
      SetOffset(block, block->offset);
      if (!WriteFile(g_destination, block->data, rounded, NULL, &block->overlapped) &&
          GetLastError() != ERROR_IO_PENDING) {
        Die("WriteFile");
      }
      copied += bytes;
    } else {
      if (!ok) Die("writing");
      if (!StartRead(block)) --active;
    }
  }
  CloseHandle(g_source);
  CloseHandle(g_destination);
  CloseHandle(g_port);
  for (i = 0; i < in_flight; ++i) VirtualFree(blocks[i].data, 0, MEM_RELEASE);

  /* Cut the rounded-up tail through a buffered handle. */
  trimmer = CreateFileA(destination_path, GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                        FILE_ATTRIBUTE_NORMAL, NULL);
  if (trimmer == INVALID_HANDLE_VALUE) Die("reopening the destination");
  end.QuadPart = (LONGLONG)g_size;
  if (!SetFilePointerEx(trimmer, end, NULL, FILE_BEGIN) || !SetEndOfFile(trimmer)) {
    Die("SetEndOfFile");
  }
  CloseHandle(trimmer);

  if (copied != g_size || !SameContents(destination_path)) {
    printf("unbuffered_copy: FAILED, the copy differs\n");
    return 1;
  }
  DeleteFileA(source_path);
  DeleteFileA(destination_path);
  printf("unbuffered_copy: %llu bytes in %lu-byte blocks, %lu in flight\n",
         (unsigned long long)g_size, (unsigned long)g_block, (unsigned long)in_flight);
  printf("unbuffered_copy: OK, copy identical\n");
  return 0;
}
