// differential.mjs -- the scanner against an HTML5 parser (parse5).
//
// Why: the scanner claims to find exactly the <script>, <link>, <base> and
// <iframe> elements a browser creates (and the SVG <script> elements, which
// load a script that no integrity can pin), and to change nothing else.  Hand-written unit
// tests cannot cover the HTML5 corner cases; a spec-complete parser can judge
// every input.  For each document D we run scan_mark (which inserts
// data-sri-mark="KIND" into each tag it hands on) giving M, then require:
//   1. M with the markers removed is byte-identical to D;
//   2. parse(M) with the marker attributes removed equals parse(D);
//   3. in parse(M), the marker sits on exactly the HTML-namespace script,
//      link, base and iframe elements and the SVG-namespace script elements, with
//      the right kind, and the number of
//      markers in M's bytes equals the number of marked elements (a marked
//      tag the parser ignored is an error too);
//   4. M is the same whether D is fed whole or in 7-byte chunks.
// Inputs: every #data of html5lib-tests tree-construction (not fragment or
// scripting-off cases), as is and with a registered-looking script and
// stylesheet planted at the start, middle and end; the Apache manual
// (English pages); and tests/oracle/cases/*.html.
// Known divergences live in expected-failures ("ID reason" per line); a new
// divergence fails, and so does a listed one that now passes.
//
// Usage: node differential.mjs PARSE5_INDEX_JS SCAN_MARK SRCDIR SUITE_DIR MANUAL_DIR
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { pathToFileURL } from 'node:url';

const [parse5Path, scanMark, srcDir, suiteDir, manualDir] = process.argv.slice(2);
const { parse } = await import(pathToFileURL(parse5Path).href);

const PLANT = '<script src=https://cdn.example/x.js></script>' +
    '<link rel=stylesheet href=https://cdn.example/x.css>';
const MARK_RE = / data-sri-mark="(script|link|base|svg-script|iframe)"/g;
const HTML_NS = 'http://www.w3.org/1999/xhtml';
const SVG_NS = 'http://www.w3.org/2000/svg';

// ---- the suite's tree format, to vet the oracle ----------------------------
const NS_PREFIX = { 'http://www.w3.org/2000/svg': 'svg ',
                    'http://www.w3.org/1998/Math/MathML': 'math ' };
function suiteTree(doc) {
    const out = [];
    const walk = (node, depth) => {
        const pad = '| ' + '  '.repeat(depth);
        for (const ch of node.childNodes || []) {
            if (ch.nodeName === '#text') out.push(pad + '"' + ch.value + '"');
            else if (ch.nodeName === '#comment') out.push(pad + '<!-- ' + ch.data + ' -->');
            else if (ch.nodeName === '#documentType') {
                out.push(pad + '<!DOCTYPE ' + ch.name +
                    (ch.publicId || ch.systemId ? ' "' + (ch.publicId || '') + '" "' + (ch.systemId || '') + '"' : '') + '>');
            } else if (ch.tagName !== undefined) {
                out.push(pad + '<' + (NS_PREFIX[ch.namespaceURI] || '') + ch.tagName + '>');
                const attrs = ch.attrs.map(a => ((a.prefix ? a.prefix + ' ' : '') + a.name))
                    .map((n, i) => [n, ch.attrs[i].value]).sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
                for (const [n, v] of attrs) out.push('| ' + '  '.repeat(depth + 1) + n + '="' + v + '"');
                if (ch.content) {
                    out.push('| ' + '  '.repeat(depth + 1) + 'content');
                    walk(ch.content, depth + 2);
                }
                walk(ch, depth + 1);
            }
        }
    };
    walk(doc, 0);
    // The suite file was read as latin1: compare in the same terms.
    return Buffer.from(out.join('\n'), 'utf8').toString('latin1');
}
const oracleSkips = [];
const suiteCount = [];

// ---- inputs (all strings are latin1: one char per byte) -------------------
const groups = [];      // { name, cases: [{ id, html }] }

