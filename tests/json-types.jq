# Reads the -j answers of iommuctl's read commands (jq -n, files as inputs)
# and prints each key name that has more than one type across them, with its
# types and the files: nothing when every key has one type. Maps whose keys
# are names, not keys of the interface, are not looked into as keys
# (*_fields: register fields; default_domains, parameters). null is a
# value of any type; an empty array goes with any array.
def tn: if type == "array" then "array of " + (map(type) | unique | join("|")) else type end;
def keytypes($parent):
	if type == "object" then
		to_entries[] as $e |
		(if ($parent | test("_fields$")) or ($parent == "default_domains") or ($parent == "parameters")
		 then empty else {k: $e.key, t: ($e.value | tn)} end),
		($e.value | keytypes($e.key))
	elif type == "array" then .[] | keytypes($parent)
	else empty end;
[inputs as $doc | input_filename as $f | $doc | keytypes("") | . + {f: $f}] |
group_by(.k)[] |
(map(select(.t != "null" and .t != "array of ")) | group_by(.t)) as $by |
select(($by | length) > 1) |
"\(.[0].k): " + ($by | map("\(.[0].t) (\(map(.f | sub(".*/"; "")) | unique | .[0:3] | join(", ")))") | join("; "))
