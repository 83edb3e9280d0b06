/*
 * sri_scan_lane.c -- the scanner's fast lane with masks: runs of common
 * tags (<a href="...">, </td>, <li>) in the data state, from bit masks of
 * the bytes that decide where tags end.
 *
 * Why: most of a page is tags that are neither of interest nor change more
 * than the open elements, and the general path spends most of its time on
 * them, one delimiter search after another: each a load and a compare
 * that waits for the one before.  Here the '<', '>', quotes and '=' of 64
 * bytes are found at once (SSE2, baseline on x86-64; AVX2 where the CPU
 * has it), and a tag is a few shifts and counts of trailing zeros on
 * them, while the next tag does not wait for this one's name; a plain end
 * tag ("</li>", closing the current node) is one compare of 16 bytes,
 * without the masks.  Exactly the same decisions as the general path:
 * where the masks cannot say (an
 * unusual quote, a tag that reaches the chunk's last 64 bytes) the tag is
 * left to it.  Below sri_scan.c, which calls it; builds without SSE2 (or
 * with SRI_SCAN_PORTABLE) leave it out and take the general path's own
 * fast lane (fast_tag()).
 *
 * The lane is compiled twice from one body (lane_run()): for SSE2, and
 * for AVX2, taken at run time where the CPU has it.  With AVX2 the masks
 * of a window cost a third to a half of the SSE2 instructions, so every
 * tag that needs masks (all but plain end tags) takes fresh ones at its
 * '<', where the SSE2 lane reuses a window while the tag starts in its
 * first 33 bytes.  The decisions are the same; builds with
 * SRI_SCAN_NO_AVX2 leave the AVX2 lane out (the tests build one, so both
 * lanes are proven on a CPU that has AVX2).  The AVX2 lane reads its
 * vector constants from memory that the compiler cannot see into
 * (lane_avx2()): GCC 12 otherwise builds each one again at every use from
 * a general register (mov, vmovd, vpbroadcastb), eight constants for
 * every start tag; from memory each is an operand of its compare.
 */
#include <string.h>
#include "html/sri_scan_int.h"

#ifdef SRI_SCAN_SSE2
#if (defined(__GNUC__) || defined(__clang__)) && !defined(SRI_SCAN_NO_AVX2)
#define SRI_SCAN_AVX2 1
#include <immintrin.h>
#endif
/* The bytes that decide where tags end, as bit masks over 64 bytes of the
   chunk (bit b: the 64 bytes' byte b), found 16 bytes per instruction.
   Following the bits costs a shift and a count of trailing zeros per
   delimiter, where a search per delimiter costs a load and a compare each,
   one after the other; one set of masks serves the next tags too. */
typedef struct {
    uint64_t lt, gt, dq, sq, eq;        /* '<' '>' '"' '\'' '=' */
} tag_masks;

#define LANE 64                         /* bytes of a tag_masks           */
#define LANE_ROOM 32                    /* fresh masks for a tag with less */

static inline uint64_t eq16(__m128i x, __m128i c)
{
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, c));
}

static inline void tag_masks_sse2(const char *p, tag_masks *m)
{
    const __m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
    const __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
    const __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
    const __m128i d = _mm_loadu_si128((const __m128i *)(const void *)(p + 48));
    __m128i k;
#define MASK64(ch) (k = _mm_set1_epi8(ch), eq16(a, k) | eq16(b, k) << 16     \
                    | eq16(c, k) << 32 | eq16(d, k) << 48)
    m->lt = MASK64('<');
    m->gt = MASK64('>');
    m->dq = MASK64('"');
    m->sq = MASK64('\'');
    m->eq = MASK64('=');
#undef MASK64
}

/* The vector constants of a lane: the AVX2 lane's (lane_avx2()) in
   memory the compiler cannot see into; the SSE2 lane's are left to the
   compiler (NULL), which takes them from memory anyway. */
