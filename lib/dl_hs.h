/* The Vectorscan functions ordoctor calls (explain), through lib/dl.h's
 * table: call sym_hs_NAME after ord_dl_hs() succeeded. */
#ifndef ORD_DL_HS_H
#define ORD_DL_HS_H

#include <hs/hs.h>

#include "dl.h"

#define ORD_DL_HS_SYMS(X)                                                      \
	X(hs_alloc_scratch) X(hs_compile_multi) X(hs_deserialize_database)       \
	X(hs_free_compile_error) X(hs_free_database) X(hs_free_scratch)          \
	X(hs_scan) X(hs_serialize_database) X(hs_valid_platform) X(hs_version)

ORD_DL_HS_SYMS(ORD_DL_DECLARE)

/* Load it (lib/dl.h): 0, or -1 with the one-line message in err. */
int ord_dl_hs(char *err, size_t errsz);
/* Whether it is loaded (tests: offline commands leave it unloaded). */
int ord_dl_hs_loaded(void);

#endif
