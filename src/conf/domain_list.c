/* domain_list.c: which domains a virConnectListAllDomains filter selects */
#include "domain_list.h"

#include <libvirt/libvirt.h>

/* The pair YES/NO of FLAGS accepts VALUE. */
static bool
domainListPair(unsigned int flags, unsigned int yes, unsigned int no,
               bool value)
{
    if (!(flags & yes) == !(flags & no))
        return true;
    return (flags & yes) ? value : !value;
}

bool
domainListMatches(const DomainListInfo *info, unsigned int flags)
{
    unsigned int want;

    if (!domainListPair(flags, VIR_CONNECT_LIST_DOMAINS_ACTIVE,
                        VIR_CONNECT_LIST_DOMAINS_INACTIVE, info->active) ||
        !domainListPair(flags, VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
                        VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
                        info->persistent) ||
        !domainListPair(flags, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE,
                        VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE,
                        info->managedSave) ||
        !domainListPair(flags, VIR_CONNECT_LIST_DOMAINS_AUTOSTART,
                        VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART,
                        info->autostart) ||
        !domainListPair(flags, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT,
                        VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT,
                        info->hasSnapshot) ||
        !domainListPair(flags, VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT,
                        VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT,
                        info->hasCheckpoint))
        return false;
    if (!(flags & (VIR_CONNECT_LIST_DOMAINS_RUNNING |
                   VIR_CONNECT_LIST_DOMAINS_PAUSED |
                   VIR_CONNECT_LIST_DOMAINS_SHUTOFF |
                   VIR_CONNECT_LIST_DOMAINS_OTHER)))
        return true;
    switch (info->state) {
    case VIR_DOMAIN_RUNNING:
        want = VIR_CONNECT_LIST_DOMAINS_RUNNING;
        break;
    case VIR_DOMAIN_PAUSED:
        want = VIR_CONNECT_LIST_DOMAINS_PAUSED;
        break;
    case VIR_DOMAIN_SHUTOFF:
        want = VIR_CONNECT_LIST_DOMAINS_SHUTOFF;
        break;
    default:
        want = VIR_CONNECT_LIST_DOMAINS_OTHER;
        break;
    }
    return flags & want;
}

bool
domainListSnapshotMatches(const SnapshotListInfo *info, unsigned int flags)
{
    unsigned int kinds = flags & (VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE |
                                  VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE |
                                  VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY);
    unsigned int loc = flags & (VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL |
                                VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL);
    unsigned int mine;

    if (!domainListPair(flags, VIR_DOMAIN_SNAPSHOT_LIST_LEAVES,
                        VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES, info->leaf) ||
        !domainListPair(flags, VIR_DOMAIN_SNAPSHOT_LIST_METADATA,
                        VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA,
                        info->hasMetadata))
        return false;
    mine = info->diskOnly ? VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY :
           info->shutoff ? VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE :
                           VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE;
    if (kinds && !(kinds & mine))
        return false;
    mine = info->external ? VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL
                          : VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL;
    return !loc || (loc & mine);
}
