// SPDX-License-Identifier: GPL-2.0-or-later
/* placeholder: being written */
typedef int iommuctl_placeholder_debugfs_cmd;
