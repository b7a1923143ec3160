/* test-qmp.c: the QMP client and command wrappers against the fake monitor */
#include "qmp.h"
#include "qmp_commands.h"
#include "fakemon.h"

#include "alloc.h"
#include "error.h"
#include "../tap.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef QAPI_SCHEMA
# define QAPI_SCHEMA "tests/qemu/data/qapi-schema.json"
#endif

/* Generous: the machine may be loaded. */
#define WAIT_MS 30000

/* ---- helpers --------------------------------------------------------- */

/* Test JSON is written with single quotes; make it JSON. The copies live
 * until the end of the run. */
static char **quoted;
static size_t nquoted;
static size_t capQuoted;

static const char *
J(const char *s)
{
    char *copy;
    char *p;

    if (!s)
        return NULL;
    copy = allocStrdup(s);
    for (p = copy; *p; p++) {
        if (*p == '\'')
            *p = '"';
    }
    allocGrow(&quoted, &capQuoted, nquoted, sizeof(char *));
    quoted[nquoted++] = copy;
    return copy;
}

static void
quotedFree(void)
{
    size_t i;

    for (i = 0; i < nquoted; i++)
        free(quoted[i]);
    free(quoted);
}

/* Events seen by the callback. */
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    json_object *events;        /* array of the raw events */
    int eofs;
    bool closeOnEof;            /* qmpClose from the callback */
    bool tryCommand;            /* run a command from the callback */
    int commandRc;
    int commandCode;
} EventLog;

static void
eventLogInit(EventLog *log)
{
    memset(log, 0, sizeof(*log));
    pthread_mutex_init(&log->lock, NULL);
    pthread_cond_init(&log->cond, NULL);
    log->events = json_object_new_array();
}

static void
eventLogClear(EventLog *log)
{
    json_object_put(log->events);
    pthread_mutex_destroy(&log->lock);
    pthread_cond_destroy(&log->cond);
}

static void
onEvent(Qmp *mon, const QmpEvent *ev, void *opaque)
{
    EventLog *log = opaque;
    json_object *copy = NULL;

    if (log->tryCommand && strcmp(ev->name, "STOP") == 0) {
        json_object *cmd = qmpCommandNew("cont", NULL);

        log->commandRc = qmpCommandRun(mon, cmd, NULL, 1000);
        log->commandCode = errorLast()->code;
        json_object_put(cmd);
    }
    /* LOG may be gone once the lock is released: close first */
    if (log->closeOnEof && strcmp(ev->name, QMP_EVENT_EOF) == 0)
        qmpClose(mon);
    /* json-c reference counts are not atomic: keep our own copy */
    if (json_object_deep_copy(ev->raw, &copy, NULL) < 0)
        abort();
    pthread_mutex_lock(&log->lock);
    json_object_array_add(log->events, copy);
    if (strcmp(ev->name, QMP_EVENT_EOF) == 0)
        log->eofs++;
    pthread_cond_broadcast(&log->cond);
    pthread_mutex_unlock(&log->lock);
}

/* Wait until LOG holds at least N events. */
static size_t
eventLogWait(EventLog *log, size_t n)
{
    struct timespec ts;
    size_t got;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += WAIT_MS / 1000;
    pthread_mutex_lock(&log->lock);
    while (json_object_array_length(log->events) < n &&
           pthread_cond_timedwait(&log->cond, &log->lock, &ts) == 0)
        ;
    got = json_object_array_length(log->events);
    pthread_mutex_unlock(&log->lock);
    return got;
}

static const char *
eventName(EventLog *log, size_t i)
{
    json_object *ev = json_object_array_get_idx(log->events, i);
    json_object *name;

    if (!ev || !json_object_object_get_ex(ev, "event", &name))
        return NULL;
    return json_object_get_string(name);
}

/* Start FM and open a monitor on CLIENTFD. */
static Qmp *
startMon(FakeMon *fm, int clientFd, EventLog *log)
{
    Qmp *mon;

    fakeMonStart(fm);
    mon = qmpOpenFd(clientFd, WAIT_MS, onEvent, log);
    TAP_OK(mon != NULL, "monitor opened%s%s", mon ? "" : ": ",
           mon ? "" : errorLast()->message);
    return mon;
}

static void
finishMon(FakeMon *fm, Qmp *mon, const char *what)
{
    qmpClose(mon);
    TAP_INT(fakeMonFinish(fm), 0, "%s: fake monitor saw the script", what);
    fakeMonFree(fm);
}

/* Check that the last call failed with CODE and a message containing
 * MSG (may be NULL). */
static void
checkError(int rc, int code, const char *msg, const char *what)
{
    virErrorPtr err = errorLast();

    TAP_INT(rc, -1, "%s fails", what);
    TAP_INT(err->code, code, "%s: error code", what);
    TAP_INT(err->domain, VIR_FROM_QEMU, "%s: error domain", what);
    if (msg && !TAP_OK(err->message && strstr(err->message, msg),
                       "%s: message has '%s'", what, msg))
        printf("#   message: %s\n", err->message ? err->message : "(none)");
    errorReset();
}

static void
checkJson(json_object *got, const char *want, const char *what)
{
    json_object *w = json_tokener_parse(J(want));
    const char *g = got ? json_object_to_json_string_ext(
                              got, JSON_C_TO_STRING_PLAIN |
                              JSON_C_TO_STRING_NOSLASHESCAPE) : "(null)";

    if (!TAP_OK(w && got && json_object_equal(got, w), "%s", what))
        printf("#   got %s\n#   want %s\n", g, J(want));
    json_object_put(w);
}

/* ---- the client ------------------------------------------------------ */

static void
testCommandNew(void)
{
    json_object *cmd;
    json_object *obj = json_object_new_object();

    json_object_object_add(obj, "k", json_object_new_int(1));
    cmd = qmpCommandNew("x",
                        "s:str", "v", "S:skipped", NULL, "S:kept", "w",
                        "i:int", -3, "I:ll", -5000000000LL,
                        "n:negskip", -1LL, "n:neg0", 0LL,
                        "U:big", 18446744073709551615ULL,
                        "Z:zero", 0ULL, "Z:nonzero", 7ULL,
                        "b:t", true, "b:f", false,
                        "B:tri", -1, "B:tri1", 1,
                        "j:obj", obj, "J:nothing", NULL,
                        NULL);
    checkJson(cmd, "{'execute': 'x', 'arguments': {'str': 'v', 'kept': 'w', "
              "'int': -3, 'll': -5000000000, 'neg0': 0, "
              "'big': 18446744073709551615, 'nonzero': 7, 't': true, "
              "'f': false, 'tri1': true, 'obj': {'k': 1}}}",
              "qmpCommandNew: every key type");
    json_object_put(cmd);

    cmd = qmpCommandNew("query-status", NULL);
    checkJson(cmd, "{'execute': 'query-status'}",
              "qmpCommandNew: no arguments member when none");
    TAP_STR(qmpCommandName(cmd), "query-status", "qmpCommandName");
    json_object_put(cmd);

    obj = json_object_new_object();
    cmd = qmpCommandNew("x", "s:a", NULL, "j:o", obj, NULL);
    TAP_OK(cmd == NULL, "qmpCommandNew: NULL required string fails");
    checkError(-1, VIR_ERR_INTERNAL_ERROR, "missing value of 'a'",
               "qmpCommandNew NULL string");

    cmd = qmpCommandNew("x", "q:a", 1, NULL);
    TAP_OK(cmd == NULL, "qmpCommandNew: unknown key type fails");
    checkError(-1, VIR_ERR_INTERNAL_ERROR, "bad argument key 'q:a'",
               "qmpCommandNew bad key");
}

static void
testGetters(void)
{
    json_object *o = json_tokener_parse(J(
        "{'s': 'x', 'i': -4, 'u': 18446744073709551615, 'b': true, "
        "'n': 1.5, 'o': {}, 'a': [], 'z': null}"));
    const char *s = NULL;
    long long i = 0;
    unsigned long long u = 0;
    bool b = false;
    double d = 0;
    json_object *v = NULL;

    TAP_OK(qmpReplyGetString(o, "c", "s", &s) == 0 && strcmp(s, "x") == 0,
           "qmpReplyGetString");
    TAP_OK(qmpReplyGetInt(o, "c", "i", &i) == 0 && i == -4, "qmpReplyGetInt");
    TAP_OK(qmpReplyGetUint(o, "c", "u", &u) == 0 &&
           u == 18446744073709551615ULL, "qmpReplyGetUint");
    TAP_OK(qmpReplyGetBool(o, "c", "b", &b) == 0 && b, "qmpReplyGetBool");
    TAP_OK(qmpReplyGetNumber(o, "c", "n", &d) == 0 && d == 1.5,
           "qmpReplyGetNumber");
    TAP_OK(qmpReplyGetNumber(o, "c", "i", &d) == 0 && d == -4,
           "qmpReplyGetNumber takes an integer");
    TAP_OK(qmpReplyGetObject(o, "c", "o", &v) == 0 && v, "qmpReplyGetObject");
    TAP_OK(qmpReplyGetArray(o, "c", "a", &v) == 0 && v, "qmpReplyGetArray");
    s = "keep";
    TAP_OK(qmpReplyGetOptString(o, "c", "missing", &s) == 0 &&
           strcmp(s, "keep") == 0, "qmpReplyGetOptString absent");
    TAP_OK(qmpReplyGetOptString(o, "c", "z", &s) == 0 &&
           strcmp(s, "keep") == 0, "qmpReplyGetOptString null");
    i = 9;
    TAP_OK(qmpReplyGetOptInt(o, "c", "missing", &i) == 0 && i == 9,
           "qmpReplyGetOptInt absent");

    checkError(qmpReplyGetString(o, "cmd", "missing", &s),
               VIR_ERR_INTERNAL_ERROR,
               "malformed reply to 'cmd': missing 'missing'", "missing field");
    checkError(qmpReplyGetInt(o, "cmd", "s", &i), VIR_ERR_INTERNAL_ERROR,
               "malformed reply to 'cmd': 's' is not an integer",
               "wrong type");
    checkError(qmpReplyGetInt(o, "cmd", "u", &i), VIR_ERR_INTERNAL_ERROR,
               "out of range", "int out of range");
    checkError(qmpReplyGetUint(o, "cmd", "i", &u), VIR_ERR_INTERNAL_ERROR,
               "'i' is negative", "negative unsigned");
    checkError(qmpReplyGetOptBool(o, "cmd", "s", &b), VIR_ERR_INTERNAL_ERROR,
               "'s' is not a boolean", "optional of the wrong type");
    checkError(qmpReplyReturn(o, "cmd", json_type_object) ? 0 : -1,
               VIR_ERR_INTERNAL_ERROR, "missing 'return'", "no return");
    json_object_put(o);
}

