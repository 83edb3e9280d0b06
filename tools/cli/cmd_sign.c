/*
 * cmd_sign.c -- `sri-registry sign --key KEYFILE FILE`: the signature-based
 * SRI headers for a file, for servers other than Apache with SRISign.
 *
 * Why: nginx, a CDN or an object store can send fixed headers per file; this
 * prints exactly the three that SRISign would send for FILE's bytes
 * (Unencoded-Digest, Signature-Input, Signature), made by the same core
 * code, so a vendor can publish them with each release.
 */
#include "tool.h"
#include "tool_algo.h"
#include "sign/sri_httpsig.h"

#include <string.h>

static int on_opt(tool_ctx *t, void *ctx, int c, const char *arg)
{
    *(const char **)ctx = arg;
    return 0;
}

int cmd_sign(tool_ctx *t, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "key", required_argument, NULL, 'k' },
        { NULL, 0, NULL, 0 }
    };
    const char *keyfile = NULL;
    char err[512], tok[SRI_TOKEN_MAX];
    sri_ed25519_key *k;
    sri_httpsig h;
    int rc = 0, first;

    first = tool_getopt(t, argc, argv, "k:", longopts, on_opt, &keyfile, &rc);
    if (first < 0)
        return rc;
    if (!keyfile)
        return tool_usage_error(t, "sign needs --key KEYFILE");
    if (argc - first != 1)
        return tool_usage_error(t, "sign needs one FILE (or - for stdin)");
    k = sri_ed25519_read_private(keyfile, err, sizeof(err));
    if (!k) {
        tool_err("%s", err);
        return EXIT_LOCAL;
    }
    rc = tool_hash_file(t, argv[first], SRI_ALGO_SHA512, tok);
    if (rc == 0 && sri_httpsig_from_token(k, tok, &h)) {
        tool_err("%s: signing failed", keyfile);
        rc = EXIT_LOCAL;
    }
    sri_ed25519_free(k);
    if (rc)
        return rc;
    printf("Unencoded-Digest: %s\nSignature-Input: %s\nSignature: %s\n",
           h.unencoded_digest, h.signature_input, h.signature);
    return EXIT_OK;
}
