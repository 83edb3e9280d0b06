/*
 * test_registry.c -- the registry parser, lookup, editing and writer.
 *
 * Why: the module trusts exactly what this parser accepts, so these tests
 * pin each error (with its line number), lookup through URL normalisation,
 * and the writer's promises: canonical order, comments kept with their
 * entry, byte-identical round trip, safe save with a backup.
 */
#include "sri_check.h"
#include "registry/sri_registry.h"
#include "registry/sri_registry_id.h"
#include "integrity/sri_integrity.h"
#include "url/sri_url.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <apr_general.h>
#include <apr_strings.h>

#define T256 "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
#define T384 "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
#define T384B "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
#define T512 "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="

static apr_pool_t *pool;

static void setup(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
    apr_terminate();
}

static sri_registry *parse_ok(const char *text)
{
    sri_registry *r = NULL;
    char *err = NULL;
    int rv = sri_registry_parse(pool, "reg", text, strlen(text), &r, &err);
    ck_assert_msg(rv == 0, "parse failed: %s", err ? err : "?");
    ck_assert_ptr_nonnull(r);
    return r;
}

static void parse_err(const char *text, const char *want_prefix,
                      const char *want_sub)
{
    sri_registry *r = NULL;
    char *err = NULL;
    int rv = sri_registry_parse(pool, "reg", text, strlen(text), &r, &err);
    ck_assert_msg(rv != 0, "accepted: %s", text);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strncmp(err, want_prefix, strlen(want_prefix)) == 0,
                  "error '%s' does not start with '%s'", err, want_prefix);
    ck_assert_msg(strstr(err, want_sub) != NULL,
                  "error '%s' lacks '%s'", err, want_sub);
}

START_TEST(parse_and_lookup)
{
    sri_registry *r = parse_ok(
        "# header\n"
        "\n"
        "https://cdn.example.org/lib.js\n"
        "  integrity " T384 "\n"
        "  integrity " T384B "\n"
        "  why checkout widget\n"
        "  approved-by alice\n"
        "  approved-at 2026-11-01T10:00:00Z\n"
        "  verified 2026-11-20T03:00:00Z\n"
        "  cors ok\n"
        "  source npm-ok\n"
        "https://cdn.example.org/b.js\n"
        "\tpending " T256 " 2026-11-21T00:00:00Z\n");
    const sri_entry *e;
    char *key;

    ck_assert_int_eq(sri_registry_count(r), 2);
    key = sri_url_normalize(pool, "https://CDN.example.org:443/lib.js#frag");
    ck_assert_ptr_nonnull(key);
    e = sri_registry_lookup(r, key);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->integrity, T384 " " T384B);
    ck_assert_int_eq(e->approved->nelts, 2);
    ck_assert_str_eq(e->why, "checkout widget");
    ck_assert_str_eq(e->approved_by, "alice");
    ck_assert_str_eq(e->approved_at, "2026-11-01T10:00:00Z");
    ck_assert_str_eq(e->verified, "2026-11-20T03:00:00Z");
    ck_assert_str_eq(e->cors, "ok");
    ck_assert_str_eq(e->source, "npm-ok");
    ck_assert_int_eq(e->line, 3);

    e = sri_registry_lookup(r, sri_url_normalize(pool,
                                                 "https://cdn.example.org/b.js"));
    ck_assert_ptr_nonnull(e);
    ck_assert_ptr_null(e->integrity);          /* pending only */
    ck_assert_int_eq(e->pending->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(e->pending, 0, sri_reg_token).seen,
                     "2026-11-21T00:00:00Z");

    ck_assert_ptr_null(sri_registry_lookup(r, "https://cdn.example.org/c.js"));
    ck_assert_ptr_null(sri_registry_lookup(r, NULL));
    /* sorted by normalised URL */
    ck_assert_str_eq(sri_registry_entry(r, 0)->url,
                     sri_url_normalize(pool, "https://cdn.example.org/b.js"));
    ck_assert_ptr_null(sri_registry_entry(r, 2));
    ck_assert_ptr_null(sri_registry_entry(r, -1));
}
END_TEST

/* An international host is one entry whichever way it is written: the
   registry key and the page's URL both go through UTS #46 ToASCII. */
