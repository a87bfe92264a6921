// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the command frame (cmd/verb.c) on a made-up object:
 * options of every kind land in their typed fields, short bundles and
 * --opt=value parse, unknown and abbreviated options are refused with a
 * hint, operand counts are enforced, a verb's check runs before its
 * handler, errors are recorded once and pick the exit code, CMD_STATUS
 * exits without a message, required options and extra operands have
 * their messages, a one-line template renders keys, an error can go
 * beside a kept result, and the real table is consistent (every object
 * has verbs with help, options have unique names), and completion offers
 * verbs, then options, then the built-in ones.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../cmd/builtin.h"

struct t_args {
	bool flag, have_size;
	unsigned int bits;
	const char *str;
	struct strlist list;
	uint64_t size, u64;
	uint32_t u32, choice;
	int count;
};

static const struct choice colours[] = {
	{ "red", 1 }, { "green", 2 }, { NULL, 0 },
};

static const struct opt t_opts[] = {
	OPT_BOOL("flag", 'f', struct t_args, flag, "a flag"),
	OPT_BITS("bit-a", 'a', struct t_args, bits, 1, "bit 1"),
	OPT_BITS("bit-b", 'b', struct t_args, bits, 4, "bit 4"),
	OPT_STR("str", 's', "TEXT", struct t_args, str, "a string"),
	OPT_LIST("item", 'i', "ITEM", struct t_args, list, "repeatable"),
	OPT_SIZE("size", 0, "SIZE", struct t_args, size, "a size",
		 OPT_SEEN(struct t_args, have_size)),
	OPT_U64("u64", 0, "N", struct t_args, u64, 1000, "0..1000"),
	OPT_U32("u32", 0, "N", struct t_args, u32, 0, "any u32"),
	OPT_CHOICE("colour", 'c', "C", struct t_args, choice, colours, "red|green"),
	OPT_COUNT("verbose", 'v', struct t_args, count, "more"),
	OPT_END,
};

static struct t_args seen;
static int checks, runs;

static int t_check(struct cmdctx *c, void *args)
{
	const struct t_args *a = args;

	checks++;
	if (a->str && !strcmp(a->str, "bad"))
		return cmd_usage(c, "--str cannot be 'bad'");
	return 0;
}

static int t_run(struct cmdctx *c, void *args)
{
	struct json_object *j = json_object_new_object();
	int i;

	runs++;
	seen = *(struct t_args *)args;
	seen.list.v = NULL; /* freed by the frame */
	jadd_int(j, "argc", c->argc);
	jadd_int(j, "items", (int64_t)((struct t_args *)args)->list.n);
	for (i = 0; i < c->argc; i++)
		jadd_str(j, c->argv[i], "operand");
	if (c->argc && !strcmp(c->argv[0], "fail")) {
		json_object_put(j);
		return cmd_fail(c, EXIT_FAILED, ENOENT, "asked to fail");
	}
	if (c->argc && !strcmp(c->argv[0], "status"))
		return cmd_out(c, j), CMD_STATUS(EXIT_FAILED);
	if (c->argc && !strcmp(c->argv[0], "twice")) {
		cmd_fail(c, EXIT_UNAVAILABLE, ENODEV, "first");
		json_object_put(j);
		return cmd_fail(c, EXIT_FAILED, EIO, "second");
	}
	return cmd_out(c, j);
}

static int t_silent(struct cmdctx *c UNUSED, void *args UNUSED)
{
	return -ENOTTY;
}

/* a result, and an error beside it */
static int t_beside(struct cmdctx *c, void *args UNUSED)
{
	struct json_object *j = json_object_new_object();

	runs++;
	jadd_int(j, "done", 2);
	cmd_out(c, j);
	cmd_fail_on(c, NULL, EXIT_UNAVAILABLE, ENODEV, "step %d failed", 3);
	return cmd_fail_beside(c);
}

static const struct opt req_opts[] = {
	OPT_STR("str", 's', "TEXT", struct t_args, str, "required",
		OPT_REQUIRED),
	OPT_SIZE("size", 0, "SIZE", struct t_args, size, "required, 0 too",
		 OPT_SEEN(struct t_args, have_size), OPT_REQUIRED),
	OPT_U32("u32", 0, "N", struct t_args, u32, 0, "required, not 0",
		OPT_REQUIRED),
	OPT_END,
};

