/* test_scan.c with scan.h built the byte-at-a-time way (no SSE2), as on a
 * machine without it: both ways must find the same. */
#define SCAN_NO_SSE2 1
#define SCAN_WAY "a byte at a time"
#include "test_scan.c"
