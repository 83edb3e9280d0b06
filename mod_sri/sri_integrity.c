/* sri_integrity.c -- placeholder until implemented. */
#include "sri_integrity.h"
typedef int sri_placeholder_sri_integrity;
