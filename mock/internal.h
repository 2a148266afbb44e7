/* mock/internal: what the mock's files share (not an API). */
#ifndef ORD_MOCK_INTERNAL_H
#define ORD_MOCK_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <json-c/json.h>
#include "lib/dl_mhd.h"

#include "keysfile.h"
#include "lib/buf.h"
#include "lib/gate.h"
#include "mock.h"

/* Request bodies larger than this get 413. */
#define MOCK_BODY_MAX (1024u * 1024u)
/* Generations remembered for GET /generation (a ring). */
#define MOCK_GEN_MAX 512
#define MOCK_HDR_MAX 8

typedef struct mock_gen {
	char id[48];
	char fp[ORD_FP_LEN + 1]; /* the key that made it */
	char model[128];
	char provider[32];
	char api_type[16];       /* completions, messages, responses */
	char finish[16];
	time_t created;
	unsigned prompt, completion;
	double cost;
	int streamed;
} mock_gen;

struct ord_mock {
	ord_mock_config cfg;   /* string members point at the copies below */
	char *keys_path, *request_log, *host_arg;
	mock_keys keys;
	struct MHD_Daemon *d;
	unsigned port;
	char host[64];         /* the bound numeric address */
	char url[128];
	ord_gate *log;         /* --request-log, behind the output gate */
	pthread_mutex_t log_lock;
	pthread_mutex_t lock;  /* rng, flaky counters, generations */
	uint64_t rng;
	unsigned long flaky_seen[ORD_MOCK_FLAKY_MAX];
	mock_gen gens[MOCK_GEN_MAX];
	size_t gen_next;
	atomic_int stopping;
	atomic_int incident;
};

/* Which credential headers a request carried (the proxy's vocabulary). */
typedef enum mock_cred {
	MOCK_CRED_NONE,
	MOCK_CRED_BEARER,  /* an Authorization header other than Basic */
	MOCK_CRED_XAPIKEY,
	MOCK_CRED_BOTH,
	MOCK_CRED_BASIC,
	MOCK_CRED_EMPTY,   /* "Bearer " with nothing, or an empty header */
} mock_cred;

/* The error envelope a route speaks. */
typedef enum mock_skin {
	MOCK_SKIN_OPENROUTER,
	MOCK_SKIN_ANTHROPIC,  /* POST /messages */
	MOCK_SKIN_RESPONSES,  /* POST /responses */
} mock_skin;

typedef struct mock_req {
	ord_mock *m;
	struct MHD_Connection *conn;
	char *uri;            /* as received: path and query */
	size_t path_len;      /* uri[0..path_len) is the path */
	char method[16];
	ord_buf body;
	int started, too_large;
	/* The credential (pointers into MHD's header storage). */
	mock_cred cred;
	const char *token;    /* the value used, or NULL */
	size_t token_len;
	int scheme_ok;        /* Bearer scheme or x-api-key */
	const mock_key *key;  /* set by mock_auth() */
	json_object *json;    /* the parsed body, or NULL */
	char *model;          /* for the request log */
	int stream;
	struct {
		const char *name;
		char value[160];
	} hdr[MOCK_HDR_MAX];
	size_t nhdr;
} mock_req;

/* A streamed body: chunks sent one by one (chunked transfer encoding). */
typedef struct mock_stream {
	char **chunk;
	size_t *len;
	size_t n, cap, cur, off;
	int failed;           /* an allocation failed */
} mock_stream;

/* server.c: libmicrohttpd and dispatch. */
struct MHD_Daemon *mock_daemon_start(ord_mock *m, int fd);

