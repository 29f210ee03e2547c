#define _XOPEN_SOURCE 700
#include "ctutor_wcwidth.h"

#include <wchar.h>

int ctutor_wcwidth(unsigned int codepoint) { return wcwidth((wchar_t)codepoint); }
