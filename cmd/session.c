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
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "builtin.h"
#include "dlib.h"

struct batch_args {
	bool keep_going, echo, results;
};

/* One batch or shell run: where lines come from and what to do on errors. */
struct runner {
	struct cmdctx *c;
	const char *who; /* "batch" or "shell", for messages */
	const char *file; /* source name for messages, or NULL (interactive) */
	struct batch_args o; /* the shell's: keep going */
	bool done; /* "exit" or "quit" seen, or a failure stopped the run */
	/* flush stdout after each line: a peer may wait for the answer before
	 * it writes the next line (a pipe or terminal); not for a file */
	bool flush_each;
	int first_rc, write_errno; /* write_errno: stdout failed, stop */
	struct json_object *tags; /* each tag seen: the line it names */
};

/* "batch: FILE:LINE (@TAG)" or "shell", the object part of messages
 * (%.0lu prints no line number 0). */
static char *line_where(struct runner *r, unsigned long n, const char *tag)
{
	char *s = NULL;

	if (asprintf(&s, "%s%s%s%s%.0lu%s%s%s", r->who, r->file ? ": " : "",
		     r->file ?: "", r->file ? ":" : "", r->file ? n : 0,
		     tag ? " (@" : "", tag ?: "", tag ? ")" : "") < 0)
		s = NULL;
	return s;
}

/* A line that cannot run: "iommuctl: batch: FILE:LINE: WHY" (a usage
 * error), printed now; returns its exit code. */
__attribute__((format(printf, 4, 5))) static int
line_error(struct runner *r, unsigned long n, const char *tag, const char *fmt,
	   ...)
{
	char *where = line_where(r, n, tag), *msg = NULL;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	rc = cmd_fail_on(r->c, where ?: r->who, EXIT_USAGE, EINVAL, "%s",
			 msg ?: "cannot run the line");
	free(msg);
	free(where);
	return cmd_finish(r->c, rc);
}

struct json_object *line_result(unsigned long n, const char *tag,
				const char *command, int code,
				struct json_object *out,
				const struct cmd_err *e)
{
	struct json_object *j = json_object_new_object(), *ej;

	jadd_int(j, "line", (int64_t)n);
	jadd_str(j, "tag", tag);
	jadd_str(j, "command", command);
	jadd_int(j, "exit", code);
	json_object_object_add(j, "result", out); /* null without one */
	if (e->msg) {
		ej = json_object_new_object();
		jadd_str(ej, "error", e->msg);
		jadd_int(ej, "errno", e->err);
		jadd(j, "error", ej);
	}
	return j;
}

/* A tag names one line of a run: 0, or the exit code of its refusal. */
static int tag_claim(struct runner *r, unsigned long n, const char *tag)
{
	struct json_object *prev;

	if (!r->tags)
		r->tags = json_object_new_object();
	if (json_object_object_get_ex(r->tags, tag, &prev))
		return line_error(r, n, tag, "tag @%s is already on line %ld",
				  tag, (long)json_object_get_int64(prev));
	jadd_int(r->tags, tag, (int64_t)n);
	return 0;
}

