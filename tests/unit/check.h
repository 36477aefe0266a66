/* Tiny assertion helper for the host unit tests. CHECK(cond) counts a check and, if
 * cond is false, a failure, printed as "file:line: CHECK failed: cond". At the end of
 * main, `return check_done("name");` prints "<name>: N checks, M failed" and returns
 * nonzero if any check failed. */
#pragma once
#include <stdio.h>

static int check_count, check_failed;

#define CHECK(cond)                                                             \
	do {                                                                    \
		check_count++;                                                  \
		if (!(cond)) {                                                  \
			check_failed++;                                         \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,  \
				__LINE__, #cond);                               \
		}                                                               \
	} while (0)

/* Print the summary line; 1 if any check failed, else 0. */
static inline int check_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, check_count, check_failed);
	return check_failed != 0;
}