static void
testEventParse(void)
{
    json_object *raw = json_tokener_parse(J(
        "{'event': 'SHUTDOWN', 'data': {'guest': true, 'reason': "
        "'guest-shutdown'}, 'timestamp': {'seconds': 1700000000, "
        "'microseconds': 12}}"));
    QmpEvent ev;

    TAP_INT(qmpEventParse(raw, &ev), 0, "qmpEventParse");
    TAP_STR(ev.name, "SHUTDOWN", "event name");
    TAP_INT(ev.seconds, 1700000000, "event seconds");
    TAP_INT(ev.microseconds, 12, "event microseconds");
    TAP_OK(ev.data && json_object_object_get_ex(ev.data, "reason", NULL),
           "event data");
    json_object_put(raw);

    raw = json_tokener_parse(J("{'event': 'X', 'data': 3}"));
    checkError(qmpEventParse(raw, &ev), VIR_ERR_INTERNAL_ERROR,
               "'data' is not an object", "event with bad data");
    json_object_put(raw);
    raw = json_tokener_parse(J("{'data': {}}"));
    checkError(qmpEventParse(raw, &ev), VIR_ERR_INTERNAL_ERROR,
               "missing 'event'", "event without name");
    json_object_put(raw);
}

static void
testBasicRun(void)
{
    EventLog log;
    int fd;
    FakeMon *fm = fakeMonNew(true, &fd);
    json_object *cmd;
    json_object *reply = NULL;
    json_object *greeting;
    Qmp *mon;

    eventLogInit(&log);
    fakeMonExpect(fm, J("{'execute': 'query-name'}"),
                  J("{'return': {'name': 'vm1'}}"));
    fakeMonExpect(fm, J("{'execute': 'stop'}"),
                  J("{'error': {'class': 'GenericError', "
                    "'desc': 'cannot stop now'}}"));
    fakeMonExpect(fm, J("{'execute': 'cont'}"), J("{'something': 1}"));
    /* replies with unknown ids or none are dropped */
    fakeMonExpect(fm, J("{'execute': 'query-kvm'}"), NULL);
    fakeMonSend(fm, J("{'return': {}, 'id': 99999}"));
    fakeMonSend(fm, J("{'return': {}}"));
    fakeMonReply(fm, J("{'return': {'enabled': false, 'present': true}}"));
    if (!(mon = startMon(fm, fd, &log)))
        goto cleanup;

    greeting = qmpGetGreeting(mon);
    TAP_OK(greeting && json_object_object_get_ex(greeting, "QMP", NULL),
           "greeting kept");

    cmd = qmpCommandNew("query-name", NULL);
    TAP_INT(qmpCommandRun(mon, cmd, &reply, 0), 0, "command runs");
    checkJson(reply, "{'return': {'name': 'vm1'}, 'id': 2}",
              "whole reply returned, with our id");
    json_object_put(reply);
    json_object_put(cmd);

    cmd = qmpCommandNew("stop", NULL);
    checkError(qmpCommandRun(mon, cmd, &reply, 0), VIR_ERR_OPERATION_FAILED,
               "QEMU command 'stop' failed: cannot stop now", "error reply");
    TAP_OK(reply == NULL, "no reply on error");
    json_object_put(cmd);

    cmd = qmpCommandNew("cont", NULL);
    checkError(qmpCommandRun(mon, cmd, NULL, 0), VIR_ERR_INTERNAL_ERROR,
               "malformed reply to 'cont'", "reply with neither return "
               "nor error");
    json_object_put(cmd);

    cmd = qmpCommandNew("query-kvm", NULL);
    TAP_INT(qmpCommandRun(mon, cmd, &reply, 0), 0,
            "stray replies are skipped");
    checkJson(json_object_object_get(reply, "return"),
              "{'enabled': false, 'present': true}", "the right reply");
    json_object_put(reply);
    json_object_put(cmd);

    checkError(qmpCommandRun(mon, NULL, NULL, 0), VIR_ERR_INTERNAL_ERROR,
               "no QEMU command", "NULL command");
    TAP_INT(qmpIsDead(mon), 0, "monitor alive");
    finishMon(fm, mon, "basic");
    TAP_INT(json_object_array_length(log.events), 0,
            "no event when we close");
    fm = NULL;

 cleanup:
    fakeMonFree(fm);
    eventLogClear(&log);
}

static void *
delayedStart(void *opaque)
{
    usleep(300 * 1000);
    fakeMonStart(opaque);
    return NULL;
}

static void
testOpenUnix(void)
{
    char dir[] = "/tmp/vireo-qmp-XXXXXX";
    char *path;
    FakeMon *fm;
    pthread_t thr;
    Qmp *mon;
    bool running = true;
    char *status = NULL;

    if (!mkdtemp(dir)) {
        TAP_OK(0, "mkdtemp: %s", strerror(errno));
        return;
    }
    path = allocPrintf("%s/qmp.sock", dir);

    /* the socket appears only after qmpOpen started trying */
    fm = fakeMonNewUnix(path, true);
    fakeMonExpect(fm, J("{'execute': 'query-status'}"),
                  J("{'return': {'running': false, 'singlestep': false, "
                    "'status': 'prelaunch'}}"));
    pthread_create(&thr, NULL, delayedStart, fm);
    mon = qmpOpen(path, WAIT_MS, NULL, NULL);
    TAP_OK(mon != NULL, "qmpOpen retries until the socket exists");
    pthread_join(thr, NULL);
    if (mon) {
        TAP_INT(qmpQueryStatus(mon, &running, &status), 0,
                "query-status over qmpOpen");
        TAP_OK(!running && status && strcmp(status, "prelaunch") == 0,
               "status prelaunch");
        free(status);
    }
    finishMon(fm, mon, "qmpOpen");

    mon = qmpOpen(path, 200, NULL, NULL);
    TAP_OK(mon == NULL, "qmpOpen on a missing socket gives up");
    checkError(-1, VIR_ERR_OPERATION_TIMEOUT, "within 200 ms",
               "qmpOpen timeout");
    free(path);
    rmdir(dir);
}

static void
testHandshakeFailures(void)
{
    int fd;
    FakeMon *fm;
    Qmp *mon;

    /* no greeting */
    fm = fakeMonNew(false, &fd);
    fakeMonStart(fm);
    mon = qmpOpenFd(fd, 200, NULL, NULL);
    TAP_OK(mon == NULL, "no greeting: open fails");
    checkError(-1, VIR_ERR_OPERATION_TIMEOUT, "no greeting within 200 ms",
               "no greeting");
    TAP_INT(fakeMonFinish(fm), 0, "no greeting: fake done");
    fakeMonFree(fm);

    /* capabilities refused */
    fm = fakeMonNew(false, &fd);
    fakeMonSend(fm, FAKEMON_GREETING);
    fakeMonExpect(fm, J("{'execute': 'qmp_capabilities'}"),
                  J("{'error': {'class': 'CommandNotFound', "
                    "'desc': 'nope'}}"));
    fakeMonStart(fm);
    mon = qmpOpenFd(fd, WAIT_MS, NULL, NULL);
    TAP_OK(mon == NULL, "capabilities refused: open fails");
    checkError(-1, VIR_ERR_OPERATION_FAILED,
               "QEMU command 'qmp_capabilities' failed: nope",
               "capabilities refused");
    TAP_INT(fakeMonFinish(fm), 0, "capabilities refused: fake done");
    fakeMonFree(fm);

    /* hang-up before the greeting */
    fm = fakeMonNew(false, &fd);
    fakeMonHangup(fm);
    fakeMonStart(fm);
    mon = qmpOpenFd(fd, WAIT_MS, NULL, NULL);
    TAP_OK(mon == NULL, "hang-up before greeting: open fails");
    checkError(-1, VIR_ERR_OPERATION_FAILED,
               "closed before its greeting: QEMU closed the connection",
               "hang-up before greeting");
    TAP_INT(fakeMonFinish(fm), 0, "hang-up: fake done");
    fakeMonFree(fm);
}

static void
testEvents(void)
{
    EventLog log;
    int fd;
    FakeMon *fm = fakeMonNew(true, &fd);
    Qmp *mon;
    json_object *ev;

    eventLogInit(&log);
    log.tryCommand = true;
    fakeMonSend(fm, J("{'event': 'RESUME', 'timestamp': {'seconds': 1, "
                      "'microseconds': 2}}"));
    fakeMonSend(fm, J("{'event': 'SHUTDOWN', 'data': {'guest': true, "
                      "'reason': 'guest-shutdown'}, 'timestamp': "
                      "{'seconds': 3, 'microseconds': 4}}"));
    fakeMonSend(fm, J("{'event': 'STOP', 'timestamp': {'seconds': 5, "
                      "'microseconds': 6}}"));
    if (!(mon = startMon(fm, fd, &log)))
        goto cleanup;
    TAP_INT(eventLogWait(&log, 3), 3, "events arrive with no command "
            "running");
    TAP_STR(eventName(&log, 0), "RESUME", "first event");
    TAP_STR(eventName(&log, 1), "SHUTDOWN", "second event, in order");
    ev = json_object_array_get_idx(log.events, 1);
    checkJson(json_object_object_get(ev, "data"),
              "{'guest': true, 'reason': 'guest-shutdown'}", "event data");
    TAP_STR(eventName(&log, 2), "STOP", "third event");
    TAP_INT(log.commandRc, -1, "a command from the callback is refused");
    TAP_INT(log.commandCode, VIR_ERR_INTERNAL_ERROR,
            "... with an internal error");
    finishMon(fm, mon, "events");
    fm = NULL;

 cleanup:
    fakeMonFree(fm);
    eventLogClear(&log);
}

typedef struct {
    Qmp *mon;
    const char *name;
    int rc;
    int code;
    char *msg;
    json_object *reply;
} Runner;

static void *
runnerThread(void *opaque)
{
    Runner *r = opaque;
    json_object *cmd = qmpCommandNew(r->name, NULL);

    r->rc = qmpCommandRun(r->mon, cmd, &r->reply, WAIT_MS);
    r->code = errorLast()->code;
    r->msg = allocStrdup(errorLast()->message);
    json_object_put(cmd);
    return NULL;
}

