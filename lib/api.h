/* api: OpenRouter calls and response decoding (issue 3). */
#ifndef ORD_API_H
#define ORD_API_H
#endif
