/*
 * inventory_html.h -- `sri-registry inventory --format html`.
 *
 * Why a file of its own: the HTML report for an assessor is a page layout
 * (styles, totals, escaping), not a list format like text/csv/json in
 * cmd_inventory.c, which only dispatches to it.
 */
#ifndef SRI_TOOL_INVENTORY_HTML_H
#define SRI_TOOL_INVENTORY_HTML_H

#include <stdio.h>
#include "tool.h"

/* Write the inventory of the registry at path as one self-contained HTML
   page (inline CSS, no external assets, every registry string escaped).
   The registry is read once more here so that the entries shown and the
   digest printed come from the same bytes.  Returns an exit code. */
int inventory_html(tool_ctx *t, const char *path, FILE *out);

#endif
