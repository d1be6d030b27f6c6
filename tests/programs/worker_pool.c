/*
 * worker_pool.c - a classic Windows thread pool on an I/O completion port.
 *
 * A producer thread posts M jobs to one completion port (concurrency 0: as
 * many running threads as processors). N worker threads (default: twice the
 * number of processors, the usual IOCP sizing) dequeue them with
 * GetQueuedCompletionStatus, find their JOB from the OVERLAPPED with
 * CONTAINING_RECORD, do the work and count it. One shutdown packet per worker
 * ends the pool; the main thread waits for the workers with
 * WaitForMultipleObjects and checks that every job was processed exactly once.
 *
 * Usage: worker_pool [jobs] [workers]
 * Exit code 0 only if every check passed; the last line is "worker_pool: OK".
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_JOB      1
#define KEY_SHUTDOWN 2
#define MAX_WORKERS  256

typedef struct JOB {
    DWORD       id;
    ULONGLONG   input;
    OVERLAPPED  overlapped;      /* deliberately not the first member */
    ULONGLONG   output;
    volatile LONG timesProcessed;
    DWORD       workerIndex;
} JOB;

typedef struct WORKER {
    HANDLE      port;
    DWORD       index;
    DWORD       jobsDone;
    ULONGLONG   outputSum;       /* written by this worker only */
    DWORD       failures;
} WORKER;

typedef struct PRODUCER {
    HANDLE      port;
    JOB        *jobs;
    DWORD       jobCount;
    DWORD       postFailures;
} PRODUCER;

static volatile LONG g_jobsProcessed = 0;
static volatile LONG g_workersRunning = 0;

/* The "work": a few rounds of a 64-bit mix, cheap but not free. */
static ULONGLONG Work(ULONGLONG x)
{
    int round;
    for (round = 0; round < 8; round++) {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        x ^= x >> 29;
    }
    return x;
}

static DWORD WINAPI WorkerThread(LPVOID parameter)
{
    WORKER *self = (WORKER *)parameter;
    InterlockedIncrement(&g_workersRunning);
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED overlapped = NULL;
        BOOL ok = GetQueuedCompletionStatus(self->port, &bytes, &key, &overlapped, INFINITE);
        if (!ok) {
            printf("worker %lu: GetQueuedCompletionStatus failed, error %lu\n",
                   (unsigned long)self->index, (unsigned long)GetLastError());
            self->failures++;
            break;
        }
        if (key == KEY_SHUTDOWN) {
            break;
        }
        if (key != KEY_JOB || overlapped == NULL) {
            self->failures++;
            continue;
        }
        {
            JOB *job = CONTAINING_RECORD(overlapped, JOB, overlapped);
            if (bytes != job->id) {
                self->failures++;   /* the packet must carry what was posted */
            }
            job->output = Work(job->input);
            job->workerIndex = self->index;
            InterlockedIncrement(&job->timesProcessed);
            self->outputSum += job->output;
            self->jobsDone++;
            InterlockedIncrement(&g_jobsProcessed);
        }
    }
    InterlockedDecrement(&g_workersRunning);
    return self->jobsDone;
}

static DWORD WINAPI ProducerThread(LPVOID parameter)
{
    PRODUCER *producer = (PRODUCER *)parameter;
    DWORD i;
    for (i = 0; i < producer->jobCount; i++) {
        JOB *job = &producer->jobs[i];
        if (!PostQueuedCompletionStatus(producer->port, job->id, KEY_JOB, &job->overlapped)) {
            producer->postFailures++;
        }
    }
    return 0;
}

/* WaitForMultipleObjects takes at most MAXIMUM_WAIT_OBJECTS handles. */
static BOOL WaitForAll(HANDLE *handles, DWORD count, DWORD milliseconds)
{
    DWORD first;
    for (first = 0; first < count; first += MAXIMUM_WAIT_OBJECTS) {
        DWORD n = count - first;
        DWORD rc;
        if (n > MAXIMUM_WAIT_OBJECTS) {
            n = MAXIMUM_WAIT_OBJECTS;
        }
        rc = WaitForMultipleObjects(n, handles + first, TRUE, milliseconds);
        if (rc == WAIT_TIMEOUT || rc == WAIT_FAILED) {
            printf("WaitForMultipleObjects returned %lu (error %lu)\n",
                   (unsigned long)rc, (unsigned long)GetLastError());
            return FALSE;
        }
    }
    return TRUE;
}

