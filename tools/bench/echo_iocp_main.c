/*
 * echo_iocp_main.c - contender (a) of tools/bench/run (and, built with
 * mingw-w64 for Wine, contender (g)): the IOCP echo server of
 * echo_iocp_server.c as a Windows console program.
 *
 *   echo_iocp --port=P [--workers=N]     (--port=0: any free port)
 *
 * --workers=1 (default): one worker thread, a port of concurrency 1;
 * --workers=0: one worker per CPU (GetSystemInfo), concurrency = CPUs.
 * Once it listens it prints "port N" on stdout; it runs until killed.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/bench/echo_iocp_server.h"

static long Flag(int argc, char **argv, const char *name, long fallback)
{
    size_t length = strlen(name);
    int i;
    for (i = 1; i < argc; i++) {
        if (strncmp(argv[i], name, length) == 0 && argv[i][length] == '=') {
            return strtol(argv[i] + length + 1, NULL, 10);
        }
    }
    return fallback;
}

int main(int argc, char **argv)
{
    long port = Flag(argc, argv, "--port", -1);
    long workers = Flag(argc, argv, "--workers", 1);
    unsigned short bound;
    if (port < 0 || port > 65535 || workers < 0 || workers > 256) {
        fprintf(stderr, "usage: %s --port=P [--workers=N (0: one per CPU)]\n", argv[0]);
        return 2;
    }
    if (workers == 0) {
        SYSTEM_INFO info;
        GetSystemInfo(&info);
        workers = (long)info.dwNumberOfProcessors;
    }
    if (EchoIocpServerStartOn((unsigned short)port, (int)workers, &bound) != 0) {
        fprintf(stderr, "echo_iocp: cannot listen on port %ld (error %lu)\n", port,
                (unsigned long)GetLastError());
        return 1;
    }
    /* The start-up handshake: "port N" on stdout once it listens. */
    printf("port %u\n", bound);
    fflush(stdout);
    fprintf(stderr, "echo_iocp: port %u, %ld worker(s)\n", bound, workers);
    Sleep(INFINITE);
    return 0;
}
