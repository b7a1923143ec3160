/* qemu_net.c: the host side of bridge interfaces: the tap devices vireo
 * creates and plugs into a bridge, their statistics and tc shaping */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_net.h"
#include "qemu_block.h"
#include "qemu_tune.h"

#include "alloc.h"
#include "error.h"
#include "log.h"
#include "typedparam.h"
#include "conf/netrate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- tap devices ---- */

bool
qemuNetOwnsTaps(void)
{
    return geteuid() == 0;
}

/* Set, on the host interface of IFR's name, what REQ (SIOCSIFHWADDR,
 * SIOCBRADDIF on the bridge, ...) asks through a datagram socket. */
static int
netIoctl(unsigned long req, struct ifreq *ifr)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int rc;

    if (s < 0)
        return -1;
    rc = ioctl(s, req, ifr);
    if (rc < 0) {
        int err = errno;

        close(s);
        errno = err;
        return -1;
    }
    close(s);
    return 0;
}

/* Whether IFNAME came from the kernel's vnet%d (live only, never kept). */
static bool
netAutoName(const char *ifname)
{
    return strncmp(ifname, "vnet", 4) == 0;
}

/* Host MAC, bridge port, link up for the new tap IFNAME of NET. */
static int
netTapSetup(const char *domName, NetDef *net, const char *ifname)
{
    struct ifreq ifr;
    const char *step;

    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
    ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
    memcpy(ifr.ifr_hwaddr.sa_data, net->mac, 6);
    /* the host side must differ from the guest's, and never be picked as
     * the bridge's own address (the bridge takes the lowest) */
    ifr.ifr_hwaddr.sa_data[0] = (char)0xfe;
    step = "set the MAC address of";
    if (netIoctl(SIOCSIFHWADDR, &ifr) < 0)
        goto error;
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", net->source);
    ifr.ifr_ifindex = (int)if_nametoindex(ifname);
    step = "add to its bridge";
    if (ifr.ifr_ifindex == 0 || netIoctl(SIOCBRADDIF, &ifr) < 0)
        goto error;
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
    step = "bring up";
    if (netIoctl(SIOCGIFFLAGS, &ifr) < 0)
        goto error;
    ifr.ifr_flags |= IFF_UP;
    if (netIoctl(SIOCSIFFLAGS, &ifr) < 0)
        goto error;
    return 0;
 error:
    reportSystemError(errno, "cannot %s tap device '%s' of domain '%s' "
                      "(bridge '%s')", step, ifname, domName, net->source);
    return -1;
}

int
qemuNetTapCreate(const char *domName, NetDef *net, int *fd)
{
    struct ifreq ifr;
    char *sys;
    bool bridge;
    int tap;

    *fd = -1;
    if (net->type != NET_TYPE_BRIDGE || !qemuNetOwnsTaps())
        return 0;
    sys = allocPrintf("/sys/class/net/%s/bridge",
                      net->source ? net->source : "");
    bridge = net->source && access(sys, F_OK) == 0;
    free(sys);
    if (!bridge) {
        reportError(VIR_ERR_OPERATION_FAILED, "bridge '%s' of an interface "
                    "of domain '%s' does not exist on this host",
                    net->source ? net->source : "", domName);
        return -1;
    }
    if ((tap = open("/dev/net/tun", O_RDWR | O_CLOEXEC)) < 0) {
        reportSystemError(errno, "cannot open /dev/net/tun for an interface "
                          "of domain '%s'", domName);
        return -1;
    }
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s",
             net->ifname && !netAutoName(net->ifname) &&
             !strchr(net->ifname, '%') ? net->ifname : "vnet%d");
    if (ioctl(tap, TUNSETIFF, &ifr) < 0) {
        reportSystemError(errno, "cannot create tap device '%s' for an "
                          "interface of domain '%s'", ifr.ifr_name, domName);
        close(tap);
        return -1;
    }
    if (netTapSetup(domName, net, ifr.ifr_name) < 0 ||
        ((net->inbound.present || net->outbound.present) &&
         qemuNetShape(ifr.ifr_name, ifr.ifr_name, &net->inbound,
                      &net->outbound) < 0)) {
        close(tap);         /* not persistent: the kernel removes it */
        return -1;
    }
    free(net->ifname);
    net->ifname = allocStrdup(ifr.ifr_name);
    logDebug("qemu", "domain '%s': tap '%s' on bridge '%s'", domName,
             net->ifname, net->source);
    *fd = tap;
    return 0;
}

