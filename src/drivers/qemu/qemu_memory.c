/* qemu_memory.c: the QEMU driver's vCPU count (hot-plugged cpu devices,
 * or the guest agent's online set) and memory (balloon, maximum, balloon
 * statistics) calls */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_hotplug.h"
#include "qemu_guest.h"
#include "qemu_tune.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "log.h"
#include "xtree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AFFECT_FLAGS (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)
/* QEMU's limit for x86 machines (-smp maxcpus) */
#define QEMU_MAX_VCPUS 255
/* How long one vCPU unplug may take the guest */
#define QEMU_VCPU_UNPLUG_WAIT_MS 10000

/* ---- vCPUs: hot-plugged cpu devices ---- */

/* The slot of vCPU INDEX in CPUS (QEMU lists them last first). */
static QmpHotpluggableCpu *
memCpuSlot(QmpHotpluggableCpu *cpus, int n, int index)
{
    return index < n ? &cpus[n - 1 - index] : NULL;
}

static int
memCpusPresent(QmpHotpluggableCpu *cpus, int n)
{
    int present = 0;

    for (int i = 0; i < n; i++)
        present += cpus[i].qomPath != NULL;
    return present;
}

/* device_add the cpu of empty SLOT as vcpuINDEX. */
static int
memCpuPlug(Qmp *mon, const QmpHotpluggableCpu *slot, int index)
{
    json_object *o = json_object_new_object();
    char id[32];

    snprintf(id, sizeof(id), "vcpu%d", index);
    json_object_object_add(o, "driver", json_object_new_string(slot->type));
    json_object_object_add(o, "id", json_object_new_string(id));
#define PROP(name, v) \
    if ((v) >= 0) json_object_object_add(o, name, json_object_new_int(v))
    PROP("node-id", slot->nodeId);
    PROP("socket-id", slot->socketId);
    PROP("die-id", slot->dieId);
    PROP("core-id", slot->coreId);
    PROP("thread-id", slot->threadId);
#undef PROP
    return qmpDeviceAdd(mon, o);
}

/* Unplug vcpuINDEX and poll until its slot is empty. */
static int
memCpuUnplug(Qmp *mon, const char *name, int index)
{
    char id[32];
    int waited = 0;

    snprintf(id, sizeof(id), "vcpu%d", index);
    if (qmpDeviceDel(mon, id) < 0)
        return -1;
    for (;;) {
        QmpHotpluggableCpu *cpus = NULL;
        int n = qmpQueryHotpluggableCpus(mon, &cpus);
        QmpHotpluggableCpu *slot = n < 0 ? NULL : memCpuSlot(cpus, n, index);
        bool gone = slot && !slot->qomPath;

        qmpHotpluggableCpuListFree(cpus, n);
        if (n < 0)
            return -1;
        if (gone)
            return 0;
        if (waited >= QEMU_VCPU_UNPLUG_WAIT_MS) {
            reportError(VIR_ERR_OPERATION_TIMEOUT, "the guest of domain '%s' "
                        "did not release vCPU %d within %d s", name, index,
                        QEMU_VCPU_UNPLUG_WAIT_MS / 1000);
            return -1;
        }
        usleep(100 * 1000);
        waited += 100;
    }
}

/* Plug or unplug cpu devices of running D (lock dropped) until NVCPUS are
 * present; *PRESENT gets the count reached. Only vCPUs we plugged
 * (/machine/peripheral/vcpuN) can go: the boot ones are not devices. */
static int
memCpusSet(Qmp *mon, const char *name, unsigned int nvcpus, int *present)
{
    QmpHotpluggableCpu *cpus = NULL;
    int n, ret = -1;

    if ((n = qmpQueryHotpluggableCpus(mon, &cpus)) < 0)
        return -1;
    *present = memCpusPresent(cpus, n);
    for (int i = 0; i < n && *present < (int)nvcpus; i++) {
        QmpHotpluggableCpu *slot = memCpuSlot(cpus, n, i);

        if (slot->qomPath)
            continue;
        if (memCpuPlug(mon, slot, i) < 0)
            goto cleanup;
        (*present)++;
    }
    for (int i = n - 1; i >= 0 && *present > (int)nvcpus; i--) {
        QmpHotpluggableCpu *slot = memCpuSlot(cpus, n, i);

        if (!slot->qomPath)
            continue;
        if (strncmp(slot->qomPath, "/machine/peripheral/", 20) != 0) {
            reportError(VIR_ERR_OPERATION_UNSUPPORTED, "vCPU %d of domain "
                        "'%s' was present at boot and cannot be unplugged",
                        i, name);
            goto cleanup;
        }
        if (memCpuUnplug(mon, name, i) < 0)
            goto cleanup;
        (*present)--;
    }
    ret = 0;
 cleanup:
    qmpHotpluggableCpuListFree(cpus, n);
    return ret;
}

/* QEMU's multi-threaded TCG gives each vCPU thread it ever starts one of
 * -smp maxcpus translation contexts and never takes one back: a vCPU
 * plugged after an unplug aborts QEMU (tcg_register_thread assertion). So
 * under TCG vCPUs are only ever plugged. */
static int
memUnplugCheck(const QemuDom *d)
{
    if (!d->def->virtType || strcmp(d->def->virtType, "qemu") != 0)
        return 0;
    reportError(VIR_ERR_OPERATION_UNSUPPORTED, "vCPU unplug is not "
                "supported for domain '%s' of type 'qemu': QEMU's TCG "
                "cannot plug a vCPU again after an unplug", d->def->name);
    return -1;
}