/* Runs one line (@len bytes as read); failures are reported and counted. */
static void run_line(struct runner *r, char *line, size_t len, unsigned long n)
{
	struct cmdctx *c = r->c;
	struct cmdctx saved = *c;
	bool nul = strlen(line) != len;
	const char *err = NULL, *tag = NULL;
	char *text = line, *end;
	char *where, **words = NULL, **argv;
	int argc = 0, rc;

	/* (without strspn() and strchr(): this is done for every line) */
	while (*text == ' ' || *text == '\t')
		text++;
	end = nul ? text + strlen(text) : line + len;
	while (end > text &&
	       (end[-1] == ' ' || (end[-1] >= '\t' && end[-1] <= '\r')))
		*--end = '\0';
	rc = nul ? -EINVAL : split_words(text, &argc, &words, &err);
	if (!rc && !argc)
		goto out; /* blank or comment */
	if (r->o.echo)
		fprintf(stderr, "> %s\n", text);
	c->keep_out = r->o.results;
	argv = words;
	if (!rc && (rc = word_tag(argv[0], &tag)) > 0) {
		argv++; /* the command is what follows the tag */
		argc--;
		text += strcspn(text, " \t");
		text += strspn(text, " \t");
	}
	if (rc < 0)
		rc = line_error(
			r, n, NULL, "%s",
			nul ? "the line contains a NUL byte" :
			err ?:
			      "a tag is '@' and letters, digits, '-' or '_'");
	else if (!argc)
		rc = line_error(r, n, tag, "no command after the tag");
	else if (tag && (rc = tag_claim(r, n, tag)))
		; /* refused */
	else if (!strcmp(argv[0], "exit") || !strcmp(argv[0], "quit"))
		rc = (r->done = argc == 1) ?
			     -1 :
			     line_error(r, n, tag, "'%s' takes no arguments",
					argv[0]);
	else if (argv[0][0] == '-')
		rc = line_error(
			r, n, tag,
			"'%s': a line starts with an object; global options go before '%s' on the command line (-j and -p may follow a line's verb)",
			argv[0], r->who);
	else
		rc = run_command(c, argc, argv);
	if (!r->file && !rc && argc == 1 && !strcmp(argv[0], "help"))
		printf("\nIn the shell: exit, quit or Ctrl-D leaves and closes the session's objects.\n");
	if (r->o.results && rc >= 0) {
		struct json_object *j =
			line_result(n, tag, text, rc, c->out, &c->err);

		c->out = NULL;
		json_print(c, j);
		json_object_put(j);
	}
	free(c->err.msg);
	c->err.msg = NULL;
	if (rc > 0 && r->file) { /* the interactive shell goes on */
		r->first_rc = r->first_rc ?: rc;
		where = line_where(r, n, tag);
		if (r->o.keep_going)
			fprintf(stderr, "iommuctl: %s: failed (exit %d): %s\n",
				where, rc, text);
		else
			fprintf(stderr, "iommuctl: %s: stopped: %s\n", where,
				text);
		free(where);
		r->done |= !r->o.keep_going;
	}
out:
	free(words);
	/* options after the verb (-j, -p) hold for that line only; the
	 * session a line opened stays */
	saved.sess = c->sess;
	*c = saved;
	if ((r->flush_each && fflush(stdout)) || ferror(stdout)) {
		r->write_errno = errno ?: EIO;
		r->done = true;
	}
}

/* Told by the library of a device it releases because the kernel asked for
 * it back: a stderr line, and with --results a document of its own (no tag,
 * no line). */
static void on_release(struct iommuctl_obj *dev, void *arg)
{
	struct runner *r = arg;
	struct iommuctl_obj_info info;
	struct json_object *j;

	if (iommuctl_obj_get_info(dev, &info) < 0)
		return;
	fprintf(stderr,
		"iommuctl: %s: the kernel asked for %s (%s) back (hot-unplug, or its driver being unbound): released from the session\n",
		r->who, iommuctl_obj_label(dev), info.dev_name ?: "?");
	if (!r->o.results)
		return;
	/* the device as 'objects' shows it, with what happened to it */
	j = json_object_new_object();
	jadd_str(j, "event", "device-released");
	jadd(j, "object", obj_to_json(dev, false));
	json_print(r->c, j);
	json_object_put(j);
	if (r->flush_each) /* a peer may be waiting for it, as for a line */
		fflush(stdout);
}

/* What stdio has read ahead of @f and not handed out yet (glibc's FILE);
 * elsewhere "some", so that the batch never waits on input it has already
 * read: requests are then served between lines only. */
static size_t read_ahead(FILE *f)
{
#ifdef __GLIBC__
	return (size_t)(f->_IO_read_end - f->_IO_read_ptr);
#else
	(void)f;
	return 1;
#endif
}

