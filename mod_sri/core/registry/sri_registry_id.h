/*
 * sri_registry_id.h -- which registry is this: its digest and version id.
 *
 * Why: the module puts a registry's version id in ETags and mod_status,
 * and the tool prints the digest in the inventory an assessor files; both
 * must name the same bytes the same way, so the one definition is here.
 */
#ifndef SRI_REGISTRY_ID_H
#define SRI_REGISTRY_ID_H

#include <stddef.h>
#include "integrity/sri_integrity.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SRI_REGISTRY_ID_LEN 12

/* digest: the SHA-256 token of the file's bytes ("sha256-" + base64);
   id: its first 12 base64 characters with '+' and '/' as '_' (the same in
   every process, safe in ETags and logs).  Either may be NULL.  Returns 0,
   or -1 on an OpenSSL failure (digest and id are then "unknown"). */
int sri_registry_id(const void *bytes, size_t len,
                    char digest[SRI_TOKEN_MAX],
                    char id[SRI_REGISTRY_ID_LEN + 1]);

#ifdef __cplusplus
}
#endif
#endif /* SRI_REGISTRY_ID_H */
