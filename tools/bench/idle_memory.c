/*
 * idle_memory.c - library memory per idle connection (docs/PERFORMANCE.md):
 * a Windows-style server accepts N connections, associates each with its
 * completion port and leaves one overlapped WSARecv pending on it, as an
 * IOCP server does between messages. The heap the process uses (glibc's
 * mallinfo2: in-use chunks plus mmapped blocks) is read once the first
 * connection is set up (it primes the library's pools) and after the last
 * receive is pending; the difference over N - 1 is what the library keeps
 * per connection. The application's own per-connection
 * state (OVERLAPPED, a 16-byte buffer) is allocated before the first reading,
 * and the clients live in a child process, so neither is counted; neither is
 * the kernel's socket memory, which is not on this heap.
 *
 *   bazel run --config=opt //tools/bench:idle_memory -- [connections, default 10000] [limit]
 *       [acceptex]
 *
 * With "acceptex", each connection is accepted the way most IOCP servers
 * do it: AcceptEx into a socket made beforehand by WSASocket, completed
 * through the port, then SO_UPDATE_ACCEPT_CONTEXT, association, WSARecv.
 *
 * With a limit (bytes per connection), exits 1 when the heap per connection
 * is above it: //tools/bench:idle_memory_test holds the 256-byte target.
 */
#include <malloc.h>
#include <mswsock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <windows.h>
#include <winsock2.h>

#include "tools/bench/idle_connector.h"

#define ADDRESS_AREA (sizeof(SOCKADDR_IN6) + 16)

typedef struct CONN {
  OVERLAPPED overlapped;
  SOCKET socket;
  char buffer[16];
  char accept_output[2 * ADDRESS_AREA]; /* AcceptEx's address areas */
} CONN;

/* AcceptEx into a fresh socket, completed through the port (whose key for
 * the listener is 0). Returns the connected socket or INVALID_SOCKET. */
static SOCKET AcceptThroughPort(HANDLE port, SOCKET listener, CONN *c) {
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED done;
  SOCKET s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  if (s == INVALID_SOCKET) return INVALID_SOCKET;
  memset(&c->overlapped, 0, sizeof(c->overlapped));
  if (!AcceptEx(listener, s, c->accept_output, 0, ADDRESS_AREA, ADDRESS_AREA, NULL,
                &c->overlapped) &&
      WSAGetLastError() != WSA_IO_PENDING) {
    closesocket(s);
    return INVALID_SOCKET;
  }
  if (!GetQueuedCompletionStatus(port, &bytes, &key, &done, 10000) || done != &c->overlapped ||
      setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&listener, sizeof(listener)) !=
          0) {
    closesocket(s);
    return INVALID_SOCKET;
  }
  return s;
}

