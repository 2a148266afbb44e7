/* The libcurl functions ordoctor calls, through lib/dl.h's table: call
 * sym_curl_NAME after ord_dl_curl() succeeded. */
#ifndef ORD_DL_CURL_H
#define ORD_DL_CURL_H

#include <curl/curl.h>

#include "dl.h"

#define ORD_DL_CURL_SYMS(X)                                                    \
	X(curl_easy_cleanup) X(curl_easy_getinfo) X(curl_easy_init)              \
	X(curl_easy_pause) X(curl_easy_reset) X(curl_easy_setopt)                \
	X(curl_easy_strerror) X(curl_global_init) X(curl_multi_add_handle)       \
	X(curl_multi_cleanup) X(curl_multi_info_read) X(curl_multi_init)         \
	X(curl_multi_perform) X(curl_multi_poll) X(curl_multi_remove_handle)     \
	X(curl_share_cleanup) X(curl_share_init) X(curl_share_setopt)            \
	X(curl_slist_append) X(curl_slist_free_all)

ORD_DL_CURL_SYMS(ORD_DL_DECLARE)

/* Load it (lib/dl.h): 0, or -1 with the one-line message in err. */
int ord_dl_curl(char *err, size_t errsz);
/* Whether it is loaded (tests: offline commands leave it unloaded). */
int ord_dl_curl_loaded(void);

#endif