static const struct opt req1_opts[] = {
	OPT_STR("str", 's', "TEXT", struct t_args, str, "required",
		OPT_REQUIRED),
	OPT_END,
};

static const struct verb t_verbs[] = {
	{ .name = "go", .summary = "the test verb", .synopsis = "[ARG...]",
	  .opts = t_opts, .args_size = sizeof(struct t_args),
	  .max_args = 2, .check = t_check, .run = t_run },
	{ .name = "one", .summary = "exactly one operand", .synopsis = "X",
	  .min_args = 1, .max_args = 1, .need = "give exactly one X",
	  .run = t_run },
	{ .name = "silent", .summary = "fails without a message", .run = t_silent },
	{ .name = "req", .summary = "required options", .opts = req_opts,
	  .args_size = sizeof(struct t_args), .max_args = 1,
	  .too_many = "give at most one thing", .check = t_check, .run = t_run },
	{ .name = "req1", .summary = "one required option", .opts = req1_opts,
	  .args_size = sizeof(struct t_args), .run = t_run },
	{ .name = "reqmsg", .summary = "its own message", .opts = req1_opts,
	  .args_size = sizeof(struct t_args), .need_opts = "--str: say it",
	  .run = t_run },
	{ .name = "beside", .summary = "an error beside the result",
	  .run = t_beside },
	{ .name = NULL },
};

static const struct object t_obj = { "tobj", "a test object", t_verbs, NULL };

/* Runs "tobj WORDS..." and returns the exit code; the result stays in
 * ctx.out, the error in ctx.err. */
static struct cmdctx ctx;

static int run(const char *line)
{
	static char buf[256];
	char *argv[32];
	int argc = 0, rc;
	char *tok, *save = NULL;

	free(ctx.err.msg);
	json_object_put(ctx.out);
	memset(&ctx, 0, sizeof(ctx));
	memset(&seen, 0, sizeof(seen));
	ctx.keep_out = true;
	checks = runs = 0;
	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 31;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	rc = object_run(&ctx, &t_obj, argc, argv);
	return cmd_finish(&ctx, rc);
}

static void test_kinds(void **state UNUSED)
{
	assert_int_equal(run("go -f -a --bit-b --str hello -i x --item=y "
			     "--size 2M --u64 0x10 --u32 7 -c green -vv op1"),
			 0);
	assert_int_equal(runs, 1);
	assert_true(seen.flag);
	assert_int_equal(seen.bits, 5);
	assert_string_equal(seen.str, "hello");
	assert_int_equal(seen.list.n, 2);
	assert_true(seen.have_size);
	assert_int_equal(seen.size, 2 << 20);
	assert_int_equal(seen.u64, 16);
	assert_int_equal(seen.u32, 7);
	assert_int_equal(seen.choice, 2);
	assert_int_equal(seen.count, 2);
	assert_int_equal(json_object_get_int(jopt(ctx.out, "argc")), 1);
	assert_non_null(jopt(ctx.out, "op1"));
}

static void test_bundles_and_order(void **state UNUSED)
{
	/* -fsVALUE: a flag, then a short option with its argument attached */
	assert_int_equal(run("go -fshello op1 -a op2"), 0);
	assert_true(seen.flag);
	assert_string_equal(seen.str, "hello");
	assert_int_equal(seen.bits, 1);
	assert_int_equal(json_object_get_int(jopt(ctx.out, "argc")), 2);
	/* after "--" everything is an operand */
	assert_int_equal(run("go -- -f"), 0);
	assert_false(seen.flag);
	assert_non_null(jopt(ctx.out, "-f"));
	/* -j after the verb turns on JSON */
	assert_int_equal(run("go -j"), 0);
	assert_true(ctx.json);
}

