//! Every user-facing message of the `greenlight` tools, in English, Simplified and
//! Traditional Chinese.
//!
//! The texts live in the shared Fluent catalogue (`crates/greenlight-messages`,
//! `locales/<lang>/cli.ftl` and `server.ftl`) and are formatted with `fluent-bundle`. This
//! file keeps what the code needs to be checked by the compiler: one [`Msg`] variant per
//! message, with its parameters as fields (so word order can differ between languages), and
//! the id and arguments it is looked up with. `tests/offline.rs` iterates every variant with
//! [`strum::IntoEnumIterator`] and checks the id exists and the three texts are translated;
//! the catalogue's own build checks every language has every id with the same variables.
//!
//! The verdict keywords `ACCEPT` / `REJECT` and the object prefixes (`GLP1:` …) stay ASCII in
//! every language: scripts and door-side displays match on them.

use greenlight_messages::Arg;
use strum::EnumIter;

/// Output language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
    /// Traditional Chinese.
    ZhHant,
}

impl Lang {
    /// Every language.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Zh, Lang::ZhHant];

    /// From the system locale: `zh_TW`, `zh_HK`, `zh-Hant*` → Traditional Chinese, any other
    /// `zh*` → Simplified Chinese, anything else (or none) → English.
    pub fn from_locale() -> Lang {
        Self::from_locale_name(sys_locale::get_locale().as_deref().unwrap_or(""))
    }

    /// `zh`, `zh-CN`, `zh_CN.UTF-8` → Simplified; `zh_TW.UTF-8`, `zh-HK`, `zh-Hant` →
    /// Traditional; everything else English (the catalogue's rule, shared with the pages).
    pub fn from_locale_name(name: &str) -> Lang {
        greenlight_messages::Lang::from_tag(name).into()
    }

    /// Parses `--lang`: `en`, `zh` (Simplified) or `zh-Hant` (Traditional), and the usual
    /// spellings of each.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "en" | "english" => Some(Lang::En),
            "zh" | "zh-cn" | "zh-hans" | "cn" | "chinese" => Some(Lang::Zh),
            "zh-hant" | "zh-tw" | "zh-hk" | "zh-mo" => Some(Lang::ZhHant),
            _ => None,
        }
    }

    /// The catalogue's language.
    pub fn catalogue(self) -> greenlight_messages::Lang {
        match self {
            Lang::En => greenlight_messages::Lang::En,
            Lang::Zh => greenlight_messages::Lang::ZhHans,
            Lang::ZhHant => greenlight_messages::Lang::ZhHant,
        }
    }
}

impl From<greenlight_messages::Lang> for Lang {
    fn from(l: greenlight_messages::Lang) -> Self {
        match l {
            greenlight_messages::Lang::En => Lang::En,
            greenlight_messages::Lang::ZhHans => Lang::Zh,
            greenlight_messages::Lang::ZhHant => Lang::ZhHant,
        }
    }
}

/// The catalogue id of a server error code's text: one entry for the CLI and the web wallet.
fn server_id(code: greenlight_api::ErrorCode) -> &'static str {
    greenlight_api::messages::message_id(code)
}

/// One catalogue message in `lang`.
fn text(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    greenlight_messages::bundle::format(lang.catalogue(), id, args)
}

/// A message. Fields are plain values (`Default` so the test can iterate every variant).
#[derive(Clone, Debug, PartialEq, Eq, EnumIter)]
pub enum Msg {
    // ── Errors: local state and input ────────────────────────────────────────────────
    ErrorLine {
        detail: String,
    },
    Io {
        path: String,
        detail: String,
    },
    NoSuchFile {
        path: String,
    },
    IsADirectory {
        path: String,
    },
    NoSuchFolder {
        path: String,
        dir: String,
    },
    NotAFolder {
        path: String,
        dir: String,
    },
    SeveralCodes {
        count: u64,
    },
    IoNotFound,
    IoPermissionDenied,
    IoAlreadyExists,
    IoNotADirectory,
    IoIsADirectory,
    IoDiskFull,
    IoReadOnly,
    IoOther {
        detail: String,
    },
    Corrupt {
        path: String,
        detail: String,
    },
    NoVenue {
        dir: String,
    },
    VenueExists {
        dir: String,
    },
    BadRootHex,
    BadServerUrl {
        url: String,
    },
    BadProfile {
        name: String,
    },
    InputTooLarge {
        max: u64,
    },
    NotText,
    NoQrCode,
    ImageUnreadable {
        detail: String,
    },
    QrWriteFailed {
        detail: String,
    },
    NotATicket,
    TicketIsOtherKind {
        kind: String,
    },
    NotAVenueCode,
    VenueCodeIsOtherKind {
        kind: String,
    },
    BadVenueCode {
        detail: String,
    },
    NonStandardWindow {
        given: String,
    },
    BadVenueName {
        detail: String,
    },
    NotAnyCode,
    DamagedCode {
        kind: String,
        detail: String,
    },
    CodeCutShort {
        kind: String,
    },
    CodeGarbled,
    CodeTooLong,
    CodeNewerVersion {
        version: u64,
    },
    CodeInvalid {
        detail: String,
    },
    TextEmpty,
    TextTooLong,
    TextNotUtf8,
    TextControlCharacter,
    TextInvisibleCharacter,

    // ── Errors: the network and the server ───────────────────────────────────────────
    ServerUnreachable {
        url: String,
    },
    ServerTimeout {
        url: String,
    },
    ServerNotHttps {
        url: String,
    },
    ServerTlsCertificate {
        url: String,
    },
    ServerBadResponse {
        detail: String,
    },
    SrvBadRequest,
    SrvInvalidTicket,
    SrvTicketNotYetValid,
    SrvTicketExpired,
    SrvTicketTooLong,
    SrvQuotaExceeded,
    SrvSubjectRevoked,
    SrvTicketSuperseded,
    SrvTicketBusy,
    SrvBadRegistration,
    SrvUnknownSession,
    SrvUnauthorized,
    SrvNotFound,
    SrvPayloadTooLarge,
    SrvRateLimited,
    SrvOverloaded,
    SrvTimeout,
    SrvInternal,
    SrvKeyNotIssuing,
    SrvOther {
        status: u16,
        code: String,
    },

