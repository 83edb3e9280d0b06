/*
 * cmd_approve.c -- approve, retire and remove: the human decisions.
 *
 * Why: refresh never replaces a pin by itself (that would make a
 * compromised CDN's bytes trusted); a person approves the pending token,
 * saying who and why (PCI DSS 6.4.3).  The old token stays approved until
 * it is retired, so pages cached with either version keep loading during a
 * rollover.
 */
#include "tool.h"

#include <string.h>
#include <apr_strings.h>

enum { OPT_TOKEN = 4000, OPT_BY, OPT_WHY };

typedef struct {
    const char *token, *by, *why;
} approve_opts;

static int on_opt(tool_ctx *t, void *ctx, int c, const char *arg)
{
    approve_opts *o = ctx;
    switch (c) {
    case OPT_TOKEN: o->token = arg; return 0;
    case OPT_BY: o->by = arg; return 0;
    case OPT_WHY: o->why = arg; return 0;
    }
    return -1;
}

static int no_opts(tool_ctx *t, void *ctx, int c, const char *arg)
{
    return -1;
}

/* Lock, load, find the entry of argv url.  0 or an exit code. */
static int open_entry(tool_ctx *t, tool_reg *reg, const char *arg,
                      sri_entry **e)
{
    const char *url = tool_url_arg(t, arg);
    int rc;
    if (!url)
        return EXIT_LOCAL;
    if ((rc = tool_open_write(t, reg)) != 0)
        return rc;
    *e = sri_registry_find(reg->reg, url);
    if (!*e) {
        tool_err("%s is not in the registry", url);
        tool_close(reg);
        return EXIT_LOCAL;
    }
    return 0;
}

static int save_close(tool_ctx *t, tool_reg *reg)
{
    int rc = tool_save(t, reg);
    tool_close(reg);
    return rc;
}

int cmd_approve(tool_ctx *t, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "token", required_argument, NULL, OPT_TOKEN },
        { "by",    required_argument, NULL, OPT_BY },
        { "why",   required_argument, NULL, OPT_WHY },
        { NULL, 0, NULL, 0 }
    };
    approve_opts o;
    tool_reg reg;
    sri_entry *e;
    const char *tok = NULL;
    char *err = NULL;
    int rc = 0, first, i;

    memset(&o, 0, sizeof(o));
    first = tool_getopt(t, argc, argv, "", longopts, on_opt, &o, &rc);
    if (first < 0)
        return rc;
    if (argc - first != 1)
        return tool_usage_error(t, "approve needs one URL");
    if (!o.by)
        return tool_usage_error(t, "approve needs --by NAME");
    if (!tool_text_ok(o.by) || (o.why && !tool_text_ok(o.why)))
        return tool_usage_error(t, "--why and --by must be one line of text");
    if ((rc = open_entry(t, &reg, argv[first], &e)) != 0)
        return rc;
    if (!o.why && !e->why) {
        tool_close(&reg);
        return tool_usage_error(t, "%s has no justification yet: give --why",
                                e->url);
    }
    for (i = 0; i < e->pending->nelts; i++) {
        const char *p = APR_ARRAY_IDX(e->pending, i, sri_reg_token).token;
        if (o.token ? !strcmp(p, o.token) : 1) {
            if (!o.token && tok) {
                tool_err("%s has several pending tokens: choose one with "
                         "--token", e->url);
                tool_close(&reg);
                return EXIT_LOCAL;
            }
            tok = p;
        }
    }
    if (!tok) {
        tool_err(o.token ? "%s has no pending token %s"
                         : "%s has no pending token%s", e->url,
                 o.token ? o.token : "");
        tool_close(&reg);
        return EXIT_LOCAL;
    }
    tok = apr_pstrdup(t->p, tok);
    sri_entry_remove_token(e, tok);
    if (sri_entry_add_token(reg.reg, e, tok, NULL, &err)) {
        tool_err("%s", err);
        tool_close(&reg);
        return EXIT_LOCAL;
    }
    e->approved_by = apr_pstrdup(t->p, o.by);
    e->approved_at = tool_now(t);
    if (o.why)
        e->why = apr_pstrdup(t->p, o.why);
    if (sri_entry_mixed_algorithms(e))
        tool_warn("%s now mixes algorithms among its approved tokens; "
                  "browsers compare only the strongest", e->url);
    if (e->approved->nelts > 1)
        tool_note(t, "%s: %d tokens approved; retire the old one with "
                  "`sri-registry retire %s TOKEN` once pages use the new "
                  "version", e->url, e->approved->nelts, e->url);
    if ((rc = save_close(t, &reg)) == 0)
        printf("%s approved %s\n", e->url, tok);
    return rc;
}

int cmd_retire(tool_ctx *t, int argc, char **argv)
{
    tool_reg reg;
    sri_entry *e;
    int rc = 0, first, was_approved;

    first = tool_getopt(t, argc, argv, "", NULL, no_opts, NULL, &rc);
    if (first < 0)
        return rc;
    if (argc - first != 2)
        return tool_usage_error(t, "retire needs URL and TOKEN");
    if ((rc = open_entry(t, &reg, argv[first], &e)) != 0)
        return rc;
    was_approved = e->integrity && strstr(e->integrity, argv[first + 1]);
    if (was_approved && e->approved->nelts == 1) {
        tool_err("%s is the only approved token of %s: approve another "
                 "first, or remove the entry", argv[first + 1], e->url);
        tool_close(&reg);
        return EXIT_LOCAL;
    }
    if (!sri_entry_remove_token(e, argv[first + 1])) {
        tool_err("%s has no token %s", e->url, argv[first + 1]);
        tool_close(&reg);
        return EXIT_LOCAL;
    }
    sri_entry_update(reg.reg, e);
    if (e->approved->nelts == 0 && e->pending->nelts == 0) {
        tool_err("that would leave %s without tokens: use remove", e->url);
        tool_close(&reg);
        return EXIT_LOCAL;
    }
    if ((rc = save_close(t, &reg)) == 0)
        printf("%s retired %s\n", e->url, argv[first + 1]);
    return rc;
}

int cmd_remove(tool_ctx *t, int argc, char **argv)
{
    tool_reg reg;
    sri_entry *e;
    int rc = 0, first;

    first = tool_getopt(t, argc, argv, "", NULL, no_opts, NULL, &rc);
    if (first < 0)
        return rc;
    if (argc - first != 1)
        return tool_usage_error(t, "remove needs one URL");
    if ((rc = open_entry(t, &reg, argv[first], &e)) != 0)
        return rc;
    sri_registry_remove(reg.reg, e->url);
    if ((rc = save_close(t, &reg)) == 0)
        printf("%s removed\n", e->url);
    return rc;
}
