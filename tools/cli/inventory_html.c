/*
 * inventory_html.c -- the inventory as one HTML page for a PCI DSS assessor.
 *
 * Why: requirement 6.4.3 asks for an inventory of every payment-page script
 * with its written justification and proof of authorisation, and 11.6.1 for
 * tamper detection.  The assessor wants one document to file: this page
 * lists every script and stylesheet with why, who approved it and when, the
 * last verification, the CORS and second-source results, highlights drift
 * waiting for review, counts the gaps, and names the exact registry it was
 * made from (its SHA-256 digest, which is also the version id mod_sri shows
 * in mod_status and ETags) and when.  The page is self-contained (inline
 * CSS, no script, no external asset, a CSP that forbids loading anything)
 * and every string from the registry is HTML-escaped: the registry is
 * operator input, and the report is opened in a browser.
 */
#include "config.h"
#include "inventory_html.h"
#include "registry/sri_registry_id.h"

#include <string.h>

/* Text content and attribute values alike ("'" too, for attributes in
   either quote).  The registry parser already refuses control characters
   and invalid UTF-8; anything that slips through is shown as U+FFFD. */
static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&':  fputs("&amp;", f);  break;
        case '<':  fputs("&lt;", f);   break;
        case '>':  fputs("&gt;", f);   break;
        case '"':  fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f);  break;
        default:
            if ((c < 0x20 && c != '\t') || c == 0x7f)
                fputs("&#xFFFD;", f);
            else
                fputc(c, f);
        }
    }
}

/* A table cell with the value, or a marked gap. */
static void cell(FILE *f, const char *v, const char *missing, int is_gap)
{
    if (v && *v) {
        fputs("<td>", f);
        esc(f, v);
    } else {
        fprintf(f, "<td class=\"%s\">%s", is_gap ? "gap" : "none", missing);
    }
    fputs("</td>", f);
}

/* What the browser loads it as, by the path's extension (the registry does
   not record the tag). */
static const char *kind(const char *url)
{
    const char *end = url + strcspn(url, "?#"), *dot = end;

    while (dot > url && dot[-1] != '.' && dot[-1] != '/')
        dot--;
    if (dot == url || dot[-1] != '.')
        return "other";
    if ((end - dot == 2 && !strncmp(dot, "js", 2)) ||
        (end - dot == 3 && (!strncmp(dot, "mjs", 3) || !strncmp(dot, "cjs", 3))))
        return "script";
    if (end - dot == 3 && !strncmp(dot, "css", 3))
        return "stylesheet";
    return "other";
}

typedef struct {
    int n, scripts, styles, others;
    int pinned, drift, pending_only;
    int no_why, no_by, never_verified;
    int cors_ok, cors_missing, cors_unchecked;
    int src_ok, src_bad, src_other, src_none;
} totals;

static void count(totals *c, const sri_entry *e)
{
    const char *k = kind(e->url);

    c->n++;
    if (!strcmp(k, "script"))
        c->scripts++;
    else if (!strcmp(k, "stylesheet"))
        c->styles++;
    else
        c->others++;
    if (!e->integrity)
        c->pending_only++;
    else if (e->pending->nelts)
        c->drift++;
    else
        c->pinned++;
    if (!e->why)
        c->no_why++;
    if (!e->approved_by)
        c->no_by++;
    if (!e->verified)
        c->never_verified++;
    if (e->cors && !strcmp(e->cors, "ok"))
        c->cors_ok++;
    else if (e->cors && !strcmp(e->cors, "missing"))
        c->cors_missing++;
    else
        c->cors_unchecked++;
    if (!e->source)
        c->src_none++;
    else if (!strcmp(e->source, "npm-ok"))
        c->src_ok++;
    else if (strstr(e->source, "MISMATCH") || strstr(e->source, "BAD"))
        c->src_bad++;
    else
        c->src_other++;
}

