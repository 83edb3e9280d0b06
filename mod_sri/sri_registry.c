/* sri_registry.c -- placeholder until implemented. */
#include "sri_registry.h"
typedef int sri_placeholder_sri_registry;
