/* A server that dereferences NULL at start: the kernel must report it by name and
 * fault address and stop with the failure status (no supervisor yet). */
#include <relay/libsys.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	return *(volatile int *)0;
}
