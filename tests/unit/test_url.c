/*
 * test_url.c -- table-driven tests of sri_url.c (WHATWG URL parsing,
 * resolution, normalisation, origins).
 *
 * Why: whether a script is third-party and which registry key pins it
 * both depend on resolving exactly as the browser does; each row below is
 * a case a page or registry could contain.  Expected values follow the
 * WHATWG URL standard (fragment removed, as sri_url_* drop it).
 */
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "sri_check.h"
#include "url/sri_url.h"

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

#define DOC "https://www.example.com/dir/page.html?q=1#top"

/* base, ref, expected (NULL: invalid) */
static const struct { const char *base, *ref, *expect; } resolve_cases[] = {
    /* the key example of the header */
    {NULL, "https://CDN.example.org:443/a/../a.js#x", "https://cdn.example.org/a.js"},
    /* "http(s)://" needs no base (the base is not even parsed): the same
       result whatever the base, valid or not; other spellings of an
       absolute-looking URL do read the base */
    {"https://h.example/a/b", "HTTPS://cdn.example/x.js", "https://cdn.example/x.js"},
    {"not a url", "https://cdn.example/x.js", "https://cdn.example/x.js"},
    {"foo://h/p", "http://cdn.example/../x.js", "http://cdn.example/x.js"},
    {"file:///etc/x", "\t https://cdn.example/x.js", "https://cdn.example/x.js"},
    {"https://h.example/a/b", "https:x.js", "https://h.example/a/x.js"},
    {"http://h.example/a/b", "https:x.js", "https://x.js/"},
    {"https://h.example/a/b", "https:\\\\cdn.example/x.js", "https://cdn.example/x.js"},
    {"https://h.example/a/b", "https:/x.js", "https://h.example/x.js"},
    {"https://h.example/a/b", "http:/x.js", "http://x.js/"},
    {NULL, "https://cdn.example.org/a.js", "https://cdn.example.org/a.js"},
    /* whitespace: surrounding C0/space stripped, tab/newline removed */
    {DOC, "  https://cdn.example.org/x.js\n ", "https://cdn.example.org/x.js"},
    {DOC, "\x01\x1f https://cdn.example.org/x.js\x7f", "https://cdn.example.org/x.js%7F"},
    {DOC, "ht\ttps://cdn.exa\nmple.org/x\r.js", "https://cdn.example.org/x.js"},
    {DOC, "a b.js", "https://www.example.com/dir/a%20b.js"},
    /* scheme: case-insensitive, lower-cased */
    {NULL, "HTTPS://cdn.example.org/", "https://cdn.example.org/"},
    {NULL, "HtTp://cdn.example.org", "http://cdn.example.org/"},
    {DOC, "https:x.js", "https://www.example.com/dir/x.js"},
    {DOC, "http:x.js", "http://x.js/"},
    {DOC, "https:/x.js", "https://www.example.com/x.js"},
    {DOC, "https:\\\\cdn.example.org\\x.js", "https://cdn.example.org/x.js"},
    {DOC, "https:////cdn.example.org/x.js", "https://cdn.example.org/x.js"},
    /* relative forms */
    {DOC, "//cdn.example.org/lib.js", "https://cdn.example.org/lib.js"},
    {DOC, "\\\\cdn.example.org\\lib.js", "https://cdn.example.org/lib.js"},
    {DOC, "/\\cdn.example.org/lib.js", "https://cdn.example.org/lib.js"},
    {DOC, "/js/app.js", "https://www.example.com/js/app.js"},
    {DOC, "\\js\\app.js", "https://www.example.com/js/app.js"},
    {DOC, "js/app.js", "https://www.example.com/dir/js/app.js"},
    {DOC, "./js/app.js", "https://www.example.com/dir/js/app.js"},
    {DOC, "../js/app.js", "https://www.example.com/js/app.js"},
    {DOC, "../../../../js/app.js", "https://www.example.com/js/app.js"},
    {DOC, "?v=2", "https://www.example.com/dir/page.html?v=2"},
    {DOC, "#frag", "https://www.example.com/dir/page.html?q=1"},
    {DOC, "", "https://www.example.com/dir/page.html?q=1"},
    {DOC, "   ", "https://www.example.com/dir/page.html?q=1"},
    {DOC, ".", "https://www.example.com/dir/"},
    {DOC, "..", "https://www.example.com/"},
    {DOC, ":x", "https://www.example.com/dir/:x"},
    {"https://h/a/b/c", "../../x", "https://h/x"},
    {"https://h/a/b/c", "d/./e/../f", "https://h/a/b/d/f"},
    {"https://h/a/b/", "", "https://h/a/b/"},
    {"https://h", "x", "https://h/x"},
    /* dot segments, including percent-encoded ones */
    {NULL, "https://h/a/./b/../c", "https://h/a/c"},
    {NULL, "https://h/a/%2e/b/%2E%2e/c", "https://h/a/c"},
    {NULL, "https://h/a/.%2E/c", "https://h/c"},
    {NULL, "https://h/a/b/..", "https://h/a/"},
    {NULL, "https://h/a/b/.", "https://h/a/b/"},
    {NULL, "https://h/..a/...", "https://h/..a/..."},
    {NULL, "https://h/%2e%2e%2f", "https://h/%2e%2e%2f"},
    {NULL, "https://h/a/..?x", "https://h/?x"},
    /* percent-encoding: path and query sets; existing %XX kept */
    {NULL, "https://h/a b\"<>`{}^?c d\"<>'`", "https://h/a%20b%22%3C%3E%60%7B%7D%5E?c%20d%22%3C%3E%27`"},
    {NULL, "https://h/%41%zz%", "https://h/%41%zz%"},
    {NULL, "https://h/caf\xc3\xa9", "https://h/caf%C3%A9"},
    {NULL, "https://h/?caf\xc3\xa9", "https://h/?caf%C3%A9"},
    {NULL, "https://h/p|q[]@:;=", "https://h/p|q[]@:;="},
    {NULL, "https://h/?a=1&b=2&c=%20", "https://h/?a=1&b=2&c=%20"},
    {NULL, "https://h/?", "https://h/?"},
    {NULL, "https://h/?#x", "https://h/?"},
    {NULL, "foo://h/?'", "foo://h/?'"},
    /* userinfo kept, encoded with the userinfo set */
    {NULL, "https://user:pa ss@h/", "https://user:pa%20ss@h/"},
    {NULL, "https://user:@h/", "https://user@h/"},
    {NULL, "https://:@h/", "https://h/"},
    {NULL, "https://a@b@h/", "https://a%40b@h/"},
    {NULL, "https://a:b:c@h/", "https://a:b%3Ac@h/"},
    {NULL, "https://user@/x", NULL},
    {NULL, "https://@/x", NULL},
    /* hosts */
    {NULL, "https://CDN.Example.ORG/", "https://cdn.example.org/"},
    {NULL, "https://cdn%2Eexample%2eorg/", "https://cdn.example.org/"},
    {NULL, "https://cdn.example.org./", "https://cdn.example.org./"},
    {NULL, "https://exa mple.org/", NULL},
    {NULL, "https://exa<mple.org/", NULL},
    {NULL, "https://exa^mple.org/", NULL},
    {NULL, "https://exa|mple.org/", NULL},
    {NULL, "https://exa%25mple.org/", NULL},
    {NULL, "https://exa%00mple.org/", NULL},
    {NULL, "https://exa%zzmple.org/", NULL},
    {NULL, "https://ex_ample.org/", "https://ex_ample.org/"},
    {NULL, "https:///x", "https://x/"},
    {NULL, "https://", NULL},
    {NULL, "https:", NULL},
    {NULL, "https://%41/", "https://a/"},
    {NULL, "https://%2e/", "https://./"},
    /* non-ASCII hosts: UTS #46 ToASCII (libidn2), as the URL standard */
    {NULL, "https://b\xc3\xbc" "cher.example/x.js", "https://xn--bcher-kva.example/x.js"},
    {NULL, "https://b%C3%BCcher.example/x.js", "https://xn--bcher-kva.example/x.js"},
    {NULL, "https://b%c3%bc%63her.example/x.js", "https://xn--bcher-kva.example/x.js"},
    {NULL, "https://B\xc3\x9c" "CHER.Example/x.js", "https://xn--bcher-kva.example/x.js"},
    {NULL, "https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"},
    {NULL, "https://XN--BCHER-KVA.example/", "https://xn--bcher-kva.example/"},
    {DOC, "//b\xc3\xbc" "cher.example:443/a/../x.js", "https://xn--bcher-kva.example/x.js"},
    {"https://b\xc3\xbc" "cher.example/dir/", "x.js", "https://xn--bcher-kva.example/dir/x.js"},
    /* ASCII labels beside a non-ASCII one are only lower-cased: no hyphen
       or length checks (CheckHyphens, VerifyDnsLength false) */
    {NULL, "https://a--b.-x.\xc3\xbc" "/", "https://a--b.-x.xn--tda/"},
    /* ... but an "xn--" label beside one is checked (invalid punycode) */
    {NULL, "https://xn--a.\xc3\xbc" "/", NULL},
    {NULL, "https://xn--zca.\xc3\xbc" "/", "https://xn--zca.xn--tda/"},
    /* an ASCII domain is only lower-cased, "xn--" labels unchecked */
    {NULL, "https://XN--A.example/", "https://xn--a.example/"},
    /* mapping: fullwidth letters and dots, ideographic full stop, ignored
       code points (soft hyphen), deviation characters kept (ß) */
    {NULL, "https://\xef\xbd\x83\xef\xbd\x84\xef\xbd\x8e\xef\xbc\x8e" "example/", "https://cdn.example/"},
    {NULL, "https://cdn\xe3\x80\x82" "example/", "https://cdn.example/"},
    {NULL, "https://cd\xc2\xad" "n.example/", "https://cdn.example/"},
    {NULL, "https://fa\xc3\x9f" ".de/", "https://xn--fa-hia.de/"},
    /* fullwidth digits become an IPv4 address */
    {NULL, "https://\xef\xbc\x91\xef\xbc\x92\xef\xbc\x97\xef\xbc\x8e" "1/", "https://127.0.0.1/"},
    /* failures: invalid UTF-8, U+FFFD, only ignored code points, a mapping
       to a forbidden code point (fullwidth %), joiners (CheckJoiners),
       Bidi (CheckBidi), a disallowed code point, NUL */
    {NULL, "https://b%FCcher.example/", NULL},
    {NULL, "https://\xc3/", NULL},
    {NULL, "https://\xef\xbf\xbd" ".example/", NULL},
    {NULL, "https://%C2%AD/", NULL},
    {NULL, "https://\xef\xbc\x85" "41.example/", NULL},
    {NULL, "https://a\xe2\x80\x8d" ".example/", NULL},
    {NULL, "https://\xd9\x8a" "a.example/", NULL},
    {NULL, "https://\xef\xb7\x90" "zyx.example/", NULL},
    {NULL, "https://%00\xc3\xbc" ".example/", NULL},
    /* where libidn2 differs from the URL standard (README.md), refusing
       what a browser accepts: IDNA2008 DISALLOWED symbols (the browser
       gives xn--53h.example), hyphens at the start or in the 3rd and 4th
       places of a label it converts, such a label over 63 bytes ... */
    {NULL, "https://\xe2\x98\x95" ".example/", NULL},
    {NULL, "https://-\xc3\xbc" "/", NULL},
    {NULL, "https://\xc3\xbc" "x--y/", NULL},
    {NULL, "https://\xc3\xbc" "123456789012345678901234567890123456789012345678901234567890123/", NULL},
    /* ... and Bidi across labels (the browser refuses this one) */
    {NULL, "https://\xd9\x8a" ".1x/", "https://xn--mhb.1x/"},
    /* non-special URLs keep an opaque, percent-encoded host */
    {NULL, "sc://b\xc3\xbc" "cher/", "sc://b%C3%BCcher/"},
    /* IPv4 in every spelling the standard accepts */
    {NULL, "http://127.0.0.1/", "http://127.0.0.1/"},
    {NULL, "http://0x7f.0.0.1/", "http://127.0.0.1/"},
    {NULL, "http://0x7F000001/", "http://127.0.0.1/"},
    {NULL, "http://2130706433/", "http://127.0.0.1/"},
    {NULL, "http://0177.0.0.01/", "http://127.0.0.1/"},
    {NULL, "http://127.1/", "http://127.0.0.1/"},
    {NULL, "http://127.0.1/", "http://127.0.0.1/"},
    {NULL, "http://192.168.257/", "http://192.168.1.1/"},
    {NULL, "http://1.2.3.4./", "http://1.2.3.4/"},
    {NULL, "http://0x/", "http://0.0.0.0/"},
    {NULL, "http://0/", "http://0.0.0.0/"},
    {NULL, "http://%30x%37f.1/", "http://127.0.0.1/"},
    {NULL, "http://4294967295/", "http://255.255.255.255/"},
    {NULL, "http://4294967296/", NULL},
    {NULL, "http://256.0.0.1/", NULL},
    {NULL, "http://1.2.3.4.5/", NULL},
    {NULL, "http://1..2/", NULL},
    {NULL, "http://09/", NULL},
    {NULL, "http://0x1g/", "http://0x1g/"},          /* not a number: a domain */
    {NULL, "http://foo.09/", NULL},
    {NULL, "http://foo.0x/", NULL},
    {NULL, "http://1.2.3.09a/", "http://1.2.3.09a/"},
    {NULL, "http://99999999999999999999999/", NULL},
    {NULL, "foo://0x7f.1/", "foo://0x7f.1/"},
    /* IPv6: lower-cased and compressed */
    {NULL, "http://[::1]/", "http://[::1]/"},
    {NULL, "http://[0:0:0:0:0:0:0:1]:8080/", "http://[::1]:8080/"},
    {NULL, "http://[2001:DB8::0:1]/", "http://[2001:db8::1]/"},
    {NULL, "http://[2001:db8:0:0:1:0:0:1]/", "http://[2001:db8::1:0:0:1]/"},
    {NULL, "http://[1:0:0:2:0:0:0:3]/", "http://[1:0:0:2::3]/"},
    {NULL, "http://[1:0:2:0:3:0:4:0]/", "http://[1:0:2:0:3:0:4:0]/"},
    {NULL, "http://[::]/", "http://[::]/"},
    {NULL, "http://[::ffff:192.168.0.1]/", "http://[::ffff:c0a8:1]/"},
    {NULL, "http://[0001:0002:0003:0004:0005:0006:0007:0008]/", "http://[1:2:3:4:5:6:7:8]/"},
    {NULL, "http://[::1.2.3]/", NULL},
    {NULL, "http://[::01.2.3.4]/", NULL},
    {NULL, "http://[1:2:3:4:5:6:7:8:9]/", NULL},
    {NULL, "http://[1::2::3]/", NULL},
    {NULL, "http://[1:2]/", NULL},
    {NULL, "http://[:1]/", NULL},
    {NULL, "http://[1:]/", NULL},
    {NULL, "http://[12345::]/", NULL},
    {NULL, "http://[::1/", NULL},
    {NULL, "http://[::1]x/", NULL},
    {NULL, "http://[]/", NULL},
    {NULL, "foo://[::1]/", "foo://[::1]/"},
    /* ports: numeric, default dropped */
    {NULL, "http://h:80/", "http://h/"},
    {NULL, "https://h:443/", "https://h/"},
    {NULL, "ws://h:80/", "ws://h/"},
    {NULL, "wss://h:443/", "wss://h/"},
    {NULL, "ftp://h:21/", "ftp://h/"},
    {NULL, "http://h:443/", "http://h:443/"},
    {NULL, "https://h:80/", "https://h:80/"},
    {NULL, "https://h:0443/", "https://h/"},
    {NULL, "https://h:8443", "https://h:8443/"},
    {NULL, "https://h:/", "https://h/"},
    {NULL, "https://h:0/", "https://h:0/"},
    {NULL, "https://h:65535/", "https://h:65535/"},
    {NULL, "https://h:65536/", NULL},
    {NULL, "https://h:1x/", NULL},
    {NULL, "https://h: 1/", NULL},
    {NULL, "https://:443/", NULL},
    {NULL, "foo://h:80/", "foo://h:80/"},
    {NULL, "foo://h:99999/", NULL},
    /* non-special schemes: opaque paths, opaque hosts */
    {NULL, "data:text/javascript,alert(1)", "data:text/javascript,alert(1)"},
    {NULL, "DATA:text/plain,a b", "data:text/plain,a b"},
    {NULL, "data:,x ?y #z", "data:,x%20?y%20"},
    {NULL, "javascript:void(0)", "javascript:void(0)"},
    {NULL, "mailto:Someone@Example.com", "mailto:Someone@Example.com"},
    {NULL, "blob:https://a.example/uuid", "blob:https://a.example/uuid"},
    {NULL, "about:blank", "about:blank"},
    {NULL, "foo:\xc3\xa9\x01x", "foo:%C3%A9%01x"},
    {NULL, "foo://Host/a/../b", "foo://Host/b"},
    {NULL, "foo://h\\x/", NULL},
    {NULL, "foo://h%zz/", "foo://h%zz/"},
    {NULL, "foo://", "foo://"},
    {NULL, "foo:/a/../b", "foo:/b"},
    {NULL, "foo:/.//p", "foo:/.//p"},
    {NULL, "foo:/..//p", "foo:/.//p"},
    {NULL, "foo:\\x", "foo:\\x"},
    {"foo://h/a/b", "c", "foo://h/a/c"},
    {"foo://h/a/b", "\\c", "foo://h/a/\\c"},
    /* relative refs against an opaque base fail, fragments do not */
    {"data:text/html,hi", "x.js", NULL},
    {"data:text/html,hi", "/x.js", NULL},
    {"data:text/html,hi", "#x", "data:text/html,hi"},
    {"about:blank", "//cdn.example.org/x.js", NULL},
    {"about:blank", "https://cdn.example.org/x.js", "https://cdn.example.org/x.js"},
    /* relative refs without a base, invalid base = no base */
    {NULL, "x.js", NULL},
    {NULL, "//cdn.example.org/x.js", NULL},
    {NULL, "", NULL},
    {"not a url", "x.js", NULL},
    {"not a url", "https://h/x", "https://h/x"},
    /* 1x.js etc.: a scheme needs a leading letter */
    {DOC, "1http://h/x", "https://www.example.com/dir/1http://h/x"},
    {DOC, "-x:y", "https://www.example.com/dir/-x:y"},
    {DOC, "a+b-c.d:e", "a+b-c.d:e"},
    {DOC, "a_b:c", "https://www.example.com/dir/a_b:c"},
    /* file: */
    {NULL, "file:///etc/passwd", "file:///etc/passwd"},
    {NULL, "file://localhost/etc", "file:///etc"},
    {NULL, "FILE://LocalHost/etc", "file:///etc"},
    {NULL, "file:/etc", "file:///etc"},
    {NULL, "file:c:\\x\\..\\y", "file:///c:/y"},
    {NULL, "file:///C|/x", "file:///C:/x"},
    {NULL, "file://C:/x/../..", "file:///C:/"},
    {"file:///C:/a/b", "/x", "file:///C:/x"},
    {"file:///a/b", "c", "file:///a/c"},
    {"file:///a/b", "?q", "file:///a/b?q"},
    {"file://h/a/b", "//g/x", "file://g/x"},
    {"file:///a/b", "https://h/x", "https://h/x"},
};

