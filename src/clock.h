/* The one clock every deadline in torsh is measured on: milliseconds on a
 * monotonic clock, so a change of the wall clock moves no timeout. */
#ifndef TORSH_CLOCK_H
#define TORSH_CLOCK_H

long mono_ms(void);
#endif
