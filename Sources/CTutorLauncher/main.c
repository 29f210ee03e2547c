/*
 * ctutor-launcher: the namespace launcher as a small program of its own. The
 * launcher's code is CShim's launcher.c, linked in here too; its constructor runs
 * it when _CTUTOR_LAUNCHER is set, before main. Exec'ing this instead of the whole
 * tutor saves the loading of a large binary on every launch; without it the tutor
 * re-executes itself, which runs the same code.
 */
#include <stdio.h>

int main(void) {
    fputs("ctutor-launcher: started by ctutor to make namespaces; not meant to be run by hand\n", stderr);
    return 64;
}
