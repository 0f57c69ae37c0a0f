/* The SGR colour sequences the renderers use; one list for render.c and
 * summary.c. */
#ifndef TORSH_ANSI_H
#define TORSH_ANSI_H
#define C_RESET "\033[0m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_BLUE "\033[34m"
#define C_MAGENTA "\033[35m"
#define C_CYAN "\033[36m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"
#endif
