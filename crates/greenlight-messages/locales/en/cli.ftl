# The `greenlight` command-line tool. Ids are the `Msg` variants of client/src/i18n.rs in
# kebab case. Keep ACCEPT, REJECT and the code prefixes (GLT1:, GLV1:, GLP1: …) ASCII in every
# language: scripts and door-side displays match on them.

error-line = error: { $detail }
io = could not read or write { $path }: { $detail }
no-such-file = no such file: { $path }
is-a-directory = { $path } is a folder, not a file
no-such-folder = cannot write { $path }: the folder { $dir } does not exist
not-a-folder = cannot write { $path }: { $dir } is a file, not a folder
several-codes = the input holds { $count } different Greenlight codes; pass just one
io-not-found = no such file or directory
io-permission-denied = permission denied
io-already-exists = it already exists
io-not-a-directory = a part of the path is a file, not a folder
io-is-a-directory = it is a folder, not a file
io-disk-full = the disk is full
io-read-only = the file system is read-only
io-other = system error: { $detail }
corrupt = { $path } is damaged ({ $detail }); restore it from a backup or remove it
no-venue = no venue is set up in { $dir }: run `greenlight venue init` first
venue-exists = a venue is already set up in { $dir }; refusing to overwrite it (its visitors' codes are bound to its id)
bad-root-hex = --root must be the root key's fingerprint (32 hexadecimal characters) or the key itself (64 hexadecimal characters, a 32-byte Ed25519 public key)
bad-server-url = { $url } is not a server address (expected http://… or https://…)
bad-profile = "{ $name }" is not a usable profile name (1 to 32 characters, no spaces or control characters)
input-too-large = the input is too large (more than { $max } bytes) to be a Greenlight code
not-text = the input is neither text nor a PNG image
no-qr-code = no readable QR code was found in the image
image-unreadable = the image could not be read ({ $detail })
qr-write-failed = could not create the QR code image ({ $detail })
not-a-ticket = this is not an issuance ticket (a ticket is text starting with GLT1:)
ticket-is-other-kind = this is { $kind }, not an issuance ticket
not-a-venue-code = this is not a venue code (a venue code is text starting with GLV1:)
venue-code-is-other-kind = this is { $kind }, not a venue code
bad-venue-code = the venue code is damaged or invalid ({ $detail })
non-standard-window = window "{ $given }" is not allowed: choose one of 6h, 12h, 24h, 48h, 72h, 7d (168h)
bad-venue-name = the venue name is not usable ({ $detail }); use 1 to 64 bytes of text without control characters
not-any-code = not a Greenlight code
damaged-code = the { $kind } is damaged: { $detail }
code-cut-short = the { $kind } looks cut short — was it quoted with double quotes in a shell (they swallow every "$…" in it)? Use single quotes, or give - instead and paste it, or pass the file
code-garbled = it has characters, or a length, that no code has — was it changed while copying? In a shell, put it in single quotes; or pass the file
code-too-long = it is longer than any code of this kind
code-newer-version = it was made by a newer version of Greenlight (format { $version }); update this tool
code-invalid = a field breaks the format ({ $detail })
text-empty = it is empty
text-too-long = it is too long
text-not-utf8 = it is not valid UTF-8 text
text-control-character = it contains a control character
text-invisible-character = it contains an invisible character (such as a zero-width space)
server-unreachable = cannot reach the server at { $url } (connection refused or no network)
server-not-https = the server at { $url } does not speak https — try http:// (for a server on this machine) or check the address
server-tls-certificate = the server at { $url } has an https certificate this computer does not trust (self-signed, expired or for another name); check the address
server-timeout = the server at { $url } did not answer in time; try again later
server-bad-response = the server sent an answer this tool does not understand ({ $detail })
srv-other = the server answered with an error (HTTP { $status }, { $code })
root-mismatch = the server's root key (fingerprint { $offered }) is not the pinned one ({ $pinned }); refusing — this may be an impostor server
key-list-invalid = the issuer key list does not verify under the root key ({ $detail })
key-list-rollback = the new key list is not an append-only successor of the one held ({ $detail }); keeping the old one
key-list-not-witnessed = the server's key list is not vouched for by the witnesses required here ({ $detail }); keeping the old one — the server may be showing you a list nobody else sees, or an outdated one
bad-witness-policy = the witness settings are not valid: { $detail } (--witness takes a witness's public key, 64 hexadecimal characters; --witness-quorum at least 1 and at most the number of witnesses)
bad-min-version = the minimum presentation version is not valid: { $detail }
issuing-key-unknown = the server issues under key { $key_id }, which is not in the signed key list
issuing-key-revoked = the server issues under key { $key_id }, which the key list marks as revoked
issuing-key-not-issuing = the server issues under key { $key_id } outside that key's published issuing period
too-many-issuing-keys = region { $region } publishes { $count } keys issuing at the same time; the wallet refuses, because many parallel keys could sort residents into small groups
tagging-too-many-in-list = the key list has { $count } keys issuing at the same time (at most { $max }); the wallet refuses, because many parallel keys could sort residents into small groups
tagging-short-period = key { $key_id } of region { $region } issues for only { $hours } h (at least { $min_days } days are required); the wallet refuses, because its key id would reveal when a token was issued
tagging-look-alike = the key list names two issuers that look alike ({ $first } and { $second }); the wallet refuses, because look-alike issuers could sort residents into groups
tagging-unreadable = the key list names an issuer { $name } with no letter or digit; the wallet refuses
first-use-refused = refusing to trust { $origin } on first use: use https://, or pass --root FINGERPRINT (compare it with the authority's published fingerprint)
region-changed = profile "{ $profile }" redeems in region { $pinned }, but this server issues for region { $offered }; refusing, because an issuer that moves residents between regions could tell them apart. If this person has really moved, run again with --new-region (or use another --profile)
ticket-authority = this ticket is not signed by the health authority whose tickets this server accepts: it is for another issuer, or damaged; nothing was redeemed
ticket-expired = the ticket expired at { $not_after }; ask the health authority for a new one
ticket-not-yet-valid = the ticket is valid only from { $not_before }
timestamp-skew = the issuer dated the tokens { $token_hour }, more than 2 hours from this device's clock ({ $wallet_hour }); refused, since an odd time could single you out (check the clock)
issuance-failed = issuance failed: the issuer's answer did not verify ({ $detail }); nothing was stored
unknown-profile = there is no profile "{ $profile }" in this wallet (profiles: { $profiles })
wallet-empty = the wallet is empty: redeem a ticket first (`greenlight wallet redeem`)
no-tokens = no tokens left in profile "{ $profile }": redeem a new ticket
none-green = profile "{ $profile }" has no green tokens: a green code cannot be shown
all-too-old = every green token in profile "{ $profile }" is older than this venue's { $window }-hour window: redeem a new ticket
none-accepted-key = the tokens in profile "{ $profile }" were issued under keys that are no longer accepted: redeem a new ticket
tokens-from-future = the tokens in profile "{ $profile }" are dated after this device's clock: check the clock
prove-failed = the presentation could not be built ({ $detail })
step-fetch-keys = fetching issuer keys from { $url }
step-challenge = blinding the issuer's commitments
step-store = storing tokens
step-batch = batch { $index } of { $count }
step-waiting = the server is busy ({ $code }); asking again in { $secs } s
redeem-incomplete = 
    { $reason }
    tokens of this ticket issued and stored in the wallet before that: { $stored } of { $asked }
root-pinned-first-use = 
    Pinned this server's root key on first use. Fingerprint: { $fingerprint }
    Compare it with the fingerprint the health authority publishes.
root-pinned-explicit = Pinned the root key given with --root. Fingerprint: { $fingerprint }
root-matches = Root key matches the pinned one ({ $fingerprint }).
new-profile = Created profile "{ $profile }" with its own holder secret.
region-pinned = Profile "{ $profile }" now redeems in region { $region } ({ $issuer }); tickets for another region are refused unless you pass --new-region.
region-moved = Profile "{ $profile }" moved from region { $from } to { $region } ({ $issuer }).
status-wallet = Wallet: { $dir }
status-root = Root key fingerprint: { $fingerprint } · key list version { $sequence }
status-empty = The wallet is empty: redeem a ticket with `greenlight wallet redeem`.
status-line = { "  " }{ $count } × { $status }, issued { $age } h ago
status-no-tokens = { "  " }(no tokens)
status-unknown-profile = There is no profile "{ $profile }" in this wallet (profiles: { $profiles }).
presenting = Showing a green code for "{ $venue }" (issued within { $window } h).
presented-left = One token used; { $left } left in profile "{ $profile }". Each code can be shown only once.
qr-written = QR code (version { $version }) written to { $path }
show-this-code = Show this code at the door:
venue-created = Venue "{ $name }" created in { $dir }: visitors must show green, issued within { $window } h.
venue-code-intro = Venue code of "{ $name }" (green within { $window } h); display it at the entrance:
sync-unchanged = Key list is up to date (version { $sequence }).
sync-updated = Key list updated from version { $old } to { $new }.
sync-new-issuer = { "  " }new issuer: { $region }
sync-new-key = { "  " }new key { $key_id } ({ $region })
sync-key-revoked = { "  " }key { $key_id } revoked: its tokens are no longer accepted
sync-key-shortened = { "  " }key { $key_id }: validity shortened
sync-witnessed = Cosigned by { $count } of this venue's witnesses.
accept = ACCEPT
reject = REJECT: { $reason }
accept-detail = green, issued within this venue's window (issuer: { $region })
rej-bad-encoding = damaged or incomplete code; ask the visitor to show it again
rej-unknown-key = issued under a key this venue does not accept (unknown, revoked, expired or not yet in use); the visitor needs new tokens — or run `venue sync`
rej-bad-signature = the issuer's signature is not valid: forged or altered code
rej-bad-proof = the proof is not valid: not a green code, or altered
rej-stale = not issued within this venue's window: the visitor needs fresh tokens
rej-wrong-venue = made for a different venue; ask the visitor to scan this venue's code
rej-clock-skew = the phone's clock is too far from this venue's clock; ask the visitor to check the time and show a new code
rej-non-standard-window = uses a non-standard time window
rej-wrong-window = made for a different time window than this venue requires; ask the visitor to scan this venue's code
rej-wrong-policy = proves something other than what this venue requires
rej-replayed = this code was already shown here; each code works once — ask for a new one
rej-key-list-mismatch = the visitor's wallet and this venue hold different issuer key lists: run `greenlight venue sync` if this venue has not synced today; otherwise the visitor's wallet must go online to update
rej-not-greenlight = not a Greenlight code
rej-wrong-kind = this is { $kind }, not a visitor's code
rej-no-qr = no QR code found in the picture; scan again
rej-unreadable-image = the picture could not be read; scan again
rej-too-large = far too large to be a visitor's code
rej-seen-full = this venue's list of used codes is full; no new code can be recorded — ask the operator
rej-version-retired = made by an outdated wallet (presentation version { $version }), which this venue no longer accepts — the visitor must update their wallet
ins-heading = { $kind }: { $bytes } bytes ({ $chars } characters as text)
ins-pres-key-id = 
    issuer key id     { $key_id }
    { "    " }which issuer key signed the token: reveals the holder's issuing region (and the key's period)
ins-pres-region = { "    " }per the key list: issuer { $region }
ins-pres-time-slot = 
    time slot         { $hour } (hours since 1970 = { $utc } UTC)
    { "    " }the holder's clock, to the hour; the same for everyone presenting in that hour
ins-pres-window = 
    window            { $window } h
    { "    " }the venue's recency rule (a standard value); the issuance time itself stays hidden
ins-pres-venue = 
    venue id          { $venue_id }
    { "    " }the venue this was made for (copied from its venue code)
ins-pres-policy = 
    policy            { $policy } (green and recent)
    { "    " }what is proven: status is green and issued within the window — nothing else
ins-pres-zeta = 
    ζ                 { $zeta }
    { "    " }blinded tag: random-looking, different for every token
ins-pres-zeta1 = 
    ζ1 (token id)     { $zeta1 }
    { "    " }one-show token id: the venue remembers it to refuse a second use; it appears in no other code of this holder
ins-pres-signature-rest = ρ ω σ1 σ2 δ μ     six scalars of the issuer's blind signature: random-looking
ins-pres-v = 
    V                 { $v }
    { "    " }commitment to the issuance hour: hides it (random-looking)
ins-pres-proofs = 
    proofs            Σ-proof { $sigma } bytes + range proof { $range } bytes
    { "    " }zero-knowledge proofs: random-looking, reveal nothing beyond the statement
ins-pres-key-list = 
    key list          bound, not sent (wire version 2)
    { "    " }the proof verifies only under the key list the wallet holds: a venue tries its current and previous list, and learns only which
ins-pres-summary = Not in this code: name, ID, the status colour other than "green", the exact issuance time, travel history, the subject handle, the holder secret. Two codes of one holder share nothing but the issuer key, window and (if shown in the same hour) time slot.
ins-pres-qr = as a QR code (error correction M): version { $version }
ins-ticket-id = ticket id         { $id } (random; the issuer counts tokens against it)
ins-ticket-subject = subject handle    { $subject } (the authority's pseudonym for the person; goes into the tokens, never shown to venues)
ins-ticket-status = status            { $status }
ins-ticket-travel = travel            { $travel }
ins-ticket-validity = valid             { $from } – { $until } UTC
ins-ticket-tokens = tokens            { $tokens }
ins-ticket-authority = authority key id  { $key_id }
ins-ticket-unverified = (signature not checked here: only the issuer holds the authority's key)
ins-venue-id = venue id          { $venue_id }
ins-venue-name = name              { $name }
ins-venue-window = window            { $window } h
ins-venue-requires = requires          { $status }, issued within the window
ins-venue-note = A venue code is public and carries nothing about any visitor.
ins-setup-server = 
    server            { $server }
    { "    " }where the verifier fetches the issuer key list
ins-setup-root = 
    root fingerprint  { $fingerprint }
    { "    " }the key list must be signed under this root
ins-setup-note = A set-up code makes a device this venue's verifier. It holds nothing secret and nothing about any visitor.
ins-key-list-seq = version           { $sequence }, signed { $issued_at } UTC
ins-key-list-issuer = issuer { $region }: { $name }
ins-key-list-key = { "  " }key { $key_id }: issues { $from } – { $until }, accepted until { $accept }, revoked: { $revoked }
ins-key-list-unverified = (root signature not checked here: compare the root fingerprint out of band)
ins-none = (none)
yes = yes
no = no
demo-title = Greenlight demo: issuer, wallet and venues in one process, on a temporary store.
demo-step = { "\u000A" }[{ $n }] { $title }
demo-s1-server = The issuer starts (embedded, loopback only)
demo-server-at = { "    " }issuer listening at { $url }
demo-s2-ticket = The health authority signs a green ticket for subject "demo-green"
demo-s3-redeem = The wallet redeems the ticket for a batch of tokens (two round trips)
demo-s4-venues = Two venues set up: "Cafe A" (24 h) and "Library B" (24 h)
demo-venue-a = Cafe A
demo-venue-b = Library B
demo-s5-present = The wallet shows a green code at Cafe A
demo-presentation = { "    " }presentation: { $chars } characters of GLP1: text, QR version { $version } (error correction M)
demo-s6-replay = The same code is shown at Cafe A again (replay)
demo-s7-other-venue = A fresh code made for Cafe A is shown at Library B
demo-s7-back = { "    " }…and the same code at Cafe A, where it belongs:
demo-s8-red = A red ticket (subject "demo-red") is redeemed into profile "red"
demo-wallet-refused = { "    " }the wallet refuses to present: { $reason }
demo-forced = { "    " }forcing it: take a red token out of the wallet, overwrite its status with green and build the proof directly with the circuits crate — the certified status inside the issuer's signature is still red, so the proof cannot hold:
demo-s9-revoke = The authority revokes "demo-green"; a new ticket for it is redeemed
demo-redeem-refused = { "    " }redeem refused: { $reason }
demo-s10-appeal = Appeal granted: the revocation is lifted; tickets signed before it stay void, so the authority signs a new one, which redeems
demo-expected = { "    " }expected: { $what }
demo-ok = { "    " }✓ as expected
demo-failed = demo step { $step } did not behave as expected: { $detail }
demo-all-passed = { "\u000A" }All steps behaved as expected.
demo-unexpected-accept = the venue accepted a code it must reject
demo-wrong-reason = rejected for the wrong reason: { $got }
usage-heading = Usage:
usage-more-info = For more information, try '--help'.
usage-missing-args = the following required arguments were not provided: { $args }
usage-unknown-arg = unexpected argument '{ $arg }' found
usage-similar-arg = tip: a similar argument exists: '{ $arg }'
usage-similar-subcommand = tip: a similar subcommand exists: '{ $name }'
usage-code-split = tip: a Greenlight code contains spaces, so the shell split it; put it in single quotes ('GLT1:…'), or pass the file, or - and paste it
usage-invalid-value = invalid value '{ $value }' for '{ $arg }'
usage-possible-values = possible values: { $values }
usage-unknown-subcommand = unrecognized subcommand '{ $name }'
usage-other = invalid command line: { $detail }
help-flag = Print help
version-flag = Print version
help-subcommand = Print this message or the help of the given subcommand(s)
help-heading-commands = Commands:
help-heading-arguments = Arguments:
help-heading-options = Options:
help-about = Greenlight: a private health-code wallet and venue verifier. Venues learn only "green, issued recently" — never who you are.
help-lang = Language of messages: en, zh (Simplified Chinese) or zh-Hant (Traditional Chinese) (default: from the system locale)
help-wallet = Resident's wallet: redeem tickets, show green codes
help-redeem = Redeem an issuance ticket for a batch of one-show tokens
help-status = Show how many tokens each profile holds, by status and age (never secrets)
help-present = Show a green code for a venue (uses up one token)
help-venue = Venue tools: set up, show the venue code, verify visitors offline
help-init = Set up a venue: pin the root key, fetch the key list, create the venue code
help-code = Print this venue's code (last line), optionally as a QR image
help-sync = Refresh the issuer key list (verified and append-only)
help-verify = Check a visitor's code offline: exit 0 ACCEPT, 1 REJECT, 2 usage or I/O error
help-inspect = Show every field of a presentation, venue code, ticket or key list, and what it reveals
help-demo = Run the whole story in one process on a temporary store
help-arg-server = Issuer server URL, e.g. http://127.0.0.1:8080
help-arg-ticket = The ticket: GLT1:… text in single quotes (it contains spaces and $), a file holding it (the whole output of `greenlight-server ticket` will do; or a PNG of its QR code), or - to read it from standard input
help-arg-wallet = Wallet directory (default: the user data directory's greenlight/wallet)
help-arg-profile = Profile: whose tokens (e.g. self, father) — each has its own holder secret
help-arg-root = Pin this root key instead of trusting the server's on first use: its fingerprint (32 hex characters, as the authority publishes it) or the key (64 hex characters). Required for a plain http:// server that is not on this machine
help-arg-new-region = Allow this profile to redeem in another region than before (the person has moved); without it the wallet refuses, because an issuer could move residents between regions to tell them apart
help-arg-witness = A witness whose cosignature key lists need (its public key, 64 hex characters; repeat for several)
help-arg-witness-quorum = How many of the --witness keys must have cosigned each key list (default: all); stored, and required from then on
help-arg-min-version = Refuse presentations of a lower wire version (2 retires version 1, which binds no key list; default 1)
help-arg-venue-code = The venue code: GLV1:… text, a file holding it (text such as the output of `greenlight venue code`, or a PNG photo of its QR code), or - for standard input
help-arg-qr = Also write the code as a QR image to this PNG file
help-arg-name = Venue name shown to visitors
help-arg-window = How recent tokens must be: 6h, 12h, 24h, 48h, 72h or 7d
help-arg-venue-dir = Venue directory (default: the user data directory's greenlight/venue)
help-arg-verify-input = The visitor's code: GLP1:… text, a file holding it (text, or a PNG with its QR code), or - for standard input
help-arg-binary = Read the presentation as raw bytes (its binary encoding, not GLP1: text) from FILE
help-arg-now = For testing and auditing: judge as if the venue's clock read TIME (RFC 3339, e.g. 2025-11-24T16:10:00Z, or Unix seconds); only the clock changes, the seen-set is checked and updated as usual
help-arg-inspect-input = Any Greenlight code as text, a file, a PNG with a QR code, or - for standard input
help-exit-codes = Exit codes: 0 success/ACCEPT, 1 refused/REJECT, 2 usage, input or local I/O error, 3 server unreachable or failing.
help-arg-setup-qr = Also write the set-up code of the venue page (venue code, server, root fingerprint) as a QR image to this PNG file
setup-qr-written = Set-up code for the venue page written to { $path }: scan it on the venue's phone at { $page }
setup-qr-no-server = it names no "server", which a set-up code needs: run `venue init` again
setup-qr-bad-server = its "server" cannot go into a set-up code: { $detail }

## Messages with choices (converted by hand)

attribute-mismatch = the issuer certified a different { $field ->
        [status] status
        [travel] travel history
        [subject] subject
        [key] issuer key
       *[other] attribute
    } than the ticket states; tokens refused
step-register = requesting { $n } { $n ->
        [one] token
       *[other] tokens
    }
step-verify = verifying { $n } { $n ->
        [one] token
       *[other] tokens
    }
redeemed = Stored { $n } new { $status } { $n ->
        [one] token
       *[other] tokens
    } in profile "{ $profile }" ({ $total } in total).
status-profile = Profile "{ $profile }": { $total } { $total ->
        [one] token
       *[other] tokens
    }
status-name = { $status ->
        [green] green
        [yellow] yellow
        [red] red
       *[other] unknown status ({ $status })
    }
demo-ticket-signed = { "    " }ticket for { $tokens } { $tokens ->
        [one] token
       *[other] tokens
    } ({ $chars } characters of GLT1: text)

## Object kinds: the bare name, and as the complement of "this is …" (with its article)

kind-ticket = issuance ticket
kind-key-list = issuer key list
kind-venue-code = venue code
kind-presentation = presentation (visitor's code)
kind-venue-setup = venue set-up code
kind-ticket-a = an issuance ticket
kind-key-list-a = an issuer key list
kind-venue-code-a = a venue code
kind-presentation-a = a presentation (visitor's code)
kind-venue-setup-a = a venue set-up code
# Between the items of a list.
list-separator = { ", " }
