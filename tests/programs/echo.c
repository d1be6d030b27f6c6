/*
 * echo.c - a Windows IOCP TCP echo server and its load client, in one
 * process, written against Winsock as a Windows program would be.
 *
 * Server: a listener with AcceptEx requests outstanding (the accept sockets
 * are created ahead, as IOCP servers do), SO_UPDATE_ACCEPT_CONTEXT on each
 * accepted socket, then per connection one overlapped WSARecv at a time and
 * a WSASend of whatever arrived, until the client closes (0 bytes).
 * Client: C connections made with ConnectEx (found through WSAIoctl), each
 * sending B bytes of a per-connection pattern in chunks, one chunk in flight,
 * and checking every byte that comes back.
 * Both sides share one completion port and one pool of worker threads
 * (GetQueuedCompletionStatus, CONTAINING_RECORD), as a real server's pool
 * would serve several kinds of handles.
 *
 * Usage: echo [clients] [bytes_per_client] [workers] [chunk]
 * Prints throughput, and "echo: OK ..." last when every byte came back
 * intact, every connection was accepted once and closed on both sides.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_LISTENER 1
#define KEY_SERVER   2
#define KEY_CLIENT   3
#define KEY_STOP     4

#define MAX_WORKERS   64
#define ACCEPTS_AHEAD 64
#define MAX_CHUNK     65536
#define ADDRESS_AREA  (sizeof(SOCKADDR_IN6) + 16)

typedef struct ACCEPT_SLOT {
    OVERLAPPED overlapped;
    SOCKET     socket;
    char       output[2 * ADDRESS_AREA];
} ACCEPT_SLOT;

typedef enum { SERVER_RECV, SERVER_SEND } SERVER_STATE;

typedef struct SERVER_CONN {
    OVERLAPPED   overlapped;
    SOCKET       socket;
    SERVER_STATE state;
    DWORD        pending;      /* bytes received, not yet all sent back */
    DWORD        sent;
    char         buffer[MAX_CHUNK];
} SERVER_CONN;

typedef enum { CLIENT_CONNECT, CLIENT_SEND, CLIENT_RECV } CLIENT_STATE;

typedef struct CLIENT {
    OVERLAPPED   overlapped;
    SOCKET       socket;
    DWORD        id;
    CLIENT_STATE state;
    ULONGLONG    sentTotal;    /* bytes handed to the server so far */
    ULONGLONG    echoedTotal;  /* bytes that came back and matched */
    DWORD        chunkSent;    /* of the current chunk */
    DWORD        chunkLength;
    char         out[MAX_CHUNK];
    char         in[MAX_CHUNK];
} CLIENT;

static HANDLE g_port;
static SOCKET g_listener;
static LPFN_ACCEPTEX g_acceptEx;
static LPFN_CONNECTEX g_connectEx;
static SOCKADDR_IN g_serverAddress;
static DWORD g_clients;
static ULONGLONG g_bytesPerClient;
static DWORD g_chunk;
static ACCEPT_SLOT g_slots[ACCEPTS_AHEAD];
static CLIENT *g_clientTable;

static volatile LONG g_accepted;
static volatile LONG g_acceptsPosted;
static volatile LONG g_serverClosed;
static volatile LONG g_clientsDone;
static volatile LONG g_failures;
static volatile LONGLONG g_serverBytes;
static HANDLE g_allDone;

static void Fail(const char *what, DWORD error)
{
    fprintf(stderr, "echo: %s failed: %lu\n", what, (unsigned long)error);
    InterlockedIncrement(&g_failures);
}

static unsigned char PatternByte(DWORD id, ULONGLONG offset)
{
    return (unsigned char)((id * 131u) + (offset * 7u) + (offset >> 8));
}

/* An interlocked read: the counters are incremented by other workers. */
static LONG ReadCounter(volatile LONG *counter)
{
    return InterlockedCompareExchange(counter, 0, 0);
}

static void CheckAllDone(void)
{
    if ((DWORD)ReadCounter(&g_clientsDone) == g_clients &&
        (DWORD)ReadCounter(&g_serverClosed) == g_clients) {
        SetEvent(g_allDone);
    }
}

/* --- server side --- */

static void PostAccept(ACCEPT_SLOT *slot)
{
    DWORD received = 0;
    if (InterlockedIncrement(&g_acceptsPosted) > (LONG)g_clients) return; /* enough */
    slot->socket = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (slot->socket == INVALID_SOCKET) {
        Fail("WSASocket (accept)", WSAGetLastError());
        return;
    }
    memset(&slot->overlapped, 0, sizeof(slot->overlapped));
    if (!g_acceptEx(g_listener, slot->socket, slot->output, 0, ADDRESS_AREA, ADDRESS_AREA,
                    &received, &slot->overlapped) &&
        WSAGetLastError() != ERROR_IO_PENDING) {
        Fail("AcceptEx", WSAGetLastError());
    }
}

