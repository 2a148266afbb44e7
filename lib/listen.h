/* listen: a loopback (or any) listening socket for ordoctor's own servers,
 * the mock and the proxy, and what counts as loopback, for them and for
 * every path that sends a key or decides on a proxy. */
#ifndef ORD_LISTEN_H
#define ORD_LISTEN_H

#include <stddef.h>

typedef struct ord_listen {
	unsigned port;   /* the bound port (the one picked for port 0) */
	char host[64];   /* the bound numeric address */
	char url[96];    /* http://HOST:PORT, brackets around IPv6 */
} ord_listen;

/* Literal loopback only: "localhost", a dotted-quad IPv4 address in
 * 127.0.0.0/8, ::1 (bracketed or not) or ::ffff:127.x.y.z; never a name
 * that merely starts like one ("127.attacker.test").  host as lowercase
 * text, no port. */
int ord_url_is_loopback_host(const char *host);

/* Bind and listen on host:port (port 0 picks a free one).  Returns the
 * socket (close-on-exec), or -1 with a one-line reason in err. */
int ord_listen_socket(const char *host, unsigned port, int backlog, ord_listen *out,
		      char *err, size_t errlen);

#endif
