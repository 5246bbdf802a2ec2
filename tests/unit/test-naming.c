/* Names from URLs, user names, and collision naming. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../../src/names.h"
#include "../../src/naming.h"
#include "../tap.h"

static void from_url(const char *url, const char *want)
{
    char *n = naming_from_url(url);

    is_str(n, want, url);
    free(n);
}

/* The properties every derived name has. */
static int safe(const char *n)
{
    size_t len = strlen(n);

    if (len == 0 || len > 255 || strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)n[i] < 0x20 || n[i] == '/' || n[i] == 0x7f)
            return 0;
    return 1;
}

static void user(const char *name, const char *want)
{
    char err[256] = "";
    char *p = naming_user_path(name, "http://h/dir/file.bin", err, sizeof err);

    if (want) {
        is_str(p, want, name);
    } else {
        ok(p == NULL && err[0] != '\0', name);
        if (p)
            diag(p);
    }
    free(p);
}

static void disposition(const char *value, const char *want)
{
    char *n = naming_from_disposition(value);

    if (want)
        is_str(n, want, value);
    else
        ok(n == NULL, value);
    free(n);
}

static void claim(struct names *ns, const char *want, const char *got)
{
    char *c = names_claim(ns, want);

    is_str(c, got, want);
    free(c);
}

/* --dirs-from-url: want NULL means the URL is refused with a reason. */
static void dirs(const char *url, int host, unsigned cut, const char *leaf,
                 const char *want)
{
    char err[256] = "", what[512];
    char *p = naming_dirs_from_url(url, host, cut, leaf, err, sizeof err);

    snprintf(what, sizeof what, "dirs %s host=%d cut=%u leaf=%s", url, host,
             cut, leaf ? leaf : "-");
    if (want) {
        is_str(p, want, what);
    } else {
        ok(p == NULL && strstr(err, "..") != NULL, what);
        if (p)
            diag(p);
    }
    free(p);
}

/* Every component of a --dirs-from-url path is a safe name. */
static int safe_path(const char *p)
{
    char comp[512];

    if (!p || *p == '\0' || *p == '/')
        return 0;
    while (*p) {
        size_t len = strcspn(p, "/");
        if (len >= sizeof comp)
            return 0;
        memcpy(comp, p, len);
        comp[len] = '\0';
        if (!safe(comp) || len > 240)
            return 0;
        p += len;
        if (*p == '/' && *++p == '\0')
            return 0;
    }
    return 1;
}

