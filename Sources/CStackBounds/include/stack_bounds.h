// The current thread's stack bounds, for code that must not recurse past them.
#ifndef REVSCORING_STACK_BOUNDS_H
#define REVSCORING_STACK_BOUNDS_H
#include <stdint.h>

/// Lowest address of the calling thread's stack, or 0 when unknown.
uintptr_t revscoring_stack_low(void);

#endif
