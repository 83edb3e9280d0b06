/* placeholder */
#include "sri_check.h"
static Suite *s(void){Suite *x=suite_create("url");return x;}
SRI_CHECK_MAIN(s)
