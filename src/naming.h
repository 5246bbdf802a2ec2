/* Output names: derived from URLs, checked when the user gives them, and
 * made unique within one run. */
#ifndef SALVO_NAMING_H
#define SALVO_NAMING_H

#include <stddef.h>

/* Longest name salvo derives. Below NAME_MAX (255) so that NAME.part and
 * a NAME.N collision suffix still fit. */
#define NAMING_MAX 240

/* Makes one path component from len raw bytes (which may hold NULs):
 * '/', '\\', NUL and control bytes become '_', "." and ".." become "_"
 * and "__", empty becomes "index.html", longer than NAMING_MAX is cut
 * (keeping a short extension, never splitting a UTF-8 sequence). The
 * caller frees the result; NULL when out of memory. */
char *naming_sanitize(const char *raw, size_t len);

/* The file name for url: the last non-empty segment of the path libcurl
 * requests (curl_url(3): dot segments resolved; the path as written if
 * curl_url refuses url), without the query, percent-decoded once by
 * curl_easy_unescape(3), then naming_sanitize()d. The caller frees it;
 * NULL when out of memory. */
char *naming_from_url(const char *url);

/* The same name from the path libcurl requests for a URL (as
 * url_check_facts gives it), without parsing the URL again. */
char *naming_from_path(const char *path);

/* --dirs-from-url (wget -x): the path under the output directory that
 * url's host and path make, for a line without NAME. host_dir puts
 * "host" first (lower-cased as curl_url(3) gives it; "host:port" for a
 * port that is not the scheme's default, as wget names it); then the
 * folders of the path libcurl requests (dot segments resolved), the
 * first cut of them dropped; then the file name: leaf if not NULL (a
 * server's Content-Disposition name, already safe), else the last
 * segment as naming_from_url() makes it ("index.html" when empty).
 * Each segment is percent-decoded once by curl_easy_unescape(3) and
 * naming_sanitize()d; an empty or "." one is dropped. A ".." that
 * survives libcurl's dot segment removal (written "%2e%2e") is refused:
 * NULL with the reason in err. Returns the path (the caller frees), or
 * NULL with the reason in err ("out of memory" too). Thread-safe. */
char *naming_dirs_from_url(const char *url, int host_dir, unsigned cut,
                           const char *leaf, char *err, size_t errlen);

/* The file name a Content-Disposition header value asks for:
 * filename*= (RFC 8187: charset'lang'percent-encoded) wins over
 * filename=; only what follows the last '/' or '\\' is kept, then it is
 * naming_sanitize()d. NULL if the header names no file (or out of
 * memory): the caller falls back to naming_from_url(). The caller frees
 * the result. */
char *naming_from_disposition(const char *value);

/* "DIR/NAME" as shown to the user ("NAME" when DIR is "."). The caller
 * frees it; NULL when out of memory. */
char *naming_display_path(const char *dir, const char *name);

/* Checks and normalises a NAME given on an input line: a relative path,
 * sub-folders allowed; "." and empty components are dropped; absolute
 * paths, ".." components, control bytes and components longer than
 * NAMING_MAX are refused. A NAME ending in '/' is a folder: the name
 * derived from url goes inside it. Returns the path (caller frees), or
 * NULL with the reason in err (or "out of memory"). */
char *naming_user_path(const char *name, const char *url, char *err,
                       size_t errlen);

#endif
