/*
 * pipeline.c - two completion ports chained into a pipeline.
 *
 * Stage 1 workers take batches of items from the first port with
 * GetQueuedCompletionStatusEx, transform each item and post it to the second
 * port. Stage 2 workers take items one at a time with GetQueuedCompletionStatus
 * and a finite timeout: a timeout means the pipeline is idle, which they count.
 * Every ITEM embeds one OVERLAPPED per stage, and CONTAINING_RECORD finds the
 * item from either of them.
 *
 * Shutdown shows both Windows idioms: stage 1 gets one shutdown packet per
 * worker; stage 2 gets none - the main thread closes the second port while its
 * workers wait on it, and GetQueuedCompletionStatus fails with
 * ERROR_ABANDONED_WAIT_0 (or ERROR_INVALID_HANDLE for a worker that was between
 * two calls), which they take as the signal to exit.
 *
 * Usage: pipeline [items] [stage1 workers] [stage2 workers]
 * Exit code 0 only if every check passed; the last line is "pipeline: OK".
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ITEM      0x11
#define KEY_SHUTDOWN  0x22
#define BATCH         32
#define MAX_THREADS   64
#define IDLE_TIMEOUT_MS 20

/* How a stage 2 worker ended (its exit code). */
#define END_ABANDONED 1
#define END_CLOSED    2
#define END_ERROR     3

typedef struct ITEM {
    OVERLAPPED  stage1;
    DWORD       id;
    ULONGLONG   value;
    OVERLAPPED  stage2;
    volatile LONG seenByStage1;
    volatile LONG seenByStage2;
} ITEM;

typedef struct STAGE1 {
    HANDLE      input;
    HANDLE      output;
    DWORD       items;
    DWORD       batches;
    DWORD       largestBatch;
    DWORD       errors;
} STAGE1;

typedef struct STAGE2 {
    HANDLE      input;
    DWORD       items;
    ULONGLONG   sum;
    DWORD       idleTimeouts;
    DWORD       errors;
} STAGE2;

static volatile LONG g_completed = 0;
static volatile LONG g_parked = 0;
static volatile LONG g_draining = 0;

/* An atomic read of a counter other threads change. */
#define READ_SHARED(x) InterlockedCompareExchange(&(x), 0, 0)
static LONG g_itemCount = 0;
static HANDLE g_allDone = NULL;

static ULONGLONG Transform(DWORD id)
{
    ULONGLONG x = (ULONGLONG)id * 0x9E3779B97F4A7C15ULL;
    return (x ^ (x >> 31)) & 0xFFFFFFFFULL;
}

static DWORD WINAPI Stage1Thread(LPVOID parameter)
{
    STAGE1 *self = (STAGE1 *)parameter;
    OVERLAPPED_ENTRY entries[BATCH];
    for (;;) {
        ULONG removed = 0;
        ULONG i;
        ULONG shutdowns = 0;
        if (!GetQueuedCompletionStatusEx(self->input, entries, BATCH, &removed, INFINITE, FALSE)) {
            printf("stage 1: GetQueuedCompletionStatusEx failed, error %lu\n",
                   (unsigned long)GetLastError());
            self->errors++;
            return 0;
        }
        self->batches++;
        if (removed > self->largestBatch) {
            self->largestBatch = removed;
        }
        for (i = 0; i < removed; i++) {
            ITEM *item;
            if (entries[i].lpCompletionKey == KEY_SHUTDOWN) {
                shutdowns++;   /* finish the batch first */
                continue;
            }
            if (entries[i].lpCompletionKey != KEY_ITEM || entries[i].lpOverlapped == NULL) {
                self->errors++;
                continue;
            }
            item = CONTAINING_RECORD(entries[i].lpOverlapped, ITEM, stage1);
            if (entries[i].dwNumberOfBytesTransferred != item->id) {
                self->errors++;
            }
            InterlockedIncrement(&item->seenByStage1);
            item->value = Transform(item->id);
            if (!PostQueuedCompletionStatus(self->output, (DWORD)(item->value & 0xFFFF), KEY_ITEM,
                                            &item->stage2)) {
                self->errors++;
            }
            self->items++;
        }
        if (shutdowns > 0) {
            /* One shutdown packet is ours; hand the others on to the workers they belong to. */
            while (--shutdowns > 0) {
                PostQueuedCompletionStatus(self->input, 0, KEY_SHUTDOWN, NULL);
            }
            return 0;
        }
    }
}

