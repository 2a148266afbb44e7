#include "listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* Only what cannot resolve anywhere else: a name is looked up in DNS, and
 * wildcard DNS answers for "127.0.0.1.<domain>" or "127.<anything>" exist,
 * so a prefix test would send a key in clear text to whoever runs that
 * domain.  "localhost" is resolved by libcurl itself, never through DNS. */
int ord_url_is_loopback_host(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	char h[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(host);

	if (!strcasecmp(host, "localhost"))
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		host++;
		n -= 2;
	}
	if (n >= sizeof(h))
		return 0;
	memcpy(h, host, n);
	h[n] = '\0';
	if (inet_pton(AF_INET6, h, &a6) != 1)
		return 0;
	return IN6_IS_ADDR_LOOPBACK(&a6) ||
	       (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127);
}

int ord_listen_socket(const char *host, unsigned port, int backlog, ord_listen *out,
		      char *err, size_t errlen)
{
	struct addrinfo hints, *ai = NULL, *a;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char portstr[16], serv[16];
	int fd = -1, one = 1, rc, e = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(portstr, sizeof(portstr), "%u", port);
	rc = getaddrinfo(host, portstr, &hints, &ai);
	if (rc) {
		snprintf(err, errlen, "cannot resolve '%s': %s", host, gai_strerror(rc));
		return -1;
	}
	for (a = ai; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0) {
			e = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (!bind(fd, a->ai_addr, a->ai_addrlen) && !listen(fd, backlog))
			break;
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd < 0) {
		snprintf(err, errlen, "cannot listen on %s:%u: %s", host, port,
			 strerror(e ? e : EINVAL));
		return -1;
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) ||
	    getnameinfo((struct sockaddr *)&ss, sl, out->host, sizeof(out->host), serv,
			sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV)) {
		snprintf(err, errlen, "cannot read the bound address");
		close(fd);
		return -1;
	}
	out->port = (unsigned)strtoul(serv, NULL, 10);
	snprintf(out->url, sizeof(out->url),
		 strchr(out->host, ':') ? "http://[%s]:%u" : "http://%s:%u", out->host, out->port);
	return fd;
}