/* Gives back the devices the kernel asked for, now; a failure is reported
 * like a failed line's (the session's explanation, the first exit code). */
static void release_requested(struct runner *r)
{
	int rc = iommuctl_session_release_requested(r->c->sess, on_release, r);

	if (rc < 0) {
		rc = cmd_finish(r->c,
				lib_fail(r->c, rc, r->who,
					 "giving back a device the kernel asked for"));
		r->first_rc = r->first_rc ?: rc;
	}
}

/* Gives back the devices the kernel asked for; while no input is ready,
 * waits for input and for such requests at once, so that a hot-unplug of a
 * device the session holds goes on while the session waits. */
static void serve_requests(struct runner *r, FILE *f)
{
	struct pollfd p[1 + 64];
	int fds[64], n, i;

	/* (each line's answer is out already: run_line() flushed it) */
	while (r->c->sess) {
		release_requested(r);
		if (read_ahead(f))
			return;
		n = iommuctl_session_request_fds(r->c->sess, fds, 64);
		if (n <= 0)
			return;
		p[0] = (struct pollfd){ .fd = fileno(f), .events = POLLIN };
		for (i = 0; i < n && i < 64; i++)
			p[i + 1] = (struct pollfd){ .fd = fds[i],
						    .events = POLLIN };
		if (poll(p, (nfds_t)(i + 1), -1) < 0 && errno != EINTR)
			return;
		if (p[0].revents)
			return;
	}
}

/* Runs every line of @f, then frees the runner; the first failure's code. */
static int run_stream(struct runner *r, FILE *f)
{
	unsigned long n = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len = 0;
	struct stat st;

	r->flush_each = r->o.echo || fstat(fileno(f), &st) ||
			!S_ISREG(st.st_mode);
	while (!r->done) {
		serve_requests(r, f);
		errno = 0;
		len = getline(&line, &cap, f);
		if (len < 0)
			break;
		run_line(r, line, (size_t)len, ++n);
	}
	if (len < 0 && ferror(f)) {
		int code = cmd_finish(r->c,
				      cmd_fail(r->c, EXIT_FAILED, errno ?: EIO,
					       "reading %s", r->file));

		r->first_rc = r->first_rc ?: code;
	}
	free(line);
	json_object_put(r->tags);
	if (fflush(stdout) && !r->write_errno)
		r->write_errno = errno ?: EIO;
	if (r->write_errno)
		errno = r->write_errno; /* for main()'s check of stdout */
	return r->first_rc ? CMD_STATUS(r->first_rc) : 0;
}

/* Both verbs: objects already live across the lines of a batch or shell. */
static int no_nesting(struct cmdctx *c, void *args UNUSED)
{
	if (c->in_session)
		return cmd_usage(
			c,
			"cannot run inside a batch or shell: its commands already share one session");
	return 0;
}

/* ---- batch -------------------------------------------------------------- */

/* clang-format off */
static const struct opt batch_opts[] = {
	OPT_BOOL("keep-going", 'k', struct batch_args, keep_going,
		 "run every line; exit with the first failure's code"),
	OPT_BOOL("echo", 0, struct batch_args, echo,
		 "print each command to stderr as '> LINE' first"),
	OPT_BOOL("results", 0, struct batch_args, results,
		 "one JSON document per line run, with its tag (implies -j)"),
	OPT_END,
};
/* clang-format on */

static int batch_check(struct cmdctx *c, void *args)
{
	if (c->argc < 1)
		return cmd_usage(c, "no FILE given (- for standard input)");
	return no_nesting(c, args);
}

static int batch_run(struct cmdctx *c, void *args)
{
	const struct batch_args *a = args;
	const char *path = c->argv[0];
	struct runner r = { .c = c,
			    .who = "batch",
			    .file = strcmp(path, "-") ? path : "<stdin>",
			    .o = *a };
	FILE *f = stdin;
	int rc;

	if (strcmp(path, "-")) {
		f = fopen(path, "re");
		if (!f)
			return cmd_fail(c, EXIT_FAILED, errno, "%s", path);
	}
	c->in_session = true;
	c->json |= a->results;
	rc = run_stream(&r, f);
	if (f != stdin)
		fclose(f);
	return rc;
}

