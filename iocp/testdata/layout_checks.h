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

/* --- Winsock (winsock2.h, ws2tcpip.h, mswsock.h, mstcpip.h) --- */

CHECK(sizeof(u_char) == 1 && sizeof(u_short) == 2 && sizeof(u_int) == 4, ws_u_small);
CHECK(sizeof(u_long) == 4 && (u_long)-1 == 0xFFFFFFFFu, ws_u_long);
CHECK(sizeof(SOCKET) == 8 && (SOCKET)-1 > 0 && sizeof(GROUP) == 4, ws_socket);
CHECK(INVALID_SOCKET == (SOCKET)0xFFFFFFFFFFFFFFFFull && SOCKET_ERROR == -1, ws_invalid);
CHECK(sizeof(socklen_t) == 4 && (socklen_t)-1 < 0, ws_socklen);
CHECK(sizeof(WSAEVENT) == 8 && sizeof(WSAOVERLAPPED) == 32, ws_event_ov);

CHECK(sizeof(WSADATA) == 408, ws_wsadata);
CHECK(offsetof(WSADATA, wVersion) == 0, ws_wsadata_version);
CHECK(offsetof(WSADATA, wHighVersion) == 2, ws_wsadata_high);
CHECK(offsetof(WSADATA, iMaxSockets) == 4, ws_wsadata_sockets);
CHECK(offsetof(WSADATA, iMaxUdpDg) == 6, ws_wsadata_udpdg);
CHECK(offsetof(WSADATA, lpVendorInfo) == 8, ws_wsadata_vendor);
CHECK(offsetof(WSADATA, szDescription) == 16, ws_wsadata_description);
CHECK(offsetof(WSADATA, szSystemStatus) == 273, ws_wsadata_status);

CHECK(sizeof(struct sockaddr) == 16 && sizeof(SOCKADDR) == 16, ws_sockaddr);
CHECK(offsetof(struct sockaddr, sa_data) == 2, ws_sockaddr_data);
CHECK(sizeof(struct in_addr) == 4 && sizeof(IN_ADDR) == 4, ws_in_addr);
CHECK(sizeof(struct sockaddr_in) == 16, ws_sockaddr_in);
CHECK(offsetof(struct sockaddr_in, sin_port) == 2, ws_sin_port);
CHECK(offsetof(struct sockaddr_in, sin_addr) == 4, ws_sin_addr);
CHECK(offsetof(struct sockaddr_in, sin_zero) == 8, ws_sin_zero);
CHECK(sizeof(struct in6_addr) == 16 && sizeof(IN6_ADDR) == 16, ws_in6_addr);
CHECK(sizeof(struct sockaddr_in6) == 28, ws_sockaddr_in6);
CHECK(offsetof(struct sockaddr_in6, sin6_port) == 2, ws_sin6_port);
CHECK(offsetof(struct sockaddr_in6, sin6_flowinfo) == 4, ws_sin6_flowinfo);
CHECK(offsetof(struct sockaddr_in6, sin6_addr) == 8, ws_sin6_addr);
CHECK(offsetof(struct sockaddr_in6, sin6_scope_id) == 24, ws_sin6_scope_id);
CHECK(sizeof(SCOPE_ID) == 4, ws_scope_id);
CHECK(sizeof(SOCKADDR_STORAGE) == 128 && sizeof(struct sockaddr_storage) == 128, ws_storage);
CHECK(offsetof(SOCKADDR_STORAGE, __ss_align) == 8, ws_storage_align);

CHECK(sizeof(fd_set) == 8 + 8 * FD_SETSIZE && FD_SETSIZE == 64, ws_fd_set);
CHECK(offsetof(fd_set, fd_array) == 8, ws_fd_array);
CHECK(sizeof(struct timeval) == 8 && offsetof(struct timeval, tv_usec) == 4, ws_timeval);

