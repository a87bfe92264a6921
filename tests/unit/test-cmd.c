// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the command frame's pure helpers: the edit distance
 * behind "did you mean", which near misses get a hint, the splitting of
 * batch and shell lines into words, a batch line's tag and its --results
 * document, and the hex bytes "access rw" reads and writes.
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

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(edit_distance("status", "status"), 0);
	assert_int_equal(edit_distance("stauts", "status"), 2);
	assert_int_equal(edit_distance("statu", "status"), 1);
	assert_int_equal(edit_distance("", "abc"), 3);
	assert_int_equal(edit_distance("kitten", "sitting"), 3);
}

static void test_did_you_mean(void **state)
{
	static const char *const objs[] = { "status", "group", "device", "iommu", "help" };

	(void)state;
	assert_string_equal(did_you_mean("stauts", objs, 5), "status");
	assert_string_equal(did_you_mean("grop", objs, 5), "group");
	assert_string_equal(did_you_mean("grou", objs, 5), "group");
	assert_string_equal(did_you_mean("devices", objs, 5), "device");
	assert_null(did_you_mean("xyzzy", objs, 5));
	assert_null(did_you_mean("q", objs, 5));
}

/* Splits @line, expecting the @n words that follow (NULL-terminated). */
static void check_split(const char *line, int n, ...)
{
	const char *err = "unset";
	char **argv = NULL;
	int argc = -1, i;
	va_list ap;

	assert_int_equal(split_words(line, &argc, &argv, &err), 0);
	assert_null(err);
	assert_non_null(argv);
	assert_int_equal(argc, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_string_equal(argv[i], va_arg(ap, const char *));
	va_end(ap);
	assert_null(argv[argc]);
	free(argv);
}

static void test_split_plain(void **state)
{
	(void)state;
	check_split("ioas create --name guest", 4, "ioas", "create", "--name",
		    "guest");
	check_split("  \t status\t-j  \r\n", 2, "status", "-j");
	check_split("a\vb\fc", 3, "a", "b", "c");
}

static void test_split_empty(void **state)
{
	(void)state;
	check_split("", 0);
	check_split("   \t \n", 0);
	check_split("# only a comment", 0);
	check_split("   # indented comment 'with \"quotes", 0);
}

static void test_split_comments(void **state)
{
	(void)state;
	check_split("status # what is there", 1, "status");
	check_split("status #", 1, "status");
	/* '#' inside a word or quoted is not a comment */
	check_split("a#b c", 2, "a#b", "c");
	check_split("'#x' \"#y\" \\#z", 3, "#x", "#y", "#z");
	check_split("''#x", 1, "#x");
}

static void test_split_quotes(void **state)
{
	(void)state;
	check_split("'a b'  \"c d\"", 2, "a b", "c d");
	/* single quotes are literal, backslash included */
	check_split("'a\\b\"c'", 1, "a\\b\"c");
	/* double quotes take \" and \\ only; other backslashes stay */
	check_split("\"a\\\"b\\\\c\\n\"", 1, "a\"b\\c\\n");
	check_split("\"it's\"", 1, "it's");
	/* quoted parts join the word around them */
	check_split("pre'mid'\"post\"x", 1, "premidpostx");
	/* empty quotes make an empty word */
	check_split("a '' \"\" b", 4, "a", "", "", "b");
	check_split("''", 1, "");
}

static void test_split_escapes(void **state)
{
	(void)state;
	check_split("a\\ b c", 2, "a b", "c");
	check_split("\\'x\\\"", 1, "'x\"");
	check_split("\\\\", 1, "\\");
	/* a backslash ending the line stands for itself */
	check_split("end\\", 1, "end\\");
	check_split("\\", 1, "\\");
}

static void test_split_unterminated(void **state)
{
	static const char *const bad[] = {
		"'abc", "\"abc", "a 'b c", "x \"a\\\"", "'", "\"", "ok \"\\",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *err = NULL;
		char **argv = (char **)&err;
		int argc = 7;

		assert_int_equal(split_words(bad[i], &argc, &argv, &err),
				 -EINVAL);
		assert_non_null(err);
		assert_string_equal(err, "unterminated quote");
		assert_int_equal(argc, 0);
		assert_null(argv);
	}
	/* a comment character inside the open quote does not close it */
	{
		const char *err = NULL;
		char **argv = NULL;
		int argc;

		assert_int_equal(split_words("a '# b", &argc, &argv, &err),
				 -EINVAL);
		assert_null(argv);
	}
}

/* No fixed limits: a 1 MiB word, and 100000 words on one line. */
static void test_split_long(void **state)
{
	const size_t big = 1 << 20;
	char *line = malloc(big + 16), **argv = NULL;
	const char *err = NULL;
	int argc = 0, i;

	(void)state;
	assert_non_null(line);
	memset(line, 'x', big);
	strcpy(line + big, " 'y z'");
	assert_int_equal(split_words(line, &argc, &argv, &err), 0);
	assert_int_equal(argc, 2);
	assert_int_equal(strlen(argv[0]), big);
	assert_string_equal(argv[1], "y z");
	free(argv);
	free(line);

	line = malloc(100000 * 7 + 1);
	assert_non_null(line);
	for (i = 0; i < 100000; i++)
		sprintf(line + 7 * i, "%06d ", i);
	assert_int_equal(split_words(line, &argc, &argv, &err), 0);
	assert_int_equal(argc, 100000);
	assert_string_equal(argv[0], "000000");
	assert_string_equal(argv[54321], "054321");
	assert_string_equal(argv[99999], "099999");
	assert_null(argv[100000]);
	free(argv);
	free(line);
}

/* A batch line's tag: "@NAME", NAME of letters, digits, '-' and '_'. */
static void test_word_tag(void **state)
{
	static const char *const bad[] = { "@", "@a.b", "@a b", "@a@",
					   "@\xc3\xa9", "@-x!" };
	const char *tag = "unset";
	size_t i;

	(void)state;
	assert_int_equal(word_tag("@map-1_A", &tag), 1);
	assert_string_equal(tag, "map-1_A");
	assert_int_equal(word_tag("ioas", &tag), 0);
	assert_null(tag);
	assert_int_equal(word_tag("a@b", &tag), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(word_tag(bad[i], &tag), -EINVAL);
		assert_null(tag);
	}
}

/* batch --results: one document per line; "tag" and "error" only when
 * there is one, "result" null without one. */
static void test_line_result(void **state)
{
	struct cmd_err none = { NULL, 0, 0, false },
		       e = { (char *)"ioas 9: no such object", 2, 1, false };
	struct json_object *j;

	(void)state;
	j = line_result(3, "m", "ioas show", 0, json_object_new_object(),
			&none);
	assert_string_equal(
		json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN),
		"{\"line\":3,\"tag\":\"m\",\"command\":\"ioas show\",\"exit\":0,\"result\":{}}");
	json_object_put(j);
	j = line_result(4, NULL, "ioas destroy 9", 1, NULL, &e);
	assert_string_equal(
		json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN),
		"{\"line\":4,\"command\":\"ioas destroy 9\",\"exit\":1,\"result\":null,"
		"\"error\":{\"error\":\"ioas 9: no such object\",\"errno\":2}}");
	json_object_put(j);
}

