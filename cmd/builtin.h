/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Copyright (C) 2026 The iommuctl authors */
#ifndef IOMMUCTL_BUILTIN_H
#define IOMMUCTL_BUILTIN_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>
#include <iommuctl/libiommuctl.h>

/* A parameter a callback's signature has but this callback needs not. */
#define UNUSED __attribute__((unused))

/* Exit codes, documented in iommuctl(1). */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_UNAVAILABLE = 3, /* no IOMMU, no /dev/iommu, ioctl absent, ... */
};

struct iommuctl_session;
struct iommuctl_obj;
struct object;
struct verb;

/*
 * State of one command invocation; no globals, so batch/shell can reuse.
 * The dispatcher (verb.c) fills the verb, operands and error; a handler
 * leaves its result in @out (cmd_out()) for the dispatcher to print.
 */
struct cmdctx {
	struct iommuctl_ctx *ctx;
	struct iommuctl_session *sess; /* opened lazily by the iommufd commands */
	bool in_session; /* batch or shell: objects outlive one command */
	bool json;
	bool pretty;
	bool no_headers; /* --no-headers: tables without their header row */
	bool color;
	int verbose;
	const char *object; /* for error messages: "status", "group", ... */
	const char *verb;
	const struct verb *vb; /* the verb being run */
	int argc;	       /* its operands */
	char **argv;
	struct iommuctl_obj *obj; /* the operand, for a verb with .operand */
	struct json_object *out; /* the result, rendered by the dispatcher */
	const void *args;	 /* the verb's parsed options, while it runs
				  * and its result is rendered */
	struct cmd_err {
		char *msg; /* "OBJECT: what: why" */
		int err;   /* errno, reported in JSON */
		int code;  /* exit code */
		bool trouble; /* exit 2 of a VERB_DIFFERS verb: no usage hint */
	} err;
	int key_errors; /* renderers asked for keys the result lacks */
	/* batch --results: the dispatcher hands the result back instead of
	 * printing it (and the error text to stderr only) */
	bool keep_out;
	/* a one-shot command: the result is left to the exit (run.c); not
	 * the results of a batch's or shell's lines (in_session) */
	bool leave_out;
};

/* ---- the command table (verb.c), told in docs/design.md "Command" ---- */

/* Exit with status @n, nothing to report (diff found changes, ...). */
#define CMD_STATUS(n) (-0x10000 - (n))
#define CMD_IS_STATUS(rc) ((rc) <= -0x10000)

enum opt_kind {
	OPT_KIND_BOOL,	 /* bool: set */
	OPT_KIND_BITS,	 /* unsigned int: |= .val */
	OPT_KIND_STR,	 /* const char *: the last one given */
	OPT_KIND_LIST,	 /* struct strlist: every one given, in order */
	OPT_KIND_SIZE,	 /* uint64_t: 4096, 0x1000, 4k, 2M, 1G */
	OPT_KIND_U32,	 /* uint32_t: a number 0 to .val */
	OPT_KIND_U64,	 /* uint64_t: a number 0 to .val */
	OPT_KIND_CHOICE, /* uint32_t: the value of one of .choices */
	OPT_KIND_OBJ,	 /* struct objref: a session object of types .val */
	OPT_KIND_CALL,	 /* anything: .parse() fills the field */
	OPT_KIND_COUNT,	 /* int: how many times given */
	OPT_KIND_DEV,	 /* struct devref: a device by PCI address or name */
};

struct choice {
	const char *name;
	uint32_t value;
};

struct strlist {
	const char **v;
	size_t n;
};

/* A session object named on the command line: @ref as typed, @obj found
 * (after the verb's check) in the session with one of the allowed types. */
struct objref {
	const char *ref;
	struct iommuctl_obj *obj;
};

/* A device named on the command line, found before the handler runs. */
struct devref {
	const char *ref;
	struct iommuctl_device *dev;
};

struct opt {
	const char *lname;
	int sname;	 /* short option character, or 0 */
	const char *arg; /* metavariable if it takes an argument, else NULL */
	const char *help;
	enum opt_kind kind;
	size_t off;  /* the field in the verb's argument struct */
	size_t seen; /* 1 + offset of a bool set when given, or 0 */
	uint64_t val; /* BITS: the bits; U32/U64: maximum; OBJ: type mask */
	const struct choice *choices;
	bool required; /* OPT_REQUIRED: a usage error when not given */
	/* CALL: parse @text into @field; 0, or a negative errno after
	 * cmd_usage() said why */
	int (*parse)(struct cmdctx *c, const struct opt *o, const char *text,
		     void *field);
};

