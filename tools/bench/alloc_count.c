/*
 * alloc_count.so: an LD_PRELOAD heap-allocation counter for tools/bench/run.
 * Every malloc, calloc, realloc and aligned allocation of the process
 * (operator new included: libstdc++ calls malloc) adds one to a 64-bit
 * counter kept in the file named by $ALLOC_COUNT_FILE, mapped shared, so
 * that the driver can read it while the server runs: the difference over a
 * measured window divided by the messages echoed in it is allocations per
 * message. The real allocator is glibc's (its __libc_* entry points).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static uint64_t early_count;
static uint64_t *counter = &early_count;

__attribute__((constructor)) static void alloc_count_init(void)
{
    const char *path = getenv("ALLOC_COUNT_FILE");
    int fd;
    void *mapping;
    if (path == NULL) return;
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return;
    if (ftruncate(fd, sizeof(uint64_t)) != 0) {
        close(fd);
        return;
    }
    mapping = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (mapping == MAP_FAILED) return;
    __atomic_store_n((uint64_t *)mapping, early_count, __ATOMIC_RELAXED);
    __atomic_store_n(&counter, (uint64_t *)mapping, __ATOMIC_RELEASE);
}

static void count_one(void)
{
    __atomic_fetch_add(__atomic_load_n(&counter, __ATOMIC_ACQUIRE), 1, __ATOMIC_RELAXED);
}

void *malloc(size_t size)
{
    count_one();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
    count_one();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size)
{
    count_one();
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size)
{
    count_one();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size)
{
    count_one();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size)
{
    void *pointer;
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return 22; /* EINVAL */
    count_one();
    pointer = __libc_memalign(alignment, size);
    if (pointer == NULL && size != 0) return 12; /* ENOMEM */
    *out = pointer;
    return 0;
}