int
qemuNetPrepare(DomainDef *live, int **fds)
{
    int *list = allocArray(live->nnets ? live->nnets : 1, sizeof(int));

    for (size_t i = 0; i < live->nnets; i++)
        list[i] = -1;
    qemuNetIfbSweep();
    for (size_t i = 0; i < live->nnets; i++) {
        if (qemuNetTapCreate(live->name, live->nets[i], &list[i]) < 0) {
            qemuNetFdsClose(list, live->nnets);
            *fds = NULL;
            return -1;
        }
    }
    *fds = list;
    return 0;
}

void
qemuNetFdsClose(int *fds, size_t n)
{
    for (size_t i = 0; fds && i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    free(fds);
}

/* ---- tc ---- */

/* Run tc or ip with ARGV (NULL-terminated) on host device HOST for
 * interface DEV; its output into *OUT when OUT is not NULL (caller frees).
 * IGNOREFAIL: a failure is fine (deleting what is not there). 0 or -1
 * with an error quoting the tool. */
static int
netTc(const char *const *argv, const char *dev, const char *host,
      bool ignoreFail, char **out)
{
    char *why;

    if (qemuBlockRunTool(argv, out) == 0)
        return 0;
    if (ignoreFail) {
        errorReset();
        return 0;
    }
    why = allocStrdup(errorLast()->message ? errorLast()->message : "");
    errorReset();
    reportError(VIR_ERR_OPERATION_FAILED, "cannot shape interface '%s' "
                "(host device '%s'): %s", dev, host, why);
    free(why);
    return -1;
}

/* The name of the ifb device that shapes what tap IFNAME receives from
 * the guest: numbered by the tap's ifindex, which the kernel does not
 * hand out again soon, so that a stale one is known by its number. */
static void
netIfbName(const char *ifname, char ifb[IFNAMSIZ])
{
    snprintf(ifb, IFNAMSIZ, "%s%u", QEMU_NET_IFB_PREFIX,
             if_nametoindex(ifname));
}

void
qemuNetIfbSweep(void)
{
    size_t plen = strlen(QEMU_NET_IFB_PREFIX);
    struct dirent *e;
    DIR *dir = opendir("/sys/class/net");
    char name[IFNAMSIZ];

    while (dir && (e = readdir(dir))) {
        char *end;
        unsigned long idx;

        if (strncmp(e->d_name, QEMU_NET_IFB_PREFIX, plen) != 0)
            continue;
        idx = strtoul(e->d_name + plen, &end, 10);
        if (*end || if_indextoname((unsigned int)idx, name))
            continue;
        /* its tap is gone (QEMU exited or dropped the netdev) */
        if (netTc((const char *[]){ "ip", "link", "del", e->d_name, NULL },
                  e->d_name, e->d_name, false, NULL) < 0) {
            logDebug("qemu", "%s", errorLast()->message);
            errorReset();
        }
    }
    if (dir)
        closedir(dir);
}

/* An HTB root with class 1:1 on HOST (for DEV): RATE average, PEAK ceiling
 * (0: the average), BURST (0: 16 KiB). 0 or -1. */
static int
netHtb(const char *host, const char *dev, const NetRate *r)
{
    char rate[32], ceil[32], burst[32];

    snprintf(rate, sizeof(rate), "%llukbps", r->average);
    snprintf(ceil, sizeof(ceil), "%llukbps", r->peak ? r->peak : r->average);
    snprintf(burst, sizeof(burst), "%llukb", r->burst ? r->burst : 16);
    if (netTc((const char *[]){ "tc", "qdisc", "add", "dev", host, "root",
                                "handle", "1:", "htb", "default", "1",
                                NULL }, dev, host, false, NULL) < 0 ||
        netTc((const char *[]){ "tc", "class", "add", "dev", host, "parent",
                                "1:", "classid", "1:1", "htb", "rate", rate,
                                "ceil", ceil, "burst", burst, NULL },
              dev, host, false, NULL) < 0)
        return -1;
    return 0;
}

int
qemuNetShape(const char *ifname, const char *dev, const NetRate *in,
             const NetRate *out)
{
    char ifb[IFNAMSIZ];

    netIfbName(ifname, ifb);
    netTc((const char *[]){ "tc", "qdisc", "del", "dev", ifname, "root",
                            NULL }, dev, ifname, true, NULL);
    netTc((const char *[]){ "tc", "qdisc", "del", "dev", ifname, "ingress",
                            NULL }, dev, ifname, true, NULL);
    netTc((const char *[]){ "ip", "link", "del", ifb, NULL }, dev, ifb, true,
          NULL);
    /* the guest receives what the tap sends: HTB on the tap's egress */
    if (in->average && netHtb(ifname, dev, in) < 0)
        return -1;
    /* what the guest sends enters through the tap: redirect the tap's
     * ingress to the egress of an ifb device and shape that with HTB
     * (unlike a policer, which drops, it queues; and needs no act_police,
     * which not every kernel has) */
    if (out->average &&
        (netTc((const char *[]){ "ip", "link", "add", ifb, "type", "ifb",
                                 NULL }, dev, ifb, false, NULL) < 0 ||
         netTc((const char *[]){ "ip", "link", "set", ifb, "up", NULL },
               dev, ifb, false, NULL) < 0 ||
         netHtb(ifb, dev, out) < 0 ||
         netTc((const char *[]){ "tc", "qdisc", "add", "dev", ifname,
                                 "handle", "ffff:", "ingress", NULL },
               dev, ifname, false, NULL) < 0 ||
         netTc((const char *[]){ "tc", "filter", "add", "dev", ifname,
                                 "parent", "ffff:", "protocol", "all", "u32",
                                 "match", "u32", "0", "0", "action", "mirred",
                                 "egress", "redirect", "dev", ifb, NULL },
               dev, ifname, false, NULL) < 0))
        return -1;
    return 0;
}

/* The number after KEY in TEXT scaled by its tc unit suffix: rates
 * ("8Mbit") to tc's kbps (1000 bytes/s), sizes ("32Kb") to KiB. 0 when
 * KEY is missing. */
static unsigned long long
netTcValue(const char *text, const char *key, bool isRate)
{
    static const char *const rates[] = { "bit", "Kbit", "Mbit", "Gbit",
                                         "Tbit", NULL };
    static const char *const sizes[] = { "b", "Kb", "Mb", "Gb", NULL };
    const char *const *units = isRate ? rates : sizes;
    const char *p = strstr(text, key);
    double v, scale = 1;
    char *end;

    if (!p)
        return 0;
    v = strtod(p + strlen(key), &end);
    for (size_t i = 0; units[i]; i++, scale *= isRate ? 1000 : 1024) {
        size_t n = strlen(units[i]);

        if (strncmp(end, units[i], n) == 0 && (end[n] == ' ' ||
                                               end[n] == '\n' || !end[n]))
            break;
    }
    /* bits to kilobytes; bytes to KiB */
    v = isRate ? v * scale / 8000 : v * scale / 1024;
    return (unsigned long long)(v + 0.5);
}

/* The HTB class 1:1 of HOST (for DEV) into R (zeroes where there is
 * none; a missing HOST is none). 0 or -1. */
static int
netHtbRead(const char *host, const char *dev, NetRate *r)
{
    char path[64], *cls = NULL, *line;

    memset(r, 0, sizeof(*r));
    snprintf(path, sizeof(path), "/sys/class/net/%s", host);
    if (access(path, F_OK) < 0)
        return 0;
    if (netTc((const char *[]){ "tc", "class", "show", "dev", host, NULL },
              dev, host, false, &cls) < 0)
        return -1;
    if ((line = strstr(cls, "class htb 1:1 "))) {
        line[strcspn(line, "\n")] = '\0';
        r->average = netTcValue(line, " rate ", true);
        r->peak = netTcValue(line, " ceil ", true);
        r->burst = netTcValue(line, " burst ", false);
    }
    free(cls);
    return 0;
}

/* The shaping the kernel has on tap IFNAME: IN on the tap, OUT on its
 * ifb device. 0 or -1. */
static int
netShapeRead(const char *ifname, const char *dev, NetRate *in, NetRate *out)
{
    char ifb[IFNAMSIZ];

    netIfbName(ifname, ifb);
    if (netHtbRead(ifname, dev, in) < 0 || netHtbRead(ifb, dev, out) < 0)
        return -1;
    return 0;
}

/* ---- the host device of an interface ---- */

/* The host tap devices QEMU PID holds open, in fd order (from the "iff:"
 * line the kernel shows for tun fds). Returns the count. */
static int
netProcTaps(pid_t pid, char taps[][32], int max)
{
    char path[64];
    struct dirent **ents = NULL;
    int n, found = 0;

    snprintf(path, sizeof(path), "/proc/%ld/fdinfo", (long)pid);
    if ((n = scandir(path, &ents, NULL, versionsort)) < 0)
        return 0;
    for (int i = 0; i < n; i++) {
        char file[320], line[128];
        FILE *f;

        snprintf(file, sizeof(file), "%s/%s", path, ents[i]->d_name);
        free(ents[i]);
        if (found >= max || !(f = fopen(file, "re")))
            continue;
        while (fgets(line, sizeof(line), f)) {
            if (strncmp(line, "iff:", 4) == 0 &&
                sscanf(line + 4, "%31s", taps[found]) == 1) {
                found++;
                break;
            }
        }
        fclose(f);
    }
    free(ents);
    return found;
}

/* Interface DEVICE (target dev, MAC or alias) of DEF, or NULL with
 * INVALID_ARG. */
static int
netFind(const DomainDef *def, const char *device)
{
    int idx = domainFindNet(def, device);

    for (size_t i = 0; idx < 0 && i < def->nnets; i++) {
        if (def->nets[i]->info.alias &&
            strcmp(def->nets[i]->info.alias, device) == 0)
            idx = i;
    }
    if (idx < 0)
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no interface '%s'",
                    def->name, device);
    return idx;
}

