/*
 * udp_echo.c - a Windows IOCP UDP echo server with blocking clients.
 *
 * Server: one UDP socket on a completion port with R overlapped WSARecvFrom
 * requests outstanding; each datagram is sent back to its source with
 * WSASendTo (overlapped, its own OVERLAPPED per slot), and the slot's
 * receive is posted again. Worker threads run GetQueuedCompletionStatus.
 * Clients: C threads with their own UDP sockets send numbered datagrams with
 * sendto and wait for each echo with recvfrom (SO_RCVTIMEO guards against a
 * datagram the kernel dropped: the client re-sends it).
 *
 * Usage: udp_echo [clients] [datagrams_per_client] [receives_outstanding]
 * Last line "udp_echo: OK ..." when every datagram came back intact.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_SERVER 1
#define KEY_STOP   2
#define MAX_SLOTS  256
#define MAX_CLIENTS 64
#define DATAGRAM   512

typedef enum { IO_RECV, IO_SEND } IO_KIND;

typedef struct SLOT SLOT;

/* One request: the OVERLAPPED, what it was, and whose. */
typedef struct IO {
    OVERLAPPED overlapped;
    IO_KIND    kind;
    SLOT      *slot;
} IO;

struct SLOT {
    IO          recv;
    IO          send;
    SOCKADDR_IN from;
    INT         fromLength;
    char        data[DATAGRAM];
    WSABUF      buf;
};

typedef struct CLIENT {
    DWORD id;
    DWORD datagrams;
    DWORD echoed;
    DWORD resent;
    DWORD failures;
} CLIENT;

static HANDLE g_port;
static SOCKET g_server;
static SOCKADDR_IN g_address;
static SLOT g_slots[MAX_SLOTS];
static volatile LONG g_served;
static volatile LONG g_failures;

static void PostReceive(SLOT *slot)
{
    DWORD flags = 0;
    slot->buf.buf = slot->data;
    slot->buf.len = sizeof(slot->data);
    slot->fromLength = sizeof(slot->from);
    memset(&slot->recv.overlapped, 0, sizeof(slot->recv.overlapped));
    slot->recv.kind = IO_RECV;
    slot->recv.slot = slot;
    if (WSARecvFrom(g_server, &slot->buf, 1, NULL, &flags, (SOCKADDR *)&slot->from,
                    &slot->fromLength, &slot->recv.overlapped, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        fprintf(stderr, "udp_echo: WSARecvFrom failed: %d\n", WSAGetLastError());
        InterlockedIncrement(&g_failures);
    }
}

static DWORD WINAPI ServerWorker(LPVOID parameter)
{
    (void)parameter;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED overlapped = NULL;
        BOOL ok = GetQueuedCompletionStatus(g_port, &bytes, &key, &overlapped, INFINITE);
        IO *io;
        SLOT *slot;
        if (key == KEY_STOP) return 0;
        if (overlapped == NULL) {
            InterlockedIncrement(&g_failures);
            return 1;
        }
        io = CONTAINING_RECORD(overlapped, IO, overlapped);
        slot = io->slot;
        if (io->kind == IO_SEND) { /* the echo went out: receive again */
            if (!ok) InterlockedIncrement(&g_failures);
            PostReceive(slot);
            continue;
        }
        if (!ok) {
            fprintf(stderr, "udp_echo: receive failed: %lu\n", (unsigned long)GetLastError());
            InterlockedIncrement(&g_failures);
            PostReceive(slot);
            continue;
        }
        InterlockedIncrement(&g_served);
        slot->buf.len = bytes;
        memset(&slot->send.overlapped, 0, sizeof(slot->send.overlapped));
        slot->send.kind = IO_SEND;
        slot->send.slot = slot;
        if (WSASendTo(g_server, &slot->buf, 1, NULL, 0, (SOCKADDR *)&slot->from,
                      slot->fromLength, &slot->send.overlapped, NULL) == SOCKET_ERROR &&
            WSAGetLastError() != WSA_IO_PENDING) {
            fprintf(stderr, "udp_echo: WSASendTo failed: %d\n", WSAGetLastError());
            InterlockedIncrement(&g_failures);
            PostReceive(slot);
        }
    }
}

