/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
#ifndef IOMMUCTL_PRIVATE_H
#define IOMMUCTL_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>
#include <sys/types.h>

#include <iommuctl/libiommuctl.h>

#define IOMMUCTL_EXPORT __attribute__((visibility("default")))

/* Upper bounds for reads of untrusted files; exceeding one is an error
 * (-EFBIG), never a silent truncation. */
#define SYSFS_ATTR_MAX (64 * 1024)
#define SYSFS_FILE_MAX (16 * 1024 * 1024)

/* strv.c: growable NULL-terminated string vectors */
struct strv {
	char **v;
	size_t n;
	size_t cap;
};

/* lines.c: bounded line reader over an fd or memory */
struct lines {
	int fd; /* -1: memory */
	const char *mem;
	size_t memlen, mempos;
	char *buf;
	size_t cap, start, end;
	size_t max_line;
	uint64_t lineno; /* lines returned so far */
	uint64_t bytes;	 /* bytes read so far */
	bool eof;
	int err;
};
void lines_init_fd(struct lines *l, int fd, size_t max_line);
void lines_init_mem(struct lines *l, const char *p, size_t n, size_t max_line);
/* 1: *line is the next line, NUL-terminated, without its newline (or \r\n),
 * *len its length (it may contain NUL bytes: check strlen() == *len);
 * 0: end of input; -E2BIG: a line longer than max_line; -errno: read error.
 * The line stays valid until the next call. */
int lines_next(struct lines *l, char **line, size_t *len);
void lines_free(struct lines *l);

/* names.c: the spellings of enum values (JSON keys' values: an interface) */
enum names_set {
	NAMES_ACS_VERDICT,
	NAMES_DEBUGFS_STATE,
	NAMES_DIFF_GROUP_KIND,
	NAMES_IOMMU_KIND,
	NAMES_IOMMU_DRIVER, /* enum iommuctl_iommu_kind: its driver's name */
	NAMES_IRQ_REMAP,
	NAMES_KVM_MODE,
	NAMES_MEM_KIND,
	NAMES_OBJ_TYPE,
	NAMES_PCIE_TYPE,
	NAMES_RESET_KIND,
	NAMES_RESV_TYPE,
	NAMES_SEVERITY,
	NAMES_SMMUV3_FEATURE, /* bits of the arm-smmu-v3 driver's word */
	NAMES_USE_KIND,
	NAMES_VERDICT,
	NAMES_VFIO_ACTION,
	NAMES_VTD_TTYPE,
	NAMES_WHY,
	NAMES_DOORBELL,
	NAMES_VSTE_CONFIG,
	NAMES_EVENT_TYPE,
	NAMES_FAULT_IOMMU,
	NAMES_FAULT_ACCESS,
	NAMES_PGTABLE_STATE,
	NAMES_PGTABLE_DIFF,
	NAMES_NR,
};
/* The name of @value in @set, or NULL. */
const char *names_lookup(enum names_set set, int value);
/* The same, or the set's fallback ("unknown" mostly) for a value without. */
const char *names_get(enum names_set set, int value);
/* The value named by the @len bytes at @s; false if none is. */
bool names_find(enum names_set set, const char *s, size_t len, int *value);

struct iommuctl_iommu {
	struct iommuctl_ctx *ctx;
	struct iommuctl_iommu *next;
	char *name;
	char *driver;
	enum iommuctl_iommu_kind kind;
	unsigned int num_devices;
	struct strv devices;
	char *version;	  /* "1.0" (VT-d) */
	int has_address;
	uint64_t address; /* register base */
	int has_vtd;
	uint64_t cap, ecap;
	long long domains_supported, domains_used;
	int has_amd;
	uint32_t amd_cap;
	char *amd_features;
	char *parent_dev; /* the device the unit belongs to, if any */
};

