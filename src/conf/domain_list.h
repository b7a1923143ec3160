/* domain_list.h: which domains a virConnectListAllDomains filter selects */
#pragma once

#include <stdbool.h>

/* What a filter looks at, as a driver knows it about one domain. */
typedef struct {
    bool active;
    bool persistent;
    bool autostart;
    bool managedSave;
    bool hasSnapshot;
    bool hasCheckpoint;
    int state;                  /* virDomainState */
} DomainListInfo;

/* Every VIR_CONNECT_LIST_DOMAINS_* flag. */
#define DOMAIN_LIST_FLAGS 0xffffu

/* True when a domain described by INFO passes the VIR_CONNECT_LIST_DOMAINS_*
 * filter FLAGS: each pair of opposite flags (active/inactive, ...) keeps the
 * domain when neither or both are given or the one given matches; the state
 * flags keep it when none is given or one names its state. */
bool domainListMatches(const DomainListInfo *info, unsigned int flags);

/* What a VIR_DOMAIN_SNAPSHOT_LIST_* filter looks at in one snapshot. */
typedef struct {
    bool leaf;                  /* no children */
    bool external;
    bool hasMetadata;
    bool diskOnly;              /* state disk-snapshot */
    bool shutoff;               /* taken of a shut-off domain */
} SnapshotListInfo;

/* True when a snapshot described by INFO passes the VIR_DOMAIN_SNAPSHOT_
 * LIST_* filters of FLAGS (leaves, metadata, kinds, location). */
bool domainListSnapshotMatches(const SnapshotListInfo *info,
                               unsigned int flags);
