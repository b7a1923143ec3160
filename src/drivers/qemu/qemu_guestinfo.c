/* qemu_guestinfo.c: what the QEMU driver learns about the guest's inside:
 * interface addresses (agent, ARP table) and virDomainGetGuestInfo */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_guest.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "typedparam.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *
infoStr(json_object *o, const char *key)
{
    json_object *v = o ? json_object_object_get(o, key) : NULL;

    return v && json_object_is_type(v, json_type_string) ?
        json_object_get_string(v) : NULL;
}

/* The array member KEY of O (borrowed), and its length in *N. */
static json_object *
infoArray(json_object *o, const char *key, size_t *n)
{
    json_object *v = o ? json_object_object_get(o, key) : NULL;

    if (!v || !json_object_is_type(v, json_type_array)) {
        *n = 0;
        return NULL;
    }
    *n = json_object_array_length(v);
    return v;
}

/* Run agent command NAME on D; *R its return value. Lock held. */
static int
infoAgent(QemuDom *d, const char *name, json_object **r)
{
    json_object *cmd = qmpCommandNew(name, NULL);
    int ret;

    if (!cmd)
        return -1;
    ret = qemuAgentRun(d, cmd, r, 0);
    json_object_put(cmd);
    return ret;
}

static void
infoAddAddr(virDomainInterfacePtr ifc, int type, const char *addr,
            unsigned int prefix)
{
    allocResize(&ifc->addrs, ifc->naddrs, ifc->naddrs + 1,
                sizeof(*ifc->addrs));
    ifc->addrs[ifc->naddrs].type = type;
    ifc->addrs[ifc->naddrs].addr = allocStrdup(addr);
    ifc->addrs[ifc->naddrs].prefix = prefix;
    ifc->naddrs++;
}

/* One interface from the agent's entry O. */
static virDomainInterfacePtr
infoIface(json_object *o)
{
    virDomainInterfacePtr ifc;
    json_object *ips;
    size_t n;

    ALLOC(ifc);
    ifc->name = allocStrdup(infoStr(o, "name") ? infoStr(o, "name") : "");
    if (infoStr(o, "hardware-address"))
        ifc->hwaddr = allocStrdup(infoStr(o, "hardware-address"));
    ips = infoArray(o, "ip-addresses", &n);
    for (size_t i = 0; i < n; i++) {
        json_object *ip = json_object_array_get_idx(ips, i);
        json_object *prefix = json_object_object_get(ip, "prefix");
        const char *type = infoStr(ip, "ip-address-type");
        const char *addr = infoStr(ip, "ip-address");

        if (!addr || !type)
            continue;
        infoAddAddr(ifc, strcmp(type, "ipv6") == 0 ? VIR_IP_ADDR_TYPE_IPV6
                                                   : VIR_IP_ADDR_TYPE_IPV4,
                    addr, prefix ? (unsigned int)json_object_get_int(prefix)
                                 : 0);
    }
    return ifc;
}

static void
infoIfaceFree(virDomainInterfacePtr ifc)
{
    for (unsigned int i = 0; i < ifc->naddrs; i++)
        free(ifc->addrs[i].addr);
    free(ifc->addrs);
    free(ifc->name);
    free(ifc->hwaddr);
    free(ifc);
}

static int
infoAddrsAgent(QemuDom *d, virDomainInterfacePtr **ifaces)
{
    json_object *r = NULL;
    virDomainInterfacePtr *list;
    size_t n;

    if (infoAgent(d, "guest-network-get-interfaces", &r) < 0)
        return -1;
    if (!json_object_is_type(r, json_type_array)) {
        reportError(VIR_ERR_INTERNAL_ERROR, "malformed reply to guest agent "
                    "command 'guest-network-get-interfaces': not an array");
        json_object_put(r);
        return -1;
    }
    n = json_object_array_length(r);
    ALLOC_N(list, n + 1);
    for (size_t i = 0; i < n; i++)
        list[i] = infoIface(json_object_array_get_idx(r, i));
    json_object_put(r);
    *ifaces = list;
    return (int)n;
}

