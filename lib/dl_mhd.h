/* The libmicrohttpd functions ordoctor calls (the proxy, the mock), through
 * lib/dl.h's table: call sym_MHD_NAME after ord_dl_mhd() succeeded. */
#ifndef ORD_DL_MHD_H
#define ORD_DL_MHD_H

#include <microhttpd.h>

#include "dl.h"

#define ORD_DL_MHD_SYMS(X)                                                     \
	X(MHD_add_response_header) X(MHD_create_response_from_buffer)            \
	X(MHD_create_response_from_callback) X(MHD_destroy_response)             \
	X(MHD_get_connection_info) X(MHD_get_connection_values)                  \
	X(MHD_lookup_connection_value) X(MHD_queue_response)                     \
	X(MHD_start_daemon) X(MHD_stop_daemon)

ORD_DL_MHD_SYMS(ORD_DL_DECLARE)

/* Load it (lib/dl.h): 0, or -1 with the one-line message in err. */
int ord_dl_mhd(char *err, size_t errsz);
/* Whether it is loaded (tests: offline commands leave it unloaded). */
int ord_dl_mhd_loaded(void);

#endif