static void
testConcurrent(void)
{
    EventLog log;
    int fd;
    FakeMon *fm = fakeMonNew(true, &fd);
    const char *cmds[3] = {
        J("{'execute': 'query-name'}"),
        J("{'execute': 'query-kvm'}"),
        J("{'execute': 'query-uuid'}"),
    };
    const char *replies[3] = {
        J("{'return': {'name': 'A'}}"),
        J("{'return': {'enabled': true, 'present': true}}"),
        J("{'return': {'UUID': 'C'}}"),
    };
    Runner r[3] = {
        { .name = "query-name" },
        { .name = "query-kvm" },
        { .name = "query-uuid" },
    };
    pthread_t thr[3];
    Qmp *mon;
    int round;
    int i;

    eventLogInit(&log);
    for (round = 0; round < 5; round++)
        fakeMonExpectUnordered(fm, 3, cmds, replies);
    if (!(mon = startMon(fm, fd, &log)))
        goto cleanup;
    for (round = 0; round < 5; round++) {
        for (i = 0; i < 3; i++) {
            r[i].mon = mon;
            pthread_create(&thr[i], NULL, runnerThread, &r[i]);
        }
        for (i = 0; i < 3; i++)
            pthread_join(thr[i], NULL);
        for (i = 0; i < 3; i++) {
            json_object *ret = json_object_object_get(r[i].reply, "return");

            TAP_INT(r[i].rc, 0, "round %d: thread %d succeeds", round, i);
            TAP_OK(ret && json_object_object_length(ret) ==
                   (i == 1 ? 2 : 1) &&
                   json_object_object_get_ex(ret, i == 0 ? "name" :
                                             i == 1 ? "enabled" : "UUID",
                                             NULL),
                   "round %d: thread %d got its own reply", round, i);
            json_object_put(r[i].reply);
            r[i].reply = NULL;
            free(r[i].msg);
            r[i].msg = NULL;
        }
    }
    finishMon(fm, mon, "concurrent");
    fm = NULL;

 cleanup:
    fakeMonFree(fm);
    eventLogClear(&log);
}

static void
testEof(bool closeOnEof)
{
    EventLog log;
    int fd;
    FakeMon *fm = fakeMonNew(true, &fd);
    Runner r[2] = { { .name = "query-status" }, { .name = "query-status" } };
    pthread_t thr[2];
    Qmp *mon;
    int i;

    eventLogInit(&log);
    log.closeOnEof = closeOnEof;
    fakeMonExpect(fm, J("{'execute': 'query-status'}"), NULL);
    fakeMonExpect(fm, J("{'execute': 'query-status'}"), NULL);
    fakeMonHangup(fm);
    if (!(mon = startMon(fm, fd, &log)))
        goto cleanup;
    for (i = 0; i < 2; i++) {
        r[i].mon = mon;
        pthread_create(&thr[i], NULL, runnerThread, &r[i]);
    }
    for (i = 0; i < 2; i++) {
        pthread_join(thr[i], NULL);
        TAP_INT(r[i].rc, -1, "EOF: waiter %d fails", i);
        TAP_INT(r[i].code, VIR_ERR_OPERATION_FAILED, "EOF: waiter %d code", i);
        TAP_OK(r[i].msg && strstr(r[i].msg, "QEMU monitor closed while "
                                  "running 'query-status': QEMU closed the "
                                  "connection"),
               "EOF: waiter %d message names the cause", i);
        if (r[i].msg)
            printf("#   %s\n", r[i].msg);
        free(r[i].msg);
    }
    TAP_INT(eventLogWait(&log, 1), 1, "EOF notified");
    TAP_STR(eventName(&log, 0), QMP_EVENT_EOF, "... as the EOF event");
    usleep(100 * 1000);
    TAP_INT(log.eofs, 1, "EOF notified once");
    if (!closeOnEof) {
        json_object *cmd = qmpCommandNew("cont", NULL);

        TAP_OK(qmpIsDead(mon), "monitor is dead");
        checkError(qmpCommandRun(mon, cmd, NULL, 0), VIR_ERR_OPERATION_FAILED,
                   "QEMU monitor is closed: QEMU closed the connection",
                   "command after EOF");
        json_object_put(cmd);
        qmpClose(mon);
    }
    TAP_INT(fakeMonFinish(fm), 0, "EOF: fake done");

 cleanup:
    fakeMonFree(fm);
    eventLogClear(&log);
}

static void
testMalformedJson(void)
{
    EventLog log;
    int fd;
    FakeMon *fm = fakeMonNew(true, &fd);
    json_object *cmd;
    Qmp *mon;

    eventLogInit(&log);
    fakeMonExpect(fm, J("{'execute': 'query-status'}"), NULL);
    fakeMonSend(fm, "{\"return\": {\"running\": tru}}");
    if (!(mon = startMon(fm, fd, &log)))
        goto cleanup;
    cmd = qmpCommandNew("query-status", NULL);
    checkError(qmpCommandRun(mon, cmd, NULL, 0), VIR_ERR_INTERNAL_ERROR,
               "QEMU sent malformed JSON", "malformed JSON");
    TAP_INT(eventLogWait(&log, 1), 1, "malformed JSON: EOF notified");
    checkError(qmpCommandRun(mon, cmd, NULL, 0), VIR_ERR_OPERATION_FAILED,
               "QEMU monitor is closed", "command after malformed JSON");
    json_object_put(cmd);
    finishMon(fm, mon, "malformed JSON");
    fm = NULL;

 cleanup:
    fakeMonFree(fm);
    eventLogClear(&log);
}

static void
testTimeout(void)
{
    EventLog log;
    int fd;
    FakeMon *fm = fakeMonNew(true, &fd);
    json_object *cmd;
    Qmp *mon;

    eventLogInit(&log);
    fakeMonExpect(fm, J("{'execute': 'stop'}"), NULL);
    fakeMonDelay(fm, 500);
    fakeMonReply(fm, J("{'return': {}}"));
    fakeMonExpect(fm, J("{'execute': 'cont'}"), J("{'return': {}}"));
    fakeMonExpect(fm, J("{'execute': 'system_reset'}"), NULL);
    fakeMonDelay(fm, 500);
    fakeMonReply(fm, J("{'return': {}}"));
    fakeMonExpect(fm, J("{'execute': 'cont'}"), J("{'return': {}}"));
    if (!(mon = startMon(fm, fd, &log)))
        goto cleanup;
    cmd = qmpCommandNew("stop", NULL);
    checkError(qmpCommandRun(mon, cmd, NULL, 100), VIR_ERR_OPERATION_TIMEOUT,
               "QEMU monitor command 'stop' timed out after 100 ms",
               "timeout");
    json_object_put(cmd);
    cmd = qmpCommandNew("cont", NULL);
    TAP_INT(qmpCommandRun(mon, cmd, NULL, WAIT_MS), 0,
            "the monitor works after a timeout (late reply dropped)");
    json_object_put(cmd);

    qmpSetTimeout(mon, 100);
    checkError(qmpSystemReset(mon), VIR_ERR_OPERATION_TIMEOUT,
               "'system_reset' timed out after 100 ms",
               "wrapper uses the monitor timeout");
    TAP_INT(qmpIsDead(mon), 0, "a timeout leaves the monitor alive");
    qmpSetTimeout(mon, WAIT_MS);
    TAP_INT(qmpCont(mon), 0, "... and usable");
    finishMon(fm, mon, "timeout");
    fm = NULL;

 cleanup:
    fakeMonFree(fm);
    eventLogClear(&log);
}

static void
testFdPassing(void)
{
    EventLog log;
    int fd;
    FakeMon *fm = fakeMonNew(true, &fd);
    int pipefd[2] = { -1, -1 };
    int got = -1;
    char buf[16] = "";
    int set = -1;
    int qfd = -1;
    Qmp *mon;

    eventLogInit(&log);
    if (pipe(pipefd) < 0)
        abort();
    fakeMonExpectFd(fm, J("{'execute': 'getfd', 'arguments': "
                          "{'fdname': 'migrate'}}"),
                    J("{'return': {}}"));
    if (!(mon = startMon(fm, fd, &log)))
        goto cleanup;
    TAP_INT(qmpGetfd(mon, "migrate", pipefd[1]), 0, "getfd with a fd");
    got = fakeMonTakeFd(fm);
    TAP_OK(got >= 0, "the fake monitor received a descriptor");
    if (got >= 0) {
        TAP_INT(write(got, "hello", 5), 5, "write into the received fd");
        TAP_INT(read(pipefd[0], buf, sizeof(buf) - 1), 5,
                "... arrives in our pipe");
        TAP_STR(buf, "hello", "it is the same pipe");
        close(got);
    }
    finishMon(fm, mon, "fd passing");

    fm = fakeMonNew(true, &fd);
    fakeMonExpectFd(fm, J("{'execute': 'add-fd', 'arguments': "
                          "{'opaque': 'save'}}"),
                    J("{'return': {'fdset-id': 1, 'fd': 33}}"));
    if (!(mon = startMon(fm, fd, &log)))
        goto cleanup;
    TAP_INT(qmpAddFd(mon, pipefd[1], -1, "save", &set, &qfd), 0, "add-fd");
    TAP_OK(set == 1 && qfd == 33, "add-fd results");
    got = fakeMonTakeFd(fm);
    TAP_OK(got >= 0, "add-fd passed a descriptor");
    if (got >= 0)
        close(got);
    finishMon(fm, mon, "add-fd");
    fm = NULL;

 cleanup:
    fakeMonFree(fm);
    close(pipefd[0]);
    close(pipefd[1]);
    eventLogClear(&log);
}

/* ---- the wrappers ---------------------------------------------------- */

#define ERR_REPLY "{'error': {'class': 'GenericError', 'desc': 'boom'}}"
#define OK "{'return': {}}"

typedef struct {
    const char *cmd;            /* exact JSON expected (id removed) */
    const char *reply;          /* success reply */
    const char *bad;            /* malformed reply, or NULL */
    bool fd;                    /* sends a descriptor */
    /* run the wrapper; when CHECK, verify what it returned */
    int (*run)(Qmp *mon, bool check);
} Case;

#define SIMPLE(fn, call) \
    static int fn(Qmp *mon, bool check) { (void)check; return call; }

SIMPLE(runCont, qmpCont(mon))
SIMPLE(runStop, qmpStop(mon))
SIMPLE(runPowerdown, qmpSystemPowerdown(mon))
SIMPLE(runReset, qmpSystemReset(mon))
SIMPLE(runWakeup, qmpSystemWakeup(mon))
SIMPLE(runQuit, qmpQuit(mon))
SIMPLE(runNmi, qmpInjectNmi(mon))
SIMPLE(runBalloon, qmpBalloon(mon, 1073741824ULL))
SIMPLE(runMemsave, qmpMemsave(mon, 4096, 512, "/tmp/m", 1))
SIMPLE(runMemsaveDefault, qmpMemsave(mon, 0, 16, "/tmp/m", -1))
SIMPLE(runPmemsave, qmpPmemsave(mon, 0x100000, 4096, "/tmp/p"))
SIMPLE(runDump, qmpDumpGuestMemory(mon, false, "fd:dump", "kdump-zlib",
                                   true))
