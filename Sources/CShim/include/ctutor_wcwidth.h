#ifndef CTUTOR_WCWIDTH_H
#define CTUTOR_WCWIDTH_H

/* The C library's wcwidth(3) for one code point under the current LC_CTYPE.
   Swift's Glibc module does not export it; tests compare our widths with it. */
int ctutor_wcwidth(unsigned int codepoint);

#endif
