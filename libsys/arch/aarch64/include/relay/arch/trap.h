/* AArch64 native-call trap: `svc #1` with x8 = nr and the message words w0..w7 in x0..x7. */
#pragma once

static inline void native_trap(unsigned long nr, unsigned long w[8])
{
	register unsigned long x0 __asm__("x0") = w[0], x1 __asm__("x1") = w[1];
	register unsigned long x2 __asm__("x2") = w[2], x3 __asm__("x3") = w[3];
	register unsigned long x4 __asm__("x4") = w[4], x5 __asm__("x5") = w[5];
	register unsigned long x6 __asm__("x6") = w[6], x7 __asm__("x7") = w[7];
	register unsigned long x8 __asm__("x8") = nr;
	__asm__ volatile("svc #1"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
			   "+r"(x7)
			 : "r"(x8)
			 : "memory");
	w[0] = x0, w[1] = x1, w[2] = x2, w[3] = x3, w[4] = x4, w[5] = x5, w[6] = x6, w[7] = x7;
}