SIMPLE(runDumpFile, qmpDumpGuestMemory(mon, true, "file:/tmp/d", NULL,
                                       false))
SIMPLE(runClosefd, qmpClosefd(mon, "migrate"))
SIMPLE(runRemoveFd, qmpRemoveFd(mon, 1, -1))
SIMPLE(runRemoveFd2, qmpRemoveFd(mon, 1, 33))
SIMPLE(runDeviceDel, qmpDeviceDel(mon, "net1"))
SIMPLE(runNetdevDel, qmpNetdevDel(mon, "hostnet1"))
SIMPLE(runChardevRemove, qmpChardevRemove(mon, "charserial1"))
SIMPLE(runSetLink, qmpSetLink(mon, "net0", false))
SIMPLE(runObjectDel, qmpObjectDel(mon, "iothread1"))
SIMPLE(runScreendump, qmpScreendump(mon, "/tmp/s.png", NULL, "png"))
SIMPLE(runScreendumpDev, qmpScreendump(mon, "/tmp/s.ppm", "video0", NULL))
SIMPLE(runSetPassword, qmpSetPassword(mon, "vnc", "secret", "keep"))
SIMPLE(runExpirePassword, qmpExpirePassword(mon, "vnc", "+60"))
SIMPLE(runBlockResize, qmpBlockResize(mon, NULL, "libvirt-1-format",
                                      10737418240ULL))
SIMPLE(runBlockResizeDev, qmpBlockResize(mon, "drive0", NULL, 512))
SIMPLE(runBlockdevDel, qmpBlockdevDel(mon, "libvirt-2-format"))
SIMPLE(runChangeMedium, qmpBlockdevChangeMedium(mon, "cdrom0", "/tmp/a.iso",
                                                "raw"))
SIMPLE(runOpenTray, qmpBlockdevOpenTray(mon, "cdrom0", true))
SIMPLE(runCloseTray, qmpBlockdevCloseTray(mon, "cdrom0"))
SIMPLE(runRemoveMedium, qmpBlockdevRemoveMedium(mon, "cdrom0"))
SIMPLE(runInsertMedium, qmpBlockdevInsertMedium(mon, "cdrom0", "iso-node"))
SIMPLE(runBlockStream, qmpBlockStream(mon, "job0", "vda-top", "vda-base",
                                      "base.qcow2", 1048576))
SIMPLE(runBlockStreamMin, qmpBlockStream(mon, NULL, "vda-top", NULL, NULL,
                                         0))
SIMPLE(runBlockCommit, qmpBlockCommit(mon, "job1", "vda-top", "vda-mid",
                                      "vda-base", NULL, 0))
SIMPLE(runBlockdevMirror, qmpBlockdevMirror(mon, "job2", "vda", "vda-copy",
                                            "full", 5))
SIMPLE(runDriveMirror, qmpDriveMirror(mon, "job3", "drive0", "/tmp/c.qcow2",
                                      "qcow2", "top", "existing", 0))
SIMPLE(runJobCancel, qmpBlockJobCancel(mon, "job0", false))
SIMPLE(runJobCancelForce, qmpBlockJobCancel(mon, "job0", true))
SIMPLE(runJobComplete, qmpBlockJobComplete(mon, "job2"))
SIMPLE(runJobSpeed, qmpBlockJobSetSpeed(mon, "job2", 0))
SIMPLE(runJobDismiss, qmpJobDismiss(mon, "snap0"))
SIMPLE(runGenericJobCancel, qmpJobCancel(mon, "snap0"))
SIMPLE(runMigrate, qmpMigrate(mon, "fd:migrate"))
SIMPLE(runMigrateIncoming, qmpMigrateIncoming(mon, "defer"))
SIMPLE(runMigrateCancel, qmpMigrateCancel(mon))

static const char *const snapDevices[] = { "vda-format", "vdb-format", NULL };
SIMPLE(runSnapSave, qmpSnapshotSave(mon, "snap0", "s1", "vda-format",
                                    snapDevices))
SIMPLE(runSnapLoad, qmpSnapshotLoad(mon, "snap1", "s1", "vda-format",
                                    snapDevices))
SIMPLE(runSnapDelete, qmpSnapshotDelete(mon, "snap2", "s1", snapDevices))

static int
runDeviceAdd(Qmp *mon, bool check)
{
    return qmpDeviceAdd(mon, json_tokener_parse(J(
        "{'driver': 'virtio-net-pci', 'id': 'net1', 'netdev': 'hostnet1', "
        "'mac': '52:54:00:12:34:56', 'bus': 'pci.0', 'addr': '0x5'}")));
}

static int
runNetdevAdd(Qmp *mon, bool check)
{
    return qmpNetdevAdd(mon, json_tokener_parse(J(
        "{'type': 'user', 'id': 'hostnet1'}")));
}

static int
runNetdevAddTap(Qmp *mon, bool check)
{
    return qmpNetdevAdd(mon, json_tokener_parse(J(
        "{'type': 'tap', 'id': 'hostnet2', 'fd': 'tapfd', "
        "'vhost': false}")));
}

static int
runBlockdevAdd(Qmp *mon, bool check)
{
    return qmpBlockdevAdd(mon, json_tokener_parse(J(
        "{'driver': 'qcow2', 'node-name': 'vda-format', 'read-only': false, "
        "'file': {'driver': 'file', 'filename': '/tmp/vda.qcow2', "
        "'node-name': 'vda-storage'}}")));
}

static int
runObjectAdd(Qmp *mon, bool check)
{
    return qmpObjectAdd(mon, "iothread", "iothread1", NULL);
}

static int
runObjectAddProps(Qmp *mon, bool check)
{
    return qmpObjectAdd(mon, "memory-backend-ram", "mem1",
                        json_tokener_parse(J("{'size': 134217728}")));
}

static int
runMigrateParams(Qmp *mon, bool check)
{
    return qmpMigrateSetParameters(mon, json_tokener_parse(J(
        "{'max-bandwidth': 1000000, 'downtime-limit': 300}")));
}

static int
runMigrateCaps(Qmp *mon, bool check)
{
    QmpMigrationCapability caps[] = {
        { "xbzrle", true }, { "postcopy-ram", false },
    };

    return qmpMigrateSetCapabilities(mon, caps, 2);
}

static int
runSendKey(Qmp *mon, bool check)
{
    QmpKey keys[] = { { "ctrl", 0 }, { "alt", 0 }, { NULL, 83 } };

    return qmpSendKey(mon, keys, 3, 200);
}

static int
runSendKeyDefault(Qmp *mon, bool check)
{
    QmpKey keys[] = { { "ret", 0 } };

    return qmpSendKey(mon, keys, 1, 0);
}

static int
runQomSet(Qmp *mon, bool check)
{
    return qmpQomSet(mon, "/machine/peripheral/balloon0",
                     "guest-stats-polling-interval", json_object_new_int(5));
}

static int
runQueryStatus(Qmp *mon, bool check)
{
    bool running = false;
    char *status = NULL;
    int rc = qmpQueryStatus(mon, &running, &status);

    if (check) {
        TAP_OK(running, "query-status: running");
        TAP_STR(status, "running", "query-status: status");
    }
    free(status);
    return rc;
}

static int
runQueryVersion(Qmp *mon, bool check)
{
    int maj = 0;
    int min = 0;
    int mic = 0;
    char *pkg = NULL;
    int rc = qmpQueryVersion(mon, &maj, &min, &mic, &pkg);

    if (check) {
        TAP_OK(maj == 7 && min == 2 && mic == 22, "query-version numbers");
        TAP_STR(pkg, "Debian", "query-version package");
    }
    free(pkg);
    return rc;
}

static int
runQueryCpus(Qmp *mon, bool check)
{
    QmpCpu *cpus = NULL;
    int n = qmpQueryCpusFast(mon, &cpus);

    if (check) {
        TAP_INT(n, 2, "query-cpus-fast count");
        if (n == 2) {
            TAP_OK(cpus[1].cpuIndex == 1 && cpus[1].threadId == 4243,
                   "query-cpus-fast index and thread");
            TAP_STR(cpus[1].qomPath, "/machine/unattached/device[2]",
                    "query-cpus-fast qom-path");
        }
    }
    qmpCpuListFree(cpus, n);
    return n < 0 ? -1 : 0;
}

static int
runQueryHotplugCpus(Qmp *mon, bool check)
{
    QmpHotpluggableCpu *cpus = NULL;
    int n = qmpQueryHotpluggableCpus(mon, &cpus);

    if (check) {
        TAP_INT(n, 2, "query-hotpluggable-cpus count");
        if (n == 2) {
            TAP_STR(cpus[0].type, "qemu64-x86_64-cpu", "hotplug cpu type");
            TAP_OK(cpus[0].qomPath == NULL && cpus[0].socketId == 1 &&
                   cpus[0].nodeId == -1 && cpus[0].vcpusCount == 1,
                   "empty slot");
            TAP_STR(cpus[1].qomPath, "/machine/unattached/device[0]",
                    "plugged slot path");
        }
    }
    qmpHotpluggableCpuListFree(cpus, n);
    return n < 0 ? -1 : 0;
}

static int
runQueryIothreads(Qmp *mon, bool check)
{
    QmpIothread *t = NULL;
    int n = qmpQueryIothreads(mon, &t);

    if (check) {
        TAP_INT(n, 1, "query-iothreads count");
        if (n == 1)
            TAP_OK(strcmp(t[0].id, "iothread1") == 0 &&
                   t[0].threadId == 777 && t[0].pollMaxNs == 32768,
                   "query-iothreads fields");
    }
    qmpIothreadListFree(t, n);
    return n < 0 ? -1 : 0;
}

static int
runQueryBalloon(Qmp *mon, bool check)
{
    unsigned long long actual = 0;
    int rc = qmpQueryBalloon(mon, &actual);

    if (check)
        TAP_INT(actual, 1073741824, "query-balloon actual");
    return rc;
}

static int
runQueryDump(Qmp *mon, bool check)
{
    char *status = NULL;
    unsigned long long done = 0;
    unsigned long long total = 0;
    int rc = qmpQueryDump(mon, &status, &done, &total);

    if (check) {
        TAP_STR(status, "active", "query-dump status");
        TAP_OK(done == 100 && total == 400, "query-dump progress");
    }
    free(status);
    return rc;
}

