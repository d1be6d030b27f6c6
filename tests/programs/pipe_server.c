/*
 * pipe_server.c - a named-pipe server, written as a Windows program: several
 * instances of one pipe name, all overlapped and associated with one
 * completion port, served by a pool of worker threads. Each instance cycles
 * ConnectNamedPipe -> ReadFile -> WriteFile (the bytes upper-cased) -> ...
 * until its client leaves (ERROR_BROKEN_PIPE), then DisconnectNamedPipe and
 * ConnectNamedPipe again. A client that connects before ConnectNamedPipe
 * gives ERROR_PIPE_CONNECTED; the server then posts the packet itself, the
 * usual Windows idiom. Client threads open the pipe with CreateFileA
 * (waiting with WaitNamedPipeA while every instance is busy) and check
 * every reply.
 *
 * usage: pipe_server [instances] [clients] [sessions per client] [messages per session]
 */
#include <windows.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUFFER_SIZE 512
#define MAX_INSTANCES 16
#define MAX_CLIENTS 32

typedef enum { CONNECTING, READING, WRITING } InstanceState;

typedef struct Instance {
  OVERLAPPED overlapped; /* one request at a time per instance */
  HANDLE pipe;
  InstanceState state;
  DWORD length;
  char buffer[BUFFER_SIZE];
} Instance;

static char g_name[128];
static HANDLE g_port;
static volatile LONG g_sessions_served = 0;
static volatile LONG g_bytes_served = 0;
static volatile LONG g_failures = 0;
static LONG g_sessions_per_client = 5;
static LONG g_messages_per_session = 20;
static LONG g_expected_sessions = 0;
static HANDLE g_all_served; /* set when the last session has ended */
static LONG g_instances = 0;
static volatile LONG g_aborted = 0;
static HANDLE g_all_aborted; /* set when every instance's last connect has ended */

static void Fail(const char* what, DWORD error) {
  printf("pipe_server: %s failed: %lu\n", what, (unsigned long)error);
  InterlockedIncrement(&g_failures);
}

/* Waits for a client on `instance`; a client already there is reported
   through the port like any other connection. */
static void StartConnect(Instance* instance) {
  ZeroMemory(&instance->overlapped, sizeof(instance->overlapped));
  instance->state = CONNECTING;
  if (ConnectNamedPipe(instance->pipe, &instance->overlapped)) return; /* packet follows */
  switch (GetLastError()) {
    case ERROR_IO_PENDING:
      return;
    case ERROR_PIPE_CONNECTED: /* no packet comes for this one: make it */
      PostQueuedCompletionStatus(g_port, 0, (ULONG_PTR)instance, &instance->overlapped);
      return;
    default:
      Fail("ConnectNamedPipe", GetLastError());
  }
}

/* The client left: the session is over, and the instance waits for the
   next client. */
static void EndSession(Instance* instance) {
  if (!DisconnectNamedPipe(instance->pipe)) Fail("DisconnectNamedPipe", GetLastError());
  StartConnect(instance);
  /* Only now: once the last session is counted, main closes every instance,
     which must not happen between the disconnect and the new connect. */
  if (InterlockedIncrement(&g_sessions_served) == g_expected_sessions) SetEvent(g_all_served);
}

static void StartRead(Instance* instance) {
  ZeroMemory(&instance->overlapped, sizeof(instance->overlapped));
  instance->state = READING;
  if (ReadFile(instance->pipe, instance->buffer, BUFFER_SIZE, NULL, &instance->overlapped) ||
      GetLastError() == ERROR_IO_PENDING) {
    return; /* the packet follows */
  }
  /* Failed at once: no packet comes for it. */
  if (GetLastError() == ERROR_BROKEN_PIPE) {
    EndSession(instance);
  } else {
    Fail("ReadFile", GetLastError());
  }
}

