/* check: being written. */
#include "source.h"
