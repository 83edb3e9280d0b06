/* placeholder */
#include "sri_check.h"
static Suite *s(void){Suite *x=suite_create("scan");return x;}
SRI_CHECK_MAIN(s)
