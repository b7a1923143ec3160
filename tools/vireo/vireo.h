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
    OPT_ULL,        /* like OPT_STRING, checked to be an unsigned 64-bit
                       number */
} OptType;

/* Option flags. */
enum {
    OPT_REQUIRED = 1 << 0,      /* must be given */
    OPT_POSITIONAL = 1 << 1,    /* may be given without its --name */
    OPT_MULTI = 1 << 2,         /* positional taking every remaining word
                                   (Ctx.multi) */
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

#define CMD_MAX_OPTS 40
#define CMD_MAX_MULTI 32

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
    const char *multi[CMD_MAX_MULTI];   /* the words of an OPT_MULTI */
    size_t nmulti;

    virDomainPtr dom;
    bool json;
    bool defaultURI;            /* the URI came from mainDefaultURI */
    char **words;               /* a hidden command's words */
    size_t nwords;
};

/* main.c */
int mainConnect(Ctx *ctx);
char *mainDefaultURI(void);

/* Command groups: headings in help and the man page, in this order. */
#define G_LIFE "Domain management"
#define G_MON "Domain monitoring"
#define G_SAVE "Saving and dumping"
#define G_SNAP "Snapshots"
#define G_BLOCK "Block devices and jobs"
#define G_STATS "Statistics"
#define G_TUNE "Resources and tuning"
#define G_GUEST "Guest interaction"
#define G_HOST "Host and connection"
#define G_OTHER "Other"

/* The --config, --live, --current options of commands that change the
 * persistent or live definition (see argsAffect). */
#define OPTS_AFFECT \
    { "config", OPT_BOOL, 0, NULL, "affect the persistent definition" }, \
    { "live", OPT_BOOL, 0, NULL, "affect the running domain" }, \
    { "current", OPT_BOOL, 0, NULL, \
      "affect the running domain if it runs, else the persistent " \
      "definition (the default)" }

/* cmdtab.c */
const Cmd *cmdtabFind(const char *name);
const Cmd *cmdtabNext(const Cmd *cmd);
void cmdtabUsage(FILE *fp, const Cmd *cmd);
int cmdtabParse(Ctx *ctx, const Cmd *cmd, char **argv, size_t argc);
bool cmdtabBool(const Ctx *ctx, const char *name);
const char *cmdtabString(const Ctx *ctx, const char *name);
int cmdtabInt(const Ctx *ctx, const char *name, int *value);
int cmdtabULL(const Ctx *ctx, const char *name, unsigned long long *value);
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
void outputSize(char *buf, size_t len, unsigned long long bytes);

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

/* args.c: option values beyond cmdtab's types */
typedef struct {
    const char *opt;
    unsigned int flag;
} OptFlag;
unsigned int argsFlags(const Ctx *ctx, const OptFlag *table, size_t n);
#define ARGS_FLAGS(ctx, table) \
    argsFlags(ctx, table, sizeof(table) / sizeof(table[0]))
int argsAffect(const Ctx *ctx, unsigned int *flags);
int argsScaled(const Ctx *ctx, const char *name, unsigned long long unit,
               unsigned long long *value);
int argsParseScaled(const char *s, unsigned long long unit,
                    unsigned long long *value);
int argsCpumap(const Ctx *ctx, const char *list, int maxcpus,
               unsigned char **cpumap, int *maplen);
char *argsCpumapFormat(const unsigned char *cpumap, int maplen, int maxcpus);
int argsMaxCPUs(const Ctx *ctx);
int argsNeedOne(const Ctx *ctx, const char *const *names, size_t n);
int argsExclusive(const Ctx *ctx, const char *a, const char *b);
json_object *argsStringJSON(const char *s);
int argsFail(void);

/* domxml.c */
int domxmlList(virDomainPtr dom, unsigned int flags, const char *element,
               const char *child, const char *attr, char ***names);
void domxmlFree(char **names);

/* params.c: typed parameters as text and JSON */
char *paramsValue(const virTypedParameter *param);
void paramsPrint(const virTypedParameter *params, int n, int width);
json_object *paramsJSON(const virTypedParameter *params, int n);
json_object *paramsValueJSON(const virTypedParameter *param);
char *paramsJSONKey(const char *field);
int paramsAddString(const Ctx *ctx, virTypedParameterPtr *params, int *n,
                    int *max, const char *field, int type, const char *value);

/* progress.c (continued): progress bars */
Progress *progressStartJob(const Ctx *ctx, const char *what,
                           virDomainPtr dom);
bool progressWanted(const Ctx *ctx);
void progressBar(const char *label, unsigned long long cur,
                 unsigned long long end);
void progressBarDone(void);

/* the second wave of commands, one table a file */
extern const Cmd cmdtabCoreCommands[];
extern const Cmd saveCommands[];
extern const Cmd snapshotCommands[];
extern const Cmd blockCommands[];
extern const Cmd statsCommands[];
extern const Cmd tuneCommands[];
extern const Cmd vcpuCommands[];
extern const Cmd guestCommands[];
extern const Cmd deviceCommands[];

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