static void dirs_tests(void)
{
    char err[256], longurl[2000];
    char *p;

    dirs("http://h/a/data.csv", 1, 0, NULL, "h/a/data.csv");
    dirs("http://h/b/data.csv", 1, 0, NULL, "h/b/data.csv");
    dirs("http://h/a/data.csv", 0, 0, NULL, "a/data.csv");
    dirs("http://H.Example.ORG/A/x", 1, 0, NULL, "h.example.org/A/x");
    dirs("http://h:8080/a/x", 1, 0, NULL, "h:8080/a/x");
    dirs("http://h:80/a/x", 1, 0, NULL, "h/a/x");
    dirs("https://h:443/a/x", 1, 0, NULL, "h/a/x");
    dirs("https://h:80/a/x", 1, 0, NULL, "h:80/a/x");
    dirs("http://[::1]:8080/x", 1, 0, NULL, "[::1]:8080/x");
    dirs("http://user:pw@h/x", 1, 0, NULL, "h/x");
    dirs("ftp://h/pub/x.iso", 1, 0, NULL, "h/pub/x.iso");
    /* the file name as today: no query, index.html when empty */
    dirs("http://h/a/b/x.bin?q=1/2&r=../..", 1, 0, NULL, "h/a/b/x.bin");
    dirs("http://h/a/b/x.bin#../../y", 1, 0, NULL, "h/a/b/x.bin");
    dirs("http://h/a/b/", 1, 0, NULL, "h/a/b/index.html");
    dirs("http://h/", 1, 0, NULL, "h/index.html");
    dirs("http://h", 1, 0, NULL, "h/index.html");
    dirs("http://h", 0, 0, NULL, "index.html");
    dirs("http://h?q", 0, 3, NULL, "index.html");
    /* --cut-dirs: folders of the path only, never the host or file */
    dirs("http://h/a/b/c/x", 1, 1, NULL, "h/b/c/x");
    dirs("http://h/a/b/c/x", 0, 2, NULL, "c/x");
    dirs("http://h/a/b/c/x", 1, 3, NULL, "h/x");
    dirs("http://h/a/b/c/x", 0, 99, NULL, "x");
    dirs("http://h/a/b/c/", 0, 1, NULL, "b/c/index.html");
    /* empty and "." folders are dropped (and not counted by cut) */
    dirs("http://h//a///b/x", 1, 0, NULL, "h/a/b/x");
    dirs("http://h/%2e/a/%2E/x", 1, 0, NULL, "h/a/x");
    dirs("http://h/.//a/x", 0, 1, NULL, "x");
    dirs("http://h/a/%2e", 1, 0, NULL, "h/a/index.html");
    /* dot segments as written: libcurl resolves them, inside the path */
    dirs("http://h/a/../b/x", 1, 0, NULL, "h/b/x");
    dirs("http://h/../../x", 1, 0, NULL, "h/x");
    dirs("http://h/a/./b/./x", 1, 0, NULL, "h/a/b/x");
    /* a ".." only decoding shows is refused, wherever it is */
    dirs("http://h/%2e%2e/x", 1, 0, NULL, NULL);
    dirs("http://h/a/%2E%2e/%2e%2e/x", 0, 0, NULL, NULL);
    dirs("http://h/a/.%2e/x", 1, 0, NULL, NULL);
    dirs("http://h/a/%2e./x", 1, 5, NULL, NULL);
    dirs("http://h/a/%2e%2e", 1, 0, NULL, NULL);
    dirs("http://h/a/%2e%2e/", 1, 0, NULL, NULL);
    /* not a ".." */
    dirs("http://h/a/..x/...", 1, 0, NULL, "h/a/..x/...");
    dirs("http://h/a/%2e%2e%2e/x", 1, 0, NULL, "h/a/.../x");
    /* decoded once; '/', '\\', NUL and control bytes inside a segment
     * stay in that one component, as '_' */
    dirs("http://h/a%2Fb/c%5Cd/x%2F..", 1, 0, NULL, "h/a_b/c_d/x_..");
    dirs("http://h/%2F%2E%2E/x", 1, 0, NULL, "h/_../x");
    dirs("http://h/a%00b/c%0a%1b/x%7f", 1, 0, NULL, "h/a_b/c__/x_");
    dirs("http://h/a%20b/%25zz/x%41", 1, 0, NULL, "h/a b/%zz/xA");
    dirs("http://h/a%2525/x", 1, 0, NULL, "h/a%25/x");
    /* a server's name replaces only the file name */
    dirs("http://h/a/b/x", 1, 0, "report.pdf", "h/a/b/report.pdf");
    dirs("http://h/a/b/", 0, 1, "report.pdf", "b/report.pdf");
    dirs("http://h/a/b/%2e%2e", 1, 0, "report.pdf", "h/a/b/report.pdf");
    dirs("http://h/a/%2e%2e/x", 1, 0, "report.pdf", NULL);

    /* a component longer than 240 bytes is cut, like a derived name */
    memcpy(longurl, "http://h/", 9);
    memset(longurl + 9, 'd', 600);
    memcpy(longurl + 609, "/f", 3);
    p = naming_dirs_from_url(longurl, 1, 0, NULL, err, sizeof err);
    ok(p && strlen(p) == 2 + 240 + 2 && safe_path(p), "long folder cut");
    free(p);
    memset(longurl + 9, 'e', 1200);
    memcpy(longurl + 1209, ".tar.gz", 8);
    p = naming_dirs_from_url(longurl, 0, 0, NULL, err, sizeof err);
    ok(p && strlen(p) == 240 && safe_path(p) &&
           strcmp(p + 240 - 3, ".gz") == 0,
       "long file name cut, its extension kept");
    free(p);
    /* every byte 0..255 as a %XX folder and file name: all safe */
    int all = 1;
    for (int c = 0; c < 256; c++) {
        char url[64];
        snprintf(url, sizeof url, "http://h/a%%%02Xb/%%%02X/x%%%02X", c, c, c);
        p = naming_dirs_from_url(url, c & 1, 0, NULL, err, sizeof err);
        if (!p || !safe_path(p)) {
            diag(url);
            all = 0;
        }
        free(p);
    }
    ok(all, "every decoded byte gives safe folders and name");
}

