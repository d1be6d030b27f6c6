/*
 * guiddef.h - GUID (the 16-byte identifier Winsock uses to name extension
 * functions such as AcceptEx), REFGUID, LPGUID and IsEqualGUID.
 *
 * Part of the iocp project's Windows-compatible headers: the names, sizes and
 * layout are Windows'; the text is this project's own.
 */
#ifndef IOCP_GUIDDEF_H_
#define IOCP_GUIDDEF_H_

#include <string.h>

#ifndef GUID_DEFINED
#define GUID_DEFINED
/* Data1 is Windows' unsigned long, which is 32-bit there. */
typedef struct _GUID {
  unsigned int Data1;
  unsigned short Data2;
  unsigned short Data3;
  unsigned char Data4[8];
} GUID;
#endif

typedef GUID *LPGUID;
typedef const GUID *LPCGUID;
typedef GUID IID, CLSID;
typedef IID *LPIID;
typedef CLSID *LPCLSID;

/* As on Windows: references in C++, pointers in C. */
#ifdef __cplusplus
#define REFGUID const GUID &
#define REFIID const IID &
#define REFCLSID const IID &
#define IsEqualGUID(rguid1, rguid2) (!memcmp(&(rguid1), &(rguid2), sizeof(GUID)))
#else
#define REFGUID const GUID *
#define REFIID const IID *
#define REFCLSID const IID *
#define IsEqualGUID(rguid1, rguid2) (!memcmp((rguid1), (rguid2), sizeof(GUID)))
#endif
#define IsEqualIID(riid1, riid2) IsEqualGUID(riid1, riid2)
#define IsEqualCLSID(rclsid1, rclsid2) IsEqualGUID(rclsid1, rclsid2)

#endif /* IOCP_GUIDDEF_H_ */
