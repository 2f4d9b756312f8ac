#!/usr/bin/env bash
# Proves that a change moved code without changing behaviour: builds BASE (a git revision, default
# HEAD) in a scratch worktree, runs the same commands with BASE's CLI and with the working tree's
# CLI, and compares what they wrote byte for byte (summary.json with its timings removed).
#
# The commands: every example sweep (sweeps/*.yaml) and bench spec (bench/*.yaml) as a full run
# with 2 workers (outputs and the terminal summary), every shipped config through `inspect` (text and --json, with a KV context),
# `presets` and a set of `calc` questions.
#
# Usage: bash scripts/compare-outputs.sh [BASE] [--skip-m100]
# Exit 0 when everything is identical, 1 when anything differs (each difference is listed).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$(pwd)"
BASE=HEAD
SKIP_M100=0
for arg in "$@"; do
  case "$arg" in
    --skip-m100) SKIP_M100=1 ;;
    -*) echo "compare-outputs: unknown option $arg" >&2; exit 2 ;;
    *) BASE="$arg" ;;
  esac
done

WORK="$REPO/.tmp/compare"
rm -rf "$WORK"
mkdir -p "$WORK"
git worktree remove --force "$WORK/base-tree" 2>/dev/null || true
git worktree prune
git worktree add --detach --quiet "$WORK/base-tree" "$BASE"
trap 'git -C "$REPO" worktree remove --force "$WORK/base-tree" 2>/dev/null || true' EXIT
ln -s "$REPO/node_modules" "$WORK/base-tree/node_modules"

echo "building $BASE ($(git rev-parse --short "$BASE")) and the working tree"
# each tree as its own package.json builds it (`npm run build`), whatever steps that revision has
build_tree() {
  npm run --silent build
}
(cd "$WORK/base-tree" && build_tree)
build_tree

specs=(sweeps/*.yaml bench/m1.yaml bench/m10.yaml)
[[ $SKIP_M100 == 1 ]] || specs+=(bench/m100.yaml)

commands=(
  "presets"
  "presets --json"
  "calc --experts 8 --top-k 2 --expert-params 5.6B --shared 1.6B"
  "calc --experts 8 --top-k 2 --expert-params 5.6B --shared 1.6B --dtype fp8 --overhead 0.2 --json"
  "calc --preset mixtral-8x7b"
  "calc --preset deepseek-v3 --json"
  "calc --preset deepseek-v3 --dtype fp8 --json"
  "calc --preset deepseek-v3 --context 128K --batch 8 --gpu H100-SXM-80GB --count 8"
  "calc --preset deepseek-v3 --context 128K --batch 8 --gpu H100-SXM-80GB --count 8 --json"
  "calc --preset gpt-oss-120b --expert-dtype mxfp4 --context 32K --gpu H100-SXM-80GB"
  "calc --preset qwen3-235b-a22b --context 32K --batch 16 --kv-dtype fp8 --gpu H200 --count 4 --tp 2 --json"
  "calc --config presets/configs/kimi-k2.json --context 8K --batch 64 --kv-dtype fp8"
  "calc --preset nope"
  "calc --experts 8"
)
for config in presets/configs/*.json; do
  commands+=("inspect $config" "inspect $config --json" "inspect $config --context 128K --batch 4 --kv-dtype fp8")
done

# run SIDE CLI: every spec and command with one CLI; outputs under $WORK/SIDE
run_side() {
  local side=$1 cli=$2 out="$WORK/$1"
  mkdir -p "$out"
  for spec in "${specs[@]}"; do
    local name
    name="$(basename "$spec" .yaml)"
    # both sides write to the same folder, so the terminal summary (which names it) can be compared
    rm -rf "$WORK/run"
    node "$cli" "$spec" --out "$WORK/run/$name" --workers 2 >"$out/$name.stdout" 2>"$out/$name.stderr" \
      && echo 0 >"$out/$name.rc" || echo $? >"$out/$name.rc"
    [[ -d "$WORK/run/$name" ]] && mv "$WORK/run/$name" "$out/$name"
    if [[ -f "$out/$name/summary.json" ]]; then
      node -e '
        const fs = require("node:fs");
        const s = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
        delete s.timings;
        fs.writeFileSync(process.argv[1] + ".untimed", JSON.stringify(s, null, 2));
      ' "$out/$name/summary.json"
      rm "$out/$name/summary.json"
    fi
  done
  local i=0
  for cmd in "${commands[@]}"; do
    i=$((i + 1))
    # shellcheck disable=SC2086  # the command is split into words on purpose
    node "$cli" $cmd >"$out/cmd-$i.stdout" 2>"$out/cmd-$i.stderr" && echo 0 >"$out/cmd-$i.rc" || echo $? >"$out/cmd-$i.rc"
  done
  echo "$side: ${#specs[@]} specs and ${#commands[@]} commands"
}

# the bin moved from dist/cli.js to dist/cli/bin.js; take whichever the revision has
bin_of() { if [[ -f "$1/dist/cli/bin.js" ]]; then echo "$1/dist/cli/bin.js"; else echo "$1/dist/cli.js"; fi; }
run_side base "$(bin_of "$WORK/base-tree")"
run_side head "$(bin_of "$REPO")"

files=$(cd "$WORK/base" && find . -type f | sort)
[[ "$files" == "$(cd "$WORK/head" && find . -type f | sort)" ]] || {
  echo "DIFFERENT: the two runs wrote different sets of files"
  diff <(cd "$WORK/base" && find . -type f | sort) <(cd "$WORK/head" && find . -type f | sort) || true
  exit 1
}
same=0 differ=0 bytes=0
while IFS= read -r f; do
  if cmp -s "$WORK/base/$f" "$WORK/head/$f"; then
    same=$((same + 1))
    bytes=$((bytes + $(stat -c %s "$WORK/base/$f")))
  else
    differ=$((differ + 1))
    echo "DIFFERENT: $f"
  fi
done <<<"$files"
i=0
for cmd in "${commands[@]}"; do i=$((i + 1)); echo "cmd-$i: moe-sweep $cmd"; done >"$WORK/commands.txt"
echo "compared $((same + differ)) files ($(numfmt --to=iec "$bytes") identical): $same identical, $differ different"
echo "(commands numbered in $WORK/commands.txt)"
[[ $differ == 0 ]]
