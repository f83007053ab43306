# What a resident is told for each error code of the issuer (greenlight-api ErrorCode),
# as `server-code-` and the code with `-` for `_`. Read by the CLI and the web wallet.

server-code-bad-request = the server could not understand the request (is this tool up to date?)
server-code-invalid-ticket = the server says the ticket is not valid (damaged, or not signed by the health authority)
server-code-ticket-not-yet-valid = the ticket is not valid yet; try again later
server-code-ticket-expired = the ticket has expired; ask the health authority for a new one
server-code-ticket-too-long = the ticket is valid for longer than the issuer accepts (green and yellow tickets: at most 14 days); ask the health authority for a new one
server-code-quota-exceeded = this ticket has already been used for all the tokens it allows
server-code-subject-revoked = the issuer refuses new tokens for this person (status withdrawn); you can appeal to the health authority
server-code-ticket-superseded = this ticket has been replaced: the health authority issued a newer status for this person (or revoked it, or granted an appeal); ask it for a current ticket
server-code-ticket-busy = another redeem of this ticket is still in progress (on this device or another); wait a minute and try again
server-code-bad-registration = the issuer rejected the wallet's request as malformed
server-code-unknown-session = the issuance session expired or was already completed; redeem the ticket again
server-code-unauthorized = the server refused: missing or wrong administrator token
server-code-not-found = the server does not offer this service: is the address a Greenlight issuer?
server-code-method-not-allowed = the server does not offer this service: is the address a Greenlight issuer?
server-code-payload-too-large = the request was too large for the server
server-code-rate-limited = too many requests; wait a minute and try again
server-code-overloaded = the server is busy; try again shortly
server-code-timeout = the server took too long to answer; try again shortly
server-code-key-not-issuing = the issuer's key is revoked or outside its issuing period; the issuer must set up a new key before it can issue
server-code-internal = the server had an internal error; try again later
