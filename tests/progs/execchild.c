/*
 * Exec target for exectest (static musl). Expects to be run as
 *   argv {"execchild", "alpha", "beta gamma"}, envp {"RELAY_TEST=1", "X=y"}
 * and checks argc, every argv string, the argv NULL terminator, both variables
 * (getenv) and that the environment holds exactly those two entries.
 * Exits 0 silently on success (it runs thousands of times in leaktest); otherwise prints
 * FAIL lines and
 * exits with the distinct code (2..9) of the first failed check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int failures, first_code;
#define CHECK(code, cond) do { if (!(cond)) { printf("FAIL: %s (line %d, errno %d)\n", #cond, __LINE__, errno); \
	if (!failures++) first_code = (code); } } while (0)

static int streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static int env_count(void)
{
	int n = 0;
	while (environ && environ[n])
		n++;
	return n;
}

int main(int argc, char **argv)
{
	CHECK(2, argc == 3);
	CHECK(3, argc >= 1 && streq(argv[0], "execchild"));
	CHECK(4, argc >= 2 && streq(argv[1], "alpha"));
	CHECK(5, argc >= 3 && streq(argv[2], "beta gamma"));
	CHECK(6, argv[argc] == NULL);
	CHECK(7, streq(getenv("RELAY_TEST"), "1"));
	CHECK(8, streq(getenv("X"), "y"));
	CHECK(9, env_count() == 2);
	if (failures)
		printf("execchild: FAILED\n");
	return failures ? first_code : 0;
}
