/*
 * cmd_keygen.c -- `sri-registry keygen KEYFILE`: an Ed25519 key pair for
 * signature-based SRI.
 *
 * Why: a vendor that signs what it serves (SRISign, or `sri-registry sign`
 * for another server) needs a key pair; the sites that load its scripts pin
 * the public key (integrity ed25519-...).  Generated with OpenSSL EVP; the
 * private key is written mode 0600 and never over an existing file, the
 * public key beside it (KEYFILE.pub), and the token to pin is printed.
 */
#include "tool.h"
#include "sign/sri_ed25519.h"

#include <stdlib.h>
#include <string.h>

int cmd_keygen(tool_ctx *t, int argc, char **argv)
{
    static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
    char err[512], tok[SRI_ED25519_TOKEN_LEN + 1], *pubpath;
    sri_ed25519_key *k;
    int rc = 0, first;

    first = tool_getopt(t, argc, argv, "", longopts, NULL, NULL, &rc);
    if (first < 0)
        return rc;
    if (argc - first != 1)
        return tool_usage_error(t, "keygen needs one KEYFILE to create");
    k = sri_ed25519_generate();
    if (!k) {
        tool_err("cannot generate an Ed25519 key");
        return EXIT_LOCAL;
    }
    pubpath = malloc(strlen(argv[first]) + 5);
    if (!pubpath) {
        sri_ed25519_free(k);
        return EXIT_LOCAL;
    }
    strcpy(pubpath, argv[first]);
    strcat(pubpath, ".pub");
    if (sri_ed25519_write_private(k, argv[first], err, sizeof(err))
        || sri_ed25519_write_public(k, pubpath, err, sizeof(err))
        || sri_ed25519_token(k, tok)) {
        tool_err("%s", err);
        free(pubpath);
        sri_ed25519_free(k);
        return EXIT_LOCAL;
    }
    tool_note(t, "wrote %s (private, mode 0600) and %s (public)",
              argv[first], pubpath);
    printf("%s\n", tok);
    free(pubpath);
    sri_ed25519_free(k);
    return EXIT_OK;
}
