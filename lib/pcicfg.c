// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * PCI configuration space: the facts that decide isolation and assignment.
 * The bytes come from sysfs "config" (or a captured copy) and are untrusted:
 * every pointer is bounds-checked and capability lists are walked with a
 * step limit, so a loop or a wild pointer ends the walk instead of us.
 */
#include <errno.h>
#include <string.h>

#include "private.h"

#define CFG_HEADER_TYPE 0x0e
#define CFG_STATUS 0x06
#define CFG_STATUS_CAP_LIST 0x10
#define CFG_CAP_PTR 0x34
#define CFG_CAP_PTR_CARDBUS 0x14
#define CAP_ID_PCIE 0x10
#define CAP_ID_MSI 0x05
#define CAP_ID_MSIX 0x11
#define CAP_ID_PM 0x01
#define EXT_CAP_ID_ACS 0x0d
#define EXT_CAP_ID_ARI 0x0e
#define EXT_CAP_ID_ATS 0x0f
#define EXT_CAP_ID_SRIOV 0x10
#define EXT_CAP_ID_PRI 0x13
#define EXT_CAP_ID_PASID 0x1b

static unsigned int rd8(const uint8_t *b, size_t len, size_t off)
{
	return off < len ? b[off] : 0;
}

static unsigned int rd16(const uint8_t *b, size_t len, size_t off)
{
	return off + 1 < len ? (unsigned int)b[off] | (unsigned int)b[off + 1] << 8 : 0;
}

static uint32_t rd32(const uint8_t *b, size_t len, size_t off)
{
	return off + 3 < len ? (uint32_t)rd16(b, len, off) |
				       (uint32_t)rd16(b, len, off + 2) << 16 :
			       0;
}

/* Capabilities whose presence sets a flag of struct iommuctl_pcicfg */
struct cap_flag {
	unsigned int id;
	size_t flag; /* offsetof the bool */
};

#define FLAG(member) offsetof(struct iommuctl_pcicfg, member)
#define NCAPS(t) (sizeof(t) / sizeof((t)[0]))

static const struct cap_flag std_caps[] = {
	{ .id = CAP_ID_MSI, .flag = FLAG(msi) },
	{ .id = CAP_ID_MSIX, .flag = FLAG(msix) },
	{ .id = CAP_ID_PM, .flag = FLAG(pm) },
};

static const struct cap_flag ext_caps[] = {
	{ .id = EXT_CAP_ID_ACS, .flag = FLAG(acs) },
	{ .id = EXT_CAP_ID_ARI, .flag = FLAG(ari) },
	{ .id = EXT_CAP_ID_ATS, .flag = FLAG(ats) },
	{ .id = EXT_CAP_ID_PRI, .flag = FLAG(pri) },
	{ .id = EXT_CAP_ID_PASID, .flag = FLAG(pasid) },
	{ .id = EXT_CAP_ID_SRIOV, .flag = FLAG(sriov) },
};

static void set_cap(struct iommuctl_pcicfg *c, const struct cap_flag *t,
		    size_t n, unsigned int id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].id == id)
			*(bool *)((char *)c + t[i].flag) = true;
}

static int iommuctl_pcicfg_parse_impl(const uint8_t *b, size_t len,
				      struct iommuctl_pcicfg *c)
{
	unsigned int pos, steps, hdr;

	if (!b || !c)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->pcie_type = -1;
	c->config_size = len;
	if (len < 64)
		return -ENODATA;
	if (rd16(b, len, 0) == 0xffff)
		return -ENODEV; /* device gone or config reads fail */
	hdr = rd8(b, len, CFG_HEADER_TYPE);
	c->header_type = hdr & 0x7f;
	c->multifunction = !!(hdr & 0x80);
	/* Beyond 64 bytes sysfs shows only to root: capabilities unknown. */
	c->caps_known = len >= 256;
	if (!c->caps_known)
		return 0;

	if (rd16(b, len, CFG_STATUS) & CFG_STATUS_CAP_LIST) {
		pos = rd8(b, len, c->header_type == 2 ? CFG_CAP_PTR_CARDBUS : CFG_CAP_PTR);
		for (steps = 0; pos >= 0x40 && pos < 256 && steps < 48; steps++) {
			unsigned int id;

			pos &= ~3u;
			id = rd8(b, len, pos);
			if (id == 0xff)
				break;
			set_cap(c, std_caps, NCAPS(std_caps), id);
			if (id == CAP_ID_PCIE) {
				c->pcie_pos = (uint16_t)pos;
				c->pcie_type = (int)((rd16(b, len, pos + 2) >> 4) & 0xf);
				c->pcie_flags = (uint16_t)rd16(b, len, pos + 2);
			}
			pos = rd8(b, len, pos + 1);
		}
	}

