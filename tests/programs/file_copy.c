/*
 * file_copy.c - an overlapped file copier, written as a Windows program:
 * both files opened with FILE_FLAG_OVERLAPPED and associated with one
 * completion port (keys tell reads from writes), several requests in flight,
 * each read's completion starting the write of the same block, each write's
 * completion starting the next read. Reading past the end completes with
 * ERROR_HANDLE_EOF. The copy is checked byte for byte afterwards.
 *
 * usage: file_copy [bytes] [block size] [requests in flight]
 */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_SOURCE 1
#define KEY_DESTINATION 2

typedef struct Block {
  OVERLAPPED overlapped; /* first: CONTAINING_RECORD would work either way */
  ULONGLONG offset;
  DWORD length;
  char* data;
} Block;

static ULONGLONG g_next_offset = 0;
static ULONGLONG g_size = 0;

static void SetOffset(Block* block, ULONGLONG offset) {
  ZeroMemory(&block->overlapped, sizeof(block->overlapped));
  block->offset = offset;
  block->overlapped.Offset = (DWORD)(offset & 0xFFFFFFFFu);
  block->overlapped.OffsetHigh = (DWORD)(offset >> 32);
}

/* Starts the next read for `block`; FALSE when every block has been read. */
static BOOL StartRead(HANDLE source, Block* block, DWORD block_size) {
  if (g_next_offset >= g_size + block_size) return FALSE; /* one read past the end */
  SetOffset(block, g_next_offset);
  g_next_offset += block_size;
  if (!ReadFile(source, block->data, block_size, NULL, &block->overlapped) &&
      GetLastError() != ERROR_IO_PENDING) {
    printf("file_copy: ReadFile failed: %lu\n", (unsigned long)GetLastError());
    exit(1);
  }
  return TRUE;
}

static char Pattern(ULONGLONG i) { return (char)((i * 7 + (i >> 9)) & 0xFF); }

static BOOL MakeSource(const char* path, ULONGLONG size) {
  HANDLE file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  char chunk[4096];
  ULONGLONG written = 0;
  if (file == INVALID_HANDLE_VALUE) return FALSE;
  while (written < size) {
    DWORD n = (DWORD)(size - written < sizeof(chunk) ? size - written : sizeof(chunk));
    DWORD done = 0;
    DWORD i;
    for (i = 0; i < n; ++i) chunk[i] = Pattern(written + i);
    if (!WriteFile(file, chunk, n, &done, NULL) || done != n) return FALSE;
    written += n;
  }
  CloseHandle(file);
  return TRUE;
}

static BOOL Verify(const char* path, ULONGLONG size) {
  HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  char chunk[4096];
  ULONGLONG seen = 0;
  if (file == INVALID_HANDLE_VALUE) return FALSE;
  for (;;) {
    DWORD done = 0;
    DWORD i;
    if (!ReadFile(file, chunk, sizeof(chunk), &done, NULL)) return FALSE;
    if (done == 0) break;
    for (i = 0; i < done; ++i) {
      if (chunk[i] != Pattern(seen + i)) {
        printf("file_copy: byte %llu differs\n", seen + i);
        return FALSE;
      }
    }
    seen += done;
  }
  CloseHandle(file);
  if (seen != size) printf("file_copy: copy has %llu bytes, expected %llu\n", seen, size);
  return seen == size;
}