START_TEST(international_host_is_one_entry)
{
    static const char *spellings[] = {
        "https://b\xc3\xbc" "cher.example/x.js",
        "https://B\xc3\x9c" "CHER.example/x.js",
        "https://b%C3%BCcher.example/x.js",
        "https://xn--bcher-kva.example/x.js",
        "https://XN--BCHER-KVA.Example:443/x.js#top",
    };
    size_t i, j;

    for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
        sri_registry *r = parse_ok(apr_pstrcat(pool, spellings[i],
                                               "\n  integrity " T384 "\n",
                                               NULL));
        ck_assert_str_eq(sri_registry_entry(r, 0)->url,
                         "https://xn--bcher-kva.example/x.js");
        for (j = 0; j < sizeof(spellings) / sizeof(spellings[0]); j++) {
            const sri_entry *e = sri_registry_lookup(
                r, sri_url_normalize(pool, spellings[j]));
            ck_assert_msg(e != NULL, "[%s] not found in a registry of [%s]",
                          spellings[j], spellings[i]);
            ck_assert_str_eq(e->integrity, T384);
        }
    }
    /* two spellings of one URL are a duplicate */
    parse_err("https://b\xc3\xbc" "cher.example/x.js\n  integrity " T384 "\n"
              "https://xn--bcher-kva.example/x.js\n  integrity " T384 "\n",
              "reg:3:", "duplicate URL");
    /* a host UTS #46 refuses is not a URL (U+FFFD, a joiner) */
    parse_err("https://\xef\xbf\xbd" ".example/x.js\n  integrity " T384 "\n",
              "reg:1:", "not a valid absolute http(s) URL");
    parse_err("https://a\xe2\x80\x8d" ".example/x.js\n  integrity " T384 "\n",
              "reg:1:", "not a valid absolute http(s) URL");
}
END_TEST

START_TEST(empty_and_comments_only)
{
    sri_registry *r = parse_ok("");
    ck_assert_int_eq(sri_registry_count(r), 0);
    r = parse_ok("# only a comment\n\n   \n");
    ck_assert_int_eq(sri_registry_count(r), 0);
    ck_assert_int_eq(sri_registry_count(NULL), 0);
    /* CRLF and a BOM are read */
    r = parse_ok("\xef\xbb\xbfhttps://a.example/x.js\r\n  integrity " T256 "\r\n");
    ck_assert_str_eq(sri_registry_entry(r, 0)->integrity, T256);
}
END_TEST

START_TEST(errors_name_file_and_line)
{
    parse_err("  integrity " T256 "\n", "reg:1: ", "outside an entry");
    parse_err("# c\nhttps://a.example/x.js\n  integrity " T256 "\n  colour red\n",
              "reg:4: ", "unknown key 'colour'");
    parse_err("https://a.example/x.js\n  integrity sha384-abc\n",
              "reg:2: ", "bad integrity token");
    parse_err("https://a.example/x.js\n  integrity SHA256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=\n",
              "reg:2: ", "unknown algorithm");
    parse_err("/x.js\n  integrity " T256 "\n", "reg:1: ", "absolute http(s) URL");
    parse_err("ftp://a.example/x.js\n  integrity " T256 "\n", "reg:1: ",
              "absolute http(s) URL");
    parse_err("data:text/javascript,1\n  integrity " T256 "\n", "reg:1: ",
              "absolute http(s) URL");
    parse_err("https://a.example/x.js extra\n  integrity " T256 "\n", "reg:1: ",
              "only the URL");
    parse_err("https://a.example/x.js\n  integrity " T256 "\n\n"
              "https://A.EXAMPLE:443/x.js#top\n  integrity " T256 "\n",
              "reg:4: ", "duplicate URL");
    parse_err("https://a.example/x.js\n  why nothing pinned\n", "reg:1: ",
              "no integrity or pending token");
    parse_err("https://a.example/x.js\n  pending " T256 "\n", "reg:2: ",
              "TOKEN FIRST-SEEN-TIME");
    parse_err("https://a.example/x.js\n  pending " T256 " yesterday\n", "reg:2: ",
              "bad first-seen time");
    parse_err("https://a.example/x.js\n  integrity " T256 "\n  verified 2026-13-01T00:00:00Z\n",
              "reg:3: ", "bad time");
    parse_err("https://a.example/x.js\n  integrity " T256 "\n  cors maybe\n",
              "reg:3: ", "bad cors value");
    parse_err("https://a.example/x.js\n  integrity " T256 "\n  why a\n  why b\n",
              "reg:4: ", "given twice");
    parse_err("https://a.example/x.js\n  integrity " T256 "\n  integrity " T256 "\n",
              "reg:3: ", "listed twice");
    parse_err("https://a.example/x.js\n  integrity " T256 "\n  pending " T256
              " 2026-11-01T00:00:00Z\n", "reg:3: ", "listed twice");
    parse_err("https://a.example/x.js\n  integrity " T256 "\n  why caf\xc3\n",
              "reg:3: ", "invalid UTF-8");
    parse_err("https://a.example/x.js\n  integrity " T256 "\n  why a\x01z\n",
              "reg:3: ", "control character");
    parse_err("https://a.example/x.js\n  integrity " T256 "\n  why\n",
              "reg:3: ", "needs a value");
    /* a column-0 comment ends the entry: a field after it is an error */
    parse_err("https://a.example/x.js\n  integrity " T256 "\n# c\n  cors ok\n",
              "reg:4: ", "outside an entry");
}
END_TEST