/* The host device of interface IDX of running D into IFNAME, or -1 with
 * an error (user-mode NICs have none). */
static int
netIfname(QemuDom *d, int idx, const char *device, char ifname[32])
{
    const DomainDef *def = d->def;
    char taps[16][32];
    int k = 0, ntaps;

    if (def->nets[idx]->type == NET_TYPE_USER) {
        reportError(VIR_ERR_NO_SUPPORT, "interface '%s' of domain '%s' uses "
                    "user-mode networking inside QEMU: there is no host "
                    "device to read statistics from or shape", device,
                    def->name);
        return -1;
    }
    if (def->nets[idx]->ifname) {
        snprintf(ifname, 32, "%s", def->nets[idx]->ifname);
        return 0;
    }
    /* qemu-bridge-helper made the tap: the k-th tap-backed NIC holds the
     * k-th tun descriptor */
    for (int i = 0; i < idx; i++)
        k += def->nets[i]->type != NET_TYPE_USER;
    ntaps = netProcTaps(d->pid, taps, 16);
    if (k >= ntaps) {
        reportError(VIR_ERR_OPERATION_FAILED, "cannot find the host tap "
                    "device of interface '%s' of domain '%s'", device,
                    def->name);
        return -1;
    }
    snprintf(ifname, 32, "%s", taps[k]);
    return 0;
}