    // ── Errors: trust (root key, key list) ───────────────────────────────────────────
    RootMismatch {
        pinned: String,
        offered: String,
    },
    KeyListInvalid {
        detail: String,
    },
    KeyListRollback {
        detail: String,
    },
    KeyListNotWitnessed {
        detail: String,
    },
    BadWitnessPolicy {
        detail: String,
    },
    BadMinVersion {
        detail: String,
    },
    HelpArgWitness,
    HelpArgWitnessQuorum,
    HelpArgMinVersion,
    SyncWitnessed {
        count: usize,
    },
    RejVersionRetired {
        version: u8,
    },
    IssuingKeyUnknown {
        key_id: String,
    },
    IssuingKeyRevoked {
        key_id: String,
    },
    IssuingKeyNotIssuing {
        key_id: String,
    },
    TooManyIssuingKeys {
        region: String,
        count: usize,
    },
    TaggingTooManyInList {
        count: usize,
        max: usize,
    },
    TaggingShortPeriod {
        region: String,
        key_id: String,
        hours: u64,
        min_days: u64,
    },
    TaggingLookAlike {
        first: String,
        second: String,
    },
    TaggingUnreadable {
        name: String,
    },
    FirstUseRefused {
        origin: String,
    },
    RegionChanged {
        profile: String,
        pinned: String,
        offered: String,
    },

    // ── Errors: redeeming ────────────────────────────────────────────────────────────
    TicketAuthority,
    TicketExpired {
        not_after: String,
    },
    TicketNotYetValid {
        not_before: String,
    },
    AttributeMismatch {
        field: String,
    },
    TimestampSkew {
        token_hour: String,
        wallet_hour: String,
    },
    IssuanceFailed {
        detail: String,
    },

    // ── Errors: presenting ───────────────────────────────────────────────────────────
    UnknownProfile {
        profile: String,
        profiles: String,
    },
    WalletEmpty,
    NoTokens {
        profile: String,
    },
    NoneGreen {
        profile: String,
    },
    AllTooOld {
        profile: String,
        window: u64,
    },
    NoneAcceptedKey {
        profile: String,
    },
    TokensFromFuture {
        profile: String,
    },
    ProveFailed {
        detail: String,
    },

    // ── Redeem ───────────────────────────────────────────────────────────────────────
    StepFetchKeys {
        url: String,
    },
    StepRegister {
        n: u64,
    },
    StepChallenge,
    StepVerify {
        n: u64,
    },
    StepStore,
    /// Batch `index` of `count` (a server that takes fewer tokens per request than the ticket
    /// holds).
    StepBatch {
        index: u64,
        count: u64,
    },
    /// Waiting before asking again (the server said busy).
    StepWaiting {
        secs: u64,
        code: String,
    },
    /// A later batch failed; the earlier ones' tokens are stored.
    RedeemIncomplete {
        stored: u64,
        asked: u64,
        reason: String,
    },
    RootPinnedFirstUse {
        fingerprint: String,
    },
    RootPinnedExplicit {
        fingerprint: String,
    },
    RootMatches {
        fingerprint: String,
    },
    Redeemed {
        n: u64,
        profile: String,
        status: String,
        total: u64,
    },
    NewProfile {
        profile: String,
    },
    RegionPinned {
        profile: String,
        region: String,
        issuer: String,
    },
    RegionMoved {
        profile: String,
        from: String,
        region: String,
        issuer: String,
    },

    // ── Status ───────────────────────────────────────────────────────────────────────
    StatusWallet {
        dir: String,
    },
    StatusRoot {
        fingerprint: String,
        sequence: u64,
    },
    StatusEmpty,
    StatusProfile {
        profile: String,
        total: u64,
    },
    StatusLine {
        count: u64,
        status: String,
        age: u64,
    },
    StatusNoTokens,
    StatusUnknownProfile {
        profile: String,
        profiles: String,
    },
    StatusName {
        status: String,
    },

    // ── Present ──────────────────────────────────────────────────────────────────────
    Presenting {
        venue: String,
        window: u64,
    },
    PresentedLeft {
        left: u64,
        profile: String,
    },
    QrWritten {
        path: String,
        version: u64,
    },
    ShowThisCode,

    // ── Venue ────────────────────────────────────────────────────────────────────────
    VenueCreated {
        name: String,
        window: u64,
        dir: String,
    },
    VenueCodeIntro {
        name: String,
        window: u64,
    },
    SyncUnchanged {
        sequence: u64,
    },
    SyncUpdated {
        old: u64,
        new: u64,
    },
    SyncNewIssuer {
        region: String,
    },
    SyncNewKey {
        region: String,
        key_id: String,
    },
    SyncKeyRevoked {
        key_id: String,
    },
    SyncKeyShortened {
        key_id: String,
    },
    Accept,
    Reject {
        reason: String,
    },
    AcceptDetail {
        region: String,
    },

    // ── Door-side rejection reasons ──────────────────────────────────────────────────
    RejBadEncoding,
    RejUnknownKey,
    RejBadSignature,
    RejBadProof,
    RejStale,
    RejWrongVenue,
    RejClockSkew,
    RejNonStandardWindow,
    RejWrongWindow,
    RejWrongPolicy,
    RejReplayed,
    RejKeyListMismatch,
    RejNotGreenlight,
    RejWrongKind {
        kind: String,
    },
    RejNoQr,
    RejUnreadableImage,
    RejTooLarge,
    RejSeenFull,

