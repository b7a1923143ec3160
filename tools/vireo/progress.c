/* progress.c: a spinner with the elapsed time, or a progress bar, on
 * stderr while a call that may take long runs; shown only on a terminal
 * and after the first second */
#include "vireo.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct Progress {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool done;
    char *what;
    struct timespec start;
    virDomainPtr dom;           /* poll its job info for a bar; or NULL */
};

static double
progressSince(const struct timespec *t0)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) +
           (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Wait on P's condition until DELAY_MS have passed or the call is done;
 * called with the lock held. */
static void
progressWait(Progress *p, long delayMs)
{
    struct timespec until;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += delayMs / 1000;
    until.tv_nsec += (delayMs % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (!p->done &&
           pthread_cond_timedwait(&p->cond, &p->lock, &until) == 0)
        ;
}

static void *
progressThread(void *opaque)
{
    static const char spin[] = "|/-\\";
    Progress *p = opaque;
    bool shown = false;
    unsigned int tick = 0;

    pthread_mutex_lock(&p->lock);
    progressWait(p, 1000);
    while (!p->done) {
        virDomainJobInfo info;

        /* the call runs in the main thread; the job info says how far */
        if (p->dom && virDomainGetJobInfo(p->dom, &info) == 0 &&
            info.type != VIR_DOMAIN_JOB_NONE && info.dataTotal > 0)
            progressBar(p->what, info.dataProcessed, info.dataTotal);
        else
            fprintf(stderr, "\r%c %s... %.1fs ", spin[tick++ % 4], p->what,
                    progressSince(&p->start));
        fflush(stderr);
        shown = true;
        progressWait(p, 250);
    }
    if (shown) {
        fputs("\r\033[K", stderr);      /* erase the line again */
        fflush(stderr);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Start showing "WHAT..." after a second, unless --quiet or stderr is not a
 * terminal; returns NULL then, which progressStop accepts. */
Progress *
progressStart(const Ctx *ctx, const char *what)
{
    return progressStartJob(ctx, what, NULL);
}

/* Whether progress is shown: on a terminal or with --verbose, and not
 * with --quiet. */
bool
progressWanted(const Ctx *ctx)
{
    return !ctx->quiet &&
           (isatty(STDERR_FILENO) || cmdtabBool(ctx, "verbose"));
}

/* Like progressStart, but while DOM (borrowed; NULL: none) has a job
 * with a known size, show a bar of its progress instead of the spinner. */
Progress *
progressStartJob(const Ctx *ctx, const char *what, virDomainPtr dom)
{
    Progress *p;
    pthread_condattr_t attr;

    if (!progressWanted(ctx))
        return NULL;
    if (!(p = calloc(1, sizeof(*p))) || !(p->what = strdup(what)))
        abort();
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    p->dom = dom;
    pthread_mutex_init(&p->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&p->cond, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&p->thread, NULL, progressThread, p) != 0) {
        /* no spinner is no reason to fail the command */
        pthread_cond_destroy(&p->cond);
        pthread_mutex_destroy(&p->lock);
        free(p->what);
        free(p);
        return NULL;
    }
    return p;
}

/* The call is over: erase the line if it was shown, and free P. */
void
progressStop(Progress *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->done = true;
    pthread_cond_signal(&p->cond);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->cond);
    pthread_mutex_destroy(&p->lock);
    free(p->what);
    free(p);
}

/* Draw "LABEL [=====     ]  42 %" over the current stderr line. */
void
progressBar(const char *label, unsigned long long cur,
            unsigned long long end)
{
    char bar[31];
    int pct = end ? (int)(cur >= end ? 100 : cur * 100 / end) : 0;
    int fill = pct * 30 / 100;

    memset(bar, ' ', 30);
    memset(bar, '=', (size_t)fill);
    bar[30] = '\0';
    fprintf(stderr, "\r%s [%s] %3d %%", label, bar, pct);
    fflush(stderr);
}

/* End a line of progressBar output. */
void
progressBarDone(void)
{
    fputc('\n', stderr);
    fflush(stderr);
}
