/*
 * sri_sfv.h -- RFC 8941 Structured Field Dictionaries: parse and serialize.
 *
 * Why: Signature, Signature-Input and Unencoded-Digest are Structured Field
 * Dictionaries, and an HTTP Message Signature (RFC 9421) covers their
 * *strict serialization* ("sf"), not the bytes on the wire.  A verifier that
 * compared raw text would refuse valid signatures sent with other spacing;
 * one that parsed loosely would accept what browsers refuse.  So the subset
 * the signature-based SRI profile needs is parsed by the RFC's algorithm and
 * serialized back by its rules.  Bounded: small fixed arrays, no allocation.
 */
#ifndef SRI_SFV_H
#define SRI_SFV_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SFV_MAX_MEMBERS 8
#define SFV_MAX_ITEMS   4      /* per inner list */
#define SFV_MAX_PARAMS  6
#define SFV_KEY_MAX     64
#define SFV_TEXT_MAX    4096   /* decoded strings/tokens/byte-seq text */

typedef enum {
    SFV_INTEGER = 1, SFV_DECIMAL, SFV_STRING, SFV_TOKEN, SFV_BYTES, SFV_BOOLEAN
} sfv_type;

typedef struct {
    sfv_type    type;
    long long   i;            /* integer, boolean (0/1); decimal * 1000 */
    const char *s;            /* string (decoded), token, byte sequence as
                                 its base64 text; NUL terminated, in text */
    size_t      n;
} sfv_bare;

typedef struct {
    char     key[SFV_KEY_MAX];
    sfv_bare value;
} sfv_param;

typedef struct {
    sfv_bare  item;
    sfv_param params[SFV_MAX_PARAMS];
    int       nparams;
} sfv_item;

typedef struct {
    char      key[SFV_KEY_MAX];
    int       inner;                 /* value is an inner list */
    sfv_item  items[SFV_MAX_ITEMS];  /* one item unless inner */
    int       nitems;
    sfv_param params[SFV_MAX_PARAMS];   /* the inner list's parameters, or
                                           the item's (== items[0].params) */
    int       nparams;
} sfv_member;

typedef struct {
    sfv_member members[SFV_MAX_MEMBERS];
    int        nmembers;
    char       text[SFV_TEXT_MAX];
    size_t     used;
} sfv_dict;

/* Parse a field value as a Dictionary (RFC 8941 4.2).  0 on success, -1 if
   it is not one (or exceeds the bounds above); *why set then. */
int sfv_parse_dict(const char *in, size_t len, sfv_dict *d, const char **why);

/* Lookup by key; NULL if absent. */
const sfv_member *sfv_dict_get(const sfv_dict *d, const char *key);
const sfv_param  *sfv_param_get(const sfv_param *p, int n, const char *key);

/* Strict serialization (RFC 8941 4.1) into out[outlen].  Returns the
   length, or -1 if it does not fit. */
long sfv_serialize_dict(const sfv_dict *d, char *out, size_t outlen);
/* One member's value: "(a b);x=1" or "item;x". */
long sfv_serialize_member_value(const sfv_member *m, char *out,
                                size_t outlen);

#ifdef __cplusplus
}
#endif
#endif /* SRI_SFV_H */
