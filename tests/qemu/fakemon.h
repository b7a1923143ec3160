/* fakemon.h: a scripted QMP server for tests, running in its own thread */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

typedef struct FakeMon FakeMon;

/* The greeting the fake monitor sends (QEMU 7.2's shape). */
#define FAKEMON_GREETING \
    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, " \
    "\"major\": 7}, \"package\": \"fake\"}, \"capabilities\": [\"oob\"]}}"

/* A fake monitor on one end of a socketpair; *CLIENTFD gets the other end
 * (the caller owns it, e.g. to hand to qmpOpenFd). With HANDSHAKE the script
 * starts by sending the greeting and expecting qmp_capabilities. */
FakeMon *fakeMonNew(bool handshake, int *clientFd);

/* A fake monitor listening on the unix socket PATH (created by
 * fakeMonStart, removed by fakeMonFinish); it accepts one client. */
FakeMon *fakeMonNewUnix(const char *path, bool handshake);

/* Script steps, run in order once fakeMonStart is called. */

/* Read one command and compare it (minus its "id") with the JSON text CMD;
 * if REPLY is not NULL, answer with it (JSON text, the command's id added).
 * A mismatch is a failure: the fake answers with an error and stops. */
void fakeMonExpect(FakeMon *fm, const char *cmd, const char *reply);
/* Like fakeMonExpect, and the command must carry a file descriptor
 * (SCM_RIGHTS); keep it for fakeMonTakeFd. */
void fakeMonExpectFd(FakeMon *fm, const char *cmd, const char *reply);
/* Read N commands in any order, each matching one of CMDS, then answer them
 * in the reverse order of arrival with the matching REPLIES. */
void fakeMonExpectUnordered(FakeMon *fm, size_t n, const char *const *cmds,
                            const char *const *replies);
/* Answer the last command read with REPLY (its id added). */
void fakeMonReply(FakeMon *fm, const char *reply);
/* Send TEXT as it is (an event, garbage, ...); "\r\n" is appended. */
void fakeMonSend(FakeMon *fm, const char *text);
/* Sleep MS milliseconds. */
void fakeMonDelay(FakeMon *fm, int ms);
/* Close the connection; the script ends there. */
void fakeMonHangup(FakeMon *fm);

/* Start the thread running the script. */
void fakeMonStart(FakeMon *fm);
/* Wait for the script to end and the client to hang up (unless the script
 * hung up itself). Returns the number of failures (each printed as a TAP
 * comment). */
int fakeMonFinish(FakeMon *fm);
/* The last file descriptor received (caller owns it), or -1. */
int fakeMonTakeFd(FakeMon *fm);
/* Free FM (after fakeMonFinish). */
void fakeMonFree(FakeMon *fm);

/* Every command any fake monitor in this process read, id removed, in
 * arrival order; borrowed. */
json_object *fakeMonSeen(void);
/* Free the list behind fakeMonSeen. */
void fakeMonSeenFree(void);
