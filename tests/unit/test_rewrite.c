/*
 * test_rewrite.c -- the rewrite rules, through the real scanner, URL
 * resolver and registry parser (sri_rewrite_buffer), table-driven.
 */
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "sri_check.h"
#include "sri_registry_fixture.h"
#include "rewrite/sri_rewrite.h"
#include "registry/sri_registry.h"

#define T_A "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
#define T_B "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
#define T_A_URL "sha384-oqVuAfXRKap7fdgcCY5uykM6-R9GqQ8K_uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
#define T_256 "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
#define T_512 "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
#define KEY "ed25519-JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs="
#define KEY_URL "ed25519-JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"
#define KEY_OTHER "ed25519-11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define DOC "https://www.example.com/shop/page.html"

static const char *registry_text =
    "# unit test registry\n"
    "https://cdn.example.org/a.js\n"
    "    integrity " T_A "\n"
    "https://cdn.example.org/b.css\n"
    "    integrity " T_B "\n"
    "https://cdn.example.org/two.js\n"
    "    integrity " T_A "\n"
    "    integrity " T_B "\n"
    "https://www.example.com/shop/own.js\n"
    "    integrity " T_A "\n"
    "https://cdn.example.org/k.js\n"
    "    integrity " KEY "\n";

SRI_REGISTRY_FIXTURE(registry_text)

typedef struct {
    const char *in;
    const char *want;
    sri_policy  pol;
} rw_case;

#define P_DEFAULT { SRI_SCOPE_THIRD_PARTY, SRI_UNKNOWN_ALLOW, SRI_EXISTING_KEEP, SRI_CORS_ANONYMOUS }
#define P_ALL     { SRI_SCOPE_ALL, SRI_UNKNOWN_ALLOW, SRI_EXISTING_KEEP, SRI_CORS_ANONYMOUS }
#define P_BLOCK   { SRI_SCOPE_THIRD_PARTY, SRI_UNKNOWN_BLOCK, SRI_EXISTING_KEEP, SRI_CORS_ANONYMOUS }
#define P_REPLACE { SRI_SCOPE_THIRD_PARTY, SRI_UNKNOWN_ALLOW, SRI_EXISTING_REPLACE, SRI_CORS_ANONYMOUS }
#define P_CRED    { SRI_SCOPE_THIRD_PARTY, SRI_UNKNOWN_ALLOW, SRI_EXISTING_KEEP, SRI_CORS_USE_CREDENTIALS }

#define PIN_A " integrity=\"" T_A "\" crossorigin=\"anonymous\""
#define PIN_B " integrity=\"" T_B "\" crossorigin=\"anonymous\""