static void test_usage_errors(void **state UNUSED)
{
	assert_int_equal(run("go --flg"), EXIT_USAGE);
	assert_non_null(strstr(ctx.err.msg, "did you mean '--flag'"));
	assert_int_equal(runs, 0);
	/* no abbreviations: a new option never changes an old command */
	assert_int_equal(run("go --fla"), EXIT_USAGE);
	assert_int_equal(run("go -z"), EXIT_USAGE);
	assert_non_null(strstr(ctx.err.msg, "'-z'"));
	assert_int_equal(run("go --str"), EXIT_USAGE);
	assert_non_null(strstr(ctx.err.msg, "needs an argument"));
	assert_int_equal(run("go --flag=yes"), EXIT_USAGE);
	assert_int_equal(run("go --u64 1001"), EXIT_USAGE);
	assert_non_null(strstr(ctx.err.msg, "from 0 to 1000"));
	assert_int_equal(run("go --u64 -1"), EXIT_USAGE);
	assert_int_equal(run("go --size 4Q"), EXIT_USAGE);
	assert_int_equal(run("go -c blue"), EXIT_USAGE);
	assert_non_null(strstr(ctx.err.msg, "red, green"));
	assert_int_equal(run("go a b c"), EXIT_USAGE);
	assert_non_null(strstr(ctx.err.msg, "unexpected argument 'c'"));
	assert_int_equal(run("one"), EXIT_USAGE);
	assert_string_equal(ctx.err.msg, "tobj: give exactly one X");
	assert_int_equal(run("one a b"), EXIT_USAGE);
	assert_string_equal(ctx.err.msg,
			    "tobj: unexpected argument 'b': give exactly one X");
	assert_int_equal(run("nosuch"), EXIT_USAGE);
	assert_int_equal(runs, 0);
}

static void test_check_before_run(void **state UNUSED)
{
	assert_int_equal(run("go --str bad"), EXIT_USAGE);
	assert_int_equal(checks, 1);
	assert_int_equal(runs, 0);
	assert_int_equal(run("go --str good"), 0);
	assert_int_equal(checks, 1);
	assert_int_equal(runs, 1);
}

static void test_errors(void **state UNUSED)
{
	assert_int_equal(run("go fail"), EXIT_FAILED);
	assert_string_equal(ctx.err.msg,
			    "tobj: asked to fail: No such file or directory");
	assert_int_equal(ctx.err.err, ENOENT);
	/* the first error is the cause */
	assert_int_equal(run("go twice"), EXIT_UNAVAILABLE);
	assert_non_null(strstr(ctx.err.msg, "first"));
	/* a status: exit 1, no message, the result kept */
	assert_int_equal(run("go status"), EXIT_FAILED);
	assert_null(ctx.err.msg);
	assert_non_null(ctx.out);
	/* a bare errno: reported with its text, -ENOTTY is "not available" */
	assert_int_equal(run("silent"), EXIT_UNAVAILABLE);
	assert_non_null(strstr(ctx.err.msg, "silent"));
	/* the default verb runs when the first word is an option */
	assert_int_equal(run("-f"), 0);
	assert_true(seen.flag);
}

static void test_required(void **state UNUSED)
{
	assert_int_equal(run("req --str x --size 0"), EXIT_USAGE);
	assert_string_equal(ctx.err.msg,
			    "tobj: --str, --size and --u32 are required");
	assert_int_equal(checks, 0); /* before the verb's check */
	assert_int_equal(run("req --str x --u32 0 --size 0"), EXIT_USAGE);
	assert_int_equal(run("req --str x --u32 1 --size 0"), 0);
	assert_int_equal(run("req --str x --u32 1 --size 0 a b"), EXIT_USAGE);
	assert_string_equal(ctx.err.msg, "tobj: give at most one thing");
	assert_int_equal(run("req1"), EXIT_USAGE);
	assert_string_equal(ctx.err.msg, "tobj: --str is required");
	assert_int_equal(run("reqmsg"), EXIT_USAGE);
	assert_string_equal(ctx.err.msg, "tobj: --str: say it");
	assert_int_equal(run("reqmsg -s x"), 0);
}

static void test_render_line(void **state UNUSED)
{
	struct json_object *j = json_object_new_object();
	FILE *saved = stdout;
	char *text = NULL;
	size_t len = 0;

	jadd_int(j, "n", 5);
	jadd_str(j, "what", "pages");
	free(ctx.err.msg);
	json_object_put(ctx.out);
	memset(&ctx, 0, sizeof(ctx));
	stdout = open_memstream(&text, &len);
	render_line(&ctx, "%{n} %{what} at %{gone}, 100%", j);
	render_line(&ctx, "%{n", j);
	fclose(stdout);
	stdout = saved;
	assert_string_equal(text, "5 pages at ?, 100%\n%{n\n");
	assert_int_equal(ctx.key_errors, 1); /* "gone" */
	free(text);
	json_object_put(j);
}

