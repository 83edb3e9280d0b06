/* sri_charref.c -- placeholder until implemented. */
#include "sri_charref.h"
typedef int sri_placeholder_sri_charref;