static const rw_case cases[] = {
    /* scripts */
    { "<script src=\"https://cdn.example.org/a.js\"></script>",
      "<script src=\"https://cdn.example.org/a.js\"" PIN_A "></script>", P_DEFAULT },
    { "<script src=https://cdn.example.org/a.js></script>",
      "<script src=https://cdn.example.org/a.js" PIN_A "></script>", P_DEFAULT },
    { "<SCRIPT SRC='https://CDN.Example.ORG:443/x/../a.js#frag' ASYNC></SCRIPT>",
      "<SCRIPT SRC='https://CDN.Example.ORG:443/x/../a.js#frag' ASYNC" PIN_A "></SCRIPT>", P_DEFAULT },
    { "<script src=\"//cdn.example.org/a.js\"/>",
      "<script src=\"//cdn.example.org/a.js\"" PIN_A "/>", P_DEFAULT },
    { "<script src=\"https://cdn&#46;example.org/a&period;js\"></script>",
      "<script src=\"https://cdn&#46;example.org/a&period;js\"" PIN_A "></script>", P_DEFAULT },
    { "<script src=\" https://cdn.example.org/a.js\n\"></script>",
      "<script src=\" https://cdn.example.org/a.js\n\"" PIN_A "></script>", P_DEFAULT },
    { "<script type=module src=https://cdn.example.org/a.js></script>",
      "<script type=module src=https://cdn.example.org/a.js" PIN_A "></script>", P_DEFAULT },
    { "<script type=\" text/JavaScript \" src=https://cdn.example.org/a.js></script>",
      "<script type=\" text/JavaScript \" src=https://cdn.example.org/a.js" PIN_A "></script>", P_DEFAULT },
    { "<script type=\"\" src=https://cdn.example.org/a.js></script>",
      "<script type=\"\" src=https://cdn.example.org/a.js" PIN_A "></script>", P_DEFAULT },
    { "<script language=javascript1.2 src=https://cdn.example.org/a.js></script>",
      "<script language=javascript1.2 src=https://cdn.example.org/a.js" PIN_A "></script>", P_DEFAULT },
    { "<script src=\"https://cdn.example.org/two.js\"></script>",
      "<script src=\"https://cdn.example.org/two.js\" integrity=\"" T_A " " T_B "\" crossorigin=\"anonymous\"></script>", P_DEFAULT },
    /* not fetched as scripts, or nothing to pin */
    { "<script type=text/template src=https://cdn.example.org/a.js></script>", NULL, P_DEFAULT },
    { "<script type=importmap src=https://cdn.example.org/a.js></script>", NULL, P_DEFAULT },
    { "<script language=vbscript src=https://cdn.example.org/a.js></script>", NULL, P_DEFAULT },
    { "<script src=\"\"></script>", NULL, P_DEFAULT },
    { "<script src=\"data:text/javascript,alert(1)\"></script>", NULL, P_DEFAULT },
    { "<script>var s='<script src=https://cdn.example.org/a.js>'</script>", NULL, P_DEFAULT },
    { "<script src=https://cdn.example.org/unknown.js></script>", NULL, P_DEFAULT },
    /* duplicate attributes: the first wins */
    { "<script src=https://evil.example/x.js src=https://cdn.example.org/a.js></script>", NULL, P_DEFAULT },
    /* crossorigin and integrity already there */
    { "<script src=https://cdn.example.org/a.js crossorigin></script>",
      "<script src=https://cdn.example.org/a.js crossorigin integrity=\"" T_A "\"></script>", P_DEFAULT },
    /* SRIExisting keep: a usable author's integrity is kept, matching or not */
    { "<script src=https://cdn.example.org/a.js integrity=\"" T_A "\"></script>", NULL, P_DEFAULT },
    { "<script src=https://cdn.example.org/a.js integrity=\"" T_256 "\"></script>", NULL, P_DEFAULT },
    { "<script src=https://cdn.example.org/a.js integrity=\"" T_A_URL "?x " T_512 "\"></script>", NULL, P_DEFAULT },
    { "<script src=https://cdn.example.org/unknown.js integrity=\"sha1-x\"></script>", NULL, P_DEFAULT },
    /* a signer's key (signature-based SRI) is a usable token */
    { "<script src=https://cdn.example.org/k.js integrity=\"" KEY_URL "\"></script>", NULL, P_DEFAULT },
    { "<script src=https://cdn.example.org/k.js integrity=\"" KEY_OTHER "\"></script>", NULL, P_DEFAULT },
    { "<script src=https://cdn.example.org/k.js integrity=\"ed25519-xx sha1-x\"></script>",
      "<script src=https://cdn.example.org/k.js integrity=\"" KEY "\" crossorigin=\"anonymous\"></script>", P_DEFAULT },
    /* ... but one without a usable token (fail-open, or never matching)
       pins nothing: replaced by the approved tokens, crossorigin added */
    { "<script src=https://cdn.example.org/a.js integrity=\"sha256-x\"></script>",
      "<script src=https://cdn.example.org/a.js integrity=\"" T_A "\" crossorigin=\"anonymous\"></script>", P_DEFAULT },
    { "<base href=https://cdn.example.org/><script src=a.js integrity=sha256-xx></script>",
      "<base href=https://cdn.example.org/><script src=a.js integrity=\"" T_A "\" crossorigin=\"anonymous\"></script>", P_DEFAULT },
    { "<script src=https://cdn.example.org/a.js integrity=\"sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0= md5-kAFQmDzST7DWlj99KOF/cg==\"></script>",
      "<script src=https://cdn.example.org/a.js integrity=\"" T_A "\" crossorigin=\"anonymous\"></script>", P_DEFAULT },
    { "<script src=https://cdn.example.org/a.js integrity=\"\" async></script>",
      "<script src=https://cdn.example.org/a.js integrity=\"" T_A "\" async crossorigin=\"anonymous\"></script>", P_DEFAULT },
    { "<script src=https://cdn.example.org/a.js integrity=' \t\n'></script>",
      "<script src=https://cdn.example.org/a.js integrity=\"" T_A "\" crossorigin=\"anonymous\"></script>", P_DEFAULT },
    { "<script src=https://cdn.example.org/a.js integrity></script>",
      "<script src=https://cdn.example.org/a.js integrity=\"" T_A "\" crossorigin=\"anonymous\"></script>", P_DEFAULT },
    /* a tag that ends in "=": new attributes go right after the name, so
       the two edits come in the other order (they used to be dropped,
       the tag left as it was though counted as pinned) */
    /* a base whose scheme is data or javascript is ignored (HTML's frozen
       base URL): the document's URL is the base */
    { "<base href=\"javascript:x\"><script src=//cdn.example.org/a.js></script>",
      "<base href=\"javascript:x\"><script src=//cdn.example.org/a.js" PIN_A "></script>", P_DEFAULT },
    { "<base href=\"DATA:,x\"><script src=//cdn.example.org/a.js></script>",
      "<base href=\"DATA:,x\"><script src=//cdn.example.org/a.js" PIN_A "></script>", P_DEFAULT },
    { "<script src=https://cdn.example.org/a.js integrity=></script>",
      "<script crossorigin=\"anonymous\" src=https://cdn.example.org/a.js integrity=\"" T_A "\"></script>", P_DEFAULT },
    { "<script src=https://cdn.example.org/a.js integrity= ></script>",
      "<script crossorigin=\"anonymous\" src=https://cdn.example.org/a.js integrity= \"" T_A "\"></script>", P_DEFAULT },
    { "<script src=https://cdn.example.org/a.js integrity=\"sha1-x\" data-x=></script>",
      "<script crossorigin=\"anonymous\" src=https://cdn.example.org/a.js integrity=\"" T_A "\" data-x=></script>", P_DEFAULT },
    { "<script src=https://cdn.example.org/a.js integrity=\"SHA384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC sha384- sha384-abc!def\" crossorigin=use-credentials></script>",
      "<script src=https://cdn.example.org/a.js integrity=\"" T_A "\" crossorigin=use-credentials></script>", P_DEFAULT },
    { "<link rel=stylesheet href=https://cdn.example.org/b.css integrity='sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg'>",
      "<link rel=stylesheet href=https://cdn.example.org/b.css integrity=\"" T_B "\" crossorigin=\"anonymous\">", P_DEFAULT },
    { "<script src=https://cdn.example.org/a.js integrity=&#x73;ha1-x></script>",
      "<script src=https://cdn.example.org/a.js integrity=\"" T_A "\" crossorigin=\"anonymous\"></script>", P_DEFAULT },
    { "<script src=https://cdn.example.org/a.js integrity=\"sha256-x\"></script>",
      "<script src=https://cdn.example.org/a.js integrity=\"" T_A "\" crossorigin=\"anonymous\"></script>", P_REPLACE },
    { "<script src=https://cdn.example.org/a.js integrity='sha256-x' crossorigin></script>",
      "<script src=https://cdn.example.org/a.js integrity=\"" T_A "\" crossorigin></script>", P_REPLACE },
    { "<script src=https://cdn.example.org/a.js integrity=sha256-x></script>",
      "<script src=https://cdn.example.org/a.js integrity=\"" T_A "\" crossorigin=\"anonymous\"></script>", P_REPLACE },
    { "<script src=https://cdn.example.org/a.js integrity></script>",
      "<script src=https://cdn.example.org/a.js integrity=\"" T_A "\" crossorigin=\"anonymous\"></script>", P_REPLACE },
    { "<script src=https://cdn.example.org/a.js></script>",
      "<script src=https://cdn.example.org/a.js integrity=\"" T_A "\" crossorigin=\"use-credentials\"></script>", P_CRED },
    /* links */
    { "<link rel=stylesheet href=https://cdn.example.org/b.css>",
      "<link rel=stylesheet href=https://cdn.example.org/b.css" PIN_B ">", P_DEFAULT },
    { "<link rel=\"alternate  StyleSheet\" href=https://cdn.example.org/b.css>",
      "<link rel=\"alternate  StyleSheet\" href=https://cdn.example.org/b.css" PIN_B ">", P_DEFAULT },
    { "<link rel=modulepreload href=https://cdn.example.org/a.js>",
      "<link rel=modulepreload href=https://cdn.example.org/a.js" PIN_A ">", P_DEFAULT },
    { "<link rel=preload as=script href=https://cdn.example.org/a.js>",
      "<link rel=preload as=script href=https://cdn.example.org/a.js" PIN_A ">", P_DEFAULT },
    { "<link rel=preload as=style href=https://cdn.example.org/b.css />",
      "<link rel=preload as=style href=https://cdn.example.org/b.css" PIN_B " />", P_DEFAULT },
    { "<link rel=preload as=image href=https://cdn.example.org/a.js>", NULL, P_DEFAULT },
    { "<link rel=icon href=https://cdn.example.org/b.css>", NULL, P_DEFAULT },
    { "<link rel=prefetch href=https://cdn.example.org/a.js>", NULL, P_DEFAULT },
    /* base: the first <base href> resolves what follows */
    { "<base href=\"https://cdn.example.org/\"><script src=a.js></script>",
      "<base href=\"https://cdn.example.org/\"><script src=a.js" PIN_A "></script>", P_DEFAULT },
    { "<base target=x><base href=\"https://cdn.example.org/\"><base href=\"https://other.example/\"><script src=a.js></script>",
      "<base target=x><base href=\"https://cdn.example.org/\"><base href=\"https://other.example/\"><script src=a.js" PIN_A "></script>", P_DEFAULT },
    /* same origin */
    { "<script src=own.js></script>", NULL, P_DEFAULT },
    { "<script src=own.js></script>", "<script src=own.js" PIN_A "></script>", P_ALL },
    { "<script src=nothere.js></script>", NULL, P_ALL },
    /* block */
    { "<script async src=https://cdn.example.org/unknown.js></script>",
      "<script async data-sri-blocked-src=https://cdn.example.org/unknown.js></script>", P_BLOCK },
    { "<link href=https://cdn.example.org/x.css rel=stylesheet>",
      "<link data-sri-blocked-href=https://cdn.example.org/x.css rel=stylesheet>", P_BLOCK },
    { "<script src=own-unknown.js></script>", NULL, P_BLOCK },
    { "<script src=https://evil.example/a.js SRC=https://evil.example/b.js></script>",
      "<script data-sri-blocked-src=https://evil.example/a.js data-sri-blocked-SRC=https://evil.example/b.js></script>", P_BLOCK },
    { "<link rel=icon href=https://cdn.example.org/x.ico>", NULL, P_BLOCK },
    /* import maps: an integrity section for registered module URLs */
    { "<script type=importmap>{\"imports\":{\"a\":\"https://cdn.example.org/a.js\",\"o\":\"./own.js\"}}</script>",
      "<script type=importmap>{\"imports\":{\"a\":\"https://cdn.example.org/a.js\",\"o\":\"./own.js\"}"
      ",\"integrity\":{\"https://cdn.example.org/a.js\":\"" T_A "\"}}</script>", P_DEFAULT },
    { "<script type=importmap>{\"imports\":{\"o\":\"./own.js\"}}</script>",
      "<script type=importmap>{\"imports\":{\"o\":\"./own.js\"},\"integrity\":{"
      "\"https://www.example.com/shop/own.js\":\"" T_A "\"}}</script>", P_ALL },
    { "<script type=importmap>{\"imports\":{\"a\":\"https://cdn.example.org/a.js\",}}</script>", NULL, P_DEFAULT },
    { "<script type=importmap>{\"imports\":{\"a\":\"https://cdn.example.org/a.js\"}}", NULL, P_DEFAULT },
    { "<script type=\"ImportMap \">{\"imports\":{\"a\":\"https://cdn.example.org/a.js\"}}</script >",
      "<script type=\"ImportMap \">{\"imports\":{\"a\":\"https://cdn.example.org/a.js\"}"
      ",\"integrity\":{\"https://cdn.example.org/a.js\":\"" T_A "\"}}</script >", P_DEFAULT },
    /* foreign content: an SVG <script> takes no integrity; policy block
       takes away its href and xlink:href, all of them */
    { "<svg><script href=https://cdn.example.org/a.js></script></svg>", NULL, P_DEFAULT },
    { "<svg><script href=https://evil.example/x.js XLINK:HREF=https://evil.example/y.js "
      "href=z.js></script></svg>",
      "<svg><script data-sri-blocked-href=https://evil.example/x.js "
      "data-sri-blocked-XLINK:HREF=https://evil.example/y.js data-sri-blocked-href=z.js>"
      "</script></svg>", P_BLOCK },
    { "<svg><g><script xlink:href=https://cdn.example.org/a.js /></g></svg>",
      "<svg><g><script data-sri-blocked-xlink:href=https://cdn.example.org/a.js /></g></svg>",
      P_BLOCK },
    { "<svg><script href=own.js></script></svg>", NULL, P_BLOCK },
    { "<svg><script type=text/plain language=vbscript href=https://evil.example/x.js></script></svg>",
      "<svg><script type=text/plain language=vbscript data-sri-blocked-href=https://evil.example/x.js></script></svg>",
      P_BLOCK },
    { "<svg><script href=\"\" xlink:href=https://evil.example/x.js></script></svg>",
      NULL, P_BLOCK },
    { "<svg><script href=data:,x></script></svg>", NULL, P_BLOCK },
    { "<math><script href=https://evil.example/x.js></script></math>", NULL, P_BLOCK },
    { "<math><svg><script href=https://evil.example/x.js></script></svg></math>", NULL, P_BLOCK },
    { "<svg><math><script href=https://evil.example/x.js></script></math></svg>",
      "<svg><math><script data-sri-blocked-href=https://evil.example/x.js></script></math></svg>",
      P_BLOCK },
    { "<math><mi><svg><script href=https://evil.example/x.js>",
      "<math><mi><svg><script data-sri-blocked-href=https://evil.example/x.js>", P_BLOCK },
    { "<svg><g><font color=red><script src=https://evil.example/x.js></script></font></g>"
      "<script src=https://evil.example/y.js></script></svg>",
      "<svg><g><font color=red><script data-sri-blocked-src=https://evil.example/x.js></script></font></g>"
      "<script data-sri-blocked-src=https://evil.example/y.js></script></svg>", P_BLOCK },
    { "<svg><p></p><script src=https://evil.example/x.js></script></svg>",
      "<svg><p></p><script data-sri-blocked-src=https://evil.example/x.js></script></svg>", P_BLOCK },
    { "<svg><foreignObject><script src=https://evil.example/x.js></script>",
      "<svg><foreignObject><script data-sri-blocked-src=https://evil.example/x.js></script>",
      P_BLOCK },
    /* <iframe srcdoc>: a page of its own, rewritten, written back
       double-quoted with & and " as references */
    { "<iframe srcdoc=\"<script src=https://cdn.example.org/a.js></script>\"></iframe>",
      "<iframe srcdoc=\"<script src=https://cdn.example.org/a.js integrity=&quot;" T_A
      "&quot; crossorigin=&quot;anonymous&quot;></script>\"></iframe>", P_DEFAULT },
    { "<IFRAME title=x SRCDOC='&lt;script src=\"https://cdn.example.org/a.js\"&gt;&lt;/script&gt;&amp;'>",
      "<IFRAME title=x SRCDOC=\"&lt;script src=&quot;https://cdn.example.org/a.js&quot; integrity=&quot;" T_A
      "&quot; crossorigin=&quot;anonymous&quot;&gt;&lt;/script&gt;&amp;\">", P_DEFAULT },
    { "<iframe srcdoc=<link&#32;rel=stylesheet&#32;href=https://cdn.example.org/b.css>>",
      NULL, P_DEFAULT },            /* the value ends at '>': a tag unfinished */
    { "<iframe srcdoc=&lt;link&#32;rel=stylesheet&#32;href=https://cdn.example.org/b.css&gt;>",
      "<iframe srcdoc=\"&lt;link&#32;rel=stylesheet&#32;href=https://cdn.example.org/b.css integrity=&quot;" T_B
      "&quot; crossorigin=&quot;anonymous&quot;&gt;\">", P_DEFAULT },
    /* what is not edited stays as written: references, and bytes of the
       page's own encoding (here windows-1252), which UTF-8 would garble */
    { "<iframe srcdoc='<p>caf&eacute; \xe9 &#128;</p><script src=https://cdn.example.org/a.js></script>'>",
      "<iframe srcdoc=\"<p>caf&eacute; \xe9 &#128;</p><script src=https://cdn.example.org/a.js integrity=&quot;" T_A
      "&quot; crossorigin=&quot;anonymous&quot;></script>\">", P_DEFAULT },
    /* its base URL is the container's, until its own <base href> */
    { "<base href=https://cdn.example.org/><iframe srcdoc='<script src=a.js></script>'>",
      "<base href=https://cdn.example.org/><iframe srcdoc=\"<script src=a.js integrity=&quot;" T_A
      "&quot; crossorigin=&quot;anonymous&quot;></script>\">", P_DEFAULT },
    { "<iframe srcdoc='<base href=//cdn.example.org/><script src=a.js></script>'><script src=a.js></script>",
      "<iframe srcdoc=\"<base href=//cdn.example.org/><script src=a.js integrity=&quot;" T_A
      "&quot; crossorigin=&quot;anonymous&quot;></script>\"><script src=a.js></script>", P_DEFAULT },
    /* its origin is the container's */
    { "<iframe srcdoc='<script src=own.js></script>'>", NULL, P_DEFAULT },
    { "<iframe srcdoc='<script src=own.js></script>'>",
      "<iframe srcdoc=\"<script src=own.js integrity=&quot;" T_A
      "&quot; crossorigin=&quot;anonymous&quot;></script>\">", P_ALL },
    { "<iframe srcdoc=\"<script src='https://evil.example/x.js'></script>\">",
      "<iframe srcdoc=\"<script data-sri-blocked-src='https://evil.example/x.js'></script>\">", P_BLOCK },
    { "<iframe srcdoc=\"<p>no scripts\" src=https://cdn.example.org/a.js></iframe>", NULL, P_BLOCK },
    { "<iframe srcdoc></iframe><iframe srcdoc=''></iframe>", NULL, P_BLOCK },
    { "<svg><iframe srcdoc=\"<script src=https://evil.example/x.js></script>\"/></svg>", NULL, P_BLOCK },
};

