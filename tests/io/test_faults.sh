#!/usr/bin/env bash
# Fault injection on every write path (issue 10, item 3): an edit (tocm set,
# and tocm rm through the same commit), fmt -w and export -o. Each fault is
# injected with fault_shim.so (LD_PRELOAD: one system call fails, or a
# command runs just before it), or made for real (a read-only file or
# folder, a held lock, a full tmpfs when this machine lets us mount one).
# After each: exit status 2, a message naming the file and the reason, the
# file byte-identical, and no temporary file left in the folder.
#
# usage: test_faults.sh TOCM FAULT_SHIM SOURCE_DIR
set -u
tocm=$1 shim=$2 src=$3
[[ $tocm == /* ]] || tocm=$PWD/$tocm
. "$(dirname "$0")/../lib.sh"
# A tmpfs mounted for the full-disk check goes before lib.sh's clean-up.
trap 'tf_status=$?; umount "$work/full" 2>/dev/null; (exit $tf_status); tl_cleanup' EXIT
# A sanitizer build wants its runtime first; the shim only wraps calls.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

ok() { pass "$1"; }
bad() {
    if [ -s "$work/err" ]; then fail "$1" "err: $(head -5 "$work/err")"; else fail "$1"; fi
}

# A fresh folder d/ holding model.json (not canonical, so fmt -w rewrites
# it) and out.json (an export's earlier output); copies to compare with.
fresh() {
    chmod -R u+w "$work/d" 2>/dev/null
    rm -rf "$work/d" "$work/d2" "$work/orig"
    mkdir -p "$work/d" "$work/orig"
    cp "$src/tests/cli/small.json" "$work/d/model.json"
    printf '{"earlier": "export"}\n' >"$work/d/out.json"
    cp "$work/d/model.json" "$work/d/out.json" "$work/orig/"
    M=$work/d/model.json
}

# The three write paths, each as a command line on $M (or $1 when given).
path_cmd() {
    local m=${2:-$M}
    case $1 in
    set) echo "$tocm set $m P1 title=Changed --lock-timeout 2" ;;
    fmt) echo "$tocm fmt -w $m" ;;
    export) echo "$tocm export $m -T json -o ${m%/*}/out.json" ;;
    esac
}
# The file each path would replace.
target_of() { case $1 in export) echo "${2:-$work/d}/out.json" ;; *) echo "${2:-$work/d}/model.json" ;; esac; }

# expect_intact NAME PATH STATUS TEXT [DIR]: the command failed with status
# 2 and TEXT in its message, the target is byte-identical to the copy and
# DIR (default d/) holds no temporary file.
expect_intact() {
    local name=$1 path=$2 status=$3 text=$4 dir=${5:-$work/d}
    local target base problems=""
    target=$(target_of "$path" "$dir")
    base=${target##*/}
    [ "$status" -eq 2 ] || problems+=" exit $status, wanted 2;"
    grep -qF -- "$text" "$work/err" || problems+=" no '$text' in the message;"
    [ "$(wc -l <"$work/err")" -le 2 ] || problems+=" more than two lines of message;"
    cmp -s "$target" "$work/orig/$base" || problems+=" $base changed;"
    local left
    left=$(find "$dir" -name '.*.tmp*' | head -3)
    [ -z "$left" ] || problems+=" temporary file left: $left;"
    if [ -z "$problems" ]; then ok "$name"; else fail "$name" "$problems" "err: $(head -3 "$work/err")"; fi
}

# inject PATH CALL:N:WHAT TEXT: one injected failure on one write path.
inject() {
    local path=$1 spec=$2 text=$3
    fresh
    TOCM_FAULT=$spec LD_PRELOAD=$shim $(path_cmd "$path") >/dev/null 2>"$work/err"
    expect_intact "$path $spec" "$path" $? "$text"
}