typedef struct {
#ifdef SRI_SCAN_AVX2
    __m256i lt, gt, dq, sq, eq;         /* '<' '>' '"' '\'' '=' (each byte) */
#endif
    case_consts name;                   /* for short_name_with()          */
} lane_consts;

#ifdef SRI_SCAN_AVX2
/* The same masks, 32 bytes per instruction. */
__attribute__((target("avx2")))
static inline void tag_masks_avx2(const char *p, tag_masks *m,
                                  const lane_consts *kc)
{
    const __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p);
    const __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)
                                         (p + 32));
#define MASK64(k)                                                            \
        ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, k))   \
         | (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, k)) \
           << 32)
    m->lt = MASK64(kc->lt);
    m->gt = MASK64(kc->gt);
    m->dq = MASK64(kc->dq);
    m->sq = MASK64(kc->sq);
    m->eq = MASK64(kc->eq);
#undef MASK64
}
#endif

/* The masks of p[0, LANE): with AVX2 in the lane compiled for it (wide),
   else with SSE2.  wide is a constant where the lane body is inlined. */
static inline __attribute__((always_inline))
void tag_masks_of(const char *p, tag_masks *m, const int wide,
                  const lane_consts *kc)
{
#ifdef SRI_SCAN_AVX2
    if (wide) {
        tag_masks_avx2(p, m, kc);
        return;
    }
#endif
    (void)wide;
    (void)kc;
    tag_masks_sse2(p, m);
}

/* How many bits x has, counted up to 2 (no popcount: not baseline x86-64,
   and a library call where the CPU lacks it). */
static inline size_t at_most_2(uint64_t x)
{
    return (size_t)(x != 0) + (size_t)((x & (x - 1)) != 0);
}

/* Where the tag at p[o] ('<') whose name ends at p[n] (its delimiter)
   ends, from masks: *m holds those of p[0, LANE) on entry, o < LANE.
   Returns the offset after its '>', with *m the masks of the window that
   holds it, p[*last_w, *last_w + LANE); or 0 when its attributes are not
   the plain kind (skip_attrs(), the general path's automaton, decides
   those) or the windows reach the last LANE of the avail bytes at p.

   Only a quote can hide a '>', and a quote opens a value only in "before
   attribute value" -- right after "name=".  So from the '<' on, the first
   '>' or quote decides: a '>' ends the tag; a quote that follows "x=",
   where x is past the tag name and is no white space or '/', with no
   other '=' since the name or the last value (so x ends an attribute
   name: no value is open), opens a value that ends at the next same
   quote, after which the same holds again.  Any other quote goes to
   skip_attrs().  Where the name ends is needed to check a quote, not to
   find it: the next tag need not wait for this one's name.  Most tags end
   in the first window; long ones (class lists, data attributes, URLs) go
   on window after window, the automaton's state carried across. */
static inline __attribute__((always_inline))
size_t tag_end(const char *p, size_t avail, size_t o, size_t n, tag_masks *m,
               size_t *last_w, const int wide, const lane_consts *kc)
{
    size_t w = 0;                       /* *m: masks of p[w, w + LANE)    */
    size_t b = o + 1, r0 = n + 1, t;    /* look from b; '=' count from r0 */
    size_t eqs = 0;                     /* '=' in [r0, w), 2 for "2 or more" */
    uint64_t x, qm;

    for (;;) {
        /* outside a value: the next '>' or quote from b */
        while (b - w >= LANE
               || !(x = (m->gt | m->dq | m->sq) >> (b - w))) {
            if (r0 < w + LANE) {
                eqs += at_most_2(r0 > w ? m->eq >> (r0 - w) : m->eq);
                if (eqs > 2)
                    eqs = 2;
            }
            w += LANE;
            if (avail - w < LANE)
                return 0;
            tag_masks_of(p + w, m, wide, kc);
            if (b < w)
                b = w;
        }
        t = b + (size_t)__builtin_ctzll(x);
        if (m->gt >> (t - w) & 1) {
            *last_w = w;                /* the next tag is likely in them */
            return t + 1;
        }
        /* a quote opens a value only right after "x=", with no other '='
           since the name or the last value: exactly one '=' in [r0, t),
           at t - 1 */
        if (r0 < w)
            x = m->eq & (((uint64_t)1 << (t - w)) - 1);
        else
            x = m->eq & (((uint64_t)1 << (t - w)) - 1)
                & ~(((uint64_t)1 << (r0 - w)) - 1);
        if (t < r0 + 2 || p[t - 1] != '='
            || eqs + at_most_2(x) != 1
            || WS(p[t - 2]) || p[t - 2] == '/')
            return 0;
        /* inside the value: the next same quote from t + 1 */
        b = t + 1;
        for (;;) {
            if (b - w >= LANE) {
                w += LANE;
                if (avail - w < LANE)
                    return 0;
                tag_masks_of(p + w, m, wide, kc);
            }
            qm = p[t] == '"' ? m->dq : m->sq;
            if ((x = qm >> (b - w)) != 0)
                break;
            b = w + LANE;
        }
        b = r0 = b + (size_t)__builtin_ctzll(x) + 1;
        eqs = 0;
    }
}


