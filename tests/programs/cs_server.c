/*
 * cs_server.c - a request server on an I/O completion port, in the classic
 * Windows style: worker threads started with _beginthreadex (created
 * suspended, then resumed), a manual-reset event as the start gate, a
 * semaphore bounding the requests in flight, one auto-reset event per client
 * for its reply, and a CRITICAL_SECTION around the shared account table.
 *
 * Each client thread sends R transfer requests (from one account to another)
 * through the port and waits for each reply. Workers apply the transfer under
 * the critical section and compute a checksum of the request. At the end the
 * program checks that every request was served exactly once, every reply was
 * right, the money in all accounts is unchanged, no more requests were ever
 * in flight than the semaphore allows, and the semaphore is back to full.
 *
 * Usage: cs_server [clients] [requests per client] [workers]
 * Exit code 0 only if every check passed; the last line starts "cs_server: OK".
 */
#include <windows.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>

#define KEY_REQUEST  1
#define KEY_SHUTDOWN 2
#define MAX_CLIENTS  MAXIMUM_WAIT_OBJECTS
#define MAX_WORKERS  MAXIMUM_WAIT_OBJECTS
#define ACCOUNTS     16
#define IN_FLIGHT    8
#define START_MONEY  1000000LL

typedef struct REQUEST {
    DWORD       client;
    DWORD       sequence;
    DWORD       from;
    DWORD       to;
    LONGLONG    amount;
    OVERLAPPED  overlapped;      /* not the first member: CONTAINING_RECORD */
    ULONGLONG   checksum;        /* written by the worker */
    volatile LONG timesServed;
    HANDLE      replyEvent;      /* the client's auto-reset event */
} REQUEST;

typedef struct CLIENT {
    DWORD       index;
    DWORD       requests;
    DWORD       failures;
    HANDLE      replyEvent;
} CLIENT;

static HANDLE g_port;
static HANDLE g_startGate;       /* manual reset: opens once for everyone */
static HANDLE g_slots;           /* semaphore: requests in flight */
static CRITICAL_SECTION g_lock;  /* guards the fields below */
static LONGLONG g_balance[ACCOUNTS];
static DWORD g_inFlight;
static DWORD g_maxInFlight;
static DWORD g_served;
static volatile LONG g_workerFailures;

static ULONGLONG Checksum(const REQUEST *request)
{
    ULONGLONG x = ((ULONGLONG)request->client << 40) ^ ((ULONGLONG)request->sequence << 8) ^
                  (ULONGLONG)request->amount;
    int round;
    for (round = 0; round < 4; round++) {
        x ^= x >> 31;
        x *= 0x9e3779b97f4a7c15ULL;
    }
    return x;
}

static unsigned __stdcall WorkerThread(void *parameter)
{
    unsigned served = 0;
    (void)parameter;
    if (WaitForSingleObject(g_startGate, INFINITE) != WAIT_OBJECT_0) {
        InterlockedIncrement(&g_workerFailures);
        return 0;
    }
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED overlapped = NULL;
        REQUEST *request;
        if (!GetQueuedCompletionStatus(g_port, &bytes, &key, &overlapped, INFINITE)) {
            printf("worker: GetQueuedCompletionStatus failed, error %lu\n",
                   (unsigned long)GetLastError());
            InterlockedIncrement(&g_workerFailures);
            break;
        }
        if (key == KEY_SHUTDOWN) break;
        if (key != KEY_REQUEST || overlapped == NULL) {
            InterlockedIncrement(&g_workerFailures);
            continue;
        }
        request = CONTAINING_RECORD(overlapped, REQUEST, overlapped);
        if (bytes != request->sequence) InterlockedIncrement(&g_workerFailures);
        request->checksum = Checksum(request);
        EnterCriticalSection(&g_lock);
        EnterCriticalSection(&g_lock); /* recursion is allowed */
        g_balance[request->from] -= request->amount;
        g_balance[request->to] += request->amount;
        g_served++;
        g_inFlight--;
        LeaveCriticalSection(&g_lock);
        LeaveCriticalSection(&g_lock);
        InterlockedIncrement(&request->timesServed);
        served++;
        /* The slot is free before the reply: the client may send again. */
        if (!ReleaseSemaphore(g_slots, 1, NULL)) InterlockedIncrement(&g_workerFailures);
        if (!SetEvent(request->replyEvent)) InterlockedIncrement(&g_workerFailures);
    }
    return served;
}

