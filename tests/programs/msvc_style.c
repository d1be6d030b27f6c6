/*
 * msvc_style.c - a completion-port job queue written the way MSVC samples
 * are: _tmain and TCHAR text, strsafe.h and the *_s functions for every
 * string, SAL annotations, __declspec, __forceinline, min(), _countof.
 *
 * The main thread formats M job descriptions with StringCchPrintf into
 * per-job TCHAR buffers (truncation checked with the HRESULT), posts them to
 * a completion port, and N workers (CreateThread) take them with
 * GetQueuedCompletionStatus, parse them back with _tcstol/_tcstok_s, format
 * a reply with sprintf_s and _itoa_s and compare it with _tcsicmp. One
 * shutdown packet per worker ends the pool.
 *
 * Usage: msvc_style [jobs] [workers]
 * Exit code 0 only if every check passed; the last line is "msvc_style: OK".
 */
#include <windows.h>
#include <tchar.h>
#include <strsafe.h>
#include <stdio.h>
#include <stdlib.h>

#define KEY_JOB 1
#define KEY_SHUTDOWN 2
#define MAX_WORKERS 64

typedef struct __declspec(align(16)) JOB {
    OVERLAPPED overlapped;
    DWORD id;
    TCHAR text[32];
    volatile LONG processed;
} JOB;

typedef struct WORKER {
    HANDLE port;
    DWORD done;
    DWORD failures;
} WORKER;

static __forceinline ULONGLONG Square(_In_ DWORD value) { return (ULONGLONG)value * value; }

/* Parses "job <id> sq <square>", checks the square, and rebuilds the reply
 * text two other ways; 0 on success. */
static int __cdecl CheckJob(_In_ const JOB *job) {
    TCHAR copy[32];
    TCHAR *context = NULL;
    TCHAR *word;
    char reply[48];
    char number[24];
    long id;
    unsigned long long square;
    if (_tcscpy_s(copy, _countof(copy), job->text) != 0) return 1;
    word = _tcstok_s(copy, _T(" "), &context);
    if (word == NULL || _tcsicmp(word, _T("JOB")) != 0) return 2;
    id = _tcstol(_tcstok_s(NULL, _T(" "), &context), NULL, 10);
    if ((DWORD)id != job->id) return 3;
    word = _tcstok_s(NULL, _T(" "), &context);
    if (word == NULL || _tcscmp(word, _T("sq")) != 0) return 4;
    square = _strtoui64(_tcstok_s(NULL, _T(" "), &context), NULL, 10);
    if (square != Square(job->id)) return 5;
    if (sprintf_s(reply, sizeof reply, "JOB %ld SQ ", id) < 0) return 6;
    if (_ui64toa_s(square, number, sizeof number, 10) != 0) return 7;
    if (strcat_s(reply, sizeof reply, number) != 0) return 8;
    if (_stricmp(reply, job->text) != 0) return 9;
    return 0;
}

static DWORD WINAPI Worker(_In_ LPVOID parameter) {
    WORKER *worker = (WORKER *)parameter;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED overlapped = NULL;
        JOB *job;
        if (!GetQueuedCompletionStatus(worker->port, &bytes, &key, &overlapped, INFINITE)) {
            worker->failures++;
            return 1;
        }
        if (key == KEY_SHUTDOWN) return 0;
        job = CONTAINING_RECORD(overlapped, JOB, overlapped);
        if (bytes != job->id || CheckJob(job) != 0) worker->failures++;
        InterlockedIncrement(&job->processed);
        worker->done++;
    }
}

int _tmain(int argc, _TCHAR *argv[]) {
    DWORD jobCount = argc > 1 ? (DWORD)_ttoi(argv[1]) : 10000;
    DWORD workerCount = argc > 2 ? (DWORD)_ttoi(argv[2]) : 4;
    WORKER workers[MAX_WORKERS];
    HANDLE threads[MAX_WORKERS];
    HANDLE port;
    JOB *jobs;
    DWORD i;
    DWORD done = 0;
    DWORD failures = 0;
    TCHAR summary[16];
    workerCount = min(max(workerCount, 1u), (DWORD)MAXIMUM_WAIT_OBJECTS);
    if (jobCount == 0) jobCount = 1;

    /* The summary buffer is too small on purpose: StringCchPrintf must say
     * so and still leave a terminated, truncated string. */
    if (StringCchPrintf(summary, _countof(summary), _T("%lu jobs on %lu workers"),
                        (unsigned long)jobCount, (unsigned long)workerCount) !=
            STRSAFE_E_INSUFFICIENT_BUFFER ||
        _tcslen(summary) != _countof(summary) - 1) {
        _tprintf(_T("msvc_style: FAILED, StringCchPrintf did not truncate\n"));
        return 1;
    }

    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    jobs = (JOB *)calloc(jobCount, sizeof(JOB));
    if (port == NULL || jobs == NULL) {
        _tprintf(_T("msvc_style: FAILED, setup (error %lu)\n"), (unsigned long)GetLastError());
        return 1;
    }
    for (i = 0; i < workerCount; i++) {
        ZeroMemory(&workers[i], sizeof workers[i]);
        workers[i].port = port;
        threads[i] = CreateThread(NULL, 0, Worker, &workers[i], 0, NULL);
        if (threads[i] == NULL) return 1;
    }
    for (i = 0; i < jobCount; i++) {
        HRESULT hr;
        jobs[i].id = i;
        hr = StringCchPrintf(jobs[i].text, _countof(jobs[i].text), TEXT("job %lu sq %llu"),
                             (unsigned long)i, Square(i));
        if (FAILED(hr) ||
            !PostQueuedCompletionStatus(port, i, KEY_JOB, &jobs[i].overlapped)) {
            _tprintf(_T("msvc_style: FAILED, posting job %lu\n"), (unsigned long)i);
            return 1;
        }
    }
    for (i = 0; i < workerCount; i++) PostQueuedCompletionStatus(port, 0, KEY_SHUTDOWN, NULL);
    if (WaitForMultipleObjects(workerCount, threads, TRUE, INFINITE) != WAIT_OBJECT_0) return 1;
    for (i = 0; i < workerCount; i++) {
        done += workers[i].done;
        failures += workers[i].failures;
        CloseHandle(threads[i]);
    }
    for (i = 0; i < jobCount; i++) {
        if (jobs[i].processed != 1) failures++;
    }
    CloseHandle(port);
    free(jobs);
    if (done != jobCount || failures != 0) {
        _tprintf(_T("msvc_style: FAILED, %lu of %lu jobs done, %lu failures\n"),
                 (unsigned long)done, (unsigned long)jobCount, (unsigned long)failures);
        return 1;
    }
    _tprintf(_T("msvc_style: OK, every job formatted, parsed and checked once\n"));
    return 0;
}