    // ── Inspect ──────────────────────────────────────────────────────────────────────
    InsHeading {
        kind: String,
        bytes: u64,
        chars: u64,
    },
    InsPresKeyId {
        key_id: String,
    },
    InsPresRegion {
        region: String,
    },
    InsPresTimeSlot {
        hour: u64,
        utc: String,
    },
    InsPresWindow {
        window: u64,
    },
    InsPresVenue {
        venue_id: String,
    },
    InsPresPolicy {
        policy: u64,
    },
    InsPresZeta {
        zeta: String,
    },
    InsPresZeta1 {
        zeta1: String,
    },
    InsPresSignatureRest,
    InsPresV {
        v: String,
    },
    InsPresProofs {
        sigma: u64,
        range: u64,
    },
    InsPresSummary,
    InsPresKeyList,
    InsPresQr {
        version: u64,
    },
    InsTicketId {
        id: String,
    },
    InsTicketSubject {
        subject: String,
    },
    InsTicketStatus {
        status: String,
    },
    InsTicketTravel {
        travel: String,
    },
    InsTicketValidity {
        from: String,
        until: String,
    },
    InsTicketTokens {
        tokens: u64,
    },
    InsTicketAuthority {
        key_id: String,
    },
    InsTicketUnverified,
    InsVenueId {
        venue_id: String,
    },
    InsVenueName {
        name: String,
    },
    InsVenueWindow {
        window: u64,
    },
    InsVenueRequires {
        status: String,
    },
    InsVenueNote,
    InsSetupServer {
        server: String,
    },
    InsSetupRoot {
        fingerprint: String,
    },
    InsSetupNote,
    InsKeyListSeq {
        sequence: u64,
        issued_at: String,
    },
    InsKeyListIssuer {
        region: String,
        name: String,
    },
    InsKeyListKey {
        key_id: String,
        from: String,
        until: String,
        accept: String,
        revoked: String,
    },
    InsKeyListUnverified,
    InsNone,
    Yes,
    No,

    // ── Demo ─────────────────────────────────────────────────────────────────────────
    DemoTitle,
    DemoStep {
        n: u64,
        title: String,
    },
    DemoS1Server,
    DemoServerAt {
        url: String,
    },
    DemoS2Ticket,
    DemoTicketSigned {
        tokens: u64,
        chars: u64,
    },
    DemoS3Redeem,
    DemoS4Venues,
    DemoVenueA,
    DemoVenueB,
    DemoS5Present,
    DemoPresentation {
        chars: u64,
        version: u64,
    },
    DemoS6Replay,
    DemoS7OtherVenue,
    DemoS7Back,
    DemoS8Red,
    DemoWalletRefused {
        reason: String,
    },
    DemoForced,
    DemoS9Revoke,
    DemoRedeemRefused {
        reason: String,
    },
    DemoS10Appeal,
    DemoExpected {
        what: String,
    },
    DemoOk,
    DemoFailed {
        step: u64,
        detail: String,
    },
    DemoAllPassed,
    DemoUnexpectedAccept,
    DemoWrongReason {
        got: String,
    },

    // ── Command-line usage errors (clap's, in our words) ─────────────────────────────
    UsageHeading,
    UsageMoreInfo,
    UsageMissingArgs {
        args: String,
    },
    UsageUnknownArg {
        arg: String,
    },
    UsageSimilarArg {
        arg: String,
    },
    UsageSimilarSubcommand {
        name: String,
    },
    UsageCodeSplit,
    UsageInvalidValue {
        arg: String,
        value: String,
    },
    UsagePossibleValues {
        values: String,
    },
    UsageUnknownSubcommand {
        name: String,
    },
    UsageOther {
        detail: String,
    },

    // ── Command-line help ────────────────────────────────────────────────────────────
    HelpFlag,
    VersionFlag,
    HelpSubcommand,
    HelpHeadingCommands,
    HelpHeadingArguments,
    HelpHeadingOptions,
    HelpAbout,
    HelpLang,
    HelpWallet,
    HelpRedeem,
    HelpStatus,
    HelpPresent,
    HelpVenue,
    HelpInit,
    HelpCode,
    HelpSync,
    HelpVerify,
    HelpInspect,
    HelpDemo,
    HelpArgServer,
    HelpArgTicket,
    HelpArgWallet,
    HelpArgProfile,
    HelpArgRoot,
    HelpArgNewRegion,
    HelpArgVenueCode,
    HelpArgQr,
    HelpArgName,
    HelpArgWindow,
    HelpArgVenueDir,
    HelpArgVerifyInput,
    HelpArgBinary,
    HelpArgNow,
    HelpArgInspectInput,
    HelpExitCodes,
    // `venue code --setup-qr` (the set-up code of the browser verifier).
    HelpArgSetupQr,
    SetupQrWritten {
        path: String,
        page: String,
    },
    SetupQrNoServer,
    SetupQrBadServer {
        detail: String,
    },
}

