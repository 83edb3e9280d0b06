/*
 * cmd_list.c -- `sri-registry list` and `sri-registry check`.
 *
 * Why: list is the quick look at what is pinned (one line per entry, easy
 * to grep); check is the CI gate for a hand-edited registry: it runs the
 * parser the server runs and prints its errors and warnings.
 */
#include "tool.h"

static int no_opts(tool_ctx *t, void *ctx, int c, const char *arg)
{
    return -1;
}

int cmd_list(tool_ctx *t, int argc, char **argv)
{
    tool_reg reg;
    int rc = 0, first, i, k;

    first = tool_getopt(t, argc, argv, "", NULL, no_opts, NULL, &rc);
    if (first < 0)
        return rc;
    if (first != argc)
        return tool_usage_error(t, "list takes no arguments");
    if ((rc = tool_open_read(t, &reg)) != 0)
        return rc;
    for (i = 0; i < sri_registry_count(reg.reg); i++) {
        const sri_entry *e = sri_registry_entry(reg.reg, i);
        printf("%s %s", e->url, e->integrity ? e->integrity : "-");
        for (k = 0; k < e->pending->nelts; k++)
            printf(" pending:%s",
                   APR_ARRAY_IDX(e->pending, k, sri_reg_token).token);
        printf("\n");
    }
    return EXIT_OK;
}

int cmd_check(tool_ctx *t, int argc, char **argv)
{
    tool_reg reg;
    int rc = 0, first;

    first = tool_getopt(t, argc, argv, "", NULL, no_opts, NULL, &rc);
    if (first < 0)
        return rc;
    if (first != argc)
        return tool_usage_error(t, "check takes no arguments");
    if ((rc = tool_open_read(t, &reg)) != 0)
        return rc;
    tool_note(t, "%s: %d entries, valid", reg.path,
              sri_registry_count(reg.reg));
    return EXIT_OK;
}
