/* The architecture's Linux signal frame (libsys/arch/<arch>/sigframe.c), for the sig server. */
#pragma once
#include <stdint.h>
#include <relay/native.h>
#include <relay/arch/uregs.h>

/* What a frame records besides the registers. */
struct sigframe_args {
	int sig;
	word_t handler, restorer;	/* restorer: 0 if the action had no SA_RESTORER */
	const uint8_t *info;		/* 128 bytes of siginfo */
	uint64_t mask;			/* the mask to restore at sigreturn */
	word_t sp;			/* where the frame goes below (stack or alternate stack top) */
	word_t ss_sp, ss_size;		/* the alternate stack as sigaltstack would report it */
	int ss_flags;
};

/* Write the frame for a->sig below a->sp through token's caller and rewrite *u to enter
 * the handler. 0, or -EFAULT when the stack cannot take it (the caller must be killed). */
long sigframe_push(word_t token, struct relay_uregs *u, const struct sigframe_args *a);
/* rt_sigreturn: read the frame at *u's stack pointer, restore *u from it and give the mask
 * it saved. 0 or -EFAULT (a bad frame: kill with SIGSEGV). */
long sigframe_pop(word_t token, struct relay_uregs *u, uint64_t *mask);
/* Rewind *u to make its last Linux call again (after a restart code). */
void sigframe_restart_syscall(struct relay_uregs *u);
/* Rewind *u to make the call restart_syscall instead (after -ERESTART_RESTARTBLOCK). */
void sigframe_restart_block(struct relay_uregs *u);
/* The smallest alternate stack sigaltstack accepts (MINSIGSTKSZ). */
extern const word_t sigframe_min_stack;
/* The red zone below the stack pointer that a frame must skip. */
extern const word_t sigframe_red_zone;
