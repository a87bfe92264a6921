// SPDX-License-Identifier: LGPL-2.1-or-later
/* placeholder: being written */
typedef int iommuctl_placeholder_pgtable_lib;
