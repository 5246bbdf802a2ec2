/* URL helpers: scheme checks, authority, masking. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../../src/url.h"
#include "../tap.h"

static int checks(const char *url)
{
    char err[256];

    return url_check(url, err, sizeof err) == 0;
}

static void reason(const char *url, const char *want)
{
    char err[512] = "";

    ok(url_check(url, err, sizeof err) == -1, url);
    is_str(err, want, url);
}

static void masked(const char *url, const char *want)
{
    char *m = url_masked(url);

    is_str(m, want, url);
    free(m);
}

static void authority(const char *url, const char *want)
{
    const char *a;
    size_t n;
    char buf[256] = "";

    if (url_authority(url, &a, &n) == 0)
        snprintf(buf, sizeof buf, "%.*s", (int)n, a);
    is_str(buf, want, url);
}

static void host_key(const char *url, const char *want)
{
    char *k = url_host_key(url);

    is_str(k ? k : "(null)", want, url);
    free(k);
}

int main(void)
{
    ok(checks("http://example.com/a"), "http ok");
    ok(checks("HTTPS://example.com"), "scheme is case-insensitive");
    ok(checks("ftp://h/f.txt"), "ftp ok");
    ok(checks("ftps://h/f.txt"), "ftps ok");
    ok(!checks("file:///etc/passwd"), "file: refused");
    ok(!checks("gopher://h/"), "gopher: refused");
    ok(!checks("scp://h/x"), "scp: refused");
    ok(!checks("example.com/x"), "no scheme refused");
    ok(!checks("http://"), "no host refused");
    ok(!checks("http:///path"), "empty host refused");
    ok(!checks("http://h/a b"), "space refused");
    ok(!checks("http://h/a\x01"), "control byte refused");
    ok(!checks(""), "empty refused");
    ok(!checks("://h/"), "empty scheme refused");
    ok(!checks("http://127.0.0.1:70000/x"), "port over 65535 refused");
    ok(!checks("http://h:8x/"), "port not a number refused");
    ok(!checks("http://a@b@host/"), "two '@' refused, as libcurl does");
    ok(!checks("http://[::1/"), "bad IPv6 address refused");
    ok(checks("http://[::1]:8080/x"), "IPv6 address ok");
    ok(checks("http://user:pw@h:21/x"), "user and password ok");
    reason("http://127.0.0.1:70000/x",
           "bad URL: Port number was not a decimal number between 0 and "
           "65535");
    reason("example.invalid/x",
           "no scheme: did you mean https://example.invalid/x?");
    reason("//h/x", "no scheme: did you mean https://h/x?");
    reason("http:/h/x", "no scheme: did you mean http://h/x?");
    reason("FTPS:h/x", "no scheme: did you mean ftps://h/x?");
    reason("gopher://h/", "unsupported scheme 'gopher'");

    authority("http://user:pw@host:8080/p?q", "host:8080");
    authority("http://host", "host");
    authority("http://a@b@host/x", "host");
    authority("https://h?x=@y", "h");

    masked("http://user:secret@h/p", "http://***@h/p");
    masked("http://user@h/p", "http://***@h/p");
    masked("http://h/p@x", "http://h/p@x");
    masked("ftp://a:b@c:21/", "ftp://***@c:21/");
    masked("nonsense", "nonsense");

    ok(url_is_secure("https://h/"), "https is secure");
    ok(url_is_secure("FTPS://h/"), "ftps is secure");
    ok(!url_is_secure("http://h/"), "http is not");
    {
        const char *p;
        size_t n;
        char buf[64];
        url_path("http://h:1/a/b?c#d", &p, &n);
        snprintf(buf, sizeof buf, "%.*s", (int)n, p);
        is_str(buf, "/a/b", "path without query");
        url_path("http://h?x", &p, &n);
        ok(n == 0, "no path");
    }
    host_key("http://Example.COM/x", "example.com:80");
    host_key("http://example.com:80/", "example.com:80");
    host_key("https://h/", "h:443");
    host_key("ftp://u:p@h:2121/f", "h:2121");
    host_key("http://[::1]:8080/", "[::1]:8080");
    host_key("http://h:70000/", "(null)");
    host_key("not a url", "(null)");
    return done_testing();
}