/* Is the end tag whose name is at q the plain "</x>" that closes the
   current node x: the node's name, then '>'?  Half the tags of a page
   are, and one compare of 16 bytes finds it, where the name, the masks
   and tag_end() take several times the work.  Only names of up to 15
   bytes, as the ring stores them (ASCII lower-cased, a NUL as 0xff,
   zero-padded to 16), match: the input bytes that match give that same
   stored name when read the long way.  Upper case, white space or
   attributes before the '>' are left to the checks that follow, which
   decide them as before.  q has 16 readable bytes. */
static inline int plain_end_tag(const sri_tree *t, const sri_tree_pos *pos,
                                const char *q)
{
    static const unsigned char gt_row[32] = {  /* '>' at [15] */
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '>'
    };
    const sri_tree_node *n = sri_tree_top(t, pos);
    __m128i want;
    unsigned bits;

    if (!pos->depth || n->ns != SRI_NS_HTML || n->len > 15)
        return 0;
    /* the name, and '>' where its zero padding begins */
    want = _mm_or_si128(
        _mm_loadu_si128((const __m128i *)(const void *)n->name),
        _mm_loadu_si128((const __m128i *)(const void *)
                        (gt_row + 15 - n->len)));
    bits = (2u << n->len) - 1;          /* bytes [0, len] */
    return ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
                _mm_loadu_si128((const __m128i *)(const void *)q), want))
            & bits) == bits;
}

/* The tags from buf[i] ('<') on while they are the common kind (the checks
   are fast_tag()'s, sri_scan.c) and have LANE bytes: a plain end tag from
   plain_end_tag(), the others from one load of their name and the masks;
   the next '<' from the same masks.  A tag's tree update comes after its
   end is known: a tag left to the others has changed nothing.  The
   stack's position stays in registers meanwhile.  Returns where the scan
   goes on: i when it took no tag, else after its last tag or at a '<' it
   leaves to the others.  wide: the AVX2 lane (a constant: see below),
   with its constants at kc. */
