// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl batch and iommuctl shell: many commands in one process, so that
 * they share one iommufd session (objects die with the /dev/iommu file
 * descriptor). Every line goes through the same dispatcher as the command
 * line; only the per-line output settings are reset between lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "builtin.h"

#define HISTORY_MAX 1000

/* One batch or shell run: where lines come from and what to do on errors. */
struct runner {
	struct cmdctx *c;
	const char *who; /* "batch" or "shell", for messages */
	const char *file; /* source name for messages, or NULL (interactive) */
	bool keep_going;
	bool echo;
	bool done; /* "exit" or "quit" seen */
	int first_rc;
	int write_errno; /* standard output failed: no use going on */
};

/* "batch: FILE:LINE" or "shell", the object part of a line's messages. */
static char *line_where(struct runner *r, unsigned long n)
{
	char *s = NULL;

	if (r->file) {
		if (asprintf(&s, "%s: %s:%lu", r->who, r->file, n) < 0)
			s = NULL;
	} else {
		s = strdup(r->who);
	}
	return s;
}

static int line_error(struct runner *r, unsigned long n, int code,
		      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A line that cannot run: "iommuctl: batch: FILE:LINE: WHY", JSON too. */
static int line_error(struct runner *r, unsigned long n, int code,
		      const char *fmt, ...)
{
	char *where = line_where(r, n), *msg = NULL;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	rc = cmd_error_on(r->c, where ? where : r->who, code, EINVAL, "%s",
			  msg ? msg : "cannot run the line");
	free(msg);
	free(where);
	return rc;
}

/* Trims @line in place; returns its first non-blank character. */
static char *trim(char *line)
{
	size_t len;

	while (*line == ' ' || *line == '\t')
		line++;
	len = strlen(line);
	while (len && strchr(" \t\r\n\v\f", line[len - 1]))
		line[--len] = '\0';
	return line;
}

/*
 * Runs one line (@len bytes as read). Returns -1 if there was nothing to
 * run (blank, comment, exit), else the exit code of the line.
 */
static int run_line(struct runner *r, char *line, size_t len, unsigned long n)
{
	struct cmdctx *c = r->c;
	const bool json = c->json, pretty = c->pretty, color = c->color;
	const char *object = c->object, *verb = c->verb;
	const char *err = NULL;
	char **argv = NULL;
	char *text;
	int argc = 0, rc;

	if (strlen(line) != len) {
		if (r->echo)
			fprintf(stderr, "> %s\n", trim(line));
		return line_error(r, n, EXIT_USAGE,
				  "the line contains a NUL byte");
	}
	text = trim(line);
	if (split_words(text, &argc, &argv, &err) < 0) {
		if (r->echo)
			fprintf(stderr, "> %s\n", text);
		return line_error(r, n, EXIT_USAGE, "%s",
				  err ? err : "cannot split the line");
	}
	if (argc == 0) {
		free_words(argc, argv);
		return -1;
	}
	if (r->echo)
		fprintf(stderr, "> %s\n", text);
	if (!strcmp(argv[0], "exit") || !strcmp(argv[0], "quit")) {
		if (argc > 1) {
			rc = line_error(r, n, EXIT_USAGE,
					"'%s' takes no arguments", argv[0]);
		} else {
			r->done = true;
			rc = -1;
		}
		free_words(argc, argv);
		return rc;
	}
	if (argv[0][0] == '-') {
		rc = line_error(
			r, n, EXIT_USAGE,
			"'%s': a line starts with an object; global options go before '%s' on the command line (-j and -p may follow a line's verb)",
			argv[0], r->who);
		free_words(argc, argv);
		return rc;
	}
	rc = run_command(c, argc, argv);
	if (!r->file && argc == 1 && !strcmp(argv[0], "help") && rc == EXIT_OK)
		printf("\nIn the shell: exit, quit or Ctrl-D leaves and closes the session's objects.\n");
	free_words(argc, argv);
	/* options after the verb (-j, -p) hold for that line only */
	c->json = json;
	c->pretty = pretty;
	c->color = color;
	c->object = object;
	c->verb = verb;
	if (fflush(stdout) || ferror(stdout)) {
		r->write_errno = errno ? errno : EIO;
		r->done = true;
	}
	return rc;
}

/* Runs every line of @f; returns the batch's exit code. */
static int run_stream(struct runner *r, FILE *f)
{
	unsigned long n = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len = 0;
	int rc, read_errno = 0;

	while (!r->done) {
		errno = 0;
		len = getline(&line, &cap, f);
		if (len < 0) {
			read_errno = errno;
			break;
		}
		n++;
		rc = run_line(r, line, (size_t)len, n);
		if (rc <= 0)
			continue;
		if (!r->first_rc)
			r->first_rc = rc;
		if (!r->keep_going) {
			fprintf(stderr, "iommuctl: %s: %s:%lu: stopped: %s\n",
				r->who, r->file, n, trim(line));
			break;
		}
		fprintf(stderr, "iommuctl: %s: %s:%lu: failed (exit %d): %s\n",
			r->who, r->file, n, rc, trim(line));
	}
	if (len < 0 && ferror(f)) {
		rc = cmd_error(r->c, EXIT_FAILED, read_errno ? read_errno : EIO,
			       "reading %s", r->file);
		if (!r->first_rc)
			r->first_rc = rc;
	}
	free(line);
	if (r->write_errno)
		errno = r->write_errno; /* for main()'s check of stdout */
	return r->first_rc;
}

static int refuse_nested(struct cmdctx *c)
{
	return cmd_error_on(
		c, c->object, EXIT_USAGE, EINVAL,
		"cannot run inside a batch or shell: its commands already share one session");
}

/* ---- batch -------------------------------------------------------------- */

static const struct opt batch_opts[] = {
	{ "keep-going", 'k', NULL,
	  "run every line; exit with the first failure's code" },
	{ "echo", 0, NULL, "print each command to stderr as '> LINE' first" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help batch_help = {
	.synopsis = "[--keep-going] [--echo] FILE|-",
	.description =
		"Run the commands in FILE (- for standard input), one a line, as they\n"
		"would be written after 'iommuctl', in one process: the iommufd objects\n"
		"they create live until the batch ends. Blank lines and '#' comments\n"
		"are skipped; words are split as by a shell, with '...' and \"...\"\n"
		"quoting and backslash escapes, but nothing is expanded. 'exit' or\n"
		"'quit' ends the batch. Options after a line's verb (-j, -p) hold for\n"
		"that line; global options (--root, -v, --color, -j) go before 'batch'.\n"
		"The batch stops at the first line that fails, naming FILE:LINE on\n"
		"stderr, and exits with that line's code. With -j, standard output is\n"
		"one JSON document per command line run.",
	.opts = batch_opts,
	.path_operands = true,
};

static int do_batch(int argc, char **argv, struct cmdctx *c)
{
	struct runner r = { .c = c, .who = "batch" };
	struct optparse p;
	const char *path;
	FILE *f;
	int o, rc;

	optparse_init(&p, c, argc, argv, &batch_help);
	while ((o = optparse_next(&p)) >= 0) {
		if (o == 0)
			r.keep_going = true;
		else if (o == 1)
			r.echo = true;
	}
	optparse_fini(&p);
	if (o == OPT_EXIT)
		return p.exit;
	if (p.argc < 1)
		return cmd_usage_error(c,
				       "no FILE given (- for standard input)");
	if (p.argc > 1)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[1]);
	if (c->in_session)
		return refuse_nested(c);
	path = p.argv[0];
	if (!strcmp(path, "-")) {
		f = stdin;
		r.file = "<stdin>";
	} else {
		f = fopen(path, "re");
		if (!f)
			return cmd_error(c, EXIT_FAILED, errno, "%s", path);
		r.file = path;
	}
	c->in_session = true;
	rc = run_stream(&r, f);
	if (f != stdin)
		fclose(f);
	if (r.write_errno)
		errno = r.write_errno;
	return rc;
}

static const struct cmd batch_cmds[] = {
	{ "run", do_batch, "run the commands in a file in one session" },
	{ NULL, NULL, NULL },
};

int cmd_batch(int argc, char **argv, struct cmdctx *c)
{
	/* "iommuctl batch FILE": the first word is the operand, not a verb */
	if (argc >= 1 && argv[0][0] != '-' && strcmp(argv[0], "help")) {
		const struct cmd *it;

		for (it = batch_cmds; it->name; it++)
			if (!strcmp(argv[0], it->name))
				break;
		if (!it->name) {
			c->verb = batch_cmds[0].name;
			/* argv[-1] is the object word: getopt's program slot */
			return batch_cmds[0].fn(argc + 1, argv - 1, c);
		}
	}
	return cmd_select(batch_cmds, argc, argv, c);
}

/* ---- shell -------------------------------------------------------------- */

struct completion_cache {
	char *key; /* "OBJECT" or "OBJECT VERB" */
	char **words;
};

struct shell {
	struct runner r;
	char *history;
	bool history_warned;
	bool got_line;
	char *line; /* from the readline callback; NULL at EOF */
	struct completion_cache *cache;
	size_t ncache;
	char **cand; /* candidates of the completion in progress */
	size_t ncand, cand_next;
};

/* For the readline callbacks, which take no argument. */
static struct shell *the_shell;
static volatile sig_atomic_t got_sigint;

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint = 1;
}

static void free_strv(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static void history_warn(struct shell *sh, const char *what, int err)
{
	if (sh->history_warned)
		return;
	sh->history_warned = true;
	fprintf(stderr, "iommuctl: shell: %s %s: %s (history not saved)\n",
		what, sh->history ? sh->history : "history", strerror(err));
}

/* mkdir -p of the directory that holds @path, new directories 0700. */
static int make_parent_dirs(const char *path)
{
	char *dir = strdup(path), *s;
	int rc = 0;

	if (!dir)
		return -ENOMEM;
	s = strrchr(dir, '/');
	if (s && s != dir) {
		*s = '\0';
		for (s = dir + 1; !rc; s++) {
			char save = *s;

			if (save && save != '/')
				continue;
			*s = '\0';
			if (mkdir(dir, 0700) < 0 && errno != EEXIST)
				rc = -errno;
			*s = save;
			if (!save)
				break;
		}
	}
	free(dir);
	return rc;
}

/* $XDG_STATE_HOME/iommuctl/history, by default ~/.local/state/... */
static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char *path = NULL;
	int rc;

	if (state && state[0] == '/') {
		rc = asprintf(&path, "%s/iommuctl/history", state);
	} else {
		if (!home || home[0] != '/') {
			struct passwd *pw = getpwuid(getuid());

			home = pw ? pw->pw_dir : NULL;
		}
		if (!home)
			return NULL;
		rc = asprintf(&path, "%s/.local/state/iommuctl/history", home);
	}
	return rc < 0 ? NULL : path;
}

static void history_open(struct shell *sh)
{
	int fd, rc;

	sh->history = history_path();
	if (!sh->history) {
		history_warn(sh, "cannot find a place for", ENOENT);
		return;
	}
	rc = make_parent_dirs(sh->history);
	if (rc < 0) {
		history_warn(sh, "cannot create the directory of", -rc);
		return;
	}
	fd = open(sh->history, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		history_warn(sh, "cannot open", errno);
		return;
	}
	close(fd);
	read_history(sh->history);
}

static void history_save(struct shell *sh, const char *line)
{
	HIST_ENTRY *last =
		history_length > 0 ?
			history_get(history_base + history_length - 1) :
			NULL;
	int rc;

	if (last && !strcmp(last->line, line))
		return;
	add_history(line);
	if (!sh->history || sh->history_warned)
		return;
	rc = append_history(1, sh->history);
	if (rc)
		history_warn(sh, "cannot write", rc);
}

static void history_close(struct shell *sh)
{
	if (sh->history && !sh->history_warned)
		history_truncate_file(sh->history, HISTORY_MAX);
	clear_history();
	free(sh->history);
	sh->history = NULL;
}

/* Number of live objects of the session, for the prompt. */
static void make_prompt(struct cmdctx *c, char *buf, size_t size)
{
#ifdef IOMMUCTL_HAVE_SESSION
	if (c->sess) {
		size_t n = 0;

		for (__auto_type o = iommuctl_session_first(c->sess); o;
		     o = iommuctl_obj_next(o))
			n++;
		snprintf(buf, size, "iommuctl[%zu]> ", n);
		return;
	}
#endif
	(void)c;
	snprintf(buf, size, "iommuctl> ");
}

/*
 * Runs a command in a child with stdout into a pipe and stderr to
 * /dev/null, and returns its output lines (NULL-terminated; empty if it
 * failed). The words a verb table or option table lists for completion
 * come from --list-cmds and --list-opts this way, so they cannot drift.
 */
static char **capture_words(struct cmdctx *c, int argc, char **argv)
{
	char *buf = NULL, **v, *s, *nl;
	size_t len = 0, cap = 0, n = 0, i;
	int fds[2], status = 0;
	ssize_t got;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if (pipe2(fds, O_CLOEXEC) < 0)
		return calloc(1, sizeof(char *));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return calloc(1, sizeof(char *));
	}
	if (pid == 0) {
		struct cmdctx child = *c;
		int null = open("/dev/null", O_WRONLY);

		if (dup2(fds[1], STDOUT_FILENO) < 0)
			_exit(127);
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		child.json = child.pretty = child.color = false;
		status = run_command(&child, argc, argv);
		fflush(stdout);
		_exit(status);
	}
	close(fds[1]);
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + 65536);

			if (!nb)
				break;
			buf = nb;
			cap += 65536;
		}
		got = read(fds[0], buf + len, cap - len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!buf || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(buf);
		return calloc(1, sizeof(char *));
	}
	buf[len] = '\0';
	for (s = buf; *s; s++)
		n += *s == '\n';
	v = calloc(n + 2, sizeof(*v));
	if (!v) {
		free(buf);
		return NULL;
	}
	for (s = buf, i = 0; *s; s = nl + 1) {
		nl = strchrnul(s, '\n');
		if (nl > s)
			v[i++] = strndup(s, (size_t)(nl - s));
		if (!*nl)
			break;
	}
	free(buf);
	return v;
}

