/* http: libcurl transport (issue 3). */
#ifndef ORD_HTTP_H
#define ORD_HTTP_H
#endif