static DWORD WINAPI Client(LPVOID parameter)
{
    CLIENT *client = (CLIENT *)parameter;
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    DWORD timeout = 1000, i;
    char out[64], in[DATAGRAM];
    if (s == INVALID_SOCKET) {
        client->failures++;
        return 1;
    }
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout));
    for (i = 0; i < client->datagrams; i++) {
        int length = snprintf(out, sizeof(out), "client %lu datagram %lu", (unsigned long)client->id,
                              (unsigned long)i);
        int attempt;
        for (attempt = 0; attempt < 20; attempt++) {
            SOCKADDR_IN from;
            int fromLength = sizeof(from);
            int n;
            if (sendto(s, out, length, 0, (SOCKADDR *)&g_address, sizeof(g_address)) != length) {
                client->failures++;
                break;
            }
            n = recvfrom(s, in, sizeof(in), 0, (SOCKADDR *)&from, &fromLength);
            if (n == SOCKET_ERROR && WSAGetLastError() == WSAETIMEDOUT) {
                client->resent++; /* dropped somewhere: send it again */
                continue;
            }
            /* A late echo of a re-sent datagram: skip it. */
            if (n == length && memcmp(in, out, (size_t)length) == 0 &&
                from.sin_port == g_address.sin_port) {
                client->echoed++;
                break;
            }
            if (n == SOCKET_ERROR) {
                client->failures++;
                break;
            }
            attempt--; /* not ours: wait again */
        }
    }
    closesocket(s);
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    HANDLE workers[2], threads[MAX_CLIENTS];
    CLIENT clients[MAX_CLIENTS];
    DWORD clientCount = argc > 1 ? (DWORD)strtoul(argv[1], NULL, 10) : 8;
    DWORD perClient = argc > 2 ? (DWORD)strtoul(argv[2], NULL, 10) : 1000;
    DWORD slots = argc > 3 ? (DWORD)strtoul(argv[3], NULL, 10) : 32;
    DWORD i, echoed = 0, resent = 0, failures = 0;
    int length = sizeof(g_address);

    if (clientCount == 0 || clientCount > MAX_CLIENTS || slots == 0 || slots > MAX_SLOTS) {
        fprintf(stderr, "usage: udp_echo [clients 1-%d] [datagrams] [receives 1-%d]\n",
                MAX_CLIENTS, MAX_SLOTS);
        return 2;
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return 1;
    g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    g_server = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    memset(&g_address, 0, sizeof(g_address));
    g_address.sin_family = AF_INET;
    g_address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (g_port == NULL || g_server == INVALID_SOCKET ||
        bind(g_server, (SOCKADDR *)&g_address, sizeof(g_address)) != 0 ||
        getsockname(g_server, (SOCKADDR *)&g_address, &length) != 0 ||
        CreateIoCompletionPort((HANDLE)g_server, g_port, KEY_SERVER, 0) != g_port) {
        fprintf(stderr, "udp_echo: set-up failed: %d\n", WSAGetLastError());
        return 1;
    }
    printf("udp_echo: server on 127.0.0.1:%u, %lu clients x %lu datagrams, %lu receives\n",
           ntohs(g_address.sin_port), (unsigned long)clientCount, (unsigned long)perClient,
           (unsigned long)slots);
    for (i = 0; i < 2; i++) workers[i] = CreateThread(NULL, 0, ServerWorker, NULL, 0, NULL);
    for (i = 0; i < slots; i++) PostReceive(&g_slots[i]);
    for (i = 0; i < clientCount; i++) {
        memset(&clients[i], 0, sizeof(clients[i]));
        clients[i].id = i;
        clients[i].datagrams = perClient;
        threads[i] = CreateThread(NULL, 0, Client, &clients[i], 0, NULL);
    }
    WaitForMultipleObjects(clientCount, threads, TRUE, INFINITE);
    for (i = 0; i < clientCount; i++) {
        echoed += clients[i].echoed;
        resent += clients[i].resent;
        failures += clients[i].failures;
        CloseHandle(threads[i]);
    }
    for (i = 0; i < 2; i++) PostQueuedCompletionStatus(g_port, 0, KEY_STOP, NULL);
    WaitForMultipleObjects(2, workers, TRUE, INFINITE);
    closesocket(g_server); /* the outstanding receives end with it */
    CloseHandle(workers[0]);
    CloseHandle(workers[1]);
    CloseHandle(g_port);
    WSACleanup();
    printf("udp_echo: %lu datagrams echoed, %lu re-sent, %ld served\n", (unsigned long)echoed,
           (unsigned long)resent, (long)g_served);
    if (failures != 0 || g_failures != 0 || echoed != clientCount * perClient) {
        printf("udp_echo: FAILED: %lu client failures, %ld server failures\n",
               (unsigned long)failures, (long)g_failures);
        return 1;
    }
    printf("udp_echo: OK, every datagram echoed intact\n");
    return 0;
}