START_TEST(test_rewrite_table)
{
    const rw_case *c = &cases[_i];
    const char *want = c->want ? c->want : c->in;
    size_t chunks[] = { 0, 1, 3, 7 };
    size_t k;

    for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
        char *out = NULL;
        size_t out_len = 0;
        int rc = sri_rewrite_buffer(pool, reg, DOC, &c->pol, c->in,
                                    strlen(c->in), chunks[k], &out, &out_len,
                                    NULL);
        ck_assert_int_eq(rc, 0);
        ck_assert_msg(strcmp(out, want) == 0,
                      "case %d chunk %zu\n in:   %s\n got:  %s\n want: %s",
                      _i, chunks[k], c->in, out, want);
    }
}
END_TEST

START_TEST(test_rewrite_counters)
{
    const char *html =
        "<script src=https://cdn.example.org/a.js></script>"
        "<script src=https://cdn.example.org/zzz.js></script>"
        "<script src=https://cdn.example.org/a.js integrity=" T_A "></script>"
        "<script src=own.js></script>";
    sri_policy pol = P_BLOCK;
    sri_counters n;
    char *out;
    size_t len;

    ck_assert_int_eq(sri_rewrite_buffer(pool, reg, DOC, &pol, html,
                                        strlen(html), 0, &out, &len, &n), 0);
    ck_assert_uint_eq(n.pinned, 1);
    ck_assert_uint_eq(n.blocked, 1);
    ck_assert_uint_eq(n.kept, 1);
    ck_assert_uint_eq(n.unknown, 0);
    ck_assert_uint_eq(n.tags, 4);
}
END_TEST

