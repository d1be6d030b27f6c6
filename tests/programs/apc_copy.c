/*
 * apc_copy.c - a file copier without a completion port, written as a
 * Windows program: ReadFileEx/WriteFileEx with completion routines, which
 * run only while the issuing thread waits alertably. The main thread keeps
 * several blocks in flight, each read's routine starting the block's write
 * and each write's routine the next read; it waits in turn with SleepEx,
 * WaitForSingleObjectEx and WaitForMultipleObjectsEx, all alertable. A
 * monitor thread, woken by an event when half the blocks are written,
 * queues an APC to the main thread with QueueUserAPC; it too runs in an
 * alertable wait. Every routine must run on the main thread.
 *
 * usage: apc_copy [bytes] [block size] [blocks in flight]
 */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IN_FLIGHT 64

typedef struct Block {
  OVERLAPPED overlapped; /* first: the routine gets this pointer back */
  ULONGLONG offset;
  char* data;
} Block;

static HANDLE g_source;
static HANDLE g_destination;
static ULONGLONG g_size;
static DWORD g_block_size;
static ULONGLONG g_next_offset = 0;
static LONG g_in_flight = 0;
static LONG g_blocks_written = 0;
static LONG g_routines = 0;
static LONG g_wrong_thread = 0;
static LONG g_failures = 0;
static LONG g_apcs = 0;
static LONG g_half = 1; /* blocks written when the monitor is told */
static DWORD g_main_thread_id;
static HANDLE g_half_written; /* auto-reset: tells the monitor to queue its APC */

static void CheckThread(void) {
  ++g_routines;
  if (GetCurrentThreadId() != g_main_thread_id) ++g_wrong_thread;
}

static VOID WINAPI WriteDone(DWORD error, DWORD bytes, LPOVERLAPPED overlapped);

/* Starts the next read for `block`, or retires it once everything is read. */
static VOID WINAPI ReadDone(DWORD error, DWORD bytes, LPOVERLAPPED overlapped);

static void StartRead(Block* block) {
  if (g_next_offset >= g_size) {
    --g_in_flight;
    return;
  }
  ZeroMemory(&block->overlapped, sizeof(block->overlapped));
  block->offset = g_next_offset;
  block->overlapped.Offset = (DWORD)(g_next_offset & 0xFFFFFFFFu);
  block->overlapped.OffsetHigh = (DWORD)(g_next_offset >> 32);
  g_next_offset += g_block_size;
  if (!ReadFileEx(g_source, block->data, g_block_size, &block->overlapped, ReadDone)) {
    printf("apc_copy: ReadFileEx failed: %lu\n", (unsigned long)GetLastError());
    ++g_failures;
    --g_in_flight;
  }
}

static VOID WINAPI ReadDone(DWORD error, DWORD bytes, LPOVERLAPPED overlapped) {
  Block* block = (Block*)overlapped;
  CheckThread();
  if (error != 0 || bytes == 0) {
    printf("apc_copy: read at %llu failed: %lu\n", (unsigned long long)block->offset,
           (unsigned long)error);
    ++g_failures;
    --g_in_flight;
    return;
  }
  /* The same offset in the destination; the read's length is the block's. */
  if (!WriteFileEx(g_destination, block->data, bytes, &block->overlapped, WriteDone)) {
    printf("apc_copy: WriteFileEx failed: %lu\n", (unsigned long)GetLastError());
    ++g_failures;
    --g_in_flight;
  }
}

static VOID WINAPI WriteDone(DWORD error, DWORD bytes, LPOVERLAPPED overlapped) {
  Block* block = (Block*)overlapped;
  (void)bytes;
  CheckThread();
  if (error != 0) {
    printf("apc_copy: write failed: %lu\n", (unsigned long)error);
    ++g_failures;
    --g_in_flight;
    return;
  }
  if (++g_blocks_written == g_half) SetEvent(g_half_written);
  StartRead(block);
}

static VOID CALLBACK MonitorApc(ULONG_PTR parameter) {
  CheckThread();
  g_apcs += (LONG)parameter;
}