/* Counter NAME of host interface IFNAME from sysfs, -1 when unreadable. */
static long long
netStat(const char *ifname, const char *name)
{
    char path[128];
    long long v = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", ifname,
             name);
    if ((f = fopen(path, "re"))) {
        if (fscanf(f, "%lld", &v) != 1)
            v = -1;
        fclose(f);
    }
    return v;
}

static int
qemuDomainInterfaceStats(virDomainPtr dom, const char *device,
                         virDomainInterfaceStatsPtr stats, size_t size)
{
    QemuDom *d;
    char ifname[32];
    int idx, ret = -1;

    if (size != sizeof(*stats)) {
        reportError(VIR_ERR_INVALID_ARG, "interface stats size %zu, expected "
                    "%zu", size, sizeof(*stats));
        return -1;
    }
    if (!(d = qemuTuneBegin(dom, false, true)))
        return -1;
    if ((idx = netFind(d->def, device)) < 0 ||
        netIfname(d, idx, device, ifname) < 0)
        goto cleanup;
    if (netStat(ifname, "rx_bytes") < 0) {
        reportError(VIR_ERR_OPERATION_FAILED, "host device '%s' of interface "
                    "'%s' has no statistics", ifname, device);
        goto cleanup;
    }
    /* the tap's transmit is the guest's receive */
    stats->rx_bytes = netStat(ifname, "tx_bytes");
    stats->rx_packets = netStat(ifname, "tx_packets");
    stats->rx_errs = netStat(ifname, "tx_errors");
    stats->rx_drop = netStat(ifname, "tx_dropped");
    stats->tx_bytes = netStat(ifname, "rx_bytes");
    stats->tx_packets = netStat(ifname, "rx_packets");
    stats->tx_errs = netStat(ifname, "rx_errors");
    stats->tx_drop = netStat(ifname, "rx_dropped");
    ret = 0;
 cleanup:
    qemuTuneEnd(d, false);
    return ret;
}

