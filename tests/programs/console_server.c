/*
 * console_server.c - a console IOCP server stopped by Ctrl+C.
 *
 * The usual shape of a Windows service-in-a-console: worker threads wait on
 * one completion port for work items (posted with
 * PostQueuedCompletionStatus); a console control handler
 * (SetConsoleCtrlHandler) turns Ctrl+C into one shutdown packet per worker.
 * Packets are FIFO, so every item posted before the shutdown is still
 * processed ("drained") before the workers exit. The main thread waits for
 * the workers and checks that every item was processed exactly once.
 *
 * How Ctrl+C arrives (the first argument):
 *   generate  the program calls GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0)
 *   raise     the program raises SIGINT at itself (the C library's raise)
 *   wait      the program prints "console_server: ready" and waits for a
 *             Ctrl+C (SIGINT) from outside
 * The second argument is the number of work items.
 *
 * Output goes through WriteFile on GetStdHandle(STD_OUTPUT_HANDLE); errors
 * are described with FormatMessageA. Exit code 0 only if every check
 * passed; the last line is "console_server: OK, ...".
 */
#include <windows.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ITEM     1
#define KEY_SHUTDOWN 2
#define WORKERS      4

typedef struct ITEM {
    DWORD         id;
    OVERLAPPED    overlapped;
    volatile LONG timesProcessed;
} ITEM;

static HANDLE g_port;
static HANDLE g_stopped;              /* set by the control handler */
static HANDLE g_finished;             /* set by main once all is checked */
static volatile LONG g_ctrlEvents = 0;
static volatile LONG g_lastCtrlType = -1;
static volatile LONG g_itemsProcessed = 0;

static void Say(const char *text)
{
    DWORD written = 0;
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    if (!WriteFile(out, text, (DWORD)strlen(text), &written, NULL) ||
        written != strlen(text)) {
        fprintf(stderr, "console_server: WriteFile on the standard output failed\n");
    }
}

static void Fail(const char *what)
{
    char *message = NULL;
    char line[512];
    DWORD error = GetLastError();
    if (FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                           FORMAT_MESSAGE_IGNORE_INSERTS,
                       NULL, error, 0, (LPSTR)&message, 0, NULL) == 0) {
        message = NULL;
    }
    snprintf(line, sizeof(line), "console_server: FAIL: %s: error %lu: %s", what,
             (unsigned long)error, message ? message : "(no message)\r\n");
    Say(line);
    LocalFree(message);
    exit(1);
}

static BOOL WINAPI OnConsoleEvent(DWORD ctrlType)
{
    int worker;
    if (InterlockedIncrement(&g_ctrlEvents) != 1) {
        return TRUE;                  /* already stopping */
    }
    InterlockedExchange(&g_lastCtrlType, (LONG)ctrlType);
    for (worker = 0; worker < WORKERS; worker++) {
        PostQueuedCompletionStatus(g_port, 0, KEY_SHUTDOWN, NULL);
    }
    SetEvent(g_stopped);
    if (ctrlType == CTRL_CLOSE_EVENT) {
        /* The process ends when this returns: let main finish first. */
        WaitForSingleObject(g_finished, INFINITE);
    }
    return TRUE;
}

static DWORD WINAPI Worker(LPVOID parameter)
{
    (void)parameter;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *overlapped = NULL;
        if (!GetQueuedCompletionStatus(g_port, &bytes, &key, &overlapped, INFINITE)) {
            return 1;
        }
        if (key == KEY_SHUTDOWN) {
            return 0;
        }
        if (key == KEY_ITEM && overlapped != NULL) {
            ITEM *item = CONTAINING_RECORD(overlapped, ITEM, overlapped);
            InterlockedIncrement(&item->timesProcessed);
            InterlockedIncrement(&g_itemsProcessed);
        }
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "generate";
    DWORD itemCount = argc > 2 ? (DWORD)strtoul(argv[2], NULL, 10) : 10000;
    HANDLE workers[WORKERS];
    ITEM *items;
    DWORD i, bad = 0, exitCode = 0;
    char line[256];

    if (strcmp(mode, "generate") != 0 && strcmp(mode, "raise") != 0 &&
        strcmp(mode, "wait") != 0) {
        fprintf(stderr, "usage: console_server generate|raise|wait [items]\n");
        return 2;
    }
    items = (ITEM *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(ITEM) * itemCount);
    if (items == NULL) Fail("HeapAlloc");
    g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    if (g_port == NULL) Fail("CreateIoCompletionPort");
    g_stopped = CreateEventA(NULL, TRUE, FALSE, NULL);
    g_finished = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (g_stopped == NULL || g_finished == NULL) Fail("CreateEvent");
    if (!SetConsoleCtrlHandler(OnConsoleEvent, TRUE)) Fail("SetConsoleCtrlHandler");

    for (i = 0; i < WORKERS; i++) {
        workers[i] = CreateThread(NULL, 0, Worker, NULL, 0, NULL);
        if (workers[i] == NULL) Fail("CreateThread");
    }
    for (i = 0; i < itemCount; i++) {
        items[i].id = i;
        if (!PostQueuedCompletionStatus(g_port, 0, KEY_ITEM, &items[i].overlapped)) {
            Fail("PostQueuedCompletionStatus");
        }
    }

    /* Every item is queued: now Ctrl+C. */
    if (strcmp(mode, "generate") == 0) {
        if (!GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0)) Fail("GenerateConsoleCtrlEvent");
    } else if (strcmp(mode, "raise") == 0) {
        raise(SIGINT);
    } else {
        Say("console_server: ready\n");
    }

    if (WaitForSingleObject(g_stopped, INFINITE) != WAIT_OBJECT_0) Fail("waiting for Ctrl+C");
    if (WaitForMultipleObjects(WORKERS, workers, TRUE, INFINITE) != WAIT_OBJECT_0) {
        Fail("waiting for the workers");
    }
    for (i = 0; i < WORKERS; i++) {
        DWORD code = 1;
        GetExitCodeThread(workers[i], &code);
        if (code != 0) exitCode = 1;
        CloseHandle(workers[i]);
    }
    for (i = 0; i < itemCount; i++) {
        if (items[i].timesProcessed != 1) bad++;
    }
    if (g_lastCtrlType != CTRL_C_EVENT) {
        snprintf(line, sizeof(line), "console_server: FAIL: control event %ld, not CTRL_C_EVENT\n",
                 (long)g_lastCtrlType);
        Say(line);
        exitCode = 1;
    }
    if (bad != 0 || (DWORD)g_itemsProcessed != itemCount) {
        snprintf(line, sizeof(line),
                 "console_server: FAIL: %lu of %lu items not processed exactly once\n",
                 (unsigned long)bad, (unsigned long)itemCount);
        Say(line);
        exitCode = 1;
    }
    if (g_ctrlEvents != 1) {
        snprintf(line, sizeof(line), "console_server: FAIL: %ld control events\n",
                 (long)g_ctrlEvents);
        Say(line);
        exitCode = 1;
    }
    SetConsoleCtrlHandler(OnConsoleEvent, FALSE);
    CloseHandle(g_port);
    HeapFree(GetProcessHeap(), 0, items);
    if (exitCode == 0) {
        Say("console_server: OK, stopped by Ctrl+C, every item drained exactly once\n");
    }
    SetEvent(g_finished);
    CloseHandle(g_stopped);
    return (int)exitCode;
}
