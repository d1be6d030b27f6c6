/* Mswsock.h - the same header as mswsock.h (Windows file names are case-insensitive). */
#include "mswsock.h"
