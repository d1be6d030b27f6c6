/* WinBase.h - the same header as winbase.h (Windows file names are case-insensitive). */
#include "winbase.h"