int main(int argc, char** argv) {
  char source_path[MAX_PATH], destination_path[MAX_PATH];
  const char* dir = getenv("TEST_TMPDIR");
  DWORD block_size = 65536, in_flight = 4, i, reads_outstanding = 0, writes_outstanding = 0;
  HANDLE source, destination, port;
  Block* blocks;
  ULONGLONG copied = 0;
  DWORD eof_seen = 0;
  LARGE_INTEGER start, end, frequency;

  g_size = argc > 1 ? strtoull(argv[1], NULL, 10) : 8u << 20;
  if (argc > 2) block_size = (DWORD)strtoul(argv[2], NULL, 10);
  if (argc > 3) in_flight = (DWORD)strtoul(argv[3], NULL, 10);
  if (block_size == 0 || in_flight == 0 || in_flight > 64) return 2;
  snprintf(source_path, sizeof(source_path), "%s/file_copy_source.%lu", dir ? dir : "/tmp",
           (unsigned long)GetCurrentProcessId());
  snprintf(destination_path, sizeof(destination_path), "%s/file_copy_destination.%lu",
           dir ? dir : "/tmp", (unsigned long)GetCurrentProcessId());
  if (!MakeSource(source_path, g_size)) {
    printf("file_copy: cannot write the source: %lu\n", (unsigned long)GetLastError());
    return 1;
  }

  source = CreateFileA(source_path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                       FILE_FLAG_OVERLAPPED | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
  destination = CreateFileA(destination_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                            FILE_FLAG_OVERLAPPED, NULL);
  if (source == INVALID_HANDLE_VALUE || destination == INVALID_HANDLE_VALUE) return 1;
  port = CreateIoCompletionPort(source, NULL, KEY_SOURCE, 1);
  if (port == NULL || CreateIoCompletionPort(destination, port, KEY_DESTINATION, 0) != port) {
    printf("file_copy: association failed: %lu\n", (unsigned long)GetLastError());
    return 1;
  }

  QueryPerformanceFrequency(&frequency);
  QueryPerformanceCounter(&start);
  blocks = (Block*)calloc(in_flight, sizeof(Block));
  for (i = 0; i < in_flight; ++i) {
    blocks[i].data = (char*)malloc(block_size);
    if (StartRead(source, &blocks[i], block_size)) ++reads_outstanding;
  }
  while (reads_outstanding + writes_outstanding > 0) {
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED overlapped = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, 10000);
    Block* block;
    if (overlapped == NULL) {
      printf("file_copy: port wait failed: %lu\n", (unsigned long)GetLastError());
      return 1;
    }
    block = CONTAINING_RECORD(overlapped, Block, overlapped);
    if (key == KEY_SOURCE) {
      --reads_outstanding;
      if (!ok) {
        if (GetLastError() != ERROR_HANDLE_EOF || bytes != 0) {
          printf("file_copy: read failed: %lu\n", (unsigned long)GetLastError());
          return 1;
        }
        ++eof_seen; /* past the end: this block is done */
        continue;
      }
      block->length = bytes;
      SetOffset(block, block->offset);
      if (!WriteFile(destination, block->data, bytes, NULL, &block->overlapped) &&
          GetLastError() != ERROR_IO_PENDING) {
        printf("file_copy: WriteFile failed: %lu\n", (unsigned long)GetLastError());
        return 1;
      }
      ++writes_outstanding;
    } else {
      --writes_outstanding;
      if (!ok || bytes != block->length) {
        printf("file_copy: write failed: %lu\n", (unsigned long)GetLastError());
        return 1;
      }
      copied += bytes;
      if (StartRead(source, block, block_size)) ++reads_outstanding;
    }
  }
  QueryPerformanceCounter(&end);
  CloseHandle(source);
  CloseHandle(destination);
  CloseHandle(port);

  {
    double seconds = (double)(end.QuadPart - start.QuadPart) / (double)frequency.QuadPart;
    printf("file_copy: %llu bytes in %lu-byte blocks, %lu in flight, %.1f MB/s, %lu reads hit EOF\n",
           copied, (unsigned long)block_size, (unsigned long)in_flight,
           seconds > 0 ? copied / seconds / 1e6 : 0.0, (unsigned long)eof_seen);
  }
  if (copied != g_size || eof_seen == 0 || !Verify(destination_path, g_size)) {
    printf("file_copy: FAILED\n");
    return 1;
  }
  for (i = 0; i < in_flight; ++i) free(blocks[i].data);
  free(blocks);
  DeleteFileA(source_path);
  DeleteFileA(destination_path);
  printf("file_copy: OK, copy identical\n");
  return 0;
}