/* ---- vCPUs: the guest agent's view ---- */

/* guest-get-vcpus: *ONLINE gets the count online; *LIST (may be NULL)
 * the array (caller owns it). */
static int
memGuestVcpus(QemuDom *d, int *online, json_object **list)
{
    json_object *ret = NULL;
    json_object *cmd = qmpCommandNew("guest-get-vcpus", NULL);
    int rc = qemuAgentRun(d, cmd, &ret, 0);

    json_object_put(cmd);
    if (rc < 0)
        return -1;
    *online = 0;
    for (size_t i = 0; json_object_is_type(ret, json_type_array) &&
         i < json_object_array_length(ret); i++) {
        json_object *on = json_object_object_get(
            json_object_array_get_idx(ret, i), "online");

        *online += on && json_object_get_boolean(on);
    }
    if (list)
        *list = ret;
    else
        json_object_put(ret);
    return 0;
}

static int
memCpuCmp(const void *a, const void *b)
{
    json_object *x = json_object_object_get(*(json_object *const *)a,
                                            "logical-id");
    json_object *y = json_object_object_get(*(json_object *const *)b,
                                            "logical-id");

    return json_object_get_int(x) - json_object_get_int(y);
}

static bool
memCpuFlag(json_object *cpu, const char *key)
{
    json_object *v = json_object_object_get(cpu, key);

    return v && json_object_get_boolean(v);
}

/* The changes that bring the guest's online vCPUs (LIST, sorted by id) to
 * NVCPUS: the lowest offline ones go online, the highest that may go
 * offline do. A new array, or NULL with an error. */
static json_object *
memGuestPlan(const QemuDom *d, json_object **list, size_t n, int online,
             unsigned int nvcpus)
{
    json_object *want = json_object_new_array();
    int step = (int)nvcpus > online ? 1 : -1;

    for (size_t k = 0; k < n && online != (int)nvcpus; k++) {
        json_object *cpu = list[step > 0 ? k : n - 1 - k];
        json_object *e;

        if (memCpuFlag(cpu, "online") == (step > 0) ||
            (step < 0 && !memCpuFlag(cpu, "can-offline")))
            continue;
        e = json_object_new_object();
        json_object_object_add(e, "logical-id", json_object_get(
            json_object_object_get(cpu, "logical-id")));
        json_object_object_add(e, "online", json_object_new_boolean(step > 0));
        json_object_array_add(want, e);
        online += step;
    }
    if (online != (int)nvcpus) {
        reportError(VIR_ERR_INVALID_ARG, "the guest of domain '%s' cannot "
                    "have %u vCPUs online (%zu present, %d reachable)",
                    d->def->name, nvcpus, n, online);
        json_object_put(want);
        return NULL;
    }
    return want;
}

/* Bring the count of vCPUs the guest has online to NVCPUS through the
 * agent (guest-set-vcpus). */
static int
memGuestVcpusSet(QemuDom *d, unsigned int nvcpus)
{
    json_object *list = NULL, *want = NULL, *cmd, *done = NULL;
    json_object **cpus = NULL;
    int online, count, rc = -1;
    size_t n;

    if (memGuestVcpus(d, &online, &list) < 0)
        goto cleanup;
    n = json_object_is_type(list, json_type_array)
        ? json_object_array_length(list) : 0;
    cpus = allocArray(n + 1, sizeof(*cpus));
    for (size_t i = 0; i < n; i++)
        cpus[i] = json_object_array_get_idx(list, i);
    qsort(cpus, n, sizeof(*cpus), memCpuCmp);
    if (!(want = memGuestPlan(d, cpus, n, online, nvcpus)))
        goto cleanup;
    if ((count = (int)json_object_array_length(want)) == 0) {
        rc = 0;
        goto cleanup;
    }
    cmd = qmpCommandNew("guest-set-vcpus", "j:vcpus", want, NULL);
    want = NULL;
    rc = qemuAgentRun(d, cmd, &done, 0);
    json_object_put(cmd);
    if (rc == 0 && json_object_get_int(done) != count) {
        /* the agent stops at the first vCPU it cannot change */
        reportError(VIR_ERR_OPERATION_FAILED, "the guest agent of domain "
                    "'%s' changed %d of %d vCPUs", d->def->name,
                    json_object_get_int(done), count);
        rc = -1;
    }
 cleanup:
    json_object_put(done);
    json_object_put(want);
    json_object_put(list);
    free(cpus);
    return rc;
}

/* ---- vCPUs: the per-vCPU <vcpus> of a definition ---- */

/*
 * <vcpus><vcpu id='N' enabled='yes|no' hotpluggable='yes|no' order='M'/>
 * is kept in the definition as written (a carried element); these read
 * and rewrite it. QEMU boots vCPUs 0..K-1 (-smp K): the vCPUs that are
 * not hotpluggable must be those, enabled; every other enabled vCPU is
 * plugged as a device before the guest runs, in 'order'.
 */

typedef struct {
    bool enabled;
    bool hotpluggable;
    unsigned int order;         /* 0: none */
} MemVcpu;

/* The index of DEF's carried <vcpus> in def->carried, -1 when none. */
static int
memVcpusNode(const DomainDef *def)
{
    for (size_t i = 0; i < def->ncarried; i++) {
        if (strcmp(def->carried[i]->name, "vcpus") == 0)
            return (int)i;
    }
    return -1;
}

static int
memYesNo(const char *v, bool *out)
{
    if (v && strcmp(v, "yes") == 0)
        *out = true;
    else if (v && strcmp(v, "no") == 0)
        *out = false;
    else
        return -1;
    return 0;
}