/* ---- bandwidth ---- */

static bool
netRateEq(const NetRate *a, const NetRate *b)
{
    return a->average == b->average && a->peak == b->peak &&
        a->burst == b->burst && a->floor == b->floor;
}

int
qemuNetUpdateBandwidth(QemuDom *d, NetDef *on, const NetDef *nn, bool live)
{
    char mac[18], ifname[32];
    int idx = -1;

    if (netRateEq(&on->inbound, &nn->inbound) &&
        netRateEq(&on->outbound, &nn->outbound))
        return 0;
    domainMacFormat(on->mac, mac);
    if (on->type != NET_TYPE_BRIDGE) {
        reportError(VIR_ERR_NO_SUPPORT, "interface bandwidth of '%s' of "
                    "domain '%s' cannot be set: an <interface type='%s'> has "
                    "no host tap to shape with tc", mac, d->def->name,
                    domainNetTypeNames[on->type]);
        return -1;
    }
    if (nn->inbound.floor) {
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "inbound floor of '%s' "
                    "needs a libvirt virtual network, which vireo does not "
                    "have", mac);
        return -1;
    }
    if (live) {
        for (size_t i = 0; i < d->def->nnets; i++)
            if (d->def->nets[i] == on)
                idx = (int)i;
        if (idx < 0) {
            reportError(VIR_ERR_INTERNAL_ERROR, "interface '%s' is not in "
                        "the live definition of domain '%s'", mac,
                        d->def->name);
            return -1;
        }
        if (netIfname(d, idx, mac, ifname) < 0 ||
            qemuNetShape(ifname, mac, &nn->inbound, &nn->outbound) < 0)
            return -1;
    }
    on->inbound = nn->inbound;
    on->outbound = nn->outbound;
    return 0;
}

/* ---- bandwidth parameters ---- */

/* Apply PARAMS to the rates IN and OUT. */
static void
netRateSet(NetRate *in, NetRate *out, virTypedParameterPtr params,
           int nparams)
{
    unsigned long long *f[NET_RATE_NFIELDS];

    netRateFields(in, out, f);
    for (int i = 0; i < NET_RATE_NFIELDS; i++) {
        unsigned int v;

        if (typedParamsGetUInt(params, nparams, netRateSpec[i].name, &v) == 1)
            *f[i] = v;
    }
    in->present = in->average != 0;
    out->present = out->average != 0;
}

