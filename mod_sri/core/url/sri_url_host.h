/*
 * sri_url_host.h -- host parsing for sri_url_parse.c (private to the URL
 * code).
 *
 * Why: the WHATWG host parser (domains, IPv4 in all its legacy spellings,
 * IPv6) is a self-contained piece of the standard; keeping it apart keeps
 * sri_url_parse.c about the URL state machine.
 */
#ifndef SRI_URL_HOST_H
#define SRI_URL_HOST_H

#include <stddef.h>

/* Room the serialised host of an n-byte input needs, except for the
   ASCII form of a non-ASCII domain, which can be longer (many one-letter
   labels that each become "xn--..."). */
#define SRI_URL_HOST_ROOM(n) (3 * (n) + 48)

/* Parse in[0,n) as the host of a special URL (special != 0: domain or
   IPv4, percent-decoded, lower-cased and, when non-ASCII, converted to
   ASCII by UTS #46 as the URL standard's "domain to ASCII" does) or of a
   non-special one (an opaque host, percent-encoded).  "[...]" is IPv6 in
   both.  Writes the serialisation to out (cap bytes; not NUL-terminated)
   and returns its length, or -1 on failure: an invalid host (*need 0), or
   one whose serialisation needs more than cap bytes (*need says how many,
   at least SRI_URL_HOST_ROOM(n): call again with that room). */
long sri_url_host_parse(const char *in, size_t n, int special, char *out,
                        size_t cap, size_t *need);

#endif /* SRI_URL_HOST_H */
