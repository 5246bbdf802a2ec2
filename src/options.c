#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "options.h"

enum {
    OPT_OVERWRITE = 256,
    OPT_JSON,
    OPT_DRY_RUN,
    OPT_NO_PROGRESS,
    OPT_RETRY,
    OPT_RETRY_DELAY,
    OPT_CONNECT_TIMEOUT,
    OPT_STALL_TIMEOUT,
    OPT_TIMEOUT,
    OPT_CONTENT_DISPOSITION,
    OPT_CACERT,
    OPT_MAX_PER_HOST,
    OPT_LIMIT_RATE,
    OPT_CHECKSUMS,
    OPT_SHARD,
    OPT_COLOR,
};

static const struct option longopts[] = {
    {"max-concurrent", required_argument, NULL, 'j'},
    {"dir", required_argument, NULL, 'd'},
    {"input-file", required_argument, NULL, 'i'},
    {"overwrite", no_argument, NULL, OPT_OVERWRITE},
    {"header", required_argument, NULL, 'H'},
    {"user-agent", required_argument, NULL, 'A'},
    {"json", no_argument, NULL, OPT_JSON},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"continue", no_argument, NULL, 'c'},
    {"retry", required_argument, NULL, OPT_RETRY},
    {"retry-delay", required_argument, NULL, OPT_RETRY_DELAY},
    {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
    {"stall-timeout", required_argument, NULL, OPT_STALL_TIMEOUT},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"content-disposition", no_argument, NULL, OPT_CONTENT_DISPOSITION},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"max-per-host", required_argument, NULL, OPT_MAX_PER_HOST},
    {"limit-rate", required_argument, NULL, OPT_LIMIT_RATE},
    {"checksums", required_argument, NULL, OPT_CHECKSUMS},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"color", required_argument, NULL, OPT_COLOR},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

void options_help(FILE *f)
{
    fputs(
        "Usage: salvo [OPTION]... [URL]...\n"
        "Download many URLs at once. URLs come from the arguments, then\n"
        "from -i FILE; with neither, from standard input, as a stream.\n"
        "Input lines: URL, or URL NAME (a path under --dir); '#' starts\n"
        "a comment.\n"
        "\n"
        "  -j, --max-concurrent=N  transfers in flight at once, 1..1024"
        " (8);\n"
        "                          fewer if the open-file limit is too low\n"
        "  -d, --dir=DIR           output directory, created if missing"
        " (.)\n"
        "      --max-per-host=N    transfers in flight to one host"
        " (no limit)\n"
        "      --limit-rate=RATE   total bandwidth of all transfers, e.g."
        "\n                          500K, 2M, 1G (K = 1024; no limit)\n"
        "  -i, --input-file=FILE   read URLs from FILE, - for stdin\n"
        "      --overwrite         replace files that already exist\n"
        "                          (default: skip them)\n"
        "  -c, --continue          resume NAME.part files (Range request)\n"
        "      --content-disposition  name files from the server's\n"
        "                          Content-Disposition header\n"
        "      --retry=N           retries of a transient failure (3)\n"
        "      --retry-delay=SECS  first backoff; doubles, with jitter,\n"
        "                          capped at 60 s; Retry-After wins (1)\n"
        "      --connect-timeout=SECS  per connection attempt (30)\n"
        "      --stall-timeout=SECS    abort an attempt that receives\n"
        "                          nothing for SECS (60)\n"
        "      --timeout=SECS      cap on one attempt (none)\n"
        "      --cacert=FILE       verify TLS with the CA certificates in\n"
        "                          FILE instead of the system's\n"
        "      --checksums=FILE    verify against a sha256sum-format FILE\n"
        "      --shard=K/N         only the items whose URL hashes to shard\n"
        "                          K of N (to split a list across hosts)\n"
        "  -H, --header=LINE       extra request header, repeatable\n"
        "  -A, --user-agent=STR    User-Agent (salvo/" PACKAGE_VERSION ")\n"
        "      --json              one JSON object per finished URL on"
        " stdout\n"
        "      --dry-run           print URL -> PATH, download nothing\n"
        "  -q, --quiet             print only errors\n"
        "  -v, --verbose           print each attempt and redirect\n"
        "      --no-progress       plain lines, no live view\n"
        "      --color=WHEN        auto, always or never (auto; NO_COLOR"
        "\n                          in the environment means never)\n"
        "  -h, --help              show this help and exit\n"
        "  -V, --version           show the version and exit\n"
        "\n"
        "Files are written to NAME.part and renamed when complete.\n"
        "Past 65,000 URLs the names taken so far are kept in a\n"
        "temporary file in TMPDIR (or /tmp).\n"
        "Exit status: 0 all ok or skipped, 1 some failed, 2 usage error,\n"
        "130/143 interrupted.\n",
        f);
}

