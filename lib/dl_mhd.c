/* dl_mhd: the table of lib/dl_mhd.h (see lib/dl.h). */
#include "dl_mhd.h"

#include "ord_sonames.h"

ORD_DL_TABLE(mhd_lib, ORD_DL_MHD_SYMS, ORD_SONAME_MHD, "the proxy and the mock",
	     "install " ORD_PKG_MHD)

int ord_dl_mhd(char *err, size_t errsz)
{
	return ord_dl_load(&mhd_lib, err, errsz);
}

int ord_dl_mhd_loaded(void)
{
	return ord_dl_loaded(&mhd_lib);
}