/* Parse one <vcpu> of DEF's <vcpus> into V (def->vcpus entries). */
static int
memVcpuParse(const DomainDef *def, XNode *kid, MemVcpu *v, bool *seen)
{
    const char *id = xtreeAttr(kid, "id"), *order = xtreeAttr(kid, "order");
    const char *hot = xtreeAttr(kid, "hotpluggable");
    char *end = NULL;
    unsigned long n = id ? strtoul(id, &end, 10) : 0;
    MemVcpu *e;

    if (!id || !*id || *end || n >= def->vcpus || seen[n]) {
        reportError(VIR_ERR_XML_ERROR, "<vcpus> of domain '%s': vcpu id "
                    "'%s' is missing, repeated or not below the maximum %u",
                    def->name, id ? id : "", def->vcpus);
        return -1;
    }
    e = &v[n];
    seen[n] = true;
    if (memYesNo(xtreeAttr(kid, "enabled"), &e->enabled) < 0 ||
        (hot && memYesNo(hot, &e->hotpluggable) < 0)) {
        reportError(VIR_ERR_XML_ERROR, "<vcpus> of domain '%s': vcpu %lu "
                    "needs enabled='yes|no' (and hotpluggable='yes|no')",
                    def->name, n);
        return -1;
    }
    if (!hot)
        e->hotpluggable = !e->enabled;
    if (order) {
        e->order = (unsigned int)strtoul(order, &end, 10);
        if (*end || !*order) {
            reportError(VIR_ERR_XML_ERROR, "<vcpus> of domain '%s': bad "
                        "order '%s' of vcpu %lu", def->name, order, n);
            return -1;
        }
    }
    return 0;
}

/* The layout rules: vCPU 0 enabled and booted, the booted vCPUs first,
 * disabled vCPUs hotpluggable. */
static int
memVcpusCheckLayout(const DomainDef *def, const MemVcpu *v)
{
    bool booted = true;

    if (!v[0].enabled || v[0].hotpluggable) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "vCPU 0 of domain '%s' must "
                    "be enabled and not hotpluggable", def->name);
        return -1;
    }
    for (unsigned int i = 0; i < def->vcpus; i++) {
        if (!v[i].enabled && !v[i].hotpluggable) {
            reportError(VIR_ERR_CONFIG_UNSUPPORTED, "disabled vCPU %u of "
                        "domain '%s' must be hotpluggable", i, def->name);
            return -1;
        }
        if (!v[i].hotpluggable && !booted) {
            reportError(VIR_ERR_CONFIG_UNSUPPORTED, "vCPU %u of domain '%s' "
                        "is not hotpluggable but follows a hotpluggable "
                        "one: QEMU boots vCPUs 0 to N-1", i, def->name);
            return -1;
        }
        booted = !v[i].hotpluggable;
    }
    return 0;
}

/* DEF's vCPUs, def->vcpus entries (caller frees): its <vcpus>, or the
 * first curVcpus enabled and booted. NULL with an error. */
static MemVcpu *
memVcpusRead(const DomainDef *def)
{
    MemVcpu *v = allocZero(((size_t)def->vcpus + 1) * sizeof(*v));
    bool *seen = allocZero((size_t)def->vcpus + 1);
    int at = memVcpusNode(def);

    for (unsigned int i = 0; i < def->vcpus; i++) {
        v[i].enabled = at < 0 && i < def->curVcpus;
        v[i].hotpluggable = !v[i].enabled;
    }
    for (size_t i = 0; at >= 0 && i < def->carried[at]->nkids; i++) {
        XNode *kid = def->carried[at]->kids[i];

        if (strcmp(kid->name, "vcpu") == 0 &&
            memVcpuParse(def, kid, v, seen) < 0)
            goto error;
    }
    if (memVcpusCheckLayout(def, v) < 0)
        goto error;
    free(seen);
    return v;
 error:
    free(seen);
    free(v);
    return NULL;
}

/* Replace DEF's <vcpus> by V; the current count follows. */
static void
memVcpusWrite(DomainDef *def, const MemVcpu *v)
{
    XNode *node = xtreeNew("vcpus");
    int at = memVcpusNode(def);
    unsigned int enabled = 0;

    for (unsigned int i = 0; i < def->vcpus; i++) {
        XNode *kid = xtreeNew("vcpu");
        char num[16];

        snprintf(num, sizeof(num), "%u", i);
        xtreeSetAttr(kid, "id", num);
        xtreeSetAttr(kid, "enabled", v[i].enabled ? "yes" : "no");
        xtreeSetAttr(kid, "hotpluggable", v[i].hotpluggable ? "yes" : "no");
        if (v[i].order) {
            snprintf(num, sizeof(num), "%u", v[i].order);
            xtreeSetAttr(kid, "order", num);
        }
        xtreeAppend(node, kid);
        enabled += v[i].enabled;
    }
    if (at >= 0) {
        xtreeFree(def->carried[at]);
        def->carried[at] = node;
    } else {
        allocResize(&def->carried, def->ncarried, def->ncarried + 1,
                    sizeof(*def->carried));
        def->carried[def->ncarried++] = node;
    }
    def->curVcpus = enabled;
}

/* Keep the booted vCPUs first: a vCPU that is not hotpluggable after a
 * hotpluggable one becomes hotpluggable (it is plugged at start). */