for path in set fmt export; do
    inject $path create:1:EACCES "Permission denied"
    inject $path create:1:ENOSPC "No space left on device"
    inject $path fchmod:1:EPERM "Operation not permitted"
    inject $path write:1:ENOSPC "No space left on device"
    inject $path write:1:EDQUOT "Disk quota exceeded"
    inject $path write:1:EIO "Input/output error"
    inject $path fsync:1:EIO "Input/output error"
    inject $path close:1:EDQUOT "Disk quota exceeded"
    inject $path renameat:1:EXDEV "Invalid cross-device link"
    inject $path renameat:1:EIO "Input/output error"

    # The folder renamed while the new file is written (just before its
    # fsync): nothing is written into the moved folder.
    fresh
    TOCM_FAULT=fsync:1:run TOCM_FAULT_RUN="mv '$work/d' '$work/d2'" LD_PRELOAD=$shim \
        $(path_cmd $path) >/dev/null 2>"$work/err"
    expect_intact "$path folder renamed mid-write" $path $? "replaced or moved" "$work/d2"

    # The file replaced by a symbolic link to another file mid-write: the
    # other file is untouched and the link is left as it is.
    fresh
    target=$(target_of $path)
    printf 'another file\n' >"$work/other"
    cp "$work/other" "$work/other.orig"
    TOCM_FAULT=fsync:1:run TOCM_FAULT_RUN="ln -sfn '$work/other' '$target.new' && mv -T '$target.new' '$target'" \
        LD_PRELOAD=$shim $(path_cmd $path) >/dev/null 2>"$work/err"
    status=$?
    if [ $status -eq 2 ] && grep -qF "replaced or moved" "$work/err" && cmp -s "$work/other" "$work/other.orig" &&
        [ -L "$target" ] && [ -z "$(find "$work/d" -name '.*.tmp*')" ]; then
        ok "$path file swapped for a symlink mid-write"
    else
        bad "$path file swapped for a symlink mid-write (exit $status)"
    fi

    # A read-only file: refused, for root too.
    fresh
    target=$(target_of $path)
    chmod 444 "$target"
    $(path_cmd $path) >/dev/null 2>"$work/err"
    expect_intact "$path read-only file" $path $? "read-only (mode 0444)"

    # A read-only folder.
    fresh
    chmod 555 "$work/d"
    $(path_cmd $path) >/dev/null 2>"$work/err"
    status=$?
    chmod 755 "$work/d"
    expect_intact "$path read-only folder" $path $status "read-only"

    # Root keeps the owner (and group) of a user's file.
    if [ "$(id -u)" = 0 ]; then
        fresh
        target=$(target_of $path)
        chown 1234:5678 "$target"
        chmod 600 "$target"
        $(path_cmd $path) >/dev/null 2>"$work/err"
        status=$?
        if [ $status -eq 0 ] && [ "$(stat -c '%u:%g %a' "$target")" = "1234:5678 600" ]; then
            ok "$path keeps owner, group and mode"
        else
            bad "$path keeps owner, group and mode (exit $status, $(stat -c '%u:%g %a' "$target"))"
        fi
        # ... and refuses when it cannot keep them.
        fresh
        target=$(target_of $path)
        chown 1234:5678 "$target"
        cp "$target" "$work/orig/"
        TOCM_FAULT=fchown:1:EPERM LD_PRELOAD=$shim $(path_cmd $path) >/dev/null 2>"$work/err"
        expect_intact "$path cannot keep the owner" $path $? "cannot keep the owner (uid 1234) and group (gid 5678)"
    fi

    # Through a symbolic link: the target is replaced, the link stays.
    fresh
    target=$(target_of $path)
    mv "$target" "$target.real"
    ln -s "${target##*/}.real" "$target"
    $(path_cmd $path) >/dev/null 2>"$work/err"
    status=$?
    if [ $status -eq 0 ] && [ -L "$target" ] && ! cmp -s "$target.real" "$work/orig/${target##*/}"; then
        ok "$path follows a symbolic link"
    else
        bad "$path follows a symbolic link (exit $status)"
    fi
done

# A writer killed after creating its temporary file leaves it; the next
# write of the same file sweeps it once nobody holds it (10 s old).
fresh
TOCM_FAULT=fsync:1:run TOCM_FAULT_RUN='kill -9 $PPID' LD_PRELOAD=$shim \
    $(path_cmd set) >/dev/null 2>"$work/err"
left=$(find "$work/d" -name '.model.json.tmp*')
if [ -n "$left" ] && cmp -s "$M" "$work/orig/model.json"; then
    ok "killed writer leaves the model intact"
else
    bad "killed writer leaves the model intact (left: '$left')"
fi
touch -d '1 minute ago' $left
$(path_cmd set) >/dev/null 2>"$work/err"
status=$?
left=$(find "$work/d" -name '.model.json.tmp*')
if [ $status -eq 0 ] && [ -z "$left" ]; then
    ok "the next write sweeps the orphan"
else
    bad "the next write sweeps the orphan (exit $status, left: '$left')"
fi

# The lock held for ever by another program: the edit gives up after its
# --lock-timeout with the file untouched.
fresh
# The lock is held by this shell itself (no process to leave behind).
exec 9<"$M"
flock 9
"$tocm" set "$M" P1 title=Changed --lock-timeout 0.3 >/dev/null 2>"$work/err"
expect_intact "set lock held for ever" set $? "is being edited by another program"
# fmt -w too; the message's advice (--lock-timeout) is one fmt takes
# (issue 10, defect 17).
"$tocm" fmt -w "$M" --lock-timeout 0.3 >/dev/null 2>"$work/err"
expect_intact "fmt -w lock held for ever" fmt $? "wait longer with --lock-timeout SECONDS"
exec 9<&-
"$tocm" fmt --help >"$work/out" 2>&1
if grep -qF -- "--lock-timeout S" "$work/out"; then ok "fmt --help lists --lock-timeout"; else bad "fmt --help lists --lock-timeout"; fi
"$tocm" fmt -w "$M" --lock-timeout inf >/dev/null 2>"$work/err"
expect_intact "fmt -w --lock-timeout inf is a usage error" fmt $? "--lock-timeout needs a number of seconds"

# A really full file system, where this machine lets us mount a small one.
mkdir -p "$work/full"
if mount -t tmpfs -o size=64k tmpfs "$work/full" 2>/dev/null; then
    for path in set fmt export; do
        fresh
        cp "$work/d/model.json" "$work/d/out.json" "$work/full/"
        cat /dev/zero >"$work/full/filler" 2>/dev/null # until it is full
        $(path_cmd $path "$work/full/model.json") >/dev/null 2>"$work/err"
        status=$?
        expect_intact "$path on a full tmpfs" $path $status "No space left on device" "$work/full"
        rm -f "$work/full"/* "$work/full"/.??*
    done
    umount "$work/full"
else
    echo "skip full tmpfs: cannot mount one here"
fi

finish
