/* qmp_commands.c: one C function per QMP command the QEMU driver uses */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

/* Run CMD (stolen; NULL when building it failed) and discard the reply. */
static int
qmpRunSimple(Qmp *mon, json_object *cmd)
{
    int ret;

    if (!cmd)
        return -1;
    ret = qmpCommandRun(mon, cmd, NULL, 0);
    json_object_put(cmd);
    return ret;
}

/* Run CMD (stolen); on success *REPLY owns the reply and *RET borrows its
 * "return" member, which must have json type TYPE. */
static int
qmpRunReturn(Qmp *mon, json_object *cmd, json_type type,
             json_object **reply, json_object **ret)
{
    int rc = -1;

    *reply = NULL;
    if (!cmd)
        return -1;
    if (qmpCommandRun(mon, cmd, reply, 0) < 0)
        goto cleanup;
    if (!(*ret = qmpReplyReturn(*reply, qmpCommandName(cmd), type)))
        goto cleanup;
    rc = 0;

 cleanup:
    if (rc < 0) {
        json_object_put(*reply);
        *reply = NULL;
    }
    json_object_put(cmd);
    return rc;
}

typedef int (*QmpElemParse)(json_object *elem, const char *cmd, void *out);
typedef void (*QmpElemClear)(void *elem);

/* Parse each object of ARRAY into an element of SIZE bytes with PARSE.
 * Sets *LIST (NULL for none) and returns the count; on failure clears what
 * was parsed with CLEAR and returns -1. */
static int
qmpParseList(json_object *array, const char *cmd, size_t size,
             QmpElemParse parse, QmpElemClear clear, void *list)
{
    size_t n = json_object_array_length(array);
    char *elems = NULL;
    size_t i;

    *(void **)list = NULL;
    if (n == 0)
        return 0;
    elems = allocArray(n, size);
    for (i = 0; i < n; i++) {
        json_object *elem = json_object_array_get_idx(array, i);

        if (!json_object_is_type(elem, json_type_object)) {
            reportError(VIR_ERR_INTERNAL_ERROR,
                        "malformed reply to '%s': element %zu is not an "
                        "object", cmd, i);
            goto error;
        }
        if (parse(elem, cmd, elems + i * size) < 0)
            goto error;
    }
    *(void **)list = elems;
    return (int)n;

 error:
    for (i = 0; i < n; i++)
        clear(elems + i * size);
    free(elems);
    return -1;
}

/* Parse the array REPLY (borrowed) to command CMD returned, as
 * qmpParseList. */
static int
qmpReplyList(json_object *reply, const char *cmd, size_t size,
             QmpElemParse parse, QmpElemClear clear, void *list)
{
    json_object *ret;

    *(void **)list = NULL;
    if (!(ret = qmpReplyReturn(reply, cmd, json_type_array)))
        return -1;
    return qmpParseList(ret, cmd, size, parse, clear, list);
}

/* Run the command CMD (stolen) returning an array and parse it. */
static int
qmpRunList(Qmp *mon, json_object *cmd, size_t size, QmpElemParse parse,
           QmpElemClear clear, void *list)
{
    json_object *reply = NULL;
    int n = -1;

    *(void **)list = NULL;
    if (cmd && qmpCommandRun(mon, cmd, &reply, 0) == 0)
        n = qmpReplyList(reply, qmpCommandName(cmd), size, parse, clear,
                         list);
    json_object_put(reply);
    json_object_put(cmd);
    return n;
}

static char *
qmpDupOpt(json_object *obj, const char *cmd, const char *field, int *rc)
{
    const char *s = NULL;

    if (*rc == 0 && qmpReplyGetOptString(obj, cmd, field, &s) < 0)
        *rc = -1;
    return allocStrdup(s);
}

static char *
qmpDup(json_object *obj, const char *cmd, const char *field, int *rc)
{
    const char *s = NULL;

    if (*rc == 0 && qmpReplyGetString(obj, cmd, field, &s) < 0)
        *rc = -1;
    return allocStrdup(s);
}

void
qmpStringListFree(char **list)
{
    size_t i;

    if (!list)
        return;
    for (i = 0; list[i]; i++)
        free(list[i]);
    free(list);
}

/* --- run state ------------------------------------------------------- */

/* query-status: the run state. */
int
qmpQueryStatus(Qmp *mon, bool *running, char **status)
{
    json_object *reply = NULL;
    json_object *ret;
    const char *st;
    int rc = -1;

    if (status)
        *status = NULL;
    if (qmpRunReturn(mon, qmpCommandNew("query-status", NULL),
                     json_type_object, &reply, &ret) < 0)
        goto cleanup;
    if (qmpReplyGetBool(ret, "query-status", "running", running) < 0 ||
        qmpReplyGetString(ret, "query-status", "status", &st) < 0)
        goto cleanup;
    if (status)
        *status = allocStrdup(st);
    rc = 0;

 cleanup:
    json_object_put(reply);
    return rc;
}

/* cont: resume the vCPUs. */
int
qmpCont(Qmp *mon)
{
    return qmpRunSimple(mon, qmpCommandNew("cont", NULL));
}

/* stop: pause the vCPUs. */
int
qmpStop(Qmp *mon)
{
    return qmpRunSimple(mon, qmpCommandNew("stop", NULL));
}

/* system_powerdown: press the ACPI power button. */
int
qmpSystemPowerdown(Qmp *mon)
{
    return qmpRunSimple(mon, qmpCommandNew("system_powerdown", NULL));
}

/* system_reset: hard reset. */
int
qmpSystemReset(Qmp *mon)
{
    return qmpRunSimple(mon, qmpCommandNew("system_reset", NULL));
}

/* system_wakeup: wake a guest suspended to RAM. */
int
qmpSystemWakeup(Qmp *mon)
{
    return qmpRunSimple(mon, qmpCommandNew("system_wakeup", NULL));
}

/* quit: QEMU exits (the monitor then sees EOF). QEMU may close the
 * connection before its reply gets out: that counts as success. */
int
qmpQuit(Qmp *mon)
{
    if (qmpRunSimple(mon, qmpCommandNew("quit", NULL)) == 0)
        return 0;
    if (errorLast()->code == VIR_ERR_OPERATION_FAILED && qmpIsDead(mon)) {
        errorReset();
        return 0;
    }
    return -1;
}

/* inject-nmi: an NMI to every vCPU. */
int
qmpInjectNmi(Qmp *mon)
{
    return qmpRunSimple(mon, qmpCommandNew("inject-nmi", NULL));
}

