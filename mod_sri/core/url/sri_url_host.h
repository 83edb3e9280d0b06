/*
 * sri_url_host.h -- host parsing for sri_url.c (private to the URL code).
 *
 * Why: the WHATWG host parser (domains, IPv4 in all its legacy spellings,
 * IPv6) is a self-contained piece of the standard; keeping it apart keeps
 * sri_url.c about the URL state machine.
 */
#ifndef SRI_URL_HOST_H
#define SRI_URL_HOST_H

#include <stddef.h>

/* Room the serialised host of an n-byte input can need. */
#define SRI_URL_HOST_ROOM(n) (3 * (n) + 48)

/* Parse in[0,n) as the host of a special URL (special != 0: domain or
   IPv4, percent-decoded and lower-cased) or of a non-special one (an
   opaque host, percent-encoded).  "[...]" is IPv6 in both.  Writes the
   serialisation to out (at least SRI_URL_HOST_ROOM(n) bytes, not
   NUL-terminated) and returns its length, or -1 on failure.
   Non-ASCII domains fail: no IDNA/punycode here (see sri_url.c). */
long sri_url_host_parse(const char *in, size_t n, int special, char *out);

#endif /* SRI_URL_HOST_H */
