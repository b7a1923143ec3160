/* state.c: names of domain states and of the reasons for them */
#include "vireo.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Human names follow virsh; JSON names are stable lowercase tokens. */
static const char *const stateHuman[] = {
    "no state", "running", "idle", "paused", "in shutdown", "shut off",
    "crashed", "pmsuspended",
};

static const char *const stateJSON[] = {
    "nostate", "running", "blocked", "paused", "shutdown", "shutoff",
    "crashed", "pmsuspended",
};

typedef struct {
    const char *human;
    const char *json;
} Reason;

static const Reason reasonUnknown[] = {
    { "unknown", "unknown" },
};

static const Reason reasonRunning[] = {
    { "unknown", "unknown" },
    { "booted", "booted" },
    { "migrated", "migrated" },
    { "restored", "restored" },
    { "from snapshot", "from_snapshot" },
    { "unpaused", "unpaused" },
    { "migration canceled", "migration_canceled" },
    { "save canceled", "save_canceled" },
    { "event wakeup", "wakeup" },
    { "crashed", "crashed" },
    { "post-copy", "postcopy" },
    { "post-copy failed", "postcopy_failed" },
};

static const Reason reasonPaused[] = {
    { "unknown", "unknown" },
    { "user", "user" },
    { "migrating", "migration" },
    { "saving", "save" },
    { "dumping", "dump" },
    { "I/O error", "ioerror" },
    { "watchdog", "watchdog" },
    { "from snapshot", "from_snapshot" },
    { "shutting down", "shutting_down" },
    { "creating snapshot", "snapshot" },
    { "crashed", "crashed" },
    { "starting up", "starting_up" },
    { "post-copy", "postcopy" },
    { "post-copy failed", "postcopy_failed" },
};

static const Reason reasonShutdown[] = {
    { "unknown", "unknown" },
    { "user", "user" },
};

static const Reason reasonShutoff[] = {
    { "unknown", "unknown" },
    { "shutdown", "shutdown" },
    { "destroyed", "destroyed" },
    { "crashed", "crashed" },
    { "migrated", "migrated" },
    { "saved", "saved" },
    { "failed", "failed" },
    { "from snapshot", "from_snapshot" },
    { "daemon", "daemon" },
};

static const Reason reasonCrashed[] = {
    { "unknown", "unknown" },
    { "panicked", "panicked" },
};

static const Reason *
stateReason(int state, int reason)
{
    const Reason *tab = reasonUnknown;
    int n = 1;

    switch (state) {
    case VIR_DOMAIN_RUNNING:
        tab = reasonRunning;
        n = N(reasonRunning);
        break;
    case VIR_DOMAIN_PAUSED:
        tab = reasonPaused;
        n = N(reasonPaused);
        break;
    case VIR_DOMAIN_SHUTDOWN:
        tab = reasonShutdown;
        n = N(reasonShutdown);
        break;
    case VIR_DOMAIN_SHUTOFF:
        tab = reasonShutoff;
        n = N(reasonShutoff);
        break;
    case VIR_DOMAIN_CRASHED:
        tab = reasonCrashed;
        n = N(reasonCrashed);
        break;
    default:
        break;
    }
    return reason >= 0 && reason < n ? &tab[reason] : &reasonUnknown[0];
}

const char *
stateName(int state)
{
    return state >= 0 && state < N(stateHuman) ? stateHuman[state]
                                                : "unknown";
}

const char *
stateJSONName(int state)
{
    return state >= 0 && state < N(stateJSON) ? stateJSON[state] : "unknown";
}

const char *
stateReasonName(int state, int reason)
{
    return stateReason(state, reason)->human;
}

const char *
stateReasonJSONName(int state, int reason)
{
    return stateReason(state, reason)->json;
}