static inline __attribute__((always_inline))
size_t lane_run(sri_scanner *s, size_t i, const int wide,
                const lane_consts *kc)
{
    const char *const buf = s->buf;
    const size_t len = s->len;
    sri_tree *const t = &s->tree;
    char name[NAME_MAX_KEPT] __attribute__((aligned(16)));
    tag_masks m = { 0, 0, 0, 0, 0 };    /* read once have is set */
    size_t wb = 0, o;                   /* m: masks of buf[wb, wb + LANE) */
    int have = 0;
    sri_tree_pos pos = t->pos;          /* in registers; written back below */

    while (len - i >= LANE) {
        const char *const p = buf + i, *q;
        const int is_end = p[1] == '/';
        uint64_t x;
        size_t k, e, j, w;
        unsigned f = 0;

        q = p + 1 + is_end;             /* the name */
        if (is_end && plain_end_tag(t, &pos, q)) {
            /* after the '>', from wb (without masks, wb + e is all that
               is read) */
            e = i + 3 + sri_tree_top(t, &pos)->len - wb;
            pos.depth--;
            goto next;
        }
        if (!ALPHA(*q))
            goto out;
        k = wide ? short_name_with(q, name, &kc->name)
                 : short_name(q, name);
        if (!k)
            goto out;
        if (is_end) {                   /* "</x": closes the current node? */
            if (!sri_tree_end_fast_ok(t, &pos, name, k))
                goto out;
        } else {                        /* "<x" */
            f = name_flags(s, name, k);
            if ((f & HELD_NAMES) || !sri_tree_start_fast_ok(t, &pos, f))
                goto out;
        }
        o = i - wb;
        if (wide || !have || o + LANE_ROOM > LANE) {
            tag_masks_of(p, &m, wide, kc);
            wb = i;
            o = 0;
            have = 1;
        }
        e = tag_end(buf + wb, len - wb, o, o + 1 + is_end + k, &m, &w, wide, kc);
        if (!e)
            goto out;
        wb += w;                        /* m: the masks of the tag's '>' */
        e -= w;                         /* from wb */
        if (is_end)
            pos.depth--;
        else
            sri_tree_start_fast_do(t, &pos, name, k, f);
    next:
        /* the next '<' (e: after the '>', from wb) */
        if (have && e < LANE && (x = m.lt >> e) != 0) {
            j = wb + e + (size_t)__builtin_ctzll(x);
        } else {
            const char *lt = find_byte(buf + wb
                                       + (have && e < LANE ? LANE : e),
                                       buf + len, '<');
            if (!lt) {
                i = wb + e;
                goto out;
            }
            j = (size_t)(lt - buf);
        }
        if (t->frameset_ok)
            note_data_text(s, buf + wb + e, j - (wb + e));
        i = j;
    }
out:
    t->pos = pos;
    return i;
}

/* The lane compiled for SSE2, and for AVX2 (its own copy of lane_run():
   the target applies to all that is inlined into it). */
static size_t lane_sse2(sri_scanner *s, size_t i)
{
    return lane_run(s, i, 0, NULL);
}

#ifdef SRI_SCAN_AVX2
__attribute__((target("avx2")))
static size_t lane_avx2(sri_scanner *s, size_t i)
{
    lane_consts kc;

    kc.lt = _mm256_set1_epi8('<');
    kc.gt = _mm256_set1_epi8('>');
    kc.dq = _mm256_set1_epi8('"');
    kc.sq = _mm256_set1_epi8('\'');
    kc.eq = _mm256_set1_epi8('=');
    kc.name = case_consts_of();
    /* kc may have changed, as far as the compiler knows: its fields are
       read from memory, not rebuilt as constants */
    __asm__ volatile("" : : "r"(&kc) : "memory");
    return lane_run(s, i, 1, &kc);
}
#endif

/* Does this process take the AVX2 lane?  The compiler runtime's CPU model
   (libgcc, or compiler-rt), set by a constructor when the program or
   mod_sri.so is loaded; AVX2 only where the OS saves the registers too. */
static inline int lane_is_avx2(void)
{
#ifdef SRI_SCAN_AVX2
    return __builtin_cpu_supports("avx2");
#else
    return 0;
#endif
}

size_t sri_scan_lane(sri_scanner *s, size_t i)
{
#ifdef SRI_SCAN_AVX2
    if (lane_is_avx2())
        return lane_avx2(s, i);
#endif
    return lane_sse2(s, i);
}
#endif /* SRI_SCAN_SSE2 */

const char *sri_scan_lane_kind(void)
{
#ifdef SRI_SCAN_SSE2
    return lane_is_avx2() ? "avx2" : "sse2";
#else
    return "portable";
#endif
}