static unsigned __stdcall ClientThread(void *parameter)
{
    CLIENT *self = (CLIENT *)parameter;
    REQUEST request;
    DWORD i;
    ULONGLONG seed = 0x12345678ULL + self->index;
    ZeroMemory(&request, sizeof(request));
    if (WaitForSingleObject(g_startGate, INFINITE) != WAIT_OBJECT_0) {
        self->failures++;
        return 1;
    }
    for (i = 1; i <= self->requests; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        request.client = self->index;
        request.sequence = i;
        request.from = (DWORD)(seed >> 33) % ACCOUNTS;
        request.to = (DWORD)(seed >> 45) % ACCOUNTS;
        request.amount = (LONGLONG)((seed >> 20) % 1000);
        request.checksum = 0;
        request.timesServed = 0;
        request.replyEvent = self->replyEvent;
        if (WaitForSingleObject(g_slots, INFINITE) != WAIT_OBJECT_0) {
            self->failures++;
            break;
        }
        EnterCriticalSection(&g_lock);
        g_inFlight++;
        if (g_inFlight > g_maxInFlight) g_maxInFlight = g_inFlight;
        LeaveCriticalSection(&g_lock);
        if (!PostQueuedCompletionStatus(g_port, i, KEY_REQUEST, &request.overlapped)) {
            self->failures++;
            break;
        }
        if (WaitForSingleObject(self->replyEvent, INFINITE) != WAIT_OBJECT_0) {
            self->failures++;
            break;
        }
        if (request.timesServed != 1 || request.checksum != Checksum(&request)) {
            self->failures++;
        }
    }
    /* Every reply was consumed: the auto-reset event is unset now. */
    if (WaitForSingleObject(self->replyEvent, 0) != WAIT_TIMEOUT) self->failures++;
    return 0;
}

/* Starts a thread suspended with _beginthreadex; it runs once resumed. */
static HANDLE Start(unsigned(__stdcall *routine)(void *), void *parameter)
{
    unsigned id = 0;
    uintptr_t thread = _beginthreadex(NULL, 0, routine, parameter, CREATE_SUSPENDED, &id);
    if (thread == 0 || id == 0) return NULL;
    if (ResumeThread((HANDLE)thread) != 1) {
        CloseHandle((HANDLE)thread);
        return NULL;
    }
    return (HANDLE)thread;
}

