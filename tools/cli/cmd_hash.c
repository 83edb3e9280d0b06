/*
 * cmd_hash.c -- `sri-registry hash [--algo A] FILE|-`: print a token.
 *
 * Why: the simplest trustworthy way to pin a file you already have (a
 * vendored copy, a release artefact): hash it exactly as the browser will.
 */
#include "tool.h"
#include "tool_algo.h"

#include <errno.h>
#include <string.h>

static int on_opt(tool_ctx *t, void *ctx, int c, const char *arg)
{
    return tool_algo_option((sri_algo *)ctx, arg);
}

int tool_hash_file(tool_ctx *t, const char *path, sri_algo algo, char *out)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    sri_hasher *h;
    char buf[65536];
    size_t n;

    if (!f) {
        tool_err("%s: %s", path, strerror(errno));
        return EXIT_LOCAL;
    }
    h = sri_hasher_new(algo);
    while (h && (n = fread(buf, 1, sizeof(buf), f)) > 0)
        sri_hasher_update(h, buf, n);
    if (!h || ferror(f)) {
        tool_err("%s: cannot read: %s", path, strerror(errno));
        sri_hasher_free(h);
        if (f != stdin)
            fclose(f);
        return EXIT_LOCAL;
    }
    if (f != stdin)
        fclose(f);
    if (sri_hasher_final(h, out)) {
        tool_err("%s: hashing failed", path);
        return EXIT_LOCAL;
    }
    return 0;
}

int cmd_hash(tool_ctx *t, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "algo", required_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 }
    };
    sri_algo algo = SRI_ALGO_SHA384;
    char token[SRI_TOKEN_MAX];
    int rc = 0, first;

    first = tool_getopt(t, argc, argv, "a:", longopts, on_opt, &algo, &rc);
    if (first < 0)
        return rc;
    if (argc - first != 1)
        return tool_usage_error(t, "hash needs one FILE (or - for stdin)");
    if ((rc = tool_hash_file(t, argv[first], algo, token)) != 0)
        return rc;
    printf("%s\n", token);
    return EXIT_OK;
}
