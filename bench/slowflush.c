/* The benchmark's slow disk: an LD_PRELOAD shim that makes every flush to stable storage
 * (fsync, fdatasync, syncfs, sync, msync with MS_SYNC, sync_file_range with
 * SYNC_FILE_RANGE_WAIT_AFTER) cost what it costs on an office PC's disk, and counts them.
 *
 *   SLOWFLUSH_MS     delay per flush in milliseconds (a decimal: "8", "0.5"; default 0)
 *   SLOWFLUSH_COUNT  a file to which each process appends one line at exit:
 *                    "<pid> fsync=N fdatasync=N syncfs=N sync=N msync=N sync_file_range=N
 *                     total=N delayed_ms=N"
 *
 * The model: the flush itself is done (the real call runs), then the calling thread waits
 * SLOWFLUSH_MS more. Flushes of one process are serialised (a disk flushes one at a time),
 * so two threads flushing at once wait for each other, as they would on a real disk.
 * Build: gcc -O2 -shared -fPIC -o slowflush.so slowflush.c -ldl -lpthread
 * (bench/run.sh does; docs/PERFORMANCE.md). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

enum { F_FSYNC, F_FDATASYNC, F_SYNCFS, F_SYNC, F_MSYNC, F_SFR, F_KINDS };
static const char *const kNames[F_KINDS] = {"fsync", "fdatasync", "syncfs",
                                            "sync",  "msync",     "sync_file_range"};
static atomic_long counts[F_KINDS];
static atomic_long delayedNs;
static long delayNs;
static pthread_mutex_t diskLock = PTHREAD_MUTEX_INITIALIZER;

static void *next(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

__attribute__((constructor)) static void slowflushInit(void)
{
    const char *ms = getenv("SLOWFLUSH_MS");
    if (ms && *ms)
        delayNs = (long)(strtod(ms, NULL) * 1e6);
}

__attribute__((destructor)) static void slowflushReport(void)
{
    const char *path = getenv("SLOWFLUSH_COUNT");
    if (!path || !*path)
        return;
    long total = 0;
    char line[512];
    int n = snprintf(line, sizeof line, "%ld", (long)getpid());
    for (int i = 0; i < F_KINDS; ++i) {
        const long c = atomic_load(&counts[i]);
        total += c;
        n += snprintf(line + n, sizeof line - n, " %s=%ld", kNames[i], c);
    }
    n += snprintf(line + n, sizeof line - n, " total=%ld delayed_ms=%ld\n", total,
                  atomic_load(&delayedNs) / 1000000);
    /* One write with O_APPEND: lines of processes that end together do not mix. */
    const int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ssize_t w = write(fd, line, (size_t)n);
        (void)w;
        close(fd);
    }
}

static void flushed(int kind)
{
    atomic_fetch_add(&counts[kind], 1);
    if (delayNs <= 0)
        return;
    const int saved = errno;
    pthread_mutex_lock(&diskLock);
    struct timespec t = {delayNs / 1000000000L, delayNs % 1000000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {
    }
    pthread_mutex_unlock(&diskLock);
    atomic_fetch_add(&delayedNs, delayNs);
    errno = saved;
}

int fsync(int fd)
{
    static int (*real)(int);
    if (!real)
        real = (int (*)(int))next("fsync");
    const int rc = real(fd);
    flushed(F_FSYNC);
    return rc;
}

int fdatasync(int fd)
{
    static int (*real)(int);
    if (!real)
        real = (int (*)(int))next("fdatasync");
    const int rc = real(fd);
    flushed(F_FDATASYNC);
    return rc;
}

int syncfs(int fd)
{
    static int (*real)(int);
    if (!real)
        real = (int (*)(int))next("syncfs");
    const int rc = real(fd);
    flushed(F_SYNCFS);
    return rc;
}

void sync(void)
{
    static void (*real)(void);
    if (!real)
        real = (void (*)(void))next("sync");
    real();
    flushed(F_SYNC);
}

int msync(void *addr, size_t length, int flags)
{
    static int (*real)(void *, size_t, int);
    if (!real)
        real = (int (*)(void *, size_t, int))next("msync");
    const int rc = real(addr, length, flags);
    if (flags & MS_SYNC)
        flushed(F_MSYNC);
    return rc;
}

int sync_file_range(int fd, off_t offset, off_t nbytes, unsigned int flags)
{
    static int (*real)(int, off_t, off_t, unsigned int);
    if (!real)
        real = (int (*)(int, off_t, off_t, unsigned int))next("sync_file_range");
    const int rc = real(fd, offset, nbytes, flags);
    /* Only a wait for the write-out is a flush; starting one (WRITE alone) is not. */
    if (flags & SYNC_FILE_RANGE_WAIT_AFTER)
        flushed(F_SFR);
    return rc;
}
