/* WinError.h - the same header as winerror.h (Windows file names are case-insensitive). */
#include "winerror.h"