#define OPT_(l, s, a, h, k, st, f) \
	.lname = l, .sname = s, .arg = a, .help = h, .kind = k, \
	.off = offsetof(st, f)
/* Each takes more designated initializers at the end: OPT_SEEN(st, f). */
#define OPT_BOOL(l, s, st, f, h, ...) \
	{ OPT_(l, s, NULL, h, OPT_KIND_BOOL, st, f), __VA_ARGS__ }
#define OPT_BITS(l, s, st, f, bits, h, ...) \
	{ OPT_(l, s, NULL, h, OPT_KIND_BITS, st, f), .val = (bits), __VA_ARGS__ }
#define OPT_STR(l, s, a, st, f, h, ...) \
	{ OPT_(l, s, a, h, OPT_KIND_STR, st, f), __VA_ARGS__ }
#define OPT_LIST(l, s, a, st, f, h, ...) \
	{ OPT_(l, s, a, h, OPT_KIND_LIST, st, f), __VA_ARGS__ }
#define OPT_SIZE(l, s, a, st, f, h, ...) \
	{ OPT_(l, s, a, h, OPT_KIND_SIZE, st, f), __VA_ARGS__ }
#define OPT_U32(l, s, a, st, f, max, h, ...) \
	{ OPT_(l, s, a, h, OPT_KIND_U32, st, f), .val = (max), __VA_ARGS__ }
#define OPT_U64(l, s, a, st, f, max, h, ...) \
	{ OPT_(l, s, a, h, OPT_KIND_U64, st, f), .val = (max), __VA_ARGS__ }
#define OPT_CHOICE(l, s, a, st, f, ch, h, ...) \
	{ OPT_(l, s, a, h, OPT_KIND_CHOICE, st, f), .choices = (ch), __VA_ARGS__ }
#define OPT_OBJ(l, s, a, st, f, mask, h, ...) \
	{ OPT_(l, s, a, h, OPT_KIND_OBJ, st, f), .val = (mask), __VA_ARGS__ }
#define OPT_CALL(l, s, a, st, f, fn, h, ...) \
	{ OPT_(l, s, a, h, OPT_KIND_CALL, st, f), .parse = (fn), __VA_ARGS__ }
#define OPT_DEV(l, s, a, st, f, h, ...) \
	{ OPT_(l, s, a, h, OPT_KIND_DEV, st, f), __VA_ARGS__ }
#define OPT_COUNT(l, s, st, f, h, ...) \
	{ OPT_(l, s, NULL, h, OPT_KIND_COUNT, st, f), __VA_ARGS__ }
/* ... with a bool field set when the option is given:
 * OPT_SIZE("iova", 'a', "ADDR", struct x, iova, "help", OPT_SEEN(struct x, have_iova)) */
#define OPT_SEEN(st, f) .seen = offsetof(st, f) + 1
/* ... that must be given (its seen flag, else a value not 0 or NULL); the
 * dispatcher says "--a, --b and --c are required" (or the verb's
 * .need_opts) before the verb's check runs. */
#define OPT_REQUIRED .required = true
#define OPT_END \
	{ .lname = NULL }

/* Renders a result (JSON) as text: a table of the result array (or of the
 * array under @rows), "Label: value" lines, one line from a template, or a
 * function given the JSON. */
struct render {
	/* "mapped %{length} bytes in %{@ioas}": %{key} is the key's value,
	 * %{@key} the label of the session object the key names; keys
	 * checked as jstr() does */
	const char *line;
	const struct column *cols;
	const char *rows;  /* the table's rows are this key of the result */
	const struct column *fields;
	void (*text)(struct cmdctx *c, struct json_object *j);
	/* a file's text (metrics, nfd): printed to standard output unless
	 * the result says it went to --output (its "output" key) */
	void (*file)(struct cmdctx *c, FILE *f, struct json_object *j);
};

enum verb_flags {
	VERB_SESSION = 1u << 0, /* needs an iommufd session (live only) */
	VERB_LIVE = 1u << 1,	/* needs the running system, not --root */
	VERB_CHANGES_HOST = 1u << 2, /* changes the host: has --dry-run */
	VERB_PATH_OPERANDS = 1u << 3, /* operands are files (completion) */
	VERB_STREAMS = 1u << 4, /* writes its own output as it goes */
	VERB_DIFFERS = 1u << 6, /* exit 1: the two differ; failures exit 2 */
	VERB_STOP_AT_OPERAND = 1u << 7, /* options end at the first operand */
	VERB_OPERAND_FIRST = 1u << 5, /* default verb: a first word that is no
				       * verb is its operand (batch FILE) */
};

