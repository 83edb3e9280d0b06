/*
 * cmd_apply.c -- `sri-registry apply --url DOC [FILE]`: rewrite HTML.
 *
 * Why: deploy-time pinning (static sites, CDNs without mod_sri) and the
 * easiest end-to-end test of the core: the same scanner and rewrite rules
 * the module runs, from a file or stdin to stdout.
 */
#include "tool.h"
#include "rewrite/sri_rewrite.h"
#include "url/sri_url.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *url;
    sri_policy  pol;
    int         stats;
    size_t      chunk;
} apply_opts;

enum { OPT_SCOPE = 3000, OPT_UNKNOWN, OPT_REPLACE, OPT_STATS, OPT_CHUNK };

static int on_opt(tool_ctx *t, void *ctx, int c, const char *arg)
{
    apply_opts *o = ctx;
    switch (c) {
    case 'u': o->url = arg; return 0;
    case OPT_SCOPE:
        if (!strcmp(arg, "third-party")) o->pol.scope = SRI_SCOPE_THIRD_PARTY;
        else if (!strcmp(arg, "all")) o->pol.scope = SRI_SCOPE_ALL;
        else break;
        return 0;
    case OPT_UNKNOWN:
        if (!strcmp(arg, "allow")) o->pol.unknown = SRI_UNKNOWN_ALLOW;
        else if (!strcmp(arg, "log")) o->pol.unknown = SRI_UNKNOWN_LOG;
        else if (!strcmp(arg, "block")) o->pol.unknown = SRI_UNKNOWN_BLOCK;
        else break;
        return 0;
    case OPT_REPLACE: o->pol.existing = SRI_EXISTING_REPLACE; return 0;
    case OPT_STATS: o->stats = 1; return 0;
    case OPT_CHUNK: o->chunk = (size_t)strtoul(arg, NULL, 10); return 0;
    }
    tool_err("bad value '%s'", arg);
    return -1;
}

int cmd_apply(tool_ctx *t, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "url",     required_argument, NULL, 'u' },
        { "scope",   required_argument, NULL, OPT_SCOPE },
        { "unknown", required_argument, NULL, OPT_UNKNOWN },
        { "replace", no_argument,       NULL, OPT_REPLACE },
        { "stats",   no_argument,       NULL, OPT_STATS },
        { "chunk",   required_argument, NULL, OPT_CHUNK },
        { NULL, 0, NULL, 0 }
    };
    apply_opts o;
    tool_reg reg;
    sri_counters cnt;
    char *html, *out = NULL;
    size_t len, out_len = 0;
    int rc = 0, first;

    memset(&o, 0, sizeof(o));
    first = tool_getopt(t, argc, argv, "u:", longopts, on_opt, &o, &rc);
    if (first < 0)
        return rc;
    if (!o.url)
        return tool_usage_error(t, "apply needs --url DOCUMENT_URL");
    if (argc - first > 1)
        return tool_usage_error(t, "apply takes at most one FILE");
    if (!tool_url_arg(t, o.url))
        return EXIT_LOCAL;
    if ((rc = tool_open_read(t, &reg)) != 0)
        return rc;
    if ((rc = tool_read_file(t, argc - first ? argv[first] : "-", &html,
                             &len)) != 0)
        return rc;
    memset(&cnt, 0, sizeof(cnt));
    if (sri_rewrite_buffer(t->p, reg.reg, o.url, &o.pol, html, len, o.chunk,
                           &out, &out_len, &cnt)) {
        tool_err("rewriting failed");
        return EXIT_LOCAL;
    }
    if (fwrite(out, 1, out_len, stdout) != out_len || fflush(stdout)) {
        tool_err("cannot write output");
        return EXIT_LOCAL;
    }
    if (o.stats)
        fprintf(stderr, "tags=%lu pinned=%lu kept=%lu unknown=%lu "
                "blocked=%lu repaired=%lu mismatch=%lu\n", cnt.tags,
                cnt.pinned, cnt.kept, cnt.unknown, cnt.blocked, cnt.repaired,
                cnt.mismatch);
    return EXIT_OK;
}