/* query-version: QEMU's version. */
int
qmpQueryVersion(Qmp *mon, int *major, int *minor, int *micro,
                char **package)
{
    const char *cmd = "query-version";
    json_object *reply = NULL;
    json_object *ret;
    json_object *qemu;
    long long v[3];
    const char *pkg = NULL;
    int rc = -1;

    if (package)
        *package = NULL;
    if (qmpRunReturn(mon, qmpCommandNew(cmd, NULL), json_type_object,
                     &reply, &ret) < 0)
        goto cleanup;
    if (qmpReplyGetObject(ret, cmd, "qemu", &qemu) < 0 ||
        qmpReplyGetInt(qemu, cmd, "major", &v[0]) < 0 ||
        qmpReplyGetInt(qemu, cmd, "minor", &v[1]) < 0 ||
        qmpReplyGetInt(qemu, cmd, "micro", &v[2]) < 0 ||
        qmpReplyGetOptString(ret, cmd, "package", &pkg) < 0)
        goto cleanup;
    *major = v[0];
    *minor = v[1];
    *micro = v[2];
    if (package)
        *package = allocStrdup(pkg ? pkg : "");
    rc = 0;

 cleanup:
    json_object_put(reply);
    return rc;
}

/* --- vCPUs ------------------------------------------------------------- */

static int
qmpCpuParse(json_object *elem, const char *cmd, void *out)
{
    QmpCpu *cpu = out;
    long long idx;
    int rc = 0;

    if (qmpReplyGetInt(elem, cmd, "cpu-index", &idx) < 0 ||
        qmpReplyGetInt(elem, cmd, "thread-id", &cpu->threadId) < 0)
        return -1;
    cpu->cpuIndex = idx;
    cpu->qomPath = qmpDup(elem, cmd, "qom-path", &rc);
    return rc;
}

static void
qmpCpuClear(void *elem)
{
    QmpCpu *cpu = elem;

    FREE(cpu->qomPath);
}

/* query-cpus-fast: the vCPUs and their host threads. */
int
qmpQueryCpusFast(Qmp *mon, QmpCpu **cpus)
{
    return qmpRunList(mon, qmpCommandNew("query-cpus-fast", NULL),
                      sizeof(QmpCpu), qmpCpuParse, qmpCpuClear, cpus);
}

/* The vCPUs in REPLY to a batched query-cpus-fast. */
int
qmpQueryCpusFastReply(json_object *reply, QmpCpu **cpus)
{
    return qmpReplyList(reply, "query-cpus-fast", sizeof(QmpCpu),
                        qmpCpuParse, qmpCpuClear, cpus);
}

/* Free N entries of CPUS and the array. */
void
qmpCpuListFree(QmpCpu *cpus, int n)
{
    int i;

    for (i = 0; cpus && i < n; i++)
        qmpCpuClear(&cpus[i]);
    free(cpus);
}

static int
qmpHotpluggableCpuParse(json_object *elem, const char *cmd, void *out)
{
    QmpHotpluggableCpu *cpu = out;
    static const char *const names[] = {
        "node-id", "socket-id", "die-id", "core-id", "thread-id",
    };
    int *fields[] = {
        &cpu->nodeId, &cpu->socketId, &cpu->dieId, &cpu->coreId,
        &cpu->threadId,
    };
    json_object *props;
    long long v;
    size_t i;
    int rc = 0;

    cpu->type = qmpDup(elem, cmd, "type", &rc);
    cpu->qomPath = qmpDupOpt(elem, cmd, "qom-path", &rc);
    if (rc < 0 ||
        qmpReplyGetInt(elem, cmd, "vcpus-count", &v) < 0 ||
        qmpReplyGetObject(elem, cmd, "props", &props) < 0)
        return -1;
    cpu->vcpusCount = v;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        v = -1;
        if (qmpReplyGetOptInt(props, cmd, names[i], &v) < 0)
            return -1;
        *fields[i] = v;
    }
    return 0;
}

static void
qmpHotpluggableCpuClear(void *elem)
{
    QmpHotpluggableCpu *cpu = elem;

    FREE(cpu->type);
    FREE(cpu->qomPath);
}

/* query-hotpluggable-cpus: the vCPU slots. */
int
qmpQueryHotpluggableCpus(Qmp *mon, QmpHotpluggableCpu **cpus)
{
    return qmpRunList(mon, qmpCommandNew("query-hotpluggable-cpus", NULL),
                      sizeof(QmpHotpluggableCpu), qmpHotpluggableCpuParse,
                      qmpHotpluggableCpuClear, cpus);
}

/* Free N entries of CPUS and the array. */
void
qmpHotpluggableCpuListFree(QmpHotpluggableCpu *cpus, int n)
{
    int i;

    for (i = 0; cpus && i < n; i++)
        qmpHotpluggableCpuClear(&cpus[i]);
    free(cpus);
}

static int
qmpIothreadParse(json_object *elem, const char *cmd, void *out)
{
    QmpIothread *t = out;
    int rc = 0;

    t->id = qmpDup(elem, cmd, "id", &rc);
    if (rc < 0 ||
        qmpReplyGetInt(elem, cmd, "thread-id", &t->threadId) < 0 ||
        qmpReplyGetOptInt(elem, cmd, "poll-max-ns", &t->pollMaxNs) < 0 ||
        qmpReplyGetOptInt(elem, cmd, "poll-grow", &t->pollGrow) < 0 ||
        qmpReplyGetOptInt(elem, cmd, "poll-shrink", &t->pollShrink) < 0)
        return -1;
    return 0;
}

static void
qmpIothreadClear(void *elem)
{
    QmpIothread *t = elem;

    FREE(t->id);
}

/* query-iothreads: the I/O threads and their host threads. */
int
qmpQueryIothreads(Qmp *mon, QmpIothread **threads)
{
    return qmpRunList(mon, qmpCommandNew("query-iothreads", NULL),
                      sizeof(QmpIothread), qmpIothreadParse,
                      qmpIothreadClear, threads);
}

/* The I/O threads in REPLY to a batched query-iothreads. */
int
qmpQueryIothreadsReply(json_object *reply, QmpIothread **threads)
{
    return qmpReplyList(reply, "query-iothreads", sizeof(QmpIothread),
                        qmpIothreadParse, qmpIothreadClear, threads);
}

