#!/usr/bin/env bash
# Short, bounded fuzzing of every target (CI calls this; docs/fuzzing.md explains it).
#
#   fuzz/smoke.sh                 # every target, 20 s each
#   FUZZ_SECONDS=300 fuzz/smoke.sh presentation verify   # chosen targets, longer
#
# Installs cargo-fuzz if missing, seeds each target's corpus from fuzz/seeds/<target>/ (the
# corpus directories themselves are git-ignored), replays fuzz/regressions/<target>/ (inputs
# that once crashed must stay fixed), then fuzzes each target in one process, one target at a
# time (the machine has two cores shared with builds). Exits non-zero if any target crashes;
# the crashing input is left in fuzz/artifacts/<target>/.
set -euo pipefail

cd "$(dirname "$0")"
SECONDS_EACH="${FUZZ_SECONDS:-20}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "smoke: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

# cargo-fuzz needs nightly's -Z flags. Use the nightly toolchain when the machine has one;
# otherwise let the stable compiler accept them (RUSTC_BOOTSTRAP=1), since no other toolchain
# can be downloaded on these machines. FUZZ_TOOLCHAIN=name forces a toolchain.
if [ -n "${FUZZ_TOOLCHAIN:-}" ]; then
    fuzz() { cargo "+$FUZZ_TOOLCHAIN" fuzz "$@"; }
elif cargo +nightly --version >/dev/null 2>&1; then
    fuzz() { cargo +nightly fuzz "$@"; }
else
    echo "smoke: no nightly toolchain, using stable with RUSTC_BOOTSTRAP=1" >&2
    fuzz() { RUSTC_BOOTSTRAP=1 cargo fuzz "$@"; }
fi

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(fuzz list)
fi

# One build for every target (a single `cargo fuzz build` shares the dependency graph).
fuzz build

failed=()
for target in "${targets[@]}"; do
    corpus="corpus/$target"
    mkdir -p "$corpus" "artifacts/$target"
    if [ -d "seeds/$target" ]; then
        cp -n "seeds/$target"/* "$corpus"/ 2>/dev/null || true
    fi
    if [ -d "regressions/$target" ] && [ -n "$(ls -A "regressions/$target")" ]; then
        echo "=== $target: replaying regressions"
        if ! fuzz run "$target" "regressions/$target" -- -runs=0; then
            failed+=("$target (regression)")
            continue
        fi
    fi
    echo "=== $target: ${SECONDS_EACH}s"
    # No -jobs/-workers: libFuzzer's default is one process on one core, with its output
    # here instead of in fuzz-N.log files.
    if ! fuzz run "$target" "$corpus" -- \
        -max_total_time="$SECONDS_EACH" -print_final_stats=1; then
        failed+=("$target")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "smoke: crashes in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "smoke: ${#targets[@]} targets, ${SECONDS_EACH}s each, no crash"
