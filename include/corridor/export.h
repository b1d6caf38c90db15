/* CR_API marks what libcorridor exports: the library is built with -fvisibility=hidden, so a
 * function without it is internal and absent from libcorridor.so's symbol table. */
#ifndef CORRIDOR_EXPORT_H
#define CORRIDOR_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define CR_API __attribute__((visibility("default")))
#else
#define CR_API
#endif

#endif
