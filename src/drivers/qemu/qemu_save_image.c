/* qemu_save_image.c: the QEMU driver's save image file: our header, the
 * domain XML, then QEMU's migration stream */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_save.h"

#include "alloc.h"
#include "error.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * Layout (numbers little endian):
 *   0  16  magic "vireo-qemu-save\0"
 *  16   4  format version (1)
 *  20   4  flags: bit 0 set = restore running, clear = paused
 *  24   4  length of the XML in bytes (no terminating NUL)
 *  28   4  FNV-1a hash of the XML
 *  32   8  offset of QEMU's stream (header + XML rounded up to 4 KiB)
 *  40   8  length of the stream; 0 while it is being written
 *  48  16  zero
 *  64      the XML, zero padding, then the stream to the end of the file
 * A saved image is complete: the save writes a temporary file and renames
 * it only once QEMU's stream is in and the length recorded.
 */
#define IMG_MAGIC "vireo-qemu-save"
#define IMG_VERSION 1
#define IMG_HEADER 64
#define IMG_ALIGN 4096ULL
#define IMG_XML_MAX (16u << 20)
#define IMG_RUNNING 1u

static uint32_t
imgHash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static void
imgPut(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
imgGet(const unsigned char *p, int bytes)
{
    uint64_t v = 0;

    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* Write all of BUF at OFFSET of FD. 0, or -1 with errno set. */
static int
imgPwrite(int fd, const void *buf, size_t len, off_t offset)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = pwrite(fd, p, len, offset);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = ENOSPC;
            return -1;
        }
        p += n;
        len -= (size_t)n;
        offset += n;
    }
    return 0;
}

int
qemuSaveImageTempCreate(const char *path, char **tmp)
{
    int fd;

    *tmp = allocPrintf("%s.XXXXXX", path);
    if ((fd = mkostemp(*tmp, O_CLOEXEC)) < 0) {
        reportSystemError(errno, "cannot create '%s'", path);
        FREE(*tmp);
        return -1;
    }
    return fd;
}

/* fsync the directory holding PATH (the rename is durable). */
static void
imgSyncDir(const char *path)
{
    char *copy = allocStrdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        if (fsync(fd) < 0)
            logDebug("qemu", "fsync of the directory of '%s': %s", path,
                     strerror(errno));
        close(fd);
    }
    free(copy);
}

int
qemuSaveImageTempCommit(int fd, const char *tmp, const char *path,
                        bool bypassCache)
{
    int err = 0;

    if (fsync(fd) < 0)
        err = errno;
    /* BYPASS_CACHE: QEMU writes through the page cache (O_DIRECT needs
     * aligned writes its stream does not make); once the data is on disk
     * its pages are dropped, so the image does not push out the host's
     * cache */
    if (!err && bypassCache)
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    if (close(fd) < 0 && !err)
        err = errno;
    if (!err && rename(tmp, path) < 0)
        err = errno;
    if (err) {
        unlink(tmp);
        reportSystemError(err, "cannot write '%s'", path);
        return -1;
    }
    imgSyncDir(path);
    return 0;
}

/* ---- a helper thread that keeps the disk busy while QEMU moves the
 * stream ---- */

/* write back in steps this big */
#define IO_STEP (8ULL << 20)
/* read ahead like dd bs=1M */
#define IO_READ_CHUNK (1u << 20)
/* how often the writer looks at how far QEMU got */
#define IO_WRITE_POLL_US 2000

struct QemuSaveImageIO {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool stop;
    bool write;
    bool dropBehind;
    int fd;
    uint64_t offset;            /* the stream starts here */
    uint64_t end;               /* read: it ends here */
};

/* Sleep up to US microseconds (none: only look) or until IO is told to
 * stop; true once it is. */
static bool
ioPause(QemuSaveImageIO *io, long us)
{
    struct timespec ts;
    bool stop;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += us * 1000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&io->lock);
    if (!io->stop && us > 0)
        pthread_cond_timedwait(&io->cond, &io->lock, &ts);
    stop = io->stop;
    pthread_mutex_unlock(&io->lock);
    return stop;
}

/* Bring LEN bytes of FD at OFF (a multiple of the page size) into the
 * page cache, waiting for them: mapped and populated, which copies
 * nothing (a third of pread's CPU time); pread where the kernel cannot.
 * False at the end of the file or on an error. */
static bool
ioFetch(int fd, uint64_t off, size_t len, char **buf)
{
    void *map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)off);
    int rc = -1;

    if (map != MAP_FAILED) {
        rc = madvise(map, len, MADV_POPULATE_READ);
        munmap(map, len);
    }
    if (rc == 0)
        return true;
    if (!*buf)
        *buf = allocZero(len);
    return pread(fd, *buf, len, (off_t)off) > 0;
}