static DWORD WINAPI Stage2Thread(LPVOID parameter)
{
    STAGE2 *self = (STAGE2 *)parameter;
    BOOL parked = FALSE;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED overlapped = NULL;
        DWORD timeout = IDLE_TIMEOUT_MS;
        ITEM *item;
        if (READ_SHARED(g_draining)) {
            /* Everything is done: wait for the port to be closed under us. */
            if (!parked) {
                parked = TRUE;
                InterlockedIncrement(&g_parked);
            }
            timeout = INFINITE;
        }
        if (!GetQueuedCompletionStatus(self->input, &bytes, &key, &overlapped, timeout)) {
            DWORD error = GetLastError();
            if (error == WAIT_TIMEOUT && overlapped == NULL) {
                self->idleTimeouts++;   /* idle: nothing arrived for a while */
                continue;
            }
            if (error == ERROR_ABANDONED_WAIT_0) {
                return END_ABANDONED;   /* the port was closed while we waited */
            }
            if (error == ERROR_INVALID_HANDLE) {
                return END_CLOSED;      /* closed before we started waiting */
            }
            printf("stage 2: GetQueuedCompletionStatus failed, error %lu\n", (unsigned long)error);
            self->errors++;
            return END_ERROR;
        }
        if (key != KEY_ITEM || overlapped == NULL) {
            self->errors++;
            continue;
        }
        item = CONTAINING_RECORD(overlapped, ITEM, stage2);
        if (bytes != (DWORD)(item->value & 0xFFFF)) {
            self->errors++;
        }
        InterlockedIncrement(&item->seenByStage2);
        self->sum += item->value;
        self->items++;
        if (InterlockedIncrement(&g_completed) == g_itemCount) {
            SetEvent(g_allDone);
        }
    }
}

static BOOL WaitForAll(HANDLE *handles, DWORD count, const char *what)
{
    DWORD rc = WaitForMultipleObjects(count, handles, TRUE, 60000);
    if (rc >= WAIT_OBJECT_0 + count) {
        printf("pipeline: waiting for %s returned %lu, error %lu\n", what, (unsigned long)rc,
               (unsigned long)GetLastError());
        return FALSE;
    }
    return TRUE;
}

