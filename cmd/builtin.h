/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Copyright (C) 2026 The iommuctl authors */
#ifndef IOMMUCTL_BUILTIN_H
#define IOMMUCTL_BUILTIN_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>
#include <iommuctl/libiommuctl.h>

/* Exit codes, documented in iommuctl(1). */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_UNAVAILABLE = 3, /* no IOMMU, no /dev/iommu, ioctl absent, ... */
};

struct iommuctl_session;

/* State of one command invocation; no globals, so batch/shell can reuse. */
struct cmdctx {
	struct iommuctl_ctx *ctx;
	struct iommuctl_session *sess; /* opened lazily by the iommufd commands */
	bool in_session; /* batch or shell: objects outlive one command */
	bool json;
	bool pretty;
	bool color;
	int verbose;
	const char *object; /* for error messages: "status", "group", ... */
	const char *verb;
};

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv, struct cmdctx *c);
	const char *summary;
};

/* Option tables for verbs; --help and --list-opts are always added. */
struct opt {
	const char *lname;
	int sname;	 /* short option character, or 0 */
	const char *arg; /* metavariable if it takes an argument, else NULL */
	const char *help;
};

struct verb_help {
	const char *synopsis; /* after "iommuctl OBJECT [VERB]" */
	const char *description;
	const struct opt *opts; /* terminated by { NULL } */
	bool path_operands; /* operands are files or directories (completion) */
};

enum { OPT_END = -1, OPT_EXIT = -2 };

struct optparse {
	int argc;
	char **argv;
	const struct verb_help *help;
	struct cmdctx *c;
	char *arg;   /* argument of the option just returned */
	int exit;    /* exit code when OPT_EXIT is returned */
	void *state; /* private */
};

void optparse_init(struct optparse *p, struct cmdctx *c, int argc, char **argv,
		   const struct verb_help *help);
/* Index into help->opts, OPT_END when done (p->argc/argv then hold the
 * operands), or OPT_EXIT (help printed, or a usage error reported). */
int optparse_next(struct optparse *p);
void optparse_fini(struct optparse *p);
int optparse_operands(struct optparse *p, struct cmdctx *c, int argc,
		      char **argv, const struct verb_help *h);
void print_uncertain_note(struct cmdctx *c);
int require_groups(struct cmdctx *c);

int cmd_select(const struct cmd *cmds, int argc, char **argv,
	       struct cmdctx *c);
void print_verb_help(FILE *f, struct cmdctx *c, const struct verb_help *h);

/* Errors: "iommuctl: OBJECT: WHAT: REASON" on stderr, and with -j also
 * {"error": ..., "errno": N} on stdout. Returns @code. */
