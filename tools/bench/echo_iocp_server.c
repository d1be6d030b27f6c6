/*
 * echo_iocp_server.c - the IOCP side of echo_bench: a TCP echo server
 * written as a Windows program would write it (AcceptEx, WSARecv, WSASend,
 * worker threads in GetQueuedCompletionStatus), compiled against our
 * headers. echo_bench.cc drives it through the functions below; as a
 * program (echo_iocp_main.c) it is contender (a) of tools/bench/run, and,
 * built with mingw-w64 and run under Wine, contender (g). A connection has
 * one request in flight at a time, so any worker may complete it.
 */
#include <winsock2.h>
#include <ws2tcpip.h> /* SOCKADDR_IN6 (ws2ipdef.h on Windows) */
#include <mswsock.h>
#include <windows.h>
#include <stdlib.h>
#include <string.h>

#include "tools/bench/echo_iocp_server.h"

#define KEY_ACCEPT 1
#define KEY_CONN   2
#define KEY_STOP   3
#define BUFFER     65536
#define AREA       (sizeof(SOCKADDR_IN6) + 16)

typedef struct CONN {
    OVERLAPPED overlapped;
    SOCKET     socket;
    BOOL       sending;
    DWORD      length;
    DWORD      sent;
    char       buffer[BUFFER];
} CONN;

typedef struct ACCEPT {
    OVERLAPPED overlapped;
    SOCKET     socket;
    char       output[2 * AREA];
} ACCEPT;

static HANDLE g_port;
static SOCKET g_listener;
#define WORKERS_MAX 256

static HANDLE g_workers[WORKERS_MAX];
static int g_workerCount;
static LPFN_ACCEPTEX g_acceptEx;
static ACCEPT g_accept;
static CONN **g_conns;
static int g_connCount, g_connCapacity;

static void Receive(CONN *c)
{
    WSABUF buf;
    DWORD flags = 0;
    buf.buf = c->buffer;
    buf.len = BUFFER;
    c->sending = FALSE;
    memset(&c->overlapped, 0, sizeof(c->overlapped));
    WSARecv(c->socket, &buf, 1, NULL, &flags, &c->overlapped, NULL);
}

static void Send(CONN *c)
{
    WSABUF buf;
    buf.buf = c->buffer + c->sent;
    buf.len = c->length - c->sent;
    c->sending = TRUE;
    memset(&c->overlapped, 0, sizeof(c->overlapped));
    WSASend(c->socket, &buf, 1, NULL, 0, &c->overlapped, NULL);
}

static void PostAccept(void)
{
    DWORD bytes;
    g_accept.socket = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    memset(&g_accept.overlapped, 0, sizeof(g_accept.overlapped));
    g_acceptEx(g_listener, g_accept.socket, g_accept.output, 0, AREA, AREA, &bytes,
               &g_accept.overlapped);
}

static DWORD WINAPI Worker(LPVOID unused)
{
    (void)unused;
    for (;;) {
        DWORD bytes;
        ULONG_PTR key;
        LPOVERLAPPED ov;
        BOOL ok = GetQueuedCompletionStatus(g_port, &bytes, &key, &ov, INFINITE);
        if (key == KEY_STOP) return 0;
        if (ov == NULL) return 1;
        if (key == KEY_ACCEPT) {
            CONN *c;
            BOOL nodelay = TRUE;
            if (!ok) return 1;
            c = (CONN *)calloc(1, sizeof(CONN));
            c->socket = g_accept.socket;
            setsockopt(c->socket, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&g_listener,
                       sizeof(g_listener));
            setsockopt(c->socket, IPPROTO_TCP, TCP_NODELAY, (char *)&nodelay, sizeof(nodelay));
            CreateIoCompletionPort((HANDLE)c->socket, g_port, KEY_CONN, 0);
            if (g_connCount == g_connCapacity) {
                g_connCapacity = g_connCapacity ? 2 * g_connCapacity : 64;
                g_conns = (CONN **)realloc(g_conns, g_connCapacity * sizeof(CONN *));
            }
            g_conns[g_connCount++] = c;
            Receive(c);
            PostAccept();
            continue;
        }
        {
            CONN *c = CONTAINING_RECORD(ov, CONN, overlapped);
            if (!ok || (!c->sending && bytes == 0)) continue; /* closed: cleaned up at stop */
            if (!c->sending) {
                c->length = bytes;
                c->sent = 0;
                Send(c);
            } else {
                c->sent += bytes;
                if (c->sent < c->length) Send(c); else Receive(c);
            }
        }
    }
}

int EchoIocpServerStart(unsigned short *port)
{
    return EchoIocpServerStartOn(0, 1, port);
}

int EchoIocpServerStartOn(unsigned short requested, int workers, unsigned short *port)
{
    WSADATA wsa;
    SOCKADDR_IN address;
    int length = sizeof(address);
    GUID guid = WSAID_ACCEPTEX;
    DWORD bytes;
    if (workers < 1 || workers > WORKERS_MAX) return -1;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return -1;
    /* One worker: concurrency 1; a pool: as many running as there are CPUs. */
    g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, workers == 1 ? 1 : 0);
    g_listener = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(requested);
    if (bind(g_listener, (SOCKADDR *)&address, sizeof(address)) != 0 ||
        getsockname(g_listener, (SOCKADDR *)&address, &length) != 0 ||
        listen(g_listener, SOMAXCONN) != 0 ||
        WSAIoctl(g_listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                 &g_acceptEx, sizeof(g_acceptEx), &bytes, NULL, NULL) != 0) {
        return -1;
    }
    CreateIoCompletionPort((HANDLE)g_listener, g_port, KEY_ACCEPT, 0);
    PostAccept();
    for (g_workerCount = 0; g_workerCount < workers; g_workerCount++) {
        g_workers[g_workerCount] = CreateThread(NULL, 0, Worker, NULL, 0, NULL);
        if (g_workers[g_workerCount] == NULL) return -1;
    }
    *port = ntohs(address.sin_port);
    return 0;
}

void EchoIocpServerStop(void)
{
    int i;
    for (i = 0; i < g_workerCount; i++) PostQueuedCompletionStatus(g_port, 0, KEY_STOP, NULL);
    for (i = 0; i < g_workerCount; i++) {
        WaitForSingleObject(g_workers[i], INFINITE);
        CloseHandle(g_workers[i]);
    }
    g_workerCount = 0;
    closesocket(g_listener);
    closesocket(g_accept.socket);
    /* The connections' last receives end with their sockets; the port
     * drops those packets once it is closed. */
    for (i = 0; i < g_connCount; i++) closesocket(g_conns[i]->socket);
    CloseHandle(g_port);
    /* CONN records stay allocated: a receive may still be completing into
     * one (the port drains them after close). A benchmark process exits. */
    g_connCount = 0;
    WSACleanup();
}
