/* mm's dispatch table, generated from the syscall table (route class "mm"). */
#define RELAY_SERVER_mm
#include <relay/gen/dispatch.h>

const call_handler_t *const dispatch_table = server_dispatch;