void options_version(FILE *f)
{
    fprintf(f, "salvo %s\n%s\n", PACKAGE_VERSION, curl_version());
}

int options_parse_seconds(const char *s, double *out)
{
    char *end;
    double v;

    if ((*s < '0' || *s > '9') && *s != '.')
        return -1;
    errno = 0;
    v = strtod(s, &end);
    /* v == v: not NaN */
    if (errno != 0 || *end != '\0' || !(v == v) || v < 0 || v > 1e6)
        return -1;
    *out = v;
    return 0;
}

int options_parse_rate(const char *s, uint64_t *out)
{
    char *end;
    double v, mult = 1;

    if ((*s < '0' || *s > '9') && *s != '.')
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || !(v == v))
        return -1;
    switch (*end) {
    case 'k':
    case 'K':
        mult = 1024.0;
        end++;
        break;
    case 'm':
    case 'M':
        mult = 1024.0 * 1024;
        end++;
        break;
    case 'g':
    case 'G':
        mult = 1024.0 * 1024 * 1024;
        end++;
        break;
    default:
        break;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (strcmp(end, "/s") == 0)
        end += 2;
    v *= mult;
    if (*end != '\0' || v < 0 || v > 1099511627776.0)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int options_parse_shard(const char *s, unsigned *k, unsigned *n)
{
    unsigned long kk, nn;
    char *slash = strchr(s, '/'), *end;

    if (!slash || *s < '0' || *s > '9' || slash[1] < '0' || slash[1] > '9')
        return -1;
    errno = 0;
    kk = strtoul(s, &end, 10);
    if (end != slash || errno != 0)
        return -1;
    nn = strtoul(slash + 1, &end, 10);
    if (*end != '\0' || errno != 0 || nn < 1 || nn > 1000000 || kk < 1 ||
        kk > nn)
        return -1;
    *k = (unsigned)kk;
    *n = (unsigned)nn;
    return 0;
}

/* Parses a whole decimal number in [lo, hi]; -1 if it is not one. */
static int parse_uint(const char *s, unsigned long lo, unsigned long hi,
                      unsigned long *out)
{
    char *end;
    unsigned long v;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int add_header(struct options *o, const char *h, char *err,
                      size_t errlen)
{
    const char **more;

    if (!strchr(h, ':') || strpbrk(h, "\r\n") || h[0] == ':') {
        snprintf(err, errlen, "bad header '%s' (want 'Name: value')", h);
        return -1;
    }
    more = realloc(o->headers, (o->nheaders + 1) * sizeof *more);
    if (!more) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    o->headers = more;
    o->headers[o->nheaders++] = h;
    return 0;
}

/* The options of issue 5: limits, sharding, colour. */
static enum options_result apply_limits(struct options *o, int c,
                                        const char *arg, char *err,
                                        size_t errlen)
{
    unsigned long v;

    if (c == OPT_MAX_PER_HOST) {
        if (parse_uint(arg, 1, OPTIONS_MAX_CONCURRENT, &v) != 0) {
            snprintf(err, errlen,
                     "--max-per-host must be a number from 1 to %d, not '%s'",
                     OPTIONS_MAX_CONCURRENT, arg);
            return OPTIONS_USAGE;
        }
        o->max_per_host = (unsigned)v;
    } else if (c == OPT_LIMIT_RATE) {
        if (options_parse_rate(arg, &o->limit_rate) != 0) {
            snprintf(err, errlen,
                     "--limit-rate wants a rate like 500K, 2M or 1G, "
                     "not '%s'",
                     arg);
            return OPTIONS_USAGE;
        }
    } else if (c == OPT_SHARD) {
        if (options_parse_shard(arg, &o->shard, &o->nshards) != 0) {
            snprintf(err, errlen,
                     "--shard wants K/N with 1 <= K <= N, not '%s'", arg);
            return OPTIONS_USAGE;
        }
    } else if (strcmp(arg, "auto") == 0) {
        o->color = COLOR_AUTO;
    } else if (strcmp(arg, "always") == 0) {
        o->color = COLOR_ALWAYS;
    } else if (strcmp(arg, "never") == 0) {
        o->color = COLOR_NEVER;
    } else {
        snprintf(err, errlen, "--color wants auto, always or never, not '%s'",
                 arg);
        return OPTIONS_USAGE;
    }
    return OPTIONS_OK;
}

/* The options that take SECS. */
static enum options_result apply_seconds(struct options *o, int c,
                                         const char *arg, char *err,
                                         size_t errlen)
{
    double v;
    const char *name = c == OPT_RETRY_DELAY       ? "--retry-delay"
                       : c == OPT_CONNECT_TIMEOUT ? "--connect-timeout"
                       : c == OPT_STALL_TIMEOUT   ? "--stall-timeout"
                                                  : "--timeout";

    if (options_parse_seconds(arg, &v) != 0) {
        snprintf(err, errlen, "%s wants a number of seconds, not '%s'", name,
                 arg);
        return OPTIONS_USAGE;
    }
    if (c == OPT_RETRY_DELAY)
        o->retry_delay = v;
    else if (c == OPT_CONNECT_TIMEOUT)
        o->connect_timeout = v;
    else if (c == OPT_STALL_TIMEOUT)
        o->stall_timeout = v;
    else
        o->timeout = v;
    return OPTIONS_OK;
}

/* Applies one option; returns OPTIONS_OK to go on. */
static enum options_result apply(struct options *o, int c, const char *arg,
                                 char *err, size_t errlen)
{
    unsigned long v;

    switch (c) {
    case 'j':
        if (parse_uint(arg, 1, OPTIONS_MAX_CONCURRENT, &v) != 0) {
            snprintf(err, errlen,
                     "--max-concurrent must be a number from 1 to %d, "
                     "not '%s'",
                     OPTIONS_MAX_CONCURRENT, arg);
            return OPTIONS_USAGE;
        }
        o->max_concurrent = (unsigned)v;
        o->max_concurrent_set = 1;
        break;
    case 'd':
        if (arg[0] == '\0') {
            snprintf(err, errlen, "--dir must not be empty");
            return OPTIONS_USAGE;
        }
        o->dir = arg;
        break;
    case 'i':
        o->input_file = arg;
        break;
    case 'H':
        return add_header(o, arg, err, errlen) ? OPTIONS_USAGE : OPTIONS_OK;
    case 'A':
        o->user_agent = arg;
        break;
    case OPT_OVERWRITE:
        o->overwrite = 1;
        break;
    case OPT_JSON:
        o->json = 1;
        break;
    case OPT_DRY_RUN:
        o->dry_run = 1;
        break;
    case 'q':
        o->quiet = 1;
        break;
    case 'v':
        o->verbose = 1;
        break;
    case OPT_NO_PROGRESS:
        o->no_progress = 1;
        break;
    case 'c':
        o->resume = 1;
        break;
    case OPT_CONTENT_DISPOSITION:
        o->content_disposition = 1;
        break;
    case OPT_CACERT:
        o->cacert = arg;
        break;
    case OPT_CHECKSUMS:
        o->checksums = arg;
        break;
    case OPT_MAX_PER_HOST:
    case OPT_LIMIT_RATE:
    case OPT_SHARD:
    case OPT_COLOR:
        return apply_limits(o, c, arg, err, errlen);
    case OPT_RETRY:
        if (parse_uint(arg, 0, 100, &v) != 0) {
            snprintf(err, errlen,
                     "--retry must be a number from 0 to 100, not '%s'", arg);
            return OPTIONS_USAGE;
        }
        o->retries = (unsigned)v;
        break;
    case OPT_RETRY_DELAY:
    case OPT_CONNECT_TIMEOUT:
    case OPT_STALL_TIMEOUT:
    case OPT_TIMEOUT:
        return apply_seconds(o, c, arg, err, errlen);
    case 'h':
        return OPTIONS_HELP;
    case 'V':
        return OPTIONS_VERSION;
    default:
        /* getopt has printed why; add nothing misleading */
        snprintf(err, errlen, "bad usage");
        return OPTIONS_USAGE;
    }
    return OPTIONS_OK;
}

enum options_result options_parse(int argc, char **argv, struct options *o,
                                  char *err, size_t errlen)
{
    int c;

    memset(o, 0, sizeof *o);
    o->max_concurrent = 8;
    o->dir = ".";
    o->user_agent = "salvo/" PACKAGE_VERSION;
    o->retries = 3;
    o->retry_delay = 1;
    o->connect_timeout = 30;
    o->stall_timeout = 60;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":j:d:i:H:A:cqvhV", longopts, NULL)) !=
           -1) {
        enum options_result r;
        if (c == '?' || c == ':') {
            const char *what = argv[optind - 1];
            if (optopt && c == '?')
                snprintf(err, errlen, "unknown option '-%c'", optopt);
            else if (c == '?')
                snprintf(err, errlen, "unknown option '%s'", what);
            else
                snprintf(err, errlen, "option '%s' needs an argument", what);
            return OPTIONS_USAGE;
        }
        r = apply(o, c, optarg, err, errlen);
        if (r != OPTIONS_OK)
            return r;
    }
    if (o->quiet && o->verbose) {
        snprintf(err, errlen, "--quiet and --verbose exclude each other");
        return OPTIONS_USAGE;
    }
    o->urls = argv + optind;
    o->nurls = argc - optind;
    return OPTIONS_OK;
}

void options_free(struct options *o)
{
    free(o->headers);
    o->headers = NULL;
    o->nheaders = 0;
}