/* --list-cmds or --list-opts of OBJECT [VERB], asked once per shell. */
static char **cached_words(struct shell *sh, const char *obj, const char *verb)
{
	char *args[4], *key = NULL;
	struct completion_cache *cc;
	size_t i;
	int argc = 0;

	if (asprintf(&key, "%s%s%s", obj, verb ? " " : "", verb ? verb : "") <
	    0)
		return NULL;
	for (i = 0; i < sh->ncache; i++) {
		if (!strcmp(sh->cache[i].key, key)) {
			free(key);
			return sh->cache[i].words;
		}
	}
	cc = realloc(sh->cache, (sh->ncache + 1) * sizeof(*cc));
	if (!cc) {
		free(key);
		return NULL;
	}
	sh->cache = cc;
	args[argc++] = (char *)obj;
	if (verb && verb[0] != '-')
		args[argc++] = (char *)verb;
	args[argc++] = (char *)(verb ? "--list-opts" : "--list-cmds");
	args[argc] = NULL;
	cc[sh->ncache].key = key;
	cc[sh->ncache].words = capture_words(sh->r.c, argc, args);
	return cc[sh->ncache++].words;
}

static void cand_add(struct shell *sh, const char *w)
{
	char **v = realloc(sh->cand, (sh->ncand + 2) * sizeof(*v));

	if (!v)
		return;
	sh->cand = v;
	v[sh->ncand] = strdup(w);
	if (v[sh->ncand])
		sh->ncand++;
	v[sh->ncand] = NULL;
}