/* Outcomes of author integrity attributes on registered URLs: counters and
   the log callback (the module's log lines and request notes). */
typedef struct {
    int n;
    sri_outcome o[8];
    const char *url[8];
} seen_log;

static void log_outcome(void *ctx, sri_outcome o, const char *url)
{
    seen_log *l = ctx;
    if (l->n < 8) {
        l->o[l->n] = o;
        l->url[l->n++] = url ? apr_pstrdup(pool, url) : NULL;
    }
}

/* Rewrite html with a rewriter whose log callback fills *l; the output
   in *out, the counters returned. */
static const sri_counters *run_logged(sri_policy pol, int keep_maps,
                                      const char *html, seen_log *l,
                                      char **out)
{
    sri_rewriter *rw = sri_rewriter_create(pool, reg, DOC, &pol);
    size_t len;

    memset(l, 0, sizeof(*l));
    sri_rewriter_on_unknown(rw, log_outcome, l);
    sri_rewriter_keep_importmaps(rw, keep_maps);
    ck_assert_int_eq(sri_rewriter_run(rw, pool, html, strlen(html), 0, 0,
                                      out, &len), 0);
    return sri_rewriter_counters(rw);
}

START_TEST(test_rewrite_author_integrity)
{
    const char *html =
        "<script src=https://cdn.example.org/a.js integrity=" T_A "></script>"
        "<script src=https://cdn.example.org/two.js integrity=" T_B "></script>"
        "<script src=https://cdn.example.org/a.js integrity=" T_A_URL "></script>"
        "<script src=https://cdn.example.org/a.js integrity='" T_256 "'></script>"
        "<script src=https://cdn.example.org/a.js integrity='" T_A " " T_512 "'></script>"
        "<script src=https://cdn.example.org/a.js integrity=sha1-x></script>"
        "<link rel=stylesheet href=https://cdn.example.org/b.css integrity=sha384-xx>"
        "<script src=https://cdn.example.org/zzz.js integrity=sha1-x></script>"
        "<script src=https://cdn.example.org/k.js integrity=" KEY_URL "></script>"
        "<script src=https://cdn.example.org/k.js integrity='" KEY_OTHER " " T_A "'></script>"
        "<script src=https://cdn.example.org/a.js integrity='" T_A " " KEY_OTHER "'></script>";
    sri_policy keep = P_DEFAULT, replace = P_REPLACE;
    const sri_counters *n;
    seen_log l;
    char *out;

    n = run_logged(keep, 0, html, &l, &out);
    ck_assert_uint_eq(n->kept, 8);          /* 4 matching, 4 mismatching */
    ck_assert_uint_eq(n->mismatch, 4);
    ck_assert_uint_eq(n->pinned, 2);        /* the two repaired */
    ck_assert_uint_eq(n->repaired, 2);
    ck_assert_uint_eq(n->unknown, 1);       /* unregistered: left alone */
    ck_assert_int_eq(l.n, 6);               /* policy allow: no unknown line */
    ck_assert_int_eq(l.o[0], SRI_OUTCOME_MISMATCH);
    ck_assert_int_eq(l.o[1], SRI_OUTCOME_MISMATCH);
    ck_assert_int_eq(l.o[2], SRI_OUTCOME_REPAIRED);
    ck_assert_str_eq(l.url[2], "https://cdn.example.org/a.js");
    ck_assert_int_eq(l.o[3], SRI_OUTCOME_REPAIRED);
    ck_assert_str_eq(l.url[3], "https://cdn.example.org/b.css");
    /* a key that is not approved; a digest that is, beside an unknown key */
    ck_assert_int_eq(l.o[4], SRI_OUTCOME_MISMATCH);
    ck_assert_str_eq(l.url[4], "https://cdn.example.org/k.js");
    ck_assert_int_eq(l.o[5], SRI_OUTCOME_MISMATCH);
    ck_assert_str_eq(l.url[5], "https://cdn.example.org/a.js");

    /* SRIExisting replace: usable ones are replaced (pinned), fail-open
       ones are still counted and logged as repaired */
    n = run_logged(replace, 0, html, &l, &out);
    ck_assert_uint_eq(n->pinned, 10);
    ck_assert_uint_eq(n->repaired, 2);
    ck_assert_uint_eq(n->kept, 0);
    ck_assert_uint_eq(n->mismatch, 0);
    ck_assert_int_eq(l.n, 2);
}
END_TEST

