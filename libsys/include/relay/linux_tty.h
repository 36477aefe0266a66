/* The tty ioctl requests of the Linux ABI (the same on x86-64 and AArch64), for the
 * servers that serve them: the vfs (without a console server) and the console. */
#pragma once

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TCFLSH 0x540b
#define TIOCGPGRP 0x540f
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541b
