/* dl_curl: the table of lib/dl_curl.h (see lib/dl.h). */
#include "dl_curl.h"

#include "ord_sonames.h"

ORD_DL_TABLE(curl_lib, ORD_DL_CURL_SYMS, ORD_SONAME_CURL, "the network checks",
	     "install " ORD_PKG_CURL " or use --offline")

int ord_dl_curl(char *err, size_t errsz)
{
	return ord_dl_load(&curl_lib, err, errsz);
}

int ord_dl_curl_loaded(void)
{
	return ord_dl_loaded(&curl_lib);
}
