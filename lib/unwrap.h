/* unwrap: find the error body inside whatever a tool printed, and the facts
 * around it (pure functions: bytes in, struct out; nothing is printed).
 *
 * Tools wrap OpenRouter's JSON envelope in their own text: raw JSON, JSON
 * inside a JSON string (escaped once or more), a Python dict repr with
 * single quotes and True/False/None (`Error code: 401 - {'error': ...}`),
 * LiteLLM (`litellm.AuthenticationError: ... OpenrouterException - {...}`),
 * Node SDKs (`401 User not found.`), the Vercel AI SDK (`AI_APICallError`),
 * an SSE `data:` line, bare error objects without the {"error":...}
 * envelope, metadata.raw holding another body.  ord_unwrap() peels these
 * layers, decodes the body with ord_api_decode_error() (the one JSON error
 * decoder of the project) and classifies it with ord_api_classify().
 *
 * Every string it stores has been through the output gate (gate.h): a key
 * is never kept in full, only in OpenRouter's label form or as much as the
 * input itself showed (whichever is less).
 */
#ifndef ORD_UNWRAP_H
#define ORD_UNWRAP_H

#include <stddef.h>

#include "api.h"
#include "buf.h"
#include "key.h"

#define ORD_FRAG_MAX 8

/* A piece of a key seen in the input, reduced for display. */
typedef struct ord_keyfrag {
	char text[ORD_REDACT_MAX];  /* "sk-or-v1-abc...xyz", "sk-or-v1...94e4" */
	const char *vendor;         /* "openrouter", "openai", "anthropic",
				     * "google", "nvidia", "groq", "xai", "other" */
	int full;                   /* the input held a whole key */
	int masked;                 /* the input showed it masked (***, ...) */
	int placeholder;            /* xxxx, <redacted>, your-key... */
	int truncated;              /* visibly cut short (e.g. "sk-or-v1-") */
} ord_keyfrag;

typedef struct ord_evidence {
	long status;                /* HTTP status, 0 when unknown */
	const char *status_from;    /* "body", "wrapper", "exception class" */
	char wrapper[32];           /* the tool's wrapper: litellm, python-openai,
				     * vercel-ai-sdk, node-sdk, sse, html, none */
	char encoding[32];          /* the body's: json, json-string,
				     * python-repr, none */
	char wrapper_vendor[48];    /* the vendor a wrapper names ("OpenAI") */
	int have_body;              /* an error body was decoded */
	int json_answer;            /* JSON without an error (a success) */
	ord_api_error body;
	char message[512];          /* error.message, or the text's message */
	char provider[64];
	char model[128];
	int user_id_present;
	int html;                   /* a web page instead of JSON */
	ord_keyfrag frags[ORD_FRAG_MAX];
	size_t nfrags;
	int guessed;                /* ord_api_classify matched a row */
	ord_cause_guess guess;
} ord_evidence;

/* Decode the text (a pasted message, or one log line).  Never fails. */
void ord_unwrap(const char *text, size_t len, ord_evidence *ev);

/* Find key fragments in text; returns how many were stored. */
size_t ord_key_fragments(const char *text, size_t len, ord_keyfrag *out,
			 size_t max);

/* A Python literal (dict repr) as JSON: single-quoted strings, True,
 * False, None, \x escapes.  Returns 0, ENOSPC or ENOMEM. */
int ord_pyrepr_to_json(const char *in, size_t len, ord_buf *out);
/* Undo one level of JSON string escaping, starting at in (no quotes),
 * stopping at the first unescaped '"'.  Returns 0, ENOSPC or ENOMEM. */
int ord_json_unescape(const char *in, size_t len, ord_buf *out);

/* The HTTP status a wrapper states ("Error code: 401", "status_code=429",
 * "API Error (500", "AuthenticationError: 401 ...", "HTTP 401"), or 0.
 * *at receives its offset in text. */
long ord_wrapper_status(const char *text, size_t len, size_t *at);

/* Scrape a provider name / a model id from a line (any quoting); "" when
 * none.  Results are scrubbed. */
void ord_scrape_provider(const char *text, size_t len, char *out, size_t cap);
void ord_scrape_model(const char *text, size_t len, char *out, size_t cap);

#endif