/* Addresses of D's NICs seen in the host's ARP table (lock held). */
static int
infoAddrsArp(QemuDom *d, virDomainInterfacePtr **ifaces)
{
    FILE *f = fopen("/proc/net/arp", "r");
    const DomainDef *def = d->def;
    virDomainInterfacePtr *list;
    char line[512];
    size_t n = 0;

    ALLOC_N(list, def->nnets + 1);
    for (size_t i = 0; f && i < def->nnets; i++) {
        virDomainInterfacePtr ifc = NULL;
        char mac[18];

        domainMacFormat(def->nets[i]->mac, mac);
        rewind(f);
        while (fgets(line, sizeof(line), f)) {
            char ip[64], hw[64];

            if (sscanf(line, "%63s %*s %*s %63s", ip, hw) != 2 ||
                strcasecmp(hw, mac) != 0)
                continue;
            if (!ifc) {
                ALLOC(ifc);
                ifc->name = allocStrdup(def->nets[i]->ifname ?
                                        def->nets[i]->ifname : mac);
                ifc->hwaddr = allocStrdup(mac);
            }
            infoAddAddr(ifc, VIR_IP_ADDR_TYPE_IPV4, ip, 0);
        }
        if (ifc)
            list[n++] = ifc;
    }
    if (f)
        fclose(f);
    *ifaces = list;
    return (int)n;
}

static int
qemuDomainInterfaceAddresses(virDomainPtr dom,
                             virDomainInterfacePtr **ifaces,
                             unsigned int source, unsigned int flags)
{
    QemuDom *d;
    int ret = -1;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0)
        return -1;
    if (source == VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE) {
        reportError(VIR_ERR_NO_SUPPORT, "DHCP leases need a network driver, "
                    "which the embedded QEMU driver does not have: use the "
                    "agent or ARP source");
        return -1;
    }
    if (source >= VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LAST) {
        reportError(VIR_ERR_INVALID_ARG, "unknown address source %u", source);
        return -1;
    }
    if (source == VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT &&
        (dom->conn->flags & VIR_CONNECT_RO)) {
        reportError(VIR_ERR_OPERATION_DENIED, "asking the guest agent needs "
                    "a read-write connection");
        return -1;
    }
    if (!(d = qemuDomGet(dom)))
        return -1;
    if (source == VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT)
        ret = infoAddrsAgent(d, ifaces);
    else if (qemuDomCheckActive(d) == 0)
        ret = infoAddrsArp(d, ifaces);
    qemuDomRelease(d);
    return ret;
}

/* ---- virDomainGetGuestInfo ---- */

typedef struct {
    virTypedParameterPtr p;
    int n, max;
} InfoList;

static void
infoPutStr(InfoList *l, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
infoPutStr(InfoList *l, const char *value, const char *fmt, ...)
{
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];
    va_list ap;

    if (!value)
        return;
    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    typedParamsAddString(&l->p, &l->n, &l->max, name, value);
}

static void
infoPutUInt(InfoList *l, unsigned int v, const char *fmt, size_t i, size_t j)
{
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];

    snprintf(name, sizeof(name), fmt, i, j);
    typedParamsAddUInt(&l->p, &l->n, &l->max, name, v);
}

static void
infoUsers(json_object *r, InfoList *l)
{
    size_t n;
    json_object *a = json_object_is_type(r, json_type_array) ? r : NULL;

    n = a ? json_object_array_length(a) : 0;
    typedParamsAddUInt(&l->p, &l->n, &l->max, "user.count", (unsigned)n);
    for (size_t i = 0; i < n; i++) {
        json_object *u = json_object_array_get_idx(a, i);
        json_object *t = json_object_object_get(u, "login-time");
        char name[VIR_TYPED_PARAM_FIELD_LENGTH];

        infoPutStr(l, infoStr(u, "user"), "user.%zu.name", i);
        infoPutStr(l, infoStr(u, "domain"), "user.%zu.domain", i);
        snprintf(name, sizeof(name), "user.%zu.login-time", i);
        typedParamsAddULLong(&l->p, &l->n, &l->max, name, t ?
            (unsigned long long)(json_object_get_double(t) * 1000) : 0);
    }
}

static void
infoOs(json_object *r, InfoList *l)
{
    static const char *const keys[] = {
        "id", "name", "pretty-name", "version", "version-id",
        "kernel-release", "kernel-version", "machine", "variant",
        "variant-id", NULL
    };

    for (int i = 0; keys[i]; i++)
        infoPutStr(l, infoStr(r, keys[i]), "os.%s", keys[i]);
}

