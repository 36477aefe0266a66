/* proc's dispatch table, generated from the syscall table (route class "proc"). */
#define RELAY_SERVER_proc
#include <relay/gen/dispatch.h>

const call_handler_t *const dispatch_table = server_dispatch;