START_TEST(test_resolve)
{
    const char *base = resolve_cases[_i].base;
    const char *ref = resolve_cases[_i].ref;
    const char *expect = resolve_cases[_i].expect;
    char *got = sri_url_resolve(pool, base, ref, strlen(ref));

    if (expect == NULL)
        ck_assert_msg(got == NULL, "[%s] on [%s]: expected failure, got [%s]",
                      ref, base ? base : "(none)", got);
    else
        ck_assert_msg(got != NULL && strcmp(got, expect) == 0,
                      "[%s] on [%s]: expected [%s], got [%s]", ref,
                      base ? base : "(none)", expect, got ? got : "(null)");
    if (got) {                            /* idempotence */
        char *again = sri_url_normalize(pool, got);
        ck_assert_msg(again && strcmp(again, got) == 0,
                      "not idempotent: [%s] -> [%s]", got,
                      again ? again : "(null)");
    }
}
END_TEST

/* ref_len is honoured: bytes after it are not part of the URL, and NUL
   bytes inside it are data. */
START_TEST(test_resolve_length)
{
    const char ref[] = "/a.js\"rest";
    const char nul[] = "https://h/a\0b";
    char *got = sri_url_resolve(pool, "https://h/", ref, 5);

    ck_assert_str_eq(got, "https://h/a.js");
    got = sri_url_resolve(pool, NULL, nul, sizeof(nul) - 1);
    ck_assert_str_eq(got, "https://h/a%00b");
    ck_assert_ptr_eq(sri_url_resolve(pool, NULL, "https://h\0/", 11), NULL);
}
END_TEST

