/* http: see http.h (issue 3). */
#include "http.h"