static size_t HeapInUse(void) {
  struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

static long ResidentKiB(void) {
  long pages = 0, resident = 0;
  FILE *statm = fopen("/proc/self/statm", "r");
  if (statm == NULL) return -1;
  if (fscanf(statm, "%ld %ld", &pages, &resident) != 2) resident = -1;
  fclose(statm);
  return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(int argc, char **argv) {
  int count = argc > 1 ? atoi(argv[1]) : 10000;
  double limit = argc > 2 ? atof(argv[2]) : 0;
  int acceptex = argc > 3 && strcmp(argv[3], "acceptex") == 0;
  double per_connection;
  WSADATA wsa;
  SOCKADDR_IN address;
  int length = sizeof(address), i, hold[2], status;
  HANDLE port;
  SOCKET listener;
  CONN *conns;
  size_t heap_before, heap_after;
  long rss_before, rss_after;
  pid_t child;
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED ov;

  if (count < 1 || count > 18000) {
    fprintf(stderr, "usage: idle_memory [connections: 1..18000]\n");
    return 2;
  }
  conns = (CONN *)calloc((size_t)count, sizeof(CONN));
  if (conns == NULL || WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return 1;
  port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
  listener = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
  memset(&address, 0, sizeof(address));
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (port == NULL || listener == INVALID_SOCKET ||
      bind(listener, (SOCKADDR *)&address, sizeof(address)) != 0 ||
      getsockname(listener, (SOCKADDR *)&address, &length) != 0 ||
      listen(listener, SOMAXCONN) != 0 || pipe(hold) != 0 ||
      CreateIoCompletionPort((HANDLE)listener, port, 0, 0) != port) {
    fprintf(stderr, "idle_memory: set-up failed (%d)\n", WSAGetLastError());
    return 1;
  }
  child = fork();
  if (child == 0) {
    close(hold[1]);
    _exit(IdleConnectorRun(ntohs(address.sin_port), count, hold[0]));
  }
  close(hold[0]);

  /* The first connection is set up before the first reading: it primes the
   * library's pools (a chunk of request records, of extensions for AcceptEx),
   * one-time costs that would otherwise be spread over few connections. The
   * figure is the cost of each further connection. */
  heap_before = rss_before = 0;
  for (i = 0; i < count; ++i) {
    WSABUF buf;
    DWORD flags = 0;
    CONN *c = &conns[i];
    if (i == 1) {
      heap_before = HeapInUse();
      rss_before = ResidentKiB();
    }
    c->socket = acceptex ? AcceptThroughPort(port, listener, c) : accept(listener, NULL, NULL);
    if (c->socket == INVALID_SOCKET ||
        CreateIoCompletionPort((HANDLE)c->socket, port, (ULONG_PTR)c, 0) != port) {
      fprintf(stderr, "idle_memory: accept %d failed (%d)\n", i, WSAGetLastError());
      return 1;
    }
    buf.buf = c->buffer;
    buf.len = sizeof(c->buffer);
    if (WSARecv(c->socket, &buf, 1, NULL, &flags, &c->overlapped, NULL) != SOCKET_ERROR ||
        WSAGetLastError() != WSA_IO_PENDING) {
      fprintf(stderr, "idle_memory: WSARecv %d did not pend (%d)\n", i, WSAGetLastError());
      return 1;
    }
  }
  /* Every receive reaches the kernel, and none completes: nothing was sent. */
  if (GetQueuedCompletionStatus(port, &bytes, &key, &ov, 0) || GetLastError() != WAIT_TIMEOUT) {
    fprintf(stderr, "idle_memory: a receive completed (%lu)\n", (unsigned long)GetLastError());
    return 1;
  }
  heap_after = HeapInUse();
  rss_after = ResidentKiB();
  per_connection = count > 1 ? (double)(heap_after - heap_before) / (count - 1) : 0;
  printf("connections %d (%s)\n", count, acceptex ? "AcceptEx" : "accept");
  printf("library heap per idle connection: %.1f bytes (%zu bytes in use before, %zu after)\n",
         per_connection, heap_before, heap_after);
  printf("resident memory per idle connection: %.1f bytes (process RSS, user space only)\n",
         count > 1 ? (double)(rss_after - rss_before) * 1024.0 / (count - 1) : 0.0);

  /* Closing ends each pending receive with a packet; the OVERLAPPEDs stay
   * in use until it is dequeued. */
  for (i = 0; i < count; ++i) closesocket(conns[i].socket);
  for (i = 0; i < count; ++i) {
    if (GetQueuedCompletionStatus(port, &bytes, &key, &ov, 10000) || ov == NULL) {
      fprintf(stderr, "idle_memory: packet %d of the closes missing (%lu)\n", i,
              (unsigned long)GetLastError());
      return 1;
    }
  }
  close(hold[1]); /* the child lets go of its connections */
  waitpid(child, &status, 0);
  closesocket(listener);
  CloseHandle(port);
  WSACleanup();
  free(conns);
#if defined(__SANITIZE_ADDRESS__)
  /* ASan's allocator is not glibc's: mallinfo2 does not see its heap. */
  if (limit > 0) printf("under ASan the heap is not measured: limit not checked\n");
  limit = 0;
#endif
  if (limit > 0 && per_connection > limit) {
    fprintf(stderr, "idle_memory: %.1f bytes per connection, above the limit of %.0f\n",
            per_connection, limit);
    return 1;
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
