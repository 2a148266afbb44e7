/* libFuzzer target: the YAML reader (libyaml events, anchors, merge keys) of lib/cfg and its query engine. */
#define FUZZ_FORMATS ORD_CFG_YAML
#include "fuzz_cfg.h"