int main(int argc, char **argv)
{
    SYSTEM_INFO si;
    DWORD jobCount = 200000;
    DWORD workerCount;
    DWORD i;
    HANDLE port;
    HANDLE workerThreads[MAX_WORKERS];
    WORKER workers[MAX_WORKERS];
    HANDLE producerThread;
    PRODUCER producer;
    JOB *jobs;
    LARGE_INTEGER frequency, start, end;
    double seconds;
    ULONGLONG expectedSum = 0, workerSum = 0;
    DWORD exitCodeSum = 0, doneSum = 0, failures = 0, lost = 0, duplicated = 0, wrong = 0;
    DWORD busiest = 0, idlest = 0xFFFFFFFF;

    GetSystemInfo(&si);
    workerCount = si.dwNumberOfProcessors * 2;
    if (argc > 1) {
        jobCount = (DWORD)strtoul(argv[1], NULL, 10);
    }
    if (argc > 2) {
        workerCount = (DWORD)strtoul(argv[2], NULL, 10);
    }
    if (workerCount == 0) {
        workerCount = 1;
    }
    if (workerCount > MAX_WORKERS) {
        workerCount = MAX_WORKERS;
    }

    jobs = (JOB *)calloc(jobCount ? jobCount : 1, sizeof(JOB));
    if (jobs == NULL) {
        printf("worker_pool: out of memory\n");
        return 1;
    }
    for (i = 0; i < jobCount; i++) {
        jobs[i].id = i;
        jobs[i].input = (ULONGLONG)i * 2654435761ULL + 1;
        expectedSum += Work(jobs[i].input);
    }

    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    if (port == NULL) {
        printf("worker_pool: CreateIoCompletionPort failed, error %lu\n",
               (unsigned long)GetLastError());
        return 1;
    }
    printf("worker_pool: %lu worker threads (%lu processors x 2) on one completion port, "
           "concurrency 0 (at most %lu running at once)\n",
           (unsigned long)workerCount, (unsigned long)si.dwNumberOfProcessors,
           (unsigned long)si.dwNumberOfProcessors);

    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&start);
    for (i = 0; i < workerCount; i++) {
        memset(&workers[i], 0, sizeof(workers[i]));
        workers[i].port = port;
        workers[i].index = i;
        workerThreads[i] = CreateThread(NULL, 0, WorkerThread, &workers[i], 0, NULL);
        if (workerThreads[i] == NULL) {
            printf("worker_pool: CreateThread failed, error %lu\n", (unsigned long)GetLastError());
            return 1;
        }
    }

    producer.port = port;
    producer.jobs = jobs;
    producer.jobCount = jobCount;
    producer.postFailures = 0;
    producerThread = CreateThread(NULL, 0, ProducerThread, &producer, 0, NULL);
    if (producerThread == NULL) {
        printf("worker_pool: CreateThread failed, error %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    if (WaitForSingleObject(producerThread, INFINITE) != WAIT_OBJECT_0) {
        printf("worker_pool: waiting for the producer failed\n");
        return 1;
    }
    CloseHandle(producerThread);

    /* The queue is FIFO: the shutdown packets come after every job. */
    for (i = 0; i < workerCount; i++) {
        if (!PostQueuedCompletionStatus(port, 0, KEY_SHUTDOWN, NULL)) {
            printf("worker_pool: posting shutdown failed, error %lu\n",
                   (unsigned long)GetLastError());
            return 1;
        }
    }
    if (!WaitForAll(workerThreads, workerCount, 60000)) {
        return 1;
    }
    QueryPerformanceCounter(&end);
    seconds = (double)(end.QuadPart - start.QuadPart) / (double)frequency.QuadPart;

    for (i = 0; i < workerCount; i++) {
        DWORD exitCode = 0;
        if (!GetExitCodeThread(workerThreads[i], &exitCode) || exitCode != workers[i].jobsDone) {
            printf("worker_pool: worker %lu exit code %lu, expected %lu\n", (unsigned long)i,
                   (unsigned long)exitCode, (unsigned long)workers[i].jobsDone);
            failures++;
        }
        exitCodeSum += exitCode;
        doneSum += workers[i].jobsDone;
        workerSum += workers[i].outputSum;
        failures += workers[i].failures;
        if (workers[i].jobsDone > busiest) busiest = workers[i].jobsDone;
        if (workers[i].jobsDone < idlest) idlest = workers[i].jobsDone;
        CloseHandle(workerThreads[i]);
    }
    for (i = 0; i < jobCount; i++) {
        if (jobs[i].timesProcessed == 0) lost++;
        if (jobs[i].timesProcessed > 1) duplicated++;
        if (jobs[i].output != Work(jobs[i].input)) wrong++;
    }
    failures += producer.postFailures;
    if (g_workersRunning != 0) failures++;

    printf("worker_pool: posted %lu jobs and %lu shutdown packets; workers processed %lu jobs "
           "(busiest %lu, idlest %lu)\n",
           (unsigned long)jobCount, (unsigned long)workerCount, (unsigned long)g_jobsProcessed,
           (unsigned long)busiest, (unsigned long)idlest);
    printf("worker_pool: %lu jobs lost, %lu processed twice, %lu wrong results, %lu errors; "
           "checksum %016llx (expected %016llx)\n",
           (unsigned long)lost, (unsigned long)duplicated, (unsigned long)wrong,
           (unsigned long)failures, (unsigned long long)workerSum,
           (unsigned long long)expectedSum);
    printf("worker_pool: %lu jobs in %.3f s = %.0f jobs/s\n", (unsigned long)jobCount, seconds,
           seconds > 0 ? jobCount / seconds : 0.0);

    CloseHandle(port);
    free(jobs);

    if (lost || duplicated || wrong || failures || (DWORD)g_jobsProcessed != jobCount ||
        doneSum != jobCount || exitCodeSum != jobCount || workerSum != expectedSum) {
        printf("worker_pool: FAILED\n");
        return 1;
    }
    printf("worker_pool: OK, every job processed exactly once\n");
    return 0;
}
