/* WinSock2.h - the same header as winsock2.h (Windows file names are case-insensitive). */
#include "winsock2.h"
