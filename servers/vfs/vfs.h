/* vfs server: internal interfaces. */
#pragma once
#include <stdbool.h>
#include <relay/server.h>