/* Free N entries of THREADS and the array. */
void
qmpIothreadListFree(QmpIothread *threads, int n)
{
    int i;

    for (i = 0; threads && i < n; i++)
        qmpIothreadClear(&threads[i]);
    free(threads);
}

/* --- memory ------------------------------------------------------------ */

/* balloon: new target size in bytes. */
int
qmpBalloon(Qmp *mon, unsigned long long bytes)
{
    return qmpRunSimple(mon, qmpCommandNew("balloon", "U:value", bytes,
                                           NULL));
}

/* The current size in bytes in REPLY to a batched query-balloon. */
int
qmpQueryBalloonReply(json_object *reply, unsigned long long *actual)
{
    json_object *ret = qmpReplyReturn(reply, "query-balloon",
                                      json_type_object);

    if (!ret || qmpReplyGetUint(ret, "query-balloon", "actual", actual) < 0)
        return -1;
    return 0;
}

/* query-balloon: current size in bytes. */
int
qmpQueryBalloon(Qmp *mon, unsigned long long *actual)
{
    json_object *cmd = qmpCommandNew("query-balloon", NULL);
    json_object *reply = NULL;
    int rc = -1;

    if (cmd && qmpCommandRun(mon, cmd, &reply, 0) == 0)
        rc = qmpQueryBalloonReply(reply, actual);
    json_object_put(reply);
    json_object_put(cmd);
    return rc;
}

/* memsave: virtual memory to a file. */
int
qmpMemsave(Qmp *mon, unsigned long long addr, unsigned long long size,
           const char *filename, int cpuIndex)
{
    return qmpRunSimple(mon, qmpCommandNew("memsave",
                                           "U:val", addr,
                                           "U:size", size,
                                           "s:filename", filename,
                                           "n:cpu-index", (long long)cpuIndex,
                                           NULL));
}

/* pmemsave: physical memory to a file. */
int
qmpPmemsave(Qmp *mon, unsigned long long addr, unsigned long long size,
            const char *filename)
{
    return qmpRunSimple(mon, qmpCommandNew("pmemsave",
                                           "U:val", addr,
                                           "U:size", size,
                                           "s:filename", filename,
                                           NULL));
}

/* --- dump -------------------------------------------------------------- */

/* dump-guest-memory: start (or run) a guest memory dump. */
int
qmpDumpGuestMemory(Qmp *mon, bool paging, const char *protocol,
                   const char *format, bool detach)
{
    return qmpRunSimple(mon, qmpCommandNew("dump-guest-memory",
                                           "b:paging", paging,
                                           "s:protocol", protocol,
                                           "S:format", format,
                                           "b:detach", detach,
                                           NULL));
}

/* query-dump: progress of a detached dump. */
int
qmpQueryDump(Qmp *mon, char **status, unsigned long long *completed,
             unsigned long long *total)
{
    const char *cmd = "query-dump";
    json_object *reply = NULL;
    json_object *ret;
    const char *st;
    int rc = -1;

    *status = NULL;
    if (qmpRunReturn(mon, qmpCommandNew(cmd, NULL), json_type_object,
                     &reply, &ret) < 0)
        goto cleanup;
    if (qmpReplyGetString(ret, cmd, "status", &st) < 0 ||
        qmpReplyGetUint(ret, cmd, "completed", completed) < 0 ||
        qmpReplyGetUint(ret, cmd, "total", total) < 0)
        goto cleanup;
    *status = allocStrdup(st);
    rc = 0;

 cleanup:
    json_object_put(reply);
    return rc;
}

/* query-dump-guest-memory-capability: supported dump formats. */
int
qmpQueryDumpGuestMemoryCapability(Qmp *mon, char ***formats)
{
    const char *cmd = "query-dump-guest-memory-capability";
    json_object *reply = NULL;
    json_object *ret;
    json_object *list;
    char **out = NULL;
    size_t n;
    size_t i;
    int rc = -1;

    *formats = NULL;
    if (qmpRunReturn(mon, qmpCommandNew(cmd, NULL), json_type_object,
                     &reply, &ret) < 0)
        goto cleanup;
    if (qmpReplyGetArray(ret, cmd, "formats", &list) < 0)
        goto cleanup;
    n = json_object_array_length(list);
    out = allocArray(n + 1, sizeof(char *));
    for (i = 0; i < n; i++) {
        json_object *f = json_object_array_get_idx(list, i);

        if (!json_object_is_type(f, json_type_string)) {
            reportError(VIR_ERR_INTERNAL_ERROR,
                        "malformed reply to '%s': 'formats' holds a "
                        "non-string", cmd);
            goto cleanup;
        }
        out[i] = allocStrdup(json_object_get_string(f));
    }
    *formats = out;
    out = NULL;
    rc = 0;

 cleanup:
    qmpStringListFree(out);
    json_object_put(reply);
    return rc;
}

/* --- file descriptors -------------------------------------------------- */

/* getfd: hand FD to QEMU as FDNAME. */
int
qmpGetfd(Qmp *mon, const char *fdname, int fd)
{
    json_object *cmd = qmpCommandNew("getfd", "s:fdname", fdname, NULL);
    int rc;

    if (!cmd)
        return -1;
    rc = qmpCommandRunWithFd(mon, cmd, fd, NULL, 0);
    json_object_put(cmd);
    return rc;
}

/* closefd: drop QEMU's descriptor FDNAME. */
int
qmpClosefd(Qmp *mon, const char *fdname)
{
    return qmpRunSimple(mon, qmpCommandNew("closefd", "s:fdname", fdname,
                                           NULL));
}

/* add-fd: hand FD to QEMU in an fd set. */
int
qmpAddFd(Qmp *mon, int fd, int fdsetId, const char *opaque,
         int *fdsetOut, int *fdOut)
{
    const char *name = "add-fd";
    json_object *cmd = qmpCommandNew(name,
                                     "n:fdset-id", (long long)fdsetId,
                                     "S:opaque", opaque,
                                     NULL);
    json_object *reply = NULL;
    json_object *ret;
    long long set;
    long long qfd;
    int rc = -1;

    if (!cmd)
        return -1;
    if (qmpCommandRunWithFd(mon, cmd, fd, &reply, 0) < 0)
        goto cleanup;
    if (!(ret = qmpReplyReturn(reply, name, json_type_object)) ||
        qmpReplyGetInt(ret, name, "fdset-id", &set) < 0 ||
        qmpReplyGetInt(ret, name, "fd", &qfd) < 0)
        goto cleanup;
    if (fdsetOut)
        *fdsetOut = set;
    if (fdOut)
        *fdOut = qfd;
    rc = 0;

 cleanup:
    json_object_put(reply);
    json_object_put(cmd);
    return rc;
}

