/* sri_url.c -- placeholder until implemented. */
#include "sri_url.h"
typedef int sri_placeholder_sri_url;