static int
runQueryDumpCaps(Qmp *mon, bool check)
{
    char **formats = NULL;
    int rc = qmpQueryDumpGuestMemoryCapability(mon, &formats);

    if (check)
        TAP_OK(formats && formats[0] && strcmp(formats[0], "elf") == 0 &&
               formats[1] && strcmp(formats[1], "kdump-zlib") == 0 &&
               !formats[2], "dump formats");
    qmpStringListFree(formats);
    return rc;
}

static int
runGetfd(Qmp *mon, bool check)
{
    return qmpGetfd(mon, "dump", STDERR_FILENO);
}

static int
runAddFd(Qmp *mon, bool check)
{
    int set = 0;
    int fd = 0;
    int rc = qmpAddFd(mon, STDERR_FILENO, 2, NULL, &set, &fd);

    if (check)
        TAP_OK(set == 2 && fd == 40, "add-fd results");
    return rc;
}

static int
runChardevAdd(Qmp *mon, bool check)
{
    char *pty = NULL;
    int rc = qmpChardevAdd(mon, "charserial1", json_tokener_parse(J(
        "{'type': 'pty', 'data': {}}")), &pty);

    if (check)
        TAP_STR(pty, "/dev/pts/7", "chardev-add pty");
    free(pty);
    return rc;
}

static int
runQomGet(Qmp *mon, bool check)
{
    json_object *v = NULL;
    int rc = qmpQomGet(mon, "/machine", "type", &v);

    if (check)
        TAP_STR(json_object_get_string(v), "pc-q35-7.2-machine",
                "qom-get value");
    json_object_put(v);
    return rc;
}

static int
runQueryVnc(Qmp *mon, bool check)
{
    QmpVncInfo info;
    int rc = qmpQueryVnc(mon, &info);

    if (check) {
        TAP_OK(info.enabled, "query-vnc enabled");
        TAP_STR(info.service, "5900", "query-vnc service");
        TAP_STR(info.auth, NULL, "query-vnc auth absent");
    }
    qmpVncInfoClear(&info);
    return rc;
}

static int
runQueryChardev(Qmp *mon, bool check)
{
    QmpChardevInfo *c = NULL;
    int n = qmpQueryChardev(mon, &c);

    if (check) {
        TAP_INT(n, 2, "query-chardev count");
        if (n == 2) {
            TAP_STR(c[0].label, "charserial0", "chardev label");
            TAP_STR(c[0].filename, "pty:/dev/pts/3", "chardev filename");
            TAP_OK(c[0].frontendOpen && !c[1].frontendOpen, "frontend-open");
        }
    }
    qmpChardevInfoListFree(c, n);
    return n < 0 ? -1 : 0;
}

static int
runHmp(Qmp *mon, bool check)
{
    char *out = NULL;
    int rc = qmpHumanMonitorCommand(mon, "savevm s1", &out);

    if (check)
        TAP_STR(out, "", "human-monitor-command output");
    free(out);
    return rc;
}

static int
runQueryBlock(Qmp *mon, bool check)
{
    QmpBlockInfo *b = NULL;
    int n = qmpQueryBlock(mon, &b);

    if (check) {
        TAP_INT(n, 2, "query-block count");
        if (n == 2) {
            TAP_OK(b[0].inserted && !b[0].removable && !b[0].hasTray &&
                   b[0].readOnly == false, "query-block disk");
            TAP_STR(b[0].qdev,
                    "/machine/peripheral/virtio-disk0/virtio-backend",
                    "query-block qdev");
            TAP_STR(b[0].nodeName, "vda-format", "query-block node-name");
            TAP_STR(b[0].file, "/tmp/vda.qcow2", "query-block file");
            TAP_STR(b[0].drv, "qcow2", "query-block drv");
            TAP_OK(b[0].virtualSize == 67108864 &&
                   b[0].actualSize == 200704, "query-block image sizes");
            TAP_OK(!b[1].inserted && b[1].removable && b[1].hasTray &&
                   b[1].trayOpen && b[1].virtualSize == 0,
                   "query-block empty cdrom");
        }
    }
    qmpBlockInfoListFree(b, n);
    return n < 0 ? -1 : 0;
}

static int
runQueryBlockstats(Qmp *mon, bool check)
{
    QmpBlockStats *s = NULL;
    int n = qmpQueryBlockstats(mon, false, &s);

    if (check) {
        TAP_INT(n, 1, "query-blockstats count");
        if (n == 1) {
            TAP_STR(s[0].qdev, "/machine/peripheral/virtio-disk0/"
                    "virtio-backend", "blockstats qdev");
            TAP_OK(s[0].rdBytes == 1000 && s[0].wrBytes == 2000 &&
                   s[0].rdOperations == 3 && s[0].wrOperations == 4 &&
                   s[0].flushOperations == 5 && s[0].rdTotalTimeNs == 6 &&
                   s[0].wrTotalTimeNs == 7 && s[0].flushTotalTimeNs == 8 &&
                   s[0].wrHighestOffset == 9, "blockstats numbers");
        }
    }
    qmpBlockStatsListFree(s, n);
    return n < 0 ? -1 : 0;
}

static int
runQueryBlockstatsNodes(Qmp *mon, bool check)
{
    QmpBlockStats *s = NULL;
    int n = qmpQueryBlockstats(mon, true, &s);

    if (check)
        TAP_INT(n, 0, "query-blockstats for nodes, none");
    qmpBlockStatsListFree(s, n);
    return n < 0 ? -1 : 0;
}

static int
runNamedNodes(Qmp *mon, bool check)
{
    json_object *nodes = NULL;
    int rc = qmpQueryNamedBlockNodes(mon, &nodes);

    if (check)
        TAP_INT(json_object_array_length(nodes), 1,
                "query-named-block-nodes");
    json_object_put(nodes);
    return rc;
}

static int
runQueryBlockJobs(Qmp *mon, bool check)
{
    QmpBlockJob *j = NULL;
    int n = qmpQueryBlockJobs(mon, &j);

    if (check) {
        TAP_INT(n, 1, "query-block-jobs count");
        if (n == 1) {
            TAP_OK(strcmp(j[0].type, "mirror") == 0 &&
                   strcmp(j[0].device, "job2") == 0 && j[0].len == 100 &&
                   j[0].offset == 50 && j[0].speed == 0 && j[0].ready &&
                   !j[0].busy && !j[0].paused, "block job fields");
            TAP_STR(j[0].status, "ready", "block job status");
            TAP_STR(j[0].error, NULL, "block job no error");
        }
    }
    qmpBlockJobListFree(j, n);
    return n < 0 ? -1 : 0;
}

static int
runQueryJobs(Qmp *mon, bool check)
{
    QmpJob *j = NULL;
    int n = qmpQueryJobs(mon, &j);

    if (check) {
        TAP_INT(n, 1, "query-jobs count");
        if (n == 1) {
            TAP_STR(j[0].id, "snap0", "job id");
            TAP_STR(j[0].type, "snapshot-save", "job type");
            TAP_STR(j[0].status, "concluded", "job status");
            TAP_STR(j[0].error, "No space left on device", "job error");
            TAP_OK(j[0].currentProgress == 1 && j[0].totalProgress == 1,
                   "job progress");
        }
    }
    qmpJobListFree(j, n);
    return n < 0 ? -1 : 0;
}

static int
runQueryMigrate(Qmp *mon, bool check)
{
    QmpMigrationInfo info;
    int rc = qmpQueryMigrate(mon, &info);

    if (check) {
        TAP_STR(info.status, "active", "query-migrate status");
        TAP_OK(info.hasRam && info.ramTransferred == 1000 &&
               info.ramRemaining == 3000 && info.ramTotal == 4000 &&
               info.ramMbps == 268.5 && info.totalTime == 1500 &&
               info.downtime == -1 && info.expectedDowntime == 300,
               "query-migrate numbers");
    }
    qmpMigrationInfoClear(&info);
    return rc;
}

static int
runQueryMigrateNone(Qmp *mon, bool check)
{
    QmpMigrationInfo info;
    int rc = qmpQueryMigrate(mon, &info);

    if (check)
        TAP_OK(info.status == NULL && !info.hasRam && info.totalTime == -1,
               "query-migrate before any migration");
    qmpMigrationInfoClear(&info);
    return rc;
}

