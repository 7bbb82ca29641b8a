#include "util/TlsLibrary.h"

#if defined(POLLUX_HAVE_OPENSSL)
#include <openssl/crypto.h>
#endif

namespace pollux {

void keepTlsLibraryUntilExit()
{
#if defined(POLLUX_HAVE_OPENSSL)
    // Must be the first initialisation: it decides whether the atexit handler is registered.
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
#endif
}

} // namespace pollux