function datCases(file) {
    const text = readFileSync(file, 'latin1');
    const out = [];
    const parts = text.split(/^#data\n/m).slice(1);
    parts.forEach((part, n) => {
        const m = part.match(/^([\s\S]*?)\n#errors\n/);
        if (!m) return;
        if (/^#document-fragment$/m.test(part) || /^#script-off$/m.test(part))
            return;
        const d = part.match(/\n#document\n([\s\S]*?)(?:\n\n|\n?$)/);
        out.push({ id: `${basename(file)}#${n + 1}`, html: m[1],
                   expect: d ? d[1] : null });
    });
    return out;
}

if (suiteDir && existsSync(suiteDir)) {
    for (const f of readdirSync(suiteDir).filter(f => f.endsWith('.dat')).sort()) {
        const cases = [];
        for (const c of datCases(join(suiteDir, f))) {
            // Where parse5 itself disagrees with the suite's expected tree
            // (e.g. it predates the 2025 <select> parser relaxation), it is
            // no oracle for that input: skip it, and count the skips.
            if (c.expect !== null)
                suiteCount.push({ id: c.id + '@count', html: c.html,
                                  expect: c.expect, countOnly: true });
            if (c.expect !== null && suiteTree(parse(c.html)) !== c.expect) {
                oracleSkips.push(c.id);
                continue;
            }
            const mid = c.html.length >> 1;
            cases.push({ id: c.id, html: c.html });
            cases.push({ id: c.id + '@start', html: PLANT + c.html });
            cases.push({ id: c.id + '@middle',
                         html: c.html.slice(0, mid) + PLANT + c.html.slice(mid) });
            cases.push({ id: c.id + '@end', html: c.html + PLANT });
        }
        groups.push({ name: 'html5lib-tests ' + f, cases });
    }
    // The suite's own expected trees, parse5 aside: the scanner must hand on
    // as many tags as the tree has HTML script, link and base elements
    // (every element comes from a start tag; one the tree builder ignores
    // makes none).  This covers the inputs parse5 is skipped on.
    groups.push({ name: 'html5lib-tests expected trees (tag counts)', cases: suiteCount });
} else {
    groups.push({ name: 'html5lib-tests', skip: 'html5lib-tests absent (' + suiteDir + ')', cases: [] });
}

function walkFiles(dir, pred, acc = []) {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walkFiles(p, pred, acc);
        else if (pred(p)) acc.push(p);
    }
    return acc.sort();
}

if (manualDir && existsSync(manualDir)) {
    // English pages by default (make check's time budget); all 2685 pages
    // in every language with SRI_ORACLE_ALL_MANUAL=1.
    const all = process.env.SRI_ORACLE_ALL_MANUAL === '1';
    const files = walkFiles(manualDir, p =>
        /\.html(\.en)?$/.test(p) &&
        (all || !/\/(da|de|es|fr|ja|ko|pt-br|ru|tr|zh-cn)\//.test(p)));
    groups.push({ name: 'apache manual (' + files.length + ' pages)',
                  cases: files.map(f => ({ id: f.slice(manualDir.length + 1),
                                           html: readFileSync(f, 'latin1') })) });
} else {
    groups.push({ name: 'apache manual', skip: 'apache2-doc not installed', cases: [] });
}

const casesDir = join(srcDir, 'tests/oracle/cases');
groups.push({ name: 'hard cases (tests/oracle/cases)',
              cases: walkFiles(casesDir, p => p.endsWith('.html')).map(f =>
                  ({ id: 'cases/' + basename(f), html: readFileSync(f, 'latin1') })) });

// ---- run the scanner over everything, in one process per chunking --------
function runScanner(all, chunkArgs) {
    const input = Buffer.concat(all.flatMap(c => {
        const b = Buffer.from(c.html, 'latin1');
        return [Buffer.from(b.length + '\n', 'latin1'), b];
    }));
    const r = spawnSync(scanMark, ['-b', ...chunkArgs], { input, maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error('scan_mark failed: ' + r.stderr);
    const out = [];
    let at = 0;
    const buf = r.stdout;
    while (at < buf.length) {
        const nl = buf.indexOf(10, at);
        const n = Number(buf.toString('latin1', at, nl));
        out.push(buf.toString('latin1', nl + 1, nl + 1 + n));
        at = nl + 1 + n;
    }
    if (out.length !== all.length) throw new Error('scan_mark: record count');
    return out;
}

const all = groups.flatMap(g => g.cases);
const whole = runScanner(all, []);
const chunked = runScanner(all, ['-c', '7']);
const outputs = new Map(all.map((c, i) => [c, { m: whole[i], chunked: chunked[i] }]));

// ---- DOM comparison -----------------------------------------------------
function dump(node, marks, depth, lines) {
    const pad = ' '.repeat(depth);
    for (const ch of node.childNodes || []) {
        if (ch.nodeName === '#text') lines.push(pad + JSON.stringify(ch.value));
        else if (ch.nodeName === '#comment') lines.push(pad + '<!--' + JSON.stringify(ch.data) + '-->');
        else if (ch.nodeName === '#documentType') lines.push(pad + '<!DOCTYPE ' + JSON.stringify([ch.name, ch.publicId, ch.systemId]) + '>');
        else if (ch.tagName !== undefined) {
            let attrs = ch.attrs;
            const mk = attrs.filter(a => a.name === 'data-sri-mark');
            if (mk.length) {
                marks.push({ el: ch, kind: mk[0].value });
                attrs = attrs.filter(a => a.name !== 'data-sri-mark');
            }
            const interesting = (ch.namespaceURI === HTML_NS &&
                ['script', 'link', 'base', 'iframe'].includes(ch.tagName))
                || (ch.namespaceURI === SVG_NS && ch.tagName === 'script');
            if (interesting) marks.wanted.push(ch);
            const a = attrs.map(x => (x.prefix ? x.prefix + ':' : '') + x.name + '=' + JSON.stringify(x.value)).sort();
            lines.push(pad + '<' + ch.namespaceURI + ' ' + ch.tagName + (a.length ? ' ' + a.join(' ') : '') + '>');
            if (ch.content) {
                lines.push(pad + ' content');
                dump(ch.content, marks, depth + 2, lines);
            }
            dump(ch, marks, depth + 1, lines);
        }
    }
    return lines;
}

function check(c) {
    const { m, chunked: mc } = outputs.get(c);
    if (c.countOnly) {
        const want = (c.expect.match(/^\| +<(script|link|base|iframe|svg script)>$/gm) || []).length;
        const got = (m.match(MARK_RE) || []).length;
        return got === want ? null
            : got + ' tags handed on, the expected tree has ' + want + ' HTML script/link/base/iframe and SVG script elements';
    }
    if (mc !== m) return 'output differs when fed in 7-byte chunks';
    const stripped = m.replace(MARK_RE, '');
    if (stripped !== c.html) return 'bytes outside the markers changed';
    const nBytes = (m.match(MARK_RE) || []).length;
    const mIn = []; mIn.wanted = [];
    const mOut = []; mOut.wanted = [];
    const dIn = dump(parse(c.html), mIn, 0, []).join('\n');
    const dOut = dump(parse(m), mOut, 0, []).join('\n');
    if (dIn !== dOut) {
        const a = dIn.split('\n'), b = dOut.split('\n');
        let k = 0;
        while (k < a.length && a[k] === b[k]) k++;
        return 'DOM differs at line ' + (k + 1) + ': ' + JSON.stringify(a[k]) + ' vs ' + JSON.stringify(b[k]);
    }
    const marked = new Set(mOut.map(x => x.el));
    for (const x of mOut) {
        const ok = x.kind === 'svg-script'
            ? x.el.namespaceURI === SVG_NS && x.el.tagName === 'script'
            : x.el.namespaceURI === HTML_NS && x.el.tagName === x.kind;
        if (!ok)
            return 'marker ' + x.kind + ' on ' + x.el.namespaceURI + ' ' + x.el.tagName;
    }
    for (const el of mOut.wanted) {
        if (!marked.has(el)) return 'unmarked ' + el.namespaceURI + ' ' + el.tagName + ' element';
    }
    if (nBytes !== mOut.length)
        return nBytes + ' tags marked, ' + mOut.length + ' marked elements (a tag handed on made no element)';
    return null;
}

// ---- expected failures ----------------------------------------------------
const expected = new Map();
const xfFile = join(srcDir, 'tests/oracle/expected-failures');
if (existsSync(xfFile)) {
    for (const line of readFileSync(xfFile, 'utf8').split('\n')) {
        const t = line.trim();
        if (!t || t.startsWith('#')) continue;
        const sp = t.indexOf(' ');
        expected.set(sp < 0 ? t : t.slice(0, sp), sp < 0 ? '' : t.slice(sp + 1));
    }
}

// ---- TAP -------------------------------------------------------------------
console.log('1..' + groups.length);
let n = 0, bad = 0, total = 0;
const seen = new Set();
for (const g of groups) {
    const problems = [];
    if (g.skip) {
        console.log(`ok ${++n} - ${g.name} # SKIP ${g.skip}`);
        continue;
    }
    for (const c of g.cases) {
        total++;
        const why = check(c);
        if (expected.has(c.id)) {
            seen.add(c.id);
            if (!why) problems.push(c.id + ': listed in expected-failures but passes now');
        } else if (why) {
            problems.push(c.id + ': ' + why);
        }
    }
    n++;
    if (problems.length) {
        bad++;
        console.log(`not ok ${n} - ${g.name}: ${problems.length} of ${g.cases.length} cases`);
        for (const p of problems.slice(0, 40)) console.log('# ' + p.replace(/\n/g, '\\n'));
    } else {
        console.log(`ok ${n} - ${g.name}: ${g.cases.length} cases`);
    }
}
const suiteRan = groups.some(g => g.name.startsWith('html5lib-tests ') && !g.skip);
for (const id of expected.keys())
    if (!seen.has(id) && (suiteRan || !/\.dat#/.test(id)))
        console.log('# expected-failures lists unknown case ' + id);
console.log(`# ${total} documents checked; ${oracleSkips.length} suite inputs skipped where parse5 disagrees with the suite's expected tree`);
process.exit(0);