/* Restore: read the stream into the page cache ahead of QEMU (which
 * starts meanwhile and then finds its pages in memory), a chunk at a time
 * like a sequential reader: the kernel's readahead keeps the disk busy,
 * and what else the restore writes (files it fsyncs) does not queue
 * behind the whole image, as it would behind one POSIX_FADV_WILLNEED. */
static void
ioReadAhead(QemuSaveImageIO *io)
{
    char *buf = NULL;

    for (uint64_t off = io->offset; off < io->end; off += IO_READ_CHUNK) {
        size_t len = io->end - off < IO_READ_CHUNK ?
            (size_t)(io->end - off) : IO_READ_CHUNK;

        if (ioPause(io, 0) || !ioFetch(io->fd, off, len, &buf))
            break;
    }
    free(buf);
}

/* Save: start the writeback of each step QEMU appended, so that the disk
 * writes while QEMU still produces the stream and the final fsync finds
 * little left. DROPBEHIND (BYPASS_CACHE): once a step is on the disk its
 * pages leave the page cache. */
static void
ioWriteBehind(QemuSaveImageIO *io)
{
    uint64_t started = io->offset, dropped = io->offset, upto;
    struct stat st;
    bool last = false;

    while (!last) {
        last = ioPause(io, IO_WRITE_POLL_US);
        if (fstat(io->fd, &st) < 0)
            return;
        /* whole pages only: QEMU still writes into the last one */
        upto = (uint64_t)st.st_size & ~(IMG_ALIGN - 1);
        if (upto < started + (last ? 1 : IO_STEP))
            continue;
        if (sync_file_range(io->fd, (off_t)started, (off_t)(upto - started),
                            SYNC_FILE_RANGE_WRITE) < 0)
            return;
        if (io->dropBehind && started > dropped &&
            sync_file_range(io->fd, (off_t)dropped,
                            (off_t)(started - dropped),
                            SYNC_FILE_RANGE_WAIT_BEFORE |
                            SYNC_FILE_RANGE_WRITE |
                            SYNC_FILE_RANGE_WAIT_AFTER) == 0) {
            posix_fadvise(io->fd, (off_t)dropped, (off_t)(started - dropped),
                          POSIX_FADV_DONTNEED);
            dropped = started;
        }
        started = upto;
    }
}

static void *
ioThread(void *opaque)
{
    QemuSaveImageIO *io = opaque;

    if (io->write)
        ioWriteBehind(io);
    else
        ioReadAhead(io);
    return NULL;
}

QemuSaveImageIO *
qemuSaveImageIOStart(int fd, bool write, unsigned long long offset,
                     unsigned long long len, bool dropBehind)
{
    QemuSaveImageIO *io = allocZero(sizeof(*io));
    int rc;

    io->fd = fd;
    io->write = write;
    io->dropBehind = dropBehind;
    io->offset = offset;
    io->end = offset + len;
    pthread_mutex_init(&io->lock, NULL);
    pthread_cond_init(&io->cond, NULL);
    if ((rc = pthread_create(&io->thread, NULL, ioThread, io)) != 0) {
        /* only slower without it */
        logDebug("qemu", "no save image %s thread: %s",
                 write ? "writeback" : "readahead", strerror(rc));
        pthread_mutex_destroy(&io->lock);
        pthread_cond_destroy(&io->cond);
        free(io);
        return NULL;
    }
    return io;
}

void
qemuSaveImageIOStop(QemuSaveImageIO *io)
{
    if (!io)
        return;
    pthread_mutex_lock(&io->lock);
    io->stop = true;
    pthread_cond_signal(&io->cond);
    pthread_mutex_unlock(&io->lock);
    pthread_join(io->thread, NULL);
    pthread_mutex_destroy(&io->lock);
    pthread_cond_destroy(&io->cond);
    free(io);
}

/* Fill the first IMG_HEADER bytes of H. */
static void
imgHeader(unsigned char *h, const char *xml, size_t len, bool running,
          uint64_t offset, uint64_t dataLen)
{
    memset(h, 0, IMG_HEADER);
    memcpy(h, IMG_MAGIC, sizeof(IMG_MAGIC));
    imgPut(h + 16, IMG_VERSION, 4);
    imgPut(h + 20, running ? IMG_RUNNING : 0, 4);
    imgPut(h + 24, len, 4);
    imgPut(h + 28, imgHash(xml, len), 4);
    imgPut(h + 32, offset, 8);
    imgPut(h + 40, dataLen, 8);
}