START_TEST(nul_byte_is_an_error)
{
    static const char text[] = "https://a.example/x.js\n  why a\0b\n";
    sri_registry *r;
    char *err = NULL;
    ck_assert_int_ne(sri_registry_parse(pool, "reg", text, sizeof(text) - 1,
                                        &r, &err), 0);
    ck_assert_msg(strstr(err, "reg:2: NUL byte") != NULL, "%s", err);
}
END_TEST

/* A file as the tool writes it: parse -> format gives the same bytes. */
static const char *canonical =
    "# Registry of example.org\n"
    "# reviewed weekly\n"
    "\n"
    "# analytics, owned by marketing\n"
    "https://a.example/x.js\n"
    "  integrity " T384 "\n"
    "  integrity " T384B "\n"
    "  pending " T512 " 2026-11-21T00:00:00Z\n"
    "  why analytics\n"
    "  approved-by bob\n"
    "  approved-at 2026-11-01T10:00:00Z\n"
    "  verified 2026-11-20T03:00:00Z\n"
    "  cors ok\n"
    "  source npm-ok\n"
    "  # ask bob before removing\n"
    "\n"
    "https://b.example/y.js\n"
    "  integrity " T256 "\n"
    "\n"
    "# end of file\n";

START_TEST(round_trip_identical)
{
    sri_registry *r = parse_ok(canonical);
    size_t len;
    char *out = sri_registry_format(pool, r, &len);
    ck_assert_uint_eq(len, strlen(canonical));
    ck_assert_str_eq(out, canonical);
    ck_assert_int_eq(sri_registry_header(r)->nelts, 2);
    ck_assert_int_eq(sri_registry_footer(r)->nelts, 1);
    ck_assert_int_eq(sri_registry_entry(r, 0)->comments->nelts, 1);
    ck_assert_int_eq(sri_registry_entry(r, 0)->inner_comments->nelts, 1);
}
END_TEST

START_TEST(writer_sorts_and_keeps_comments)
{
    sri_registry *r = parse_ok(
        "# about z\n"
        "https://z.example/z.js\n"
        "    cors missing\n"
        "    integrity " T256 "\n"
        "# about a\n"
        "https://a.example/a.js\n"
        "\tintegrity " T256 "   \n");
    char *out = sri_registry_format(pool, r, NULL);
    ck_assert_str_eq(out,
        "# about a\n"
        "https://a.example/a.js\n"
        "  integrity " T256 "\n"
        "\n"
        "# about z\n"
        "https://z.example/z.js\n"
        "  integrity " T256 "\n"
        "  cors missing\n");
    /* and that output is itself a fixed point */
    ck_assert_str_eq(sri_registry_format(pool, parse_ok(out), NULL), out);
}
END_TEST

