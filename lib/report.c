/* report: being written. */
#include "source.h"
