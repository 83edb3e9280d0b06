/*
 * sri_registry_id.c -- a registry's digest and version id (see the header).
 */
#include "registry/sri_registry_id.h"

#include <string.h>

int sri_registry_id(const void *bytes, size_t len,
                    char digest[SRI_TOKEN_MAX],
                    char id[SRI_REGISTRY_ID_LEN + 1])
{
    char tok[SRI_TOKEN_MAX];
    int i;

    if (sri_hash_buffer(SRI_ALGO_SHA256, bytes, len, tok) != 0) {
        if (digest)
            strcpy(digest, "unknown");
        if (id)
            strcpy(id, "unknown");
        return -1;
    }
    if (digest)
        memcpy(digest, tok, strlen(tok) + 1);
    if (id) {
        memcpy(id, tok + 7, SRI_REGISTRY_ID_LEN);      /* after "sha256-" */
        id[SRI_REGISTRY_ID_LEN] = '\0';
        for (i = 0; i < SRI_REGISTRY_ID_LEN; i++)
            if (id[i] == '+' || id[i] == '/')
                id[i] = '_';
    }
    return 0;
}