static void
memVcpusNormalize(MemVcpu *v, unsigned int n)
{
    bool booted = true;

    for (unsigned int i = 0; i < n; i++) {
        if (!booted)
            v[i].hotpluggable = true;
        booted = !v[i].hotpluggable;
    }
}

int
qemuMemoryBootVcpus(DomainDef *def, unsigned int *boot)
{
    MemVcpu *v;
    unsigned int enabled = 0;

    *boot = def->curVcpus;
    if (memVcpusNode(def) < 0)
        return 0;
    if (!(v = memVcpusRead(def)))
        return -1;
    *boot = 0;
    for (unsigned int i = 0; i < def->vcpus; i++) {
        if (!v[i].hotpluggable && *boot == i)
            (*boot)++;
        enabled += v[i].enabled;
    }
    def->curVcpus = enabled;
    free(v);
    return 0;
}

int
qemuMemoryStartVcpus(Qmp *mon, const DomainDef *live)
{
    QmpHotpluggableCpu *cpus = NULL;
    unsigned int *todo = NULL, ntodo = 0;
    MemVcpu *v;
    int n = -1, ret = -1;

    if (memVcpusNode(live) < 0 || !(v = memVcpusRead(live)))
        return memVcpusNode(live) < 0 ? 0 : -1;
    todo = allocZero(((size_t)live->vcpus + 1) * sizeof(*todo));
    for (unsigned int i = 0; i < live->vcpus; i++) {
        if (v[i].enabled && v[i].hotpluggable)
            todo[ntodo++] = i;
    }
    /* plugged in 'order' (those without one last), else by id */
    for (unsigned int i = 1; i < ntodo; i++) {
        for (unsigned int j = i; j > 0; j--) {
            unsigned int a = v[todo[j - 1]].order, b = v[todo[j]].order;
            unsigned int t;

            if ((a ? a : ~0u) <= (b ? b : ~0u))
                break;
            t = todo[j];
            todo[j] = todo[j - 1];
            todo[j - 1] = t;
        }
    }
    if (ntodo && (n = qmpQueryHotpluggableCpus(mon, &cpus)) < 0)
        goto cleanup;
    for (unsigned int i = 0; i < ntodo; i++) {
        QmpHotpluggableCpu *slot = memCpuSlot(cpus, n, (int)todo[i]);

        if (slot && !slot->qomPath && memCpuPlug(mon, slot, todo[i]) < 0)
            goto cleanup;
    }
    ret = 0;
 cleanup:
    if (n > 0)
        qmpHotpluggableCpuListFree(cpus, n);
    free(todo);
    free(v);
    return ret;
}

/* The persistent side of virDomainSetVcpu on copy CFG. */
static int
memVcpuConfig(QemuDom *d, DomainDef *cfg, const bool *set, bool state)
{
    MemVcpu *v = memVcpusRead(cfg);

    if (!v)
        return -1;
    for (int i = 0; i < QEMU_MAX_VCPUS; i++) {
        if (!set[i])
            continue;
        if ((unsigned int)i >= cfg->vcpus) {
            reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no vCPU %d "
                        "(maximum %u)", d->def->name, i, cfg->vcpus);
            goto error;
        }
        if (i == 0 && !state) {
            reportError(VIR_ERR_INVALID_ARG, "vCPU 0 of domain '%s' cannot "
                        "be disabled", d->def->name);
            goto error;
        }
    }
    for (unsigned int i = 1; i < cfg->vcpus; i++) {
        v[i].order = 0;         /* an old plug order means nothing now */
        if (set[i]) {
            v[i].enabled = state;
            v[i].hotpluggable = true;
        }
    }
    v[0].order = 0;
    memVcpusNormalize(v, cfg->vcpus);
    memVcpusWrite(cfg, v);
    free(v);
    return 0;
 error:
    free(v);
    return -1;
}

/* After a vCPU count change of CFG (from OLD, its definition before):
 * keep its <vcpus>, if any, in line. */
static int
memVcpusRecount(const DomainDef *old, DomainDef *cfg)
{
    MemVcpu *v, *nv;
    unsigned int enabled = 0;

    if (memVcpusNode(old) < 0)
        return 0;
    if (!(v = memVcpusRead(old)))
        return -1;
    nv = allocZero(((size_t)cfg->vcpus + 1) * sizeof(*nv));
    for (unsigned int i = 0; i < cfg->vcpus; i++) {
        nv[i] = i < old->vcpus ? v[i] : (MemVcpu){ false, true, 0 };
        enabled += nv[i].enabled;
    }
    /* enable the lowest disabled ones, disable the highest enabled ones */
    for (unsigned int i = 1; i < cfg->vcpus && enabled < cfg->curVcpus; i++) {
        if (!nv[i].enabled) {
            nv[i].enabled = nv[i].hotpluggable = true;
            enabled++;
        }
    }
    for (unsigned int i = cfg->vcpus - 1; i > 0 && enabled > cfg->curVcpus;
         i--) {
        if (nv[i].enabled) {
            nv[i].enabled = false;
            nv[i].hotpluggable = true;
            enabled--;
        }
    }
    memVcpusNormalize(nv, cfg->vcpus);
    memVcpusWrite(cfg, nv);
    free(v);
    free(nv);
    return 0;
}

/* The state of the vCPUs of the QEMU on MON into V (MAX entries):
 * present ones enabled, hotpluggable unless present at boot. The count
 * present, -1 when QEMU does not say; the thread's error stays as it
 * was. */
