#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "item.h"
#include "meta.h"
#include "timeutil.h"
#include "url.h"
#include "worker.h"

void item_release(struct item *it)
{
    if (it->out_ready)
        outfile_cleanup(&it->out);
    it->out_ready = 0;
}

void item_free(struct item *it)
{
    if (!it)
        return;
    item_release(it);
    for (size_t i = 0; i < it->nmirrors; i++)
        free(it->mirrors[i]);
    free(it->mirrors);
    free(it->host_key);
    free(it->req_path);
    free(it->url);
    free(it->name);
    free(it->path);
    free(it);
}

/* Sets it failed, with why as the reason (copied unless it is err). */
static void fail(struct item *it, const char *why)
{
    if (why != it->s->err)
        snprintf(it->s->err, sizeof it->s->err, "%s", why);
    it->res.status = ITEM_FAILED;
    it->res.error = it->s->err;
}

/* Claims want, or the name the URL gives, for it; sets name and path.
 * With --dirs-from-url and no NAME on the line, want (a server's name)
 * names only the file in the URL's folders. Returns 0, or -1 with the
 * reason in it->s->err (empty: out of memory). */
static int claim(struct run *r, struct item *it, const char *want,
                 int from_line)
{
    const struct options *o = r->opts;
    int dirs = o->dirs_from_url && !from_line;
    char *made = NULL;

    it->s->err[0] = '\0';
    if (dirs)
        want = made =
            naming_dirs_from_url(it->url, !o->no_host_dirs, o->cut_dirs, want,
                                 it->s->err, sizeof it->s->err);
    else if (!want)
        want = made = it->req_path ? naming_from_path(it->req_path)
                                   : naming_from_url(it->url);
    if (want)
        it->name = names_claim(r->names, want);
    free(made);
    if (it->name)
        it->path = naming_display_path(r->opts->dir, it->name);
    return it->path ? 0 : -1;
}

/* Whether NAME stands already: 1 (skip it), 0, or -1 with the reason
 * in it->s->err. The one existence check, for a name from the line, the
 * URL or the server, in a real run and a dry run alike. */
static int exists(struct run *r, struct item *it)
{
    int ex;

    if ((r->opts->overwrite && !r->opts->timestamping) || r->fresh ||
        r->dirfd < 0)
        return 0;
    ex = outfile_exists(r->dirfd, it->name);
    if (ex >= 0)
        return ex;
    snprintf(it->s->err, sizeof it->s->err, "%s: %s", it->path,
             ex == -ELOOP ? "a symlink on the way (not followed)"
                          : strerror(-ex));
    return -1;
}

/* An existing NAME to skip: the file's size is what the item has. */
static enum item_status skip(struct run *r, struct item *it, const char *why)
{
    struct stat st;

