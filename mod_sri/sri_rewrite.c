/* sri_rewrite.c -- placeholder until implemented. */
#include "sri_rewrite.h"
typedef int sri_placeholder_sri_rewrite;
