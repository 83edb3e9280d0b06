/*
 * cmd_inventory.c -- `sri-registry inventory`: the PCI DSS 6.4.3 list.
 *
 * Why: 6.4.3 asks for an inventory of all payment-page scripts with a
 * written justification for each and proof that each is authorised; the
 * registry already holds that, this prints it for auditors (text, or an
 * HTML page to file: inventory_html.c), for spreadsheets (csv) or for
 * other tools (json).  Entries lacking a
 * justification or an approver are marked, so gaps are visible.
 */
#include "tool.h"
#include "json.h"
#include "inventory_html.h"

#include <string.h>

enum { OPT_FORMAT = 6000 };

static int on_opt(tool_ctx *t, void *ctx, int c, const char *arg)
{
    const char **fmt = ctx;
    if (c == OPT_FORMAT && (!strcmp(arg, "text") || !strcmp(arg, "csv")
                            || !strcmp(arg, "json") || !strcmp(arg, "html"))) {
        *fmt = arg;
        return 0;
    }
    tool_err("bad --format '%s' (text, csv, json or html)", arg);
    return -1;
}

static const char *status(const sri_entry *e)
{
    if (!e->integrity)
        return "pending";
    if (e->pending->nelts)
        return "changed";
    return "pinned";
}

int cmd_inventory(tool_ctx *t, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, OPT_FORMAT },
        { NULL, 0, NULL, 0 }
    };
    const char *fmt = "text";
    tool_reg reg;
    json_t *entries = NULL;
    int rc = 0, first, i, n, gaps = 0;

    first = tool_getopt(t, argc, argv, "", longopts, on_opt, &fmt, &rc);
    if (first < 0)
        return rc;
    if (first != argc)
        return tool_usage_error(t, "inventory takes no arguments");
    if ((rc = tool_open_read(t, &reg)) != 0)
        return rc;
    if (!strcmp(fmt, "html"))                       /* inventory_html.c */
        return inventory_html(t, reg.path, stdout);
    n = sri_registry_count(reg.reg);
    if (!strcmp(fmt, "csv"))
        printf("url,status,integrity,why,approved_by,approved_at,verified,"
               "cors,source\n");
    else if (!strcmp(fmt, "json"))
        entries = json_array();
    for (i = 0; i < n; i++) {
        const sri_entry *e = sri_registry_entry(reg.reg, i);
        if (!e->why || !e->approved_by)
            gaps++;
        if (!strcmp(fmt, "csv")) {
            const char *f[9] = { e->url, status(e), e->integrity, e->why,
                                 e->approved_by, e->approved_at, e->verified,
                                 e->cors, e->source };
            int k;
            for (k = 0; k < 9; k++) {
                if (k)
                    putchar(',');
                csv_field(stdout, f[k]);
            }
            putchar('\n');
        } else if (entries) {
            json_array_append_new(entries, json_pack(
                "{s:o, s:s, s:o, s:i, s:o, s:o, s:o, s:o, s:o, s:o}",
                "url", tool_json_text(e->url), "status", status(e),
                "integrity", tool_json_text(e->integrity),
                "pending", e->pending->nelts, "why", tool_json_text(e->why),
                "approved_by", tool_json_text(e->approved_by),
                "approved_at", tool_json_text(e->approved_at),
                "verified", tool_json_text(e->verified),
                "cors", tool_json_text(e->cors),
                "source", tool_json_text(e->source)));
        } else {
            printf("%s\n  status:      %s\n  why:         %s\n"
                   "  approved by: %s%s%s\n  verified:    %s\n"
                   "  cors:        %s\n  cross-check: %s\n\n",
                   e->url, status(e), e->why ? e->why : "MISSING",
                   e->approved_by ? e->approved_by : "MISSING",
                   e->approved_at ? " at " : "",
                   e->approved_at ? e->approved_at : "",
                   e->verified ? e->verified : "never",
                   e->cors ? e->cors : "unchecked",
                   e->source ? e->source : "none");
        }
    }
    if (entries) {
        if (tool_json_print(json_pack("{s:o, s:o, s:i, s:i}",
                                      "registry", tool_json_text(reg.path),
                                      "entries", entries, "count", n,
                                      "missing_justification_or_approver",
                                      gaps))) {
            tool_err("cannot write the inventory");
            return EXIT_LOCAL;
        }
    } else if (!strcmp(fmt, "text"))
        printf("%d scripts, %d without justification or approver\n", n, gaps);
    return EXIT_OK;
}
