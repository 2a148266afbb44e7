/* dl: libcurl, libmicrohttpd and Vectorscan, loaded when a command first
 * needs them (issue 14 item 2).
 *
 * Linked normally, these three pull in about thirty more libraries (TLS,
 * Kerberos, LDAP, ssh, libstdc++), and every command paid for loading them
 * and for their constructors, even `--version` and `check --offline`.  So
 * the binary links their headers only, and the few modules that call them
 * (http, proxy, mock; sigdb and logscan) go through a table of function
 * pointers, filled by dlopen + dlsym on first use, as systemd does for its
 * optional dependencies.  Each sym_NAME has the exact type of NAME (typeof),
 * so a call is checked as before, except for curl's setopt/getinfo type
 * checks, which are macros around the real names.
 *
 * The sonames are taken from the libraries found at build time
 * (meson.build reads their SONAME), so a package built against another
 * ABI fails to load with the name it needs, never with a crash.
 *
 * Every loader is thread-safe and idempotent; a failure is remembered and
 * reported again the same way.  The library never prints: the message is
 * handed back ("cannot load libcurl.so.4 (needed for the network checks):
 * ...; install libcurl4 or use --offline") for the caller to show. */
#ifndef ORD_DL_H
#define ORD_DL_H

#include <pthread.h>
#include <stddef.h>

#define ORD_DL_ERRTEXT 512

typedef struct ord_dl_sym {
	const char *name;
	void **fn;
} ord_dl_sym;

typedef struct ord_dl_lib {
	const char *soname;
	const char *needed_for; /* "the network checks" */
	const char *remedy;     /* "install libcurl4 or use --offline" */
	const ord_dl_sym *syms;
	size_t nsyms;
	/* state, under lock */
	pthread_mutex_t lock;
	int state; /* 0 not tried, 1 loaded, -1 failed */
	void *handle;
	char err[ORD_DL_ERRTEXT];
} ord_dl_lib;

/* Load lib and resolve every symbol of its table (all or none).  Returns 0,
 * or -1 with the one-line message copied to err (when err is not NULL).
 * Exposed so that a test can load a bogus soname. */
int ord_dl_load(ord_dl_lib *lib, char *err, size_t errsz);

/* Whether lib is loaded in this process. */
int ord_dl_loaded(ord_dl_lib *lib);

/* The three libraries each have a header (dl_curl.h, dl_mhd.h, dl_hs.h)
 * declaring their sym_ pointers and loader (ord_dl_curl() ...), and a file
 * defining the table with these helpers. */
#define ORD_DL_DECLARE(f) extern __typeof__(f) *sym_##f;
#define ORD_DL_DEFINE(f) __typeof__(f) *sym_##f;
#define ORD_DL_ENTRY(f) {#f, (void **)&sym_##f},
#define ORD_DL_TABLE(var, syms, so, what, fix)                                 \
	syms(ORD_DL_DEFINE) static const ord_dl_sym var##_syms[] = {syms(ORD_DL_ENTRY)}; \
	static ord_dl_lib var = {so, what, fix, var##_syms,                      \
				 sizeof(var##_syms) / sizeof(*var##_syms),              \
				 PTHREAD_MUTEX_INITIALIZER, 0, NULL, ""};

#endif