static const char STYLE[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "color:#1b1f23;margin:2em auto;max-width:110em;padding:0 1.5em}"
    "h1{font-size:1.6em;margin:0 0 .2em}h2{font-size:1.2em;margin:1.6em 0 .5em;"
    "border-bottom:1px solid #d0d7de;padding-bottom:.2em}"
    ".sub{color:#57606a;margin:0 0 1.2em}"
    "dl.meta{display:grid;grid-template-columns:max-content auto;gap:.25em 1.2em;"
    "margin:0}dl.meta dt{font-weight:600}dl.meta dd{margin:0}"
    "code,.tok{font-family:ui-monospace,'DejaVu Sans Mono',monospace;"
    "font-size:.85em;word-break:break-all}"
    "table{border-collapse:collapse;width:100%;margin:.4em 0}"
    "th,td{border:1px solid #d0d7de;padding:.35em .5em;text-align:left;"
    "vertical-align:top}th{background:#f6f8fa}"
    ".totals{display:flex;flex-wrap:wrap;gap:.4em 1.5em;align-items:flex-start}"
    ".totals table{width:auto;margin:0}.totals caption{text-align:left;"
    "font-weight:600;padding:.2em 0}.totals td.num{text-align:right;"
    "min-width:3em;font-variant-numeric:tabular-nums}"
    "td.url{word-break:break-all;min-width:16em}"
    "tr.drift td{background:#ffebe9}tr.drift td:first-child{"
    "border-left:5px solid #cf222e}"
    "tr.pending td{background:#fff8c5}"
    ".badge{display:inline-block;border-radius:1em;padding:0 .6em;"
    "font-size:.8em;font-weight:700;white-space:nowrap}"
    ".b-pinned{background:#dafbe1;color:#116329}"
    ".b-drift{background:#cf222e;color:#fff}"
    ".b-pending{background:#f5e0a0;color:#7d4e00}"
    ".gap{color:#cf222e;font-weight:700}.none{color:#6e7781}"
    ".warn{color:#cf222e;font-weight:700}"
    "ul.toks{margin:0;padding-left:1.1em}"
    "footer{margin-top:2em;color:#57606a;font-size:.9em}"
    "@media print{body{margin:0;max-width:none;font-size:10px}"
    "tr{break-inside:avoid}}";

/* The totals are small tables side by side, one per subject. */
static void total_group(FILE *f, const char *title, int first)
{
    fprintf(f, "%s<table><caption>%s</caption>\n", first ? "" : "</table>\n",
            title);
}

static void total_row(FILE *f, const char *what, int n, int bad)
{
    fprintf(f, "<tr><td>%s</td><td class=\"num%s\">%d</td></tr>\n", what,
            bad && n ? " warn" : "", n);
}

int inventory_html(tool_ctx *t, const char *path, FILE *out)
{
    char *buf, *err = NULL, digest[SRI_TOKEN_MAX];
    char version[SRI_REGISTRY_ID_LEN + 1];
    size_t len;
    sri_registry *reg;
    const char *now = tool_now(t);
    totals c;
    int i, j, n, rc;

    /* One read: the entries shown and the digest are of the same bytes. */
    if ((rc = tool_read_file(t, path, &buf, &len)) != 0)
        return rc;
    if (sri_registry_parse(t->p, path, buf, len, &reg, &err) != 0) {
        tool_err("%s", err ? err : "invalid registry");
        return EXIT_LOCAL;
    }
    /* The digest, and the version id mod_sri shows for the same bytes. */
    if (sri_registry_id(buf, len, digest, version) != 0) {
        tool_err("cannot hash %s", path);
        return EXIT_LOCAL;
    }

    n = sri_registry_count(reg);
    memset(&c, 0, sizeof(c));
    for (i = 0; i < n; i++)
        count(&c, sri_registry_entry(reg, i));

    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
          "<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\""
          "default-src 'none'; style-src 'unsafe-inline'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width\">\n"
          "<meta name=\"generator\" content=\"sri-registry " PACKAGE_VERSION
          "\">\n<title>Third-party script inventory: ", out);
    esc(out, path);
    fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", STYLE);
    fputs("<header>\n<h1>Third-party scripts and stylesheets</h1>\n"
          "<p class=\"sub\">Inventory under PCI DSS v4.0 requirement 6.4.3 "
          "(each script authorised, justified, its integrity assured) and "
          "the state of the tamper checks of requirement 11.6.1, from the "
          "mod_sri registry.</p>\n<dl class=\"meta\">\n<dt>Registry</dt><dd>"
          "<code>", out);
    esc(out, path);
    fputs("</code></dd>\n<dt>Registry digest</dt><dd><code id=\"digest\">",
          out);
    esc(out, digest);
    fputs("</code> (SHA-256 of the file; mod_sri version id <code "
          "id=\"version\">", out);
    esc(out, version);
    fputs("</code>, as shown by mod_status and in ETags)</dd>\n"
          "<dt>Generated</dt><dd><time id=\"generated\">", out);
    esc(out, now);
    fprintf(out, "</time> by sri-registry %s</dd>\n"
            "<dt>Entries</dt><dd id=\"count\">%d</dd>\n</dl>\n</header>\n",
            PACKAGE_VERSION, n);

    fputs("<section>\n<h2>Totals</h2>\n<div class=\"totals\" id=\"totals\">\n",
          out);
    total_group(out, "Entries", 1);
    total_row(out, "All entries", c.n, 0);
    total_row(out, "Scripts (by extension)", c.scripts, 0);
    total_row(out, "Stylesheets (by extension)", c.styles, 0);
    total_row(out, "Other", c.others, 0);
    total_group(out, "State", 0);
    total_row(out, "Pinned, unchanged upstream", c.pinned, 0);
    total_row(out, "Drift: changed upstream, pending review", c.drift, 1);
    total_row(out, "Pending approval (never served)", c.pending_only, 1);
    total_group(out, "Authorisation", 0);
    total_row(out, "Without justification", c.no_why, 1);
    total_row(out, "Without approver", c.no_by, 1);
    total_row(out, "Never verified", c.never_verified, 1);
    total_group(out, "CORS", 0);
    total_row(out, "CORS ok", c.cors_ok, 0);
    total_row(out, "CORS missing", c.cors_missing, 1);
    total_row(out, "CORS unchecked", c.cors_unchecked, 0);
    total_group(out, "Second source", 0);
    total_row(out, "Second source agrees (npm)", c.src_ok, 0);
    total_row(out, "Second source disagrees", c.src_bad, 1);
    total_row(out, "Second source other result", c.src_other, 0);
    total_row(out, "No second source", c.src_none, 0);
    fputs("</table>\n</div>\n</section>\n", out);

    fputs("<section>\n<h2>Inventory</h2>\n", out);
    if (c.drift)
        fprintf(out, "<p class=\"warn\">%d entr%s changed upstream: the "
                "new bytes are recorded as pending and are not served; "
                "review them (highlighted) before approving.</p>\n",
                c.drift, c.drift == 1 ? "y has" : "ies have");
    fputs("<table id=\"inventory\">\n<thead><tr>"
          "<th scope=\"col\">#</th><th scope=\"col\">URL</th>"
          "<th scope=\"col\">Kind</th><th scope=\"col\">Status</th>"
          "<th scope=\"col\">Justification (why)</th>"
          "<th scope=\"col\">Approved by</th><th scope=\"col\">Approved at</th>"
          "<th scope=\"col\">Last verified</th><th scope=\"col\">CORS</th>"
          "<th scope=\"col\">Second source</th>"
          "<th scope=\"col\">Approved integrity</th>"
          "<th scope=\"col\">Pending (drift)</th></tr></thead>\n<tbody>\n",
          out);
    for (i = 0; i < n; i++) {
        const sri_entry *e = sri_registry_entry(reg, i);
        const char *cls, *badge;

        if (!e->integrity) {
            cls = "pending";
            badge = "<span class=\"badge b-pending\">pending approval</span>";
        } else if (e->pending->nelts) {
            cls = "drift";
            badge = "<span class=\"badge b-drift\">DRIFT</span>";
        } else {
            cls = "pinned";
            badge = "<span class=\"badge b-pinned\">pinned</span>";
        }
        fprintf(out, "<tr class=\"%s\"><td>%d</td><td class=\"url\">", cls,
                i + 1);
        esc(out, e->url);
        fprintf(out, "</td><td>%s</td><td>%s</td>", kind(e->url), badge);
        cell(out, e->why, "MISSING", 1);
        cell(out, e->approved_by, "MISSING", 1);
        cell(out, e->approved_at, "&mdash;", 0);
        cell(out, e->verified, "never", 1);
        cell(out, e->cors, "unchecked", 0);
        cell(out, e->source, "none", 0);
        fputs("<td><ul class=\"toks\">", out);
        for (j = 0; j < e->approved->nelts; j++) {
            fputs("<li class=\"tok\">", out);
            esc(out, APR_ARRAY_IDX(e->approved, j, sri_reg_token).token);
            fputs("</li>", out);
        }
        fputs("</ul></td><td><ul class=\"toks\">", out);
        for (j = 0; j < e->pending->nelts; j++) {
            const sri_reg_token *p = &APR_ARRAY_IDX(e->pending, j,
                                                    sri_reg_token);
            fputs("<li><span class=\"tok\">", out);
            esc(out, p->token);
            fputs("</span>", out);
            if (p->seen) {
                fputs(" seen ", out);
                esc(out, p->seen);
            }
            fputs("</li>", out);
        }
        fputs("</ul></td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n</section>\n", out);

    fputs("<footer>\n<p>Status: <em>pinned</em> &mdash; served with its "
          "approved integrity; <em>DRIFT</em> &mdash; the upstream bytes "
          "changed since approval: the new hash is pending and not served, "
          "the approved one still is, so browsers refuse the changed file; "
          "<em>pending approval</em> &mdash; recorded but never approved, "
          "so not served with integrity. <em>Last verified</em> is the last "
          "<code>sri-registry refresh</code> that found the upstream bytes "
          "unchanged (<code>verify</code>, the daily check, reads only). "
          "<em>Kind</em> is inferred from the URL's extension.</p>\n"
          "<p>Made with <code>sri-registry inventory --format html</code>. "
          "To check that production serves this registry: "
          "<code>sri-registry hash --algo sha256 REGISTRY</code> prints the "
          "digest, and mod_status shows the version id.</p>\n</footer>\n"
          "</body>\n</html>\n", out);
    if (fflush(out) != 0 || ferror(out)) {
        tool_err("cannot write the inventory");
        return EXIT_LOCAL;
    }
    return EXIT_OK;
}
