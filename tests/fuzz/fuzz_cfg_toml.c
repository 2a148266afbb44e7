/* libFuzzer target: the hand-written TOML 1.0 reader of lib/cfg and its query engine. */
#define FUZZ_FORMATS ORD_CFG_TOML
#include "fuzz_cfg.h"