static DWORD WINAPI Monitor(LPVOID parameter) {
  HANDLE main_thread = (HANDLE)parameter;
  if (WaitForSingleObject(g_half_written, INFINITE) != WAIT_OBJECT_0) return 1;
  return QueueUserAPC(MonitorApc, main_thread, 1) ? 0 : 2;
}

static char Pattern(ULONGLONG i) { return (char)((i * 13 + (i >> 11)) & 0xFF); }

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
  BOOL same = TRUE;
  if (file == INVALID_HANDLE_VALUE) return FALSE;
  if (GetFileSize(file, NULL) != (DWORD)g_size) same = FALSE;
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
  HANDLE main_thread, monitor, idle_event;
  DWORD i, turn = 0;
  g_size = argc > 1 ? (ULONGLONG)atoll(argv[1]) : 1000000;
  g_block_size = argc > 2 ? (DWORD)atoi(argv[2]) : 16384;
  if (in_flight < 1 || in_flight > MAX_IN_FLIGHT || g_block_size == 0 || g_size == 0) return 2;
  if ((g_size / g_block_size) / 2 > 1) g_half = (LONG)((g_size / g_block_size) / 2);
  g_main_thread_id = GetCurrentThreadId();

  if (GetTempPathA(sizeof(directory), directory) == 0 ||
      GetTempFileNameA(directory, "apc", 0, source_path) == 0 ||
      GetTempFileNameA(directory, "apc", 0, destination_path) == 0) {
    printf("apc_copy: temporary files: %lu\n", (unsigned long)GetLastError());
    return 1;
  }
  if (!MakeSource(source_path)) return 1;
  g_source = CreateFileA(source_path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                         FILE_FLAG_OVERLAPPED, NULL);
  g_destination = CreateFileA(destination_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_FLAG_OVERLAPPED, NULL);
  if (g_source == INVALID_HANDLE_VALUE || g_destination == INVALID_HANDLE_VALUE) return 1;

  /* A real handle to this thread for the monitor's QueueUserAPC. */
  if (!DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &main_thread,
                       0, FALSE, DUPLICATE_SAME_ACCESS)) {
    return 1;
  }
  g_half_written = CreateEventA(NULL, FALSE, FALSE, NULL);
  idle_event = CreateEventA(NULL, TRUE, FALSE, NULL); /* never set: waits end by APCs */
  monitor = CreateThread(NULL, 0, Monitor, main_thread, 0, NULL);

  for (i = 0; i < in_flight; ++i) {
    blocks[i].data = (char*)malloc(g_block_size);
    ++g_in_flight;
    StartRead(&blocks[i]);
  }
  /* Nothing runs a routine unless this thread waits alertably. */
  if (g_routines != 0) {
    printf("apc_copy: a routine ran outside an alertable wait\n");
    return 1;
  }
  while (g_in_flight > 0 || g_apcs == 0) {
    DWORD result;
    switch (turn++ % 3) {
      case 0:
        result = SleepEx(INFINITE, TRUE);
        break;
      case 1:
        result = WaitForSingleObjectEx(idle_event, INFINITE, TRUE);
        break;
      default:
        result = WaitForMultipleObjectsEx(1, &idle_event, FALSE, INFINITE, TRUE);
        break;
    }
    if (result != WAIT_IO_COMPLETION) {
      printf("apc_copy: an alertable wait returned %lu\n", (unsigned long)result);
      return 1;
    }
  }
  WaitForSingleObject(monitor, INFINITE);
  CloseHandle(monitor);
  CloseHandle(main_thread);
  CloseHandle(idle_event);
  CloseHandle(g_half_written);
  CloseHandle(g_source);
  CloseHandle(g_destination);
  for (i = 0; i < in_flight; ++i) free(blocks[i].data);

  if (g_failures != 0 || g_wrong_thread != 0 || g_apcs != 1 || !SameContents(destination_path)) {
    printf("apc_copy: FAILED, %ld failures, %ld routines on another thread, %ld APCs\n",
           (long)g_failures, (long)g_wrong_thread, (long)g_apcs);
    return 1;
  }
  DeleteFileA(source_path);
  DeleteFileA(destination_path);
  printf("apc_copy: %ld completion routines and 1 APC, all on the main thread\n", (long)g_routines);
  printf("apc_copy: OK, copy identical\n");
  return 0;
}