/* Header, XML and padding of an image of XML with a stream of DATALEN
 * bytes: the buffer (caller frees), *SIZE its size (= stream offset). */
static unsigned char *
imgPrefix(const char *xml, bool running, uint64_t dataLen, size_t *size)
{
    size_t len = strlen(xml);
    uint64_t offset = (IMG_HEADER + len + IMG_ALIGN - 1) / IMG_ALIGN *
        IMG_ALIGN;
    unsigned char *buf = allocZero((size_t)offset);

    imgHeader(buf, xml, len, running, offset, dataLen);
    memcpy(buf + IMG_HEADER, xml, len);
    *size = (size_t)offset;
    return buf;
}

int
qemuSaveImageWriteHeader(int fd, const char *path, const char *xml,
                         bool running)
{
    size_t size;
    unsigned char *buf = imgPrefix(xml, running, 0, &size);
    int ret = -1;

    if (imgPwrite(fd, buf, size, 0) < 0 ||
        lseek(fd, (off_t)size, SEEK_SET) < 0) {
        reportSystemError(errno, "cannot write save image '%s'", path);
        goto cleanup;
    }
    ret = 0;
 cleanup:
    free(buf);
    return ret;
}

int
qemuSaveImageSeal(int fd, const char *path)
{
    unsigned char field[8];
    unsigned char h[IMG_HEADER];
    struct stat st;
    uint64_t offset;

    if (pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
        fstat(fd, &st) < 0) {
        reportSystemError(errno ? errno : EIO, "cannot read back save image "
                          "'%s'", path);
        return -1;
    }
    offset = imgGet(h + 32, 8);
    if ((uint64_t)st.st_size <= offset) {
        reportError(VIR_ERR_OPERATION_FAILED, "QEMU wrote no state into save "
                    "image '%s'", path);
        return -1;
    }
    imgPut(field, (uint64_t)st.st_size - offset, 8);
    if (imgPwrite(fd, field, sizeof(field), 40) < 0) {
        reportSystemError(errno, "cannot write save image '%s'", path);
        return -1;
    }
    return 0;
}

static int
imgBad(const char *path, const char *why)
{
    reportError(VIR_ERR_OPERATION_FAILED, "save image '%s' %s", path, why);
    return -1;
}

/* Check the header H of PATH (SIZE bytes long) and read its XML from FD
 * into IMG. */
static int
imgCheck(int fd, const char *path, const unsigned char *h, uint64_t size,
         QemuSaveImage *img)
{
    uint64_t len = imgGet(h + 24, 4);
    char *xml;

    if (memcmp(h, IMG_MAGIC, sizeof(IMG_MAGIC)) != 0)
        return imgBad(path, "is not a vireo QEMU save image (bad magic)");
    if (imgGet(h + 16, 4) != IMG_VERSION) {
        reportError(VIR_ERR_OPERATION_FAILED, "save image '%s' has "
                    "unsupported format version %u", path,
                    (unsigned int)imgGet(h + 16, 4));
        return -1;
    }
    img->dataOffset = imgGet(h + 32, 8);
    img->dataLen = imgGet(h + 40, 8);
    img->running = imgGet(h + 20, 4) & IMG_RUNNING;
    if (len == 0 || len > IMG_XML_MAX || img->dataOffset < IMG_HEADER + len ||
        img->dataOffset % IMG_ALIGN)
        return imgBad(path, "has a corrupt header");
    if (img->dataLen == 0)
        return imgBad(path, "is incomplete (the save did not finish)");
    if (size < img->dataOffset + img->dataLen)
        return imgBad(path, "is truncated");
    xml = allocZero((size_t)len + 1);
    if (pread(fd, xml, (size_t)len, IMG_HEADER) != (ssize_t)len) {
        free(xml);
        return imgBad(path, "is truncated");
    }
    if (strlen(xml) != len || imgHash(xml, (size_t)len) != imgGet(h + 28, 4)) {
        free(xml);
        return imgBad(path, "has a corrupt domain XML (hash mismatch)");
    }
    img->xml = xml;
    return 0;
}

