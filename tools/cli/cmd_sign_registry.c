/*
 * cmd_sign_registry.c -- `sri-registry sign-registry --key KEY`: write
 * REGISTRY.sig, a detached Ed25519 signature over the registry's exact
 * bytes (format: docs/registry-format.md, "Signed registries").
 *
 * Why a command of its own: the signer may be a machine that never edits
 * the registry (a CI job signing what was reviewed and merged, an offline
 * box); commands that do edit it sign in the same step with --sign KEY.
 * The registry is locked, read byte for byte, checked with the parser the
 * servers run (never sign what they would refuse), then signed.
 */
#include "tool.h"
#include "registry/sri_registry_sig.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

enum { OPT_KEY = 1 };

static int on_opt(tool_ctx *t, void *ctx, int c, const char *arg)
{
    if (c == OPT_KEY) {
        *(const char **)ctx = arg;
        return 0;
    }
    return -1;
}

int cmd_sign_registry(tool_ctx *t, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "key", required_argument, NULL, OPT_KEY },
        { NULL, 0, NULL, 0 }
    };
    const char *key = NULL, *signed_at = NULL;
    tool_reg reg;
    sri_registry *parsed;
    char *bytes, *err = NULL, hex[65], tok[SRI_ED25519_TOKEN_LEN + 1];
    size_t len;
    int rc = 0, first;

    first = tool_getopt(t, argc, argv, "", longopts, on_opt, &key, &rc);
    if (first < 0)
        return rc;
    if (first != argc)
        return tool_usage_error(t, "sign-registry takes no arguments");
    if (tool_load_signer(t, key))
        return EXIT_LOCAL;
    if ((rc = tool_lock(t, &reg)) != 0)
        return rc;
    if (access(reg.path, F_OK) != 0) {
        tool_err("%s: %s", reg.path, strerror(errno));
        tool_close(&reg);
        return EXIT_LOCAL;
    }
    if ((rc = tool_read_file(t, reg.path, &bytes, &len)) != 0) {
        tool_close(&reg);
        return rc;
    }
    if (sri_registry_parse(t->p, reg.path, bytes, len, &parsed, &err)) {
        tool_err("refusing to sign a registry that does not parse: %s", err);
        tool_close(&reg);
        return EXIT_LOCAL;
    }
    if (sri_regsig_write(t->p, reg.path, bytes, len, t->signer, tool_now(t),
                         &signed_at, &err)) {
        tool_err("%s", err);
        tool_close(&reg);
        return EXIT_LOCAL;
    }
    tool_close(&reg);
    sri_regsig_sha256_hex(bytes, len, hex);
    sri_ed25519_token(t->signer, tok);
    printf("%s%s: registry-sha256 %s signed-at %s key %s\n", reg.path,
           SRI_REGSIG_SUFFIX, hex, signed_at, tok);
    return EXIT_OK;
}