static void
infoTimezone(json_object *r, InfoList *l)
{
    json_object *off = json_object_object_get(r, "offset");

    infoPutStr(l, infoStr(r, "zone"), "timezone.name");
    typedParamsAddInt(&l->p, &l->n, &l->max, "timezone.offset",
                      off ? json_object_get_int(off) : 0);
}

static void
infoFs(const DomainDef *def, json_object *r, InfoList *l)
{
    size_t n = json_object_is_type(r, json_type_array) ?
        json_object_array_length(r) : 0;
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];

    typedParamsAddUInt(&l->p, &l->n, &l->max, "fs.count", (unsigned)n);
    for (size_t i = 0; i < n; i++) {
        json_object *fs = json_object_array_get_idx(r, i), *disks, *v;
        size_t nd;

        infoPutStr(l, infoStr(fs, "name"), "fs.%zu.name", i);
        infoPutStr(l, infoStr(fs, "mountpoint"), "fs.%zu.mountpoint", i);
        infoPutStr(l, infoStr(fs, "type"), "fs.%zu.fstype", i);
        if ((v = json_object_object_get(fs, "total-bytes"))) {
            snprintf(name, sizeof(name), "fs.%zu.total-bytes", i);
            typedParamsAddULLong(&l->p, &l->n, &l->max, name,
                                 (unsigned long long)json_object_get_int64(v));
        }
        if ((v = json_object_object_get(fs, "used-bytes"))) {
            snprintf(name, sizeof(name), "fs.%zu.used-bytes", i);
            typedParamsAddULLong(&l->p, &l->n, &l->max, name,
                                 (unsigned long long)json_object_get_int64(v));
        }
        disks = infoArray(fs, "disk", &nd);
        infoPutUInt(l, (unsigned)nd, "fs.%zu.disk.count", i, 0);
        for (size_t j = 0; j < nd; j++) {
            json_object *dk = json_object_array_get_idx(disks, j);
            const char *dev = infoStr(dk, "dev");

            for (size_t k = 0; dev && k < def->ndisks; k++)
                if (strncmp(dev, "/dev/", 5) == 0 &&
                    strcmp(dev + 5, def->disks[k]->dst) == 0)
                    infoPutStr(l, def->disks[k]->dst,
                               "fs.%zu.disk.%zu.alias", i, j);
            infoPutStr(l, infoStr(dk, "serial"), "fs.%zu.disk.%zu.serial",
                       i, j);
            infoPutStr(l, dev, "fs.%zu.disk.%zu.device", i, j);
        }
    }
}

static void
infoDisks(json_object *r, InfoList *l)
{
    size_t n = json_object_is_type(r, json_type_array) ?
        json_object_array_length(r) : 0;
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];

    typedParamsAddUInt(&l->p, &l->n, &l->max, "disk.count", (unsigned)n);
    for (size_t i = 0; i < n; i++) {
        json_object *dk = json_object_array_get_idx(r, i), *deps;
        json_object *part = json_object_object_get(dk, "partition");
        size_t nd;

        infoPutStr(l, infoStr(dk, "name"), "disk.%zu.name", i);
        snprintf(name, sizeof(name), "disk.%zu.partition", i);
        typedParamsAddBoolean(&l->p, &l->n, &l->max, name,
                              part && json_object_get_boolean(part));
        deps = infoArray(dk, "dependencies", &nd);
        infoPutUInt(l, (unsigned)nd, "disk.%zu.dependency.count", i, 0);
        for (size_t j = 0; j < nd; j++)
            infoPutStr(l, json_object_get_string(
                           json_object_array_get_idx(deps, j)),
                       "disk.%zu.dependency.%zu.name", i, j);
        infoPutStr(l, infoStr(dk, "alias"), "disk.%zu.guest_alias", i);
    }
}

