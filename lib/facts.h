/* facts: what ordoctor has established about this machine, and nothing it
 * concluded.
 *
 * ord_facts_gather() is discovery (environment, startup files, .env files,
 * netrc), tool resolution (lib/resolve) and the grouping of the hits into
 * distinct keys.  ord_facts_probe() adds what only the network can tell:
 * OpenRouter's answer for every distinct key, what each base URL serves,
 * how far a connection got, and optionally a one-token completion.  This
 * is the only layer of the judgment that touches the ctx; the rules
 * (lib/rules*.c) read facts and nothing else, so every command that builds
 * the same facts reaches the same verdict.
 *
 * A fact that could not be established says so and why (offline, no
 * answer, not sent, unreadable): "not known" is never read as "fine".
 */
#ifndef ORD_FACTS_H
#define ORD_FACTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "api.h"
#include "ctx.h"
#include "resolve.h"
#include "source.h"

typedef enum ord_live {
	ORD_LIVE_NOT_CHECKED, /* not asked: see ord_keyrow.why */
	ORD_LIVE_VALID,
	ORD_LIVE_INVALID,
	ORD_LIVE_UNKNOWN,     /* asked, no usable answer */
} ord_live;

const char *ord_live_id(ord_live l); /* "valid", "not_checked", … */

/* Why a key's liveness is not known. */
typedef enum ord_unknown_why {
	ORD_WHY_NONE,
	ORD_WHY_OFFLINE,    /* --offline: nothing was asked */
	ORD_WHY_NO_ANSWER,  /* asked; the network or the server failed */
	ORD_WHY_NOT_SENT,   /* not an OpenRouter key: never sent anywhere */
} ord_unknown_why;

const char *ord_unknown_why_id(ord_unknown_why w);

/* One distinct credential (same normalised value) and where it lives. */
typedef struct ord_keyrow {
	size_t *hits;
	size_t nhits;
	char redacted[ORD_REDACT_MAX];
	char fingerprint[ORD_FP_LEN + 1];
	uint32_t lint;      /* union over its places */
	int openrouter;     /* a well-formed OpenRouter key (the only kind sent) */
	ord_live live;
	ord_unknown_why why;
	long http_status;   /* of the /key answer, 0 when none */
	char message[512];  /* OpenRouter's message (invalid), the reason (unknown) */
	int has_info;       /* info holds the decoded /key answer (valid) */
	ord_key_info info;
	time_t seen_valid;  /* last run that saw it valid (the cache), or 0 */
	char *used_by;      /* comma-separated tool ids, or NULL */
} ord_keyrow;

/* What GET <base>/models answered for one distinct base URL. */
typedef struct ord_base_fact {
	long hit;
	ord_base_probe probe;
} ord_base_fact;

/* How far a connection to the API host got, when a key got no answer. */
typedef struct ord_net_fact {
	int checked;
	int ok;             /* an HTTP answer came back */
	char host[ORD_API_URL_MAX]; /* the host, or the api base when none */
	char step[64];      /* the step that failed: "resolving the host name" … */
	char error[ORD_HTTP_ERRTEXT];
	char proxy[ORD_HTTP_VALUE]; /* the proxy used, credentials removed, or "" */
	long status;
} ord_net_fact;

/* The one-token completion of --chat. */
typedef struct ord_chat_fact {
	int asked;          /* --chat was given */
	long row;           /* the key used, or -1 (no valid key) */
	ord_chat_probe p;
} ord_chat_fact;

/* One request seen on the wire (ordoctor run/proxy): which discovered key
 * it carried and what OpenRouter answered.  What the wire shows is an
 * observation like /key's answer. */
typedef struct ord_wire_fact {
	long hit;           /* the discovered place of the key sent, or -1 */
	long predicted;     /* the place the tool was expected to send, or -1 */
	int differs;        /* the key sent is not the predicted one */
	long status;        /* the answer's status, 0 when none */
	char message[512];  /* OpenRouter's message, scrubbed */
	const char *cause;  /* what this request alone showed (lib/proxy_wire) */
	char problem[256];  /* that, in one line */
	char what[160];     /* "POST /api/v1/chat/completions" */
} ord_wire_fact;

typedef struct ord_facts {
	ord_hits hits;
	ord_keyrow *keys;
	size_t nkeys;
	ord_tools *tools;   /* owned */
	int offline;        /* nothing was asked (--offline) */
	int probed;         /* ord_facts_probe ran */
	ord_base_fact *bases;
	size_t nbases;
	ord_net_fact net;
	ord_chat_fact chat;
	ord_wire_fact *wire;
	size_t nwire;
	time_t now;
	char api_base[ORD_API_URL_MAX];
	int api_base_default; /* talking to https://openrouter.ai/api/v1 */
} ord_facts;

void ord_facts_init(ord_facts *f);
void ord_facts_release(ord_facts *f);

/* Discovery, tool resolution and grouping.  0 or ENOMEM. */
int ord_facts_gather(ord_ctx *ctx, ord_facts *f);
/* Group f->hits into f->keys (after filling hits by other means, as
 * `keys --scan` does).  0 or ENOMEM. */
int ord_facts_group(ord_facts *f);

enum {
	ORD_PROBE_KEYS = 1u << 0,  /* GET /key for every distinct key */
	ORD_PROBE_BASES = 1u << 1, /* GET <base>/models for every base URL */
	ORD_PROBE_CHAT = 1u << 2,  /* a one-token completion (chat_model) */
};
/* Ask the network (nothing is sent when ctx->offline: every key is then
 * NOT_CHECKED with why OFFLINE).  Updates the cache of fingerprints seen
 * valid.  0 or ENOMEM. */
int ord_facts_probe(ord_ctx *ctx, ord_facts *f, unsigned what, const char *chat_model);

/* Record a request seen on the wire; an answer about the key it carried
 * settles that key's liveness when nothing else did.  0 or ENOMEM. */
int ord_facts_add_wire(ord_facts *f, const ord_wire_fact *w);

/* The row holding hit `hit`, or -1. */
long ord_facts_row_of_hit(const ord_facts *f, long hit);
/* The hit a tool's candidate makes the tool send, or -1. */
const ord_hit *ord_facts_hit(const ord_facts *f, long hit);

#endif