/* reply.c: answering, and the request log line of every answer. */
void mock_header(mock_req *r, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum MHD_Result mock_send(mock_req *r, unsigned status, const char *ctype,
			  const char *body, size_t len);
enum MHD_Result mock_send_json(mock_req *r, unsigned status,
			       const char *body);
/* Sends an OpenRouter error body, adding the top-level "user_id" when the
 * request authenticated (errors raised after authentication). */
enum MHD_Result mock_send_error(mock_req *r, unsigned status,
				const char *body);
/* Takes ownership of s. */
enum MHD_Result mock_send_stream(mock_req *r, unsigned status,
				 const char *ctype, mock_stream *s);
enum MHD_Result mock_send_html_404(mock_req *r);
/* auth.c: Authorization / x-api-key into r->cred, r->token. */
void mock_read_credential(mock_req *r);
/* Authenticate r for a route speaking skin.  Returns 0 (r->key set) or
 * -1 after answering 401 (*res holds the result to return). */
int mock_auth(mock_req *r, mock_skin skin, enum MHD_Result *res);
/* Parse the body as a JSON object into r->json.  Returns 0, or -1 after
 * answering 400. */
int mock_parse_body(mock_req *r, mock_skin skin, enum MHD_Result *res);
/* A query argument (decoded), or NULL. */
const char *mock_query(mock_req *r, const char *name);

/* util.c */
void mock_json_str(ord_buf *b, const char *s);
/* A JSON number as OpenRouter writes it: 100, 74.5, 0.00014. */
const char *mock_num(char out[40], double d);
json_object *mock_jnum(double d);
const char *mock_jdump(json_object *o);
uint64_t mock_seed(void);
uint64_t mock_rand(ord_mock *m);
/* prefix + n random alphanumerics. */
void mock_rand_id(ord_mock *m, char *out, size_t cap, const char *prefix,
		  size_t n);
/* The mock's clock: cfg.now with cfg.has_now (--now), else the wall
 * clock.  Every time-dependent answer goes through it. */
time_t mock_now(const ord_mock *m);
/* mock_now() as "2026-09-01T12:00:00.123Z" (milliseconds from the wall
 * clock, .000 with a fixed clock). */
void mock_iso_now(const ord_mock *m, char out[40]);
void mock_iso_time(char out[40], time_t t);
mock_stream *mock_stream_new(void);
void mock_stream_add(mock_stream *s, const char *data, size_t len);
void mock_stream_addf(mock_stream *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mock_stream_free(mock_stream *s);

/* models.c */
typedef struct mock_model {
	const char *id, *name, *author_name, *description;
	long created;
	int context, max_out;
	const char *prompt, *completion; /* USD per token, as strings */
	const char *tokenizer, *instruct;
	int moderated;
} mock_model;
/* The listed model for id (variants such as ":nitro" of a listed id
 * included), or NULL. */
const mock_model *mock_model_find(const char *id);
/* The display name of the provider serving a model ("Anthropic"). */
const char *mock_provider_of(const char *model_id);
double mock_price(const char *s);
enum MHD_Result mock_route_models(mock_req *r);

/* routes_account.c */
enum MHD_Result mock_route_key(mock_req *r);
enum MHD_Result mock_route_credits(mock_req *r);
enum MHD_Result mock_route_generation(mock_req *r);
void mock_gen_record(ord_mock *m, const mock_gen *g);

/* chat.c: the checks every inference route shares. */
typedef struct mock_call {
	char model[128];        /* as requested */
	char routed[128];       /* the model that answers */
	const mock_model *mm;   /* NULL for mock/ trigger models */
	const char *provider;   /* display name */
	long max_tokens;        /* -1: not sent */
	int stream;
	unsigned prompt_tokens, completion_tokens;
	const char *finish;     /* stop or length */
	char text[128];         /* the reply */
	char last_user[256];    /* the last user message (moderation) */
	int midstream_error;    /* mock/midstream-error */
	char gen_id[48];
	time_t created;
	double cost;
} mock_call;

typedef struct mock_fail {
	unsigned status;
	const char *error_type; /* OpenRouter's typed error_type */
	char message[512];
	ord_buf body;           /* the Chat Completions error body */
	int retry_after;        /* seconds, 0: no header */
	int ratelimit;          /* X-RateLimit-* headers (own 429s) */
	long long reset_ms;     /* their X-RateLimit-Reset */
} mock_fail;

/* Read the request (skin decides where model, messages and max_tokens
 * are) and run every check: management key, key limit, credits, trigger
 * models, BYOK, flaky providers, unknown model.  Returns 0 with c filled
 * for a success, 1 with f filled for a failure (release f with
 * mock_fail_release). */
int mock_call_prepare(mock_req *r, mock_skin skin, mock_call *c,
		      mock_fail *f);
/* The reply split in tokens (words), for streaming. */
size_t mock_call_pieces(const mock_call *c, char pieces[][32], size_t max);
void mock_call_record(mock_req *r, const mock_call *c, const char *api);
enum MHD_Result mock_route_chat(mock_req *r);

/* failures.c: the bodies (f->body) and their skins. */
void mock_fail_release(mock_fail *f);
void mock_fail_set(mock_fail *f, unsigned status, const char *type,
		   const char *msg);
/* {"error":{"code":N,"message":M}} (the OpenAPI examples' order). */
void mock_fail_simple(mock_fail *f, unsigned status, const char *type,
		      const char *msg);
void mock_fail_unaffordable(mock_fail *f, long asked, long afford,
			    int key_limit);
void mock_fail_byok(mock_fail *f, const char *author, const char *prov);
void mock_fail_provider(mock_fail *f, const char *author, const char *prov);
void mock_fail_model_not_found(mock_fail *f, const char *model);
/* A mock/ trigger model (name without "mock/"): 1 when it fails the call
 * (f filled), 0 when the call goes on, -1 when unknown. */
int mock_fail_trigger(const char *t, time_t now, mock_call *c,
		      mock_fail *f);
/* Answer a failure in the route's envelope. */
enum MHD_Result mock_send_fail(mock_req *r, mock_skin skin, mock_fail *f);

/* routes_skins.c */
enum MHD_Result mock_route_messages(mock_req *r);
enum MHD_Result mock_route_responses(mock_req *r);

#endif