static int
qemuDomainSetInterfaceParameters(virDomainPtr dom, const char *device,
                                 virTypedParameterPtr params, int nparams,
                                 unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    NetDef *ln = NULL, *cn = NULL;
    NetRate in, out;
    char ifname[32];
    int idx, ret = -1;

    if (qemuTuneCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE |
                           VIR_DOMAIN_AFFECT_CONFIG, __func__) < 0 ||
        typedParamsValidate(params, nparams, netRateSpec) < 0 ||
        !(d = qemuTuneBegin(dom, true, false)))
        return -1;
    if (qemuTuneAffect(d, flags, false, &live, &config) < 0)
        goto cleanup;
    if (typedParamsGet(params, nparams, VIR_DOMAIN_BANDWIDTH_IN_FLOOR)) {
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "inbound.floor needs a "
                    "libvirt virtual network, which vireo does not have");
        goto cleanup;
    }
    if (config) {
        if ((idx = netFind(config, device)) < 0)
            goto cleanup;
        cn = config->nets[idx];
        if (cn->type != NET_TYPE_BRIDGE) {
            reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "interface '%s' of "
                        "domain '%s' has no host tap to shape: only bridge "
                        "interfaces take <bandwidth>", device, d->def->name);
            goto cleanup;
        }
    }
    if (live) {
        if ((idx = netFind(live, device)) < 0 ||
            netIfname(d, idx, device, ifname) < 0)
            goto cleanup;
        ln = live->nets[idx];
        in = ln->inbound;
        out = ln->outbound;
        netRateSet(&in, &out, params, nparams);
        if (qemuNetShape(ifname, device, &in, &out) < 0)
            goto cleanup;
        ln->inbound = in;
        ln->outbound = out;
    }
    if (cn)
        netRateSet(&cn->inbound, &cn->outbound, params, nparams);
    ret = qemuTuneSave(d, config, live != NULL);
 cleanup:
    qemuTuneEnd(d, true);
    return ret;
}

static int
qemuDomainGetInterfaceParameters(virDomainPtr dom, const char *device,
                                 virTypedParameterPtr params, int *nparams,
                                 unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    virTypedParameterPtr list = NULL;
    NetRate in, out;
    unsigned long long *f[NET_RATE_NFIELDS], *k[NET_RATE_NFIELDS];
    char ifname[32];
    NetDef *net;
    int idx, n = 0, max = 0, ret = -1;

    if (qemuTuneCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE |
                           VIR_DOMAIN_AFFECT_CONFIG |
                           VIR_TYPED_PARAM_STRING_OKAY, __func__) < 0 ||
        !(d = qemuTuneBegin(dom, false, false)))
        return -1;
    if (qemuTuneAffect(d, qemuTuneGetAffect(flags), true, &live,
                       &config) < 0 ||
        (idx = netFind(live ? live : config, device)) < 0)
        goto cleanup;
    net = (live ? live : config)->nets[idx];
    netRateFields(&net->inbound, &net->outbound, f);
    if (live && net->type != NET_TYPE_USER) {
        /* what the kernel enforces; peak and burst (which tc always has)
         * only where they were asked for, as 0 means "not set" */
        if (netIfname(d, idx, device, ifname) < 0 ||
            netShapeRead(ifname, device, &in, &out) < 0)
            goto cleanup;
        in.floor = net->inbound.floor;
        netRateFields(&in, &out, k);
        for (int i = 0; i < NET_RATE_NFIELDS; i++)
            if (i == 0 || i == 3 || i == 4 || *f[i])
                f[i] = k[i];
    }
    for (int i = 0; i < NET_RATE_NFIELDS; i++)
        typedParamsAddUInt(&list, &n, &max, netRateSpec[i].name, *f[i]);
    ret = typedParamsFillOut(params, nparams, list, n);
 cleanup:
    typedParamsFree(list, n);
    qemuTuneEnd(d, false);
    return ret;
}

void
qemuNetFill(Driver *drv)
{
    drv->domainInterfaceStats = qemuDomainInterfaceStats;
    drv->domainGetInterfaceParameters = qemuDomainGetInterfaceParameters;
    drv->domainSetInterfaceParameters = qemuDomainSetInterfaceParameters;
}