static void cand_add_all(struct shell *sh, char **words)
{
	size_t i;

	for (i = 0; words && words[i]; i++)
		cand_add(sh, words[i]);
}

static void cand_clear(struct shell *sh)
{
	free_strv(sh->cand);
	sh->cand = NULL;
	sh->ncand = sh->cand_next = 0;
}

static bool is_object(const char *word)
{
	const char *const *names;
	size_t n, i;

	names = object_names(&n);
	for (i = 0; i < n; i++)
		if (!strcmp(names[i], word))
			return true;
	return false;
}

/* @runnable: only those that can run here (batch and shell do not nest) */
static void add_object_names(struct shell *sh, bool runnable)
{
	const char *const *names;
	size_t n, i;

	names = object_names(&n);
	for (i = 0; i < n; i++)
		if (!runnable ||
		    (strcmp(names[i], "batch") && strcmp(names[i], "shell")))
			cand_add(sh, names[i]);
}

/* Ids and names of the session's live objects. */
static void add_session_objects(struct shell *sh)
{
#ifdef IOMMUCTL_HAVE_SESSION
	struct cmdctx *c = sh->r.c;

	if (!c->sess)
		return;
	for (__auto_type o = iommuctl_session_first(c->sess); o;
	     o = iommuctl_obj_next(o)) {
		uint32_t id = iommuctl_obj_get_id(o);
		const char *name = iommuctl_obj_get_name(o);
		char num[16];

		if (id) {
			snprintf(num, sizeof(num), "%u", (unsigned int)id);
			cand_add(sh, num);
		}
		if (name)
			cand_add(sh, name);
	}
#else
	(void)sh;
#endif
}

