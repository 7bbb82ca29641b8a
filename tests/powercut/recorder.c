/* The power-cut test's recorder (tst_powercut.cpp): an LD_PRELOAD library that logs, in
 * the order they happen, every change to the files under POWERCUT_DIR and every flush,
 * and every byte written to a socket, into POWERCUT_LOG. From the log the test rebuilds
 * the folder as a power cut at any moment would leave it.
 *
 * Records (one header line, then for W and N the bytes):
 *   C <ino> <path>          a file created (open with O_CREAT of a name that was free)
 *   W <ino> <offset> <len>  bytes written to a file
 *   T <ino> <length>        a file truncated (ftruncate, open with O_TRUNC)
 *   S <ino>                 fsync/fdatasync of a file
 *   D <path>                fsync of a folder
 *   F                       syncfs or sync: everything
 *   R <from>\t<to>          rename
 *   U <path>                unlink
 *   M <path>                mkdir
 *   N <fd> <len>            bytes written to a socket
 * Every operation and its record happen under one lock, so the log's order is the order
 * of the calls. Only what the test's programs use is wrapped (Qt's QFile, SQLite, Qt's
 * sockets). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const char *dir;
static size_t dirLen;
static int logFd = -1;
#define MAXFD 4096
static unsigned long long inoOf[MAXFD]; /* 0: not a file of ours */

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_send)(int, const void *, size_t, int);
static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real_close)(int);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_syncfs)(int);
static void (*real_sync)(void);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_renameat2)(int, const char *, int, const char *, unsigned int);
static int (*real_unlink)(const char *);
static int (*real_unlinkat)(int, const char *, int);
static int (*real_mkdir)(const char *, mode_t);
static int (*real_mkdirat)(int, const char *, mode_t);

#define RESOLVE(name) real_##name = dlsym(RTLD_NEXT, #name)
#define ENSURE()                                                                              \
    do {                                                                                       \
        if (!initDone)                                                                         \
            recorderInit();                                                                    \
    } while (0)
static void recorderInit(void);

static int initDone;

__attribute__((constructor)) static void recorderInit(void)
{
    if (initDone)
        return;
    initDone = 1;
    RESOLVE(write);
    RESOLVE(pwrite);
    RESOLVE(pwrite64);
    RESOLVE(send);
    RESOLVE(sendmsg);
    RESOLVE(writev);
    RESOLVE(open);
    RESOLVE(open64);
    RESOLVE(openat);
    RESOLVE(openat64);
    RESOLVE(close);
    RESOLVE(ftruncate);
    RESOLVE(ftruncate64);
    RESOLVE(fsync);
    RESOLVE(fdatasync);
    RESOLVE(syncfs);
    RESOLVE(sync);
    RESOLVE(rename);
    RESOLVE(renameat);
    RESOLVE(renameat2);
    RESOLVE(unlink);
    RESOLVE(unlinkat);
    RESOLVE(mkdir);
    RESOLVE(mkdirat);
    dir = getenv("POWERCUT_DIR");
    dirLen = dir ? strlen(dir) : 0;
    const char *log = getenv("POWERCUT_LOG");
    if (dir && log)
        logFd = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

static void emit(const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        const ssize_t n = real_write(logFd, p, len);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return;
        }
        p += n;
        len -= (size_t)n;
    }
}