#define ARGS_ANY (-1)

struct verb {
	const char *name;
	const char *summary;
	const char *synopsis; /* after "iommuctl OBJECT VERB" */
	const char *description;
	const struct opt *opts; /* OPT_END terminated, or NULL */
	size_t args_size;	/* the argument struct the options fill */
	void (*init)(void *args); /* defaults, before parsing */
	int min_args, max_args; /* operands; max ARGS_ANY: no limit */
	const char *need; /* usage error text when operands are missing */
	const char *too_many; /* ... when there are more than max_args */
	const char *need_opts; /* ... when an OPT_REQUIRED option is not */
	/* the first operand (if any) is a session object of these types
	 * (OBJ_MASK()s, OBJ_ANY), looked up after the options: c->obj */
	unsigned int operand;
	unsigned int flags;
	/* after parsing, before objects are looked up: usage checks */
	int (*check)(struct cmdctx *c, void *args);
	int (*run)(struct cmdctx *c, void *args);
	const struct render *render;
	const void *data; /* for handlers shared by several verbs */
};

struct object {
	const char *name;
	const char *summary;
	const struct verb *verbs; /* [0] is the default; { NULL } ends */
	const char *alias_of;
};

/* Every object, in the order of 'iommuctl help' ({ NULL } ends). */
extern const struct object *const iommuctl_objects[];
/* The object @name names; an alias is the object it stands for. */
const struct object *object_find(const char *name);
/* 0 with *@ob = object_find(@word), or "unknown object" (recorded). */
int object_lookup(struct cmdctx *c, const char *word, const struct object **ob);
/* "usage: iommuctl [OPTIONS] OBJECT ...": the global help (table.c) */
void usage(FILE *f);
/* The global options, before the object word (table.c, main.c) */
struct global_args {
	const char *root, *color;
	int verbose;
	bool version, list_cmds;
	bool complete; /* --complete, unlisted: for the completion scripts */
};
extern const struct verb global_verb;
/* Runs one command line without "iommuctl" and its global options:
 * argv[0] is the object word. main(), batch and shell come here. Returns
 * the exit code, having printed the result or the error. */
int run_command(struct cmdctx *c, int argc, char **argv);
/* Parses @argv (options in any order, "--" ends them) into @args and the
 * operands, in order, into @operands (room for @argc); 0, 1 when help or a
 * --list-* answer was printed, or a negative errno (recorded). @ob is NULL
 * for the global options. */
int verb_parse(struct cmdctx *c, const struct object *ob,
	       const struct verb *v, int argc, char **argv, void *args,
	       char **operands, int *nargs);
/* The same for the words after the object word of @ob (for tests). */
int object_run(struct cmdctx *c, const struct object *ob, int argc, char **argv);
/* The words completion offers after OBJECT [VERB]: verbs, or options;
 * NULL-terminated, caller frees the array (not the words). */
const char **complete_words(const char *object, const char *verb);
/* Live values (devices, groups, units, session objects of the types the
 * verb takes) for the last word of @argv (the words after "iommuctl" and
 * its global options), as the tables say what goes there, each given to
 * @add (complete.c). Returns 1 when @argv names an object, else 0. */
int complete_values(struct cmdctx *c, int argc, char **argv,
		    void (*add)(void *arg, const char *word), void *arg);
/* "iommuctl --complete -- WORDS...": those values, one per line, for the
 * words after "iommuctl" (a --root among them honoured); exits 0. */
int complete_main(int argc, char **argv);

/* ---- errors: recorded for the dispatcher, which prints them ---------------
 * "iommuctl: WHAT: MESSAGE[: strerror(@err) if @reason]" on stderr, and
 * with -j also {"error": ..., "errno": N} on stdout; the first error
 * recorded is the one reported. Returns -@err (EIO if 0). */