/* remove-fd: drop descriptors from an fd set. */
int
qmpRemoveFd(Qmp *mon, int fdsetId, int fd)
{
    return qmpRunSimple(mon, qmpCommandNew("remove-fd",
                                           "i:fdset-id", fdsetId,
                                           "n:fd", (long long)fd,
                                           NULL));
}

/* --- devices ----------------------------------------------------------- */

/* Run NAME with PROPS (stolen) as its whole argument object. */
static int
qmpRunWithProps(Qmp *mon, const char *name, json_object *props)
{
    json_object *cmd;

    if (!json_object_is_type(props, json_type_object)) {
        json_object_put(props);
        reportError(VIR_ERR_INTERNAL_ERROR,
                    "arguments of QEMU command '%s' are not an object", name);
        return -1;
    }
    cmd = qmpCommandNew(name, NULL);
    json_object_object_add(cmd, "arguments", props);
    return qmpRunSimple(mon, cmd);
}

/* device_add: hotplug a device. */
int
qmpDeviceAdd(Qmp *mon, json_object *props)
{
    return qmpRunWithProps(mon, "device_add", props);
}

/* device_del: ask for a device to be unplugged. */
int
qmpDeviceDel(Qmp *mon, const char *id)
{
    return qmpRunSimple(mon, qmpCommandNew("device_del", "s:id", id, NULL));
}

/* netdev_add: add a network backend. */
int
qmpNetdevAdd(Qmp *mon, json_object *props)
{
    return qmpRunWithProps(mon, "netdev_add", props);
}

/* netdev_del: remove a network backend. */
int
qmpNetdevDel(Qmp *mon, const char *id)
{
    return qmpRunSimple(mon, qmpCommandNew("netdev_del", "s:id", id, NULL));
}

/* chardev-add: add a character device backend. */
int
qmpChardevAdd(Qmp *mon, const char *id, json_object *backend, char **pty)
{
    const char *cmd = "chardev-add";
    json_object *reply = NULL;
    json_object *ret;
    const char *path = NULL;
    int rc = -1;

    if (pty)
        *pty = NULL;
    if (qmpRunReturn(mon, qmpCommandNew(cmd, "s:id", id, "j:backend", backend,
                                        NULL),
                     json_type_object, &reply, &ret) < 0)
        goto cleanup;
    if (qmpReplyGetOptString(ret, cmd, "pty", &path) < 0)
        goto cleanup;
    if (pty)
        *pty = allocStrdup(path);
    rc = 0;

 cleanup:
    json_object_put(reply);
    return rc;
}

/* chardev-remove: remove a character device backend. */
int
qmpChardevRemove(Qmp *mon, const char *id)
{
    return qmpRunSimple(mon, qmpCommandNew("chardev-remove", "s:id", id,
                                           NULL));
}

/* set_link: NIC link state. */
int
qmpSetLink(Qmp *mon, const char *name, bool up)
{
    return qmpRunSimple(mon, qmpCommandNew("set_link", "s:name", name,
                                           "b:up", up, NULL));
}

/* object-add: create a QOM object. */
int
qmpObjectAdd(Qmp *mon, const char *type, const char *id, json_object *props)
{
    if (!props)
        props = json_object_new_object();
    if (json_object_is_type(props, json_type_object)) {
        json_object_object_add(props, "qom-type",
                               json_object_new_string(type));
        json_object_object_add(props, "id", json_object_new_string(id));
    }
    return qmpRunWithProps(mon, "object-add", props);
}

/* object-del: delete a QOM object. */
int
qmpObjectDel(Qmp *mon, const char *id)
{
    return qmpRunSimple(mon, qmpCommandNew("object-del", "s:id", id, NULL));
}

/* qom-get: read a QOM property. */
int
qmpQomGet(Qmp *mon, const char *path, const char *property,
          json_object **value)
{
    json_object *cmd = qmpCommandNew("qom-get", "s:path", path,
                                     "s:property", property, NULL);
    json_object *reply = NULL;
    json_object *ret;
    int rc = -1;

    *value = NULL;
    if (!cmd)
        return -1;
    if (qmpCommandRun(mon, cmd, &reply, 0) < 0)
        goto cleanup;
    if (!json_object_object_get_ex(reply, "return", &ret)) {
        reportError(VIR_ERR_INTERNAL_ERROR,
                    "malformed reply to 'qom-get': missing 'return'");
        goto cleanup;
    }
    *value = json_object_get(ret);
    rc = 0;

 cleanup:
    json_object_put(reply);
    json_object_put(cmd);
    return rc;
}

/* qom-set: write a QOM property. */
int
qmpQomSet(Qmp *mon, const char *path, const char *property,
          json_object *value)
{
    json_object *cmd;

    if (!value)
        value = json_object_new_null();
    cmd = qmpCommandNew("qom-set", "s:path", path,
                        "s:property", property, NULL);
    if (!cmd) {
        json_object_put(value);
        return -1;
    }
    /* a json null cannot go through qmpCommandNew's NULL-checked j: */
    json_object_object_add(json_object_object_get(cmd, "arguments"),
                           "value", value);
    return qmpRunSimple(mon, cmd);
}

/* --- display and input ------------------------------------------------- */

/* screendump: save the display to a file. */
int
qmpScreendump(Qmp *mon, const char *filename, const char *device,
              const char *format)
{
    return qmpRunSimple(mon, qmpCommandNew("screendump",
                                           "s:filename", filename,
                                           "S:device", device,
                                           "S:format", format,
                                           NULL));
}

/* send-key: press keys together. */
int
qmpSendKey(Qmp *mon, const QmpKey *keys, size_t nkeys, int holdTimeMs)
{
    json_object *list = json_object_new_array();
    size_t i;

    for (i = 0; i < nkeys; i++) {
        json_object *key = json_object_new_object();

        if (keys[i].qcode) {
            json_object_object_add(key, "type",
                                   json_object_new_string("qcode"));
            json_object_object_add(key, "data",
                                   json_object_new_string(keys[i].qcode));
        } else {
            json_object_object_add(key, "type",
                                   json_object_new_string("number"));
            json_object_object_add(key, "data",
                                   json_object_new_int(keys[i].number));
        }
        json_object_array_add(list, key);
    }
    return qmpRunSimple(mon, qmpCommandNew("send-key",
                                           "j:keys", list,
                                           "n:hold-time",
                                           (long long)(holdTimeMs > 0 ?
                                                       holdTimeMs : -1),
                                           NULL));
}

