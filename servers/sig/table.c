/* sig's dispatch table, generated from the syscall table (route class "sig"). */
#define RELAY_SERVER_sig
#include <relay/gen/dispatch.h>

const call_handler_t *const dispatch_table = server_dispatch;