static const Case cases[] = {
    { "{'execute': 'query-status'}",
      "{'return': {'running': true, 'singlestep': false, "
      "'status': 'running'}}",
      "{'return': {'running': 'yes', 'status': 'running'}}",
      false, runQueryStatus },
    { "{'execute': 'query-version'}",
      "{'return': {'qemu': {'major': 7, 'minor': 2, 'micro': 22}, "
      "'package': 'Debian'}}",
      "{'return': {'qemu': {'major': 7, 'minor': 2}, 'package': ''}}",
      false, runQueryVersion },
    { "{'execute': 'cont'}", OK, NULL, false, runCont },
    { "{'execute': 'stop'}", OK, NULL, false, runStop },
    { "{'execute': 'system_powerdown'}", OK, NULL, false, runPowerdown },
    { "{'execute': 'system_reset'}", OK, NULL, false, runReset },
    { "{'execute': 'system_wakeup'}", OK, NULL, false, runWakeup },
    { "{'execute': 'quit'}", OK, NULL, false, runQuit },
    { "{'execute': 'inject-nmi'}", OK, NULL, false, runNmi },
    { "{'execute': 'query-cpus-fast'}",
      "{'return': [{'cpu-index': 0, 'thread-id': 4242, 'qom-path': "
      "'/machine/unattached/device[0]', 'target': 'x86_64', 'props': "
      "{'core-id': 0, 'thread-id': 0, 'socket-id': 0}}, {'cpu-index': 1, "
      "'thread-id': 4243, 'qom-path': '/machine/unattached/device[2]', "
      "'target': 'x86_64'}]}",
      "{'return': [{'cpu-index': 0, 'qom-path': '/m'}]}",
      false, runQueryCpus },
    { "{'execute': 'query-hotpluggable-cpus'}",
      "{'return': [{'type': 'qemu64-x86_64-cpu', 'vcpus-count': 1, "
      "'props': {'core-id': 0, 'thread-id': 0, 'socket-id': 1}}, "
      "{'type': 'qemu64-x86_64-cpu', 'vcpus-count': 1, 'qom-path': "
      "'/machine/unattached/device[0]', 'props': {'core-id': 0, "
      "'thread-id': 0, 'socket-id': 0}}]}",
      "{'return': [{'type': 'x', 'vcpus-count': 1}]}",
      false, runQueryHotplugCpus },
    { "{'execute': 'query-iothreads'}",
      "{'return': [{'id': 'iothread1', 'thread-id': 777, 'poll-max-ns': "
      "32768, 'poll-grow': 0, 'poll-shrink': 0, 'aio-max-batch': 0}]}",
      "{'return': [{'id': 5, 'thread-id': 777}]}",
      false, runQueryIothreads },
    { "{'execute': 'balloon', 'arguments': {'value': 1073741824}}",
      OK, NULL, false, runBalloon },
    { "{'execute': 'query-balloon'}", "{'return': {'actual': 1073741824}}",
      "{'return': {'actual': -1}}", false, runQueryBalloon },
    { "{'execute': 'memsave', 'arguments': {'val': 4096, 'size': 512, "
      "'filename': '/tmp/m', 'cpu-index': 1}}", OK, NULL, false, runMemsave },
    { "{'execute': 'memsave', 'arguments': {'val': 0, 'size': 16, "
      "'filename': '/tmp/m'}}", OK, NULL, false, runMemsaveDefault },
    { "{'execute': 'pmemsave', 'arguments': {'val': 1048576, 'size': 4096, "
      "'filename': '/tmp/p'}}", OK, NULL, false, runPmemsave },
    { "{'execute': 'dump-guest-memory', 'arguments': {'paging': false, "
      "'protocol': 'fd:dump', 'format': 'kdump-zlib', 'detach': true}}",
      OK, NULL, false, runDump },
    { "{'execute': 'dump-guest-memory', 'arguments': {'paging': true, "
      "'protocol': 'file:/tmp/d', 'detach': false}}",
      OK, NULL, false, runDumpFile },
    { "{'execute': 'query-dump'}",
      "{'return': {'status': 'active', 'completed': 100, 'total': 400}}",
      "{'return': {'status': 'active', 'completed': 100}}",
      false, runQueryDump },
    { "{'execute': 'query-dump-guest-memory-capability'}",
      "{'return': {'formats': ['elf', 'kdump-zlib']}}",
      "{'return': {'formats': ['elf', 3]}}", false, runQueryDumpCaps },
    { "{'execute': 'getfd', 'arguments': {'fdname': 'dump'}}",
      OK, NULL, true, runGetfd },
    { "{'execute': 'closefd', 'arguments': {'fdname': 'migrate'}}",
      OK, NULL, false, runClosefd },
    { "{'execute': 'add-fd', 'arguments': {'fdset-id': 2}}",
      "{'return': {'fdset-id': 2, 'fd': 40}}",
      "{'return': {'fdset-id': 2}}", true, runAddFd },
    { "{'execute': 'remove-fd', 'arguments': {'fdset-id': 1}}",
      OK, NULL, false, runRemoveFd },
    { "{'execute': 'remove-fd', 'arguments': {'fdset-id': 1, 'fd': 33}}",
      OK, NULL, false, runRemoveFd2 },
    { "{'execute': 'device_add', 'arguments': {'driver': 'virtio-net-pci', "
      "'id': 'net1', 'netdev': 'hostnet1', 'mac': '52:54:00:12:34:56', "
      "'bus': 'pci.0', 'addr': '0x5'}}", OK, NULL, false, runDeviceAdd },
    { "{'execute': 'device_del', 'arguments': {'id': 'net1'}}",
      OK, NULL, false, runDeviceDel },
    { "{'execute': 'netdev_add', 'arguments': {'type': 'user', "
      "'id': 'hostnet1'}}", OK, NULL, false, runNetdevAdd },
    { "{'execute': 'netdev_add', 'arguments': {'type': 'tap', "
      "'id': 'hostnet2', 'fd': 'tapfd', 'vhost': false}}",
      OK, NULL, false, runNetdevAddTap },
    { "{'execute': 'netdev_del', 'arguments': {'id': 'hostnet1'}}",
      OK, NULL, false, runNetdevDel },
    { "{'execute': 'chardev-add', 'arguments': {'id': 'charserial1', "
      "'backend': {'type': 'pty', 'data': {}}}}",
      "{'return': {'pty': '/dev/pts/7'}}", "{'return': {'pty': 7}}",
      false, runChardevAdd },
    { "{'execute': 'chardev-remove', 'arguments': {'id': 'charserial1'}}",
      OK, NULL, false, runChardevRemove },
    { "{'execute': 'set_link', 'arguments': {'name': 'net0', 'up': false}}",
      OK, NULL, false, runSetLink },
    { "{'execute': 'object-add', 'arguments': {'qom-type': 'iothread', "
      "'id': 'iothread1'}}", OK, NULL, false, runObjectAdd },
    { "{'execute': 'object-add', 'arguments': {'qom-type': "
      "'memory-backend-ram', 'id': 'mem1', 'size': 134217728}}",
      OK, NULL, false, runObjectAddProps },
    { "{'execute': 'object-del', 'arguments': {'id': 'iothread1'}}",
      OK, NULL, false, runObjectDel },
    { "{'execute': 'qom-get', 'arguments': {'path': '/machine', "
      "'property': 'type'}}", "{'return': 'pc-q35-7.2-machine'}",
      "{'nothing': 1}", false, runQomGet },
    { "{'execute': 'qom-set', 'arguments': {'path': "
      "'/machine/peripheral/balloon0', 'property': "
      "'guest-stats-polling-interval', 'value': 5}}",
      OK, NULL, false, runQomSet },
    { "{'execute': 'screendump', 'arguments': {'filename': '/tmp/s.png', "
      "'format': 'png'}}", OK, NULL, false, runScreendump },
    { "{'execute': 'screendump', 'arguments': {'filename': '/tmp/s.ppm', "
      "'device': 'video0'}}", OK, NULL, false, runScreendumpDev },
    { "{'execute': 'send-key', 'arguments': {'keys': [{'type': 'qcode', "
      "'data': 'ctrl'}, {'type': 'qcode', 'data': 'alt'}, {'type': "
      "'number', 'data': 83}], 'hold-time': 200}}",
      OK, NULL, false, runSendKey },
    { "{'execute': 'send-key', 'arguments': {'keys': [{'type': 'qcode', "
      "'data': 'ret'}]}}", OK, NULL, false, runSendKeyDefault },
    { "{'execute': 'set_password', 'arguments': {'protocol': 'vnc', "
      "'password': 'secret', 'connected': 'keep'}}",
      OK, NULL, false, runSetPassword },
    { "{'execute': 'expire_password', 'arguments': {'protocol': 'vnc', "
      "'time': '+60'}}", OK, NULL, false, runExpirePassword },
    { "{'execute': 'query-vnc'}",
      "{'return': {'enabled': true, 'host': '127.0.0.1', 'service': "
      "'5900', 'family': 'ipv4'}}",
      "{'return': {'enabled': true, 'host': 5}}", false, runQueryVnc },
    { "{'execute': 'query-chardev'}",
      "{'return': [{'label': 'charserial0', 'filename': 'pty:/dev/pts/3', "
      "'frontend-open': true}, {'label': 'charmonitor', 'filename': "
      "'unix:/tmp/m.sock,server=on', 'frontend-open': false}]}",
      "{'return': [{'label': 'charserial0', 'frontend-open': true}]}",
      false, runQueryChardev },
    { "{'execute': 'human-monitor-command', 'arguments': {'command-line': "
      "'savevm s1'}}", "{'return': ''}", "{'return': {}}", false, runHmp },
    { "{'execute': 'query-block'}",
      "{'return': [{'device': '', 'qdev': "
      "'/machine/peripheral/virtio-disk0/virtio-backend', 'type': "
      "'unknown', 'removable': false, 'locked': false, 'io-status': 'ok', "
      "'inserted': {'file': '/tmp/vda.qcow2', 'node-name': 'vda-format', "
      "'ro': false, 'drv': 'qcow2', 'encrypted': false, 'image': "
      "{'filename': '/tmp/vda.qcow2', 'format': 'qcow2', 'virtual-size': "
      "67108864, 'actual-size': 200704}}}, "
      "{'device': '', 'qdev': 'cdrom0', 'type': 'unknown', 'removable': "
      "true, 'locked': false, 'tray_open': true}]}",
      "{'return': [{'device': '', 'removable': false, 'locked': false, "
      "'inserted': {'node-name': 'x', 'ro': false, 'drv': 'raw'}}]}",
      false, runQueryBlock },
    { "{'execute': 'query-blockstats'}",
      "{'return': [{'qdev': '/machine/peripheral/virtio-disk0/"
      "virtio-backend', 'node-name': 'vda-format', 'stats': {'rd_bytes': "
      "1000, 'wr_bytes': 2000, 'rd_operations': 3, 'wr_operations': 4, "
      "'flush_operations': 5, 'rd_total_time_ns': 6, 'wr_total_time_ns': "
      "7, 'flush_total_time_ns': 8, 'wr_highest_offset': 9}}]}",
      "{'return': [{'stats': {'rd_bytes': 1}}]}",
      false, runQueryBlockstats },
    { "{'execute': 'query-blockstats', 'arguments': {'query-nodes': true}}",
      "{'return': []}", "{'return': {}}", false, runQueryBlockstatsNodes },
    { "{'execute': 'query-named-block-nodes', 'arguments': {'flat': true}}",
      "{'return': [{'node-name': 'vda-format'}]}", "{'return': {}}",
      false, runNamedNodes },
    { "{'execute': 'block_resize', 'arguments': {'node-name': "
      "'libvirt-1-format', 'size': 10737418240}}",
      OK, NULL, false, runBlockResize },
    { "{'execute': 'block_resize', 'arguments': {'device': 'drive0', "
      "'size': 512}}", OK, NULL, false, runBlockResizeDev },
    { "{'execute': 'blockdev-add', 'arguments': {'driver': 'qcow2', "
      "'node-name': 'vda-format', 'read-only': false, 'file': {'driver': "
      "'file', 'filename': '/tmp/vda.qcow2', 'node-name': 'vda-storage'}}}",
      OK, NULL, false, runBlockdevAdd },
    { "{'execute': 'blockdev-del', 'arguments': {'node-name': "
      "'libvirt-2-format'}}", OK, NULL, false, runBlockdevDel },
    { "{'execute': 'blockdev-change-medium', 'arguments': {'id': 'cdrom0', "
      "'filename': '/tmp/a.iso', 'format': 'raw'}}",
      OK, NULL, false, runChangeMedium },
    { "{'execute': 'blockdev-open-tray', 'arguments': {'id': 'cdrom0', "
      "'force': true}}", OK, NULL, false, runOpenTray },
    { "{'execute': 'blockdev-close-tray', 'arguments': {'id': 'cdrom0'}}",
      OK, NULL, false, runCloseTray },
    { "{'execute': 'blockdev-remove-medium', 'arguments': {'id': "
      "'cdrom0'}}", OK, NULL, false, runRemoveMedium },
    { "{'execute': 'blockdev-insert-medium', 'arguments': {'id': 'cdrom0', "
      "'node-name': 'iso-node'}}", OK, NULL, false, runInsertMedium },
    { "{'execute': 'query-block-jobs'}",
      "{'return': [{'type': 'mirror', 'device': 'job2', 'len': 100, "
      "'offset': 50, 'busy': false, 'paused': false, 'speed': 0, "
      "'io-status': 'ok', 'ready': true, 'status': 'ready', "
      "'auto-finalize': true, 'auto-dismiss': true}]}",
      "{'return': [{'type': 'mirror', 'device': 'job2', 'len': '100'}]}",
      false, runQueryBlockJobs },
    { "{'execute': 'block-stream', 'arguments': {'job-id': 'job0', "
      "'device': 'vda-top', 'base-node': 'vda-base', 'backing-file': "
      "'base.qcow2', 'speed': 1048576}}", OK, NULL, false, runBlockStream },
    { "{'execute': 'block-stream', 'arguments': {'device': 'vda-top'}}",
      OK, NULL, false, runBlockStreamMin },
    { "{'execute': 'block-commit', 'arguments': {'job-id': 'job1', "
      "'device': 'vda-top', 'top-node': 'vda-mid', 'base-node': "
      "'vda-base'}}", OK, NULL, false, runBlockCommit },
    { "{'execute': 'blockdev-mirror', 'arguments': {'job-id': 'job2', "
      "'device': 'vda', 'target': 'vda-copy', 'sync': 'full', 'speed': 5}}",
      OK, NULL, false, runBlockdevMirror },
    { "{'execute': 'drive-mirror', 'arguments': {'job-id': 'job3', "
      "'device': 'drive0', 'target': '/tmp/c.qcow2', 'format': 'qcow2', "
      "'sync': 'top', 'mode': 'existing'}}", OK, NULL, false,
      runDriveMirror },
    { "{'execute': 'block-job-cancel', 'arguments': {'device': 'job0'}}",
      OK, NULL, false, runJobCancel },
    { "{'execute': 'block-job-cancel', 'arguments': {'device': 'job0', "
      "'force': true}}", OK, NULL, false, runJobCancelForce },
    { "{'execute': 'block-job-complete', 'arguments': {'device': 'job2'}}",
      OK, NULL, false, runJobComplete },
    { "{'execute': 'block-job-set-speed', 'arguments': {'device': 'job2', "
      "'speed': 0}}", OK, NULL, false, runJobSpeed },
    { "{'execute': 'query-jobs'}",
      "{'return': [{'id': 'snap0', 'type': 'snapshot-save', 'status': "
      "'concluded', 'current-progress': 1, 'total-progress': 1, 'error': "
      "'No space left on device'}]}",
      "{'return': [{'id': 'snap0', 'type': 'snapshot-save'}]}",
      false, runQueryJobs },
    { "{'execute': 'job-dismiss', 'arguments': {'id': 'snap0'}}",
      OK, NULL, false, runJobDismiss },
    { "{'execute': 'job-cancel', 'arguments': {'id': 'snap0'}}",
      OK, NULL, false, runGenericJobCancel },
    { "{'execute': 'snapshot-save', 'arguments': {'job-id': 'snap0', "
      "'tag': 's1', 'vmstate': 'vda-format', 'devices': ['vda-format', "
      "'vdb-format']}}", OK, NULL, false, runSnapSave },
    { "{'execute': 'snapshot-load', 'arguments': {'job-id': 'snap1', "
      "'tag': 's1', 'vmstate': 'vda-format', 'devices': ['vda-format', "
      "'vdb-format']}}", OK, NULL, false, runSnapLoad },
    { "{'execute': 'snapshot-delete', 'arguments': {'job-id': 'snap2', "
      "'tag': 's1', 'devices': ['vda-format', 'vdb-format']}}",
      OK, NULL, false, runSnapDelete },
    { "{'execute': 'migrate', 'arguments': {'uri': 'fd:migrate'}}",
      OK, NULL, false, runMigrate },
    { "{'execute': 'migrate-incoming', 'arguments': {'uri': 'defer'}}",
      OK, NULL, false, runMigrateIncoming },
    { "{'execute': 'migrate_cancel'}", OK, NULL, false, runMigrateCancel },
    { "{'execute': 'query-migrate'}",
      "{'return': {'status': 'active', 'total-time': 1500, "
      "'expected-downtime': 300, 'setup-time': 2, 'ram': {'transferred': "
      "1000, 'remaining': 3000, 'total': 4000, 'duplicate': 1, 'skipped': "
      "0, 'normal': 2, 'normal-bytes': 8192, 'dirty-pages-rate': 0, "
      "'mbps': 268.5, 'dirty-sync-count': 1, 'postcopy-requests': 0, "
      "'page-size': 4096, 'multifd-bytes': 0, 'pages-per-second': 10, "
      "'precopy-bytes': 0, 'downtime-bytes': 0, 'postcopy-bytes': 0}}}",
      "{'return': {'status': 'active', 'ram': {'transferred': 1}}}",
      false, runQueryMigrate },
    { "{'execute': 'query-migrate'}", "{'return': {}}",
      "{'return': {'status': 3}}", false, runQueryMigrateNone },
    { "{'execute': 'migrate-set-capabilities', 'arguments': "
      "{'capabilities': [{'capability': 'xbzrle', 'state': true}, "
      "{'capability': 'postcopy-ram', 'state': false}]}}",
      OK, NULL, false, runMigrateCaps },
    { "{'execute': 'migrate-set-parameters', 'arguments': "
      "{'max-bandwidth': 1000000, 'downtime-limit': 300}}",
      OK, NULL, false, runMigrateParams },
};

