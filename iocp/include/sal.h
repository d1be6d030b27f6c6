/*
 * sal.h - the source annotation language (SAL) markers Windows headers and
 * samples put on parameters and functions (_In_, _Out_opt_, _Inout_, ...).
 * They only inform Microsoft's static analyser, so here every one of them
 * expands to nothing. The old lower-case forms (__in, __out, ...) are left
 * out on purpose: the GNU C++ library uses those names for its own
 * parameters.
 *
 * Part of the iocp project's Windows-compatible headers: the names are
 * Windows'; the text is this project's own.
 */
#ifndef IOCP_SAL_H_
#define IOCP_SAL_H_

/* Parameters. */
#define _In_
#define _In_opt_
#define _In_z_
#define _In_opt_z_
#define _In_reads_(size)
#define _In_reads_opt_(size)
#define _In_reads_bytes_(size)
#define _In_reads_bytes_opt_(size)
#define _In_reads_z_(size)
#define _Out_
#define _Out_opt_
#define _Out_z_
#define _Out_writes_(size)
#define _Out_writes_opt_(size)
#define _Out_writes_bytes_(size)
#define _Out_writes_bytes_opt_(size)
#define _Out_writes_z_(size)
#define _Out_writes_to_(size, count)
#define _Out_writes_to_opt_(size, count)
#define _Out_writes_bytes_to_(size, count)
#define _Out_writes_bytes_to_opt_(size, count)
#define _Out_writes_bytes_all_(size)
#define _Inout_
#define _Inout_opt_
#define _Inout_z_
#define _Inout_updates_(size)
#define _Inout_updates_opt_(size)
#define _Inout_updates_bytes_(size)
#define _Inout_updates_bytes_opt_(size)
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Outptr_opt_result_maybenull_
#define _Outptr_result_bytebuffer_(size)
#define _Deref_out_
#define _Deref_out_opt_
#define _Reserved_
#define _Pre_
#define _Post_
#define _Pre_z_
#define _Post_z_
#define _Pre_notnull_
#define _Pre_maybenull_
#define _Post_invalid_
#define _Frees_ptr_
#define _Frees_ptr_opt_
#define _Printf_format_string_
#define _Scanf_format_string_
#define _Format_string_impl_(kind, where)

/* Functions and results. */
#define _Check_return_
#define _Must_inspect_result_
#define _Success_(expr)
#define _Return_type_success_(expr)
#define _Ret_maybenull_
#define _Ret_notnull_
#define _Ret_z_
#define _Ret_opt_
#define _Ret_writes_(size)
#define _Ret_writes_bytes_(size)
#define _Ret_writes_maybenull_(size)
#define _Ret_writes_bytes_maybenull_(size)
#define _Result_nullonfailure_
#define _Result_zeroonfailure_
#define _Use_decl_annotations_
#define _Analysis_assume_(expr)
#define _Analysis_noreturn_
#define _When_(expr, annotations)
#define _Null_terminated_
#define _NullNull_terminated_
#define _Notnull_
#define _Maybenull_
#define _Always_(annotations)
#define _On_failure_(annotations)

/* Structure members. */
#define _Field_size_(size)
#define _Field_size_opt_(size)
#define _Field_size_bytes_(size)
#define _Field_size_bytes_opt_(size)
#define _Field_size_part_(size, count)
#define _Field_size_bytes_part_(size, count)
#define _Field_z_
#define _Field_range_(min, max)

/* Locks and interlocked variables. */
#define _Interlocked_operand_
#define _Acquires_lock_(lock)
#define _Releases_lock_(lock)
#define _Requires_lock_held_(lock)
#define _Guarded_by_(lock)

#endif /* IOCP_SAL_H_ */
