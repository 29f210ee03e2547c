#include "ctutor_cpuid.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

int ctutor_cpuid_hypervisor(char signature[13]) {
    unsigned int eax, ebx, ecx, edx;
    memset(signature, 0, 13);
    /* __cpuid, not __get_cpuid: the latter refuses leaves above the basic maximum. */
    __cpuid(1, eax, ebx, ecx, edx);
    if (!(ecx & (1u << 31))) return 0;
    __cpuid(0x40000000, eax, ebx, ecx, edx);
    memcpy(signature, &ebx, 4);
    memcpy(signature + 4, &ecx, 4);
    memcpy(signature + 8, &edx, 4);
    return 1;
}
#else
int ctutor_cpuid_hypervisor(char signature[13]) {
    memset(signature, 0, 13);
    return -1;
}
#endif
