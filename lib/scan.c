/* scan: being written. */
#include "source.h"