static void StartWrite(Instance* instance, DWORD length) {
  DWORD i;
  for (i = 0; i < length; ++i) instance->buffer[i] = (char)toupper((unsigned char)instance->buffer[i]);
  ZeroMemory(&instance->overlapped, sizeof(instance->overlapped));
  instance->state = WRITING;
  instance->length = length;
  if (!WriteFile(instance->pipe, instance->buffer, length, NULL, &instance->overlapped) &&
      GetLastError() != ERROR_IO_PENDING) {
    Fail("WriteFile", GetLastError());
  }
}

static DWORD WINAPI Worker(LPVOID parameter) {
  (void)parameter;
  for (;;) {
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED overlapped = NULL;
    BOOL ok = GetQueuedCompletionStatus(g_port, &bytes, &key, &overlapped, INFINITE);
    DWORD error = ok ? 0 : GetLastError();
    Instance* instance = (Instance*)key;
    if (overlapped == NULL) {
      if (!ok) Fail("GetQueuedCompletionStatus", error);
      return 0; /* the shutdown packet */
    }
    if (error == ERROR_OPERATION_ABORTED) {
      /* Shutting down: the instance's handle was closed under its pending
         ConnectNamedPipe. Its OVERLAPPED is only free once this arrives. */
      if (InterlockedIncrement(&g_aborted) == g_instances) SetEvent(g_all_aborted);
      continue;
    }
    switch (instance->state) {
      case CONNECTING:
        if (!ok) {
          Fail("connect", error);
          continue;
        }
        StartRead(instance);
        break;
      case READING:
        if (!ok || bytes == 0) {
          /* The client left: its session is over. */
          if (error != ERROR_BROKEN_PIPE) Fail("read", error);
          EndSession(instance);
          break;
        }
        StartWrite(instance, bytes);
        break;
      case WRITING:
        if (!ok || bytes != instance->length) {
          Fail("write", error);
        } else {
          InterlockedExchangeAdd(&g_bytes_served, (LONG)bytes);
        }
        StartRead(instance);
        break;
    }
  }
}

/* Reads exactly `length` bytes. */
static BOOL ReadAll(HANDLE pipe, char* data, DWORD length) {
  DWORD total = 0;
  while (total < length) {
    DWORD done = 0;
    if (!ReadFile(pipe, data + total, length - total, &done, NULL)) return FALSE;
    total += done;
  }
  return TRUE;
}

