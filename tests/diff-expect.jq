# The changes `iommuctl diff A B` must report, one normalised line each, computed from
# the -j answers of status, iommu list, group list, device list, resv and msi recorded on
# each side ($sa/$sb, $ua/$ub, $ga/$gb, $da/$db, $ra/$rb, $ma/$mb): used by tests/run
# (snapshot tier, the fixtures' live/) and tests/vm/scenarios/report.host-all (bundles).
def arr: if type == "array" then . else [] end;
def none: if . == null then "none" else tostring end;
def set: map(tostring) | sort | join(" ");
def rtype: "\(.type)\(if .merged_types then "(" + (.merged_types | join(",")) + ")" else "" end)";
def rkey: "\(.start) \(.last)";
# msi's interrupt_remapping: a boolean, left out when unknown
def irname: if . == null then "unknown" elif . then "enabled" else "disabled" end;
def msikind: map(.kind) | unique | if . == [] then "none" else join("+") end;
def regions($x; $y; $what; $pre):
	($x | map({key: rkey, value: .}) | from_entries) as $xm |
	($y | map({key: rkey, value: .}) | from_entries) as $ym |
	($x[] | select($ym[rkey] == null) | "\($what)-removed\($pre) \(rkey) \(rtype)"),
	($y[] | select($xm[rkey] == null) | "\($what)-added\($pre) \(rkey) \(rtype)"),
	($x[] | select($ym[rkey] != null and ($ym[rkey] | rtype) != rtype) |
		"\($what)-type\($pre) \(rkey) \(rtype) \($ym[rkey] | rtype)");
def fields($a; $b; $reg; $r; $f):
	if $a[$r] != $b[$r] then
		"iommu-register \($a.name) \($b.name) \($reg) \($a[$r] | none) \($b[$r] | none)",
		(if $a[$r] != null and $b[$r] != null and $a[$f] != null then
			($a[$f] | keys[]) as $k | select($a[$f][$k] != $b[$f][$k]) |
			"iommu-field \($a.name) \($b.name) \($reg) \($k) \($a[$f][$k]) \($b[$f][$k])"
		else empty end)
	else empty end;
def unitregs($a; $b):
	if $a.intel_vtd or $b.intel_vtd then
		({name: $a.name} + ($a.intel_vtd // {})) as $x | ({name: $b.name} + ($b.intel_vtd // {})) as $y |
		fields($x; $y; "cap"; "cap"; "cap_fields"), fields($x; $y; "ecap"; "ecap"; "ecap_fields")
	else empty end,
	if $a.amd_vi or $b.amd_vi then
		({name: $a.name} + ($a.amd_vi // {})) as $x | ({name: $b.name} + ($b.amd_vi // {})) as $y |
		fields($x; $y; "cap"; "cap"; "x"), fields($x; $y; "efr"; "efr"; "efr_fields"),
		fields($x; $y; "efr2"; "efr2"; "efr2_fields")
	else empty end;
($sa[0]) as $sa | ($sb[0]) as $sb |
($ua[0] | arr) as $ua | ($ub[0] | arr) as $ub |
# units: by register base (same kind), then by name and kind
([$ua[] as $a | ($ub | map(select($a.address != null and .kind == $a.kind and .address == $a.address)) | first) |
	select(. != null) | {a: $a, b: .}]) as $p1 |
([$ua[] | select(.name as $n | $p1 | any(.a.name == $n) | not)] as $resta |
 [$ub[] | select(.name as $n | $p1 | any(.b.name == $n) | not)] as $restb |
 [$resta[] as $a | ($restb | map(select(.name == $a.name and .kind == $a.kind)) | first) |
	select(. != null) | {a: $a, b: .}]) as $p2 |
($p1 + $p2) as $pairs |
($pairs | map({key: .a.name, value: .b.name}) | from_entries) as $ren |
($ga[0] | arr | map({key: ([.devices[].name] | set), value: .}) | from_entries) as $gsa |
($gb[0] | arr | map({key: ([.devices[].name] | set), value: .}) | from_entries) as $gsb |
($da[0] | arr | map({key: .name, value: .}) | from_entries) as $dsa |
($db[0] | arr | map({key: .name, value: .}) | from_entries) as $dsb |
($ra[0] | .groups? // [] | map({key: (.device_names | set), value: .}) | from_entries) as $rsa |
($rb[0] | .groups? // [] | map({key: (.device_names | set), value: .}) | from_entries) as $rsb |
(if ($sa.kernel) != ($sb.kernel) then "kernel-release \($sa.kernel | none) \($sb.kernel | none)" else empty end),
(($sa.cmdline | unique) as $x | ($sb.cmdline | unique) as $y |
	if $x != $y then "kernel-cmdline +\($y - $x | join(",")) -\($x - $y | join(","))" else empty end),
($ua[] | select(.name as $n | $pairs | any(.a.name == $n) | not) | "iommu-removed \(.name)"),
($ub[] | select(.name as $n | $pairs | any(.b.name == $n) | not) | "iommu-added \(.name)"),
($pairs[] | select(.a.name != .b.name) | "iommu-renamed \(.a.name) \(.b.name)"),
($pairs[] | select(.a.address != .b.address) | "iommu-address \(.a.name) \(.a.address | none) \(.b.address | none)"),
($pairs[] | unitregs(.a; .b)),
($gsa | keys[] | select($gsb[.] == null) | "group-a \(.)"),
($gsb | keys[] | select($gsa[.] == null) | "group-b \(.)"),
($gsa | keys[] | select($gsb[.] != null and $gsa[.].type != $gsb[.].type) |
	"group-type \(.) \($gsa[.].type | none) \($gsb[.].type | none)"),
($dsa | keys[] | select($dsb[.] == null) | "device-removed \(.)"),
($dsb | keys[] | select($dsa[.] == null) | "device-added \(.)"),
($dsa | keys[] | select($dsb[.] != null) | . as $n |
	(if $dsa[$n].driver != $dsb[$n].driver then "device-driver \($n) \($dsa[$n].driver | none) \($dsb[$n].driver | none)" else empty end),
	(if ($ren[$dsa[$n].iommu // ""] // $dsa[$n].iommu) != $dsb[$n].iommu then
		"device-iommu \($n) \($dsa[$n].iommu | none) \($dsb[$n].iommu | none)" else empty end)),
($rsa | keys[] | select($rsb[.] != null) | . as $k |
	regions($rsa[$k].reserved_regions // []; $rsb[$k].reserved_regions // []; "resv"; " \($k)")),
regions($ra[0].merged? // []; $rb[0].merged? // []; "resv-merged"; ""),
(if ($ma[0] | type) == "object" and ($ma[0] | has("windows")) and
	($mb[0] | type) == "object" and ($mb[0] | has("windows")) and
	($ma[0].interrupt_remapping | irname) != ($mb[0].interrupt_remapping | irname) then
	"msi-remapping \($ma[0].interrupt_remapping | irname) \($mb[0].interrupt_remapping | irname)" else empty end),
(if ($ma[0].windows? // null) != null and ($mb[0].windows? // null) != null then
	($gsa | keys[] | select($gsb[.] != null) | . as $k |
		($ma[0].windows | map(select((.device_names | set) == $k)) | msikind) as $x |
		($mb[0].windows | map(select((.device_names | set) == $k)) | msikind) as $y |
		select($x != $y) | "msi-window \($k) \($x) \($y)")
else empty end)
