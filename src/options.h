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
    const char *input_file; /* the first of input_files, or NULL */
    char **input_files;     /* owned array of borrowed strings, in order;
                               "-" is stdin */
    size_t ninput_files;
    const char *user_agent; /* borrowed, or the built-in default */
    const char **headers;   /* owned array of borrowed strings */
    size_t nheaders;
    char **urls; /* borrowed from argv */
    int nurls;
    int overwrite, json, dry_run, quiet, verbose, no_progress;
    int resume;              /* -c */
    int timestamping;        /* -N */
    int content_disposition; /* name files from the server's header */
    int dirs_from_url;       /* the URL's host and path become folders */
    int no_host_dirs;        /* ... without the host folder */
    unsigned cut_dirs;       /* ... without the path's first N folders */
    const char *cacert;      /* borrowed; NULL: the system's CAs */
    unsigned retries;        /* after the first attempt */
    double retry_delay;      /* seconds before the first retry */
    double connect_timeout, stall_timeout, timeout; /* s; 0 = none */
    unsigned max_per_host;                          /* 0: no limit */
    uint64_t limit_rate;     /* bytes per second, all together; 0: none */
    const char *checksums;   /* borrowed; a sha256sum-format file */
    unsigned shard, nshards; /* process shard K (1-based) of N; 0/0: all */
    enum options_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color;
    const char *output;     /* -o: the name for the one URL argument */
    const char *proxy;      /* borrowed; NULL: libcurl's *_proxy vars */
    int netrc;              /* --netrc, or implied by --netrc-file */
    const char *netrc_file; /* borrowed; NULL: libcurl's default */
    char *config_file;      /* owned: the config file read, or NULL */
    char **owned;           /* the config file's values (freed) */
    size_t nowned;
};

/* Parses a rate in bytes per second: a number with an optional K, M or G
 * (powers of 1024, as curl and as the live view prints them), then an
 * optional "iB" or 'B', then an optional "/s": "500K", "2MiB", "1.5G",
 * "2MB/s", "100"; 0 is no limit.
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
    OPTIONS_DUMP,    /* --dump-options: print options_dump, exit 0 */
    OPTIONS_USAGE    /* bad usage; the reason is in err; exit 2 */
};

/* Fills o from the config file, then from argv (which must outlive o):
 * the command line wins; -H and -i add to the file's. The file is
 * $SALVO_CONFIG if set, else $XDG_CONFIG_HOME/salvo/config (default
 * ~/.config/salvo/config) if it exists; --no-config, --help, --version
 * skip it. A bad line is OPTIONS_USAGE, err naming FILE:LINE. Not
 * thread-safe (getopt, getenv). Call options_free after any result. */
enum options_result options_parse(int argc, char **argv, struct options *o,
                                  char *err, size_t errlen);
void options_free(struct options *o);

void options_help(FILE *f);
void options_version(FILE *f);
/* The option table, one option a line, for the shell completions. */
void options_dump(FILE *f);

#endif