static DWORD WINAPI Client(LPVOID parameter) {
  int id = (int)(INT_PTR)parameter;
  LONG session, message;
  for (session = 0; session < g_sessions_per_client; ++session) {
    HANDLE pipe = INVALID_HANDLE_VALUE;
    while (pipe == INVALID_HANDLE_VALUE) {
      pipe = CreateFileA(g_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
      if (pipe != INVALID_HANDLE_VALUE) break;
      if (GetLastError() != ERROR_PIPE_BUSY) {
        Fail("CreateFileA", GetLastError());
        return 1;
      }
      if (!WaitNamedPipeA(g_name, NMPWAIT_WAIT_FOREVER)) {
        Fail("WaitNamedPipeA", GetLastError());
        return 1;
      }
    }
    for (message = 0; message < g_messages_per_session; ++message) {
      char text[BUFFER_SIZE];
      char reply[BUFFER_SIZE];
      char expected[BUFFER_SIZE];
      DWORD length, done = 0, i;
      length = (DWORD)snprintf(text, sizeof(text), "client %d session %ld message %ld %.*s", id,
                               (long)session, (long)message, (int)(message * 7 % 200),
                               "the quick brown fox jumps over the lazy dog, again and again; "
                               "the quick brown fox jumps over the lazy dog, again and again; "
                               "the quick brown fox jumps over the lazy dog, again and again; "
                               "the quick brown fox jumps over the lazy dog.");
      if (!WriteFile(pipe, text, length, &done, NULL) || done != length) {
        Fail("client WriteFile", GetLastError());
        break;
      }
      if (!ReadAll(pipe, reply, length)) {
        Fail("client ReadFile", GetLastError());
        break;
      }
      for (i = 0; i < length; ++i) expected[i] = (char)toupper((unsigned char)text[i]);
      if (memcmp(reply, expected, length) != 0) {
        Fail("reply check", 0);
        break;
      }
    }
    CloseHandle(pipe);
  }
  return 0;
}

int main(int argc, char** argv) {
  DWORD instances = argc > 1 ? (DWORD)atoi(argv[1]) : 4;
  DWORD clients = argc > 2 ? (DWORD)atoi(argv[2]) : 8;
  Instance* pool;
  HANDLE workers[2];
  HANDLE client_threads[MAX_CLIENTS];
  DWORD i;
  if (argc > 3) g_sessions_per_client = atoi(argv[3]);
  if (argc > 4) g_messages_per_session = atoi(argv[4]);
  if (instances < 1 || instances > MAX_INSTANCES || clients < 1 || clients > MAX_CLIENTS) {
    printf("pipe_server: bad arguments\n");
    return 2;
  }
  snprintf(g_name, sizeof(g_name), "\\\\.\\pipe\\iocp-pipe-server-%lu",
           (unsigned long)GetCurrentProcessId());

  g_expected_sessions = (LONG)clients * g_sessions_per_client;
  g_all_served = CreateEventA(NULL, TRUE, FALSE, NULL);
  g_all_aborted = CreateEventA(NULL, TRUE, FALSE, NULL);
  g_instances = (LONG)instances;
  g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  pool = (Instance*)calloc(instances, sizeof(Instance));
  if (g_port == NULL || pool == NULL) return 1;
  for (i = 0; i < instances; ++i) {
    pool[i].pipe = CreateNamedPipeA(g_name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                                    PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, instances,
                                    BUFFER_SIZE, BUFFER_SIZE, 0, NULL);
    if (pool[i].pipe == INVALID_HANDLE_VALUE) {
      printf("pipe_server: CreateNamedPipeA failed: %lu\n", (unsigned long)GetLastError());
      return 1;
    }
    if (CreateIoCompletionPort(pool[i].pipe, g_port, (ULONG_PTR)&pool[i], 0) != g_port) return 1;
    StartConnect(&pool[i]);
  }
  for (i = 0; i < 2; ++i) workers[i] = CreateThread(NULL, 0, Worker, NULL, 0, NULL);
  for (i = 0; i < clients; ++i) {
    client_threads[i] = CreateThread(NULL, 0, Client, (LPVOID)(INT_PTR)i, 0, NULL);
  }
  WaitForMultipleObjects(clients, client_threads, TRUE, INFINITE);
  for (i = 0; i < clients; ++i) CloseHandle(client_threads[i]);

  /* Every client has closed its end; wait until the workers have seen each
   session end, then stop them. */
  if (g_failures == 0 && WaitForSingleObject(g_all_served, 60000) != WAIT_OBJECT_0) {
    Fail("waiting for the sessions to end", GetLastError());
  }
  /* Each instance waits in ConnectNamedPipe: closing it ends that request
     with ERROR_OPERATION_ABORTED, reported to a worker. The instances'
     memory stays until every one has come back. */
  for (i = 0; i < instances; ++i) CloseHandle(pool[i].pipe);
  if (g_failures == 0 && WaitForSingleObject(g_all_aborted, 60000) != WAIT_OBJECT_0) {
    Fail("waiting for the connects to end", GetLastError());
  }
  for (i = 0; i < 2; ++i) PostQueuedCompletionStatus(g_port, 0, 0, NULL);
  WaitForMultipleObjects(2, workers, TRUE, INFINITE);
  for (i = 0; i < 2; ++i) CloseHandle(workers[i]);
  CloseHandle(g_port);
  CloseHandle(g_all_served);
  CloseHandle(g_all_aborted);
  free(pool);

  if (g_failures != 0 || g_sessions_served != g_expected_sessions) {
    printf("pipe_server: FAILED, %ld failures, %ld of %ld sessions\n", (long)g_failures,
           (long)g_sessions_served, (long)g_expected_sessions);
    return 1;
  }
  printf("pipe_server: %ld bytes served\n", (long)g_bytes_served);
  printf("pipe_server: OK, %ld sessions of %ld messages, every reply checked\n",
         (long)g_expected_sessions, (long)g_messages_per_session);
  return 0;
}
