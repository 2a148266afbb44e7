/* dl_hs: the table of lib/dl_hs.h (see lib/dl.h). */
#include "dl_hs.h"

#include "ord_sonames.h"

ORD_DL_TABLE(hs_lib, ORD_DL_HS_SYMS, ORD_SONAME_HS, "explain",
	     "install " ORD_PKG_HS)

int ord_dl_hs(char *err, size_t errsz)
{
	return ord_dl_load(&hs_lib, err, errsz);
}

int ord_dl_hs_loaded(void)
{
	return ord_dl_loaded(&hs_lib);
}