/* set_password: VNC/SPICE password. */
int
qmpSetPassword(Qmp *mon, const char *protocol, const char *password,
               const char *connected)
{
    return qmpRunSimple(mon, qmpCommandNew("set_password",
                                           "s:protocol", protocol,
                                           "s:password", password,
                                           "S:connected", connected,
                                           NULL));
}

/* expire_password: when the VNC/SPICE password expires. */
int
qmpExpirePassword(Qmp *mon, const char *protocol, const char *time)
{
    return qmpRunSimple(mon, qmpCommandNew("expire_password",
                                           "s:protocol", protocol,
                                           "s:time", time,
                                           NULL));
}

/* query-vnc: the VNC server. */
int
qmpQueryVnc(Qmp *mon, QmpVncInfo *info)
{
    const char *cmd = "query-vnc";
    json_object *reply = NULL;
    json_object *ret;
    int rc = -1;
    int frc = 0;

    memset(info, 0, sizeof(*info));
    if (qmpRunReturn(mon, qmpCommandNew(cmd, NULL), json_type_object,
                     &reply, &ret) < 0)
        goto cleanup;
    if (qmpReplyGetBool(ret, cmd, "enabled", &info->enabled) < 0)
        goto cleanup;
    info->host = qmpDupOpt(ret, cmd, "host", &frc);
    info->service = qmpDupOpt(ret, cmd, "service", &frc);
    info->family = qmpDupOpt(ret, cmd, "family", &frc);
    info->auth = qmpDupOpt(ret, cmd, "auth", &frc);
    if (frc < 0)
        goto cleanup;
    rc = 0;

 cleanup:
    if (rc < 0)
        qmpVncInfoClear(info);
    json_object_put(reply);
    return rc;
}

/* Free the strings of INFO. */
void
qmpVncInfoClear(QmpVncInfo *info)
{
    if (!info)
        return;
    FREE(info->host);
    FREE(info->service);
    FREE(info->family);
    FREE(info->auth);
}

static int
qmpChardevInfoParse(json_object *elem, const char *cmd, void *out)
{
    QmpChardevInfo *c = out;
    int rc = 0;

    c->label = qmpDup(elem, cmd, "label", &rc);
    c->filename = qmpDup(elem, cmd, "filename", &rc);
    if (rc < 0 ||
        qmpReplyGetBool(elem, cmd, "frontend-open", &c->frontendOpen) < 0)
        return -1;
    return 0;
}

static void
qmpChardevInfoClear(void *elem)
{
    QmpChardevInfo *c = elem;

    FREE(c->label);
    FREE(c->filename);
}

/* query-chardev: the character devices. */
int
qmpQueryChardev(Qmp *mon, QmpChardevInfo **devs)
{
    return qmpRunList(mon, qmpCommandNew("query-chardev", NULL),
                      sizeof(QmpChardevInfo), qmpChardevInfoParse,
                      qmpChardevInfoClear, devs);
}

/* Free N entries of DEVS and the array. */
void
qmpChardevInfoListFree(QmpChardevInfo *devs, int n)
{
    int i;

    for (i = 0; devs && i < n; i++)
        qmpChardevInfoClear(&devs[i]);
    free(devs);
}

/* human-monitor-command: run an HMP command line. */
int
qmpHumanMonitorCommand(Qmp *mon, const char *commandLine, char **output)
{
    json_object *reply = NULL;
    json_object *ret;
    int rc = -1;

    *output = NULL;
    if (qmpRunReturn(mon, qmpCommandNew("human-monitor-command",
                                        "s:command-line", commandLine, NULL),
                     json_type_string, &reply, &ret) < 0)
        goto cleanup;
    *output = allocStrdup(json_object_get_string(ret));
    rc = 0;

 cleanup:
    json_object_put(reply);
    return rc;
}

/* --- block devices ----------------------------------------------------- */

static int
qmpBlockInfoParse(json_object *elem, const char *cmd, void *out)
{
    QmpBlockInfo *b = out;
    json_object *ins, *img;
    int rc = 0;

    b->device = qmpDup(elem, cmd, "device", &rc);
    b->qdev = qmpDupOpt(elem, cmd, "qdev", &rc);
    b->ioStatus = qmpDupOpt(elem, cmd, "io-status", &rc);
    if (rc < 0 ||
        qmpReplyGetBool(elem, cmd, "removable", &b->removable) < 0 ||
        qmpReplyGetBool(elem, cmd, "locked", &b->locked) < 0)
        return -1;
    if (json_object_object_get_ex(elem, "tray_open", NULL)) {
        b->hasTray = true;
        if (qmpReplyGetBool(elem, cmd, "tray_open", &b->trayOpen) < 0)
            return -1;
    }
    if (!json_object_object_get_ex(elem, "inserted", NULL))
        return 0;
    b->inserted = true;
    if (qmpReplyGetObject(elem, cmd, "inserted", &ins) < 0)
        return -1;
    b->file = qmpDup(ins, cmd, "file", &rc);
    b->drv = qmpDup(ins, cmd, "drv", &rc);
    b->nodeName = qmpDupOpt(ins, cmd, "node-name", &rc);
    if (rc < 0 || qmpReplyGetBool(ins, cmd, "ro", &b->readOnly) < 0)
        return -1;
    if (!json_object_object_get_ex(ins, "image", &img))
        return 0;
    if (qmpReplyGetObject(ins, cmd, "image", &img) < 0 ||
        qmpReplyGetOptInt(img, cmd, "virtual-size", &b->virtualSize) < 0 ||
        qmpReplyGetOptInt(img, cmd, "actual-size", &b->actualSize) < 0)
        return -1;
    return 0;
}

static void
qmpBlockInfoClear(void *elem)
{
    QmpBlockInfo *b = elem;

    FREE(b->device);
    FREE(b->qdev);
    FREE(b->ioStatus);
    FREE(b->file);
    FREE(b->nodeName);
    FREE(b->drv);
}

/* query-block: the block devices. */
int
qmpQueryBlock(Qmp *mon, QmpBlockInfo **devs)
{
    return qmpRunList(mon, qmpCommandNew("query-block", NULL),
                      sizeof(QmpBlockInfo), qmpBlockInfoParse,
                      qmpBlockInfoClear, devs);
}