/* Long inputs take the pool path instead of the stack scratch area. */
START_TEST(test_resolve_long)
{
    size_t n = 100000, k;
    char *ref = apr_palloc(pool, n + 1), *got;
    char *expect = apr_palloc(pool, 3 * n + 32);

    memcpy(ref, "https://h/", 10);
    memset(ref + 10, ' ', n - 11);
    ref[n - 1] = 'x';
    ref[n] = '\0';
    strcpy(expect, "https://h/");
    for (k = 10; k < n - 1; k++)
        memcpy(expect + 10 + 3 * (k - 10), "%20", 3);
    strcpy(expect + 10 + 3 * (n - 11), "x");
    got = sri_url_resolve(pool, "https://other/", ref, n);
    ck_assert_ptr_nonnull(got);
    ck_assert_int_eq(strlen(got), strlen(expect));
    ck_assert(strcmp(got, expect) == 0);
}
END_TEST

/* A host whose ASCII form is far longer than the URL: many one-character
   labels that each map to four characters and become "xn--...".  It needs
   more room than the usual three bytes per input byte, as a page's
   reference, as a base, and through a base with a long path. */
START_TEST(test_resolve_idna_long)
{
    const char *label = "\xe3\x8d\xbf.";      /* U+337F, maps to 4 CJK */
    const char *ascii = "xn--6oqv20b1zgzxr.";
    char *host = "", *want = "", *base, *ref, *got;
    int k;

    for (k = 0; k < 40; k++) {
        host = apr_pstrcat(pool, host, label, NULL);
        want = apr_pstrcat(pool, want, ascii, NULL);
    }
    got = sri_url_normalize(pool, apr_pstrcat(pool, "https://", host,
                                              "example/x.js", NULL));
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, apr_pstrcat(pool, "https://", want, "example/x.js",
                                      NULL));
    base = apr_pstrcat(pool, "https://", host, "example/dir/page.html", NULL);
    got = sri_url_resolve(pool, base, "x.js", 4);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, apr_pstrcat(pool, "https://", want,
                                      "example/dir/x.js", NULL));
    got = sri_url_resolve(pool, "https://a.example/", base, strlen(base));
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, apr_pstrcat(pool, "https://", want,
                                      "example/dir/page.html", NULL));
    ck_assert_str_eq(sri_url_normalize(pool, got), got);
    /* the base needs more room, then the reference even more */
    ref = apr_pstrcat(pool, "https://", host, host, host, host, host,
                      "example/", NULL);
    got = sri_url_resolve(pool, base, ref, strlen(ref));
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, apr_pstrcat(pool, "https://", want, want, want,
                                      want, want, "example/", NULL));
}
END_TEST