/* Fills sh->cand for the word at index @idx, after the words in @words. */
static void find_candidates(struct shell *sh, int idx, char **words,
			    const char *text)
{
	const char *obj = idx > 0 ? words[0] : NULL;

	if (idx == 0) {
		add_object_names(sh, true);
		cand_add(sh, "exit");
		cand_add(sh, "quit");
		return;
	}
	if (!strcmp(obj, "help")) {
		if (idx == 1)
			add_object_names(sh, false);
		return;
	}
	if (!is_object(obj))
		return;
	if (text[0] == '-') {
		/* the default verb's options when no verb was given */
		if (idx == 1 || words[1][0] == '-')
			cand_add_all(sh, cached_words(sh, obj, "-"));
		else
			cand_add_all(sh, cached_words(sh, obj, words[1]));
		return;
	}
	if (idx == 1) {
		cand_add_all(sh, cached_words(sh, obj, NULL));
		return;
	}
	add_session_objects(sh);
}

static char *next_candidate(const char *text, int state)
{
	struct shell *sh = the_shell;
	size_t len = strlen(text);

	if (!state)
		sh->cand_next = 0;
	while (sh->cand_next < sh->ncand) {
		const char *w = sh->cand[sh->cand_next++];

		if (!strncmp(w, text, len))
			return strdup(w);
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	struct shell *sh = the_shell;
	char **words = NULL, **matches;
	const char *err;
	char *prefix;
	int n = 0;

	(void)end;
	rl_attempted_completion_over = 1; /* never file names */
	if (!sh)
		return NULL;
	prefix = strndup(rl_line_buffer, (size_t)start);
	if (!prefix)
		return NULL;
	/* in "show 'ab<TAB>", the opening quote is not part of the word */
	if (start > 0 && rl_completion_quote_character &&
	    prefix[start - 1] == rl_completion_quote_character)
		prefix[start - 1] = '\0';
	if (split_words(prefix, &n, &words, &err) < 0) {
		free(prefix);
		return NULL;
	}
	free(prefix);
	cand_clear(sh);
	find_candidates(sh, n, words, text);
	free_words(n, words);
	matches = rl_completion_matches(text, next_candidate);
	cand_clear(sh);
	return matches;
}

static void on_line(char *line)
{
	the_shell->got_line = true;
	the_shell->line = line;
	/* the main loop runs the command, then installs a new prompt */
	rl_callback_handler_remove();
}

static void install_prompt(struct shell *sh)
{
	char prompt[48];

	make_prompt(sh->r.c, prompt, sizeof(prompt));
	rl_callback_handler_install(prompt, on_line);
}

/* Ctrl-C: drop the line being edited and start over on a new one. */
static void clear_input(void)
{
	rl_echo_signal_char(SIGINT);
	rl_callback_sigcleanup();
	rl_free_line_state();
	rl_replace_line("", 0);
	rl_crlf();
	rl_on_new_line();
	rl_redisplay();
}

static int interactive(struct shell *sh)
{
	struct sigaction sa = { .sa_handler = on_sigint }, old;
	unsigned long n = 0;
	fd_set fds;

	/* prompts must not mix with the output when that is redirected */
	rl_outstream = isatty(STDOUT_FILENO) ? stdout : stderr;
	rl_readline_name = "iommuctl";
	rl_catch_signals = 0;
	rl_attempted_completion_function = complete;
	rl_basic_word_break_characters = " \t\n";
	rl_completer_quote_characters = "'\"";
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old); /* no SA_RESTART: select() returns */
	history_open(sh);
	got_sigint = 0;
	install_prompt(sh);
	while (!sh->r.done) {
		if (got_sigint) {
			got_sigint = 0;
			clear_input();
			continue;
		}
		FD_ZERO(&fds);
		FD_SET(STDIN_FILENO, &fds);
		if (select(STDIN_FILENO + 1, &fds, NULL, NULL, NULL) < 0) {
			if (errno == EINTR)
				continue;
			cmd_error(sh->r.c, EXIT_FAILED, errno, "reading input");
			break;
		}
		rl_callback_read_char();
		if (!sh->got_line)
			continue;
		sh->got_line = false;
		if (!sh->line) {
			/* Ctrl-D; readline ends the line itself when it
			 * leaves bracketed-paste mode */
			const char *bp =
				rl_variable_value("enable-bracketed-paste");

			if (!bp || strcmp(bp, "on"))
				fputc('\n', rl_outstream);
			break;
		}
		n++;
		if (*trim(sh->line))
			history_save(sh, sh->line);
		run_line(&sh->r, sh->line, strlen(sh->line), n);
		free(sh->line);
		sh->line = NULL;
		got_sigint = 0; /* a Ctrl-C while the command ran */
		if (!sh->r.done)
			install_prompt(sh);
	}
	rl_callback_handler_remove();
	sigaction(SIGINT, &old, NULL);
	history_close(sh);
	return EXIT_OK;
}