/* The block devices in REPLY to a batched query-block. */
int
qmpQueryBlockReply(json_object *reply, QmpBlockInfo **devs)
{
    return qmpReplyList(reply, "query-block", sizeof(QmpBlockInfo),
                        qmpBlockInfoParse, qmpBlockInfoClear, devs);
}

/* Free N entries of DEVS and the array. */
void
qmpBlockInfoListFree(QmpBlockInfo *devs, int n)
{
    int i;

    for (i = 0; devs && i < n; i++)
        qmpBlockInfoClear(&devs[i]);
    free(devs);
}

static int
qmpBlockStatsParse(json_object *elem, const char *cmd, void *out)
{
    QmpBlockStats *s = out;
    static const char *const names[] = {
        "rd_bytes", "wr_bytes", "rd_operations", "wr_operations",
        "flush_operations", "rd_total_time_ns", "wr_total_time_ns",
        "flush_total_time_ns", "wr_highest_offset",
    };
    long long *fields[] = {
        &s->rdBytes, &s->wrBytes, &s->rdOperations, &s->wrOperations,
        &s->flushOperations, &s->rdTotalTimeNs, &s->wrTotalTimeNs,
        &s->flushTotalTimeNs, &s->wrHighestOffset,
    };
    json_object *stats;
    size_t i;
    int rc = 0;

    s->device = qmpDupOpt(elem, cmd, "device", &rc);
    s->qdev = qmpDupOpt(elem, cmd, "qdev", &rc);
    s->nodeName = qmpDupOpt(elem, cmd, "node-name", &rc);
    if (rc < 0 || qmpReplyGetObject(elem, cmd, "stats", &stats) < 0)
        return -1;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (qmpReplyGetInt(stats, cmd, names[i], fields[i]) < 0)
            return -1;
    }
    return 0;
}

static void
qmpBlockStatsClear(void *elem)
{
    QmpBlockStats *s = elem;

    FREE(s->device);
    FREE(s->qdev);
    FREE(s->nodeName);
}

/* query-blockstats: I/O statistics per device (or node). */
int
qmpQueryBlockstats(Qmp *mon, bool queryNodes, QmpBlockStats **stats)
{
    return qmpRunList(mon, qmpCommandNew("query-blockstats",
                                         "B:query-nodes",
                                         queryNodes ? 1 : -1, NULL),
                      sizeof(QmpBlockStats), qmpBlockStatsParse,
                      qmpBlockStatsClear, stats);
}

/* The statistics in REPLY to a batched query-blockstats. */
int
qmpQueryBlockstatsReply(json_object *reply, QmpBlockStats **stats)
{
    return qmpReplyList(reply, "query-blockstats", sizeof(QmpBlockStats),
                        qmpBlockStatsParse, qmpBlockStatsClear, stats);
}

/* Free N entries of STATS and the array. */
void
qmpBlockStatsListFree(QmpBlockStats *stats, int n)
{
    int i;

    for (i = 0; stats && i < n; i++)
        qmpBlockStatsClear(&stats[i]);
    free(stats);
}

/* query-named-block-nodes: every block node, flat. */
int
qmpQueryNamedBlockNodes(Qmp *mon, json_object **nodes)
{
    json_object *reply = NULL;
    json_object *ret;
    int rc = -1;

    *nodes = NULL;
    if (qmpRunReturn(mon, qmpCommandNew("query-named-block-nodes",
                                        "b:flat", true, NULL),
                     json_type_array, &reply, &ret) < 0)
        goto cleanup;
    *nodes = json_object_get(ret);
    rc = 0;

 cleanup:
    json_object_put(reply);
    return rc;
}

/* block_resize: grow (or shrink) an image. */
int
qmpBlockResize(Qmp *mon, const char *device, const char *nodeName,
               unsigned long long size)
{
    return qmpRunSimple(mon, qmpCommandNew("block_resize",
                                           "S:device", device,
                                           "S:node-name", nodeName,
                                           "U:size", size,
                                           NULL));
}

/* blockdev-add: add a block node. */
int
qmpBlockdevAdd(Qmp *mon, json_object *props)
{
    return qmpRunWithProps(mon, "blockdev-add", props);
}

/* blockdev-del: remove a block node. */
int
qmpBlockdevDel(Qmp *mon, const char *nodeName)
{
    return qmpRunSimple(mon, qmpCommandNew("blockdev-del",
                                           "s:node-name", nodeName, NULL));
}

/* blockdev-change-medium: swap a removable medium for a file. */
int
qmpBlockdevChangeMedium(Qmp *mon, const char *id, const char *filename,
                        const char *format)
{
    return qmpRunSimple(mon, qmpCommandNew("blockdev-change-medium",
                                           "s:id", id,
                                           "s:filename", filename,
                                           "S:format", format,
                                           NULL));
}

/* blockdev-open-tray: open a drive's tray. */
int
qmpBlockdevOpenTray(Qmp *mon, const char *id, bool force)
{
    return qmpRunSimple(mon, qmpCommandNew("blockdev-open-tray",
                                           "s:id", id,
                                           "B:force", force ? 1 : -1,
                                           NULL));
}

/* blockdev-close-tray: close a drive's tray. */
int
qmpBlockdevCloseTray(Qmp *mon, const char *id)
{
    return qmpRunSimple(mon, qmpCommandNew("blockdev-close-tray",
                                           "s:id", id, NULL));
}

/* blockdev-remove-medium: take the medium out of an open tray. */
int
qmpBlockdevRemoveMedium(Qmp *mon, const char *id)
{
    return qmpRunSimple(mon, qmpCommandNew("blockdev-remove-medium",
                                           "s:id", id, NULL));
}

/* blockdev-insert-medium: put node NODENAME in an open, empty tray. */
int
qmpBlockdevInsertMedium(Qmp *mon, const char *id, const char *nodeName)
{
    return qmpRunSimple(mon, qmpCommandNew("blockdev-insert-medium",
                                           "s:id", id,
                                           "s:node-name", nodeName, NULL));
}

/* --- block jobs -------------------------------------------------------- */