/* An import map's own integrity entries are judged as tags' attributes
   are: kept when usable (a mismatch reported), repaired when not. */
START_TEST(test_rewrite_importmap_author_integrity)
{
    const char *html =
        "<script type=importmap>{\"imports\":{"
        "\"a\":\"https://cdn.example.org/a.js\","
        "\"t\":\"https://cdn.example.org/two.js\","
        "\"k\":\"https://cdn.example.org/k.js\"},\"integrity\":{"
        "\"https://cdn.example.org/a.js\":\"" T_256 "\","
        "\"https://cdn.example.org/two.js\":\"" T_A "\","
        "\"https://cdn.example.org/k.js\":\"sha1-x\"}}</script>";
    const sri_counters *n;
    seen_log l;
    char *out;

    n = run_logged((sri_policy)P_DEFAULT, 0, html, &l, &out);
    ck_assert_uint_eq(n->kept, 2);
    ck_assert_uint_eq(n->mismatch, 1);
    ck_assert_uint_eq(n->pinned, 1);
    ck_assert_uint_eq(n->repaired, 1);
    ck_assert_int_eq(l.n, 2);
    ck_assert_int_eq(l.o[0], SRI_OUTCOME_MISMATCH);
    ck_assert_str_eq(l.url[0], "https://cdn.example.org/a.js");
    ck_assert_int_eq(l.o[1], SRI_OUTCOME_REPAIRED);
    ck_assert_str_eq(l.url[1], "https://cdn.example.org/k.js");
    ck_assert_ptr_nonnull(strstr(out, "\"https://cdn.example.org/k.js\":"
                                      "\"sha1-x\",\"https://cdn.example.org/"
                                      "./k.js\":\""));
    ck_assert_ptr_null(strstr(out, "a.js\":\"" T_A));  /* kept: no pin */

    n = run_logged((sri_policy)P_REPLACE, 0, html, &l, &out);
    ck_assert_uint_eq(n->pinned, 3);
    ck_assert_uint_eq(n->repaired, 1);
    ck_assert_uint_eq(n->kept, 0);
    ck_assert_int_eq(l.n, 1);
    ck_assert_int_eq(l.o[0], SRI_OUTCOME_REPAIRED);
}
END_TEST