static const struct opt no_opts[] = { { NULL, 0, NULL, NULL } };

static const struct verb_help shell_help = {
	.synopsis = "",
	.description =
		"Read commands interactively, one a line as they would be written\n"
		"after 'iommuctl', and run them in one process: the iommufd objects\n"
		"they create live until you leave with exit, quit or Ctrl-D. The\n"
		"prompt counts the live objects once a session is open. Tab completes\n"
		"objects, verbs, options and the ids and names of live objects;\n"
		"Ctrl-C clears the line. History is kept in\n"
		"$XDG_STATE_HOME/iommuctl/history (~/.local/state/iommuctl/history).\n"
		"When standard input is not a terminal, lines are read from it as by\n"
		"'batch --keep-going -'.",
	.opts = no_opts,
};

static int do_shell(int argc, char **argv, struct cmdctx *c)
{
	struct shell sh = { 0 };
	struct optparse p;
	size_t i;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, &shell_help);
	if (rc >= 0)
		return rc;
	if (p.argc > 0)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	if (c->in_session)
		return refuse_nested(c);
	c->in_session = true;
	sh.r.c = c;
	sh.r.who = "shell";
	if (!isatty(STDIN_FILENO)) {
		sh.r.file = "<stdin>";
		sh.r.keep_going = true;
		return run_stream(&sh.r, stdin);
	}
	the_shell = &sh;
	rc = interactive(&sh);
	the_shell = NULL;
	if (sh.r.write_errno)
		errno = sh.r.write_errno;
	for (i = 0; i < sh.ncache; i++) {
		free(sh.cache[i].key);
		free_strv(sh.cache[i].words);
	}
	free(sh.cache);
	cand_clear(&sh);
	return rc;
}

static const struct cmd shell_cmds[] = {
	{ "run", do_shell, "read and run commands until exit, quit or Ctrl-D" },
	{ NULL, NULL, NULL },
};

int cmd_shell(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(shell_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_batch, "batch", "run commands from a file in one iommufd session", cmd_batch);

LEGACY_OBJECT(obj_shell, "shell", "interactive session: objects live until you leave", cmd_shell);
