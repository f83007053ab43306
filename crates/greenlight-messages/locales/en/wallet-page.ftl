# The wallet page (client/web/wallet): labels only; refusals and warnings are in wallet.ftl
# (formatted in wasm). Turned into a JS module by ftl2js when the page is built.

app_title = Greenlight wallet
loading = Starting the wallet…
load_failed = The wallet could not start. Reload the page.
no_wasm = This browser has WebAssembly turned off (for example iOS Lockdown Mode or a hardened Tor set-up). The wallet needs it to make your codes: turn it on for this site, or use another browser.
choose_lang = Choose your language
trust_title = Trust your health authority
trust_help = Compare this fingerprint with the one your health authority publishes. The wallet will only accept keys signed by it.
trust_matches = It matches the fingerprint in your link.
trust_mismatch = It does NOT match the fingerprint in your link. Do not continue: this may be an impostor server.
trust_button = The fingerprint matches: trust it
fetching = Contacting the issuer…
offline_first = The issuer could not be reached. Connect to the internet to set up the wallet.
people = People in this wallet
tokens_left = { $n ->
        [one] { $n } code left
       *[other] { $n } codes left
    }
newest_age = { $h ->
        [0] newest issued this hour
       *[other] newest { $h } h old
    }
usable = 6-hour venues: { $a } · 24-hour venues: { $b }
go_online_by = Go online by { $t }
show_code = Show my code at a venue
add_tokens = Add codes from a ticket
family = Family members
whats_in = What’s in my QR?
redeem_title = Add codes from a ticket
ticket_label = Ticket (GLT1:…)
for_person = For
redeem_button = Get codes
scan_ticket = Scan the ticket’s QR code
redeeming = Getting codes: { $a } of { $b } stored, each one checked…
redeemed = { $n } codes stored for { $who }.
venue_title = Show your code
venue_label = Venue code (GLV1:…)
scan_venue = Scan the venue’s QR code
present_button = Show my code
camera_denied = The camera is not allowed: paste the code instead.
camera_unavailable = No camera here: paste the code instead.
status_green = GREEN · one-time code
valid_for = Valid { $a }–{ $b } only
at_venue = for { $v }
codes_left_after = { $n } left
done = Done
same_code_again = This is the same code as before the page reloaded (no new code was used).
lost_show = A code was being made when the page closed. Its one-time token was used and never shown; nothing else was lost.
profiles_title = Family members
profiles_help = Each person has their own secret and their own codes, so their visits are never linked to yours.
add_person = Add a person
name_label = Name (no spaces)
rename = Rename
remove = Remove
remove_confirm = Remove { $n } and their { $c } codes from this device? They cannot be recovered.
whats_in_title = What the venue learns from your QR
whats_in_none = Show a code first: this screen then lists exactly what is in it.
back = Back
storage_refused = This browser may delete the wallet’s data when space runs low (or, in Safari, after 7 days without use). Install the app to your home screen to keep it.
settings = Settings
root_fp = Trusted root fingerprint
key_list_seq = Key list version
lang_button = Language
wipe = Remove all wallet data from this device
wipe_confirm = Remove every code and secret from this device? They cannot be recovered.
offline = Offline: codes can still be shown.
reduced_motion_note = Live

# Passkey sealing and the kept ticket (docs/wallet-web.md).
locked_title = Wallet locked
locked_help = This wallet is protected with a passkey. Unlock it with your fingerprint, face, screen lock or security key.
unlock_button = Unlock with your passkey
seal_title = Passkey protection
seal_enable = Protect with a passkey
seal_add = Add another passkey
seal_on = { $n ->
        [one] Protected by { $n } passkey: opening the wallet needs it. A copy of this browser’s files is useless without it.
       *[other] Protected by { $n } passkeys: opening the wallet needs one of them. A copy of this browser’s files is useless without it.
    }
seal_off = Protected by this browser’s own key only. With a passkey, a copy of this browser’s files is useless without your fingerprint, face or security key.
seal_unavailable = Passkeys are not available here, so the wallet is protected by this browser’s own key only.
seal_done = Done: the wallet now opens only with this passkey. Add a second one (another device or a security key) so that losing one does not lock you out.
seal_added = Passkey added: either passkey now opens the wallet.
seal_passkey_name = Greenlight wallet
seal_err_unavailable = Passkeys are not available here (they need a secure page on a domain name). The wallet stays protected by this browser’s own key.
seal_err_no_prf = This passkey cannot protect the wallet: the device or browser does not support the passkey feature it needs (PRF). The wallet stays protected by this browser’s own key.
seal_err_cancelled = No passkey of this wallet answered, or it was cancelled. Nothing was changed or deleted: your codes are still here, encrypted. Try again with the phone, computer or security key that holds the passkey.
seal_err_wrong_key = That passkey did not open the wallet. Nothing was deleted: try another of its passkeys.
seal_err_locked = Unlock the wallet first.
seal_err_failed = The passkey step failed. Nothing was changed or deleted; try again.
keep_ticket = Keep this ticket to top up codes automatically
keep_help = The ticket is kept encrypted on this device. The wallet then fetches only 8 codes now and a few more whenever they run low or get too old for 6-hour venues, while you are online. Anyone who can open this wallet can also fetch the ticket’s remaining codes.
kept_title = Kept ticket
kept_note = { $n ->
        [one] Kept ticket for { $who }: { $n } more code will be fetched automatically when needed.
       *[other] Kept ticket for { $who }: { $n } more codes will be fetched automatically when needed.
    }
kept_none = No ticket is kept.
kept_forget = Forget the kept ticket
topped_up = { $n ->
        [one] Topped up: { $n } new code for { $who }.
       *[other] Topped up: { $n } new codes for { $who }.
    }