    if (fstatat(r->dirfd, it->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        it->res.bytes = (uint64_t)st.st_size;
    it->res.error = why;
    return ITEM_SKIPPED;
}

/* --checksums and NAME exists: it is skipped only if its bytes match.
 * Otherwise it is fetched again and replaced once the new data does. */
static enum item_status check_existing(struct run *r, struct item *it)
{
    unsigned char got[CHECKSUMS_LEN];
    const unsigned char *want = checksums_find(r->sums, it->name);

    if (checksums_file(r->dirfd, it->name, got) == 0 &&
        memcmp(got, want, CHECKSUMS_LEN) == 0)
        return skip(r, it, "checksum ok");
    it->replace = 1;
    return ITEM_PLANNED;
}

/* -N and NAME exists: ask for it only if it changed, by the ETag stored
 * with it, else by its mtime; what comes replaces it. */
static enum item_status validators(struct run *r, struct item *it)
{
    struct stat st;

    if (meta_etag_get(r->dirfd, it->name, it->s->etag, sizeof it->s->etag) !=
        0)
        it->s->etag[0] = '\0';
    if (fstatat(r->dirfd, it->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISREG(st.st_mode))
        it->mtime = (int64_t)st.st_mtime;
    it->replace = 1;
    return ITEM_PLANNED;
}

/* NAME exists: skip it, check it (--checksums), or ask whether it
 * changed (-N). */
static enum item_status existing(struct run *r, struct item *it)
{
    if (r->sums) {
        enum item_status s = check_existing(r, it);
        if (s != ITEM_PLANNED || it->replace)
            return s; /* a bad file is fetched whole, not asked about */
    }
    if (r->opts->timestamping)
        return validators(r, it);
    return skip(r, it, NULL);
}

/* The decisions before any traffic: ITEM_PLANNED (go on),
 * ITEM_SKIPPED, or ITEM_FAILED with the reason in it->s->err. */
static enum item_status preflight(struct run *r, struct item *it)
{
    if (!it->name)
        return ITEM_PLANNED; /* named by the response */
    if (r->sums && !checksums_find(r->sums, it->name)) {
        snprintf(it->s->err, sizeof it->s->err, "no checksum for %s in %s",
                 it->name, r->opts->checksums);
        return ITEM_FAILED;
    }
    switch (exists(r, it)) {
    case 1:
        return existing(r, it);
    case 0:
        return ITEM_PLANNED;
    default:
        return ITEM_FAILED;
    }
}

/* The same URL with the same (or no) NAME once more is not fetched
 * again: reported skipped ("same as line N") and freed, and 1 returned.
 * It is found before its name is claimed, so it takes no NAME.1. */
static int duplicate(struct run *r, struct item *it, const char *name)
{
    const struct options *o = r->opts;
    unsigned long first = 0;
    char note[64];
    char *made = NULL;

    if (names_seen(r->names, it->url, name, it->lineno, &first) != 1)
        return 0;
    if (!o->nshards || url_shard(it->url, o->nshards) == o->shard) {
        /* The path it would have had, to say which file it is. */
        if (!name && o->dirs_from_url)
            made = naming_dirs_from_url(it->url, !o->no_host_dirs, o->cut_dirs,
                                        NULL, it->s->err, sizeof it->s->err);
        else if (!name)
            made = it->req_path ? naming_from_path(it->req_path)
                                : naming_from_url(it->url);
        if (name || made)
            it->path = naming_display_path(o->dir, name ? name : made);
        if (first > 0)
            snprintf(note, sizeof note, "same as line %lu", first);
        else
            snprintf(note, sizeof note, "same as an earlier %s",
                     it->lineno ? "line" : "URL");
        it->res.path = it->path;
        it->res.status = ITEM_SKIPPED;
        it->res.error = note;
        report_result(r->report, &it->res);
    }
    free(made);
    item_free(it);
    return 1;
}

int item_prepare(struct run *r, struct input_item *in, unsigned long lineno,
                 struct item **out)
{
    struct item *it = calloc(1, sizeof *it);
    const struct options *o = r->opts;
    /* --content-disposition: the response names it. Otherwise names are
     * claimed here, in input order, so the first of two URLs with one
     * name always gets NAME and the second NAME.1. */
    int later = o->content_disposition && !in->name && !o->dry_run;

    *out = NULL;
    if (!it) {
        struct result res = {.url = in->url,
                             .status = ITEM_FAILED,
                             .error = "out of memory",
                             .lineno = lineno};
        report_result(r->report, &res);
        return -1;
    }
    it->s = &r->scratch;
    it->s->err[0] = it->s->etag[0] = it->s->new_etag[0] = '\0';
    it->url = in->url;
    it->src = it->url;
    it->host_key = in->facts.host_key;
    it->req_path = in->facts.path;
    in->facts.host_key = in->facts.path = NULL;
    it->mirrors = in->mirrors;
    it->nmirrors = in->nmirrors;
    in->url = NULL;
    in->mirrors = NULL;
    in->nmirrors = 0;
    it->lineno = lineno;
    it->mtime = it->new_mtime = -1;
    it->res.url = it->url;
    it->res.lineno = lineno;
    it->res.mirrors = (const char *const *)it->mirrors;
    it->res.nmirrors = it->nmirrors;
    if (duplicate(r, it, in->name) != 0)
        return 0;
    if (!later && claim(r, it, in->name, in->name != NULL) != 0) {
        fail(it, it->s->err[0] ? it->s->err : "out of memory");
        it->res.path = it->path;
        report_result(r->report, &it->res);
        item_free(it);
        return -1;
    }
    it->res.path = it->path;
    /* Named like every other item (so NAME.1 does not depend on the
     * shard), then left to the machine whose shard it is. */
    if (o->nshards && url_shard(it->url, o->nshards) != o->shard) {
        item_free(it);
        return 0;
    }
    *out = it;
    return 0;
}

void item_plan(struct run *r, struct item *it)
{
    enum item_status s = preflight(r, it);

    it->res.status = s;
    if (s == ITEM_FAILED)
        it->res.error = it->s->err;
    report_result(r->report, &it->res);
    item_free(it);
}

void item_not_started(struct run *r, struct item *it)
{
    it->res.status = ITEM_NOT_STARTED;
    report_result(r->report, &it->res);
}

/* --content-disposition: names the item when the response comes, by
 * the same claim and existence check as any other. */
static enum xfer_result name_from_server(void *p, struct outfile *out,
                                         const char *disposition, char *err,
                                         size_t errlen)
{
    struct run *r = ((void **)p)[0];
    struct item *it = ((void **)p)[1];
    char *want = disposition ? naming_from_disposition(disposition) : NULL;
    int rc = claim(r, it, want, 0);

    free(want);
    it->res.path = it->path;
    if (rc != 0 || outfile_set_name(out, it->name) != 0) {
        snprintf(err, errlen, "%s",
                 it->s->err[0] ? it->s->err : "out of memory");
        return XFER_FATAL;
    }
    switch (exists(r, it)) {
    case 1:
        return XFER_SKIPPED;
    case 0:
        return XFER_OK;
    default:
        snprintf(err, errlen, "%s", it->s->err);
        return XFER_FATAL;
    }
}

/* -v: how an attempt ended, and where redirects led. */
static void say_attempt(struct run *r, const struct item *it, CURL *h,
                        enum xfer_result x, const struct xfer_stats *st)
{
    char line[1536];
    long redirects = 0;
    char *final = NULL;

    curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
    curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &final);
    /* Only a redirect that was followed: EFFECTIVE_URL is then another. */
    if (redirects > 0 && final && strcmp(final, it->src) != 0 &&
        !st->redirect_refused) {
        char *shown = url_masked(final);
        snprintf(line, sizeof line, "followed %ld redirect%s to %s", redirects,
                 redirects == 1 ? "" : "s", shown ? shown : "?");
        free(shown);
        report_verbose(r->report, it->src, line);
    }
    if (x == XFER_UNCHANGED) {
        snprintf(line, sizeof line, "attempt %u: HTTP %ld, not changed",
                 it->attempts, st->http_status);
        report_verbose(r->report, it->src, line);
    } else if (x == XFER_OK) {
        snprintf(line, sizeof line, "attempt %u: HTTP %ld, %llu bytes",
                 it->attempts, st->http_status, (unsigned long long)st->bytes);
        report_verbose(r->report, it->src, line);
    }
}

/* A 429 or 503 with Retry-After speaks for the whole host: no new
 * attempt goes there until the time has passed. */
static void obey_host(struct run *r, struct item *it,
                      const struct xfer_stats *st)
{
    char line[600];

    if (st->retry_after < 0 ||
        (st->http_status != 429 && st->http_status != 503))
        return;
    if (!worker_pause_host(r, it, st->retry_after) || !r->opts->verbose)
        return;
    snprintf(line, sizeof line, "host %s asked to wait %.0f s", it->host->key,
             st->retry_after);
    report_verbose(r->report, it->src, line);
}

/* One attempt: waits for the host, takes a transfer slot and a handle,
 * transfers, gives all back. */
static enum xfer_result attempt_once(struct run *r, struct item *it,
                                     struct xfer_stats *st)
{
    void *namer_ctx[2] = {r, it};
    struct xfer_hooks hooks = {.namer = name_from_server,
                               .namer_ctx = namer_ctx,
                               .meter = it->meter,
                               .conditional = r->opts->timestamping,
                               .if_none_match =
                                   it->s->etag[0] ? it->s->etag : NULL,
                               .if_modified_since = it->mtime};
    uint64_t before = it->out.bytes;
    enum xfer_result x;
    CURL *h;

    memset(st, 0, sizeof *st);
    st->retry_after = -1;
    if (worker_enter(r, it) != 0 || sem_acquire(&r->slots) != 0) {
        worker_leave(r, it);
        snprintf(it->s->err, sizeof it->s->err, "interrupted");
        return XFER_STOPPED;
    }
    if (it->nmirrors)
        report_meter_wait(r->report, it->meter, NULL, 0, NULL);
    h = atomic_load(r->stop) ? NULL : pool_take(r->pool, it->host->key);
    if (!h) {
        sem_release(&r->slots);
        worker_leave(r, it);
        if (atomic_load(r->stop)) {
            snprintf(it->s->err, sizeof it->s->err, "interrupted");
            return XFER_STOPPED;
        }
        snprintf(it->s->err, sizeof it->s->err,
                 "cannot create a transfer (out of memory)");
        return XFER_FATAL;
    }
    it->attempts++;
    if (r->opts->verbose) {
        char line[64];
        snprintf(line, sizeof line, "starting attempt %u", it->attempts);
        report_verbose(r->report, it->src, line);
    }
    x = transfer_run(h, r->cfg, it->src, &it->out, &hooks, st, it->s->err,
                     sizeof it->s->err);
    if (r->opts->verbose)
        say_attempt(r, it, h, x, st);
    pool_give(r->pool, h, it->host->key);
    sem_release(&r->slots);
    obey_host(r, it, st);
    worker_leave(r, it);
    if (x == XFER_OK) {
        snprintf(it->s->new_etag, sizeof it->s->new_etag, "%s", st->etag);
        it->new_mtime = st->filetime;
    }
    it->received +=
        it->out.bytes >= before ? it->out.bytes - before : it->out.bytes;
    return x;
}

/* The wait before retry number n: the server's Retry-After, else an
 * exponential backoff from --retry-delay, capped at 60 s, with jitter
 * (a random time in [d/2, d]) so that retries do not come in waves. */
static double backoff(const struct options *o, unsigned n, double retry_after,
                      unsigned short seed[3])
{
    double d = o->retry_delay;

    if (retry_after >= 0)
        return retry_after;
    for (unsigned i = 1; i < n && d < 60; i++)
        d *= 2;
    if (d > 60)
        d = 60;
    return d / 2 + erand48(seed) * d / 2;
}

/* -v: why an attempt failed, and the retry to come (wait >= 0). */
static void say_failed(struct run *r, const struct item *it, double wait)
{
    char line[1536];

    if (wait >= 0)
        snprintf(line, sizeof line,
                 "attempt %u failed: %s; retrying in %.1f s", it->attempts,
                 it->s->err, wait);
    else
        snprintf(line, sizeof line, "attempt %u failed: %s", it->attempts,
                 it->s->err);
    report_verbose(r->report, it->src, line);
}

/* Waits before retry n, not counted against -j: shown in the live
 * view, or as one line in plain mode (-v says it in its own line).
 * Returns -1 on a stop. */
static int wait_retry(struct run *r, struct item *it, unsigned n, double wait)
{
    char what[64];
    int rc;

    if (r->opts->verbose)
        say_failed(r, it, wait);
    else
        report_retry(r->report, it->src, n, r->opts->retries, wait,
                     it->s->err);
    worker_wait_begin(r);
    snprintf(what, sizeof what, "retry %u/%u", n, r->opts->retries);
    report_meter_wait(r->report, it->meter, what, timeutil_now() + wait,
                      it->s->err);
    rc = timeutil_nap(wait, r->stop);
    worker_wait_end(r);
    report_meter_wait(r->report, it->meter, NULL, 0, NULL);
    return rc;
}

/* Attempts on it->src until one succeeds, fails for good, or the
 * retries run out. (The report says how many attempts a failure took.) */
static enum xfer_result try_source(struct run *r, struct item *it,
                                   unsigned short seed[3])
{
    struct xfer_stats st;

    for (unsigned n = 1;; n++) {
        enum xfer_result x = attempt_once(r, it, &st);
        if (st.http_status)
            it->res.http_status = st.http_status;
        if (x != XFER_TRANSIENT || n > r->opts->retries) {
            if (r->opts->verbose && x != XFER_OK && x != XFER_SKIPPED &&
                x != XFER_STOPPED && x != XFER_UNCHANGED)
                say_failed(r, it, -1);
            return x;
        }
        if (wait_retry(r, it, n, backoff(r->opts, n, st.retry_after, seed)) !=
            0) {
            snprintf(it->s->err, sizeof it->s->err, "interrupted");
            return XFER_STOPPED;
        }
    }
}

/* --checksums: 0 if the .part's SHA-256 is the one listed for it; -2
 * for a mismatch, which removes the .part (no bad bytes are kept); -1
 * when it cannot be told. The reason goes to it->s->err. */
static int verify(struct run *r, struct item *it)
{
    const unsigned char *want = checksums_find(r->sums, it->name);
    unsigned char got[CHECKSUMS_LEN];

    if (!want) {
        snprintf(it->s->err, sizeof it->s->err,
                 "no checksum for %s in %s; the data is in %s.part", it->name,
                 r->opts->checksums, it->path);
        return -1;
    }
    if (outfile_digest(&it->out, got) != 0) {
        snprintf(it->s->err, sizeof it->s->err,
                 "cannot compute the SHA-256 of %s.part", it->path);
        return -1;
    }
    if (memcmp(want, got, CHECKSUMS_LEN) != 0) {
        char hw[2 * CHECKSUMS_LEN + 1], hg[2 * CHECKSUMS_LEN + 1];
        checksums_hex(want, hw);
        checksums_hex(got, hg);
        snprintf(it->s->err, sizeof it->s->err,
                 "SHA-256 mismatch (expected %s, got %s); %s.part removed", hw,
                 hg, it->path);
        outfile_abandon(&it->out, 1);
        it->out.bytes = 0;
        return -2;
    }
    return 0;
}

/* The URL of source k of it: 0 is the line's first, then its mirrors. */
static const char *source_url(const struct item *it, size_t k)
{
    return k == 0 ? it->url : it->mirrors[k - 1];
}

/* Moves on to source k after source k - 1 failed for good (why in
 * it->s->err). Bytes from one source go on with another only when a
 * checksum will check the result; otherwise the next starts at 0. */
static void next_source(struct run *r, struct item *it, size_t k)
{
    char what[64];
    const char *from = it->src;

    it->src = source_url(it, k);
    if (it->out.fd >= 0 && it->out.bytes > 0 &&
        !(r->sums && it->name && checksums_find(r->sums, it->name))) {
        outfile_truncate(&it->out, 0);
        it->out.expect_total = 0;
    }
    worker_rehost(r, it, it->src);
    snprintf(what, sizeof what, "mirror %zu/%zu", k + 1, it->nmirrors + 1);
    report_meter_wait(r->report, it->meter, what, 0, NULL);
    if (r->opts->verbose) {
        char line[1536], *shown = url_masked(it->src);
        snprintf(line, sizeof line,
                 "%s failed (%s); trying mirror %zu/%zu: %s",
                 k == 1 ? "the first URL" : "the mirror", it->s->err, k + 1,
                 it->nmirrors + 1, shown ? shown : "?");
        free(shown);
        report_verbose(r->report, from, line);
    }
}

/* Every source in order: the first URL, then each mirror, while one
 * fails for good (its retries used up, a permanent error, or data that
 * fails its checksum). The bytes kept come from it->src. */
static enum xfer_result attempts(struct run *r, struct item *it)
{
    unsigned short seed[3];
    uintptr_t mix = (uintptr_t)it ^ (uintptr_t)time(NULL);

    seed[0] = (unsigned short)mix;
    seed[1] = (unsigned short)(mix >> 16);
    seed[2] = (unsigned short)((mix >> 16) >> 16);
    for (size_t k = 0;; k++) {
        enum xfer_result x;
        if (k > 0)
            next_source(r, it, k);
        x = try_source(r, it, seed);
        if (x == XFER_OK && r->sums) {
            int v;
            worker_wait_begin(r); /* hashing holds no worker place */
            v = verify(r, it);
            worker_wait_end(r);
            if (v == 0)
                return XFER_OK;
            x = XFER_FATAL;
            if (v == -1) /* another source will not help */
                return x;
        }
        if ((x != XFER_TRANSIENT && x != XFER_FATAL) || k == it->nmirrors)
            return x;
    }
}

/* -N: the file keeps the response's validators for the next run: its
 * mtime from Last-Modified, its ETag in an xattr. */
static void keep_validators(struct run *r, struct item *it)
{
    if (it->out.fd < 0)
        return;
    if (it->new_mtime >= 0)
        meta_mtime_set(it->out.fd, it->new_mtime);
    meta_etag_set(it->out.fd, it->s->new_etag);
    if (r->opts->verbose && it->new_mtime < 0 && !it->s->new_etag[0])
        report_verbose(r->report, it->src,
                       "no ETag or Last-Modified: -N fetches it again "
                       "every time");
}

/* Gives the finished .part its name, or says why not. */
static void commit(struct run *r, struct item *it)
{
    int rc;

    if (r->opts->timestamping)
        keep_validators(r, it);
    rc = outfile_commit(&it->out, r->opts->overwrite || it->replace);
    if (rc == 0) {
        it->res.status = ITEM_OK;
        return;
    }
    if (rc == -EEXIST)
        snprintf(it->s->err, sizeof it->s->err,
                 "%s appeared during the download; the data is in %s.part",
                 it->path, it->path);
    else if (rc == -ESTALE || rc == -EBUSY)
        outfile_describe(it->path, rc, it->s->err, sizeof it->s->err);
    else
        snprintf(it->s->err, sizeof it->s->err, "%s: %s", it->path,
                 strerror(-rc));
    fail(it, it->s->err);
}

/* How the attempts ended becomes the item's status. */
static void conclude(struct run *r, struct item *it, enum xfer_result x)
{
    switch (x) {
    case XFER_OK:
        commit(r, it);
        break;
    case XFER_SKIPPED:
        it->res.status = ITEM_SKIPPED;
        it->res.bytes = 0;
        return;
    case XFER_UNCHANGED:
        outfile_abandon(&it->out, 1);
        skip(r, it, NULL);
        it->res.error = NULL;
        it->res.status = ITEM_UNCHANGED;
        return;
    case XFER_STOPPED:
        /* Keep partial data for a later -c; an empty .part is noise. */
        outfile_abandon(&it->out, it->out.bytes == 0);
        it->res.status =
            it->attempts > 0 ? ITEM_INTERRUPTED : ITEM_NOT_STARTED;
        break;
    default:
        outfile_abandon(&it->out, it->out.bytes == 0);
        fail(it, it->s->err);
        break;
    }
    it->res.bytes = it->out.bytes;
    if (it->res.status == ITEM_OK || it->res.bytes > 0)
        it->res.source = it->src;
}

/* Opens (or resumes) the .part, runs the attempts, names the result. */
static void fetch(struct run *r, struct item *it)
{
    double t0 = timeutil_now();
    int rc = outfile_init(&it->out, r->dirfd, it->name);

    it->out_ready = 1;
    it->out.no_old_part = r->fresh;
    if (rc == 0 && r->opts->resume && it->name)
        rc = outfile_resume(&it->out);
    if (rc == 0 && r->sums)
        rc = outfile_hash(&it->out);
    if (rc != 0) {
        outfile_describe(it->path, rc, it->s->err, sizeof it->s->err);
        fail(it, it->s->err);
        return;
    }
    it->meter = report_meter_begin(r->report, it->name ? it->name : it->url);
    conclude(r, it, attempts(r, it));
    report_meter_end(r->report, it->meter);
    it->meter = NULL;
    it->res.seconds = timeutil_now() - t0;
    it->res.attempts = it->attempts;
    it->res.received = it->received;
}

void item_run(struct run *r, struct item *it)
{
    enum item_status s;

    if (atomic_load(r->stop)) {
        item_not_started(r, it);
        return;
    }
    s = preflight(r, it);
    if (s == ITEM_PLANNED)
        fetch(r, it);
    else if (s == ITEM_FAILED)
        fail(it, it->s->err);
    else
        it->res.status = s;
    report_result(r->report, &it->res);
}
