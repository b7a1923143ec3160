/* qemu_save.h: what the save family's files (qemu_save.c,
 * qemu_save_image.c, qemu_dump.c, qemu_job.c) share */
#pragma once

#include "qemu_priv.h"
#include "qmp_commands.h"

/* ---- qemu_save_image.c: the save image file ---- */

/* A save image as read from its header. */
typedef struct {
    char *xml;                  /* the saved domain's XML (secure) */
    bool running;               /* restore running, else paused */
    unsigned long long dataOffset;  /* QEMU's migration stream starts ... */
    unsigned long long dataLen;     /* ... here, this long */
} QemuSaveImage;

/* A helper thread over an image's stream while QEMU moves it. */
typedef struct QemuSaveImageIO QemuSaveImageIO;

/* Start the helper on FD, whose stream starts at OFFSET: WRITE (a save)
 * starts the writeback of what QEMU appends, dropping it from the page
 * cache once written when DROPBEHIND; otherwise (a restore) the LEN bytes
 * of the stream are read ahead into the page cache. FD stays the caller's
 * and must stay open until the stop. NULL when no thread could be made
 * (logged: everything works, only slower); never sets an error. */
QemuSaveImageIO *qemuSaveImageIOStart(int fd, bool write,
                                      unsigned long long offset,
                                      unsigned long long len,
                                      bool dropBehind);
/* Stop and free IO (NULL is fine); a writer first starts the writeback of
 * everything up to the file's end. */
void qemuSaveImageIOStop(QemuSaveImageIO *io);
/* Create a temporary file next to PATH (PATH.XXXXXX, mode 0600): its fd,
 * *TMP gets its name (caller frees). -1 with SYSTEM_ERROR naming PATH. */
int qemuSaveImageTempCreate(const char *path, char **tmp);
/* Finish the temporary file TMP (fd FD, closed on every path) as PATH:
 * fsync, rename, fsync the directory; BYPASSCACHE drops its pages from
 * the page cache. On failure TMP is removed. 0 or -1. */
int qemuSaveImageTempCommit(int fd, const char *tmp, const char *path,
                            bool bypassCache);
/* Write the header and XML of a new image to FD (PATH names it in
 * errors), leaving the file offset where QEMU's stream starts. 0 or -1. */
int qemuSaveImageWriteHeader(int fd, const char *path, const char *xml,
                             bool running);
/* The stream is in: record its length (from the file size) in the
 * header. 0 or -1. */
int qemuSaveImageSeal(int fd, const char *path);
/* Open and check the image PATH: IMG filled in (release with
 * qemuSaveImageClear); when FD is not NULL, *FD gets a descriptor
 * positioned at the stream. -1 with SYSTEM_ERROR (cannot open) or
 * OPERATION_FAILED saying what is wrong with the file. */
int qemuSaveImageOpen(const char *path, QemuSaveImage *img, int *fd);
void qemuSaveImageClear(QemuSaveImage *img);
/* Rewrite image PATH (already opened as IMG) with XML and RUNNING,
 * atomically (a copy with the new header takes its place). 0 or -1. */
int qemuSaveImageRewrite(const char *path, const QemuSaveImage *img,
                         const char *xml, bool running);
/* DXML checked as the replacement of XML (same name and uuid, valid for
 * QEMU): its secure formatting (caller frees), or NULL with an error. */
char *qemuSaveImageReplaceXML(const char *xml, const char *dxml);
/* XML for a client, SECURE or not (VIR_DOMAIN_SAVE_IMAGE_XML_SECURE). */
char *qemuSaveImageShowXML(const char *xml, unsigned int flags);
/* A definition from image XML, checked for QEMU (caller frees). */
DomainDef *qemuSaveImageParse(const char *xml);

/* ---- qemu_save.c: helpers the other files use ---- */

/* Run FN(MON, OPAQUE) on D's monitor with the driver lock released (lock
 * held on entry and exit). 0 or FN's result, -1 with an error. */
int qemuSaveMonRun(QemuDom *d, int (*fn)(Qmp *mon, void *opaque),
                   void *opaque);
/* Pause running D for a job (lock held): state paused with REASON and a
 * SUSPENDED_PAUSED event. 0 or -1. */
int qemuSavePause(QemuDom *d, int reason);
/* Resume D paused by qemuSavePause, running with REASON (lock held).
 * Failures are logged: the guest then stays paused. */
void qemuSaveResume(QemuDom *d, int reason);
/* Sleep MS milliseconds with the driver lock of D released. */
void qemuSaveSleep(QemuDom *d, int ms);
/* The last line QEMU wrote to D's log (caller frees). */
char *qemuSaveLogLine(QemuDom *d);

/* Write D's migration stream into FD (kept open, its offset moved to the
 * end) as a save does, and wait for it to complete (lock held, released
 * meanwhile); WHAT ("snapshot") names the operation in errors. QEMU
 * pauses a running guest at the end of the stream. 0 or -1. */
int qemuSaveMigrateToFd(QemuDom *d, int fd, const char *what);

/* ---- qemu_job.c: the domain job clients see ---- */

/* How to cancel the active job (lock released, monitor held). */
typedef int (*QemuJobAbortFunc)(Qmp *mon);

/* Start reporting a job of OPERATION (VIR_DOMAIN_JOB_OPERATION_*) on D;
 * ABORT (may be NULL: not abortable) cancels it. Lock held. */
void qemuJobActivate(QemuDom *d, int operation, QemuJobAbortFunc abort);
/* Progress of the active job from QEMU's migration info. Lock held. */
void qemuJobUpdateMigration(QemuDom *d, const QmpMigrationInfo *mi);
/* Progress of the active job in bytes of memory. Lock held. */
void qemuJobUpdateMemory(QemuDom *d, unsigned long long processed,
                         unsigned long long total);
/* End the active job: TYPE is VIR_DOMAIN_JOB_COMPLETED, _FAILED or
 * _CANCELLED; ERRMSG (may be NULL) says why it failed. It becomes the
 * last completed job. Lock held. */
void qemuJobFinish(QemuDom *d, int type, const char *errmsg);
/* True once a client asked to abort the active job. Lock held. */
bool qemuJobAbortRequested(const QemuDom *d);

/* Slot fillers called by qemuSaveFill. */
void qemuDumpFill(Driver *drv);
void qemuJobFill(Driver *drv);
