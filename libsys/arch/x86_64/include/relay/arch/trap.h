/* x86-64 native-call trap: `syscall` with rax = RELAY_NATIVE_BASE + nr and the message
 * words w0..w7 in rdi rsi rdx r10 r8 r9 r12 r13 (in and out). */
#pragma once
#define RELAY_NATIVE_BASE 0x52000000ul

static inline void native_trap(unsigned long nr, unsigned long w[8])
{
	register unsigned long r10 __asm__("r10") = w[3], r8 __asm__("r8") = w[4];
	register unsigned long r9 __asm__("r9") = w[5], r12 __asm__("r12") = w[6];
	register unsigned long r13 __asm__("r13") = w[7];
	unsigned long rax = RELAY_NATIVE_BASE + nr, rdi = w[0], rsi = w[1], rdx = w[2];
	__asm__ volatile("syscall"
			 : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9),
			   "+r"(r12), "+r"(r13)
			 :
			 : "rcx", "r11", "memory");
	w[0] = rdi, w[1] = rsi, w[2] = rdx, w[3] = r10, w[4] = r8, w[5] = r9, w[6] = r12, w[7] = r13;
}