static void test_fail_beside(void **state UNUSED)
{
	assert_int_equal(run("beside"), EXIT_UNAVAILABLE);
	assert_null(ctx.err.msg);
	assert_int_equal(json_object_get_int(jopt(ctx.out, "done")), 2);
	assert_string_equal(json_object_get_string(jopt(ctx.out, "error")),
			    "step 3 failed");
	assert_int_equal(json_object_get_int(jopt(ctx.out, "errno")), ENODEV);
}

static void test_help_exits_zero(void **state UNUSED)
{
	FILE *saved = stdout;

	stdout = fopen("/dev/null", "w");
	assert_int_equal(run("go --help"), 0);
	assert_int_equal(run("go --list-opts"), 0);
	assert_int_equal(run("help go"), 0);
	assert_int_equal(run("--help"), 0);
	fclose(stdout);
	stdout = saved;
	assert_int_equal(runs, 0);
}

/* Completion (and --list-cmds, --list-opts): verbs then "help", a verb's
 * options then the built-in ones; unknown verbs are named with a hint. */
static void test_words(void **state UNUSED)
{
	const char **w = complete_words(NULL, NULL);
	size_t n;

	assert_non_null(w);
	assert_string_equal(w[0], iommuctl_objects[0]->name);
	free(w);
	w = complete_words("group", NULL);
	for (n = 0; w[n]; n++)
		;
	assert_string_equal(w[0], "list");
	assert_string_equal(w[n - 1], "help");
	free(w);
	w = complete_words("group", "nosuch"); /* the default verb's */
	for (n = 0; w[n]; n++)
		;
	assert_true(n >= 4);
	assert_string_equal(w[n - 4], "json");
	assert_string_equal(w[n - 3], "pretty");
	assert_string_equal(w[n - 2], "no-headers");
	assert_string_equal(w[n - 1], "help");
	free(w);
	w = complete_words("nosuch", NULL);
	assert_null(w[0]);
	free(w);
	assert_int_equal(run("gi"), EXIT_USAGE);
	assert_string_equal(ctx.err.msg,
			    "tobj: unknown command 'gi'; did you mean 'go'?");
	assert_int_equal(run("help gi"), EXIT_USAGE);
	assert_string_equal(ctx.err.msg,
			    "tobj: unknown command 'gi'; did you mean 'go'?");
	/* a bundle mixing the built-in -j with the verb's -f */
	assert_int_equal(run("go -jf"), 0);
	assert_true(ctx.json && seen.flag);
}

/* The real table: names unique, every verb described, options sane. */
static void test_table(void **state UNUSED)
{
	const struct object *const *o, *const *p;
	const struct verb *v;
	const struct opt *a, *b;

	for (o = iommuctl_objects; *o; o++) {
		for (p = o + 1; *p; p++)
			assert_string_not_equal((*o)->name, (*p)->name);
		if ((*o)->alias_of) {
			assert_non_null(object_find((*o)->alias_of));
			continue;
		}
		assert_non_null((*o)->summary);
		for (v = (*o)->verbs; v->name; v++) {
			assert_non_null(v->summary);
			assert_non_null(v->run);
			assert_true(v->max_args == ARGS_ANY || v->max_args >= v->min_args);
			for (a = v->opts; a && a->lname; a++) {
				assert_non_null(a->help);
				assert_true(strcmp(a->lname, "help") && strcmp(a->lname, "json"));
				assert_true(a->sname != 'h' && a->sname != 'j' && a->sname != 'p');
				assert_true((a->arg != NULL) ==
					    (a->kind != OPT_KIND_BOOL && a->kind != OPT_KIND_BITS &&
					     a->kind != OPT_KIND_COUNT));
				for (b = a + 1; b->lname; b++) {
					assert_string_not_equal(a->lname, b->lname);
					assert_true(!a->sname || a->sname != b->sname);
				}
			}
		}
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_bundles_and_order),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_check_before_run),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_render_line),
		cmocka_unit_test(test_fail_beside),
		cmocka_unit_test(test_help_exits_zero),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_table),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	free(ctx.err.msg);
	json_object_put(ctx.out);
	return rc;
}