/* A map's unregistered third-party modules count and log as unknown
   (SRIUnknown log; block has nothing to take away); a map mod_sri cannot
   read is reported. */
START_TEST(test_rewrite_importmap_unknown_unread)
{
    const char *html =
        "<script type=importmap>{\"imports\":{"
        "\"x\":\"https://cdn.example.org/nobody.js\","
        "\"o\":\"./own.js\",\"n\":\"./unregistered-own.js\"}}</script>"
        "<script type=importmap>{\"imports\":[}</script>";
    sri_policy log = P_DEFAULT, allow = P_DEFAULT;
    const sri_counters *n;
    seen_log l;
    char *out;

    log.unknown = SRI_UNKNOWN_LOG;
    n = run_logged(log, 0, html, &l, &out);
    ck_assert_str_eq(out, html);
    ck_assert_uint_eq(n->unknown, 1);       /* same origin: not third-party */
    ck_assert_int_eq(l.n, 2);
    ck_assert_int_eq(l.o[0], SRI_OUTCOME_UNKNOWN);
    ck_assert_str_eq(l.url[0], "https://cdn.example.org/nobody.js");
    ck_assert_int_eq(l.o[1], SRI_OUTCOME_MAP_UNREAD);
    ck_assert_ptr_null(l.url[1]);
    n = run_logged(allow, 0, html, &l, &out);
    ck_assert_uint_eq(n->unknown, 1);       /* counted, not logged */
    ck_assert_int_eq(l.n, 1);
    ck_assert_int_eq(l.o[0], SRI_OUTCOME_MAP_UNREAD);
}
END_TEST

/* SRIUnknown block renames every src; a tag with more of them than one
   tag's edits can rename gets one empty src before them all, the one
   browsers read (src="" fetches nothing); the same for an SVG script's
   href and xlink:href. */
START_TEST(test_rewrite_block_too_many_srcs)
{
    const char *dup = " src=a src=a src=a src=a src=a src=a src=a src=a "
                      "src=a src=a src=a src=a src=a src=a src=a src=a>";
    const char *html = apr_pstrcat(pool, "<script src=//evil.example/x.js",
                                   dup, "</script>", NULL);
    sri_policy block = P_BLOCK;
    const sri_counters *n;
    seen_log l;
    char *out;

    n = run_logged(block, 0, html, &l, &out);
    ck_assert_str_eq(out, apr_pstrcat(pool, "<script src=\"\" "
                     "src=//evil.example/x.js", dup, "</script>", NULL));
    ck_assert_uint_eq(n->blocked, 1);
    ck_assert_uint_eq(n->unknown, 0);
    ck_assert_int_eq(l.n, 1);
    ck_assert_int_eq(l.o[0], SRI_OUTCOME_BLOCKED);
    ck_assert_str_eq(l.url[0], "https://evil.example/x.js");

    html = "<svg><SCRIPT/href=//evil.example/x.js xlink:href=a xlink:href=a "
           "xlink:href=a xlink:href=a xlink:href=a xlink:href=a xlink:href=a "
           "xlink:href=a></SCRIPT></svg>";
    n = run_logged(block, 0, html, &l, &out);
    ck_assert_str_eq(out, "<svg><SCRIPT href=\"\"/href=//evil.example/x.js "
                     "xlink:href=a xlink:href=a xlink:href=a xlink:href=a "
                     "xlink:href=a xlink:href=a xlink:href=a xlink:href=a>"
                     "</SCRIPT></svg>");
    ck_assert_uint_eq(n->blocked, 1);
    ck_assert_int_eq(l.o[0], SRI_OUTCOME_SVG_BLOCKED);
}
END_TEST