int cmd_record(struct cmdctx *c, const char *what, int code, int err,
	       bool reason, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* "OBJECT: WHAT: REASON" */
#define cmd_fail(c, code, err, ...) \
	cmd_record((c), (c)->object, (code), (err), true, __VA_ARGS__)
/* About one named object: the message says why, no strerror text. */
#define cmd_fail_on(c, what, code, err, ...) \
	cmd_record((c), (what), (code), (err), false, __VA_ARGS__)
/* A usage error: exit 2, and "Try 'iommuctl OBJECT VERB --help'". */
#define cmd_usage(c, ...) \
	cmd_fail_on((c), (c)->object, EXIT_USAGE, EINVAL, __VA_ARGS__)
/* The width human output fits: $COLUMNS, the terminal's, else 80. */
int out_width(void);
/* Prints @text word-wrapped to out_width(), starting at column @col (what
 * the line already holds); continuation lines are indented @indent. With
 * @groups, a bracketed group ([...] (...) {...}) breaks only if it cannot
 * fit on a line of its own. Returns the column it ended at. */
int wrap_text(FILE *f, const char *text, int col, int indent, bool groups);
/* printf() to standard output, each line wrapped to out_width() with a
 * hanging indent of @indent (a line's own leading spaces are kept). */
void print_wrapped(int indent, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Leave @j (owned) as the command's result. Returns 0. */
int cmd_out(struct cmdctx *c, struct json_object *j);
/* The recorded error goes beside the result, which is still printed: its
 * "error" and "errno" are added to the result and the message is said on
 * stderr now. Returns CMD_STATUS(its exit code). */
int cmd_fail_beside(struct cmdctx *c);
/* Prints a recorded error now (batch/shell lines, main) and clears it;
 * returns its exit code. */
int cmd_finish(struct cmdctx *c, int rc);
/* run.c: a whole command line, argv[0] first (report runs one per child) */
int cmd_main(int argc, char **argv);

void print_uncertain_note(struct cmdctx *c);
/* Exit 3 (recorded) on a system without IOMMU groups; 0 otherwise. */
int require_groups(struct cmdctx *c);
const char *did_you_mean(const char *word, const char *const *candidates,
			 size_t n);
unsigned int edit_distance(const char *a, const char *b);

/* Output (output.c) */
void json_print(struct cmdctx *c, struct json_object *j);
/* A list result, element by element: with plain -j each element is
 * printed as it comes and freed (the text json_print() gives for the
 * whole array, holding one element at a time: no heap of thousands of
 * objects to fault in and free); otherwise (text, --pretty, batch
 * --results) the array is built and list_end() makes it the result. */
struct list_out {
	struct cmdctx *c;
	struct json_object *arr; /* NULL while streaming */
	size_t n;		 /* elements so far */
};
void list_begin(struct cmdctx *c, struct list_out *l);
void list_add(struct list_out *l, struct json_object *j);
int list_end(struct list_out *l);
/* Keys of a result, for renderers: jget() counts a missing key as a
 * renderer bug (c->key_errors, the command then fails), jopt() and
 * jstr_opt() (NULL for an absent or null key) do not. */
struct json_object *jget(struct cmdctx *c, struct json_object *j, const char *key);
struct json_object *jopt(struct json_object *j, const char *key);
const char *jstr(struct cmdctx *c, struct json_object *j, const char *key);
const char *jstr_opt(struct json_object *j, const char *key);
/* Building results: each adds nothing for a NULL value/string. A key
 * that is a string literal is not copied (JKEY(): json-c's constant keys;
 * a list of 16,384 devices adds a quarter of a million keys). */
#define JKEY(key) \
	(__builtin_constant_p(key) ? (unsigned int)JSON_C_OBJECT_ADD_CONSTANT_KEY : 0u)
void jadd_k(struct json_object *j, const char *key, struct json_object *v,
	    unsigned int kf);
void jadd_str_k(struct json_object *j, const char *key, const char *s,
		unsigned int kf);
/* @key: @s, or @key: null for a NULL @s (keys that are always there) */
void jadd_str_or_null_k(struct json_object *j, const char *key, const char *s,
			unsigned int kf);
void jadd_int_k(struct json_object *j, const char *key, int64_t v,
		unsigned int kf);
void jadd_bool_k(struct json_object *j, const char *key, bool v,
		 unsigned int kf);
void jadd_hex_k(struct json_object *j, const char *key, uint64_t v,
		unsigned int kf);
#define jadd(j, key, v) jadd_k(j, key, v, JKEY(key))
#define jadd_str(j, key, s) jadd_str_k(j, key, s, JKEY(key))
#define jadd_str_or_null(j, key, s) jadd_str_or_null_k(j, key, s, JKEY(key))
#define jadd_int(j, key, v) jadd_int_k(j, key, v, JKEY(key))
#define jadd_bool(j, key, v) jadd_bool_k(j, key, v, JKEY(key))
#define jadd_hex(j, key, v) jadd_hex_k(j, key, v, JKEY(key))
/* Renders @j with @one, or each element of the array @j, blank lines
 * between ("show A B"). */
void render_each(struct cmdctx *c, struct json_object *j,
		 void (*one)(struct cmdctx *c, struct json_object *j));
/* Help lines of options, the option words @width wide; an option without
 * help text is not listed. */
void opts_help(FILE *f, const struct opt *o, int width);
void opt_help(FILE *f, const char *s, const char *l, const char *arg,
	      const char *help, int width);
void render_line(struct cmdctx *c, const char *fmt, struct json_object *j);
int help_command(struct cmdctx *c, const struct object *ob, int argc,
		 char **argv);
struct json_object *json_hex(unsigned long long v);
struct json_object *json_strv(const char *const *v, unsigned int n);
struct json_object *json_hexv(const uint64_t *v, unsigned int n);

/* COL_RIGHT: right-aligned, never narrowed (numbers); COL_NAME: a name,
 * cut (not wrapped) and only after the other columns when a table must
 * fit the terminal (table_print()) */
enum col_flags { COL_RIGHT = 1, COL_NAME = 2 };
struct column {
	const char *header;
	const char *key; /* JSON key of each row object */
	unsigned int flags;
};
/* "Label:" padded to column @col, then the value wrapped under itself. */
void kv_line(FILE *f, int col, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Tables get a header row unless --no-headers (the dispatcher says). */
void table_set_headers(bool on);
void table_print(FILE *f, struct json_object *rows, const struct column *cols,
		 const char *indent);
char *json_list_text(struct json_object *a);
void kv_print(FILE *f, struct json_object *obj, const struct column *fields);
const char *color_on(struct cmdctx *c, const char *which);
const char *color_off(struct cmdctx *c);

/* IOMMU units (iommu.c) and their debugfs (iommu.c, pgtable.c) */
struct json_object *iommu_to_json(struct iommuctl_ctx *ctx,
				  struct iommuctl_iommu *it, bool detail);
void iommu_add_count(struct json_object *j);
struct json_object *caps_summary_to_json(bool amd, uint64_t a, uint64_t b);
#define vtd_summary_to_json(cap, ecap) caps_summary_to_json(false, cap, ecap)
#define amd_summary_to_json(efr, efr2) caps_summary_to_json(true, efr, efr2)
struct json_object *smmuv3_summary_to_json(const uint32_t idr[6],
					   uint32_t iidr, uint32_t aidr);
/* A failed read of @file (below /sys/kernel/debug/iommu), recorded: exit 3
 * with iommuctl_debugfs_why()'s text for -ENOENT, 1 for -EACCES ("run as
 * root") and malformed text (iommuctl_debugfs_error()). Returns -errno. */
int debugfs_fail(struct cmdctx *c, int rc, const char *file);
/* The kernel does not offer @file at all (iommuctl_debugfs_why() -ENOENT). */
bool debugfs_missing(struct cmdctx *c, const char *file);
/* A debugfs verb (the verb's .data): its result is {"units": [...]}, its
 * text each unit's print(), a blank line between (units_render). */
struct units;
struct units_verb {
	const char *file; /* below /sys/kernel/debug/iommu */
	int (*read)(struct units *u);
	void (*print)(struct cmdctx *c, struct json_object *unit);
};
extern const struct render units_render;
int no_such_unit(struct cmdctx *c, const char *want, bool amd,
		 const char *file, struct json_object *seen);
/* Like jadd(), but a NULL value stays, as a JSON null. */
static inline void jset_k(struct json_object *j, const char *key,
			  struct json_object *v, unsigned int kf)
{
	json_object_object_add_ex(j, key, v, kf);
}
#define jset(j, key, v) jset_k(j, key, v, JKEY(key))
/* A string, or a JSON null (for jset()). */
static inline struct json_object *jstrn(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}
/* IOMMU_GET_HW_INFO answer (device.c): keys added to @j, and their text */
void hw_info_add_json(struct json_object *j, const struct iommuctl_hw_info *hi);
void hw_info_print(struct json_object *j);

/* Topology (topology.c, device.c, resv.c, status.c) */
struct json_object *region_to_json(const struct iommuctl_resv_region *r);
/* An array of region_to_json() of @n regions. */
struct json_object *regions_to_json(const struct iommuctl_resv_region *r,
				    size_t n);
struct json_object *device_to_json(struct iommuctl_device *d, bool detail);
/* topology.c: a PCI function's ACS ("acs" of device show; topo) */
struct json_object *acs_to_json(struct iommuctl_device *d,
				const struct iommuctl_pcicfg *cfg);
/* topology.c: a PCI function's reset scope (device show, hwinfo) */
void reset_scope_add(struct iommuctl_device *d, struct json_object *j);
/* resv.c: MSI isolation as binding commands report it */
struct json_object *msi_isolation_json(struct iommuctl_ctx *ctx);
/* Where a session device's MSI doorbell is mapped (session-obj.c) */
struct json_object *doorbell_json(struct iommuctl_obj *o);
/* Why an arm-smmuv3 vIOMMU is refused for @dev (viommu.c), malloc'd or NULL */
char *smmuv3_viommu_why(struct cmdctx *c, struct iommuctl_obj *dev);
struct json_object *group_to_json(struct iommuctl_ctx *ctx,
				  struct iommuctl_group *g, bool detail);
struct json_object *explain_device_to_json(struct iommuctl_device *d);
struct json_object *predicted_members(struct iommuctl_ctx *ctx,
				      struct iommuctl_device *first);
/* A device by PCI address or name; 0, or -ENODEV (recorded). */
int device_ref(struct cmdctx *c, const char *name, struct iommuctl_device **out);
/* The IOMMU group of @d; or -ENOENT (recorded, exit 3) if it has none. */
int device_group(struct cmdctx *c, struct iommuctl_device *d);
/* An IOMMU group number for --group; 0, or a usage error. */
int group_number(struct cmdctx *c, const char *text, unsigned int *id);
/* Status findings and resv/msi warnings: "severity: message [code]". */
void print_findings(struct cmdctx *c, struct json_object *a);
/* A finding as JSON, added to the array @findings (iommuctl_finding_fn). */
int finding_add(enum iommuctl_severity sev, const char *code,
		const char *message, void *findings);

/* iommufd sessions (session-obj.c): 0, or a negative errno (recorded). */
int sess_get(struct cmdctx *c, struct iommuctl_session **s);
int need_cmd(struct cmdctx *c, struct iommuctl_session *s, unsigned int nr,
	     const char *name, const char *since);
/* A library failure: the errno text plus iommuctl_session_error(); exit 3
 * for -ENOTTY (the kernel lacks the command), else 1. */
int lib_fail(struct cmdctx *c, int rc, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* lib_fail() about session object @o, named by its label */
#define obj_fail(c, rc, o, ...) \
	lib_fail(c, rc, iommuctl_obj_label(o), __VA_ARGS__)
/* Resolve "guest" or "3"; @mask: bits (1u << IOMMUCTL_OBJ_*) allowed, 0 any. */
int obj_ref(struct cmdctx *c, const char *ref, unsigned int mask,
	    struct iommuctl_obj **out);
/* "is a hwpt@SEP@WHY" (recorded): @o is not of a type the verb takes */
int wrong_type(struct cmdctx *c, struct iommuctl_obj *o, const char *sep,
	       const char *why);
#define OBJ_MASK(t) (1u << (t))
#define OBJ_MASK_HWPT (OBJ_MASK(IOMMUCTL_OBJ_HWPT_PAGING) | OBJ_MASK(IOMMUCTL_OBJ_HWPT_NESTED))
#define OBJ_MASK_PT (OBJ_MASK(IOMMUCTL_OBJ_IOAS) | OBJ_MASK_HWPT)
#define OBJ_ANY (~0u)
/* Sizes and addresses: 4096, 0x1000, 4k, 2M, 1G. */
int parse_size(struct cmdctx *c, const char *opt, const char *text, uint64_t *v);
/* A number from 0 to @max (decimal, 0x hex, 0 octal), for option @opt */
int parse_number(struct cmdctx *c, const char *opt, const char *text,
		 uint64_t max, uint64_t *v);
int name_check(struct cmdctx *c, struct iommuctl_session *s, const char *name);
/* Names @o (destroying it if the name is taken), notes a one-shot
 * session, and leaves obj_to_json(@o) as the result. */
int obj_created(struct cmdctx *c, struct iommuctl_obj *o, const char *name);
struct json_object *obj_to_json(struct iommuctl_obj *o, bool detail);
struct json_object *mapping_to_json(const struct iommuctl_mapping *m);
/* A result about @o: {@key: its id, or its name (an access)} */
struct json_object *ref_result(const char *key, struct iommuctl_obj *o);
/* access.c: the pins of an access, [{pin, iova, last, length, write}]; the
 * pins of access @only, of the accesses of IOAS @only, or all (NULL), each
 * with its access; after an operation, the ones of @before (pins_held())
 * the session no longer holds (consumes @before); their text */
struct json_object *access_pins_json(struct iommuctl_obj *access);
struct json_object *pins_held(struct iommuctl_session *s,
			      struct iommuctl_obj *only);
struct json_object *pins_released(struct iommuctl_session *s,
				  struct json_object *before);
void pins_released_text(struct cmdctx *c, struct json_object *j);
/* The name of @v in @ch, or "unknown" */
const char *choice_name(const struct choice *ch, uint32_t v);
extern const struct choice viommu_types[], veventq_types[];
const char *data_type_name(uint32_t t); /* IOMMUCTL_HWPT_DATA_* */
/* ioas, access, objects, option (session-obj.c): IOVA ranges as JSON
 * ("size" too if @size); for renderers, the label of the session object
 * the result's @key names; a render that prints nothing (JSON only). */
struct json_object *ranges_to_json(const struct iommuctl_iova_range *r,
				   size_t n, bool size);
const char *ref_label(struct cmdctx *c, struct json_object *j, const char *key);
/* For renderers: the last address of the result's range, "iova" and on */
unsigned long long range_last(struct cmdctx *c, struct json_object *j,
			      const char *len_key);
extern const struct render quiet_render;

/* A session object type, for its show and destroy verbs. */
struct objtype {
	const char *key;   /* JSON key of show's list: "hwpts" */
	const char *what;  /* "hwpt", for messages */
	unsigned int mask; /* object types listed */
	const struct column *cols;
	/* optional: what show adds to the row of @o (ioas: its ranges), and
	 * how it prints the rows when there are some (instead of cols) */
	void (*row)(struct json_object *j, struct iommuctl_obj *o);
	void (*text)(struct cmdctx *c, struct json_object *rows);
};
int objs_show_run(struct cmdctx *c, void *args);
int obj_destroy_run(struct cmdctx *c, void *args);
/* "X create [--name NAME]" of a type whose objects need nothing else:
 * the allocation, and what its failure says */
struct objcreate {
	int (*alloc)(struct iommuctl_session *s, struct iommuctl_obj **out);
	const char *cannot;
	/* or made from the verb's options, whose first is the name (as in
	 * struct name_args); the failure is about @what, else the operand,
	 * else the object */
	int (*make)(struct cmdctx *c, void *args, struct iommuctl_obj **out);
	const char *what;
};
struct name_args {
	const char *name;
};
int obj_create_run(struct cmdctx *c, void *args);
#define OBJ_CREATE(create)                                            \
	.args_size = sizeof(struct name_args), .flags = VERB_SESSION, \
	.run = obj_create_run, .render = &created_render, .data = (create)
/* A verb whose one operand is a session object of the types @mask */
#define OBJ_OPERAND(mask, need_text)                       \
	.min_args = 1, .max_args = 1, .need = (need_text), \
	.flags = VERB_SESSION, .operand = (mask)
extern const struct render objs_show_render, obj_destroy_render;
/* The show and destroy verbs of a type (.data); a verb with its own words
 * adds .name, .summary, .synopsis, .description to OBJ_SHOW/OBJ_DESTROY. */
#define OBJ_SHOW(type)                                              \
	.max_args = 1, .flags = VERB_SESSION, .run = objs_show_run, \
	.render = &objs_show_render, .data = (type)
#define OBJ_SHOW_VERB(type, syn, desc)                                   \
	{ .name = "show", .summary = "show the session's " syn,          \
	  .synopsis = "[" syn "]", .description = desc, OBJ_SHOW(type) }
#define OBJ_DESTROY(type)                                                \
	.min_args = 1, .max_args = 1, .need = "give exactly one object", \
	.flags = VERB_SESSION, .run = obj_destroy_run,                   \
	.render = &obj_destroy_render, .data = (type)
#define OBJ_DESTROY_VERB(type, what)                                            \
	{ .name = "destroy", .summary = "destroy " what, .synopsis = "ID|NAME", \
	  .description = "Destroy " what " of the session. Refused, with the objects that\n" \
			 "hold it named, while something still uses it.",      \
	  OBJ_DESTROY(type) }

/* probe, vfio, hwinfo, exec, report */
/* An object with one verb, its default ("iommuctl status" runs "status
 * show"): defines @var and its verb table from the verb's initializers. */
#define ONE_VERB_OBJECT(var, oname, osummary, ...)                     \
	static const struct verb var##_verbs[] = { { __VA_ARGS__ },    \
						   { .name = NULL } }; \
	const struct object var = { oname, osummary, var##_verbs, NULL }

/* The flags and data types ("features" of @j), asked with @device (or
 * none) on a throw-away session (probe.c); with @hw first its
 * IOMMU_GET_HW_INFO and what it is "ready" for. */
int features_ask(struct cmdctx *c, const char *device, bool hw,
		 struct json_object *j);
/* vfio bind and restore, and hwinfo's temporary binding (vfio.c) */
struct vfio_args {
	struct idlist {
		unsigned int v[64];
		size_t n;
	} groups;
	struct strlist allow;
	unsigned int flags, timeout_ms;
	bool dry_run, have_timeout, no_bind, have_vfs;
	unsigned int vfs; /* vfio sriov --vfs */
	const char *type, *uuid; /* vfio mdev --type, --uuid */
};
/* The assignment the options and operands (devices) ask for. */
int vfio_setup(struct cmdctx *c, const struct vfio_args *a,
	       struct iommuctl_vfio **out);

/* Objects, one file each (main.c lists them) */
extern const struct object obj_status, obj_iommu, obj_group, obj_device, obj_resv, obj_msi, obj_diff, obj_pgtable, obj_probe, obj_vfio, obj_report, obj_hwinfo, obj_exec, obj_ioas, obj_access, obj_objects, obj_option, obj_hwpt, obj_fault, obj_viommu, obj_vdevice, obj_veventq, obj_hwqueue, obj_batch, obj_shell, obj_topo;
extern const struct object obj_dev, obj_help;
/* metrics.c, nfd.c */
extern const struct object obj_metrics, obj_nfd;
/* Replaces @path with @data: a temporary dot-file beside it, then
 * rename() (metrics, nfd); 0, or a negative errno (recorded). */
/* The end of metrics and nfd: with @output (and @rc 0) @text of @j goes
 * to that file atomically and @j says "output"; then @j is the result
 * (freed when @rc or the write failed). */
int file_or_out(struct cmdctx *c, struct json_object *j, int rc,
		const char *output,
		void (*text)(struct cmdctx *c, FILE *f, struct json_object *j));
int write_file_atomic(struct cmdctx *c, const char *path, const char *data,
		      size_t len);
extern const struct object obj_monitor; /* monitor.c */
/* hwpt, fault and the vIOMMU objects (hwpt.c, fault.c, viommu.c) */
/* The render of the create verbs: "created LABEL" */
extern const struct render created_render;
/* A selftest mock device: 0, or -EOPNOTSUPP (recorded) for a real one */
int mock_only(struct cmdctx *c, struct iommuctl_obj *dev);
/* A queue's pending faults or events: "LABEL: N WHAT(s)" and the table of
 * @rows, or "no pending WHATs on LABEL"; @key holds the queue's id */
void pending_text(struct cmdctx *c, struct json_object *j, const char *key,
		  const char *rows, const char *what, const struct column *cols);
/* The names of the bits set in @bits: bit i is @names[i], for the first @n
 * (or up to a NULL) */
struct json_object *bit_names(const char *const *names, unsigned int n,
			      uint64_t bits);

/* Shell-like splitting of a batch or shell line (words.c): blanks separate
 * words, '...' is literal, "..." takes \" and \\, a backslash escapes
 * the next character, '#' starting a word comments out the rest. Returns
 * 0 with a NULL-terminated *argv (argc 0 for a blank or comment line), or
 * -EINVAL ("unterminated quote") / -ENOMEM with *err saying why. *argv
 * and its words are one allocation: free(*argv) frees them all. */
int split_words(const char *line, int *argc, char ***argv, const char **err);
/* A batch line's tag, its first word "@NAME" (NAME: letters, digits, '-',
 * '_'): 1 with *tag = NAME, 0 if @word is no tag, -EINVAL if malformed. */
int word_tag(const char *word, const char **tag);
/* batch --results: the document of line @n (session.c); takes @out (the
 * line's result or NULL), adds "error" if @e has a message. */
struct json_object *line_result(unsigned long n, const char *tag,
				const char *command, int code,
				struct json_object *out, const struct cmd_err *e);

#endif