struct iommuctl_group {
	struct iommuctl_ctx *ctx;
	struct iommuctl_group *next;
	unsigned int id;
	char *type;
	int type_done;
	struct strv devnames; /* the names in its devices/ directory */
	unsigned int num_devices;
	int resv_done, resv_err;
	struct iommuctl_resv_region *resv;
	size_t nresv;
	struct iommuctl_device **members; /* in device order */
	size_t nmembers;
};

struct iommuctl_device {
	struct iommuctl_ctx *ctx;
	struct iommuctl_device *next;
	struct iommuctl_device *parent;
	char *name;
	char *subsystem;
	char *syspath; /* resolved path of the device directory in the root */
	char *parent_name;
	char *driver;
	char *driver_override;
	char *vfio_cdev;
	char *iommu;
	char *reset_method;
	int group;
	int numa_node;
	bool is_pci;
	unsigned int vendor, device, subvendor, subdevice, class_code;
	struct iommuctl_pcicfg cfg;
	int cfg_err;
	bool cfg_full;	/* cfg holds all of config space, not the header */
	bool lazy_done; /* numa_node, reset_method read */
	int names_done;
	/* grouping analysis (explain.c) */
	int why;
	struct iommuctl_device *why_via, *why_culprit;
	int why_acs;
	struct iommuctl_device *uf_parent;
	unsigned long order;	   /* in the replayed probe sequence */
	unsigned long addr_order;  /* in address order */
	bool placed;
	size_t pred_count; /* on a leader: devices in its predicted group */
	size_t group_idx;  /* index in its group's members */
	size_t idx;	   /* index in ctx->devarr */
	uint64_t key;	   /* PCI: pci_addr_key() of the name, the sort order */
	char *vendor_name, *device_name, *class_name;
	char *mdev_type; /* a mediated device's type (its mdev_type link) */
};

struct pci_access;
struct pciids;

struct iommuctl_ctx {
	int refcount;
	iommuctl_log_fn log_fn;
	int log_priority;
	void *userdata;
	char *root;
	int rootfd;
	int offline;
	int iommus_init;
	struct iommuctl_iommu *iommus;
	int groups_init;
	int groups_err;
	struct iommuctl_group *groups;
	int devices_init;
	struct iommuctl_device *devices;
	struct iommuctl_device **devarr; /* sorted, for lookups */
	size_t ndev;
	struct iommuctl_group **grouparr; /* by id, for lookups */
	size_t ngroups;
	struct pci_access *pacc; /* libpci, for a compressed list (pciids.c) */
	struct pciids *pciids; /* pciids.c: the name list, searched in place */
	const char *pciids_path; /* not libpci's list (tests) */
	int libpci_said;
	int kernel_done;
	char *kernel;
	int explain_done;
	int explain_uncertain;
	/* said once: config space cut to the header (not root) */
	int cfg_short_said;
	bool full_config; /* read every device's whole config space */
	char *rundir; /* journal and lock of vfio.c; NULL: IOMMUCTL_RUN_DIR */
	/* the one error slot (ctx.c): why the last call failed, and the object
	 * whose call set it (a session, vfio or pgtable; the context itself for
	 * debugfs readers), for the per-object getters */
	char *err_msg;
	const void *err_owner;
	char *bundle_tmp; /* tar.c: where a bundle root was unpacked, or NULL */
};


/* session.c: iommufd sessions */
struct ic_mem {
	int refs;
	void *va;     /* mmap()ed memory, or NULL for file mappings */
	size_t len;
	int fd;	      /* memfd or file, -1 */
};

struct ic_map {
	struct iommuctl_mapping m;
	struct ic_mem *mem;
	char *path;
};

/*
 * What differs between the types of session objects. Each type's operations
 * live with the code that makes its objects (ioas.c, hwpt.c, devobj.c),
 * which hands them to ses_obj_new(); session.c only calls through them.
 */
