/*
 * select_server.c - a single-threaded Winsock echo server of the pre-IOCP
 * kind: non-blocking sockets (ioctlsocket FIONBIO) and a select() loop, or
 * a WSAPoll() loop, serving blocking client threads (connect, send, recv).
 *
 * Usage: select_server [select|poll] [clients] [messages_per_client]
 * Last line "select_server: OK ..." when every client got every echo.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CLIENTS 48 /* within FD_SETSIZE (64) with the listener */
#define MESSAGE     128

typedef struct CONNECTION {
    SOCKET socket;
    char   pending[4096]; /* received, not yet echoed */
    int    pendingLength;
} CONNECTION;

typedef struct CLIENT {
    DWORD id;
    DWORD messages;
    DWORD echoed;
    DWORD failures;
} CLIENT;

static SOCKADDR_IN g_address;

static DWORD WINAPI Client(LPVOID parameter)
{
    CLIENT *client = (CLIENT *)parameter;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    char out[MESSAGE], in[MESSAGE];
    DWORD i;
    if (s == INVALID_SOCKET ||
        connect(s, (SOCKADDR *)&g_address, sizeof(g_address)) != 0) {
        client->failures++;
        if (s != INVALID_SOCKET) closesocket(s);
        return 1;
    }
    for (i = 0; i < client->messages; i++) {
        int length = snprintf(out, sizeof(out), "client %lu message %lu", (unsigned long)client->id,
                              (unsigned long)i);
        int got = 0;
        if (send(s, out, length, 0) != length) {
            client->failures++;
            break;
        }
        while (got < length) {
            int n = recv(s, in + got, length - got, 0);
            if (n <= 0) break;
            got += n;
        }
        if (got != length || memcmp(in, out, (size_t)length) != 0) {
            client->failures++;
            break;
        }
        client->echoed++;
    }
    shutdown(s, SD_SEND);
    closesocket(s);
    return 0;
}

/* Reads what is there and echoes it back; FALSE when the connection ends. */
static BOOL Serve(CONNECTION *c)
{
    char buffer[1024];
    int n = recv(c->socket, buffer, sizeof(buffer), 0);
    int sent = 0;
    if (n == 0) return FALSE;
    if (n == SOCKET_ERROR) return WSAGetLastError() == WSAEWOULDBLOCK;
    while (sent < n) { /* small messages: the send buffer has room */
        int m = send(c->socket, buffer + sent, n - sent, 0);
        if (m == SOCKET_ERROR) {
            if (WSAGetLastError() == WSAEWOULDBLOCK) continue;
            return FALSE;
        }
        sent += m;
    }
    return TRUE;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    BOOL usePoll = argc > 1 && strcmp(argv[1], "poll") == 0;
    DWORD clientCount = argc > 2 ? (DWORD)strtoul(argv[2], NULL, 10) : 16;
    DWORD perClient = argc > 3 ? (DWORD)strtoul(argv[3], NULL, 10) : 200;
    CONNECTION connections[MAX_CLIENTS];
    CLIENT clients[MAX_CLIENTS];
    HANDLE threads[MAX_CLIENTS];
    SOCKET listener;
    u_long on = 1;
    int length = sizeof(g_address), open = 0, closed = 0, i;
    DWORD echoed = 0, failures = 0, j;

    if (clientCount == 0 || clientCount > MAX_CLIENTS) {
        fprintf(stderr, "usage: select_server [select|poll] [clients 1-%d] [messages]\n",
                MAX_CLIENTS);
        return 2;
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return 1;
    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&g_address, 0, sizeof(g_address));
    g_address.sin_family = AF_INET;
    g_address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (listener == INVALID_SOCKET ||
        bind(listener, (SOCKADDR *)&g_address, sizeof(g_address)) != 0 ||
        getsockname(listener, (SOCKADDR *)&g_address, &length) != 0 ||
        listen(listener, SOMAXCONN) != 0 || ioctlsocket(listener, FIONBIO, &on) != 0) {
        fprintf(stderr, "select_server: set-up failed: %d\n", WSAGetLastError());
        return 1;
    }
    printf("select_server: %s loop on 127.0.0.1:%u, %lu clients x %lu messages\n",
           usePoll ? "WSAPoll" : "select", ntohs(g_address.sin_port), (unsigned long)clientCount,
           (unsigned long)perClient);
    for (j = 0; j < clientCount; j++) {
        memset(&clients[j], 0, sizeof(clients[j]));
        clients[j].id = j;
        clients[j].messages = perClient;
        threads[j] = CreateThread(NULL, 0, Client, &clients[j], 0, NULL);
    }

    while (closed < (int)clientCount) {
        int ready;
        if (usePoll) {
            WSAPOLLFD fds[MAX_CLIENTS + 1];
            fds[0].fd = listener;
            fds[0].events = POLLRDNORM;
            for (i = 0; i < open; i++) {
                fds[i + 1].fd = connections[i].socket;
                fds[i + 1].events = POLLRDNORM;
            }
            ready = WSAPoll(fds, (ULONG)(open + 1), 10000);
            if (ready <= 0) {
                fprintf(stderr, "select_server: WSAPoll returned %d (%d)\n", ready,
                        WSAGetLastError());
                return 1;
            }
            for (i = open - 1; i >= 0; i--) {
                if (fds[i + 1].revents & (POLLRDNORM | POLLHUP | POLLERR)) {
                    if (!Serve(&connections[i])) {
                        closesocket(connections[i].socket);
                        connections[i] = connections[--open];
                        closed++;
                    }
                }
            }
            if (!(fds[0].revents & POLLRDNORM)) continue;
        } else {
            fd_set readable;
            TIMEVAL timeout = {10, 0};
            FD_ZERO(&readable);
            FD_SET(listener, &readable);
            for (i = 0; i < open; i++) FD_SET(connections[i].socket, &readable);
            ready = select(0, &readable, NULL, NULL, &timeout);
            if (ready <= 0) {
                fprintf(stderr, "select_server: select returned %d (%d)\n", ready,
                        WSAGetLastError());
                return 1;
            }
            for (i = open - 1; i >= 0; i--) {
                if (FD_ISSET(connections[i].socket, &readable) && !Serve(&connections[i])) {
                    closesocket(connections[i].socket);
                    connections[i] = connections[--open];
                    closed++;
                }
            }
            if (!FD_ISSET(listener, &readable)) continue;
        }
        for (;;) { /* take every waiting connection */
            SOCKET accepted = accept(listener, NULL, NULL);
            if (accepted == INVALID_SOCKET) {
                if (WSAGetLastError() != WSAEWOULDBLOCK) {
                    fprintf(stderr, "select_server: accept failed: %d\n", WSAGetLastError());
                    return 1;
                }
                break;
            }
            connections[open].socket = accepted; /* non-blocking, like the listener */
            connections[open].pendingLength = 0;
            open++;
        }
    }
    WaitForMultipleObjects(clientCount, threads, TRUE, INFINITE);
    for (j = 0; j < clientCount; j++) {
        echoed += clients[j].echoed;
        failures += clients[j].failures;
        CloseHandle(threads[j]);
    }
    closesocket(listener);
    WSACleanup();
    printf("select_server: %lu messages echoed\n", (unsigned long)echoed);
    if (failures != 0 || echoed != clientCount * perClient) {
        printf("select_server: FAILED: %lu client failures\n", (unsigned long)failures);
        return 1;
    }
    printf("select_server: OK, every client got every echo\n");
    return 0;
}