int main(int argc, char **argv)
{
    DWORD itemCount = 100000, stage1Count = 2, stage2Count = 3;
    HANDLE port1, port2;
    HANDLE threads1[MAX_THREADS], threads2[MAX_THREADS];
    STAGE1 stage1[MAX_THREADS];
    STAGE2 stage2[MAX_THREADS];
    ITEM *items;
    DWORD i;
    ULONGLONG expectedSum = 0, sum = 0;
    DWORD errors = 0, lost = 0, twice = 0, batches = 0, largest = 0, idle = 0;
    DWORD stage1Items = 0, stage2Items = 0, abandoned = 0, closed = 0;
    LARGE_INTEGER frequency, start, end;
    double seconds;

    if (argc > 1) itemCount = (DWORD)strtoul(argv[1], NULL, 10);
    if (argc > 2) stage1Count = (DWORD)strtoul(argv[2], NULL, 10);
    if (argc > 3) stage2Count = (DWORD)strtoul(argv[3], NULL, 10);
    if (itemCount == 0 || itemCount > 0x7FFFFFFF) itemCount = 100000;
    if (stage1Count == 0 || stage1Count > MAX_THREADS) stage1Count = 2;
    if (stage2Count == 0 || stage2Count > MAX_THREADS) stage2Count = 3;
    g_itemCount = (LONG)itemCount;

    items = (ITEM *)calloc(itemCount, sizeof(ITEM));
    if (items == NULL) {
        printf("pipeline: out of memory\n");
        return 1;
    }
    for (i = 0; i < itemCount; i++) {
        items[i].id = i;
        expectedSum += Transform(i);
    }

    port1 = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    port2 = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 2);
    g_allDone = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (port1 == NULL || port2 == NULL || g_allDone == NULL) {
        printf("pipeline: creating the ports failed, error %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    printf("pipeline: %lu items through 2 chained completion ports: %lu stage 1 workers "
           "(GetQueuedCompletionStatusEx, batches of %d), %lu stage 2 workers (concurrency 2, "
           "%d ms idle timeout)\n",
           (unsigned long)itemCount, (unsigned long)stage1Count, BATCH,
           (unsigned long)stage2Count, IDLE_TIMEOUT_MS);

    for (i = 0; i < stage1Count; i++) {
        memset(&stage1[i], 0, sizeof(stage1[i]));
        stage1[i].input = port1;
        stage1[i].output = port2;
        threads1[i] = CreateThread(NULL, 0, Stage1Thread, &stage1[i], 0, NULL);
        if (threads1[i] == NULL) return 1;
    }
    for (i = 0; i < stage2Count; i++) {
        memset(&stage2[i], 0, sizeof(stage2[i]));
        stage2[i].input = port2;
        threads2[i] = CreateThread(NULL, 0, Stage2Thread, &stage2[i], 0, NULL);
        if (threads2[i] == NULL) return 1;
    }

    /* Let stage 2 sit idle for a moment first: its workers time out. */
    Sleep(3 * IDLE_TIMEOUT_MS);
    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&start);
    for (i = 0; i < itemCount; i++) {
        if (!PostQueuedCompletionStatus(port1, items[i].id, KEY_ITEM, &items[i].stage1)) {
            printf("pipeline: posting failed, error %lu\n", (unsigned long)GetLastError());
            return 1;
        }
    }
    if (WaitForSingleObject(g_allDone, 60000) != WAIT_OBJECT_0) {
        printf("pipeline: only %ld of %lu items came out of stage 2\n",
               (long)READ_SHARED(g_completed), (unsigned long)itemCount);
        return 1;
    }
    QueryPerformanceCounter(&end);
    seconds = (double)(end.QuadPart - start.QuadPart) / (double)frequency.QuadPart;

    /* Stage 1: one shutdown packet per worker. */
    for (i = 0; i < stage1Count; i++) {
        PostQueuedCompletionStatus(port1, 0, KEY_SHUTDOWN, NULL);
    }
    if (!WaitForAll(threads1, stage1Count, "stage 1")) return 1;

    /* Stage 2: close its port while its workers wait on it. */
    InterlockedExchange(&g_draining, 1);
    while ((DWORD)READ_SHARED(g_parked) < stage2Count) {
        Sleep(1);
    }
    Sleep(2 * IDLE_TIMEOUT_MS);   /* give the last one time to enter its wait */
    if (!CloseHandle(port2)) {
        printf("pipeline: CloseHandle(port2) failed, error %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    if (!WaitForAll(threads2, stage2Count, "stage 2")) return 1;

    for (i = 0; i < stage1Count; i++) {
        DWORD code = 0;
        GetExitCodeThread(threads1[i], &code);
        errors += stage1[i].errors + code;
        batches += stage1[i].batches;
        stage1Items += stage1[i].items;
        if (stage1[i].largestBatch > largest) largest = stage1[i].largestBatch;
        CloseHandle(threads1[i]);
    }
    for (i = 0; i < stage2Count; i++) {
        DWORD code = 0;
        GetExitCodeThread(threads2[i], &code);
        if (code == END_ABANDONED) abandoned++;
        else if (code == END_CLOSED) closed++;
        else errors++;
        errors += stage2[i].errors;
        idle += stage2[i].idleTimeouts;
        stage2Items += stage2[i].items;
        sum += stage2[i].sum;
        CloseHandle(threads2[i]);
    }
    for (i = 0; i < itemCount; i++) {
        if (items[i].seenByStage1 == 0 || items[i].seenByStage2 == 0) lost++;
        if (items[i].seenByStage1 > 1 || items[i].seenByStage2 > 1) twice++;
    }
    /* The closed port is gone: using its handle now fails. */
    {
        DWORD bytes;
        ULONG_PTR key;
        LPOVERLAPPED overlapped;
        if (GetQueuedCompletionStatus(port2, &bytes, &key, &overlapped, 0) ||
            GetLastError() != ERROR_INVALID_HANDLE) {
            printf("pipeline: the closed port still answers\n");
            errors++;
        }
    }
    CloseHandle(port1);
    CloseHandle(g_allDone);
    free(items);

    printf("pipeline: stage 1 moved %lu items in %lu batches (largest %lu); stage 2 summed %lu "
           "items; %lu idle timeouts\n",
           (unsigned long)stage1Items, (unsigned long)batches, (unsigned long)largest,
           (unsigned long)stage2Items, (unsigned long)idle);
    printf("pipeline: port 2 closed under %lu waiting workers: %lu saw ERROR_ABANDONED_WAIT_0, "
           "%lu ERROR_INVALID_HANDLE\n",
           (unsigned long)stage2Count, (unsigned long)abandoned, (unsigned long)closed);
    printf("pipeline: %lu lost, %lu seen twice, %lu errors; sum %llu (expected %llu); "
           "%.0f items/s\n",
           (unsigned long)lost, (unsigned long)twice, (unsigned long)errors,
           (unsigned long long)sum, (unsigned long long)expectedSum,
           seconds > 0 ? itemCount / seconds : 0.0);
    if (lost || twice || errors || sum != expectedSum || stage1Items != itemCount ||
        stage2Items != itemCount || abandoned + closed != stage2Count || idle == 0) {
        printf("pipeline: FAILED\n");
        return 1;
    }
    printf("pipeline: OK, every item through both stages exactly once\n");
    return 0;
}
