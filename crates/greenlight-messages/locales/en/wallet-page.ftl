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
