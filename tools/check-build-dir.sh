#!/bin/sh
# check-build-dir.sh BUILD
#
# Prints one line saying what to do when a folder of BUILD cannot be
# written in by the user running make (nothing when all is well).  The
# usual cause is a make run once with sudo: everything it made belongs to
# root, and every later make fails deep in a recipe with "Permission
# denied".  The Makefile runs this before anything else and stops with
# the line.
set -u
build=${1:?usage: tools/check-build-dir.sh BUILD}
[ -d "$build" ] || exit 0
dir=$(find "$build" -type d ! -writable -print -quit 2>/dev/null)
[ -n "$dir" ] || exit 0
me=$(id -un)
owner=$(stat -c %U "$dir")
if [ "$owner" != "$me" ]; then
    echo "$dir belongs to $owner, and $me cannot write in it (was make run with sudo?):" \
         "sudo chown -R $me $build, or sudo rm -rf $build"
else
    echo "$dir cannot be written in (its permissions, or a read-only disk): chmod -R u+w $build"
fi