int main(int argc, char **argv)
{
    DWORD clients = argc > 1 ? (DWORD)atol(argv[1]) : 8;
    DWORD requests = argc > 2 ? (DWORD)atol(argv[2]) : 2000;
    DWORD workers = argc > 3 ? (DWORD)atol(argv[3]) : 4;
    HANDLE clientThreads[MAX_CLIENTS];
    HANDLE workerThreads[MAX_WORKERS];
    CLIENT clientState[MAX_CLIENTS];
    DWORD i, failures = 0, workerServed = 0;
    LONGLONG total = 0;
    LONG previous = -1;

    if (clients == 0 || clients > MAX_CLIENTS || workers == 0 || workers > MAX_WORKERS ||
        requests == 0) {
        printf("usage: cs_server [clients 1-64] [requests] [workers 1-64]\n");
        return 2;
    }
    for (i = 0; i < ACCOUNTS; i++) g_balance[i] = START_MONEY;
    if (!InitializeCriticalSectionAndSpinCount(&g_lock, 4000)) return 1;
    g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    g_startGate = CreateEventA(NULL, TRUE, FALSE, NULL);
    g_slots = CreateSemaphoreA(NULL, IN_FLIGHT, IN_FLIGHT, NULL);
    if (g_port == NULL || g_startGate == NULL || g_slots == NULL) {
        printf("cs_server: set-up failed, error %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    for (i = 0; i < workers; i++) {
        workerThreads[i] = Start(WorkerThread, NULL);
        if (workerThreads[i] == NULL) return 1;
    }
    for (i = 0; i < clients; i++) {
        clientState[i].index = i;
        clientState[i].requests = requests;
        clientState[i].failures = 0;
        clientState[i].replyEvent = CreateEventA(NULL, FALSE, FALSE, NULL);
        if (clientState[i].replyEvent == NULL) return 1;
        clientThreads[i] = Start(ClientThread, &clientState[i]);
        if (clientThreads[i] == NULL) return 1;
    }

    /* Everyone is waiting at the gate; open it for all at once. */
    if (!SetEvent(g_startGate)) return 1;
    if (WaitForMultipleObjects(clients, clientThreads, TRUE, INFINITE) != WAIT_OBJECT_0) {
        printf("cs_server: waiting for the clients failed, error %lu\n",
               (unsigned long)GetLastError());
        return 1;
    }
    for (i = 0; i < workers; i++) {
        if (!PostQueuedCompletionStatus(g_port, 0, KEY_SHUTDOWN, NULL)) failures++;
    }
    if (WaitForMultipleObjects(workers, workerThreads, TRUE, INFINITE) != WAIT_OBJECT_0) {
        printf("cs_server: waiting for the workers failed\n");
        return 1;
    }
    for (i = 0; i < workers; i++) {
        DWORD code = 0;
        if (!GetExitCodeThread(workerThreads[i], &code)) failures++;
        workerServed += code;
        CloseHandle(workerThreads[i]);
    }
    for (i = 0; i < clients; i++) {
        DWORD code = 1;
        if (!GetExitCodeThread(clientThreads[i], &code) || code != 0) failures++;
        failures += clientState[i].failures;
        CloseHandle(clientThreads[i]);
        CloseHandle(clientState[i].replyEvent);
    }
    for (i = 0; i < ACCOUNTS; i++) total += g_balance[i];

    if (g_workerFailures != 0) {
        printf("cs_server: %ld worker failures\n", (long)g_workerFailures);
        failures++;
    }
    if (g_served != clients * requests || workerServed != clients * requests) {
        printf("cs_server: served %lu (workers say %lu), expected %lu\n", (unsigned long)g_served,
               (unsigned long)workerServed, (unsigned long)(clients * requests));
        failures++;
    }
    if (total != START_MONEY * ACCOUNTS) {
        printf("cs_server: money changed: %lld\n", (long long)total);
        failures++;
    }
    if (g_maxInFlight > IN_FLIGHT || g_inFlight != 0) {
        printf("cs_server: in flight max %lu, now %lu\n", (unsigned long)g_maxInFlight,
               (unsigned long)g_inFlight);
        failures++;
    }
    /* Every slot came back: one more release passes the maximum. */
    if (ReleaseSemaphore(g_slots, 1, &previous) || GetLastError() != ERROR_TOO_MANY_POSTS) {
        printf("cs_server: semaphore not full at the end\n");
        failures++;
    }
    if (g_lock.RecursionCount != 0 || g_lock.OwningThread != NULL) {
        printf("cs_server: critical section still owned\n");
        failures++;
    }
    DeleteCriticalSection(&g_lock);
    CloseHandle(g_slots);
    CloseHandle(g_startGate);
    CloseHandle(g_port);
    if (failures != 0) {
        printf("cs_server: FAILED, %lu failures\n", (unsigned long)failures);
        return 1;
    }
    printf("cs_server: %lu clients x %lu requests through %lu workers, at most %lu in flight\n",
           (unsigned long)clients, (unsigned long)requests, (unsigned long)workers,
           (unsigned long)g_maxInFlight);
    printf("cs_server: OK, every request served exactly once, balances conserved\n");
    return 0;
}
