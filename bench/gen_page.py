#!/usr/bin/env python3
"""bench/gen_page.py -- the synthetic page of the end-to-end benchmark.

Why: the peers' numbers in issue 6 were taken on "a 100 KB page with ~1,150
links and 20+ third-party scripts and stylesheets"; this writes that page,
the same bytes on every run (no randomness), so runs compare.

Usage: gen_page.py PAGE.html URLS.txt
  PAGE.html  the page (~100 KB)
  URLS.txt   the third-party script/stylesheet URLs on it, one a line
             (bench/run registers them, so mod_sri pins every one)
"""
import sys

SCRIPTS = 24
STYLES = 12
LINKS = 1150


def main():
    page_path, urls_path = sys.argv[1], sys.argv[2]
    urls = []
    out = ['<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
           '<title>Benchmark page</title>\n']
    for i in range(STYLES):
        u = f"https://cdnjs.cloudflare.com/ajax/libs/style{i}/4.{i}.0/style{i}.min.css"
        urls.append(u)
        out.append(f'<link rel="stylesheet" href="{u}">\n')
    for i in range(SCRIPTS // 2):
        u = f"https://cdn.jsdelivr.net/npm/package{i}@2.{i}.1/dist/package{i}.min.js"
        urls.append(u)
        out.append(f'<script src="{u}" defer></script>\n')
    out.append('</head>\n<body>\n<nav class="top">\n')
    per_section = LINKS // 23
    n = 0
    section = 0
    while n < LINKS:
        out.append(f'<section id="s{section}">\n<h2>Section {section}</h2>\n'
                   '<p>Plain text between the lists, as an article or a '
                   'catalogue page has it.</p>\n<ul>\n')
        for _ in range(per_section):
            if n >= LINKS:
                break
            out.append(f'<li><a href="/catalogue/item-{n}.html" '
                       f'class="item" title="Item {n}">Item {n}</a></li>\n')
            n += 1
        out.append('</ul>\n</section>\n')
        section += 1
        if section % 2 == 0 and len(urls) < STYLES + SCRIPTS:
            i = len(urls) - STYLES
            u = f"https://unpkg.com/widget{i}@1.0.{i}/widget{i}.js"
            urls.append(u)
            out.append(f'<script src="{u}" async></script>\n')
    out.append('</nav>\n<script>window.ready = true;</script>\n</body>\n</html>\n')
    with open(page_path, "w") as f:
        f.write("".join(out))
    with open(urls_path, "w") as f:
        f.write("\n".join(urls) + "\n")


if __name__ == "__main__":
    main()