static void
infoIfaces(json_object *r, InfoList *l)
{
    size_t n = json_object_is_type(r, json_type_array) ?
        json_object_array_length(r) : 0;

    typedParamsAddUInt(&l->p, &l->n, &l->max, "if.count", (unsigned)n);
    for (size_t i = 0; i < n; i++) {
        virDomainInterfacePtr ifc = infoIface(json_object_array_get_idx(r, i));

        infoPutStr(l, ifc->name, "if.%zu.name", i);
        infoPutStr(l, ifc->hwaddr, "if.%zu.hwaddr", i);
        infoPutUInt(l, ifc->naddrs, "if.%zu.addr.count", i, 0);
        for (unsigned int j = 0; j < ifc->naddrs; j++) {
            infoPutStr(l, ifc->addrs[j].type == VIR_IP_ADDR_TYPE_IPV6 ?
                       "ipv6" : "ipv4", "if.%zu.addr.%u.type", i, j);
            infoPutStr(l, ifc->addrs[j].addr, "if.%zu.addr.%u.addr", i, j);
            infoPutUInt(l, ifc->addrs[j].prefix, "if.%zu.addr.%zu.prefix",
                        i, j);
        }
        infoIfaceFree(ifc);
    }
}

/* Ask for one group; the agent refusing a command (too old, disabled)
 * leaves the group out, as libvirt does. 1 done, 0 skipped, -1 error. */
static int
infoGroup(QemuDom *d, const char *cmd, json_object **r)
{
    if (infoAgent(d, cmd, r) == 0)
        return 1;
    if (errorLast() && errorLast()->code == VIR_ERR_OPERATION_FAILED) {
        errorReset();
        return 0;
    }
    return -1;
}

#define INFO_ALL 0x7fu

static int
qemuDomainGetGuestInfo(virDomainPtr dom, unsigned int types,
                       virTypedParameterPtr *params, int *nparams,
                       unsigned int flags)
{
    static const struct {
        unsigned int type;
        const char *cmd;
    } groups[] = {
        { VIR_DOMAIN_GUEST_INFO_USERS, "guest-get-users" },
        { VIR_DOMAIN_GUEST_INFO_OS, "guest-get-osinfo" },
        { VIR_DOMAIN_GUEST_INFO_TIMEZONE, "guest-get-timezone" },
        { VIR_DOMAIN_GUEST_INFO_HOSTNAME, "guest-get-host-name" },
        { VIR_DOMAIN_GUEST_INFO_FILESYSTEM, "guest-get-fsinfo" },
        { VIR_DOMAIN_GUEST_INFO_DISKS, "guest-get-disks" },
        { VIR_DOMAIN_GUEST_INFO_INTERFACES, "guest-network-get-interfaces" },
    };
    InfoList l = { NULL, 0, 0 };
    QemuDom *d;
    int ret = -1;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0)
        return -1;
    if (types & ~INFO_ALL) {
        reportError(VIR_ERR_INVALID_ARG, "unknown guest info types 0x%x",
                    types & ~INFO_ALL);
        return -1;
    }
    if (!types)
        types = INFO_ALL;
    if (!(d = qemuDomGet(dom)))
        return -1;
    for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
        json_object *r = NULL;
        int rc;

        if (!(types & groups[i].type))
            continue;
        if ((rc = infoGroup(d, groups[i].cmd, &r)) < 0)
            goto cleanup;
        if (rc == 0)
            continue;
        switch (groups[i].type) {
        case VIR_DOMAIN_GUEST_INFO_USERS: infoUsers(r, &l); break;
        case VIR_DOMAIN_GUEST_INFO_OS: infoOs(r, &l); break;
        case VIR_DOMAIN_GUEST_INFO_TIMEZONE: infoTimezone(r, &l); break;
        case VIR_DOMAIN_GUEST_INFO_HOSTNAME:
            infoPutStr(&l, infoStr(r, "host-name"), "hostname");
            break;
        case VIR_DOMAIN_GUEST_INFO_FILESYSTEM: infoFs(d->def, r, &l); break;
        case VIR_DOMAIN_GUEST_INFO_DISKS: infoDisks(r, &l); break;
        default: infoIfaces(r, &l); break;
        }
        json_object_put(r);
    }
    *params = l.p;
    *nparams = l.n;
    l.p = NULL;
    ret = 0;
 cleanup:
    typedParamsFree(l.p, l.n);
    qemuDomRelease(d);
    return ret;
}

void
qemuGuestInfoFill(Driver *drv)
{
    drv->domainInterfaceAddresses = qemuDomainInterfaceAddresses;
    drv->domainGetGuestInfo = qemuDomainGetGuestInfo;
}