static const char *
caseName(const Case *c)
{
    json_object *cmd = json_tokener_parse(J(c->cmd));
    static char name[64];

    snprintf(name, sizeof(name), "%s", qmpCommandName(cmd));
    json_object_put(cmd);
    return name;
}

static void
testWrappers(void)
{
    EventLog log;
    int fd;
    FakeMon *fm = fakeMonNew(true, &fd);
    size_t ncases = sizeof(cases) / sizeof(cases[0]);
    Qmp *mon;
    size_t i;

    eventLogInit(&log);
    for (i = 0; i < ncases; i++) {
        const Case *c = &cases[i];
        void (*expect)(FakeMon *, const char *, const char *) =
            c->fd ? fakeMonExpectFd : fakeMonExpect;

        expect(fm, J(c->cmd), J(c->reply));
        expect(fm, J(c->cmd), J(ERR_REPLY));
        if (c->bad)
            expect(fm, J(c->cmd), J(c->bad));
    }
    if (!(mon = startMon(fm, fd, &log)))
        goto cleanup;
    for (i = 0; i < ncases; i++) {
        const Case *c = &cases[i];
        char name[64];
        char *msg;
        int rc;

        snprintf(name, sizeof(name), "%s", caseName(c));
        rc = c->run(mon, true);
        if (!TAP_OK(rc == 0, "%s: succeeds", name))
            printf("#   %s\n", errorLast()->message);
        msg = allocPrintf("QEMU command '%s' failed: boom", name);
        checkError(c->run(mon, false), VIR_ERR_OPERATION_FAILED, msg, name);
        free(msg);
        if (c->bad) {
            msg = allocPrintf("malformed reply to '%s'", name);
            checkError(c->run(mon, false), VIR_ERR_INTERNAL_ERROR, msg, name);
            free(msg);
        }
    }
    finishMon(fm, mon, "wrappers");
    fm = NULL;

 cleanup:
    fakeMonFree(fm);
    eventLogClear(&log);
}

/* Commands sent in a batch: all on the wire before any reply (the fake
 * reads them all, then answers in reverse), replies matched by id, the
 * first failure reported, the others' replies kept; the *Reply parsers. */
static void
testBatch(void)
{
    const char *cmds[] = {
        J("{'execute': 'query-balloon'}"), J("{'execute': 'stop'}"),
        J("{'execute': 'query-cpus-fast'}"),
    };
    const char *replies[] = {
        J("{'return': {'actual': 1073741824}}"),
        J("{'error': {'class': 'GenericError', 'desc': 'cannot stop now'}}"),
        J("{'return': [{'cpu-index': 0, 'thread-id': 4242, 'qom-path': "
          "'/machine/unattached/device[0]', 'target': 'x86_64', 'props': "
          "{}}]}"),
    };
    EventLog log;
    int fd;
    FakeMon *fm = fakeMonNew(true, &fd);
    json_object *c[3], *r[3];
    unsigned long long actual = 0;
    QmpCpu *cpus = NULL;
    QmpBlockInfo *blk = NULL;
    QmpBatch *b;
    Qmp *mon;
    int n;

    eventLogInit(&log);
    fakeMonExpectUnordered(fm, 3, cmds, replies);
    fakeMonExpect(fm, J("{'execute': 'cont'}"), J("{'something': 1}"));
    fakeMonExpect(fm, J("{'execute': 'stop'}"),
                  J("{'error': {'class': 'GenericError', 'desc': 'no'}}"));
    if (!(mon = startMon(fm, fd, &log)))
        goto cleanup;
    c[0] = qmpCommandNew("query-balloon", NULL);
    c[1] = qmpCommandNew("stop", NULL);
    c[2] = qmpCommandNew("query-cpus-fast", NULL);
    b = qmpBatchSend(mon, c, 3, 0);
    TAP_OK(b != NULL, "batch of 3 sent");
    if (b)
        checkError(qmpBatchWait(b, r), VIR_ERR_OPERATION_FAILED,
                   "QEMU command 'stop' failed: cannot stop now",
                   "batch with a failing command");
    TAP_OK(b && r[1] == NULL, "no reply for the failed one");
    TAP_INT(b ? qmpQueryBalloonReply(r[0], &actual) : -1, 0,
            "query-balloon reply parsed");
    TAP_OK(actual == 1073741824, "... actual");
    n = b ? qmpQueryCpusFastReply(r[2], &cpus) : -1;
    TAP_INT(n, 1, "query-cpus-fast reply parsed");
    TAP_OK(n == 1 && cpus[0].threadId == 4242, "... thread id");
    qmpCpuListFree(cpus, n);
    TAP_INT(b ? qmpQueryBlockReply(r[0], &blk) : 0, -1,
            "a reply parsed as the wrong command's");
    TAP_OK(blk == NULL, "... gives no list");
    TAP_INT(errorLast()->code, VIR_ERR_INTERNAL_ERROR, "... malformed");
    errorReset();
    for (int i = 0; b && i < 3; i++)
        json_object_put(r[i]);
    json_object_put(c[1]);
    json_object_put(c[2]);
    /* two failures: the first one's error */
    c[1] = qmpCommandNew("cont", NULL);
    c[2] = qmpCommandNew("stop", NULL);
    if ((b = qmpBatchSend(mon, c + 1, 2, 0)))
        checkError(qmpBatchWait(b, r), VIR_ERR_INTERNAL_ERROR,
                   "malformed reply to 'cont'", "batch of two failures");
    TAP_OK(b && !r[0] && !r[1], "no replies");
    json_object_put(c[1]);
    c[1] = NULL;
    checkError(qmpBatchSend(mon, c + 1, 2, 0) ? 0 : -1,
               VIR_ERR_INTERNAL_ERROR, "no QEMU command",
               "batch with a NULL command");
    json_object_put(c[0]);
    json_object_put(c[2]);
    finishMon(fm, mon, "batch");
    fm = NULL;

 cleanup:
    fakeMonFree(fm);
    eventLogClear(&log);
}

