/* source: being written. */
#include "source.h"
