# `iommuctl -j diff` output turned into the lines of tests/diff-expect.jq.
def none: if . == null then "none" else tostring end;
def set: map(tostring) | sort | join(" ");
def rtype: "\(.type)\(if .merged_types then "(" + (.merged_types | join(",")) + ")" else "" end)";
def rkey: "\(.start) \(.last)";
.changes[] |
if .kind == "kernel-release-changed" then "kernel-release \(.a | none) \(.b | none)"
elif .kind == "kernel-cmdline-changed" then "kernel-cmdline +\(.added | sort | join(",")) -\(.removed | sort | join(","))"
elif .kind == "iommu-removed" then "iommu-removed \(.a.name)"
elif .kind == "iommu-added" then "iommu-added \(.b.name)"
elif .kind == "iommu-renamed" then "iommu-renamed \(.a.name) \(.b.name)"
elif .kind == "iommu-address-changed" then "iommu-address \(.a_unit) \(.a | none) \(.b | none)"
elif .kind == "iommu-register-changed" then "iommu-register \(.a_unit) \(.b_unit) \(.register) \(.a | none) \(.b | none)"
elif .kind == "iommu-field-changed" then "iommu-field \(.a_unit) \(.b_unit) \(.register) \(.field) \(.a) \(.b)"
elif .kind == "group-gone" then "group-a \(.a.members | set)"
elif .kind == "group-new" then "group-b \(.b.members | set)"
elif .kind == "group-split" then "group-a \(.a.members | set)", (.b[] | "group-b \(.members | set)")
elif .kind == "group-merged" then (.a[] | "group-a \(.members | set)"), "group-b \(.b.members | set)"
elif .kind == "group-members-changed" or .kind == "device-moved" then
	"group-a \(.a.members | set)", "group-b \(.b.members | set)"
elif .kind == "group-type-changed" then "group-type \(.a.members | set) \(.a.type | none) \(.b.type | none)"
elif .kind == "device-removed" then "device-removed \(.device)"
elif .kind == "device-added" then "device-added \(.device)"
elif .kind == "device-driver-changed" then "device-driver \(.device) \(.a | none) \(.b | none)"
elif .kind == "device-iommu-changed" then "device-iommu \(.device) \(.a | none) \(.b | none)"
elif .kind == "resv-added" or .kind == "resv-removed" then
	"\(.kind) \(.a_group.members | set) \(.region | rkey) \(.region | rtype)"
elif .kind == "resv-type-changed" then "resv-type \(.a_group.members | set) \(.a | rkey) \(.a | rtype) \(.b | rtype)"
elif .kind == "resv-merged-added" or .kind == "resv-merged-removed" then "\(.kind) \(.region | rkey) \(.region | rtype)"
elif .kind == "resv-merged-type-changed" then "resv-merged-type \(.a | rkey) \(.a | rtype) \(.b | rtype)"
elif .kind == "msi-remapping-changed" then "msi-remapping \(.a) \(.b)"
elif .kind == "msi-window-changed" then "msi-window \(.a_group.members | set) \(.a) \(.b)"
else "unexpected change kind \(.kind)" end