static int
memCpuStates(Qmp *mon, MemVcpu *v, unsigned int max)
{
    virErrorPtr err = errorSave();
    QmpHotpluggableCpu *cpus = NULL;
    int n = qmpQueryHotpluggableCpus(mon, &cpus);
    int present = n < 0 ? -1 : memCpusPresent(cpus, n);

    for (unsigned int i = 0; n > 0 && i < max; i++) {
        QmpHotpluggableCpu *slot = memCpuSlot(cpus, n, (int)i);

        v[i].enabled = slot && slot->qomPath;
        v[i].hotpluggable = !v[i].enabled ||
            strncmp(slot->qomPath, "/machine/peripheral/", 20) == 0;
        v[i].order = 0;
    }
    qmpHotpluggableCpuListFree(cpus, n);
    errorReset();
    errorRestore(&err);
    return present;
}

/* After a live vCPU change of D (lock held): the count, the live <vcpus>
 * if it has one (from V, PRESENT of QEMU's answer), the status file. */
static void
memVcpusLiveDone(QemuDom *d, const MemVcpu *v, int present)
{
    if (present <= 0 || !qemuDomIsActive(d))
        return;
    if (memVcpusNode(d->def) >= 0)
        memVcpusWrite(d->def, v);
    d->def->curVcpus = (unsigned int)present;
    qemuHotplugStatusSave(d);
}

static int
memVcpusLive(QemuDom *d, unsigned int nvcpus)
{
    char *name = allocStrdup(d->def->name);
    MemVcpu *v = allocZero(((size_t)d->def->vcpus + 1) * sizeof(*v));
    unsigned int max = d->def->vcpus;
    Qmp *mon;
    int present = -1, rc;

    if ((nvcpus < d->def->curVcpus && memUnplugCheck(d) < 0) ||
        !(mon = qemuHotplugMonBegin(d))) {
        free(name);
        free(v);
        return -1;
    }
    rc = memCpusSet(mon, name, nvcpus, &present);
    present = memCpuStates(mon, v, max);
    qemuTuneThreadsChanged(mon, d->pid, d->def);
    qemuHotplugMonEnd(d);
    memVcpusLiveDone(d, v, present);
    free(name);
    free(v);
    return rc;
}

/* ---- vCPU calls ---- */

static int
memVcpusCheck(const QemuDom *d, unsigned int n, unsigned int max,
              const char *what)
{
    if (n <= max)
        return 0;
    reportError(VIR_ERR_INVALID_ARG, "requested vCPUs of domain '%s' exceed "
                "the %s: %u > %u", d->def->name, what, n, max);
    return -1;
}

/* The persistent side of a vCPU change on copy CFG. */
static int
memVcpusConfig(const QemuDom *d, DomainDef *cfg, unsigned int n,
               bool maximum)
{
    if (maximum) {
        if (memVcpusCheck(d, n, QEMU_MAX_VCPUS, "QEMU limit") < 0)
            return -1;
        cfg->vcpus = n;
        if (cfg->curVcpus > n)
            cfg->curVcpus = n;
        return 0;
    }
    if (memVcpusCheck(d, n, cfg->vcpus, "maximum") < 0)
        return -1;
    cfg->curVcpus = n;
    return 0;
}

#define VCPU_FLAGS \
    (AFFECT_FLAGS | VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_VCPU_GUEST | \
     VIR_DOMAIN_VCPU_HOTPLUGGABLE)

