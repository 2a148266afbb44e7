/* libFuzzer target: the JSON reader (JSONC and JSON5) of lib/cfg and its query engine. */
#define FUZZ_FORMATS ORD_CFG_JSON, ORD_CFG_JSON5
#include "fuzz_cfg.h"