static void ServerReceive(SERVER_CONN *conn)
{
    WSABUF buf;
    DWORD flags = 0;
    buf.buf = conn->buffer;
    buf.len = g_chunk;
    conn->state = SERVER_RECV;
    memset(&conn->overlapped, 0, sizeof(conn->overlapped));
    if (WSARecv(conn->socket, &buf, 1, NULL, &flags, &conn->overlapped, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        Fail("WSARecv (server)", WSAGetLastError());
    }
}

static void ServerSend(SERVER_CONN *conn)
{
    WSABUF buf;
    buf.buf = conn->buffer + conn->sent;
    buf.len = conn->pending - conn->sent;
    conn->state = SERVER_SEND;
    memset(&conn->overlapped, 0, sizeof(conn->overlapped));
    if (WSASend(conn->socket, &buf, 1, NULL, 0, &conn->overlapped, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        Fail("WSASend (server)", WSAGetLastError());
    }
}

static void OnAccepted(ACCEPT_SLOT *slot, BOOL ok, DWORD error)
{
    SERVER_CONN *conn;
    SOCKET accepted = slot->socket;
    if (!ok) {
        Fail("AcceptEx completion", error);
        closesocket(accepted);
        return;
    }
    InterlockedIncrement(&g_accepted);
    if (setsockopt(accepted, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&g_listener,
                   sizeof(g_listener)) != 0) {
        Fail("SO_UPDATE_ACCEPT_CONTEXT", WSAGetLastError());
    }
    PostAccept(slot); /* keep the listener supplied */
    conn = (SERVER_CONN *)calloc(1, sizeof(SERVER_CONN));
    if (conn == NULL) {
        Fail("calloc", 0);
        closesocket(accepted);
        return;
    }
    conn->socket = accepted;
    if (CreateIoCompletionPort((HANDLE)accepted, g_port, KEY_SERVER, 0) != g_port) {
        Fail("CreateIoCompletionPort (accepted)", GetLastError());
    }
    ServerReceive(conn);
}

static void OnServerIo(SERVER_CONN *conn, BOOL ok, DWORD bytes, DWORD error)
{
    if (!ok) {
        Fail("server I/O", error);
        closesocket(conn->socket);
        free(conn);
        InterlockedIncrement(&g_serverClosed);
        CheckAllDone();
        return;
    }
    if (conn->state == SERVER_RECV) {
        if (bytes == 0) { /* the client closed: so do we */
            closesocket(conn->socket);
            free(conn);
            InterlockedIncrement(&g_serverClosed);
            CheckAllDone();
            return;
        }
        InterlockedExchangeAdd64(&g_serverBytes, bytes);
        conn->pending = bytes;
        conn->sent = 0;
        ServerSend(conn);
        return;
    }
    conn->sent += bytes;
    if (conn->sent < conn->pending) {
        ServerSend(conn); /* the rest of a partial send */
    } else {
        ServerReceive(conn);
    }
}

/* --- client side --- */

static void FillChunk(CLIENT *client)
{
    ULONGLONG left = g_bytesPerClient - client->sentTotal;
    DWORD i;
    client->chunkLength = left < g_chunk ? (DWORD)left : g_chunk;
    client->chunkSent = 0;
    for (i = 0; i < client->chunkLength; i++) {
        client->out[i] = (char)PatternByte(client->id, client->sentTotal + i);
    }
}

static void ClientSend(CLIENT *client)
{
    WSABUF buf;
    buf.buf = client->out + client->chunkSent;
    buf.len = client->chunkLength - client->chunkSent;
    client->state = CLIENT_SEND;
    memset(&client->overlapped, 0, sizeof(client->overlapped));
    if (WSASend(client->socket, &buf, 1, NULL, 0, &client->overlapped, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        Fail("WSASend (client)", WSAGetLastError());
    }
}

static void ClientReceive(CLIENT *client)
{
    WSABUF buf;
    DWORD flags = 0;
    buf.buf = client->in;
    buf.len = g_chunk;
    client->state = CLIENT_RECV;
    memset(&client->overlapped, 0, sizeof(client->overlapped));
    if (WSARecv(client->socket, &buf, 1, NULL, &flags, &client->overlapped, NULL) ==
            SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        Fail("WSARecv (client)", WSAGetLastError());
    }
}

static void ClientFinished(CLIENT *client)
{
    closesocket(client->socket); /* the server sees 0 bytes and closes too */
    client->socket = INVALID_SOCKET;
    InterlockedIncrement(&g_clientsDone);
    CheckAllDone();
}

static void OnClientIo(CLIENT *client, BOOL ok, DWORD bytes, DWORD error)
{
    DWORD i;
    if (!ok) {
        Fail(client->state == CLIENT_CONNECT ? "ConnectEx" : "client I/O", error);
        ClientFinished(client);
        return;
    }
    switch (client->state) {
    case CLIENT_CONNECT:
        setsockopt(client->socket, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0);
        /* ConnectEx sent the first chunk (bytes = how much of it). */
        client->chunkSent = bytes;
        client->sentTotal += bytes;
        if (client->chunkSent < client->chunkLength) ClientSend(client); else ClientReceive(client);
        break;
    case CLIENT_SEND:
        client->chunkSent += bytes;
        client->sentTotal += bytes;
        if (client->chunkSent < client->chunkLength) ClientSend(client); else ClientReceive(client);
        break;
    case CLIENT_RECV:
        if (bytes == 0) {
            Fail("server closed early", 0);
            ClientFinished(client);
            return;
        }
        for (i = 0; i < bytes; i++) {
            if ((unsigned char)client->in[i] != PatternByte(client->id, client->echoedTotal + i)) {
                Fail("echoed byte mismatch", (DWORD)(client->echoedTotal + i));
                ClientFinished(client);
                return;
            }
        }
        client->echoedTotal += bytes;
        if (client->echoedTotal < client->sentTotal) {
            ClientReceive(client);
        } else if (client->sentTotal < g_bytesPerClient) {
            FillChunk(client);
            ClientSend(client);
        } else {
            ClientFinished(client);
        }
        break;
    }
}

static void StartClient(CLIENT *client)
{
    SOCKADDR_IN local;
    DWORD sent = 0;
    client->socket = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (client->socket == INVALID_SOCKET) {
        Fail("WSASocket (client)", WSAGetLastError());
        InterlockedIncrement(&g_clientsDone);
        InterlockedIncrement(&g_serverClosed);
        return;
    }
    memset(&local, 0, sizeof(local));
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(client->socket, (SOCKADDR *)&local, sizeof(local)) != 0) { /* ConnectEx needs it */
        Fail("bind (client)", WSAGetLastError());
    }
    if (CreateIoCompletionPort((HANDLE)client->socket, g_port, KEY_CLIENT, 0) != g_port) {
        Fail("CreateIoCompletionPort (client)", GetLastError());
    }
    FillChunk(client);
    client->state = CLIENT_CONNECT;
    memset(&client->overlapped, 0, sizeof(client->overlapped));
    if (!g_connectEx(client->socket, (SOCKADDR *)&g_serverAddress, sizeof(g_serverAddress),
                     client->out, client->chunkLength, &sent, &client->overlapped) &&
        WSAGetLastError() != ERROR_IO_PENDING) {
        Fail("ConnectEx", WSAGetLastError());
    }
}

/* --- the pool --- */

static DWORD WINAPI Worker(LPVOID parameter)
{
    (void)parameter;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED overlapped = NULL;
        BOOL ok = GetQueuedCompletionStatus(g_port, &bytes, &key, &overlapped, INFINITE);
        DWORD error = ok ? 0 : GetLastError();
        if (!ok && overlapped == NULL) {
            Fail("GetQueuedCompletionStatus", error);
            return 1;
        }
        switch (key) {
        case KEY_STOP:
            return 0;
        case KEY_LISTENER:
            OnAccepted(CONTAINING_RECORD(overlapped, ACCEPT_SLOT, overlapped), ok, error);
            break;
        case KEY_SERVER:
            OnServerIo(CONTAINING_RECORD(overlapped, SERVER_CONN, overlapped), ok, bytes, error);
            break;
        case KEY_CLIENT:
            OnClientIo(CONTAINING_RECORD(overlapped, CLIENT, overlapped), ok, bytes, error);
            break;
        default:
            Fail("unknown key", (DWORD)key);
        }
    }
}

static BOOL LoadExtension(SOCKET s, GUID guid, void *function, DWORD size)
{
    DWORD bytes = 0;
    return WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), function, size,
                    &bytes, NULL, NULL) == 0;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    SYSTEM_INFO info;
    HANDLE threads[MAX_WORKERS];
    DWORD workers, i;
    int length = sizeof(g_serverAddress);
    GUID acceptGuid = WSAID_ACCEPTEX, connectGuid = WSAID_CONNECTEX;
    ULONGLONG start, elapsedMs, total;

    g_clients = argc > 1 ? (DWORD)strtoul(argv[1], NULL, 10) : 100;
    g_bytesPerClient = argc > 2 ? strtoull(argv[2], NULL, 10) : 65536;
    GetSystemInfo(&info);
    workers = argc > 3 ? (DWORD)strtoul(argv[3], NULL, 10) : 2 * info.dwNumberOfProcessors;
    g_chunk = argc > 4 ? (DWORD)strtoul(argv[4], NULL, 10) : 4096;
    if (g_clients == 0 || g_bytesPerClient == 0 || workers == 0 || workers > MAX_WORKERS ||
        g_chunk == 0 || g_chunk > MAX_CHUNK) {
        fprintf(stderr, "usage: echo [clients] [bytes_per_client] [workers 1-%d] [chunk 1-%d]\n",
                MAX_WORKERS, MAX_CHUNK);
        return 2;
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "echo: WSAStartup failed\n");
        return 1;
    }
    g_allDone = CreateEventA(NULL, TRUE, FALSE, NULL);
    g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    g_listener = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (g_port == NULL || g_listener == INVALID_SOCKET || g_allDone == NULL) {
        fprintf(stderr, "echo: set-up failed: %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    memset(&g_serverAddress, 0, sizeof(g_serverAddress));
    g_serverAddress.sin_family = AF_INET;
    g_serverAddress.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(g_listener, (SOCKADDR *)&g_serverAddress, sizeof(g_serverAddress)) != 0 ||
        getsockname(g_listener, (SOCKADDR *)&g_serverAddress, &length) != 0 ||
        listen(g_listener, SOMAXCONN) != 0) {
        fprintf(stderr, "echo: listen failed: %d\n", WSAGetLastError());
        return 1;
    }
    if (!LoadExtension(g_listener, acceptGuid, &g_acceptEx, sizeof(g_acceptEx)) ||
        !LoadExtension(g_listener, connectGuid, &g_connectEx, sizeof(g_connectEx))) {
        fprintf(stderr, "echo: WSAIoctl failed: %d\n", WSAGetLastError());
        return 1;
    }
    CreateIoCompletionPort((HANDLE)g_listener, g_port, KEY_LISTENER, 0);
    printf("echo: server on 127.0.0.1:%u, %lu clients x %llu bytes, %lu workers, chunk %lu\n",
           ntohs(g_serverAddress.sin_port), (unsigned long)g_clients,
           (unsigned long long)g_bytesPerClient, (unsigned long)workers, (unsigned long)g_chunk);

    for (i = 0; i < workers; i++) {
        threads[i] = CreateThread(NULL, 0, Worker, NULL, 0, NULL);
        if (threads[i] == NULL) {
            fprintf(stderr, "echo: CreateThread failed\n");
            return 1;
        }
    }
    for (i = 0; i < ACCEPTS_AHEAD; i++) PostAccept(&g_slots[i]);

    g_clientTable = (CLIENT *)calloc(g_clients, sizeof(CLIENT));
    if (g_clientTable == NULL) {
        fprintf(stderr, "echo: out of memory\n");
        return 1;
    }
    start = GetTickCount64();
    for (i = 0; i < g_clients; i++) {
        g_clientTable[i].id = i;
        StartClient(&g_clientTable[i]);
    }
    if (WaitForSingleObject(g_allDone, 120000) != WAIT_OBJECT_0) {
        fprintf(stderr, "echo: timed out: %ld clients done, %ld server connections closed\n",
                (long)ReadCounter(&g_clientsDone), (long)ReadCounter(&g_serverClosed));
        return 1;
    }
    elapsedMs = GetTickCount64() - start;

    for (i = 0; i < workers; i++) PostQueuedCompletionStatus(g_port, 0, KEY_STOP, NULL);
    WaitForMultipleObjects(workers, threads, TRUE, INFINITE);
    for (i = 0; i < workers; i++) CloseHandle(threads[i]);

    /* Accept sockets that never got a connection (none when all went well). */
    closesocket(g_listener);
    CloseHandle(g_port);
    CloseHandle(g_allDone);

    total = 0;
    for (i = 0; i < g_clients; i++) total += g_clientTable[i].echoedTotal;
    free(g_clientTable);
    WSACleanup();

    printf("echo: %llu bytes echoed in %llu ms (%.1f MB/s each way)\n", (unsigned long long)total,
           (unsigned long long)elapsedMs,
           elapsedMs ? (double)total / 1e6 / ((double)elapsedMs / 1000.0) : 0.0);
    if (g_failures != 0 || total != g_bytesPerClient * g_clients ||
        (ULONGLONG)g_serverBytes != total || (DWORD)g_accepted != g_clients) {
        printf("echo: FAILED: %ld failures, %llu of %llu bytes, %ld accepted\n", (long)g_failures,
               (unsigned long long)total, (unsigned long long)(g_bytesPerClient * g_clients),
               (long)g_accepted);
        return 1;
    }
    printf("echo: OK, %lu connections accepted once, every byte echoed intact, all closed\n",
           (unsigned long)g_clients);
    return 0;
}