impl Msg {
    /// The catalogue id and the arguments of this message.
    pub fn id_args(&self) -> (&'static str, Vec<(&'static str, Arg<'_>)>) {
        use Msg::*;
        match self {
            ErrorLine { detail } => ("error-line", vec![("detail", detail.into())]),
            Io { path, detail } => ("io", vec![("path", path.into()), ("detail", detail.into())]),
            NoSuchFile { path } => ("no-such-file", vec![("path", path.into())]),
            IsADirectory { path } => ("is-a-directory", vec![("path", path.into())]),
            NoSuchFolder { path, dir } => (
                "no-such-folder",
                vec![("path", path.into()), ("dir", dir.into())],
            ),
            NotAFolder { path, dir } => (
                "not-a-folder",
                vec![("path", path.into()), ("dir", dir.into())],
            ),
            SeveralCodes { count } => ("several-codes", vec![("count", count.into())]),
            IoNotFound => ("io-not-found", vec![]),
            IoPermissionDenied => ("io-permission-denied", vec![]),
            IoAlreadyExists => ("io-already-exists", vec![]),
            IoNotADirectory => ("io-not-a-directory", vec![]),
            IoIsADirectory => ("io-is-a-directory", vec![]),
            IoDiskFull => ("io-disk-full", vec![]),
            IoReadOnly => ("io-read-only", vec![]),
            IoOther { detail } => ("io-other", vec![("detail", detail.into())]),
            Corrupt { path, detail } => (
                "corrupt",
                vec![("path", path.into()), ("detail", detail.into())],
            ),
            NoVenue { dir } => ("no-venue", vec![("dir", dir.into())]),
            VenueExists { dir } => ("venue-exists", vec![("dir", dir.into())]),
            BadRootHex => ("bad-root-hex", vec![]),
            BadServerUrl { url } => ("bad-server-url", vec![("url", url.into())]),
            BadProfile { name } => ("bad-profile", vec![("name", name.into())]),
            InputTooLarge { max } => ("input-too-large", vec![("max", max.into())]),
            NotText => ("not-text", vec![]),
            NoQrCode => ("no-qr-code", vec![]),
            ImageUnreadable { detail } => ("image-unreadable", vec![("detail", detail.into())]),
            QrWriteFailed { detail } => ("qr-write-failed", vec![("detail", detail.into())]),
            NotATicket => ("not-a-ticket", vec![]),
            TicketIsOtherKind { kind } => ("ticket-is-other-kind", vec![("kind", kind.into())]),
            NotAVenueCode => ("not-a-venue-code", vec![]),
            VenueCodeIsOtherKind { kind } => {
                ("venue-code-is-other-kind", vec![("kind", kind.into())])
            }
            BadVenueCode { detail } => ("bad-venue-code", vec![("detail", detail.into())]),
            NonStandardWindow { given } => ("non-standard-window", vec![("given", given.into())]),
            BadVenueName { detail } => ("bad-venue-name", vec![("detail", detail.into())]),
            NotAnyCode => ("not-any-code", vec![]),
            DamagedCode { kind, detail } => (
                "damaged-code",
                vec![("kind", kind.into()), ("detail", detail.into())],
            ),
            CodeCutShort { kind } => ("code-cut-short", vec![("kind", kind.into())]),
            CodeGarbled => ("code-garbled", vec![]),
            CodeTooLong => ("code-too-long", vec![]),
            CodeNewerVersion { version } => {
                ("code-newer-version", vec![("version", version.into())])
            }
            CodeInvalid { detail } => ("code-invalid", vec![("detail", detail.into())]),
            TextEmpty => ("text-empty", vec![]),
            TextTooLong => ("text-too-long", vec![]),
            TextNotUtf8 => ("text-not-utf8", vec![]),
            TextControlCharacter => ("text-control-character", vec![]),
            TextInvisibleCharacter => ("text-invisible-character", vec![]),
            ServerUnreachable { url } => ("server-unreachable", vec![("url", url.into())]),
            ServerNotHttps { url } => ("server-not-https", vec![("url", url.into())]),
            ServerTlsCertificate { url } => ("server-tls-certificate", vec![("url", url.into())]),
            ServerTimeout { url } => ("server-timeout", vec![("url", url.into())]),
            ServerBadResponse { detail } => {
                ("server-bad-response", vec![("detail", detail.into())])
            }
            SrvOther { status, code } => (
                "srv-other",
                vec![("status", status.into()), ("code", code.into())],
            ),
            RootMismatch { pinned, offered } => (
                "root-mismatch",
                vec![("pinned", pinned.into()), ("offered", offered.into())],
            ),
            KeyListInvalid { detail } => ("key-list-invalid", vec![("detail", detail.into())]),
            KeyListRollback { detail } => ("key-list-rollback", vec![("detail", detail.into())]),
            KeyListNotWitnessed { detail } => {
                ("key-list-not-witnessed", vec![("detail", detail.into())])
            }
            BadWitnessPolicy { detail } => ("bad-witness-policy", vec![("detail", detail.into())]),
            BadMinVersion { detail } => ("bad-min-version", vec![("detail", detail.into())]),
            HelpArgWitness => ("help-arg-witness", vec![]),
            HelpArgWitnessQuorum => ("help-arg-witness-quorum", vec![]),
            HelpArgMinVersion => ("help-arg-min-version", vec![]),
            SyncWitnessed { count } => ("sync-witnessed", vec![("count", count.into())]),
            RejVersionRetired { version } => {
                ("rej-version-retired", vec![("version", version.into())])
            }
            IssuingKeyUnknown { key_id } => {
                ("issuing-key-unknown", vec![("key_id", key_id.into())])
            }
            IssuingKeyRevoked { key_id } => {
                ("issuing-key-revoked", vec![("key_id", key_id.into())])
            }
            IssuingKeyNotIssuing { key_id } => {
                ("issuing-key-not-issuing", vec![("key_id", key_id.into())])
            }
            TooManyIssuingKeys { region, count } => (
                "too-many-issuing-keys",
                vec![("region", region.into()), ("count", count.into())],
            ),
            TaggingTooManyInList { count, max } => (
                "tagging-too-many-in-list",
                vec![("count", count.into()), ("max", max.into())],
            ),
            TaggingShortPeriod {
                region,
                key_id,
                hours,
                min_days,
            } => (
                "tagging-short-period",
                vec![
                    ("region", region.into()),
                    ("key_id", key_id.into()),
                    ("hours", hours.into()),
                    ("min_days", min_days.into()),
                ],
            ),
            TaggingLookAlike { first, second } => (
                "tagging-look-alike",
                vec![
                    ("first", format!("{first:?}").into()),
                    ("second", format!("{second:?}").into()),
                ],
            ),
            TaggingUnreadable { name } => (
                "tagging-unreadable",
                vec![("name", format!("{name:?}").into())],
            ),
            FirstUseRefused { origin } => ("first-use-refused", vec![("origin", origin.into())]),
            RegionChanged {
                profile,
                pinned,
                offered,
            } => (
                "region-changed",
                vec![
                    ("profile", profile.into()),
                    ("pinned", pinned.into()),
                    ("offered", offered.into()),
                ],
            ),
            TicketAuthority => ("ticket-authority", vec![]),
            TicketExpired { not_after } => {
                ("ticket-expired", vec![("not_after", not_after.into())])
            }
            TicketNotYetValid { not_before } => (
                "ticket-not-yet-valid",
                vec![("not_before", not_before.into())],
            ),
            TimestampSkew {
                token_hour,
                wallet_hour,
            } => (
                "timestamp-skew",
                vec![
                    ("token_hour", token_hour.into()),
                    ("wallet_hour", wallet_hour.into()),
                ],
            ),
            IssuanceFailed { detail } => ("issuance-failed", vec![("detail", detail.into())]),
            UnknownProfile { profile, profiles } => (
                "unknown-profile",
                vec![("profile", profile.into()), ("profiles", profiles.into())],
            ),
            WalletEmpty => ("wallet-empty", vec![]),
            NoTokens { profile } => ("no-tokens", vec![("profile", profile.into())]),
            NoneGreen { profile } => ("none-green", vec![("profile", profile.into())]),
            AllTooOld { profile, window } => (
                "all-too-old",
                vec![("profile", profile.into()), ("window", window.into())],
            ),
            NoneAcceptedKey { profile } => ("none-accepted-key", vec![("profile", profile.into())]),
            TokensFromFuture { profile } => {
                ("tokens-from-future", vec![("profile", profile.into())])
            }
            ProveFailed { detail } => ("prove-failed", vec![("detail", detail.into())]),
            StepFetchKeys { url } => ("step-fetch-keys", vec![("url", url.into())]),
            StepChallenge => ("step-challenge", vec![]),
            StepStore => ("step-store", vec![]),
            StepBatch { index, count } => (
                "step-batch",
                vec![("index", index.into()), ("count", count.into())],
            ),
            StepWaiting { secs, code } => (
                "step-waiting",
                vec![("secs", secs.into()), ("code", code.into())],
            ),
            RedeemIncomplete {
                stored,
                asked,
                reason,
            } => (
                "redeem-incomplete",
                vec![
                    ("stored", stored.into()),
                    ("asked", asked.into()),
                    ("reason", reason.into()),
                ],
            ),
            RootPinnedFirstUse { fingerprint } => (
                "root-pinned-first-use",
                vec![("fingerprint", fingerprint.into())],
            ),
            RootPinnedExplicit { fingerprint } => (
                "root-pinned-explicit",
                vec![("fingerprint", fingerprint.into())],
            ),
            RootMatches { fingerprint } => {
                ("root-matches", vec![("fingerprint", fingerprint.into())])
            }
            NewProfile { profile } => ("new-profile", vec![("profile", profile.into())]),
            RegionPinned {
                profile,
                region,
                issuer,
            } => (
                "region-pinned",
                vec![
                    ("profile", profile.into()),
                    ("region", region.into()),
                    ("issuer", issuer.into()),
                ],
            ),
            RegionMoved {
                profile,
                from,
                region,
                issuer,
            } => (
                "region-moved",
                vec![
                    ("profile", profile.into()),
                    ("from", from.into()),
                    ("region", region.into()),
                    ("issuer", issuer.into()),
                ],
            ),
            StatusWallet { dir } => ("status-wallet", vec![("dir", dir.into())]),
            StatusRoot {
                fingerprint,
                sequence,
            } => (
                "status-root",
                vec![
                    ("fingerprint", fingerprint.into()),
                    ("sequence", sequence.into()),
                ],
            ),
            StatusEmpty => ("status-empty", vec![]),
            StatusLine { count, status, age } => (
                "status-line",
                vec![
                    ("count", count.into()),
                    ("status", status.into()),
                    ("age", age.into()),
                ],
            ),
            StatusNoTokens => ("status-no-tokens", vec![]),
            StatusUnknownProfile { profile, profiles } => (
                "status-unknown-profile",
                vec![("profile", profile.into()), ("profiles", profiles.into())],
            ),
            Presenting { venue, window } => (
                "presenting",
                vec![("venue", venue.into()), ("window", window.into())],
            ),
            PresentedLeft { left, profile } => (
                "presented-left",
                vec![("left", left.into()), ("profile", profile.into())],
            ),
            QrWritten { path, version } => (
                "qr-written",
                vec![("path", path.into()), ("version", version.into())],
            ),
            ShowThisCode => ("show-this-code", vec![]),
            VenueCreated { name, window, dir } => (
                "venue-created",
                vec![
                    ("name", name.into()),
                    ("window", window.into()),
                    ("dir", dir.into()),
                ],
            ),
            VenueCodeIntro { name, window } => (
                "venue-code-intro",
                vec![("name", name.into()), ("window", window.into())],
            ),
            SyncUnchanged { sequence } => ("sync-unchanged", vec![("sequence", sequence.into())]),
            SyncUpdated { old, new } => (
                "sync-updated",
                vec![("old", old.into()), ("new", new.into())],
            ),
            SyncNewIssuer { region } => ("sync-new-issuer", vec![("region", region.into())]),
            SyncNewKey { region, key_id } => (
                "sync-new-key",
                vec![("region", region.into()), ("key_id", key_id.into())],
            ),
            SyncKeyRevoked { key_id } => ("sync-key-revoked", vec![("key_id", key_id.into())]),
            SyncKeyShortened { key_id } => ("sync-key-shortened", vec![("key_id", key_id.into())]),
            Accept => ("accept", vec![]),
            Reject { reason } => ("reject", vec![("reason", reason.into())]),
            AcceptDetail { region } => ("accept-detail", vec![("region", region.into())]),
            RejBadEncoding => ("rej-bad-encoding", vec![]),
            RejUnknownKey => ("rej-unknown-key", vec![]),
            RejBadSignature => ("rej-bad-signature", vec![]),
            RejBadProof => ("rej-bad-proof", vec![]),
            RejStale => ("rej-stale", vec![]),
            RejWrongVenue => ("rej-wrong-venue", vec![]),
            RejClockSkew => ("rej-clock-skew", vec![]),
            RejNonStandardWindow => ("rej-non-standard-window", vec![]),
            RejWrongWindow => ("rej-wrong-window", vec![]),
            RejWrongPolicy => ("rej-wrong-policy", vec![]),
            RejReplayed => ("rej-replayed", vec![]),
            RejKeyListMismatch => ("rej-key-list-mismatch", vec![]),
            RejNotGreenlight => ("rej-not-greenlight", vec![]),
            RejWrongKind { kind } => ("rej-wrong-kind", vec![("kind", kind.into())]),
            RejNoQr => ("rej-no-qr", vec![]),
            RejUnreadableImage => ("rej-unreadable-image", vec![]),
            RejTooLarge => ("rej-too-large", vec![]),
            RejSeenFull => ("rej-seen-full", vec![]),
            InsHeading { kind, bytes, chars } => (
                "ins-heading",
                vec![
                    ("kind", kind.into()),
                    ("bytes", bytes.into()),
                    ("chars", chars.into()),
                ],
            ),
            InsPresKeyId { key_id } => ("ins-pres-key-id", vec![("key_id", key_id.into())]),
            InsPresRegion { region } => ("ins-pres-region", vec![("region", region.into())]),
            InsPresTimeSlot { hour, utc } => (
                "ins-pres-time-slot",
                vec![("hour", hour.into()), ("utc", utc.into())],
            ),
            InsPresWindow { window } => ("ins-pres-window", vec![("window", window.into())]),
            InsPresVenue { venue_id } => ("ins-pres-venue", vec![("venue_id", venue_id.into())]),
            InsPresPolicy { policy } => ("ins-pres-policy", vec![("policy", policy.into())]),
            InsPresZeta { zeta } => ("ins-pres-zeta", vec![("zeta", zeta.into())]),
            InsPresZeta1 { zeta1 } => ("ins-pres-zeta1", vec![("zeta1", zeta1.into())]),
            InsPresSignatureRest => ("ins-pres-signature-rest", vec![]),
            InsPresV { v } => ("ins-pres-v", vec![("v", v.into())]),
            InsPresProofs { sigma, range } => (
                "ins-pres-proofs",
                vec![("sigma", sigma.into()), ("range", range.into())],
            ),
            InsPresKeyList => ("ins-pres-key-list", vec![]),
            InsPresSummary => ("ins-pres-summary", vec![]),
            InsPresQr { version } => ("ins-pres-qr", vec![("version", version.into())]),
            InsTicketId { id } => ("ins-ticket-id", vec![("id", id.into())]),
            InsTicketSubject { subject } => {
                ("ins-ticket-subject", vec![("subject", subject.into())])
            }
            InsTicketStatus { status } => ("ins-ticket-status", vec![("status", status.into())]),
            InsTicketTravel { travel } => ("ins-ticket-travel", vec![("travel", travel.into())]),
            InsTicketValidity { from, until } => (
                "ins-ticket-validity",
                vec![("from", from.into()), ("until", until.into())],
            ),
            InsTicketTokens { tokens } => ("ins-ticket-tokens", vec![("tokens", tokens.into())]),
            InsTicketAuthority { key_id } => {
                ("ins-ticket-authority", vec![("key_id", key_id.into())])
            }
            InsTicketUnverified => ("ins-ticket-unverified", vec![]),
            InsVenueId { venue_id } => ("ins-venue-id", vec![("venue_id", venue_id.into())]),
            InsVenueName { name } => ("ins-venue-name", vec![("name", name.into())]),
            InsVenueWindow { window } => ("ins-venue-window", vec![("window", window.into())]),
            InsVenueRequires { status } => ("ins-venue-requires", vec![("status", status.into())]),
            InsVenueNote => ("ins-venue-note", vec![]),
            InsSetupServer { server } => ("ins-setup-server", vec![("server", server.into())]),
            InsSetupRoot { fingerprint } => {
                ("ins-setup-root", vec![("fingerprint", fingerprint.into())])
            }
            InsSetupNote => ("ins-setup-note", vec![]),
            InsKeyListSeq {
                sequence,
                issued_at,
            } => (
                "ins-key-list-seq",
                vec![
                    ("sequence", sequence.into()),
                    ("issued_at", issued_at.into()),
                ],
            ),
            InsKeyListIssuer { region, name } => (
                "ins-key-list-issuer",
                vec![("region", region.into()), ("name", name.into())],
            ),
            InsKeyListKey {
                key_id,
                from,
                until,
                accept,
                revoked,
            } => (
                "ins-key-list-key",
                vec![
                    ("key_id", key_id.into()),
                    ("from", from.into()),
                    ("until", until.into()),
                    ("accept", accept.into()),
                    ("revoked", revoked.into()),
                ],
            ),
            InsKeyListUnverified => ("ins-key-list-unverified", vec![]),
            InsNone => ("ins-none", vec![]),
            Yes => ("yes", vec![]),
            No => ("no", vec![]),
            DemoTitle => ("demo-title", vec![]),
            DemoStep { n, title } => ("demo-step", vec![("n", n.into()), ("title", title.into())]),
            DemoS1Server => ("demo-s1-server", vec![]),
            DemoServerAt { url } => ("demo-server-at", vec![("url", url.into())]),
            DemoS2Ticket => ("demo-s2-ticket", vec![]),
            DemoS3Redeem => ("demo-s3-redeem", vec![]),
            DemoS4Venues => ("demo-s4-venues", vec![]),
            DemoVenueA => ("demo-venue-a", vec![]),
            DemoVenueB => ("demo-venue-b", vec![]),
            DemoS5Present => ("demo-s5-present", vec![]),
            DemoPresentation { chars, version } => (
                "demo-presentation",
                vec![("chars", chars.into()), ("version", version.into())],
            ),
            DemoS6Replay => ("demo-s6-replay", vec![]),
            DemoS7OtherVenue => ("demo-s7-other-venue", vec![]),
            DemoS7Back => ("demo-s7-back", vec![]),
            DemoS8Red => ("demo-s8-red", vec![]),
            DemoWalletRefused { reason } => {
                ("demo-wallet-refused", vec![("reason", reason.into())])
            }
            DemoForced => ("demo-forced", vec![]),
            DemoS9Revoke => ("demo-s9-revoke", vec![]),
            DemoRedeemRefused { reason } => {
                ("demo-redeem-refused", vec![("reason", reason.into())])
            }
            DemoS10Appeal => ("demo-s10-appeal", vec![]),
            DemoExpected { what } => ("demo-expected", vec![("what", what.into())]),
            DemoOk => ("demo-ok", vec![]),
            DemoFailed { step, detail } => (
                "demo-failed",
                vec![("step", step.into()), ("detail", detail.into())],
            ),
            DemoAllPassed => ("demo-all-passed", vec![]),
            DemoUnexpectedAccept => ("demo-unexpected-accept", vec![]),
            DemoWrongReason { got } => ("demo-wrong-reason", vec![("got", got.into())]),
            UsageHeading => ("usage-heading", vec![]),
            UsageMoreInfo => ("usage-more-info", vec![]),
            UsageMissingArgs { args } => ("usage-missing-args", vec![("args", args.into())]),
            UsageUnknownArg { arg } => ("usage-unknown-arg", vec![("arg", arg.into())]),
            UsageSimilarArg { arg } => ("usage-similar-arg", vec![("arg", arg.into())]),
            UsageSimilarSubcommand { name } => {
                ("usage-similar-subcommand", vec![("name", name.into())])
            }
            UsageCodeSplit => ("usage-code-split", vec![]),
            UsageInvalidValue { arg, value } => (
                "usage-invalid-value",
                vec![("arg", arg.into()), ("value", value.into())],
            ),
            UsagePossibleValues { values } => {
                ("usage-possible-values", vec![("values", values.into())])
            }
            UsageUnknownSubcommand { name } => {
                ("usage-unknown-subcommand", vec![("name", name.into())])
            }
            UsageOther { detail } => ("usage-other", vec![("detail", detail.into())]),
            HelpFlag => ("help-flag", vec![]),
            VersionFlag => ("version-flag", vec![]),
            HelpSubcommand => ("help-subcommand", vec![]),
            HelpHeadingCommands => ("help-heading-commands", vec![]),
            HelpHeadingArguments => ("help-heading-arguments", vec![]),
            HelpHeadingOptions => ("help-heading-options", vec![]),
            HelpAbout => ("help-about", vec![]),
            HelpLang => ("help-lang", vec![]),
            HelpWallet => ("help-wallet", vec![]),
            HelpRedeem => ("help-redeem", vec![]),
            HelpStatus => ("help-status", vec![]),
            HelpPresent => ("help-present", vec![]),
            HelpVenue => ("help-venue", vec![]),
            HelpInit => ("help-init", vec![]),
            HelpCode => ("help-code", vec![]),
            HelpSync => ("help-sync", vec![]),
            HelpVerify => ("help-verify", vec![]),
            HelpInspect => ("help-inspect", vec![]),
            HelpDemo => ("help-demo", vec![]),
            HelpArgServer => ("help-arg-server", vec![]),
            HelpArgTicket => ("help-arg-ticket", vec![]),
            HelpArgWallet => ("help-arg-wallet", vec![]),
            HelpArgProfile => ("help-arg-profile", vec![]),
            HelpArgRoot => ("help-arg-root", vec![]),
            HelpArgNewRegion => ("help-arg-new-region", vec![]),
            HelpArgVenueCode => ("help-arg-venue-code", vec![]),
            HelpArgQr => ("help-arg-qr", vec![]),
            HelpArgName => ("help-arg-name", vec![]),
            HelpArgWindow => ("help-arg-window", vec![]),
            HelpArgVenueDir => ("help-arg-venue-dir", vec![]),
            HelpArgVerifyInput => ("help-arg-verify-input", vec![]),
            HelpArgBinary => ("help-arg-binary", vec![]),
            HelpArgNow => ("help-arg-now", vec![]),
            HelpArgInspectInput => ("help-arg-inspect-input", vec![]),
            HelpExitCodes => ("help-exit-codes", vec![]),
            HelpArgSetupQr => ("help-arg-setup-qr", vec![]),
            SetupQrWritten { path, page } => (
                "setup-qr-written",
                vec![("path", path.into()), ("page", page.into())],
            ),
            SetupQrNoServer => ("setup-qr-no-server", vec![]),
            SetupQrBadServer { detail } => ("setup-qr-bad-server", vec![("detail", detail.into())]),
            AttributeMismatch { field } => ("attribute-mismatch", vec![("field", field.into())]),
            StepRegister { n } => ("step-register", vec![("n", n.into())]),
            StepVerify { n } => ("step-verify", vec![("n", n.into())]),
            Redeemed {
                n,
                profile,
                status,
                total,
            } => (
                "redeemed",
                vec![
                    ("n", n.into()),
                    ("profile", profile.into()),
                    ("status", status.into()),
                    ("total", total.into()),
                ],
            ),
            StatusProfile { profile, total } => (
                "status-profile",
                vec![("profile", profile.into()), ("total", total.into())],
            ),
            StatusName { status } => ("status-name", vec![("status", status.into())]),
            DemoTicketSigned { tokens, chars } => (
                "demo-ticket-signed",
                vec![("tokens", tokens.into()), ("chars", chars.into())],
            ),
            SrvBadRequest => (server_id(greenlight_api::ErrorCode::BadRequest), vec![]),
            SrvInvalidTicket => (server_id(greenlight_api::ErrorCode::InvalidTicket), vec![]),
            SrvTicketNotYetValid => (
                server_id(greenlight_api::ErrorCode::TicketNotYetValid),
                vec![],
            ),
            SrvTicketExpired => (server_id(greenlight_api::ErrorCode::TicketExpired), vec![]),
            SrvTicketTooLong => (server_id(greenlight_api::ErrorCode::TicketTooLong), vec![]),
            SrvQuotaExceeded => (server_id(greenlight_api::ErrorCode::QuotaExceeded), vec![]),
            SrvSubjectRevoked => (server_id(greenlight_api::ErrorCode::SubjectRevoked), vec![]),
            SrvTicketSuperseded => (
                server_id(greenlight_api::ErrorCode::TicketSuperseded),
                vec![],
            ),
            SrvTicketBusy => (server_id(greenlight_api::ErrorCode::TicketBusy), vec![]),
            SrvBadRegistration => (
                server_id(greenlight_api::ErrorCode::BadRegistration),
                vec![],
            ),
            SrvUnknownSession => (server_id(greenlight_api::ErrorCode::UnknownSession), vec![]),
            SrvUnauthorized => (server_id(greenlight_api::ErrorCode::Unauthorized), vec![]),
            SrvNotFound => (server_id(greenlight_api::ErrorCode::NotFound), vec![]),
            SrvPayloadTooLarge => (
                server_id(greenlight_api::ErrorCode::PayloadTooLarge),
                vec![],
            ),
            SrvRateLimited => (server_id(greenlight_api::ErrorCode::RateLimited), vec![]),
            SrvOverloaded => (server_id(greenlight_api::ErrorCode::Overloaded), vec![]),
            SrvTimeout => (server_id(greenlight_api::ErrorCode::Timeout), vec![]),
            SrvInternal => (server_id(greenlight_api::ErrorCode::Internal), vec![]),
            SrvKeyNotIssuing => (server_id(greenlight_api::ErrorCode::KeyNotIssuing), vec![]),
        }
    }

