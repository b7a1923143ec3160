/* qemu_net.h: the host side of the QEMU driver's network interfaces (tap
 * devices made by vireo, tc shaping) as the start, hotplug and tune code
 * use it */
#pragma once

#include "qemu_priv.h"

#include <stdbool.h>

/* Whether vireo makes the tap of bridge interfaces itself (as root); when
 * not, QEMU runs qemu-bridge-helper. */
bool qemuNetOwnsTaps(void);
/* For a bridge interface NET of domain DOMNAME: create its tap (named by
 * <target dev> unless that is missing or auto-generated, else vnetN),
 * enslave it to the bridge, set its host MAC, bring it up and apply
 * NET's <bandwidth>. The tap is not persistent: it goes away when the
 * last descriptor closes (QEMU exits or drops the netdev). Stores the name
 * into NET->ifname and the descriptor (caller closes) into *FD. *FD is -1
 * and nothing is done for other types or when !qemuNetOwnsTaps(). 0 or -1
 * with an error. */
int qemuNetTapCreate(const char *domName, NetDef *net, int *fd);
/* qemuNetTapCreate for every interface of the live definition LIVE: *FDS
 * gets an array of LIVE->nnets descriptors (-1 where none; free with
 * qemuNetFdsClose). 0 or -1 (nothing left open). */
int qemuNetPrepare(DomainDef *live, int **fds);
void qemuNetFdsClose(int *fds, size_t n);
/* Name prefix of the ifb devices that shape what guests send. */
#define QEMU_NET_IFB_PREFIX "vireo-ifb"

/* Remove the ifb devices whose tap is gone (logs failures). */
void qemuNetIfbSweep(void);
/* Shape the host device IFNAME of interface DEV to IN (host to guest)
 * and OUT (guest to host, through an ifb device); a zero average removes
 * that direction. Rates in tc's kbps (1000 bytes/s), bursts in KiB, as
 * libvirt hands them to tc. 0 or -1 with an error. */
int qemuNetShape(const char *ifname, const char *dev, const NetRate *in,
                 const NetRate *out);
/* Make the <bandwidth> of interface ON of D (running when LIVE, then ON is
 * in its live definition) that of NN, shaping the host tap when LIVE (lock
 * held). NO_SUPPORT for an interface without a host tap. 0 or -1. */
int qemuNetUpdateBandwidth(QemuDom *d, NetDef *on, const NetDef *nn,
                           bool live);
/* Fill the interface slots (statistics, bandwidth parameters). */
void qemuNetFill(Driver *drv);
