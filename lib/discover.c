/* discover: being written. */
#include "source.h"
