/* mock: a local OpenRouter simulator (`ordoctor mock`), usable in-process.
 *
 * Tests start one on port 0 and talk to it over loopback:
 *
 *     ord_mock_config cfg;
 *     ord_mock *m;
 *     ord_mock_config_init(&cfg);
 *     cfg.keys_path = "/tmp/x/keys";
 *     if (ord_mock_start(&cfg, &m, err, sizeof(err)) == 0) {
 *             ... ord_mock_url(m) is "http://127.0.0.1:PORT" ...
 *             ord_mock_stop(m);
 *     }
 *
 * The routes, bodies and switches are described in mock/README.md.
 */
#ifndef ORD_MOCK_H
#define ORD_MOCK_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define ORD_MOCK_FLAKY_MAX 8
#define ORD_MOCK_DEFAULT_HOST "127.0.0.1"
#define ORD_MOCK_DEFAULT_PORT 8089

typedef struct ord_mock_flaky {
	char provider[32]; /* model author ("anthropic") or provider name */
	double rate;       /* 0..1: share of chat requests that fail (502) */
} ord_mock_flaky;

typedef struct ord_mock_config {
	const char *keys_path;   /* --keys FILE, or NULL */
	const char *keys_text;   /* or the keys file's content (tests) */
	const char *host;        /* numeric address or name; "127.0.0.1" */
	unsigned port;           /* 0: pick a free port */
	unsigned latency_ms;     /* delay before every response */
	int incident;            /* every authenticated call: 401 User not found. */
	int redirect_http;       /* every request: 301 to https:// */
	int legacy_missing_auth; /* "No cookie auth credentials found" */
	/* What a management key gets on inference endpoints: 401 (default)
	 * or 403.  OpenRouter documents neither (UNCONFIRMED). */
	int management_status;
	/* GET /credits: 200 for any key, as before the management-key rule
	 * (whether production enforces the rule is UNCONFIRMED). */
	int credits_any_key;
	ord_mock_flaky flaky[ORD_MOCK_FLAKY_MAX];
	size_t nflaky;
	const char *request_log; /* --request-log FILE (appended), or NULL */
	/* The mock's clock (--now): with has_now, every time-dependent answer
	 * (expires_at, "created", rate-limit resets, request-log times) uses
	 * now, so tests never depend on the wall clock; else the wall clock. */
	int has_now;
	time_t now;
	/* Where keys-file warnings go ("mock: 'FILE' line N: …"); NULL:
	 * nowhere. */
	FILE *warn;
} ord_mock_config;

typedef struct ord_mock ord_mock;

void ord_mock_config_init(ord_mock_config *cfg);
/* Parse "PROVIDER:RATE" (RATE in [0,1]) into cfg->flaky.  Returns 0 or
 * -1. */
int ord_mock_add_flaky(ord_mock_config *cfg, const char *spec);
/* Parse --now: epoch seconds or an ISO 8601 time such as
 * "2026-11-29T12:00:00Z" (the forms of the keys file's expires_at).
 * Returns 0 and *out, or -1. */
int ord_mock_parse_time(const char *s, time_t *out);
/* Load the keys, bind, start serving.  Returns 0 and *out, or -1 with a
 * message in err. */
int ord_mock_start(const ord_mock_config *cfg, ord_mock **out, char *err,
		   size_t errlen);
unsigned ord_mock_port(const ord_mock *m);
/* "http://HOST:PORT" (brackets around an IPv6 address). */
const char *ord_mock_url(const ord_mock *m);
/* Switch incident mode on or off while running. */
void ord_mock_set_incident(ord_mock *m, int on);
/* Stop serving, wait for the connection threads, wipe the keys, free. */
void ord_mock_stop(ord_mock *m);

#endif