int main(void)
{
    struct names ns;
    char longurl[1200];

    from_url("http://h/a/b/file.tar.gz", "file.tar.gz");
    from_url("http://h/a/b/file.bin?x=1&y=/z", "file.bin");
    from_url("http://h/a/b/file.bin#frag", "file.bin");
    from_url("http://h/dir/", "dir");
    from_url("http://h/dir//", "dir");
    from_url("http://h/", "index.html");
    from_url("http://h", "index.html");
    from_url("http://h?q=1", "index.html");
    from_url("http://h/a%20b.txt", "a b.txt");
    from_url("http://h/a%2Fb", "a_b");
    from_url("http://h/a%5cb", "a_b");
    from_url("http://h/%2e%2e", "__");
    from_url("http://h/%2E", "_");
    /* Named from the path libcurl requests: dot segments removed. */
    from_url("http://h/x/..", "index.html");
    from_url("http://h/x/.", "x");
    from_url("http://h/a/b/../c.bin", "c.bin");
    from_url("http://h/a%2fb", "a_b");
    from_url("http://h/%zz%4", "%zz%4");
    from_url("ftp://u:p@h/dir/f.txt;type=i", "f.txt;type=i");
    from_url("http://h/a%00b", "a_b");
    from_url("http://h/a%0d%0ab", "a__b");
    from_url("http://h/a%1bb", "a_b");
    from_url("http://h/a%7fb", "a_b");
    from_url("http://h/100%", "100%");
    from_url("http://h/bad%zzhex", "bad%zzhex");
    from_url("http://h/%252e", "%2e");
    from_url("http://user:pw@h/f", "f");
    from_url("ftp://h/pub/x.iso", "x.iso");

    memcpy(longurl, "http://h/", 9);
    memset(longurl + 9, 'a', 1000);
    strcpy(longurl + 1009, ".tar.gz");
    {
        char *n = naming_from_url(longurl);
        ok(n && strlen(n) <= NAMING_MAX, "long name shortened");
        ok(n && strcmp(n + strlen(n) - 3, ".gz") == 0,
           "long name keeps its extension");
        ok(n && safe(n), "long name is safe");
        free(n);
    }
    {
        /* A multi-byte character straddling the cut is not split. */
        char u[1200] = "http://h/";
        char *n;
        for (int i = 0; i < 300; i++)
            strcat(u, "\xc3\xa9");
        n = naming_from_url(u);
        ok(n && strlen(n) <= NAMING_MAX && strlen(n) % 2 == 0,
           "UTF-8 not split when shortening");
        free(n);
    }
    {
        /* Every byte value, percent-encoded, gives a safe name. */
        int all = 1;
        for (int b = 0; b < 256; b++) {
            char u[64];
            char *n;
            snprintf(u, sizeof u, "http://h/x%%%02Xy", b);
            n = naming_from_url(u);
            if (!n || !safe(n))
                all = 0;
            free(n);
        }
        ok(all, "every decoded byte gives a safe name");
    }

    user("out.bin", "out.bin");
    user("sub/dir/out.bin", "sub/dir/out.bin");
    user("./a//b/./c", "a/b/c");
    user("folder/", "folder/file.bin");
    user("../evil", NULL);
    user("a/../../evil", NULL);
    user("a/..", NULL);
    user("/etc/passwd", NULL);
    user("a\x01b", NULL);
    user(".", NULL);
    user("./", "file.bin");
    user("..x", "..x");

    disposition("attachment; filename=\"a.bin\"", "a.bin");
    disposition("attachment; filename=plain.txt", "plain.txt");
    disposition("attachment; FILENAME = \"spaced.txt\"", "spaced.txt");
    disposition("attachment; filename=\"../../evil.bin\"", "evil.bin");
    disposition("attachment; filename=\"/etc/passwd\"", "passwd");
    disposition("attachment; filename=\"a\\\\b.bin\"", "b.bin");
    disposition("attachment; filename=\"C:\\\\x\\\\y.exe\"", "y.exe");
    disposition("attachment; filename=\"..\"", "__");
    disposition("attachment; filename=\"a\rb\nc\"", "a_b_c");
    disposition("attachment; filename*=UTF-8''caf%C3%A9.txt",
                "caf\xc3\xa9.txt");
    disposition("attachment; filename*=iso-8859-1'en'caf%E9.txt",
                "caf\xc3\xa9.txt");
    disposition("attachment; filename=\"fallback.txt\"; "
                "filename*=UTF-8''wins.txt",
                "wins.txt");
    disposition("attachment; filename*=UTF-8''..%2F..%2Fevil2.bin",
                "evil2.bin");
    disposition("attachment; filename*=UTF-8''a%00b", "a");
    disposition("attachment; filename*=UTF-8''%2e%2e", "__");
    disposition("attachment", NULL);
    disposition("inline; name=\"x\"", NULL);
    disposition("attachment; filename=\"dir/\"", NULL);
    disposition("attachment; filename=\"unterminated", "unterminated");
    {
        char *p = naming_display_path("out/", "x.bin");
        is_str(p, "out/x.bin", "display path: one slash");
        free(p);
        p = naming_display_path(".", "x.bin");
        is_str(p, "x.bin", "display path: no ./");
        free(p);
        p = naming_display_path("/", "x.bin");
        is_str(p, "/x.bin", "display path: root");
        free(p);
    }

    ok(names_setup(&ns) == 0, "names setup");
    claim(&ns, "x.bin", "x.bin");
    claim(&ns, "x.bin", "x.bin.1");
    claim(&ns, "x.bin", "x.bin.2");
    claim(&ns, "x.bin.1", "x.bin.1.1");
    claim(&ns, "y", "y");
    claim(&ns, "y.part", "y.part.1");
    claim(&ns, "z.part", "z.part");
    claim(&ns, "z", "z.1");
    claim(&ns, "sub/x.bin", "sub/x.bin");
    {
        /* Growth keeps every claim. */
        int all = 1;
        for (int i = 0; i < 5000; i++) {
            char want[32], *c;
            snprintf(want, sizeof want, "f%d", i % 2500);
            c = names_claim(&ns, want);
            if (!c || (i < 2500 && strcmp(c, want) != 0) ||
                (i >= 2500 && strcmp(c + strlen(want), ".1") != 0))
                all = 0;
            free(c);
        }
        ok(all, "5000 claims across growth: first NAME, then NAME.1");
    }
    names_teardown(&ns);

    /* The same URL and NAME seen twice: the second says where the first
     * was; a name's claim is no URL's key, and a key no name's claim. */
    ok(names_setup(&ns) == 0, "names setup for seen items");
    {
        unsigned long first = 99;
        ok(names_seen(&ns, "http://h/a", NULL, 3, &first) == 0, "new item");
        ok(names_seen(&ns, "http://h/a", "x", 4, &first) == 0,
           "same URL, another NAME: new");
        ok(names_seen(&ns, "http://h/a", NULL, 7, &first) == 1 && first == 3,
           "same URL again: seen on line 3");
        ok(names_seen(&ns, "http://h/a", "x", 8, &first) == 1 && first == 4,
           "same URL and NAME again: seen on line 4");
        ok(names_seen(&ns, "http://h/ax", NULL, 9, &first) == 0,
           "URL+NAME split elsewhere: new");
        claim(&ns, "http://h/a", "http://h/a");
        for (int i = 0; i < 20000; i++) {
            char u[64];
            snprintf(u, sizeof u, "http://h/%d", i);
            names_seen(&ns, u, NULL, (unsigned long)i + 10, &first);
        }
        ok(names_seen(&ns, "http://h/a", NULL, 1, &first) == 1,
           "still seen after 20000 more");
    }
    names_teardown(&ns);

    /* Many claims of one name: each is the next suffix, and a NAME given
     * by the user in that series is still never handed out twice. */
    ok(names_setup(&ns) == 0, "names setup for one name");
    {
        int all = 1;
        claim(&ns, "export.3", "export.3");
        for (unsigned long i = 0; i < 30000; i++) {
            char want[32], *c = names_claim(&ns, "export");
            /* export.3 and export.5 were taken by the user */
            unsigned long k = i < 3 ? i : i < 4 ? i + 1 : i + 2;
            if (k == 0)
                snprintf(want, sizeof want, "export");
            else
                snprintf(want, sizeof want, "export.%lu", k);
            if (!c || strcmp(c, want) != 0)
                all = 0;
            free(c);
            if (i == 2)
                claim(&ns, "export.5", "export.5");
        }
        ok(all, "30000 claims of one name: export, export.1, ... in order, "
                "stepping over the user's export.3 and export.5");
        claim(&ns, "export.5", "export.5.1");
        claim(&ns, "export.part", "export.part.1");
    }
    names_teardown(&ns);

    /* A bound of 256 hashes: spilled runs in the temporary file, each
     * behind its Bloom filter, must answer exactly as memory did. */
    ok(names_setup_bounded(&ns, 256) == 0, "bounded names setup");
    {
        int all = 1, dups = 0;
        for (int i = 0; i < 60000; i++) {
            char want[32], *c;
            /* 20000 names, each asked for three times, far apart. */
            snprintf(want, sizeof want, "d%d/f%d.bin", i % 20000 % 7,
                     i % 20000);
            c = names_claim(&ns, want);
            if (!c) {
                all = 0;
                continue;
            }
            if (i < 20000 && strcmp(c, want) != 0)
                all = 0;
            else if (i >= 20000) {
                const char *suffix = c + strlen(want);
                if (strncmp(c, want, strlen(want)) != 0 ||
                    strcmp(suffix, i < 40000 ? ".1" : ".2") != 0)
                    all = 0;
                else
                    dups++;
            }
            free(c);
        }
        ok(all, "60000 claims over spilled runs: NAME, NAME.1, NAME.2");
        ok(dups == 40000, "every repeat got the next suffix");
        ok(ns.nruns > 10, "the table spilled into runs");
        claim(&ns, "d0/f0.bin.part", "d0/f0.bin.part.1");
        claim(&ns, "fresh", "fresh");
        claim(&ns, "fresh.part", "fresh.part.1");
    }
    names_teardown(&ns);

    /* No usable temporary directory: the table grows instead. */
    {
        const char *old = getenv("TMPDIR");
        char *saved = old ? strdup(old) : NULL;
        int all = 1;
        setenv("TMPDIR", "/nonexistent/salvo-test", 1);
        ok(names_setup_bounded(&ns, 64) == 0, "names setup, no TMPDIR");
        for (int i = 0; i < 4000; i++) {
            char want[32], *c;
            snprintf(want, sizeof want, "g%d", i % 2000);
            c = names_claim(&ns, want);
            if (!c || (i < 2000) != (strcmp(c, want) == 0))
                all = 0;
            free(c);
        }
        ok(all && ns.nruns == 0, "no spill file: the table grew, exact");
        names_teardown(&ns);
        if (saved)
            setenv("TMPDIR", saved, 1);
        else
            unsetenv("TMPDIR");
        free(saved);
    }
    dirs_tests();
    return done_testing();
}