static const struct { const char *url, *origin; } origin_cases[] = {
    {"https://cdn.example.org/a.js", "https://cdn.example.org"},
    {"https://cdn.example.org:8443/a.js", "https://cdn.example.org:8443"},
    {"http://user:pw@h/x", "http://h"},
    {"http://[::1]:81/", "http://[::1]:81"},
    {"wss://h/", "wss://h"},
    {"ftp://h/", "ftp://h"},
    {"https://h/?q", "https://h"},
    {"data:text/javascript,x", NULL},
    {"blob:https://h/uuid", NULL},
    {"javascript:alert(1)", NULL},
    {"about:blank", NULL},
    {"mailto:a@b", NULL},
    {"file:///etc/passwd", NULL},
    {"foo://h/x", NULL},
    {"nonsense", NULL},
};

START_TEST(test_origin)
{
    const char *expect = origin_cases[_i].origin;
    char *got = sri_url_origin(pool, origin_cases[_i].url);

    if (expect)
        ck_assert_msg(got && strcmp(got, expect) == 0, "%s: got %s",
                      origin_cases[_i].url, got ? got : "(null)");
    else
        ck_assert_msg(got == NULL, "%s: got %s", origin_cases[_i].url, got);
}
END_TEST

static const struct { const char *a, *b; int same; } same_origin_cases[] = {
    {"https://h/a", "https://h/b?c", 1},
    {"https://h/a", "https://u:p@h/b", 1},
    {"https://h/a", "http://h/a", 0},
    {"https://h/a", "https://h:8443/a", 0},
    {"https://h:8443/a", "https://h:8443/b", 1},
    {"https://h/a", "https://h.example/a", 0},
    {"https://h.example/a", "https://h/a", 0},
    {"https://a.h/", "https://b.h/", 0},
    {"data:x", "data:x", 0},
    {"https://h/", "data:x", 0},
    {"file:///a", "file:///a", 0},
};

