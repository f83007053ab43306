#!/usr/bin/env bash
# Runs the README's "Running each role for real" section as a new user would copy it, and
# checks that every command behaves as the README shows. A copied command that breaks fails
# CI (.ci/run calls this script).
#
# How the README is read:
#   * only the fenced ```sh and ```console blocks between the section's heading and the next
#     "## " heading;
#   * in a ```sh block every non-comment line is a command; in a ```console block, lines
#     starting with "$ " are commands and the lines after one are its output, as shown;
#   * all commands run in one shell, in order, so `export` and `cd` carry over.
#
# What is changed, and only this: HOME is a fresh temporary directory (so `~` and the
# wallet's and venue's default directories are throw-away; CARGO_HOME and RUSTUP_HOME are
# kept), and the ports 8080–8089 become free ports (each its own). The first block runs from
# the repository root.
#
# How output is compared: every output line the README shows must appear in the command's
# real output (stdout and stderr together), in the same order; other lines may come between
# (warnings, a build notice). In a shown line, "…" stands for any text, and the parts that
# differ on every run are generalised: runs of 8+ hex digits (key ids, fingerprints), RFC 3339
# times, Greenlight codes (GLT1:…, GLV1:…, GLP1:…) and the temporary directory. A command
# whose shown output starts with "REJECT" or "error:" must exit 1; every other command, 0.
#
# Each `greenlight-server serve` runs in the background until the script ends; its shown
# output is checked once it prints "listening on".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readme="$root/README.md"
section="## Running each role for real"

work="$(mktemp -d)"
server_pids=()
cleanup() {
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export HOME="$work/home"
mkdir -p "$HOME"
unset XDG_DATA_HOME XDG_CONFIG_HOME GREENLIGHT_WALLET GREENLIGHT_VENUE GREENLIGHT_DATA_DIR GREENLIGHT_SERVER || true
export LANG=C.UTF-8 LC_ALL=C.UTF-8 NO_COLOR=1
# Ten distinct free ports, for 8080–8089 in the README (all sockets held open together, so
# the kernel hands out ten different ones).
read -r -a ports <<< "$(perl -MIO::Socket::INET -e 'my @s = map { IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1:0") } 1..10; print join(" ", map { $_->sockport } @s)')"

# --- extract: one record per command, "CMD\t<command>" then "OUT\t<line>" … ----------------
steps="$work/steps"
awk -v section="$section" '
  $0 == section { inside = 1; next }
  inside && /^## / { inside = 0 }
  !inside { next }
  /^```(sh|console)$/ { block = substr($0, 4); next }
  /^```/ && block != "" { block = ""; next }
  block == "sh" && $0 !~ /^[[:space:]]*(#|$)/ { print "CMD\t" $0; next }
  block == "console" && /^\$ / { print "CMD\t" substr($0, 3); next }
  block == "console" { print "OUT\t" $0 }
' "$readme" > "$steps"
if ! grep -q "^CMD" "$steps"; then
  echo "readme: no commands found under \"$section\" in README.md" >&2
  exit 1
fi

# map_ports TEXT: 8080–8089 → their free ports, in one pass (a free port put in for one of
# them, e.g. 38083, is never rewritten again by another).
map_ports() {
  PORTS="${ports[*]}" perl -e 'my @p = split / /, $ENV{PORTS}; my $t = $ARGV[0]; $t =~ s/808(\d)/$p[$1]/g; print $t' -- "$1"
}

# --- compare ---------------------------------------------------------------------------------
# check_output EXPECTED_FILE ACTUAL_FILE: the shown lines are an in-order subsequence.
check_output() {
  perl -e '
    use strict; use warnings;
    my ($expected, $actual, $work) = @ARGV;
    open my $e, "<:encoding(UTF-8)", $expected or die; my @want = grep { /\S/ } map { chomp; $_ } <$e>;
    open my $a, "<:encoding(UTF-8)", $actual or die; my @have = map { chomp; s/\e\[[0-9;]*[A-Za-z]//g; $_ } <$a>;
    my $i = 0;
    binmode STDERR, ":encoding(UTF-8)";
    for my $w (@want) {
      # A code runs to the end of its line (base45 has spaces): any code of that kind.
      my ($before, $code) = $w =~ /^(.*?)(GL[A-Z]1:.*)?$/;
      # "…" (U+2026) stands for any text; the rest is literal.
      my $re = join(".*", map { quotemeta } split(/\x{2026}/, $before, -1));
      $re .= "GL" . substr($code, 2, 1) . "1:\\S.*" if defined $code;
      $re =~ s/[0-9a-f]{8,}/[0-9a-f]+/g;                             # key ids, fingerprints
      $re =~ s/\d{4}\\-\d\d\\-\d\dT\d\d\\:\d\d\\:\d\dZ/\\S+/g;         # RFC 3339 times
      my $found = 0;
      while ($i < @have) {
        my $line = $have[$i++];
        $line =~ s/\Q$work\E/\x{2026}/g;
        if ($line =~ /^$re$/) { $found = 1; last }
      }
      if (!$found) {
        print STDERR "readme: expected a line like\n    $w\n  in the output:\n";
        print STDERR map { "    $_\n" } @have;
        exit 1;
      }
    }
  ' "$1" "$2" "$work"
}

# --- run -------------------------------------------------------------------------------------
cd "$root"
n=0
cmd=""
expected="$work/expected"
run_pending() {
  [ -n "$cmd" ] || return 0
  n=$((n + 1))
  local actual="$work/out.$n" rc=0 want_rc=0
  echo "readme: \$ $cmd"
  if grep -qE '^(REJECT|error:)' <(grep . "$expected" | head -n 1); then want_rc=1; fi
  if [[ "$cmd" == greenlight-server\ serve* ]]; then
    # `exec`: the background job *is* the server, so the pid killed at the end is its own.
    (eval "exec $cmd") > "$actual" 2>&1 < /dev/null &
    server_pid=$!
    server_pids+=("$server_pid")
    for _ in $(seq 1 600); do
      grep -q "^listening on" "$actual" && break
      if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "readme: the server exited before listening:" >&2; cat "$actual" >&2; exit 1
      fi
      sleep 0.1
    done
    grep -q "^listening on" "$actual" || { echo "readme: the server did not start in 60 s" >&2; cat "$actual" >&2; exit 1; }
  else
    eval "$cmd" > "$actual" 2>&1 < /dev/null || rc=$?
    if [ "$rc" != "$want_rc" ]; then
      echo "readme: exit code $rc, expected $want_rc, from: $cmd" >&2
      sed 's/^/    /' "$actual" >&2
      exit 1
    fi
  fi
  check_output "$expected" "$actual"
  cmd=""
}

while IFS=$'\t' read -r kind text; do
  case "$kind" in
    CMD)
      run_pending
      cmd="$(map_ports "$text")"
      : > "$expected"
      ;;
    OUT)
      printf '%s\n' "$(map_ports "$text")" >> "$expected"
      ;;
  esac
done < "$steps"
run_pending
echo "readme: all $n commands behaved as the README shows"