/* SVG <script>: never pinned; counted as unknown and logged when its URL
   is registered (it cannot be pinned there) or the policy is log; blocked
   under block; a same-origin one is left alone unless scope all and
   registered. */
START_TEST(test_rewrite_svg_script)
{
    const char *html =
        "<svg><script href=https://cdn.example.org/a.js></script>"
        "<script xlink:href=https://evil.example/x.js></script>"
        "<script href=own.js></script></svg>";
    sri_policy allow = P_DEFAULT, log = P_DEFAULT, block = P_BLOCK,
               all = P_ALL;
    const sri_counters *n;
    seen_log l;
    char *out;

    n = run_logged(allow, 0, html, &l, &out);
    ck_assert_str_eq(out, html);
    ck_assert_uint_eq(n->unknown, 2);
    ck_assert_uint_eq(n->pinned, 0);
    ck_assert_int_eq(l.n, 1);                   /* the registered one */
    ck_assert_int_eq(l.o[0], SRI_OUTCOME_SVG_SCRIPT);
    ck_assert_str_eq(l.url[0], "https://cdn.example.org/a.js");

    log.unknown = SRI_UNKNOWN_LOG;
    n = run_logged(log, 0, html, &l, &out);
    ck_assert_str_eq(out, html);
    ck_assert_int_eq(l.n, 2);
    ck_assert_int_eq(l.o[1], SRI_OUTCOME_SVG_SCRIPT);
    ck_assert_str_eq(l.url[1], "https://evil.example/x.js");

    n = run_logged(block, 0, html, &l, &out);
    ck_assert_str_eq(out,
        "<svg><script data-sri-blocked-href=https://cdn.example.org/a.js></script>"
        "<script data-sri-blocked-xlink:href=https://evil.example/x.js></script>"
        "<script href=own.js></script></svg>");
    ck_assert_uint_eq(n->blocked, 2);
    ck_assert_uint_eq(n->unknown, 0);
    ck_assert_int_eq(l.n, 2);
    ck_assert_int_eq(l.o[0], SRI_OUTCOME_SVG_BLOCKED);
    ck_assert_int_eq(l.o[1], SRI_OUTCOME_SVG_BLOCKED);

    n = run_logged(all, 0, "<svg><script href=own.js></script></svg>", &l,
                   &out);
    ck_assert_uint_eq(n->unknown, 1);
    ck_assert_int_eq(l.n, 1);
    ck_assert_int_eq(l.o[0], SRI_OUTCOME_SVG_SCRIPT);
    ck_assert_str_eq(l.url[0], "https://www.example.com/shop/own.js");
}
END_TEST

/* srcdoc pages inside srcdoc pages: rewritten too (the escaping doubles
   at each level), up to four levels; counted with the container's tags. */
START_TEST(test_rewrite_nested_srcdoc)
{
    const char *html = "<iframe srcdoc=\"<iframe srcdoc='<script "
                       "src=https://cdn.example.org/a.js></script>'>\">";
    sri_policy pol = P_DEFAULT;
    const sri_counters *n;
    seen_log l;
    char *out, *deep;
    int k;

    n = run_logged(pol, 0, html, &l, &out);
    ck_assert_str_eq(out, "<iframe srcdoc=\"<iframe srcdoc=&quot;<script "
                     "src=https://cdn.example.org/a.js integrity=&amp;quot;" T_A
                     "&amp;quot; crossorigin=&amp;quot;anonymous&amp;quot;>"
                     "</script>&quot;>\">");
    ck_assert_uint_eq(n->pinned, 1);
    ck_assert_uint_eq(n->tags, 3);
    /* five levels: the innermost is left as written */
    deep = apr_pstrdup(pool, "<script src=https://cdn.example.org/a.js></script>");
    for (k = 0; k < 5; k++) {
        const char *c;
        char *q = apr_pstrdup(pool, "<iframe srcdoc=\"");
        for (c = deep; *c; c++)
            q = apr_pstrcat(pool, q, *c == '&' ? "&amp;" : *c == '"' ? "&quot;"
                            : apr_pstrndup(pool, c, 1), NULL);
        deep = apr_pstrcat(pool, q, "\">", NULL);
    }
    n = run_logged(pol, 0, deep, &l, &out);
    ck_assert_str_eq(out, deep);
    ck_assert_uint_eq(n->pinned, 0);
    ck_assert_int_eq(l.n, 1);                   /* the host hears of it */
    ck_assert_int_eq(l.o[0], SRI_OUTCOME_SRCDOC_DEEP);
    ck_assert_ptr_null(l.url[0]);
}
END_TEST

/* A <base> with more than 256 attributes still sets the base URL from
   its href (among the first 256), as before such tags were passed
   unmodified; a <script> with as many is not decided on. */
