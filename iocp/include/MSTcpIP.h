/* Case variant of mstcpip.h, as Windows programs spell it. */
#include "mstcpip.h"
