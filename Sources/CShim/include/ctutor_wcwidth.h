#ifndef CTUTOR_WCWIDTH_H
#define CTUTOR_WCWIDTH_H

/* The C library's wcwidth(3) for one code point under the C.UTF-8 locale, set for
   the calling thread only (uselocale), never for the process: tests running at once
   in one process must not change each other's locale. Swift's Glibc module does not
   export wcwidth; tests compare our widths with it. -2 when C.UTF-8 is not there. */
int ctutor_wcwidth(unsigned int codepoint);

#endif
