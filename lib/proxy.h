/* proxy: the diagnostic reverse proxy core (issue 6).
 *
 *   proxy.c       the server: libmicrohttpd in front (one thread per client
 *                 connection), libcurl to the upstream (one multi handle per
 *                 client connection, so upstream connections are kept alive),
 *                 responses streamed through as they arrive
 *   proxy_wire.c  what a request carried (credential, path, model), the
 *                 match against discovered keys and the diagnosis; the JSON
 *                 form of a record
 *
 * Nothing here prints: every finished request (and every client error MHD
 * reports) becomes an ord_proxy_record handed to cfg->on_record, one call
 * at a time (the callback is serialised by the proxy).  A record never
 * holds a full key: credentials are kept as their redacted form and
 * fingerprint; bodies (only with log_bodies) are scrubbed.
 *
 * Safety: the proxy binds where it is told (127.0.0.1 by default) and
 * forwards only to an https:// upstream or to http:// on a loopback host
 * (ord_proxy_upstream_check).
 */
#ifndef ORD_PROXY_H
#define ORD_PROXY_H

#include <stddef.h>

#include <json-c/json.h>

#include "facts.h"
#include "ctx.h"
#include "key.h"

#define ORD_PROXY_UPSTREAM_DEFAULT "https://openrouter.ai"
#define ORD_PROXY_BODY_MAX (8u * 1024 * 1024)
/* How much of each body is kept for the diagnosis (and --log-bodies). */
#define ORD_PROXY_CAPTURE (64 * 1024)

typedef enum ord_wire_header {
	ORD_WIRE_NONE,      /* no credential header at all */
	ORD_WIRE_BEARER,    /* Authorization: Bearer X (or a bare value) */
	ORD_WIRE_XAPIKEY,   /* x-api-key: X */
	ORD_WIRE_BOTH,      /* both carry a value */
	ORD_WIRE_BASIC,     /* Authorization: Basic … */
	ORD_WIRE_EMPTY,     /* a header with nothing in it ("Bearer ") */
} ord_wire_header;

const char *ord_wire_header_id(ord_wire_header h); /* "bearer", … */

/* One credential seen on the wire. */
typedef struct ord_wire_cred {
	int present;
	char redacted[ORD_REDACT_MAX];
	char fingerprint[ORD_FP_LEN + 1];
	const char *shape;        /* ord_key_shape_id() */
	uint32_t lint;
	long match;               /* index into facts->hits, or -1 */
	size_t nmatch;            /* how many discovered places hold it */
} ord_wire_cred;

typedef struct ord_proxy_record {
	int event;                /* 1: not a request (a client error MHD saw) */
	char time[32];            /* 2026-09-01T12:00:00.123Z */
	char method[16];
	char path[1024];          /* as sent, query included, scrubbed */
	char model[128];          /* "model" of a JSON body, or "" */
	int stream;               /* "stream": true in the body */
	ord_wire_header header;
	ord_wire_cred cred;       /* the credential that counts */
	ord_wire_cred other;      /* with BOTH: the Bearer one */
	int bearer_scheme_missing;/* Authorization without "Bearer " */
	const char *tool;         /* the tool the prediction is for, or NULL */
	long predicted;           /* the hit the tool should send, or -1 */
	int differs;              /* the wire key is not the predicted one */
	long status;              /* upstream status; 0 when none */
	char message[512];        /* OpenRouter's error message, scrubbed */
	const char *cause;        /* causes.md id or NULL */
	char problem[256];        /* what the wire showed, one line, or "" */
	char error[256];          /* what failed (transport, client), or "" */
	double ttfb_ms, total_ms; /* from the request to the first byte / end */
	size_t bytes_up, bytes_down;
	/* With log_bodies only, scrubbed and cut to ORD_PROXY_CAPTURE. */
	const char *req_body;
	const char *resp_body;
} ord_proxy_record;

typedef struct ord_proxy_config {
	const char *host;         /* "127.0.0.1" */
	unsigned port;            /* 0: pick one */
	const char *upstream;     /* server root; NULL: ORD_PROXY_UPSTREAM_DEFAULT */
	size_t max_body;          /* 0: ORD_PROXY_BODY_MAX */
	double idle_timeout;      /* seconds the upstream may stay silent (300) */
	double connect_timeout;   /* seconds (10) */
	unsigned max_clients;     /* 0: 1024 */
	/* Seconds a client has to send a request's headers, and then its
	 * body (0: 10); an idle keep-alive connection may wait 6 times as
	 * long for its next request.  See "Slow clients" in proxy.c. */
	double header_timeout;
	int log_bodies;
	/* Discovered keys (ord_facts_gather), read-only while running; may be
	 * NULL (nothing matches then). */
	const ord_facts *facts;
	const char *tool;         /* tool id for the prediction, or NULL */
	ord_ctx *ctx;             /* the environment (upstream HTTP proxy) */
	void (*on_record)(void *ud, const ord_proxy_record *r);
	void *ud;
} ord_proxy_config;

typedef struct ord_proxy ord_proxy;

void ord_proxy_config_init(ord_proxy_config *cfg);
/* 0 when url may be the upstream: http(s)://host[:port] with no path but
 * "/", and http:// only to a loopback host.  Else EPERM/EINVAL and why. */
int ord_proxy_upstream_check(const char *url, char *why, size_t cap);
/* Bind, start the threads.  0 and *out, or -1 with a message in err. */
int ord_proxy_start(const ord_proxy_config *cfg, ord_proxy **out, char *err,
		    size_t errlen);
/* "http://127.0.0.1:PORT" */
const char *ord_proxy_url(const ord_proxy *p);
unsigned ord_proxy_port(const ord_proxy *p);
/* Requests finished so far. */
unsigned long ord_proxy_count(const ord_proxy *p);
/* Stop accepting, end every connection (upstream transfers aborted), wait
 * for the threads, free. */
void ord_proxy_stop(ord_proxy *p);

/* The tool (profile id) a command line names: argv0's base name against the
 * profiles' "present: command X" lines; NULL when unknown. */
const char *ord_proxy_guess_tool(const ord_facts *d, const char *argv0);
/* The hit a tool is predicted to send (resolution winner), or -1. */
long ord_proxy_predicted_hit(const ord_facts *d, const char *tool);

/* The JSON object of a record (design.md contract for proxy/run). */
json_object *ord_proxy_record_json(const ord_proxy_record *r,
				   const ord_facts *d);

#endif
