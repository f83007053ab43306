# The web wallet's refusals, warnings and "what the venue learns", formatted in its wasm
# module (client/web/wallet/wasm/src/messages.rs) with the small formatter.

wallet-no-token-empty = this person has no tokens left: redeem a new ticket
wallet-no-token-none-green = none of this person's tokens shows a green status
wallet-no-token-none-accepted-key = this person's tokens were issued under keys no longer accepted: redeem a new ticket
wallet-no-token-from-the-future = every token is dated after this phone's clock: the clock is behind — set the time automatically
wallet-no-token-all-too-old = every token is older than this venue's { $window_hours } h window: go online and redeem a new ticket
wallet-bad-profile = "{ $name }" is not a usable name (1 to 32 characters, no spaces)
wallet-storage-damaged = the wallet's stored data is damaged
wallet-unknown-person = there is no person called "{ $profile }" in this wallet
wallet-bad-ticket = the ticket is damaged
wallet-ticket-authority = this ticket is not signed by the health authority this server accepts tickets from: it is for another issuer, or damaged; nothing was redeemed
wallet-ticket-expired = the ticket has expired; ask the health authority for a new one
wallet-ticket-not-yet-valid = the ticket is not valid yet (or this phone's clock is behind)
wallet-issuing-key = the server issues under key { $key_id }, which the signed key list does not allow now; nothing was redeemed
wallet-tagging-risk = the key list could sort residents into small groups (too many or look-alike issuer keys); the wallet refuses to redeem under it
wallet-region-changed = "{ $profile }" gets tokens in region { $pinned }, but this server issues for region { $offered }; refused, because an issuer moving residents between regions could tell them apart
wallet-timestamp-skew = the issuer's time and this phone's clock are hours apart: set the phone's time automatically and try again
wallet-issuer-answer-unverified = the issuer's answer did not verify (it certified something other than the ticket, or a token does not verify); nothing from it was stored
wallet-prove-failed = the code could not be made (the token was used up); try again
wallet-key-list-invalid = the issuer's key list does not verify; nothing was changed
wallet-root-mismatch = the server's root key (fingerprint { $offered }) is not the one this wallet trusts ({ $pinned }); refused — this may be an impostor server
wallet-key-list-rollback = the server's key list is older than the one this wallet holds (or rewrites it); keeping the one held
wallet-key-list-not-witnessed = the server's key list is not vouched for by enough witnesses; keeping the one held
wallet-server-other = the server answered with an error (HTTP { $status }, { $other })
wallet-stored-before = { " " }({ $stored } { $stored ->
        [one] token was
       *[other] tokens were
    } stored before this)
wallet-bad-response = the server sent an answer this wallet does not understand (is the page up to date?)
wallet-wrong-kind = this is { $found }, not { $want }
wallet-not-a-code = this is not { $want } (not a Greenlight code)
wallet-damaged = { $kind } is damaged or cut short: copy or scan it again
wallet-not-set-up = the wallet is not set up yet
wallet-profile-taken = there is already a person called "{ $name }"
wallet-warn-empty = No tokens: redeem a ticket
wallet-warn-few-left = Only { $left } left: redeem a new ticket soon
wallet-warn-short-window-none = Too old for 6-hour venues (hospitals, care homes): get fresh tokens
wallet-warn-short-window-soon = Too old for 6-hour venues from { $when }
wallet-warn-day-window-none = Too old for 24-hour venues: get fresh tokens before going out
wallet-warn-day-window-soon = Too old for 24-hour venues from { $when }: go online before then
wallet-clock-ahead = This phone's clock is { $minutes } min ahead of the issuer's. Set the time automatically, or venues may refuse your code.
wallet-clock-behind = This phone's clock is { $minutes } min behind the issuer's. Set the time automatically, or venues may refuse your code.

# An object kind, as the complement of "this is …".
wallet-kind-ticket = an issuance ticket
wallet-kind-key-list = an issuer key list
wallet-kind-venue-code = a venue code
wallet-kind-presentation = a visitor's code (a presentation)
wallet-kind-venue-setup = a venue set-up code

# "What's in my QR": what the venue learns, one line each.
wallet-learns-status = Your status is green, and your token was issued within the last { $window } hours — not when, and not your status's history.
wallet-learns-issuer = It was issued by { $issuer } (key { $key_id }).
wallet-learns-scope = It is made for this venue and this hour only.
wallet-learns-token-id = A one-time number ({ $token_id }…), so the venue can refuse the same code twice. Your next code has a different one.
wallet-learns-not-in-it = Not in it: your name, ID number, phone number, travel history, or anything that links two visits.