START_TEST(edit_functions)
{
    sri_registry *r = sri_registry_create(pool, "new");
    sri_entry *e;
    char *err = NULL;

    ck_assert_ptr_null(sri_registry_add(r, "/rel.js", &err));
    ck_assert_ptr_nonnull(strstr(err, "absolute"));
    e = sri_registry_add(r, "https://B.example:443/b.js", &err);
    ck_assert_ptr_nonnull(e);
    ck_assert_ptr_null(sri_registry_add(r, "https://b.example/b.js", &err));
    ck_assert_ptr_nonnull(strstr(err, "already"));
    ck_assert_int_eq(sri_entry_add_token(r, e, "sha384-nope", NULL, &err), -1);
    ck_assert_int_eq(sri_entry_add_token(r, e, T256, NULL, &err), 0);
    ck_assert_int_eq(sri_entry_add_token(r, e, T256, NULL, &err), -1);
    ck_assert_int_eq(sri_entry_add_token(r, e, T384, "2026-11-01T00:00:00Z",
                                         &err), 0);
    ck_assert_str_eq(e->integrity, T256);
    ck_assert(!sri_entry_mixed_algorithms(e));
    ck_assert_int_eq(sri_entry_add_token(r, e, T512, NULL, &err), 0);
    ck_assert_str_eq(e->integrity, T256 " " T512);
    /* token membership: one function for the parser, editing and refresh */
    ck_assert_int_eq(sri_reg_token_find(e->approved, T512), 1);
    ck_assert_int_eq(sri_reg_token_find(e->approved, T384), -1);
    ck_assert_int_eq(sri_reg_token_find(e->pending, T384), 0);
    ck_assert(sri_entry_has_token(e, T384) && sri_entry_has_token(e, T256));
    ck_assert(!sri_entry_has_token(e, "sha384-nope"));
    ck_assert(sri_entry_mixed_algorithms(e));
    ck_assert_int_eq(sri_registry_warnings(pool, r)->nelts, 1);

    ck_assert_ptr_nonnull(sri_registry_add(r, "https://a.example/a.js", &err));
    ck_assert_ptr_nonnull(sri_registry_add(r, "https://c.example/c.js", &err));
    ck_assert_int_eq(sri_registry_count(r), 3);
    ck_assert_str_eq(sri_registry_entry(r, 0)->url,
                     sri_url_normalize(pool, "https://a.example/a.js"));
    ck_assert_str_eq(sri_registry_entry(r, 1)->url, e->url);
    ck_assert_int_eq(sri_entry_remove_token(e, T512), 1);
    ck_assert_str_eq(e->integrity, T256 " " T512);  /* until update */
    sri_entry_update(r, e);
    ck_assert_str_eq(e->integrity, T256);
    ck_assert_int_eq(sri_registry_remove(r, e->url), 0);
    ck_assert_int_eq(sri_registry_remove(r, e->url), -1);
    ck_assert_int_eq(sri_registry_count(r), 2);
    ck_assert_ptr_null(sri_registry_lookup(r, e->url));
    ck_assert_str_eq(sri_registry_entry(r, 1)->url,
                     sri_url_normalize(pool, "https://c.example/c.js"));
}
END_TEST

