/* proxy internals shared by proxy.c and proxy_wire.c. */
#ifndef ORD_PROXY_INTERNAL_H
#define ORD_PROXY_INTERNAL_H

#include "dl_curl.h"
#include "dl_mhd.h"
#include <pthread.h>
#include <time.h>

#include "proxy.h"

#define CHUNK_PAUSE (256 * 1024)   /* pause the upstream past this backlog */
#define CHUNK_MAX (4 * 1024 * 1024)

struct ord_proxy {
	ord_proxy_config cfg;
	char upstream[512];
	char *http_proxy;            /* for the upstream, "" for direct */
	struct MHD_Daemon *d;
	unsigned port;
	char url[96];
	pthread_mutex_t lock;        /* serialises on_record */
	unsigned long count;
	volatile int stopping;
	/* Shared DNS cache only (see start_upstream on the connections). */
	CURLSH *share;
	pthread_mutex_t share_lock[CURL_LOCK_DATA_LAST];
	/* Curl handles of closed client connections, with their idle
	 * keep-alive upstream connection, for the next client connection
	 * (a fresh connection per client otherwise: TCP handshake and the
	 * upstream's own accept on every streamed request's first byte).
	 * Small: each entry holds 3 descriptors (the upstream socket and
	 * curl's wakeup pair); it serves clients that open a connection per
	 * request, which are sequential or nearly so. */
	pthread_mutex_t pool_lock;
	struct pconn *pool;
	unsigned npool;
	/* Slow clients (proxy.c): every live client connection, how many
	 * of them wait for their client, and the thread that enforces the
	 * deadlines. */
	pthread_mutex_t live_lock;
	pthread_cond_t live_cond;
	struct pconn *live;
	unsigned nwaiting, max_waiting;
	pthread_t watchdog;
	int watchdog_started;
};
#define POOL_MAX 8

typedef struct pconn {               /* one client connection */
	struct pconn *next;          /* in ord_proxy.pool */
	CURLM *multi;
	CURL *easy;
	unsigned long requests;      /* seen by uri_log */
	/* In ord_proxy.live while the connection is open. */
	struct pconn *lprev, *lnext;
	int sock;                    /* a duplicate of the client socket */
	int waiting;                 /* for its client (headers, body, next request) */
	int evicted;                 /* closed by the deadlines */
	double since, deadline;      /* monotonic seconds */
} pconn;

typedef struct preq {
	ord_proxy *p;
	pconn *pc;
	struct MHD_Connection *conn;
	char *uri;
	int started, answered, emitted, in_multi, done, client_gone;
	int too_large, watch_client, evicted;
	CURLcode result;
	ord_buf body;
	struct curl_slist *hdrs;
	/* the answer */
	long status;
	int headers_done;
	struct curl_slist *rhdrs;
	long long clen;
	ord_buf chunk;
	size_t off;
	int paused;
	ord_buf capture;
	struct timespec t0;
	struct timespec t_active;    /* last byte from the upstream (idle timeout) */
	char curl_err[CURL_ERROR_SIZE];
	ord_proxy_record rec;
} preq;

/* proxy_up.c: the upstream side (libcurl). */
double ord_proxy_ms_since(const struct timespec *t0);
/* One round: perform, collect completion, wait up to ms for the upstream
 * or the client hanging up. */
void ord_proxy_pump(preq *r, int ms);
/* Set up and add the transfer of r (0), or -1 (out of memory). */
int ord_proxy_start_upstream(preq *r);
/* Abort/detach the transfer, wipe and free the request headers. */
void ord_proxy_stop_upstream(preq *r);
void ord_proxy_share_init(ord_proxy *p);
void ord_proxy_share_free(ord_proxy *p);


/* What the request carried: credential headers (NULL when absent), the raw
 * URI, the body.  Fills header, cred, other, path, model, stream, tool,
 * predicted, differs, problem. */
void ord_proxy_wire_request(const ord_proxy_config *cfg, const char *auth,
			    const char *xkey, const char *uri,
			    const char *body, size_t len,
			    ord_proxy_record *rec);
/* The answer (status 0: none; body: the captured beginning): message and
 * the cause. */
void ord_proxy_wire_answer(const ord_proxy_config *cfg, long status,
			   const char *body, size_t len,
			   ord_proxy_record *rec);
/* snprintf that may cut (the texts are one-liners with a bound). */
void ord_proxy_setf(char *dst, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Current time as ISO 8601 UTC with milliseconds. */
void ord_proxy_now_iso(char out[32]);

#endif
