/* Descriptor limits: raise RLIMIT_NOFILE, and fit -j into it. */
#ifndef SALVO_FDLIMIT_H
#define SALVO_FDLIMIT_H

#include <stdint.h>
#include <stdio.h>

#include "options.h"

/* Descriptors one transfer holds, measured (ls /proc/PID/fd at -j 50):
 * its connection and the wakeup socket pair of the multi handle that
 * curl_easy_perform() keeps with each easy handle (3 sockets), and its
 * NAME.part; plus one for a sub-folder's descriptor or a resolver
 * thread's socket pair, held for a while. */
#define FDLIMIT_PER_TRANSFER 5

/* Descriptors kept for the rest: stdin, stdout, stderr, the output
 * directory, the URL list, the names spill file, and some slack. */
#define FDLIMIT_RESERVE 32

/* How many transfers fit in limit descriptors: at most want, at least
 * one. */
unsigned fdlimit_fit(unsigned want, uint64_t limit);

/* Raises the soft RLIMIT_NOFILE to the hard one and returns the number
 * of transfers to run at once: o->max_concurrent, or fewer if that many
 * do not fit. Says so on err once when it is fewer, with -v or when -j
 * was given (not with -q or --dry-run). */
unsigned fdlimit_apply(const struct options *o, FILE *err);

/* The lowest descriptor number the table must hold for transfers
 * transfers at once within limit descriptors (0: no limit known). */
int fdlimit_table_size(unsigned transfers, uint64_t limit);

/* Grows the process's descriptor table to hold what transfers
 * transfers will open, while the process has one thread. Call before
 * any thread starts. */
void fdlimit_size_table(unsigned transfers);

#endif