CHECK(sizeof(WSABUF) == 16 && offsetof(WSABUF, len) == 0 && offsetof(WSABUF, buf) == 8, ws_wsabuf);
CHECK(sizeof(WSAMSG) == 56, ws_wsamsg);
CHECK(offsetof(WSAMSG, namelen) == 8 && offsetof(WSAMSG, lpBuffers) == 16, ws_wsamsg_a);
CHECK(offsetof(WSAMSG, dwBufferCount) == 24 && offsetof(WSAMSG, Control) == 32, ws_wsamsg_b);
CHECK(offsetof(WSAMSG, dwFlags) == 48, ws_wsamsg_flags);
CHECK(sizeof(WSAPROTOCOL_INFOA) == 372, ws_protocol_info);
CHECK(offsetof(WSAPROTOCOL_INFOA, ProviderId) == 20, ws_pi_provider);
CHECK(offsetof(WSAPROTOCOL_INFOA, ProtocolChain) == 40, ws_pi_chain);
CHECK(offsetof(WSAPROTOCOL_INFOA, iVersion) == 72, ws_pi_version);
CHECK(offsetof(WSAPROTOCOL_INFOA, szProtocol) == 116, ws_pi_protocol);
CHECK(sizeof(struct linger) == 4 && offsetof(struct linger, l_linger) == 2, ws_linger);

CHECK(sizeof(struct hostent) == 32, ws_hostent);
CHECK(offsetof(struct hostent, h_aliases) == 8, ws_h_aliases);
CHECK(offsetof(struct hostent, h_addrtype) == 16, ws_h_addrtype);
CHECK(offsetof(struct hostent, h_length) == 18, ws_h_length);
CHECK(offsetof(struct hostent, h_addr_list) == 24, ws_h_addr_list);
CHECK(sizeof(struct servent) == 32 && offsetof(struct servent, s_proto) == 16 &&
          offsetof(struct servent, s_port) == 24, ws_servent);
CHECK(sizeof(struct protoent) == 24 && offsetof(struct protoent, p_proto) == 16, ws_protoent);

CHECK(sizeof(struct addrinfo) == 48 && sizeof(ADDRINFOA) == 48, ws_addrinfo);
CHECK(offsetof(struct addrinfo, ai_family) == 4, ws_ai_family);
CHECK(offsetof(struct addrinfo, ai_socktype) == 8, ws_ai_socktype);
CHECK(offsetof(struct addrinfo, ai_protocol) == 12, ws_ai_protocol);
CHECK(offsetof(struct addrinfo, ai_addrlen) == 16, ws_ai_addrlen);
CHECK(offsetof(struct addrinfo, ai_canonname) == 24, ws_ai_canonname);
CHECK(offsetof(struct addrinfo, ai_addr) == 32, ws_ai_addr);
CHECK(offsetof(struct addrinfo, ai_next) == 40, ws_ai_next);

CHECK(sizeof(WSAPOLLFD) == 16 && offsetof(WSAPOLLFD, events) == 8 &&
          offsetof(WSAPOLLFD, revents) == 10, ws_pollfd);
CHECK(sizeof(WSANETWORKEVENTS) == 44 && offsetof(WSANETWORKEVENTS, iErrorCode) == 4, ws_netev);
CHECK(sizeof(struct tcp_keepalive) == 12, ws_tcp_keepalive);
CHECK(offsetof(struct tcp_keepalive, keepalivetime) == 4, ws_ka_time);
CHECK(offsetof(struct tcp_keepalive, keepaliveinterval) == 8, ws_ka_interval);
CHECK(sizeof(TRANSMIT_FILE_BUFFERS) == 32, ws_tfb);
CHECK(offsetof(TRANSMIT_FILE_BUFFERS, HeadLength) == 8, ws_tfb_head_length);
CHECK(offsetof(TRANSMIT_FILE_BUFFERS, Tail) == 16, ws_tfb_tail);
CHECK(offsetof(TRANSMIT_FILE_BUFFERS, TailLength) == 24, ws_tfb_tail_length);
CHECK(sizeof(TRANSMIT_PACKETS_ELEMENT) == 24, ws_tpe);
CHECK(sizeof(QOS) == 80 && sizeof(IP_MREQ) == 8 && sizeof(IPV6_MREQ) == 20, ws_qos_mreq);

