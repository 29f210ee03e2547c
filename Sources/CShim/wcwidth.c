#define _GNU_SOURCE
#include "ctutor_wcwidth.h"

#include <locale.h>
#include <pthread.h>
#include <wchar.h>

static locale_t utf8 = (locale_t)0;
static pthread_once_t made = PTHREAD_ONCE_INIT;

static void make_utf8(void) { utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0); }

int ctutor_wcwidth(unsigned int codepoint) {
    pthread_once(&made, make_utf8);
    if (utf8 == (locale_t)0) return -2;
    locale_t previous = uselocale(utf8);
    int width = wcwidth((wchar_t)codepoint);
    uselocale(previous);
    return width;
}
