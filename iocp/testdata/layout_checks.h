/* Windows x64 sizes and offsets, asserted at compile time in the language
 * mode being tested (C99: negative-size array typedef; C11: _Static_assert;
 * C++: static_assert). */
#if defined(__cplusplus)
#define CHECK(cond, name) static_assert(cond, #name)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define CHECK(cond, name) _Static_assert(cond, #name)
#else
#define CHECK(cond, name) typedef char check_##name[(cond) ? 1 : -1]
#endif

CHECK(sizeof(BYTE) == 1 && sizeof(BOOLEAN) == 1 && sizeof(CHAR) == 1, byte);
CHECK(sizeof(WORD) == 2 && sizeof(SHORT) == 2 && sizeof(WCHAR) == 2, word);
CHECK(sizeof(DWORD) == 4 && sizeof(LONG) == 4 && sizeof(ULONG) == 4, dword);
CHECK(sizeof(BOOL) == 4 && sizeof(INT) == 4 && sizeof(UINT) == 4, bool_);
CHECK(sizeof(NTSTATUS) == 4 && sizeof(HRESULT) == 4, status);
CHECK(sizeof(LONGLONG) == 8 && sizeof(ULONGLONG) == 8 && sizeof(DWORD64) == 8, quad);
CHECK(sizeof(ULONG_PTR) == 8 && sizeof(LONG_PTR) == 8 && sizeof(SIZE_T) == 8, ptr);
CHECK(sizeof(SSIZE_T) == 8 && sizeof(DWORD_PTR) == 8 && sizeof(HANDLE) == 8, ptr2);
CHECK((LONG)-1 < 0 && (DWORD)-1 > 0 && (ULONG_PTR)-1 > 0, signedness);

CHECK(sizeof(OVERLAPPED) == 32, overlapped);
CHECK(offsetof(OVERLAPPED, Internal) == 0, ov_internal);
CHECK(offsetof(OVERLAPPED, InternalHigh) == 8, ov_internal_high);
CHECK(offsetof(OVERLAPPED, Offset) == 16, ov_offset);
CHECK(offsetof(OVERLAPPED, OffsetHigh) == 20, ov_offset_high);
CHECK(offsetof(OVERLAPPED, Pointer) == 16, ov_pointer);
CHECK(offsetof(OVERLAPPED, hEvent) == 24, ov_hevent);

CHECK(sizeof(OVERLAPPED_ENTRY) == 32, entry);
CHECK(offsetof(OVERLAPPED_ENTRY, lpCompletionKey) == 0, entry_key);
CHECK(offsetof(OVERLAPPED_ENTRY, lpOverlapped) == 8, entry_ov);
CHECK(offsetof(OVERLAPPED_ENTRY, Internal) == 16, entry_internal);
CHECK(offsetof(OVERLAPPED_ENTRY, dwNumberOfBytesTransferred) == 24, entry_bytes);

CHECK(sizeof(SECURITY_ATTRIBUTES) == 24, sa);
CHECK(offsetof(SECURITY_ATTRIBUTES, lpSecurityDescriptor) == 8, sa_descriptor);
CHECK(offsetof(SECURITY_ATTRIBUTES, bInheritHandle) == 16, sa_inherit);

CHECK(sizeof(LARGE_INTEGER) == 8 && sizeof(ULARGE_INTEGER) == 8, large_integer);
CHECK(offsetof(LARGE_INTEGER, LowPart) == 0, li_low);
CHECK(offsetof(LARGE_INTEGER, HighPart) == 4, li_high);
CHECK(offsetof(LARGE_INTEGER, QuadPart) == 0, li_quad);
CHECK(sizeof(FILETIME) == 8, filetime);
CHECK(sizeof(SYSTEMTIME) == 16, systemtime);
CHECK(sizeof(GUID) == 16 && offsetof(GUID, Data4) == 8, guid);

CHECK(sizeof(SYSTEM_INFO) == 48, system_info);
CHECK(offsetof(SYSTEM_INFO, wProcessorArchitecture) == 0, si_arch);
CHECK(offsetof(SYSTEM_INFO, dwPageSize) == 4, si_page);
CHECK(offsetof(SYSTEM_INFO, lpMinimumApplicationAddress) == 8, si_min);
CHECK(offsetof(SYSTEM_INFO, lpMaximumApplicationAddress) == 16, si_max);
CHECK(offsetof(SYSTEM_INFO, dwActiveProcessorMask) == 24, si_mask);
CHECK(offsetof(SYSTEM_INFO, dwNumberOfProcessors) == 32, si_cpus);
CHECK(offsetof(SYSTEM_INFO, dwProcessorType) == 36, si_type);
CHECK(offsetof(SYSTEM_INFO, dwAllocationGranularity) == 40, si_granularity);
CHECK(offsetof(SYSTEM_INFO, wProcessorLevel) == 44, si_level);
CHECK(offsetof(SYSTEM_INFO, wProcessorRevision) == 46, si_revision);

CHECK(STATUS_PENDING == 0x103 && STATUS_CANCELLED < 0, status_values);
CHECK(ERROR_IO_PENDING == 997 && WAIT_TIMEOUT == 258 && INFINITE == 0xFFFFFFFFu, values);
CHECK(MAXIMUM_WAIT_OBJECTS == 64 && ERROR_ABANDONED_WAIT_0 == 735, values2);

#undef CHECK
