/* sri_scan.c -- placeholder until implemented. */
#include "sri_scan.h"
typedef int sri_placeholder_sri_scan;