int
qemuSaveImageOpen(const char *path, QemuSaveImage *img, int *fdOut)
{
    unsigned char h[IMG_HEADER];
    struct stat st;
    int fd, ret = -1;

    memset(img, 0, sizeof(*img));
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
        reportSystemError(errno, "cannot open save image '%s'", path);
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        imgBad(path, "is not a regular file");
        goto cleanup;
    }
    if (st.st_size < IMG_HEADER ||
        pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h)) {
        imgBad(path, "is too short to be a save image");
        goto cleanup;
    }
    if (imgCheck(fd, path, h, (uint64_t)st.st_size, img) < 0)
        goto cleanup;
    if (fdOut) {
        if (lseek(fd, (off_t)img->dataOffset, SEEK_SET) < 0) {
            reportSystemError(errno, "cannot seek in save image '%s'", path);
            goto cleanup;
        }
        *fdOut = fd;
        fd = -1;
    }
    ret = 0;
 cleanup:
    if (fd >= 0)
        close(fd);
    if (ret < 0)
        qemuSaveImageClear(img);
    return ret;
}

void
qemuSaveImageClear(QemuSaveImage *img)
{
    FREE(img->xml);
}

/* Copy LEN bytes from IN at INOFF to OUT at OUTOFF. 0 or -1 (errno). */
static int
imgCopy(int in, off_t inOff, int out, off_t outOff, uint64_t len)
{
    while (len > 0) {
        size_t chunk = len > (1u << 30) ? (1u << 30) : (size_t)len;
        ssize_t n = copy_file_range(in, &inOff, out, &outOff, chunk, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL)) {
            char buf[65536];

            n = pread(in, buf, chunk < sizeof(buf) ? chunk : sizeof(buf),
                      inOff);
            if (n > 0 && imgPwrite(out, buf, (size_t)n, outOff) < 0)
                return -1;
            if (n > 0) {
                inOff += n;
                outOff += n;
            }
        }
        if (n < 0)
            return -1;
        if (n == 0) {
            errno = EIO;        /* the image shrank under us */
            return -1;
        }
        len -= (uint64_t)n;
    }
    return 0;
}

int
qemuSaveImageRewrite(const char *path, const QemuSaveImage *img,
                     const char *xml, bool running)
{
    size_t size;
    unsigned char *buf = imgPrefix(xml, running, img->dataLen, &size);
    char *tmp = NULL;
    int in = -1, out = -1, ret = -1;

    if ((in = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        reportSystemError(errno, "cannot open save image '%s'", path);
        goto cleanup;
    }
    if ((out = qemuSaveImageTempCreate(path, &tmp)) < 0)
        goto cleanup;
    if (imgPwrite(out, buf, size, 0) < 0 ||
        imgCopy(in, (off_t)img->dataOffset, out, (off_t)size,
                img->dataLen) < 0) {
        reportSystemError(errno, "cannot rewrite save image '%s'", path);
        close(out);
        unlink(tmp);
        goto cleanup;
    }
    ret = qemuSaveImageTempCommit(out, tmp, path, false);
 cleanup:
    if (in >= 0)
        close(in);
    free(tmp);
    free(buf);
    return ret;
}

DomainDef *
qemuSaveImageParse(const char *xml)
{
    DomainDef *def = domainDefParse(xml, 0);

    if (!def)
        return NULL;
    if (!def->virtType || (strcmp(def->virtType, "qemu") != 0 &&
                           strcmp(def->virtType, "kvm") != 0)) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "domain type '%s' is not "
                    "supported by the QEMU driver: use 'qemu' or 'kvm'",
                    def->virtType ? def->virtType : "");
        domainDefFree(def);
        return NULL;
    }
    if (qemuCommandValidate(def) < 0) {
        domainDefFree(def);
        return NULL;
    }
    return def;
}

char *
qemuSaveImageReplaceXML(const char *xml, const char *dxml)
{
    DomainDef *a = NULL, *b = NULL;
    char *ret = NULL;

    if (!(a = domainDefParse(xml, 0)) || !(b = qemuSaveImageParse(dxml)))
        goto cleanup;
    if (strcmp(a->name, b->name) != 0 ||
        memcmp(a->uuid, b->uuid, sizeof(a->uuid)) != 0) {
        reportError(VIR_ERR_INVALID_ARG, "replacement XML for domain '%s' "
                    "describes another domain ('%s')", a->name, b->name);
        goto cleanup;
    }
    ret = domainDefFormat(b, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE);
 cleanup:
    domainDefFree(a);
    domainDefFree(b);
    return ret;
}

char *
qemuSaveImageShowXML(const char *xml, unsigned int flags)
{
    DomainDef *def = domainDefParse(xml, 0);
    char *ret;

    if (!def)
        return NULL;
    ret = domainDefFormat(def, VIR_DOMAIN_XML_INACTIVE |
                          ((flags & VIR_DOMAIN_SAVE_IMAGE_XML_SECURE) ?
                           VIR_DOMAIN_XML_SECURE : 0));
    domainDefFree(def);
    return ret;
}
