// The C boundary to Hunspell (Debian libhunspell-dev), the spell checker enchant's hunspell
// provider wraps for revscoring's dictionary features.
#ifndef REVSCORING_CHUNSPELL_SHIM_H
#define REVSCORING_CHUNSPELL_SHIM_H
#include <hunspell.h>
#endif