static void header(const char *fmt, ...)
{
    char line[8192];
    va_list ap;
    va_start(ap, fmt);
    const int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0)
        emit(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* The absolute path of `path` relative to `dirfd`, in `out`; 1 if it lies under dir. */
static int ours(int dirfd, const char *path, char *out, size_t size)
{
    if (logFd < 0 || !path)
        return 0;
    if (path[0] == '/') {
        snprintf(out, size, "%s", path);
    } else {
        char base[2048];
        if (dirfd == AT_FDCWD) {
            if (!getcwd(base, sizeof base))
                return 0;
        } else {
            char link[64];
            snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
            const ssize_t n = readlink(link, base, sizeof base - 1);
            if (n <= 0)
                return 0;
            base[n] = 0;
        }
        snprintf(out, size, "%s/%s", base, path);
    }
    return strncmp(out, dir, dirLen) == 0 && (out[dirLen] == '/' || out[dirLen] == 0);
}

static unsigned long long fileOf(int fd)
{
    return fd >= 0 && fd < MAXFD ? inoOf[fd] : 0;
}

static int isSocket(int fd)
{
    struct stat st;
    return logFd >= 0 && fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

static int openCommon(int dirfd, const char *path, int flags, mode_t mode, int at, int big)
{
    ENSURE();
    char abs[4096];
    pthread_mutex_lock(&lock);
    const int mine = ours(dirfd, path, abs, sizeof abs);
    struct stat before;
    const int existed = mine && stat(abs, &before) == 0;
    int fd;
    if (at)
        fd = (big ? real_openat64 : real_openat)(dirfd, path, flags, mode);
    else
        fd = (big ? real_open64 : real_open)(path, flags, mode);
    const int saved = errno;
    if (fd >= 0 && fd < MAXFD) {
        inoOf[fd] = 0;
        struct stat st;
        if (mine && fstat(fd, &st) == 0) {
            if (S_ISREG(st.st_mode)) {
                inoOf[fd] = (unsigned long long)st.st_ino;
                if (!existed && (flags & O_CREAT))
                    header("C %llu %s\n", inoOf[fd], abs);
                else if (flags & O_TRUNC)
                    header("T %llu 0\n", inoOf[fd]);
            } else if (S_ISDIR(st.st_mode)) {
                inoOf[fd] = 0; /* a folder: fsync of it is found by path */
            }
        }
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return fd;
}

#define MODE_ARG                                                                              \
    mode_t mode = 0;                                                                           \
    if (flags & (O_CREAT | O_TMPFILE)) {                                                       \
        va_list ap;                                                                            \
        va_start(ap, flags);                                                                   \
        mode = va_arg(ap, mode_t);                                                             \
        va_end(ap);                                                                            \
    }

int open(const char *path, int flags, ...)
{
    MODE_ARG
    return openCommon(AT_FDCWD, path, flags, mode, 0, 0);
}
int open64(const char *path, int flags, ...)
{
    MODE_ARG
    return openCommon(AT_FDCWD, path, flags, mode, 0, 1);
}
int openat(int dirfd, const char *path, int flags, ...)
{
    MODE_ARG
    return openCommon(dirfd, path, flags, mode, 1, 0);
}
int openat64(int dirfd, const char *path, int flags, ...)
{
    MODE_ARG
    return openCommon(dirfd, path, flags, mode, 1, 1);
}

int close(int fd)
{
    ENSURE();
    if (fd >= 0 && fd < MAXFD)
        inoOf[fd] = 0;
    return real_close(fd);
}

static void logWrite(int fd, const void *data, ssize_t n, off_t offset)
{
    if (n <= 0)
        return;
    const unsigned long long ino = fileOf(fd);
    if (ino) {
        header("W %llu %lld %zd\n", ino, (long long)offset, n);
        emit(data, (size_t)n);
    } else if (isSocket(fd)) {
        header("N %d %zd\n", fd, n);
        emit(data, (size_t)n);
    }
}

ssize_t write(int fd, const void *data, size_t len)
{
    ENSURE();
    if (logFd < 0 || fd == logFd)
        return real_write(fd, data, len);
    pthread_mutex_lock(&lock);
    const off_t at = fileOf(fd) ? lseek(fd, 0, SEEK_CUR) : 0;
    const ssize_t n = real_write(fd, data, len);
    const int saved = errno;
    logWrite(fd, data, n, at);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return n;
}

static ssize_t pwriteCommon(int fd, const void *data, size_t len, off_t offset, int big)
{
    ENSURE();
    pthread_mutex_lock(&lock);
    const ssize_t n = (big ? real_pwrite64 : real_pwrite)(fd, data, len, offset);
    const int saved = errno;
    logWrite(fd, data, n, offset);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return n;
}
ssize_t pwrite(int fd, const void *data, size_t len, off_t offset)
{
    return pwriteCommon(fd, data, len, offset, 0);
}
ssize_t pwrite64(int fd, const void *data, size_t len, off_t offset)
{
    return pwriteCommon(fd, data, len, offset, 1);
}

ssize_t send(int fd, const void *data, size_t len, int flags)
{
    ENSURE();
    pthread_mutex_lock(&lock);
    const ssize_t n = real_send(fd, data, len, flags);
    const int saved = errno;
    logWrite(fd, data, n, 0);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return n;
}

static void logVector(int fd, const struct iovec *iov, int count, ssize_t n)
{
    for (int i = 0; i < count && n > 0; ++i) {
        const ssize_t part = (ssize_t)iov[i].iov_len < n ? (ssize_t)iov[i].iov_len : n;
        logWrite(fd, iov[i].iov_base, part, 0);
        n -= part;
    }
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
    ENSURE();
    pthread_mutex_lock(&lock);
    const ssize_t n = real_sendmsg(fd, msg, flags);
    const int saved = errno;
    if (!fileOf(fd))
        logVector(fd, msg->msg_iov, (int)msg->msg_iovlen, n);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return n;
}

ssize_t writev(int fd, const struct iovec *iov, int count)
{
    ENSURE();
    pthread_mutex_lock(&lock);
    const off_t at = fileOf(fd) ? lseek(fd, 0, SEEK_CUR) : 0;
    const ssize_t n = real_writev(fd, iov, count);
    const int saved = errno;
    if (fileOf(fd)) {
        ssize_t left = n;
        off_t offset = at;
        for (int i = 0; i < count && left > 0; ++i) {
            const ssize_t part = (ssize_t)iov[i].iov_len < left ? (ssize_t)iov[i].iov_len : left;
            logWrite(fd, iov[i].iov_base, part, offset);
            offset += part;
            left -= part;
        }
    } else {
        logVector(fd, iov, count, n);
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return n;
}

static int truncateCommon(int fd, off_t length, int big)
{
    ENSURE();
    pthread_mutex_lock(&lock);
    const int rc = (big ? real_ftruncate64 : real_ftruncate)(fd, length);
    const int saved = errno;
    if (rc == 0 && fileOf(fd))
        header("T %llu %lld\n", fileOf(fd), (long long)length);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return rc;
}
int ftruncate(int fd, off_t length)
{
    return truncateCommon(fd, length, 0);
}
int ftruncate64(int fd, off_t length)
{
    return truncateCommon(fd, length, 1);
}

static int syncCommon(int fd, int data)
{
    ENSURE();
    pthread_mutex_lock(&lock);
    const int rc = (data ? real_fdatasync : real_fsync)(fd);
    const int saved = errno;
    if (rc == 0 && logFd >= 0) {
        if (fileOf(fd)) {
            header("S %llu\n", fileOf(fd));
        } else {
            char link[64], path[4096];
            snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
            const ssize_t n = readlink(link, path, sizeof path - 1);
            struct stat st;
            if (n > 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
                path[n] = 0;
                if (strncmp(path, dir, dirLen) == 0)
                    header("D %s\n", path);
            }
        }
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return rc;
}
int fsync(int fd)
{
    return syncCommon(fd, 0);
}
int fdatasync(int fd)
{
    return syncCommon(fd, 1);
}

int syncfs(int fd)
{
    ENSURE();
    pthread_mutex_lock(&lock);
    const int rc = real_syncfs(fd);
    const int saved = errno;
    if (rc == 0 && logFd >= 0)
        header("F\n");
    pthread_mutex_unlock(&lock);
    errno = saved;
    return rc;
}

void sync(void)
{
    ENSURE();
    pthread_mutex_lock(&lock);
    real_sync();
    if (logFd >= 0)
        header("F\n");
    pthread_mutex_unlock(&lock);
}

static int renameCommon(int olddirfd, const char *from, int newdirfd, const char *to,
                        unsigned int flags, int kind)
{
    ENSURE();
    char a[4096], b[4096];
    pthread_mutex_lock(&lock);
    const int mine = ours(olddirfd, from, a, sizeof a) | ours(newdirfd, to, b, sizeof b);
    int rc;
    if (kind == 0)
        rc = real_rename(from, to);
    else if (kind == 1)
        rc = real_renameat(olddirfd, from, newdirfd, to);
    else
        rc = real_renameat2(olddirfd, from, newdirfd, to, flags);
    const int saved = errno;
    if (rc == 0 && mine)
        header("R %s\t%s\n", a, b);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return rc;
}
int rename(const char *from, const char *to)
{
    return renameCommon(AT_FDCWD, from, AT_FDCWD, to, 0, 0);
}
int renameat(int od, const char *from, int nd, const char *to)
{
    return renameCommon(od, from, nd, to, 0, 1);
}
int renameat2(int od, const char *from, int nd, const char *to, unsigned int flags)
{
    return renameCommon(od, from, nd, to, flags, 2);
}

static int unlinkCommon(int dirfd, const char *path, int flags, int at)
{
    ENSURE();
    char abs[4096];
    pthread_mutex_lock(&lock);
    const int mine = ours(dirfd, path, abs, sizeof abs);
    const int rc = at ? real_unlinkat(dirfd, path, flags) : real_unlink(path);
    const int saved = errno;
    if (rc == 0 && mine)
        header("U %s\n", abs);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return rc;
}
int unlink(const char *path)
{
    return unlinkCommon(AT_FDCWD, path, 0, 0);
}
int unlinkat(int dirfd, const char *path, int flags)
{
    return unlinkCommon(dirfd, path, flags, 1);
}

static int mkdirCommon(int dirfd, const char *path, mode_t mode, int at)
{
    ENSURE();
    char abs[4096];
    pthread_mutex_lock(&lock);
    const int mine = ours(dirfd, path, abs, sizeof abs);
    const int rc = at ? real_mkdirat(dirfd, path, mode) : real_mkdir(path, mode);
    const int saved = errno;
    if (rc == 0 && mine)
        header("M %s\n", abs);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return rc;
}
int mkdir(const char *path, mode_t mode)
{
    return mkdirCommon(AT_FDCWD, path, mode, 0);
}
int mkdirat(int dirfd, const char *path, mode_t mode)
{
    return mkdirCommon(dirfd, path, mode, 1);
}