static int
qemuDomainSetVcpusFlags(virDomainPtr dom, unsigned int nvcpus,
                        unsigned int flags)
{
    bool maximum = flags & VIR_DOMAIN_VCPU_MAXIMUM;
    bool guest = flags & VIR_DOMAIN_VCPU_GUEST;
    DomainDef *cfg = NULL;
    bool live, config;
    QemuDom *d;
    int ret = -1;

    if (qemuHotplugCheckFlags(flags, VCPU_FLAGS, __func__) < 0)
        return -1;
    if (nvcpus == 0) {
        reportError(VIR_ERR_INVALID_ARG, "vCPU count must be positive");
        return -1;
    }
    if (guest && (maximum || (flags & VIR_DOMAIN_AFFECT_CONFIG))) {
        reportError(VIR_ERR_INVALID_ARG, "flag 'guest' only applies to the "
                    "live vCPU count");
        return -1;
    }
    if (!(d = qemuHotplugJobBegin(dom)))
        return -1;
    if (qemuHotplugAffect(d, flags & AFFECT_FLAGS, &live, &config) < 0)
        goto cleanup;
    if (maximum && live) {
        reportError(VIR_ERR_OPERATION_INVALID, "cannot change the maximum "
                    "vCPUs of running domain '%s'", d->def->name);
        goto cleanup;
    }
    if (config && (!(cfg = qemuHotplugConfigCopy(d)) ||
                   memVcpusConfig(d, cfg, nvcpus, maximum) < 0 ||
                   memVcpusRecount(d->newDef ? d->newDef : d->def, cfg) < 0))
        goto cleanup;
    if (live && guest && memGuestVcpusSet(d, nvcpus) < 0)
        goto cleanup;
    if (live && !guest &&
        (memVcpusCheck(d, nvcpus, d->def->vcpus, "maximum") < 0 ||
         memVcpusLive(d, nvcpus) < 0))
        goto cleanup;
    if (qemuHotplugConfigCommit(d, &cfg) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    domainDefFree(cfg);
    qemuHotplugJobEnd(d);
    return ret;
}

static int
qemuDomainSetVcpus(virDomainPtr dom, unsigned int nvcpus)
{
    return qemuDomainSetVcpusFlags(dom, nvcpus, VIR_DOMAIN_AFFECT_LIVE);
}

static int
qemuDomainGetVcpusFlags(virDomainPtr dom, unsigned int flags)
{
    const DomainDef *def;
    bool live, config;
    QemuDom *d;
    int online, ret = -1;

    if (qemuHotplugCheckFlags(flags, AFFECT_FLAGS | VIR_DOMAIN_VCPU_MAXIMUM |
                              VIR_DOMAIN_VCPU_GUEST, __func__) < 0)
        return -1;
    if ((flags & AFFECT_FLAGS) == AFFECT_FLAGS) {
        reportError(VIR_ERR_INVALID_ARG, "flags 'live' and 'config' are "
                    "mutually exclusive");
        return -1;
    }
    if (!(d = qemuDomGet(dom)))
        return -1;
    if (flags & VIR_DOMAIN_VCPU_GUEST) {
        /* the agent's answer: what the guest has online */
        if ((flags & VIR_DOMAIN_AFFECT_CONFIG) ||
            (flags & VIR_DOMAIN_VCPU_MAXIMUM)) {
            reportError(VIR_ERR_INVALID_ARG, "flag 'guest' only applies to "
                        "the live, current vCPU count");
        } else if (memGuestVcpus(d, &online, NULL) == 0) {
            ret = online;
        }
        goto cleanup;
    }
    if (qemuHotplugAffect(d, flags & AFFECT_FLAGS, &live, &config) < 0)
        goto cleanup;
    def = live || !d->newDef ? d->def : d->newDef;
    ret = (int)((flags & VIR_DOMAIN_VCPU_MAXIMUM) ? def->vcpus
                                                  : def->curVcpus);
 cleanup:
    qemuDomRelease(d);
    return ret;
}

/* Parse the vCPU list MAP ("0-3,^2,5") into SET (MAX entries). 0 or -1
 * with VIR_ERR_INVALID_ARG. */
static int
memVcpuMapParse(const char *map, bool *set, int max)
{
    const char *p = map;

    memset(set, 0, (size_t)max * sizeof(*set));
    while (*p) {
        bool neg = *p == '^';
        char *end;
        long a, b;

        p += neg;
        a = strtol(p, &end, 10);
        b = a;
        if (end != p && *end == '-' && !neg) {
            p = end + 1;
            b = strtol(p, &end, 10);
        }
        if (end == p || a < 0 || b < a || b >= max ||
            (*end && *end != ',')) {
            reportError(VIR_ERR_INVALID_ARG, "invalid vCPU list '%s'", map);
            return -1;
        }
        for (long i = a; i <= b; i++)
            set[i] = !neg;
        p = *end ? end + 1 : end;
    }
    return 0;
}

/* Plug (STATE) or unplug the vCPUs of SET in running D's QEMU. */
static int
memVcpuToggle(Qmp *mon, const char *name, const bool *set, bool state)
{
    QmpHotpluggableCpu *cpus = NULL;
    int n, ret = -1;

    if ((n = qmpQueryHotpluggableCpus(mon, &cpus)) < 0)
        return -1;
    for (int i = 0; i < QEMU_MAX_VCPUS; i++) {
        QmpHotpluggableCpu *slot = memCpuSlot(cpus, n, i);

        if (!set[i])
            continue;
        if (!slot) {
            reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no vCPU %d",
                        name, i);
            goto cleanup;
        }
        if (state == (slot->qomPath != NULL))
            continue;
        if (!state && strncmp(slot->qomPath, "/machine/peripheral/", 20)) {
            reportError(VIR_ERR_OPERATION_UNSUPPORTED, "vCPU %d of domain "
                        "'%s' was present at boot and cannot be unplugged",
                        i, name);
            goto cleanup;
        }
        if ((state ? memCpuPlug(mon, slot, i)
                   : memCpuUnplug(mon, name, i)) < 0)
            goto cleanup;
    }
    ret = 0;
 cleanup:
    qmpHotpluggableCpuListFree(cpus, n);
    return ret;
}

static int
qemuDomainSetVcpu(virDomainPtr dom, const char *vcpumap, int state,
                  unsigned int flags)
{
    bool set[QEMU_MAX_VCPUS];
    char *name = NULL;
    DomainDef *cfg = NULL;
    MemVcpu *v = NULL;
    unsigned int max;
    bool live, config;
    QemuDom *d;
    Qmp *mon;
    int present, rc, ret = -1;

    if (qemuHotplugCheckFlags(flags, AFFECT_FLAGS, __func__) < 0 ||
        memVcpuMapParse(vcpumap, set, QEMU_MAX_VCPUS) < 0 ||
        !(d = qemuHotplugJobBegin(dom)))
        return -1;
    if (qemuHotplugAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    if (config && (!(cfg = qemuHotplugConfigCopy(d)) ||
                   memVcpuConfig(d, cfg, set, state != 0) < 0))
        goto cleanup;
    if (!live) {
        ret = qemuHotplugConfigCommit(d, &cfg);
        goto cleanup;
    }
    if (!state && memUnplugCheck(d) < 0)
        goto cleanup;
    name = allocStrdup(d->def->name);
    if (!(mon = qemuHotplugMonBegin(d)))
        goto cleanup;
    v = allocZero(((size_t)d->def->vcpus + 1) * sizeof(*v));
    max = d->def->vcpus;
    rc = memVcpuToggle(mon, name, set, state != 0);
    present = memCpuStates(mon, v, max);
    qemuTuneThreadsChanged(mon, d->pid, d->def);
    qemuHotplugMonEnd(d);
    memVcpusLiveDone(d, v, present);
    if (rc == 0 && qemuHotplugConfigCommit(d, &cfg) < 0)
        rc = -1;
    ret = rc;
 cleanup:
    free(name);
    free(v);
    domainDefFree(cfg);
    qemuHotplugJobEnd(d);
    return ret;
}

/* ---- memory ---- */

static bool
memHasBalloon(const DomainDef *def)
{
    return def->memballoon && def->memballoon->model &&
        strcmp(def->memballoon->model, "virtio") == 0;
}

static int
memBalloonCheck(const QemuDom *d)
{
    if (memHasBalloon(d->def) && d->def->memballoon->info.alias)
        return 0;
    reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' has no virtio memory "
                "balloon", d->def->name);
    return -1;
}

