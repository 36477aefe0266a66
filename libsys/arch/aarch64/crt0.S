/* Entry of a native Relay program: the Linux initial stack is at sp. */
	.text
	.globl _start
_start:
	mov x0, sp
	bl libsys_start
	brk #0
	.section .note.GNU-stack,"",%progbits