CHECK(AF_UNSPEC == 0 && AF_INET == 2 && AF_INET6 == 23, ws_af);
CHECK(SOCK_STREAM == 1 && SOCK_DGRAM == 2 && SOCK_RAW == 3, ws_sock);
CHECK(IPPROTO_IP == 0 && IPPROTO_TCP == 6 && IPPROTO_UDP == 17 && IPPROTO_IPV6 == 41, ws_proto);
CHECK(SOL_SOCKET == 0xffff && SO_REUSEADDR == 4 && SO_LINGER == 0x80, ws_sol);
CHECK(SO_DONTLINGER == ~0x80 && SO_EXCLUSIVEADDRUSE == ~4, ws_so_neg);
CHECK(SO_SNDBUF == 0x1001 && SO_RCVBUF == 0x1002 && SO_ERROR == 0x1007, ws_so_buf);
CHECK(SO_UPDATE_ACCEPT_CONTEXT == 0x700B && SO_UPDATE_CONNECT_CONTEXT == 0x7010, ws_so_ctx);
CHECK(TCP_NODELAY == 1 && IPV6_V6ONLY == 27 && IP_TTL == 4, ws_opts);
CHECK(FIONREAD == 0x4004667F && FIONBIO == 0x8004667Eu && SIOCATMARK == 0x40047307, ws_fio);
CHECK(SIO_GET_EXTENSION_FUNCTION_POINTER == 0xC8000006u, ws_sio_ext);
CHECK(SIO_KEEPALIVE_VALS == 0x98000004u, ws_sio_ka);
CHECK(MSG_PEEK == 2 && MSG_WAITALL == 8 && MSG_PARTIAL == 0x8000, ws_msg);
CHECK(SD_RECEIVE == 0 && SD_SEND == 1 && SD_BOTH == 2, ws_sd);
CHECK(INADDR_LOOPBACK == 0x7f000001 && INADDR_NONE == 0xffffffff, ws_inaddr);
CHECK(POLLIN == 0x300 && POLLOUT == 0x10 && POLLERR == 1 && POLLHUP == 2, ws_poll);
CHECK(FD_READ == 1 && FD_ACCEPT == 8 && FD_CLOSE == 32 && FD_MAX_EVENTS == 10, ws_fd_bits);
CHECK(AI_PASSIVE == 1 && AI_CANONNAME == 2 && AI_NUMERICHOST == 4, ws_ai);
CHECK(EAI_NONAME == 11001 && EAI_SERVICE == 10109 && EAI_AGAIN == 11002, ws_eai);
CHECK(WSA_FLAG_OVERLAPPED == 1 && TF_DISCONNECT == 1 && TF_REUSE_SOCKET == 2, ws_flags);
CHECK(WSA_IO_PENDING == 997 && WSA_WAIT_TIMEOUT == 258 && WSA_INFINITE == 0xFFFFFFFFu, ws_wait);

CHECK(sizeof(CRITICAL_SECTION) == 40, critical_section);
CHECK(offsetof(CRITICAL_SECTION, DebugInfo) == 0, cs_debug_info);
CHECK(offsetof(CRITICAL_SECTION, LockCount) == 8, cs_lock_count);
CHECK(offsetof(CRITICAL_SECTION, RecursionCount) == 12, cs_recursion_count);
CHECK(offsetof(CRITICAL_SECTION, OwningThread) == 16, cs_owning_thread);
CHECK(offsetof(CRITICAL_SECTION, LockSemaphore) == 24, cs_lock_semaphore);
CHECK(offsetof(CRITICAL_SECTION, SpinCount) == 32, cs_spin_count);
CHECK(sizeof(SRWLOCK) == 8 && sizeof(CONDITION_VARIABLE) == 8 && sizeof(INIT_ONCE) == 8, slim);

#undef CHECK