static int
qmpBlockJobParse(json_object *elem, const char *cmd, void *out)
{
    QmpBlockJob *j = out;
    int rc = 0;

    j->type = qmpDup(elem, cmd, "type", &rc);
    j->device = qmpDup(elem, cmd, "device", &rc);
    j->status = qmpDupOpt(elem, cmd, "status", &rc);
    j->ioStatus = qmpDupOpt(elem, cmd, "io-status", &rc);
    j->error = qmpDupOpt(elem, cmd, "error", &rc);
    if (rc < 0 ||
        qmpReplyGetInt(elem, cmd, "len", &j->len) < 0 ||
        qmpReplyGetInt(elem, cmd, "offset", &j->offset) < 0 ||
        qmpReplyGetInt(elem, cmd, "speed", &j->speed) < 0 ||
        qmpReplyGetBool(elem, cmd, "busy", &j->busy) < 0 ||
        qmpReplyGetBool(elem, cmd, "paused", &j->paused) < 0 ||
        qmpReplyGetOptBool(elem, cmd, "ready", &j->ready) < 0)
        return -1;
    return 0;
}

static void
qmpBlockJobClear(void *elem)
{
    QmpBlockJob *j = elem;

    FREE(j->type);
    FREE(j->device);
    FREE(j->status);
    FREE(j->ioStatus);
    FREE(j->error);
}

/* query-block-jobs: the running block jobs. */
int
qmpQueryBlockJobs(Qmp *mon, QmpBlockJob **jobs)
{
    return qmpRunList(mon, qmpCommandNew("query-block-jobs", NULL),
                      sizeof(QmpBlockJob), qmpBlockJobParse,
                      qmpBlockJobClear, jobs);
}

/* Free N entries of JOBS and the array. */
void
qmpBlockJobListFree(QmpBlockJob *jobs, int n)
{
    int i;

    for (i = 0; jobs && i < n; i++)
        qmpBlockJobClear(&jobs[i]);
    free(jobs);
}

/* block-stream: start a stream job. */
int
qmpBlockStream(Qmp *mon, const char *jobId, const char *device,
               const char *baseNode, const char *backingFile,
               unsigned long long speed)
{
    return qmpRunSimple(mon, qmpCommandNew("block-stream",
                                           "S:job-id", jobId,
                                           "s:device", device,
                                           "S:base-node", baseNode,
                                           "S:backing-file", backingFile,
                                           "Z:speed", speed,
                                           NULL));
}

/* block-commit: start a commit job. */
int
qmpBlockCommit(Qmp *mon, const char *jobId, const char *device,
               const char *topNode, const char *baseNode,
               const char *backingFile, unsigned long long speed)
{
    return qmpRunSimple(mon, qmpCommandNew("block-commit",
                                           "S:job-id", jobId,
                                           "s:device", device,
                                           "S:top-node", topNode,
                                           "S:base-node", baseNode,
                                           "S:backing-file", backingFile,
                                           "Z:speed", speed,
                                           NULL));
}

/* blockdev-mirror: start a mirror job to a node. */
int
qmpBlockdevMirror(Qmp *mon, const char *jobId, const char *device,
                  const char *target, const char *sync,
                  unsigned long long speed)
{
    return qmpRunSimple(mon, qmpCommandNew("blockdev-mirror",
                                           "S:job-id", jobId,
                                           "s:device", device,
                                           "s:target", target,
                                           "s:sync", sync,
                                           "Z:speed", speed,
                                           NULL));
}

/* drive-mirror: start a mirror job to a file. */
int
qmpDriveMirror(Qmp *mon, const char *jobId, const char *device,
               const char *target, const char *format, const char *sync,
               const char *mode, unsigned long long speed)
{
    return qmpRunSimple(mon, qmpCommandNew("drive-mirror",
                                           "S:job-id", jobId,
                                           "s:device", device,
                                           "s:target", target,
                                           "S:format", format,
                                           "s:sync", sync,
                                           "S:mode", mode,
                                           "Z:speed", speed,
                                           NULL));
}

/* block-job-cancel: stop a job (a ready mirror completes without pivot). */
int
qmpBlockJobCancel(Qmp *mon, const char *device, bool force)
{
    return qmpRunSimple(mon, qmpCommandNew("block-job-cancel",
                                           "s:device", device,
                                           "B:force", force ? 1 : -1,
                                           NULL));
}

/* block-job-complete: finish a ready job (pivot). */
int
qmpBlockJobComplete(Qmp *mon, const char *device)
{
    return qmpRunSimple(mon, qmpCommandNew("block-job-complete",
                                           "s:device", device, NULL));
}

/* block-job-set-speed: change a job's bandwidth limit (0: none). */
int
qmpBlockJobSetSpeed(Qmp *mon, const char *device, unsigned long long speed)
{
    return qmpRunSimple(mon, qmpCommandNew("block-job-set-speed",
                                           "s:device", device,
                                           "U:speed", speed, NULL));
}

/* --- generic jobs and snapshots ---------------------------------------- */

static int
qmpJobParse(json_object *elem, const char *cmd, void *out)
{
    QmpJob *j = out;
    int rc = 0;

    j->id = qmpDup(elem, cmd, "id", &rc);
    j->type = qmpDup(elem, cmd, "type", &rc);
    j->status = qmpDup(elem, cmd, "status", &rc);
    j->error = qmpDupOpt(elem, cmd, "error", &rc);
    if (rc < 0 ||
        qmpReplyGetInt(elem, cmd, "current-progress",
                       &j->currentProgress) < 0 ||
        qmpReplyGetInt(elem, cmd, "total-progress", &j->totalProgress) < 0)
        return -1;
    return 0;
}

static void
qmpJobClear(void *elem)
{
    QmpJob *j = elem;

    FREE(j->id);
    FREE(j->type);
    FREE(j->status);
    FREE(j->error);
}

/* query-jobs: every job. */
int
qmpQueryJobs(Qmp *mon, QmpJob **jobs)
{
    return qmpRunList(mon, qmpCommandNew("query-jobs", NULL),
                      sizeof(QmpJob), qmpJobParse, qmpJobClear, jobs);
}

/* Free N entries of JOBS and the array. */
void
qmpJobListFree(QmpJob *jobs, int n)
{
    int i;

    for (i = 0; jobs && i < n; i++)
        qmpJobClear(&jobs[i]);
    free(jobs);
}

/* job-dismiss: forget a concluded job. */
int
qmpJobDismiss(Qmp *mon, const char *id)
{
    return qmpRunSimple(mon, qmpCommandNew("job-dismiss", "s:id", id, NULL));
}

/* job-cancel: cancel a job. */
int
qmpJobCancel(Qmp *mon, const char *id)
{
    return qmpRunSimple(mon, qmpCommandNew("job-cancel", "s:id", id, NULL));
}

