#ifndef CTUTOR_NCURSESW_SHIM_H
#define CTUTOR_NCURSESW_SHIM_H

/* The wide-character API is hidden unless this is set before curses.h;
   SwiftPM drops pkg-config's -D flags, so it lives here. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Macros and globals that do not import cleanly into Swift 6. */
static inline WINDOW *ct_stdscr(void) { return stdscr; }
static inline int ct_cols(void) { return COLS; }
static inline int ct_lines(void) { return LINES; }
static inline int ct_colors(void) { return COLORS; }
static inline int ct_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t ct_a_normal(void) { return A_NORMAL; }
static inline attr_t ct_a_bold(void) { return A_BOLD; }
static inline attr_t ct_a_dim(void) { return A_DIM; }
static inline attr_t ct_a_reverse(void) { return A_REVERSE; }
static inline attr_t ct_a_underline(void) { return A_UNDERLINE; }
static inline attr_t ct_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline int ct_key_code_yes(void) { return KEY_CODE_YES; }
static inline int ct_err(void) { return ERR; }

/* newterm on the process's stdout/stdin (those globals don't import into Swift 6).
   Returns NULL, instead of exiting like initscr, when TERM is unknown. */
static inline SCREEN *ct_newterm(const char *term) { return newterm(term, stdout, stdin); }

/* Draws a UTF-8 string at (y, x) with the given attributes; ncursesw decodes it
   through the locale, so wide characters take their two columns. */
static inline int ct_mvaddstr_attr(int y, int x, const char *utf8, attr_t attrs) {
    attrset(attrs);
    return mvaddstr(y, x, utf8);
}

/* Reads one key: returns OK with *wch a character, KEY_CODE_YES with *wch a KEY_*
   code, or ERR on timeout. */
static inline int ct_get_wch(wint_t *wch) { return get_wch(wch); }

#include <ncursesw/term.h>

/* A terminal without an alternate screen (TERM=linux, vt100) keeps whatever was
   drawn when curses ends: clear it (and home the cursor) so the prompt comes back
   on a clean screen instead of under the tutor's last frame. Call after endwin,
   while the terminal's description is still loaded. */
static inline void ct_clear_if_no_alternate_screen(void) {
    char *leave = tigetstr("rmcup");
    if (leave != NULL && leave != (char *)-1) return;
    char *clear = tigetstr("clear");
    if (clear == NULL || clear == (char *)-1) return;
    putp(clear);
    fflush(stdout);
}

#endif
