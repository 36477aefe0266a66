/*
 * devtest: a Linux program has no device rights. Only the driver the boot manifest names
 * gets the UART: here an I/O port write (x86-64, COM1) or a load from the PL011's address
 * (AArch64) must kill the program with SIGSEGV, on Relay as on Linux.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	printf("devtest: expecting SIGSEGV\n");
	fflush(stdout);
#if defined(__x86_64__)
	__asm__ volatile("outb %0, %1" :: "a"((uint8_t)'X'), "Nd"((uint16_t)0x3f8));
#else
	printf("%u\n", *(volatile uint32_t *)0x9000018);	/* the PL011's flag register */
#endif
	printf("devtest: FAIL: the device was reachable\n");
	return 1;
}
