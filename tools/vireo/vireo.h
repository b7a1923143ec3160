/* vireo.h: shared types of the vireo CLI: the command table and its context */
#ifndef VIREO_CLI_H
#define VIREO_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#ifndef VIREO_VERSION
# define VIREO_VERSION "0.1.0"
#endif

/* Exit statuses: success, a failed operation, a command line we reject. */
enum {
    EXIT_OK = 0,
    EXIT_FAIL = 1,
    EXIT_USAGE = 2,
};

typedef enum {
    OPT_BOOL,       /* --name */
    OPT_STRING,     /* --name VALUE, --name=VALUE, or positional */
    OPT_INT,        /* like OPT_STRING, checked to be a non-negative int */
} OptType;

/* Option flags. */
enum {
    OPT_REQUIRED = 1 << 0,      /* must be given */
    OPT_POSITIONAL = 1 << 1,    /* may be given without its --name */
};

typedef struct {
    const char *name;           /* long name without the leading dashes */
    OptType type;
    unsigned int flags;
    const char *metavar;        /* shown for a value: FILE, URI, ... */
    const char *help;
} CmdOpt;

/* Command flags. */
enum {
    CMD_DOMAIN = 1 << 0,        /* takes <domain>, looked up before the call */
    CMD_QUERY = 1 << 1,         /* changes nothing; accepts --json */
    CMD_NOCONNECT = 1 << 2,     /* runs without a connection */
    CMD_HIDDEN = 1 << 3,        /* internal: not in help or the man page;
                                   gets its words unparsed */
};

#define CMD_MAX_OPTS 24

typedef struct Ctx Ctx;
typedef struct Cmd Cmd;

typedef int (*CmdHandler)(Ctx *ctx);

struct Cmd {
    const char *name;
    const char *group;          /* heading in help and the man page */
    CmdHandler handler;
    const CmdOpt *opts;         /* terminated by an entry with a NULL name */
    unsigned int flags;
    const char *summary;        /* one line, for the command list */
    const char *desc;           /* a paragraph, for help CMD and the man page */
};

/* Everything a command handler needs: the connection (opened on first use),
 * the parsed options and, for CMD_DOMAIN commands, the domain. */
struct Ctx {
    const char *uri;            /* NULL: the default */
    bool readonly;
    bool quiet;
    virConnectPtr conn;

    const Cmd *cmd;
    const CmdOpt *specs[CMD_MAX_OPTS];  /* implicit options first */
    const char *values[CMD_MAX_OPTS];   /* NULL when not given */
    size_t nspecs;

    virDomainPtr dom;
    bool json;
    bool defaultURI;            /* the URI came from mainDefaultURI */
    char **words;               /* a hidden command's words */
    size_t nwords;
};

/* main.c */
int mainConnect(Ctx *ctx);
char *mainDefaultURI(void);

/* cmdtab.c */
extern const Cmd cmdtabCommands[];
const Cmd *cmdtabFind(const char *name);
void cmdtabUsage(FILE *fp, const Cmd *cmd);
int cmdtabParse(Ctx *ctx, const Cmd *cmd, char **argv, size_t argc);
bool cmdtabBool(const Ctx *ctx, const char *name);
const char *cmdtabString(const Ctx *ctx, const char *name);
int cmdtabInt(const Ctx *ctx, const char *name, int *value);
int cmdtabHelp(Ctx *ctx);
int cmdtabComplete(Ctx *ctx);
int cmdtabMan(Ctx *ctx);

/* errors.c */
void errorsReport(void);
void errorsPrintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
int errorsUsage(const Cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* output.c */
typedef struct OutputTable OutputTable;
OutputTable *outputTableNew(size_t ncols, const char *const *headers);
void outputTableAdd(OutputTable *t, const char *const *cells);
void outputTablePrint(const OutputTable *t);
void outputTableFree(OutputTable *t);
void outputField(int width, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int outputJSON(json_object *obj);
void outputDone(const Ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* state.c */
const char *stateName(int state);
const char *stateJSONName(int state);
const char *stateReasonName(int state, int reason);
const char *stateReasonJSONName(int state, int reason);

/* lookup.c */
virDomainPtr lookupDomain(virConnectPtr conn, const char *arg);

/* file.c */
char *fileRead(const char *path);
char *fileWriteTemp(const char *content);

/* progress.c */
typedef struct Progress Progress;
Progress *progressStart(const Ctx *ctx, const char *what);
void progressStop(Progress *p);

/* console.c */
int consoleAttach(virDomainPtr dom, const char *devname, unsigned int flags);
int consoleCommand(Ctx *ctx);

/* lifecycle.c */
int lifecycleDefine(Ctx *ctx);
int lifecycleUndefine(Ctx *ctx);
int lifecycleCreate(Ctx *ctx);
int lifecycleStart(Ctx *ctx);
int lifecycleDestroy(Ctx *ctx);
int lifecycleShutdown(Ctx *ctx);
int lifecycleReboot(Ctx *ctx);
int lifecycleReset(Ctx *ctx);
int lifecycleSuspend(Ctx *ctx);
int lifecycleResume(Ctx *ctx);
int lifecycleAutostart(Ctx *ctx);

/* query.c */
int queryList(Ctx *ctx);
int queryDominfo(Ctx *ctx);
int queryDomstate(Ctx *ctx);
int queryDomid(Ctx *ctx);
int queryDomname(Ctx *ctx);
int queryDomuuid(Ctx *ctx);
int queryDumpxml(Ctx *ctx);

/* edit.c */
int editCommand(Ctx *ctx);

/* host.c */
int hostVersion(Ctx *ctx);
int hostURI(Ctx *ctx);
int hostHostname(Ctx *ctx);
int hostNodeinfo(Ctx *ctx);
int hostCapabilities(Ctx *ctx);

#endif /* VIREO_CLI_H */