    /// The catalogue id of this message.
    pub fn id(&self) -> &'static str {
        self.id_args().0
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let (id, args) = self.id_args();
        text(lang, id, &args)
    }
}

/// Localized display of a status colour name (`green` / `yellow` / `red`).
pub fn status_name(status: greenlight_protocol::Status, lang: Lang) -> String {
    Msg::StatusName {
        status: status.name().to_owned(),
    }
    .text(lang)
}

/// The message for a venue's rejection reason (`greenlight_venue::Reason`, shared with the
/// browser verifier, which translates the same reasons by their `code()`).
pub fn rejection_msg(reason: &greenlight_venue::Reason, lang: Lang) -> Msg {
    use greenlight_venue::{Reason, RejectReason};
    match reason {
        Reason::Check(r) => match r {
            RejectReason::BadEncoding => Msg::RejBadEncoding,
            RejectReason::UnknownKey => Msg::RejUnknownKey,
            RejectReason::BadSignature => Msg::RejBadSignature,
            RejectReason::BadProof => Msg::RejBadProof,
            RejectReason::Stale => Msg::RejStale,
            RejectReason::WrongVenue => Msg::RejWrongVenue,
            RejectReason::ClockSkew => Msg::RejClockSkew,
            RejectReason::NonStandardWindow => Msg::RejNonStandardWindow,
            RejectReason::WrongWindow => Msg::RejWrongWindow,
            RejectReason::WrongPolicy => Msg::RejWrongPolicy,
            RejectReason::Replayed => Msg::RejReplayed,
            RejectReason::KeyListMismatch => Msg::RejKeyListMismatch,
        },
        Reason::NotGreenlight => Msg::RejNotGreenlight,
        Reason::WrongKind(k) => Msg::RejWrongKind {
            kind: kind_with_article(*k, lang),
        },
        Reason::TooLarge => Msg::RejTooLarge,
        Reason::NoQrCode => Msg::RejNoQr,
        Reason::UnreadableImage => Msg::RejUnreadableImage,
        Reason::SeenFull => Msg::RejSeenFull,
        Reason::VersionRetired(version) => Msg::RejVersionRetired { version: *version },
    }
}

