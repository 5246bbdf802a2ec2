/* Runs one fuzz target over files, without libFuzzer: make check builds
 * it with the normal compiler, once per target, and replays the seed
 * corpus. Prints TAP: "ok N - PATH" per file, the plan last.
 *
 * Arguments are files or directories (their files are replayed; deeper
 * directories are not). With none, it replays
 * $srcdir/fuzz/corpus/TARGET_NAME. Each file runs in a child process,
 * so a crash is one "not ok" and the other files still run. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

#ifndef TARGET_NAME
#error "build with -DTARGET_NAME='\"fuzz-xxx\"'"
#endif

static int tests_run;
static int tests_failed;
static size_t shown_from; /* bytes of each path not shown (the $srcdir/) */

static void report(int pass, const char *path, const char *why)
{
    printf("%sok %d - %s%s%s\n", pass ? "" : "not ", ++tests_run,
           path + shown_from, why ? ": " : "", why ? why : "");
    fflush(stdout);
    if (!pass)
        tests_failed++;
}

/* Reads all of path into *data (caller frees). Returns 0 or -errno. */
static int read_all(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL, *grown;
    size_t len = 0, cap = 0, n;
    int rc = 0;

    if (!f)
        return -errno;
    do {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            grown = realloc(buf, cap);
            if (!grown) {
                rc = -ENOMEM;
                goto out;
            }
            buf = grown;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    if (ferror(f))
        rc = -EIO;
out:
    fclose(f);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    *data = buf;
    *size = len;
    return 0;
}

static void replay_file(const char *path)
{
    uint8_t *data = NULL; /* gcc -O2 cannot see read_all set them */
    size_t size = 0;
    int rc = read_all(path, &data, &size), status;
    char why[64];
    pid_t pid;

    if (rc != 0) {
        report(0, path, strerror(-rc));
        return;
    }
    pid = fork();
    if (pid == 0) {
        LLVMFuzzerTestOneInput(data, size);
        free(data);
        exit(0); /* not _exit: leak checkers run at exit */
    }
    free(data);
    if (pid < 0) {
        report(0, path, strerror(errno));
        return;
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            report(0, path, strerror(errno));
            return;
        }
    }
    if (WIFSIGNALED(status))
        snprintf(why, sizeof why, "killed by signal %d", WTERMSIG(status));
    else
        snprintf(why, sizeof why, "exit status %d", WEXITSTATUS(status));
    report(WIFEXITED(status) && WEXITSTATUS(status) == 0, path,
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? NULL : why);
}

/* Replays the files in dir, in name order; skips dot files and
 * sub-directories. */
static void replay_dir(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);

    if (n < 0) {
        report(0, dir, strerror(errno));
        return;
    }
    for (int i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]->d_name) + 2;
        char *path = malloc(len);
        struct stat st;

        if (path && names[i]->d_name[0] != '.') {
            snprintf(path, len, "%s/%s", dir, names[i]->d_name);
            if (stat(path, &st) != 0)
                report(0, path, strerror(errno));
            else if (S_ISREG(st.st_mode))
                replay_file(path);
        }
        free(path);
        free(names[i]);
    }
    free(names);
}

static void replay(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0)
        report(0, path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
        replay_dir(path);
    else
        replay_file(path);
}

int main(int argc, char **argv)
{
    const char *srcdir = getenv("srcdir");
    char corpus[4096];

    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            replay(argv[i]);
    } else {
        if (!srcdir)
            srcdir = ".";
        if (snprintf(corpus, sizeof corpus, "%s/fuzz/corpus/%s", srcdir,
                     TARGET_NAME) >= (int)sizeof corpus) {
            fprintf(stderr, "replay: $srcdir is too long\n");
            return 99; /* a hard error for automake */
        }
        shown_from = strlen(srcdir) + 1;
        replay(corpus);
    }
    printf("1..%d\n", tests_run);
    return tests_failed ? 1 : 0;
}
