#ifndef CTUTOR_CPUID_H
#define CTUTOR_CPUID_H

/*
 * What the CPU itself says about a hypervisor below it, by the CPUID instruction
 * (x86 only; Swift has no way to execute it):
 *   - leaf 1, ECX bit 31, the "hypervisor present" bit: real CPUs leave it 0, and
 *     hypervisors set it in the CPUID they show their guests;
 *   - leaf 0x40000000, reserved for hypervisors: EBX, ECX, EDX hold a 12-byte vendor
 *     signature ("KVMKVMKVM\0\0\0", "Microsoft Hv", "VMwareVMware", ...).
 * Leaf 0x40000000 means something only when the bit is set: on bare metal it returns
 * whatever the CPU returns for an unknown leaf, not a signature.
 *
 * Returns -1 where there is no CPUID (not x86); 0 when the hypervisor bit is clear,
 * with `signature` empty; 1 when it is set, with `signature` the 12 bytes and a NUL
 * (shorter where the hypervisor pads with NULs, as KVM does).
 */
int ctutor_cpuid_hypervisor(char signature[13]);

#endif
