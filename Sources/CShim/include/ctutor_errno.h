#ifndef CTUTOR_ERRNO_H
#define CTUTOR_ERRNO_H

/* The symbolic name of an errno value ("EPERM"), or NULL when it is not known. */
const char *ctutor_errno_name(int err);

#endif