struct obj_ops {
	enum iommuctl_obj_type type;
	/* the word of its label ("hwpt 3 (name)"); NULL: no id in the label,
	 * only the type name and the name ("access (a)") */
	const char *word;
	/* does @x, of this type, hold a reference on @o? NULL: never */
	bool (*holds)(const struct iommuctl_obj *x,
		      const struct iommuctl_obj *o);
	/* the IOAS whose mappings the object translates (obj_info.ioas);
	 * NULL: its own ioas field */
	struct iommuctl_obj *(*ioas_of)(const struct iommuctl_obj *o);
	/* iommuctl_obj_destroy() once nothing holds @o: 0 to go on with
	 * IOMMU_DESTROY of its id, 1 when done (@o freed), -errno. NULL: 0 */
	int (*destroy)(struct iommuctl_obj *o);
	/* frees what only this type owns; NULL: nothing */
	void (*release)(struct iommuctl_obj *o);
};
extern const struct obj_ops ioas_ops, hwpt_paging_ops, hwpt_nested_ops,
	device_ops, access_ops, fault_ops, viommu_ops, vdevice_ops, veventq_ops,
	hw_queue_ops;
bool obj_holds_parent(const struct iommuctl_obj *x,
		      const struct iommuctl_obj *o);

struct iommuctl_obj {
	struct iommuctl_session *s;
	struct iommuctl_obj *next, *prev;
	const struct obj_ops *ops;
	enum iommuctl_obj_type type; /* ops->type */
	uint32_t id;
	char *name;
	char *label;
	struct iommuctl_obj *ioas, *parent, *device, *fault, *attached;
	/* PASID attachments of a VFIO device */
	struct ic_pasid_att {
		uint32_t pasid;
		struct iommuctl_obj *hwpt;
	} *patt;
	size_t npatt;
	int fd;
	/* VFIO device: the eventfd the kernel signals to ask for the device
	 * back (its device request interrupt), -1 if none */
	int req_fd;
	uint32_t flags;
	uint32_t kind;
	bool auto_hwpt;
	bool mock;
	uint32_t selftest_id;
	char *dev_name;
	uint64_t virt_id;
	uint32_t depth, index;
	uint64_t iova, length;
	/* arm-smmuv3 nested hwpt: the guest STE it was allocated with */
	uint64_t ste[2];
	bool have_ste;
	/* IOAS */
	struct ic_map *maps; /* sorted by IOVA */
	size_t nmaps, capmaps;
	struct iommuctl_mapping *mview; /* what iommuctl_ioas_mappings() hands out */
	struct iommuctl_iova_range *allowed;
	size_t nallowed;
	/* IOAS: ranges reserved through the selftest (ADD_RESERVED) */
	struct iommuctl_iova_range *reserved;
	size_t nreserved;
	/* access: its pins the kernel still holds, in the order made */
	struct iommuctl_access_pin *pins;
	size_t npins, cappins;
};
/* @ioas lost [iova, last] (an unmap): drop the pins its accesses had there,
 * as the kernel's unmap callback of the selftest access does */
void ses_access_unmapped(struct iommuctl_obj *ioas, uint64_t iova,
			 uint64_t last);

struct iommuctl_session {
	struct iommuctl_ctx *ctx;
	int fd;
	struct iommuctl_obj *first, *last;
	unsigned char cmd_state[0x40]; /* nr - 0x80: 0 unknown, 1 present, 2 absent */
	int selftest; /* -1 unknown */
	unsigned int naccess;
};