/// A venue's rejection reason in `lang`.
pub fn rejection_text(reason: &greenlight_venue::Reason, lang: Lang) -> String {
    rejection_msg(reason, lang).text(lang)
}

/// Localized name of an object kind (for "this is a venue code, not …").
pub fn kind_name(kind: greenlight_protocol::Kind, lang: Lang) -> String {
    text(lang, kind_id(kind), &[])
}

fn kind_id(kind: greenlight_protocol::Kind) -> &'static str {
    use greenlight_protocol::Kind;
    match kind {
        Kind::Ticket => "kind-ticket",
        Kind::KeyList => "kind-key-list",
        Kind::VenueCode => "kind-venue-code",
        Kind::Presentation => "kind-presentation",
        Kind::VenueSetup => "kind-venue-setup",
    }
}

/// The localized name of a kind as the complement of "this is …": with its article in
/// English ("an issuance ticket", "a venue code"); Chinese has none.
pub fn kind_with_article(kind: greenlight_protocol::Kind, lang: Lang) -> String {
    text(lang, &format!("{}-a", kind_id(kind)), &[])
}

/// Names joined as a list in `lang` ("a, b" / "a、b").
pub fn list(names: &[String], lang: Lang) -> String {
    names.join(&text(lang, "list-separator", &[]))
}

/// Every catalogue id this module uses outside [`Msg`] (for the test that they exist).
pub fn extra_ids() -> Vec<String> {
    let mut ids = vec!["list-separator".to_owned()];
    for k in greenlight_protocol::Kind::ALL {
        ids.push(kind_id(k).to_owned());
        ids.push(format!("{}-a", kind_id(k)));
    }
    ids
}
