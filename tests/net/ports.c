/* net-ports N: N distinct free TCP ports on 127.0.0.1, one per line.
 *
 * Every probe socket stays bound until all N are chosen: binding and
 * closing one at a time let the kernel hand the same port out twice (once
 * a ControlPort and a SocksPort of the private network got the same one). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PORTS 64

static int bind_one(unsigned *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof sa;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

int main(int argc, char **argv)
{
	long n = argc == 2 ? strtol(argv[1], NULL, 10) : 0;
	if (n < 1 || n > MAX_PORTS) {
		fprintf(stderr, "usage: net-ports N (1..%d)\n", MAX_PORTS);
		return 2;
	}
	int fds[MAX_PORTS];
	unsigned ports[MAX_PORTS];
	for (long i = 0; i < n; i++) {
		fds[i] = bind_one(&ports[i]);
		if (fds[i] < 0) {
			perror("net-ports: bind 127.0.0.1:0");
			return 1;
		}
	}
	for (long i = 0; i < n; i++)
		printf("%u\n", ports[i]);
	for (long i = 0; i < n; i++)
		close(fds[i]);
	return 0;
}