static int
memFits(const QemuDom *d, const DomainDef *def, unsigned long long kib)
{
    if (kib <= def->memory)
        return 0;
    reportError(VIR_ERR_INVALID_ARG, "cannot set the memory of domain '%s' "
                "to %llu KiB: its maximum is %llu KiB", d->def->name, kib,
                def->memory);
    return -1;
}

/* Ask the balloon of running D for KIB (the BALLOON_CHANGE events then
 * update the live size). */
static int
memBalloonLive(QemuDom *d, unsigned long long kib)
{
    Qmp *mon;
    int rc;

    if (memBalloonCheck(d) < 0 || memFits(d, d->def, kib) < 0 ||
        !(mon = qemuHotplugMonBegin(d)))
        return -1;
    rc = qmpBalloon(mon, kib * 1024);
    qemuHotplugMonEnd(d);
    return rc;
}

static int
qemuDomainSetMemoryFlags(virDomainPtr dom, unsigned long memory,
                         unsigned int flags)
{
    unsigned long long kib = memory;
    DomainDef *cfg = NULL;
    bool live, config;
    QemuDom *d;
    int ret = -1;

    if (qemuHotplugCheckFlags(flags, AFFECT_FLAGS | VIR_DOMAIN_MEM_MAXIMUM,
                              __func__) < 0)
        return -1;
    if (kib == 0) {
        reportError(VIR_ERR_INVALID_ARG, "memory size must be positive");
        return -1;
    }
    if (!(d = qemuHotplugJobBegin(dom)))
        return -1;
    if (qemuHotplugAffect(d, flags & AFFECT_FLAGS, &live, &config) < 0)
        goto cleanup;
    if ((flags & VIR_DOMAIN_MEM_MAXIMUM) && live) {
        reportError(VIR_ERR_OPERATION_INVALID, "cannot change the maximum "
                    "memory of running domain '%s'", d->def->name);
        goto cleanup;
    }
    if (config && !(cfg = qemuHotplugConfigCopy(d)))
        goto cleanup;
    if (cfg && (flags & VIR_DOMAIN_MEM_MAXIMUM)) {
        cfg->memory = kib;
        if (cfg->curMemory > kib)
            cfg->curMemory = kib;
    } else if (cfg) {
        if (memFits(d, cfg, kib) < 0)
            goto cleanup;
        cfg->curMemory = kib;
    }
    if (live && memBalloonLive(d, kib) < 0)
        goto cleanup;
    if (qemuHotplugConfigCommit(d, &cfg) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    domainDefFree(cfg);
    qemuHotplugJobEnd(d);
    return ret;
}

static int
qemuDomainSetMemory(virDomainPtr dom, unsigned long memory)
{
    return qemuDomainSetMemoryFlags(dom, memory, VIR_DOMAIN_AFFECT_LIVE);
}

static int
qemuDomainSetMaxMemory(virDomainPtr dom, unsigned long memory)
{
    return qemuDomainSetMemoryFlags(dom, memory, VIR_DOMAIN_MEM_MAXIMUM);
}

/* The balloon's QOM path in running DEF (caller frees). */
static char *
memBalloonPath(const DomainDef *def)
{
    return allocPrintf("/machine/peripheral/%s",
                       def->memballoon->info.alias);
}

static int
qemuDomainSetMemoryStatsPeriod(virDomainPtr dom, int period,
                               unsigned int flags)
{
    DomainDef *cfg = NULL;
    bool live, config;
    QemuDom *d;
    Qmp *mon;
    int ret = -1;

    if (qemuHotplugCheckFlags(flags, AFFECT_FLAGS, __func__) < 0)
        return -1;
    if (period < 0) {
        reportError(VIR_ERR_INVALID_ARG, "invalid statistics period %d",
                    period);
        return -1;
    }
    if (!(d = qemuHotplugJobBegin(dom)))
        return -1;
    if (qemuHotplugAffect(d, flags, &live, &config) < 0 ||
        (config && !(cfg = qemuHotplugConfigCopy(d))))
        goto cleanup;
    if (cfg && !memHasBalloon(cfg)) {
        reportError(VIR_ERR_OPERATION_INVALID, "the persistent definition "
                    "of domain '%s' has no virtio memory balloon",
                    d->def->name);
        goto cleanup;
    }
    if (cfg)
        cfg->memballoon->statsPeriod = period;
    if (live) {
        char *path;
        int rc;

        if (memBalloonCheck(d) < 0)
            goto cleanup;
        path = memBalloonPath(d->def);
        if (!(mon = qemuHotplugMonBegin(d))) {
            free(path);
            goto cleanup;
        }
        rc = qmpQomSet(mon, path, "guest-stats-polling-interval",
                       json_object_new_int(period));
        qemuHotplugMonEnd(d);
        free(path);
        if (rc < 0 || qemuDomCheckActive(d) < 0)
            goto cleanup;
        if (d->def->memballoon)
            d->def->memballoon->statsPeriod = period;
        qemuHotplugStatusSave(d);
    }
    if (qemuHotplugConfigCommit(d, &cfg) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    domainDefFree(cfg);
    qemuHotplugJobEnd(d);
    return ret;
}

/* ---- memory statistics ---- */

typedef struct {
    virDomainMemoryStatStruct *st;
    int n, max;
} MemStats;

static void
memStatPut(MemStats *s, int tag, unsigned long long val)
{
    if (s->n < s->max) {
        s->st[s->n].tag = tag;
        s->st[s->n].val = val;
        s->n++;
    }
}

/* The balloon driver's figures from qom-get guest-stats (STATS borrowed):
 * only those the guest reported (QEMU leaves the others at -1). */
static void
memStatsGuest(MemStats *s, json_object *gs)
{
    static const struct {
        const char *key;
        int tag;
        bool bytes;
    } map[] = {
        { "stat-swap-in", VIR_DOMAIN_MEMORY_STAT_SWAP_IN, true },
        { "stat-swap-out", VIR_DOMAIN_MEMORY_STAT_SWAP_OUT, true },
        { "stat-major-faults", VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT, false },
        { "stat-minor-faults", VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT, false },
        { "stat-free-memory", VIR_DOMAIN_MEMORY_STAT_UNUSED, true },
        { "stat-total-memory", VIR_DOMAIN_MEMORY_STAT_AVAILABLE, true },
        { "stat-available-memory", VIR_DOMAIN_MEMORY_STAT_USABLE, true },
        { "stat-disk-caches", VIR_DOMAIN_MEMORY_STAT_DISK_CACHES, true },
        { "stat-htlb-pgalloc", VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC,
          false },
        { "stat-htlb-pgfail", VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, false },
    };
    json_object *stats = gs ? json_object_object_get(gs, "stats") : NULL;
    json_object *last = gs ? json_object_object_get(gs, "last-update")
                           : NULL;

    if (!stats || !last || json_object_get_int64(last) <= 0)
        return;         /* never polled: the guest reported nothing yet */
    for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++) {
        json_object *v = json_object_object_get(stats, map[i].key);
        long long val = v ? json_object_get_int64(v) : -1;

        if (val >= 0)
            memStatPut(s, map[i].tag, map[i].bytes ? (unsigned long long)val
                       / 1024 : (unsigned long long)val);
    }
    memStatPut(s, VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE,
               (unsigned long long)json_object_get_int64(last));
}

/* VmRSS of PID in KiB (0 when unknown). */
static unsigned long long
memRss(pid_t pid)
{
    char path[64], line[256];
    unsigned long long kib = 0;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
    if (!(f = fopen(path, "r")))
        return 0;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %llu", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

static int
qemuDomainMemoryStats(virDomainPtr dom, virDomainMemoryStatPtr stats,
                      unsigned int nr_stats, unsigned int flags)
{
    MemStats s = { .st = stats, .n = 0 };
    json_object *gs = NULL;
    unsigned long long actual = 0;
    char *path = NULL;
    bool balloon;
    QemuDom *d;
    Qmp *mon;
    pid_t pid;
    int rc = 0;

    s.max = nr_stats > VIR_DOMAIN_MEMORY_STAT_NR ? VIR_DOMAIN_MEMORY_STAT_NR
                                                 : (int)nr_stats;
    if (qemuHotplugCheckFlags(flags, 0, __func__) < 0 ||
        !(d = qemuDomGet(dom)))
        return -1;
    /* a query: no job, the monitor answers while jobs run */
    if (!(mon = qemuProcessMonAcquire(d))) {
        qemuDomRelease(d);
        return -1;
    }
    balloon = memHasBalloon(d->def) && d->def->memballoon->info.alias;
    if (balloon)
        path = memBalloonPath(d->def);
    pid = d->pid;
    pthread_mutex_unlock(&d->drv->lock);
    if (balloon && (rc = qmpQomGet(mon, path, "guest-stats", &gs)) == 0)
        rc = qmpQueryBalloon(mon, &actual);
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
    if (rc == 0) {
        memStatsGuest(&s, gs);
        if (balloon)
            memStatPut(&s, VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON,
                       actual / 1024);
        memStatPut(&s, VIR_DOMAIN_MEMORY_STAT_RSS, memRss(pid));
    }
    json_object_put(gs);
    free(path);
    qemuDomRelease(d);
    return rc < 0 ? -1 : s.n;
}

void
qemuMemoryFill(Driver *drv)
{
    drv->domainSetVcpus = qemuDomainSetVcpus;
    drv->domainSetVcpusFlags = qemuDomainSetVcpusFlags;
    drv->domainGetVcpusFlags = qemuDomainGetVcpusFlags;
    drv->domainSetVcpu = qemuDomainSetVcpu;
    drv->domainSetMemory = qemuDomainSetMemory;
    drv->domainSetMemoryFlags = qemuDomainSetMemoryFlags;
    drv->domainSetMaxMemory = qemuDomainSetMaxMemory;
    drv->domainSetMemoryStatsPeriod = qemuDomainSetMemoryStatsPeriod;
    drv->domainMemoryStats = qemuDomainMemoryStats;
}

int
qemuMemoryStartSetup(Qmp *mon, const DomainDef *live)
{
    if (!memHasBalloon(live) || live->curMemory >= live->memory)
        return 0;
    return qmpBalloon(mon, live->curMemory * 1024);
}