/* ---- shell -------------------------------------------------------------- */

/* readline, loaded when a shell starts on a terminal (lib/dlib.h); its
 * variables too, used through their pointers (*sym_rl_outstream) */
#define READLINE_SYMS(X) \
	X(add_history) X(append_history) X(clear_history) X(history_base) \
	X(history_get) X(history_length) X(history_truncate_file) \
	X(read_history) X(rl_attempted_completion_function) \
	X(rl_attempted_completion_over) X(rl_basic_word_break_characters) \
	X(rl_callback_handler_install) X(rl_callback_handler_remove) \
	X(rl_callback_read_char) X(rl_callback_sigcleanup) \
	X(rl_catch_signals) X(rl_clear_visible_line) \
	X(rl_completer_quote_characters) X(rl_completion_matches) \
	X(rl_completion_quote_character) X(rl_crlf) X(rl_echo_signal_char) \
	X(rl_forced_update_display) X(rl_free_line_state) X(rl_line_buffer) \
	X(rl_on_new_line) X(rl_outstream) X(rl_readline_name) \
	X(rl_redisplay) X(rl_replace_line) X(rl_variable_value)
DLIB_DEFINE(libreadline, READLINE_SYMS, "libreadline.so.8", "libreadline8");

struct shell {
	struct runner r;
	char *history;
	bool history_warned, got_line;
	char *line; /* from the readline callback; NULL at EOF */
	struct json_object *cand; /* of the completion in progress */
	size_t cand_next;
};

/* For the readline callbacks, which take no argument. */
static struct shell *the_shell;
static volatile sig_atomic_t got_sigint;

static void on_sigint(int sig UNUSED)
{
	got_sigint = 1;
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
	for (s = strchr(dir + 1, '/'); s && !rc; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			rc = -errno;
		*s = '/';
	}
	free(dir);
	return rc;
}

/* $XDG_STATE_HOME/iommuctl/history, by default ~/.local/state/... */
static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	struct passwd *pw;
	char *path = NULL;

	if (state && state[0] == '/')
		return asprintf(&path, "%s/iommuctl/history", state) < 0 ?
			       NULL :
			       path;
	if (!home || home[0] != '/')
		home = (pw = getpwuid(getuid())) ? pw->pw_dir : NULL;
	if (!home ||
	    asprintf(&path, "%s/.local/state/iommuctl/history", home) < 0)
		return NULL;
	return path;
}