START_TEST(test_rewrite_many_attributes)
{
    char *attrs = apr_pstrdup(pool, ""), *html, *out;
    sri_policy block = P_BLOCK;
    const sri_counters *n;
    seen_log l;
    int k;

    for (k = 0; k < 300; k++)
        attrs = apr_pstrcat(pool, attrs, " a", NULL);
    html = apr_pstrcat(pool, "<base href=https://cdn.example.org/", attrs,
                       "><script src=a.js></script>", NULL);
    n = run_logged(block, 0, html, &l, &out);
    ck_assert_ptr_nonnull(strstr(out, "<script src=a.js" PIN_A "></script>"));
    ck_assert_uint_eq(n->pinned, 1);
    html = apr_pstrcat(pool, "<script src=https://evil.example/x.js", attrs,
                       "></script>", NULL);
    n = run_logged(block, 0, html, &l, &out);
    ck_assert_str_eq(out, html);
    ck_assert_uint_eq(n->blocked, 0);
}
END_TEST

/* A srcdoc page is scanned with the host's bound, not the default: a tag
   of 1.2 MB in it is pinned under a bound of 2 MB, as outside it. */
START_TEST(test_rewrite_srcdoc_bound)
{
    size_t big = 1200 * 1000, k;
    char *pad = apr_palloc(pool, big + 1), *html, *out;
    sri_policy pol = P_DEFAULT;
    sri_rewriter *rw = sri_rewriter_create(pool, reg, DOC, &pol);
    size_t len;

    for (k = 0; k < big; k++)
        pad[k] = 'x';
    pad[big] = '\0';
    html = apr_pstrcat(pool, "<iframe srcdoc=\"<script data-x=", pad,
                       " src=https://cdn.example.org/a.js></script>\">", NULL);
    ck_assert_int_eq(sri_rewriter_run(rw, pool, html, strlen(html), 0,
                                      2 * 1024 * 1024, &out, &len), 0);
    ck_assert_ptr_nonnull(strstr(out, "integrity=&quot;" T_A "&quot;"));
    ck_assert_uint_eq(sri_rewriter_counters(rw)->pinned, 1);
}
END_TEST

/* A CSP that allows inline scripts by hash: import maps stay as written,
   and the caller hears why. */
START_TEST(test_rewrite_keep_importmaps)
{
    const char *html =
        "<script type=importmap>{\"imports\":{\"a\":\"https://cdn.example.org/a.js\"}}</script>"
        "<script src=https://cdn.example.org/a.js></script>";
    seen_log l;
    char *out;
    const sri_counters *n = run_logged((sri_policy)P_DEFAULT, 1, html, &l,
                                       &out);

    ck_assert_str_eq(out,
        "<script type=importmap>{\"imports\":{\"a\":\"https://cdn.example.org/a.js\"}}</script>"
        "<script src=https://cdn.example.org/a.js" PIN_A "></script>");
    ck_assert_int_eq(l.n, 1);
    ck_assert_int_eq(l.o[0], SRI_OUTCOME_MAP_UNEDITED);
    ck_assert_ptr_null(l.url[0]);
    ck_assert_uint_eq(n->pinned, 1);
}
END_TEST

START_TEST(test_rewrite_no_registry)
{
    const char *html = "<script src=https://cdn.example.org/a.js></script>";
    sri_policy pol = P_DEFAULT;
    char *out;
    size_t len;

    ck_assert_int_eq(sri_rewrite_buffer(pool, NULL, DOC, &pol, html,
                                        strlen(html), 0, &out, &len, NULL), 0);
    ck_assert_str_eq(out, html);
}
END_TEST

/* A tag too long to decide on reaches the rewriter's host through
   sri_rewriter_on_overflow(), whatever the chunking; the others are still
   pinned. */
static void count_overflow(void *ctx, size_t len)
{
    size_t *seen = ctx;
    ck_assert_uint_gt(len, 64);
    (*seen)++;
}

START_TEST(test_rewrite_overflow_reaches_host)
{
    const char *html =
        "<script src=https://cdn.example.org/a.js data-pad=\""
        "0123456789012345678901234567890123456789\"></script>"
        "<script src=https://cdn.example.org/a.js></script>";
    sri_policy pol = P_DEFAULT;
    size_t chunk, seen, len;
    char *out;

    for (chunk = 0; chunk < 8; chunk += 7) {
        sri_rewriter *rw = sri_rewriter_create(pool, reg, DOC, &pol);
        ck_assert_ptr_nonnull(rw);
        seen = 0;
        sri_rewriter_on_overflow(rw, count_overflow, &seen);
        ck_assert_int_eq(sri_rewriter_run(rw, pool, html, strlen(html), chunk,
                                          64, &out, &len), 0);
        ck_assert_uint_eq(seen, 1);
        ck_assert_uint_eq(sri_rewriter_counters(rw)->pinned, 1);
        ck_assert_str_eq(out,
            "<script src=https://cdn.example.org/a.js data-pad=\""
            "0123456789012345678901234567890123456789\"></script>"
            "<script src=https://cdn.example.org/a.js integrity=\"" T_A
            "\" crossorigin=\"anonymous\"></script>");
    }
}
END_TEST

static Suite *rewrite_suite(void)
{
    Suite *s = suite_create("rewrite");
    TCase *tc = tcase_create("rules");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_rewrite_table, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, test_rewrite_counters);
    tcase_add_test(tc, test_rewrite_author_integrity);
    tcase_add_test(tc, test_rewrite_block_too_many_srcs);
    tcase_add_test(tc, test_rewrite_svg_script);
    tcase_add_test(tc, test_rewrite_nested_srcdoc);
    tcase_add_test(tc, test_rewrite_srcdoc_bound);
    tcase_add_test(tc, test_rewrite_many_attributes);
    tcase_add_test(tc, test_rewrite_keep_importmaps);
    tcase_add_test(tc, test_rewrite_importmap_author_integrity);
    tcase_add_test(tc, test_rewrite_importmap_unknown_unread);
    tcase_add_test(tc, test_rewrite_no_registry);
    tcase_add_test(tc, test_rewrite_overflow_reaches_host);
    suite_add_tcase(s, tc);
    return s;
}

SRI_CHECK_MAIN(rewrite_suite)