int ses_ioctl(struct iommuctl_session *s, unsigned int nr, void *arg);
void ses_why(struct iommuctl_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ses_clear(struct iommuctl_session *s);
struct iommuctl_obj *ses_obj_new(struct iommuctl_session *s,
				 const struct obj_ops *ops, uint32_t id);
/* ses_obj_new() for the kernel object @id just made, whose file is @fd (or
 * -1); without memory, NULL, and the object is destroyed (@fd closed). */
struct iommuctl_obj *ses_obj_made(struct iommuctl_session *s,
				  const struct obj_ops *ops, uint32_t id,
				  int fd);
/* IOMMU_DESTROY of @id: 0 or -errno */
int ses_destroy_id(struct iommuctl_session *s, uint32_t id);
void ses_obj_free(struct iommuctl_obj *o);
int ses_check(struct iommuctl_session *s, struct iommuctl_obj *o,
	      enum iommuctl_obj_type type, const char *what);
int ses_enter(struct iommuctl_obj *o, enum iommuctl_obj_type type,
	      const char *what);
int ses_check_pt(struct iommuctl_obj *o, const char *what);
int ses_need(struct iommuctl_session *s, unsigned int nr, const char *name,
	     const char *since);
int ses_need_selftest(struct iommuctl_session *s, const char *what);
int ses_test_cmd(struct iommuctl_session *s, void *cmd);
void ses_detached(struct iommuctl_obj *old_hwpt);
struct iommuctl_obj *ses_hwpt_for_attach(struct iommuctl_session *s,
					 struct iommuctl_obj *pt,
					 uint32_t hwpt_id);
char *ses_users_text(struct iommuctl_obj *o);
void ses_explain_attach(struct iommuctl_obj *dev, struct iommuctl_obj *pt,
			int rc);
void ses_mem_put(struct ic_mem *m);

/* sha256.c: SHA-256 (FIPS 180-4) */
struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed */
	uint8_t buf[64];
	size_t nbuf;
};
void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* The digest of everything hashed; @s must be initialised again to reuse. */
void sha256_final(struct sha256 *s, uint8_t out[32]);
/* Lowercase hex, NUL-terminated. */
void sha256_hex(const uint8_t in[32], char out[65]);
/* Copies what fits of the *@len bytes at *@p into @buf (holding *@nbuf of
 * @cap bytes) and moves *@p, *@len and *@nbuf on: true when @buf is full.
 * (sha256.c; bundle.c's output buffer too) */
bool buf_fill(uint8_t *buf, size_t *nbuf, size_t cap, const uint8_t **p,
	      size_t *len);

/* tar.c: reading bundles. @path is a regular file: when it is a bundle (a
 * tar, or a gzip-compressed tar), it is unpacked into a new private
 * directory under $TMPDIR; 0 with *@tmpdir that directory (remove it with
 * bundle_remove_tree()) and *@rootfd an O_PATH fd of the root inside it.
 * -ENOTDIR when @path is not a bundle, other -errno on failure (logged,
 * naming @path and the member); nothing is left behind then. */
int bundle_open_root(struct iommuctl_ctx *ctx, const char *path, char **tmpdir,
		     int *rootfd);
/* Removes @dir and everything below it, never following a symlink. */
int bundle_remove_tree(struct iommuctl_ctx *ctx, const char *dir);

/* ctx.c: the context's error slot. A call that can explain a failure clears
 * the slot when it starts (ctx_error_set(ctx, NULL, NULL)) and sets it with
 * its object as @owner; the per-object getters (iommuctl_session_error() ...)
 * read it only while that object is the owner. */