static void history_open(struct shell *sh)
{
	const char *what = "cannot find a place for";
	int rc = -ENOENT, fd;

	sh->history = history_path();
	if (sh->history) {
		what = "cannot create the directory of";
		rc = make_parent_dirs(sh->history);
	}
	if (!rc) {
		what = "cannot open";
		fd = open(sh->history,
			  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		rc = fd < 0 ? -errno : close(fd);
	}
	if (rc)
		history_warn(sh, what, -rc);
	else
		sym_read_history(sh->history);
}

static void history_save(struct shell *sh, const char *line)
{
	HIST_ENTRY *last =
		sym_history_get(*sym_history_base + *sym_history_length - 1);
	int rc;

	if (last && !strcmp(last->line, line))
		return;
	sym_add_history(line);
	if (!sh->history || sh->history_warned)
		return;
	rc = sym_append_history(1, sh->history);
	if (rc)
		history_warn(sh, "cannot write", rc);
}

/* A completion candidate: @prefix and @word. */
static void cand_add(struct shell *sh, const char *prefix, const char *word)
{
	char *w = NULL;

	if (asprintf(&w, "%s%s", prefix, word) >= 0)
		json_object_array_add(sh->cand, json_object_new_string(w));
	free(w);
}

static void cand_value(void *arg, const char *word)
{
	cand_add(arg, "", word);
}

/* What the tables say goes at the word @text after @words (@idx of them):
 * devices, groups, units, or the session's objects of the types the verb
 * or option takes (complete_values()). */
static void add_values(struct shell *sh, int idx, char **words,
		       const char *text)
{
	char **w = calloc((size_t)idx + 2, sizeof(*w));

	if (!w)
		return;
	memcpy(w, words, (size_t)idx * sizeof(*w));
	w[idx] = (char *)text;
	complete_values(sh->r.c, idx + 1, w, cand_value, sh);
	free(w);
}

/*
 * Fills sh->cand for the word at index @idx, after @words, from the command
 * table: objects (those that run here: batch and shell do not nest), an
 * object's verbs, a verb's options (the default verb's when no verb was
 * given), else the values that go there (add_values()).
 */
static void find_candidates(struct shell *sh, int idx, char **words,
			    const char *text)
{
	const char **w = NULL, **p;
	const char *prefix = "";

	if (idx == 0 || (idx == 1 && !strcmp(words[0], "help"))) {
		w = complete_words(NULL, NULL);
	} else if (!strcmp(words[0], "help") || !object_find(words[0])) {
		return;
	} else if (text[0] == '-') {
		w = complete_words(words[0], idx > 1 ? words[1] : "");
		prefix = "--";
	} else if (idx == 1) {
		w = complete_words(words[0], NULL);
	} else {
		add_values(sh, idx, words, text);
	}
	for (p = w; p && *p; p++)
		if (idx || (strcmp(*p, "batch") && strcmp(*p, "shell")))
			cand_add(sh, prefix, *p);
	free(w);
	if (!idx) {
		cand_add(sh, "", "exit");
		cand_add(sh, "", "quit");
	}
}

static char *next_candidate(const char *text, int state)
{
	struct shell *sh = the_shell;
	size_t len = strlen(text);

	if (!state)
		sh->cand_next = 0;
	while (sh->cand_next < json_object_array_length(sh->cand)) {
		const char *w = json_object_get_string(
			json_object_array_get_idx(sh->cand, sh->cand_next++));

		if (!strncmp(w, text, len))
			return strdup(w);
	}
	return NULL;
}

static char **complete(const char *text, int start, int end UNUSED)
{
	struct shell *sh = the_shell;
	char **words = NULL, **matches, *prefix;
	const char *err;
	int n = 0;

	*sym_rl_attempted_completion_over = 1; /* never file names */
	prefix = sh ? strndup(*sym_rl_line_buffer, (size_t)start) : NULL;
	if (!prefix)
		return NULL;
	/* in "show 'ab<TAB>", the opening quote is not part of the word */
	if (start > 0 && *sym_rl_completion_quote_character &&
	    prefix[start - 1] == *sym_rl_completion_quote_character)
		prefix[start - 1] = '\0';
	if (split_words(prefix, &n, &words, &err) < 0) {
		free(prefix);
		return NULL;
	}
	free(prefix);
	sh->cand = json_object_new_array();
	find_candidates(sh, n, words, text);
	free(words);
	matches = sym_rl_completion_matches(text, next_candidate);
	json_object_put(sh->cand);
	return matches;
}

static void on_line(char *line)
{
	the_shell->got_line = true;
	the_shell->line = line;
	/* the main loop runs the command, then installs a new prompt */
	sym_rl_callback_handler_remove();
}

/* "iommuctl> ", or with a session "iommuctl[N]> ", N live objects. */
static void install_prompt(struct shell *sh)
{
	struct iommuctl_session *s = sh->r.c->sess;
	char prompt[48] = "iommuctl> ";
	size_t n = 0;

	for (__auto_type o = s ? iommuctl_session_first(s) : NULL; o;
	     o = iommuctl_obj_next(o))
		n++;
	if (s)
		snprintf(prompt, sizeof(prompt), "iommuctl[%zu]> ", n);
	sym_rl_callback_handler_install(prompt, on_line);
}

/* Ctrl-C: drop the line being edited and start over on a new one. */
static void clear_input(void)
{
	sym_rl_echo_signal_char(SIGINT);
	sym_rl_callback_sigcleanup();
	sym_rl_free_line_state();
	sym_rl_replace_line("", 0);
	sym_rl_crlf();
	sym_rl_on_new_line();
	sym_rl_redisplay();
}

/* Reads lines with readline until exit, quit or Ctrl-D; 0, or a negative
 * errno (recorded) when the terminal cannot be read. */
static int interactive(struct shell *sh)
{
	struct sigaction sa = { .sa_handler = on_sigint }, old;
	unsigned long n = 0;
	const char *bp, *note = NULL;
	fd_set fds;
	int req[64], nreq, i, maxfd;
	int rc = 0;

	/* prompts must not mix with the output when that is redirected */
	*sym_rl_outstream = isatty(STDOUT_FILENO) ? stdout : stderr;
	*sym_rl_readline_name = "iommuctl";
	*sym_rl_catch_signals = 0;
	*sym_rl_attempted_completion_function = complete;
	*sym_rl_basic_word_break_characters = " \t\n";
	*sym_rl_completer_quote_characters = "'\"";
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old); /* no SA_RESTART: select() returns */
	history_open(sh);
	/* what this shell can do here, before the first prompt */
	wrap_text(*sym_rl_outstream,
		  "iommuctl shell: commands as after 'iommuctl'; 'help' lists them, Tab completes; exit, quit or Ctrl-D leaves.",
		  0, 0, false);
	fputc('\n', *sym_rl_outstream);
	if (iommuctl_is_offline(sh->r.c->ctx))
		note = "reading a captured tree (--root): iommufd objects need the live system";
	else if (access("/dev/iommu", F_OK) < 0)
		note = "/dev/iommu does not exist: ioas, hwpt, device bind and the other iommufd commands will fail (the kernel lacks CONFIG_IOMMUFD or the iommufd module is not loaded)";
	if (note) {
		fprintf(*sym_rl_outstream, "note: ");
		wrap_text(*sym_rl_outstream, note, 6, 6, false);
		fputc('\n', *sym_rl_outstream);
	}
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
		/* and the devices' request channels (serve_requests()) */
		nreq = sh->r.c->sess ? iommuctl_session_request_fds(
					       sh->r.c->sess, req, 64) :
				       0;
		maxfd = STDIN_FILENO;
		for (i = 0; i < nreq && req[i] < FD_SETSIZE; i++) {
			FD_SET(req[i], &fds);
			maxfd = req[i] > maxfd ? req[i] : maxfd;
		}
		if (select(maxfd + 1, &fds, NULL, NULL, NULL) < 0) {
			if (errno == EINTR)
				continue;
			rc = cmd_fail(sh->r.c, EXIT_FAILED, errno,
				      "reading input");
			break;
		}
		if (!FD_ISSET(STDIN_FILENO, &fds)) {
			sym_rl_clear_visible_line();
			release_requested(&sh->r);
			sym_rl_forced_update_display();
			continue;
		}
		sym_rl_callback_read_char();
		if (!sh->got_line)
			continue;
		sh->got_line = false;
		if (!sh->line) {
			/* Ctrl-D; readline ends the line itself when it
			 * leaves bracketed-paste mode */
			bp = sym_rl_variable_value("enable-bracketed-paste");
			if (!bp || strcmp(bp, "on"))
				fputc('\n', *sym_rl_outstream);
			break;
		}
		if (sh->line[strspn(sh->line, " \t\r\n\v\f")])
			history_save(sh, sh->line);
		run_line(&sh->r, sh->line, strlen(sh->line), ++n);
		free(sh->line);
		sh->line = NULL;
		got_sigint = 0; /* a Ctrl-C while the command ran */
		if (!sh->r.done)
			install_prompt(sh);
	}
	sym_rl_callback_handler_remove();
	sigaction(SIGINT, &old, NULL);
	if (sh->history && !sh->history_warned)
		sym_history_truncate_file(sh->history, 1000);
	sym_clear_history();
	free(sh->history);
	return rc;
}

