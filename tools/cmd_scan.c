/* cmd_scan.c -- placeholder, replaced below. */
#include "tool.h"
int cmd_scan(tool_ctx *t, int argc, char **argv)
{
    tool_err("scan is not implemented yet");
    return EXIT_LOCAL;
}