static json_object *
qmpStringArray(const char *const *list)
{
    json_object *array = json_object_new_array();
    size_t i;

    for (i = 0; list && list[i]; i++)
        json_object_array_add(array, json_object_new_string(list[i]));
    return array;
}

/* snapshot-save: start an internal snapshot job. */
int
qmpSnapshotSave(Qmp *mon, const char *jobId, const char *tag,
                const char *vmstate, const char *const *devices)
{
    return qmpRunSimple(mon, qmpCommandNew("snapshot-save",
                                           "s:job-id", jobId,
                                           "s:tag", tag,
                                           "s:vmstate", vmstate,
                                           "j:devices",
                                           qmpStringArray(devices),
                                           NULL));
}

/* snapshot-load: start a job reverting to an internal snapshot. */
int
qmpSnapshotLoad(Qmp *mon, const char *jobId, const char *tag,
                const char *vmstate, const char *const *devices)
{
    return qmpRunSimple(mon, qmpCommandNew("snapshot-load",
                                           "s:job-id", jobId,
                                           "s:tag", tag,
                                           "s:vmstate", vmstate,
                                           "j:devices",
                                           qmpStringArray(devices),
                                           NULL));
}

/* snapshot-delete: start a job deleting an internal snapshot. */
int
qmpSnapshotDelete(Qmp *mon, const char *jobId, const char *tag,
                  const char *const *devices)
{
    return qmpRunSimple(mon, qmpCommandNew("snapshot-delete",
                                           "s:job-id", jobId,
                                           "s:tag", tag,
                                           "j:devices",
                                           qmpStringArray(devices),
                                           NULL));
}

/* --- migration --------------------------------------------------------- */

/* migrate: start an outgoing migration. */
int
qmpMigrate(Qmp *mon, const char *uri)
{
    return qmpRunSimple(mon, qmpCommandNew("migrate", "s:uri", uri, NULL));
}

/* migrate-incoming: start listening for an incoming migration. */
int
qmpMigrateIncoming(Qmp *mon, const char *uri)
{
    return qmpRunSimple(mon, qmpCommandNew("migrate-incoming", "s:uri", uri,
                                           NULL));
}

/* migrate_cancel: abort the outgoing migration. */
int
qmpMigrateCancel(Qmp *mon)
{
    return qmpRunSimple(mon, qmpCommandNew("migrate_cancel", NULL));
}

static int
qmpMigrationRamParse(json_object *ret, QmpMigrationInfo *info)
{
    const char *cmd = "query-migrate";
    json_object *ram;

    if (!json_object_object_get_ex(ret, "ram", NULL))
        return 0;
    info->hasRam = true;
    if (qmpReplyGetObject(ret, cmd, "ram", &ram) < 0 ||
        qmpReplyGetInt(ram, cmd, "transferred", &info->ramTransferred) < 0 ||
        qmpReplyGetInt(ram, cmd, "remaining", &info->ramRemaining) < 0 ||
        qmpReplyGetInt(ram, cmd, "total", &info->ramTotal) < 0 ||
        qmpReplyGetOptInt(ram, cmd, "duplicate", &info->ramDuplicate) < 0 ||
        qmpReplyGetOptInt(ram, cmd, "normal", &info->ramNormal) < 0 ||
        qmpReplyGetOptInt(ram, cmd, "normal-bytes",
                          &info->ramNormalBytes) < 0 ||
        qmpReplyGetOptInt(ram, cmd, "dirty-pages-rate",
                          &info->ramDirtyPagesRate) < 0 ||
        qmpReplyGetOptInt(ram, cmd, "dirty-sync-count",
                          &info->ramDirtySyncCount) < 0 ||
        qmpReplyGetOptInt(ram, cmd, "page-size", &info->ramPageSize) < 0)
        return -1;
    if (json_object_object_get_ex(ram, "mbps", NULL) &&
        qmpReplyGetNumber(ram, cmd, "mbps", &info->ramMbps) < 0)
        return -1;
    return 0;
}

/* query-migrate: migration progress. */
int
qmpQueryMigrate(Qmp *mon, QmpMigrationInfo *info)
{
    const char *cmd = "query-migrate";
    json_object *reply = NULL;
    json_object *ret;
    int rc = -1;
    int frc = 0;

    memset(info, 0, sizeof(*info));
    info->totalTime = -1;
    info->expectedDowntime = -1;
    info->downtime = -1;
    info->setupTime = -1;
    if (qmpRunReturn(mon, qmpCommandNew(cmd, NULL), json_type_object,
                     &reply, &ret) < 0)
        goto cleanup;
    info->status = qmpDupOpt(ret, cmd, "status", &frc);
    info->errorDesc = qmpDupOpt(ret, cmd, "error-desc", &frc);
    if (frc < 0 ||
        qmpReplyGetOptInt(ret, cmd, "total-time", &info->totalTime) < 0 ||
        qmpReplyGetOptInt(ret, cmd, "expected-downtime",
                          &info->expectedDowntime) < 0 ||
        qmpReplyGetOptInt(ret, cmd, "downtime", &info->downtime) < 0 ||
        qmpReplyGetOptInt(ret, cmd, "setup-time", &info->setupTime) < 0 ||
        qmpMigrationRamParse(ret, info) < 0)
        goto cleanup;
    rc = 0;

 cleanup:
    if (rc < 0)
        qmpMigrationInfoClear(info);
    json_object_put(reply);
    return rc;
}

/* Free the strings of INFO. */
void
qmpMigrationInfoClear(QmpMigrationInfo *info)
{
    if (!info)
        return;
    FREE(info->status);
    FREE(info->errorDesc);
}

/* migrate-set-capabilities: turn migration capabilities on or off. */
int
qmpMigrateSetCapabilities(Qmp *mon, const QmpMigrationCapability *caps,
                          size_t ncaps)
{
    json_object *list = json_object_new_array();
    size_t i;

    for (i = 0; i < ncaps; i++) {
        json_object *c = json_object_new_object();

        json_object_object_add(c, "capability",
                               json_object_new_string(caps[i].capability));
        json_object_object_add(c, "state",
                               json_object_new_boolean(caps[i].state));
        json_object_array_add(list, c);
    }
    return qmpRunSimple(mon, qmpCommandNew("migrate-set-capabilities",
                                           "j:capabilities", list, NULL));
}

/* migrate-set-parameters: set migration parameters. */
int
qmpMigrateSetParameters(Qmp *mon, json_object *params)
{
    return qmpRunWithProps(mon, "migrate-set-parameters", params);
}
