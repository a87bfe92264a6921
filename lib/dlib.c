// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* Libraries loaded when first needed: see dlib.h. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "dlib.h"

static pthread_mutex_t dlib_lock = PTHREAD_MUTEX_INITIALIZER;

static int load_locked(struct dlib *l)
{
	const struct dlib_sym *s;
	void *h;

	h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(l->why, sizeof(l->why), "%s", dlerror());
		return -ENOPKG;
	}
	for (s = l->syms; s->name; s++) {
		*s->slot = dlsym(h, s->name);
		if (!*s->slot) {
			snprintf(l->why, sizeof(l->why), "%s: no symbol %s",
				 l->soname, s->name);
			dlclose(h);
			for (s = l->syms; s->name; s++)
				*s->slot = NULL;
			return -ENOPKG;
		}
	}
	/* kept for the life of the process */
	return 1;
}

int dlib_load(struct dlib *l)
{
	int rc;

	pthread_mutex_lock(&dlib_lock);
	if (!l->rc)
		l->rc = load_locked(l);
	rc = l->rc;
	pthread_mutex_unlock(&dlib_lock);
	return rc < 0 ? rc : 0;
}
