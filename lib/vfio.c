// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* Binding devices to vfio-pci: plan, journal, apply, restore. */
#include "private.h"