START_TEST(save_is_safe)
{
    char dir[] = "/tmp/sri-test-reg-XXXXXX";
    char *path, *bak, *err = NULL;
    sri_registry *r, *back;
    struct stat st;
    int fd;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    path = apr_pstrcat(pool, dir, "/registry", NULL);
    bak = apr_pstrcat(pool, path, ".bak", NULL);

    /* an invalid registry (entry with no token) is never written */
    r = sri_registry_create(pool, path);
    ck_assert_ptr_nonnull(sri_registry_add(r, "https://a.example/x.js", &err));
    ck_assert_int_ne(sri_registry_save(pool, r, path, &err), 0);
    ck_assert_ptr_nonnull(strstr(err, "refusing"));
    ck_assert_int_ne(access(path, F_OK), 0);

    r = parse_ok(canonical);
    ck_assert_int_eq(sri_registry_save(pool, r, path, &err), 0);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0644);
    ck_assert_int_ne(access(bak, F_OK), 0);      /* nothing to back up yet */
    ck_assert_int_eq(chmod(path, 0640), 0);

    ck_assert_int_eq(sri_registry_load(pool, path, &back, &err), 0);
    ck_assert_int_eq(sri_registry_remove(back, sri_registry_entry(back, 1)->url), 0);
    fd = sri_registry_lock(pool, path, &err);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(sri_registry_save(pool, back, path, &err), 0);
    sri_registry_unlock(fd);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0640);    /* mode kept */

    ck_assert_int_eq(sri_registry_load(pool, bak, &back, &err), 0);
    ck_assert_int_eq(sri_registry_count(back), 2); /* previous version */
    ck_assert_int_eq(sri_registry_load(pool, path, &back, &err), 0);
    ck_assert_int_eq(sri_registry_count(back), 1);

    ck_assert_int_ne(sri_registry_load(pool, apr_pstrcat(pool, dir, "/none",
                                       NULL), &back, &err), 0);
    ck_assert_ptr_nonnull(strstr(err, "cannot open"));

    unlink(path);
    unlink(bak);
    unlink(apr_pstrcat(pool, path, ".lock", NULL));
    ck_assert_int_eq(rmdir(dir), 0);              /* no temp files left */
}
END_TEST

START_TEST(warnings_name_file_and_line)
{
    sri_registry *r = parse_ok(
        "https://a.example/x.js\n  integrity " T256 "\n\n"
        "https://b.example/y.js\n  integrity " T256 "\n  integrity " T512 "\n");
    apr_array_header_t *w = sri_registry_warnings(pool, r);
    ck_assert_int_eq(w->nelts, 1);
    ck_assert_msg(strncmp(APR_ARRAY_IDX(w, 0, char *), "reg:4: warning: ", 16) == 0,
                  "%s", APR_ARRAY_IDX(w, 0, char *));
    ck_assert(!sri_entry_mixed_algorithms(sri_registry_entry(r, 0)));
    ck_assert(sri_entry_mixed_algorithms(sri_registry_entry(r, 1)));
    /* the module writes all approved tokens, in file order */
    ck_assert_str_eq(sri_registry_entry(r, 1)->integrity, T256 " " T512);
}
END_TEST

START_TEST(url_written_kept_and_header_only)
{
    sri_registry *r = parse_ok("HTTPS://CDN.Example.org/a/./b.js\n  integrity " T256 "\n");
    const sri_entry *e = sri_registry_entry(r, 0);
    char *out;
    ck_assert_str_eq(e->url_written, "HTTPS://CDN.Example.org/a/./b.js");
    ck_assert_str_eq(e->url, "https://cdn.example.org/a/b.js");
    ck_assert_ptr_eq(sri_registry_lookup(r, "https://cdn.example.org/a/b.js"), e);
    /* the written form is what people see in diffs: it is kept */
    out = sri_registry_format(pool, r, NULL);
    ck_assert_ptr_nonnull(strstr(out, "HTTPS://CDN.Example.org/a/./b.js\n"));
    /* a file with only a header round-trips */
    r = parse_ok("# just a header\n# two lines\n");
    ck_assert_str_eq(sri_registry_format(pool, r, NULL),
                     "# just a header\n# two lines\n");
    /* an empty registry writes an empty file */
    ck_assert_str_eq(sri_registry_format(pool, sri_registry_create(pool, "e"),
                                         NULL), "");
}
END_TEST

/* The digest and version id: the module's ETags/mod_status and the tool's
   inventory name a registry by these; "abc" is SHA-256's test vector. */
