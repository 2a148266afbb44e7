/* api: see api.h (issue 3). */
#include "api.h"