/* --write-hex of "access rw" and the hex it prints */
static void check_hex(const char *text, size_t n, const char *bytes)
{
	unsigned char *out = NULL;
	size_t len = 0;

	assert_int_equal(iommuctl_parse_hex(text, &out, &len), 0);
	assert_int_equal(len, n);
	assert_memory_equal(out, bytes, n);
	free(out);
}

static void test_hex_bytes(void **state)
{
	static const char *const bad[] = { "", "0x", "abc", "0xabc", "zz", "de:",
					   ":de", "de::ad", "d:ead", "de ad g0", "-de" };
	unsigned char *out = (unsigned char *)"untouched";
	size_t len = 7, i;
	char *s;

	(void)state;
	check_hex("00", 1, "\x00");
	check_hex("deadbeef", 4, "\xde\xad\xbe\xef");
	check_hex("0xDEADbeef", 4, "\xde\xad\xbe\xef");
	check_hex("de:ad:be:ef", 4, "\xde\xad\xbe\xef");
	check_hex("de-ad be:ef", 4, "\xde\xad\xbe\xef");
	check_hex("dead beef", 4, "\xde\xad\xbe\xef");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(iommuctl_parse_hex(bad[i], &out, &len), -EINVAL);
		assert_int_equal(len, 7); /* nothing written on error */
	}
	assert_int_equal(iommuctl_parse_hex(NULL, &out, &len), -EINVAL);

	s = iommuctl_hex("\x00\x01\xab\xff", 4);
	assert_string_equal(s, "0001abff");
	free(s);
	s = iommuctl_hex("", 0);
	assert_string_equal(s, "");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_bytes),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_did_you_mean),
		cmocka_unit_test(test_split_plain),
		cmocka_unit_test(test_split_empty),
		cmocka_unit_test(test_split_comments),
		cmocka_unit_test(test_split_quotes),
		cmocka_unit_test(test_split_escapes),
		cmocka_unit_test(test_split_unterminated),
		cmocka_unit_test(test_split_long),
		cmocka_unit_test(test_word_tag),
		cmocka_unit_test(test_line_result),
	};

	return cmocka_run_group_tests_name("cmd", tests, NULL, NULL);
}