START_TEST(digest_and_version_id)
{
    char digest[SRI_TOKEN_MAX], id[SRI_REGISTRY_ID_LEN + 1];

    ck_assert_int_eq(sri_registry_id("abc", 3, digest, id), 0);
    ck_assert_str_eq(digest, T256);
    ck_assert_str_eq(id, "ungWv48Bz_pB");          /* '+' made '_' */
    ck_assert_int_eq(sri_registry_id("abc", 3, NULL, id), 0);
    ck_assert_str_eq(id, "ungWv48Bz_pB");
    ck_assert_int_eq(sri_registry_id("", 0, digest, NULL), 0);
    ck_assert_str_eq(digest,
                     "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    ck_assert_int_eq(sri_registry_id("", 0, NULL, id), 0);
    ck_assert_str_eq(id, "47DEQpj8HBSa");
}
END_TEST

/* Signature-based SRI: an entry may pin a signer's key beside or instead
   of digests; the key token is as strict as a digest token. */
#define KEY "ed25519-JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs="

START_TEST(key_tokens)
{
    sri_registry *r = parse_ok("https://cdn.example/a.js\n"
                               "  integrity " KEY "\n"
                               "https://cdn.example/b.js\n"
                               "  integrity " T384 "\n"
                               "  integrity " KEY "\n");
    const sri_entry *a = sri_registry_lookup(r, "https://cdn.example/a.js");
    const sri_entry *b = sri_registry_lookup(r, "https://cdn.example/b.js");
    sri_entry *e;
    char *err = NULL;
    const char *why = NULL;

    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(a->integrity, KEY);
    ck_assert_str_eq(b->integrity, T384 " " KEY);
    /* A key beside a digest is not "mixed algorithms" (both must match). */
    ck_assert(!sri_entry_mixed_algorithms(b));
    ck_assert_int_eq(sri_registry_warnings(pool, r)->nelts, 0);
    /* Round trip. */
    ck_assert_str_eq(sri_registry_format(pool, r, NULL),
                     "https://cdn.example/a.js\n  integrity " KEY "\n\n"
                     "https://cdn.example/b.js\n  integrity " T384 "\n"
                     "  integrity " KEY "\n");

    ck_assert_int_eq(sri_pin_token(KEY, strlen(KEY), &why), SRI_PIN_KEY);
    ck_assert_int_eq(sri_pin_token(T256, strlen(T256), &why), SRI_PIN_HASH);
    ck_assert_int_eq(sri_pin_token("ed25519-x", 9, &why), SRI_PIN_NONE);
    ck_assert_ptr_nonnull(strstr(why, "44 base64"));

    parse_err("https://cdn.example/a.js\n"
              "  integrity ed25519-JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs\n",
              "reg:2: ", "bad integrity token");
    parse_err("https://cdn.example/a.js\n"
              "  integrity ED25519-JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n",
              "reg:2: ", "bad integrity token");
    parse_err("https://cdn.example/a.js\n"
              "  integrity ed25519-JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs=\n",
              "reg:2: ", "canonical base64");
    parse_err("https://cdn.example/a.js\n"
              "  integrity " KEY "\n  integrity " KEY "\n",
              "reg:3: ", "listed twice");
    /* Keys are never pending: drift of a signed resource is not a new key. */
    parse_err("https://cdn.example/a.js\n"
              "  pending " KEY " 2026-01-01T00:00:00Z\n",
              "reg:2: ", "bad pending token");

    e = sri_registry_add(r, "https://cdn.example/c.js", &err);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(sri_entry_add_token(r, e, KEY, NULL, &err), 0);
    ck_assert_str_eq(e->integrity, KEY);
    ck_assert_int_eq(sri_entry_add_token(r, e, KEY "x", NULL, &err), -1);
    ck_assert_int_eq(sri_entry_add_token(r, e, KEY, "2026-01-01T00:00:00Z",
                                         &err), -1);
}
END_TEST

static Suite *registry_suite(void)
{
    Suite *s = suite_create("registry");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, parse_and_lookup);
    tcase_add_test(tc, international_host_is_one_entry);
    tcase_add_test(tc, empty_and_comments_only);
    tcase_add_test(tc, errors_name_file_and_line);
    tcase_add_test(tc, nul_byte_is_an_error);
    tcase_add_test(tc, round_trip_identical);
    tcase_add_test(tc, writer_sorts_and_keeps_comments);
    tcase_add_test(tc, edit_functions);
    tcase_add_test(tc, save_is_safe);
    tcase_add_test(tc, warnings_name_file_and_line);
    tcase_add_test(tc, url_written_kept_and_header_only);
    tcase_add_test(tc, digest_and_version_id);
    tcase_add_test(tc, key_tokens);
    suite_add_tcase(s, tc);
    return s;
}

SRI_CHECK_MAIN(registry_suite)