/* ---- the QAPI schema ------------------------------------------------- */

static json_object *schema;     /* entity name -> entity */

static json_object *
schemaLoad(const char *path)
{
    json_object *list = json_object_from_file(path);
    json_object *byName;
    size_t i;

    if (!list || !json_object_is_type(list, json_type_array)) {
        json_object_put(list);
        return NULL;
    }
    byName = json_object_new_object();
    for (i = 0; i < json_object_array_length(list); i++) {
        json_object *e = json_object_array_get_idx(list, i);
        json_object *name = json_object_object_get(e, "name");

        json_object_object_add(byName, json_object_get_string(name),
                               json_object_get(e));
    }
    json_object_put(list);
    return byName;
}

static const char *
schemaStr(json_object *obj, const char *key)
{
    json_object *v;

    if (!json_object_object_get_ex(obj, key, &v))
        return NULL;
    return json_object_get_string(v);
}

static int schemaCheckValue(json_object *v, const char *type,
                            const char *where, bool quiet);

static void
schemaProblem(bool quiet, const char *where, const char *what,
              const char *name)
{
    if (!quiet)
        printf("# schema: %s: %s '%s'\n", where, what, name);
}

/* Collect into MEMBERS the members of object type TYPE for value V,
 * following variants chosen by V's tag. */
static void
schemaObjectMembers(json_object *v, json_object *type, json_object *members)
{
    json_object *list = json_object_object_get(type, "members");
    json_object *variants = json_object_object_get(type, "variants");
    const char *tag = schemaStr(type, "tag");
    const char *tagValue;
    size_t i;

    for (i = 0; i < json_object_array_length(list); i++) {
        json_object *m = json_object_array_get_idx(list, i);

        json_object_object_add(members, schemaStr(m, "name"),
                               json_object_get(m));
    }
    if (!variants || !tag || !(tagValue = schemaStr(v, tag)))
        return;
    for (i = 0; i < json_object_array_length(variants); i++) {
        json_object *var = json_object_array_get_idx(variants, i);
        json_object *vt;

        if (strcmp(schemaStr(var, "case"), tagValue) != 0)
            continue;
        vt = json_object_object_get(schema, schemaStr(var, "type"));
        if (vt)
            schemaObjectMembers(v, vt, members);
    }
}

static int
schemaCheckObject(json_object *v, json_object *type, const char *where,
                  bool quiet, bool extraOk)
{
    json_object *members = json_object_new_object();
    int ret = 0;

    if (!json_object_is_type(v, json_type_object)) {
        schemaProblem(quiet, where, "not an object for type",
                      schemaStr(type, "name"));
        json_object_put(members);
        return -1;
    }
    schemaObjectMembers(v, type, members);
    json_object_object_foreach(v, key, val) {
        json_object *m = json_object_object_get(members, key);
        char *sub;

        if (!m) {
            if (!extraOk) {
                schemaProblem(quiet, where, "unknown member", key);
                ret = -1;
            }
            continue;
        }
        sub = allocPrintf("%s.%s", where, key);
        if (schemaCheckValue(val, schemaStr(m, "type"), sub, quiet) < 0)
            ret = -1;
        free(sub);
    }
    json_object_object_foreach(members, name, m) {
        if (!json_object_object_get_ex(m, "default", NULL) &&
            !json_object_object_get_ex(v, name, NULL)) {
            schemaProblem(quiet, where, "missing required member", name);
            ret = -1;
        }
    }
    json_object_put(members);
    return ret;
}

static int
schemaCheckValue(json_object *v, const char *typeName, const char *where,
                 bool quiet)
{
    json_object *type = json_object_object_get(schema, typeName);
    const char *meta;
    size_t i;

    if (!type) {
        schemaProblem(quiet, where, "unknown type", typeName);
        return -1;
    }
    meta = schemaStr(type, "meta-type");
    if (strcmp(meta, "builtin") == 0) {
        const char *jt = schemaStr(type, "json-type");
        bool ok = strcmp(jt, "value") == 0 ||
            (strcmp(jt, "string") == 0 &&
             json_object_is_type(v, json_type_string)) ||
            (strcmp(jt, "int") == 0 && json_object_is_type(v, json_type_int)) ||
            (strcmp(jt, "number") == 0 &&
             (json_object_is_type(v, json_type_int) ||
              json_object_is_type(v, json_type_double))) ||
            (strcmp(jt, "boolean") == 0 &&
             json_object_is_type(v, json_type_boolean)) ||
            (strcmp(jt, "null") == 0 && json_object_is_type(v, json_type_null));

        if (!ok)
            schemaProblem(quiet, where, "wrong json type, want", jt);
        return ok ? 0 : -1;
    }
    if (strcmp(meta, "enum") == 0) {
        json_object *values = json_object_object_get(type, "values");

        for (i = 0; json_object_is_type(v, json_type_string) &&
                    i < json_object_array_length(values); i++) {
            if (strcmp(json_object_get_string(
                           json_object_array_get_idx(values, i)),
                       json_object_get_string(v)) == 0)
                return 0;
        }
        schemaProblem(quiet, where, "not a value of enum",
                      json_object_get_string(v));
        return -1;
    }
    if (strcmp(meta, "array") == 0) {
        int ret = 0;

        if (!json_object_is_type(v, json_type_array)) {
            schemaProblem(quiet, where, "not an array of",
                          schemaStr(type, "element-type"));
            return -1;
        }
        for (i = 0; i < json_object_array_length(v); i++) {
            if (schemaCheckValue(json_object_array_get_idx(v, i),
                                 schemaStr(type, "element-type"), where,
                                 quiet) < 0)
                ret = -1;
        }
        return ret;
    }
    if (strcmp(meta, "alternate") == 0) {
        json_object *alts = json_object_object_get(type, "members");

        for (i = 0; i < json_object_array_length(alts); i++) {
            if (schemaCheckValue(v, schemaStr(json_object_array_get_idx(
                                                  alts, i), "type"),
                                 where, true) == 0)
                return 0;
        }
        schemaProblem(quiet, where, "matches no branch of alternate",
                      typeName);
        return -1;
    }
    if (strcmp(meta, "object") == 0)
        return schemaCheckObject(v, type, where, quiet, false);
    schemaProblem(quiet, where, "unexpected meta-type", meta);
    return -1;
}

/* Check one command message against the schema. */
static int
schemaCheckCommand(json_object *cmd, bool quiet)
{
    const char *name = qmpCommandName(cmd);
    json_object *entity = json_object_object_get(schema, name);
    json_object *args = json_object_object_get(cmd, "arguments");
    json_object *argType;
    json_object *empty = NULL;
    int ret;

    if (!entity || strcmp(schemaStr(entity, "meta-type"), "command") != 0) {
        schemaProblem(quiet, name, "no such command", name);
        return -1;
    }
    argType = json_object_object_get(schema, schemaStr(entity, "arg-type"));
    if (!args)
        args = empty = json_object_new_object();
    /* device_add takes the device's own properties besides its members */
    ret = schemaCheckObject(args, argType, name, quiet,
                            strcmp(name, "device_add") == 0);
    json_object_put(empty);
    return ret;
}

static void
testSchema(const char *path)
{
    json_object *seen = fakeMonSeen();
    json_object *done = json_object_new_object();
    json_object *bad;
    size_t i;

    if (!(schema = schemaLoad(path))) {
        TAP_OK(0, "QAPI schema loaded from %s", path);
        json_object_put(done);
        return;
    }
    TAP_OK(json_object_object_length(schema) > 1000, "QAPI schema loaded");

    /* the checker itself catches mistakes */
    bad = json_tokener_parse(J("{'execute': 'block_resize', 'arguments': "
                               "{'devic': 'x', 'size': 1}}"));
    TAP_INT(schemaCheckCommand(bad, true), -1,
            "schema check catches a misspelled argument");
    json_object_put(bad);
    bad = json_tokener_parse(J("{'execute': 'balloon', 'arguments': "
                               "{'value': '1'}}"));
    TAP_INT(schemaCheckCommand(bad, true), -1,
            "schema check catches a wrongly typed argument");
    json_object_put(bad);
    bad = json_tokener_parse(J("{'execute': 'block-stream'}"));
    TAP_INT(schemaCheckCommand(bad, true), -1,
            "schema check catches a missing argument");
    json_object_put(bad);
    bad = json_tokener_parse(J("{'execute': 'netdev_add', 'arguments': "
                               "{'type': 'user', 'id': 'n', 'fd': 'x'}}"));
    TAP_INT(schemaCheckCommand(bad, true), -1,
            "schema check follows variants");
    json_object_put(bad);
    bad = json_tokener_parse(J("{'execute': 'query-stauts'}"));
    TAP_INT(schemaCheckCommand(bad, true), -1,
            "schema check catches an unknown command");
    json_object_put(bad);

    for (i = 0; i < json_object_array_length(seen); i++) {
        json_object *cmd = json_object_array_get_idx(seen, i);
        const char *text = json_object_to_json_string_ext(
            cmd, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

        if (json_object_object_get_ex(done, text, NULL))
            continue;
        json_object_object_add(done, text, NULL);
        if (!TAP_OK(schemaCheckCommand(cmd, false) == 0,
                    "schema: %s", qmpCommandName(cmd)))
            printf("#   %s\n", text);
    }
    json_object_put(done);
    json_object_put(schema);
    schema = NULL;
}

int
main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);

    testCommandNew();
    testGetters();
    testEventParse();
    testBasicRun();
    testOpenUnix();
    testHandshakeFailures();
    testEvents();
    testConcurrent();
    testEof(false);
    testEof(true);
    testMalformedJson();
    testTimeout();
    testFdPassing();
    testWrappers();
    testBatch();
    testSchema(argc > 1 ? argv[1] : QAPI_SCHEMA);

    fakeMonSeenFree();
    quotedFree();
    return tapDone();
}