int cmd_error(struct cmdctx *c, int code, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int cmd_error_on(struct cmdctx *c, const char *what, int code, int err,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int cmd_usage_error(struct cmdctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct option;
const char *long_option_abbrev(int argc, char **argv,
			       const struct option *longopts);
const char *did_you_mean(const char *word, const char *const *candidates,
			 size_t n);
unsigned int edit_distance(const char *a, const char *b);

/* Output */
void json_print(struct cmdctx *c, struct json_object *j);
struct json_object *json_hex(unsigned long long v);
struct json_object *json_strv(const char *const *v, unsigned int n);

enum col_flags { COL_RIGHT = 1 };
struct column {
	const char *header;
	const char *key; /* JSON key of each row object */
	unsigned int flags;
};
void table_print(FILE *f, struct json_object *rows, const struct column *cols,
		 const char *indent);
char *json_list_text(struct json_object *a);
void kv_print(FILE *f, struct json_object *obj, const struct column *fields);
const char *color_on(struct cmdctx *c, const char *which);
const char *color_off(struct cmdctx *c);

/* IOMMU unit emitter (iommu.c) */
struct json_object *iommu_to_json(struct iommuctl_ctx *ctx,
				  struct iommuctl_iommu *it, bool detail);
void iommu_add_count(struct json_object *j);
struct json_object *vtd_summary_to_json(uint64_t cap, uint64_t ecap);
struct json_object *amd_summary_to_json(uint64_t efr, uint64_t efr2);
/* A register's fields by key, as iommu show --fields prints them */
struct json_object *fields_to_json(const struct iommuctl_regfield *f,
				   unsigned int n, uint64_t reg);
/* IOMMU_GET_HW_INFO answer (device.c): keys added to @j, and their text */
void hw_info_add_json(struct json_object *j, const struct iommuctl_hw_info *hi);
void hw_info_print(struct json_object *j);

/* Topology emitters (topo.c) */
struct json_object *region_to_json(const struct iommuctl_resv_region *r);
struct json_object *device_to_json(struct iommuctl_device *d, bool detail);
struct json_object *group_to_json(struct iommuctl_ctx *ctx,
				  struct iommuctl_group *g, bool detail);
struct json_object *explain_device_to_json(struct iommuctl_device *d);
struct json_object *predicted_members(struct iommuctl_ctx *ctx,
				      struct iommuctl_device *first);
char *explain_message(struct iommuctl_device *d);
struct iommuctl_device *lookup_device(struct cmdctx *c, const char *name);
const char *device_what(struct iommuctl_device *d);

/* iommufd sessions (iommufd.c). Functions returning int give -1 to go on,
 * or the exit code after reporting the error. */
int session_get(struct cmdctx *c, struct iommuctl_session **s);
void note_oneshot(struct cmdctx *c);
int require_cmd(struct cmdctx *c, struct iommuctl_session *s, unsigned int nr,
		const char *name, const char *since);
/* A library failure: the errno text plus iommuctl_session_error(); exit 3
 * for -ENOTTY (the kernel lacks the command), else 1. Returns the code. */
int lib_error(struct cmdctx *c, int rc, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Resolve "guest" or "3"; @mask: bits (1u << IOMMUCTL_OBJ_*) allowed, 0 any. */
int obj_arg(struct cmdctx *c, const char *ref, unsigned int mask,
	    struct iommuctl_obj **out);
#define OBJ_MASK(t) (1u << (t))
#define OBJ_MASK_HWPT (OBJ_MASK(IOMMUCTL_OBJ_HWPT_PAGING) | OBJ_MASK(IOMMUCTL_OBJ_HWPT_NESTED))
#define OBJ_MASK_PT (OBJ_MASK(IOMMUCTL_OBJ_IOAS) | OBJ_MASK_HWPT)
/* Sizes and addresses: 4096, 0x1000, 4k, 2M, 1G. */
int size_arg(struct cmdctx *c, const char *opt, const char *text, uint64_t *v);
int name_obj(struct cmdctx *c, struct iommuctl_obj *o, const char *name);
int name_free(struct cmdctx *c, struct iommuctl_session *s, const char *name);
int alloc_done(struct cmdctx *c, struct iommuctl_obj *o, const char *name,
	       const char *done);
struct json_object *obj_to_json(struct iommuctl_obj *o, bool detail);
struct json_object *obj_row(struct iommuctl_obj *o);
struct json_object *mapping_to_json(const struct iommuctl_mapping *m);
int print_obj_result(struct cmdctx *c, struct iommuctl_obj *o, const char *verb_done);
const char *viommu_type_name(uint32_t t);
/* "X show [ID]": the session's objects of some types, with their users */
struct show_spec {
	const char *key; /* JSON key of the list */
	const char *what; /* "hwpt", for messages */
	unsigned int mask; /* object types listed */
	const struct column *cols;
};
int show_objs(int argc, char **argv, struct cmdctx *c,
	      const struct verb_help *h, const struct show_spec *sp);
/* "X destroy ID": shared by every object's destroy verb. */
int destroy_obj_cmd(struct cmdctx *c, int argc, char **argv,
		    const struct verb_help *h, unsigned int mask);

/* Objects */
int cmd_status(int argc, char **argv, struct cmdctx *c);
int cmd_device(int argc, char **argv, struct cmdctx *c);
int cmd_group(int argc, char **argv, struct cmdctx *c);
int cmd_iommu(int argc, char **argv, struct cmdctx *c);
int cmd_resv(int argc, char **argv, struct cmdctx *c);
int cmd_msi(int argc, char **argv, struct cmdctx *c);
int cmd_diff(int argc, char **argv, struct cmdctx *c);
int cmd_probe(int argc, char **argv, struct cmdctx *c);
struct json_object *features_to_json(const struct iommuctl_feature_probe *f,
				     size_t n);
int cmd_objects(int argc, char **argv, struct cmdctx *c);
int cmd_option(int argc, char **argv, struct cmdctx *c);
int cmd_ioas(int argc, char **argv, struct cmdctx *c);
int cmd_access(int argc, char **argv, struct cmdctx *c);
/* Bytes as hex (access.c): "0xdeadbeef", "de:ad:be:ef", "de ad be ef";
 * 0, or -EINVAL for an empty text, an odd digit count or a non-hex
 * character; *out is malloc'd. hex_bytes() is the reverse ("deadbeef"). */
int parse_hex_bytes(const char *text, unsigned char **out, size_t *len);
char *hex_bytes(const void *buf, size_t len);
int cmd_hwpt(int argc, char **argv, struct cmdctx *c);
int cmd_fault(int argc, char **argv, struct cmdctx *c);
int cmd_viommu(int argc, char **argv, struct cmdctx *c);
int cmd_vdevice(int argc, char **argv, struct cmdctx *c);
int cmd_veventq(int argc, char **argv, struct cmdctx *c);
int cmd_hwqueue(int argc, char **argv, struct cmdctx *c);
int cmd_vfio(int argc, char **argv, struct cmdctx *c);
int cmd_hwinfo(int argc, char **argv, struct cmdctx *c);
int cmd_pgtable(int argc, char **argv, struct cmdctx *c);
int cmd_report(int argc, char **argv, struct cmdctx *c);
/* IOMMU debugfs (debugfs.c): the iommu verbs regs, invalidation, irte */
int iommu_regs(int argc, char **argv, struct cmdctx *c);
int iommu_invalidation(int argc, char **argv, struct cmdctx *c);
int iommu_irte(int argc, char **argv, struct cmdctx *c);
/* A failed read of @file (below /sys/kernel/debug/iommu), reported: exit 3
 * with iommuctl_debugfs_why()'s text for -ENOENT, 1 for -EACCES ("run as
 * root") and malformed text (iommuctl_debugfs_error()). Returns the code. */
int debugfs_fail(struct cmdctx *c, int rc, const char *file);
/* The kernel does not offer @file at all (iommuctl_debugfs_why() -ENOENT). */
bool debugfs_missing(struct cmdctx *c, const char *file);
int cmd_exec(int argc, char **argv, struct cmdctx *c);
int cmd_batch(int argc, char **argv, struct cmdctx *c);
int cmd_shell(int argc, char **argv, struct cmdctx *c);

/* The object dispatcher (main.c): argv[0] is the object word, as on the
 * command line after the global options. Sets c->object. */
int run_command(struct cmdctx *c, int argc, char **argv);
const char *const *object_names(size_t *n);

/* Shell-like splitting of a batch or shell line (words.c): blanks separate
 * words, '...' is literal, "..." takes \" and \\, a backslash escapes
 * the next character, '#' starting a word comments out the rest. Returns
 * 0 with a NULL-terminated *argv (argc 0 for a blank or comment line), or
 * -EINVAL ("unterminated quote") / -ENOMEM with *err saying why. */
int split_words(const char *line, int *argc, char ***argv, const char **err);
void free_words(int argc, char **argv);

#endif