START_TEST(test_same_origin)
{
    ck_assert_int_eq(sri_url_same_origin(same_origin_cases[_i].a,
                                         same_origin_cases[_i].b),
                     same_origin_cases[_i].same);
}
END_TEST

/* Normalising then comparing origins: the registry use case. */
START_TEST(test_same_origin_normalised)
{
    char *a = sri_url_normalize(pool, "HTTPS://CDN.example.org:443/x");
    char *b = sri_url_resolve(pool, "https://www.example.com/",
                              "//cdn.EXAMPLE.org/y", 19);

    ck_assert(sri_url_same_origin(a, b));
    ck_assert_str_eq(sri_url_origin(pool, a), "https://cdn.example.org");
}
END_TEST

static const struct { const char *url; int http; } is_http_cases[] = {
    {"http://h/", 1}, {"https://h/", 1}, {"ws://h/", 0}, {"wss://h/", 0},
    {"ftp://h/", 0}, {"file:///x", 0}, {"data:,x", 0}, {"httpx://h/", 0},
    {"blob:https://h/x", 0}, {"javascript:x", 0}, {"", 0}, {"http", 0},
    {"HTTPS://h/", 1}, {"hTtP:", 1}, {"https", 0}, {"htt:p", 0},
    {"httpss://h/", 0}, {":http", 0}, {NULL, 0},
};

START_TEST(test_is_http)
{
    ck_assert_int_eq(sri_url_is_http(is_http_cases[_i].url),
                     is_http_cases[_i].http);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *url_suite(void)
{
    Suite *s = suite_create("url");
    TCase *tc = tcase_create("url");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_resolve, 0, N(resolve_cases));
    tcase_add_test(tc, test_resolve_length);
    tcase_add_test(tc, test_resolve_long);
    tcase_add_test(tc, test_resolve_idna_long);
    tcase_add_loop_test(tc, test_origin, 0, N(origin_cases));
    tcase_add_loop_test(tc, test_same_origin, 0, N(same_origin_cases));
    tcase_add_test(tc, test_same_origin_normalised);
    tcase_add_loop_test(tc, test_is_http, 0, N(is_http_cases));
    suite_add_tcase(s, tc);
    return s;
}

SRI_CHECK_MAIN(url_suite)