	/* Extended capabilities: only PCIe devices, only in 4 KiB config. */
	c->ext_caps_known = c->pcie_type >= 0 && len >= 4096;
	if (!c->ext_caps_known)
		return 0;
	pos = 0x100;
	for (steps = 0; pos >= 0x100 && pos + 4 <= len && steps < 512; steps++) {
		uint32_t hdr32 = rd32(b, len, pos);
		unsigned int id = hdr32 & 0xffff;

		if (hdr32 == 0 || hdr32 == 0xffffffff)
			break;
		set_cap(c, ext_caps, NCAPS(ext_caps), id);
		if (id == EXT_CAP_ID_ACS) {
			c->acs_pos = (uint16_t)pos;
			c->acs_cap = (uint16_t)rd16(b, len, pos + 4);
			c->acs_ctrl = (uint16_t)rd16(b, len, pos + 6);
		} else if (id == EXT_CAP_ID_PASID) {
			c->pasid_cap = (uint16_t)rd16(b, len, pos + 4);
		}
		pos = (hdr32 >> 20) & 0xffc;
	}
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_pcicfg_parse_sz(const uint8_t *b, size_t len,
					     struct iommuctl_pcicfg *c,
					     size_t size)
{
	int rc = sz_out(c, size, sizeof(*c));

	return rc < 0 ? rc : iommuctl_pcicfg_parse_impl(b, len, c);
}

IOMMUCTL_EXPORT const char *iommuctl_pcie_type_name(int type)
{
	return names_get(NAMES_PCIE_TYPE, type);
}

/*
 * The kernel's pci_acs_flags_enabled(): capabilities the device does not
 * implement count as hard-wired on, except egress control.
 */
static bool acs_flags_enabled(const struct iommuctl_pcicfg *c, unsigned int flags)
{
	if (!c->acs)
		return false;
	flags &= (unsigned int)c->acs_cap | IOMMUCTL_ACS_EC;
	return (c->acs_ctrl & flags) == flags;
}

/* The kernel's pci_acs_enabled() for the flags IOMMU grouping requires,
 * without device-specific quirks (those are what "group list --check"
 * exists to expose). */
IOMMUCTL_EXPORT enum iommuctl_acs_verdict
iommuctl_pcicfg_acs_isolated(const struct iommuctl_pcicfg *c)
{
	const unsigned int req = IOMMUCTL_ACS_REQUIRED;

	if (!c->caps_known)
		return IOMMUCTL_ACS_UNKNOWN;
	if (c->pcie_type < 0)
		return IOMMUCTL_ACS_NOT_PCIE;
	switch (c->pcie_type) {
	case IOMMUCTL_PCIE_PCIE_BRIDGE:
	case IOMMUCTL_PCIE_PCI_BRIDGE:
	case IOMMUCTL_PCIE_RC_EC:
		return IOMMUCTL_ACS_NEVER;
	case IOMMUCTL_PCIE_ENDPOINT:
	case IOMMUCTL_PCIE_UPSTREAM:
	case IOMMUCTL_PCIE_LEGACY_ENDPOINT:
	case IOMMUCTL_PCIE_RC_ENDPOINT:
		/* only a multifunction one needs ACS, as a port does */
		if (!c->multifunction)
			return IOMMUCTL_ACS_NOT_REQUIRED;
		__attribute__((fallthrough));
	case IOMMUCTL_PCIE_DOWNSTREAM:
	case IOMMUCTL_PCIE_ROOT_PORT:
		if (!c->ext_caps_known)
			return IOMMUCTL_ACS_UNKNOWN;
		if (!c->acs)
			return IOMMUCTL_ACS_MISSING;
		return acs_flags_enabled(c, req) ? IOMMUCTL_ACS_ENABLED :
						   IOMMUCTL_ACS_DISABLED;
	}
	return IOMMUCTL_ACS_NOT_REQUIRED;
}

IOMMUCTL_EXPORT bool iommuctl_acs_verdict_isolates(enum iommuctl_acs_verdict v)
{
	return v == IOMMUCTL_ACS_ENABLED || v == IOMMUCTL_ACS_NOT_REQUIRED ||
	       v == IOMMUCTL_ACS_QUIRK;
}

IOMMUCTL_EXPORT const char *iommuctl_acs_verdict_name(enum iommuctl_acs_verdict v)
{
	return names_get(NAMES_ACS_VERDICT, v);
}
