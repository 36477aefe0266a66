/* vfs's dispatch table, generated from the syscall table (route class "vfs"). */
#define RELAY_SERVER_vfs
#include <relay/gen/dispatch.h>

const call_handler_t *const dispatch_table = server_dispatch;
