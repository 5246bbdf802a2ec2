/* Command-line options: parsed and checked once, then read-only. */
#ifndef SALVO_OPTIONS_H
#define SALVO_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define OPTIONS_MAX_CONCURRENT 1024

struct options {
    unsigned max_concurrent;
    int max_concurrent_set; /* -j was given, not the default */
    const char *dir;        /* borrowed from argv */
    const char *input_file; /* borrowed; NULL: none, "-": stdin */
    const char *user_agent; /* borrowed, or the built-in default */
    const char **headers;   /* owned array of borrowed strings */
    size_t nheaders;
    char **urls; /* borrowed from argv */
    int nurls;
    int overwrite, json, dry_run, quiet, verbose, no_progress;
    int resume;              /* -c */
    int content_disposition; /* name files from the server's header */
    const char *cacert;      /* borrowed; NULL: the system's CAs */
    unsigned retries;        /* after the first attempt */
    double retry_delay;      /* seconds before the first retry */
    double connect_timeout, stall_timeout, timeout; /* s; 0 = none */
    unsigned max_per_host;                          /* 0: no limit */
    uint64_t limit_rate;     /* bytes per second, all together; 0: none */
    const char *checksums;   /* borrowed; a sha256sum-format file */
    unsigned shard, nshards; /* process shard K (1-based) of N; 0/0: all */
    enum options_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color;
};

/* Parses a rate: a number with an optional K, M or G (powers of 1024)
 * and an optional trailing 'B' or "/s": "500K", "2M", "1.5G", "100".
 * Returns 0, or -1 if s is not one (or is above 1 TiB/s). */
int options_parse_rate(const char *s, uint64_t *out);

/* Parses "K/N" with 1 <= K <= N <= 1000000. Returns 0 or -1. */
int options_parse_shard(const char *s, unsigned *k, unsigned *n);

/* Parses a number of seconds: a decimal >= 0 (fractions allowed) up to
 * a million. Returns 0, or -1 if s is not one. */
int options_parse_seconds(const char *s, double *out);

enum options_result {
    OPTIONS_OK,
    OPTIONS_HELP,    /* --help: print options_help, exit 0 */
    OPTIONS_VERSION, /* --version */
    OPTIONS_USAGE    /* bad usage; the reason is in err; exit 2 */
};

/* Fills o from argv (which must outlive o). Not thread-safe (getopt). */
enum options_result options_parse(int argc, char **argv, struct options *o,
                                  char *err, size_t errlen);
void options_free(struct options *o);

void options_help(FILE *f);
void options_version(FILE *f);

#endif