void ctx_error_set(struct iommuctl_ctx *ctx, const void *owner, char *msg);
void ctx_error_vfmt(struct iommuctl_ctx *ctx, const void *owner,
		    const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
void ctx_error_fmt(struct iommuctl_ctx *ctx, const void *owner,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *ctx_error_of(struct iommuctl_ctx *ctx, const void *owner);
/* Takes the message out of the slot (for a call that must not disturb it),
 * and puts it back; an object going away gives its message up */
char *ctx_error_take(struct iommuctl_ctx *ctx, const void **owner);
void ctx_error_disown(struct iommuctl_ctx *ctx, const void *owner);

/* sizes.c: extensible structs (see <iommuctl/libiommuctl.h>). The _sz entry
 * points check the caller's @size against ours (@ksize) before doing
 * anything: sz_out() for a struct the library fills (smaller: -EINVAL;
 * larger: the caller's extra tail is zeroed), sz_fill() for one it fills
 * from scratch (sz_out(), then -EINVAL for NULL, and ours zeroed), sz_in()
 * for one it reads (smaller: -EINVAL; larger: -E2BIG unless the tail is
 * zero; NULL passes),
 * sz_array_out() copies @n elements of ours into an array of the caller's
 * stride, zeroing each tail. */
int sz_out(void *p, size_t size, size_t ksize);
int sz_fill(void *p, size_t size, size_t ksize);
int sz_in(const void *p, size_t size, size_t ksize);
void sz_array_out(void *dst, size_t size, const void *src, size_t ksize,
		  size_t n);

/* log.c: the default callback (stderr) and the one behind dbg() ... */
void log_stderr(struct iommuctl_ctx *ctx, int priority, const char *file,
		int line, const char *fn, const char *format, va_list args);
void iommuctl_log(struct iommuctl_ctx *ctx, int priority, const char *file,
		  int line, const char *fn, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

#define ic_log_cond(ctx, prio, ...)                                            \
	do {                                                                   \
		if ((ctx) && iommuctl_get_log_priority(ctx) >= (prio))         \
			iommuctl_log(ctx, prio, __FILE__, __LINE__, __func__,  \
				     __VA_ARGS__);                             \
	} while (0)
#define dbg(ctx, ...) ic_log_cond(ctx, LOG_DEBUG, __VA_ARGS__)
#define info(ctx, ...) ic_log_cond(ctx, LOG_INFO, __VA_ARGS__)
#define notice(ctx, ...) ic_log_cond(ctx, LOG_NOTICE, __VA_ARGS__)
#define err(ctx, ...) ic_log_cond(ctx, LOG_ERR, __VA_ARGS__)

/* iommu.c, group.c: cached object lists */
void iommu_list_free(struct iommuctl_ctx *ctx);
void group_list_free(struct iommuctl_ctx *ctx);
void device_list_free(struct iommuctl_ctx *ctx);

/* Room for element @n in an array of @size-byte elements (*@arrp, @cap
 * allocated), which doubles as it grows; 0 or -ENOMEM (the array kept). */
int array_grow(void *arrp, size_t *cap, size_t n, size_t size);
int strv_push(struct strv *s, const char *str);
int strv_push_take(struct strv *s, char *str);
void strv_free(struct strv *s);
void strv_sort(struct strv *s, int (*cmp)(const char *, const char *));
int strv_contains(const struct strv *s, const char *str);
bool strv_has_sorted(const struct strv *s, const char *str,
		     int (*cmp)(const char *, const char *));
/* *dst becomes a copy of @src (NULL: NULL), the old string freed; -ENOMEM
 * leaves *dst as it was */
int str_set(char **dst, const char *src);
/* "@old; <the formatted text>", or that text alone when @old is NULL: newly
 * allocated, NULL when out of memory */
char *str_vjoin(const char *old, const char *fmt, va_list ap);
/* Natural order: digit runs compare as numbers ("dmar2" < "dmar10"). */
int natural_cmp(const char *a, const char *b);
/* strv.c: PCI addresses in bus order, then other names naturally */
int pci_name_cmp(const char *a, const char *b);
int pci_addr_key(const char *s, uint64_t *key);
/* diff.c: -1, 0 or 1 as (@a1, @b1) sorts before, with or after (@a2, @b2) */
int key2_cmp(size_t a1, size_t b1, size_t a2, size_t b2);
/* 0 to 15 for a hex digit, else -1 (regs.c) */
int hex_digit(char c);

/* sysfs.c: every path below is absolute and resolved inside ctx->root */
int root_openat(int rootfd, const char *path, int flags);
int read_fd_bounded(int fd, size_t max, bool short_is_eof, char **out,
		    size_t *outlen);
void device_cfg_full(struct iommuctl_device *d);
char *pciids_lookup(struct iommuctl_ctx *ctx, unsigned int vendor, int device);
char *pciids_lookup_class(struct iommuctl_ctx *ctx, unsigned int cls);
const char *pciids_name(struct iommuctl_ctx *ctx, unsigned int vendor,
			int device, int *err);
const char *pciids_class_name(struct iommuctl_ctx *ctx, unsigned int cls,
			      int *err);
void pciids_free(struct iommuctl_ctx *ctx);
int sysfs_open(struct iommuctl_ctx *ctx, const char *path, int flags);
/* A directory whose attributes are read by name (one path walk for the
 * directory, one component for each name); names stay beneath it. */
struct sysfs_dir {
	const char *path; /* for messages */
	int fd;		  /* O_PATH, or < 0: not opened */
};
int sysfs_dir_open(struct iommuctl_ctx *ctx, struct sysfs_dir *dir,
		   const char *path);
/* ... or one not opened: its attributes are then opened by their whole
 * path, one walk each (cheaper in system calls for one or two) */
void sysfs_dir_path(struct sysfs_dir *dir, const char *path);
void sysfs_dir_close(struct sysfs_dir *dir);
/* The *_at() calls: relative to @dir, or the plain call when @dir is NULL */
int sysfs_open_at(struct iommuctl_ctx *ctx, const struct sysfs_dir *dir,
		  const char *path, int flags);
int sysfs_read_str_at(struct iommuctl_ctx *ctx, const struct sysfs_dir *dir,
		      const char *path, char **out);
int sysfs_link_basename_at(struct iommuctl_ctx *ctx,
			   const struct sysfs_dir *dir, const char *path,
			   char **out);
int sysfs_exists_at(struct iommuctl_ctx *ctx, const struct sysfs_dir *dir,
		    const char *path);
int sysfs_read(struct iommuctl_ctx *ctx, const char *path, size_t max,
	       char **buf, size_t *len);
int sysfs_read_str(struct iommuctl_ctx *ctx, const char *path, char **out);
int sysfs_readlink(struct iommuctl_ctx *ctx, const char *path, char **out);
/* The text of each /dev/kmsg record ("PRI,SEQ,USEC,FLAGS;text"), at most
 * @max, until drained or @line returns nonzero; 0 or -errno opening it. */
int kmsg_each(struct iommuctl_ctx *ctx, unsigned int max,
	      int (*line)(char *text, void *arg), void *arg);
int sysfs_link_basename(struct iommuctl_ctx *ctx, const char *path,
			char **out);
int sysfs_list(struct iommuctl_ctx *ctx, const char *path, struct strv *out);
/* ... in the directory's order, for callers that look names up */
int sysfs_list_unsorted(struct iommuctl_ctx *ctx, const char *path,
			struct strv *out);
int sysfs_exists(struct iommuctl_ctx *ctx, const char *path);
int sysfs_is_dir(struct iommuctl_ctx *ctx, const char *path);
int sysfs_access(struct iommuctl_ctx *ctx, const char *path, int mode);
char *path_join(const char *a, const char *b);
char *path_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* usage.c: parsers of the kernel's text formats behind
 * iommuctl_device_get_uses(), pure so they can be unit tested */
struct usage_mount {
	dev_t dev;	  /* field 3 of mountinfo, the superblock's device */
	char *mountpoint; /* unescaped */
	char *source;	  /* unescaped, the field after the filesystem type */
};
/* Is @name one of the components of @path ("a/0000:00:05.0/b")? */
bool usage_path_below(const char *path, const char *name);
/* The last full PCI address ("0000:01:00.0") among the components of @path
 * from @bdf on: the function a class device belongs to. -ENOENT when @bdf
 * is not a component. */
int usage_path_function(const char *path, const char *bdf, char **out);
/* Undo the kernel's mangle(): "\040" is a space; other text is copied. */
int usage_unescape(const char *s, size_t len, char **out);
/* "MAJ:MIN" (a sysfs dev attribute, mountinfo field 3) */
int usage_parse_devnum(const char *s, dev_t *out);
/* One line of /proc/PID/mountinfo: 0, -EINVAL if malformed, -ENOMEM */
int usage_parse_mountinfo_line(const char *line, struct usage_mount *m);
void usage_mount_clear(struct usage_mount *m);
/* One line of /proc/swaps: 1 and the unescaped path for an entry, 0 for the
 * header or anything else, -ENOMEM */
int usage_parse_swaps_line(const char *line, char **path);
/* One line of /proc/net/route (usage_route4_line) or /proc/net/ipv6_route
 * (usage_route6_line): 1 and the interface when it is a default route that
 * is up, 0 otherwise, -ENOMEM */
int usage_route4_line(const char *line, char **ifname);
int usage_route6_line(const char *line, char **ifname);
/* /sys/class/tty/console/active: "ttyS0 tty0\n" */
int usage_parse_console_active(const char *text, struct strv *out);
/* Prefix length of a netmask of @len bytes; -1 if its ones are not leading */
int usage_mask_prefix(const void *mask, size_t len);

/* vfio.c: one journal entry, the state of a device before iommuctl
 * changed it; "sriov-BDF" and "mdev-UUID" entries (@kind "sriov", "mdev")
 * record a PF's VF count and an mdev iommuctl made */
struct vfio_jentry {
	char *driver;	/* NULL: no driver */
	char *override; /* NULL: none */
	bool set_override;
	long pid;
	long long time;
	char *state;
	char *kind;   /* NULL (a driver binding), "sriov" or "mdev" */
	long numvfs;  /* sriov: sriov_numvfs before */
	int autoprobe; /* sriov: sriov_drivers_autoprobe before, -1 unknown */
	char *parent; /* mdev: its parent device */
	char *type;   /* mdev: its type */
};
/* Parses the text of one entry; -EINVAL when the device key is missing,
 * a line has no '=' or a value holds unprintable bytes. */
int vfio_journal_parse(const char *text, size_t len, struct vfio_jentry *e);

/* pgtable.c: the comparison behind iommuctl_pgtable_verify(), pure so unit
 * tests can run it on a saved dump with hand-made expectations */
/* The physical address the IOAS pinned for byte @offset of mapping @idx of
 * the array given to pgtable_compare() (@m is that mapping): 1 and *@phys,
 * 0 when not known (the page is then not compared), -errno to stop. */
typedef int (*pgtable_phys_fn)(void *arg, size_t idx,
			       const struct iommuctl_mapping *m,
			       uint64_t offset, uint64_t *phys);
struct pgtable_cmp_stats {
	uint64_t bytes;	       /* IOVA bytes the mappings cover */
	uint64_t leaves;       /* leaves read from the table */
	uint64_t differences;  /* diffs reported */
	uint64_t phys_known;   /* pages whose physical address was compared */
	uint64_t phys_unknown; /* pages @phys did not know */
};
/* Walks @maps (sorted by IOVA, not overlapping: else -EINVAL) and the
 * leaves @pt has still to give together in IOVA order, 4 KiB at a time
 * only where physical addresses are compared (@phys NULL: not compared);
 * calls @cb per difference, consecutive pages of one kind merged (PHYS only
 * while both physical addresses follow the IOVA). Return: 0; @cb's
 * nonzero return; the reader's -errno (iommuctl_pgtable_error()); -errno
 * of @phys. */
int pgtable_compare(struct iommuctl_pgtable *pt,
		    const struct iommuctl_mapping *maps, size_t nmaps,
		    pgtable_phys_fn phys, void *phys_arg,
		    int (*cb)(const struct iommuctl_pgtable_diff *d, void *arg),
		    void *arg, struct pgtable_cmp_stats *st);

/* report.c: bounded, deadline-limited reads of one file in a worker thread */
struct report_reader;
int report_read(struct iommuctl_ctx *ctx, struct report_reader **rd,
		const char *path, size_t max, unsigned int ms, char **buf,
		size_t *len);
void report_reader_release(struct report_reader *rd);

#endif /* IOMMUCTL_PRIVATE_H */
