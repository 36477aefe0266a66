/* Entry of a native Relay program: the Linux initial stack is at rsp. */
	.text
	.globl _start
_start:
	mov %rsp, %rdi
	and $-16, %rsp
	call libsys_start
	ud2
	.section .note.GNU-stack,"",@progbits