static int shell_run(struct cmdctx *c, void *args UNUSED)
{
	struct shell sh = { .r = { .c = c, .who = "shell" } };
	bool tty = isatty(STDIN_FILENO);
	int rc;

	c->in_session = true;
	if (tty && dlib_load(&libreadline) < 0) {
		fprintf(stderr,
			"iommuctl: shell: no line editing, completion or history: %s cannot be loaded (%s); install %s\n",
			libreadline.soname, libreadline.why, libreadline.package);
		tty = false;
	}
	if (!tty) {
		sh.r.file = "<stdin>";
		sh.r.o.keep_going = true;
		return run_stream(&sh.r, stdin);
	}
	the_shell = &sh;
	rc = interactive(&sh);
	the_shell = NULL;
	json_object_put(sh.r.tags);
	if (sh.r.write_errno)
		errno = sh.r.write_errno; /* for main()'s check of stdout */
	return rc;
}

/* Both stream: each line prints its own result or error as it runs, and
 * the shell takes over the terminal. */
/* clang-format off */
ONE_VERB_OBJECT(obj_batch, "batch", "run commands from a file in one iommufd session",
	  .name = "run", .summary = "run the commands in a file in one session",
	  .synopsis = "[--keep-going] [--echo] [--results] FILE|-",
	  .description =
		"Run the commands in FILE (- for standard input), one a line, as they\n"
		"would be written after 'iommuctl', in one process: the iommufd objects\n"
		"they create live until the batch ends. Blank lines and '#' comments\n"
		"are skipped; words are split as by a shell, with '...' and \"...\"\n"
		"quoting and backslash escapes, but nothing is expanded. 'exit' or\n"
		"'quit' ends the batch. Options after a line's verb (-j, -p) hold for\n"
		"that line; global options (--root, -v, --color, -j) go before 'batch'.\n"
		"A line may start with a tag, @NAME (letters, digits, '-', '_'), that\n"
		"names it in messages and results; each tag names one line.\n"
		"The batch stops at the first line that fails, naming FILE:LINE on\n"
		"stderr, and exits with that line's code. With -j, standard output is\n"
		"one JSON document per command line run. With --results, it is one\n"
		"{\"line\": N, \"tag\": NAME, \"command\": LINE, \"exit\": CODE, \"result\":\n"
		"JSON or null, \"error\": {\"error\": TEXT, \"errno\": N}} per line run\n"
		"(\"tag\" only with a tag, \"error\" only when the line failed).",
	  .opts = batch_opts, .args_size = sizeof(struct batch_args), .max_args = 1,
	  .flags = VERB_OPERAND_FIRST | VERB_PATH_OPERANDS | VERB_STREAMS,
	  .check = batch_check, .run = batch_run);

ONE_VERB_OBJECT(obj_shell, "shell", "interactive session: objects live until you leave",
	  .name = "run", .summary = "read and run commands until exit, quit or Ctrl-D",
	  .description =
		"Read commands interactively, one a line as they would be written\n"
		"after 'iommuctl', and run them in one process: the iommufd objects\n"
		"they create live until you leave with exit, quit or Ctrl-D. The\n"
		"prompt counts the live objects once a session is open. Tab completes\n"
		"objects, verbs, options and the ids and names of live objects;\n"
		"Ctrl-C clears the line. History is kept in\n"
		"$XDG_STATE_HOME/iommuctl/history (~/.local/state/iommuctl/history).\n"
		"When standard input is not a terminal, or readline is not installed,\n"
		"lines are read from it as by 'batch --keep-going -'.",
	  .flags = VERB_STREAMS, .check = no_nesting, .run = shell_run);
/* clang-format on */
