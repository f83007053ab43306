//! Every user-facing message of the `greenlight` tools, in English and Simplified Chinese.
//!
//! One enum, one `match` with two arms per message: a message cannot exist in one language
//! only (the compiler sees to the arms, `tests/i18n.rs` iterates every variant with
//! [`strum::IntoEnumIterator`] and checks both texts are there and really translated).
//! Messages carry their parameters as fields so word order can differ between languages.
//!
//! The verdict keywords `ACCEPT` / `REJECT` and the object prefixes (`GLP1:` …) stay ASCII in
//! both languages: scripts and door-side displays match on them.

use strum::EnumIter;

/// Output language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// From the system locale: `zh*` → Simplified Chinese, anything else (or none) → English.
    pub fn from_locale() -> Lang {
        Self::from_locale_name(sys_locale::get_locale().as_deref().unwrap_or(""))
    }

    /// `zh`, `zh-CN`, `zh_CN.UTF-8`, … → Chinese; everything else English.
    pub fn from_locale_name(name: &str) -> Lang {
        if name.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Parses `en` / `zh` (as given to `--lang`).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "en" | "english" => Some(Lang::En),
            "zh" | "zh-cn" | "zh_cn" | "cn" | "chinese" => Some(Lang::Zh),
            _ => None,
        }
    }
}

/// `tr!(lang, "English {x}", "中文 {x}")`: both texts, formatted with the captured fields.
macro_rules! tr {
    ($lang:expr, $en:literal, $zh:literal) => {
        match $lang {
            Lang::En => format!($en),
            Lang::Zh => format!($zh),
        }
    };
}

/// The text of a server error code: one catalogue for the CLI and the web wallet
/// ([`greenlight_api::messages`]); the CLI's Chinese is Simplified.
fn srv(code: greenlight_api::ErrorCode, lang: Lang) -> String {
    let lang = match lang {
        Lang::En => greenlight_api::messages::Lang::En,
        Lang::Zh => greenlight_api::messages::Lang::ZhHans,
    };
    greenlight_api::messages::server_code_text(code, lang).to_owned()
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
    // --- witness messages (issue 10) ---
    KeyListNotWitnessed {
        detail: String,
    },
    BadWitnessPolicy {
        detail: String,
    },
    HelpArgWitness,
    HelpArgWitnessQuorum,
    SyncWitnessed {
        count: usize,
    },
    // --- end of witness messages ---
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
    // --- presentation version retirement (issue 10) ---
    RejVersionRetired {
        version: u8,
    },
    HelpArgMinVersion,
    BadMinVersion {
        detail: String,
    },
    // --- end ---

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
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use Msg::*;
        match self {
            ErrorLine { detail } => tr!(lang, "error: {detail}", "错误：{detail}"),
            Io { path, detail } => tr!(lang, "could not read or write {path}: {detail}", "无法读写 {path}：{detail}"),
            NoSuchFile { path } => tr!(lang, "no such file: {path}", "没有这个文件：{path}"),
            IsADirectory { path } => tr!(lang, "{path} is a folder, not a file", "{path} 是文件夹，不是文件"),
            NoSuchFolder { path, dir } => tr!(lang, "cannot write {path}: the folder {dir} does not exist", "无法写入 {path}：文件夹 {dir} 不存在"),
            NotAFolder { path, dir } => tr!(lang, "cannot write {path}: {dir} is a file, not a folder", "无法写入 {path}：{dir} 是文件，不是文件夹"),
            SeveralCodes { count } => tr!(lang, "the input holds {count} different Greenlight codes; pass just one", "输入中有 {count} 个不同的 Greenlight 码；请只传入一个"),
            IoNotFound => tr!(lang, "no such file or directory", "文件或文件夹不存在"),
            IoPermissionDenied => tr!(lang, "permission denied", "没有权限"),
            IoAlreadyExists => tr!(lang, "it already exists", "已经存在"),
            IoNotADirectory => tr!(lang, "a part of the path is a file, not a folder", "路径中有一部分是文件而不是文件夹"),
            IoIsADirectory => tr!(lang, "it is a folder, not a file", "这是文件夹，不是文件"),
            IoDiskFull => tr!(lang, "the disk is full", "磁盘已满"),
            IoReadOnly => tr!(lang, "the file system is read-only", "文件系统是只读的"),
            IoOther { detail } => tr!(lang, "system error: {detail}", "系统错误：{detail}"),
            Corrupt { path, detail } => tr!(lang, "{path} is damaged ({detail}); restore it from a backup or remove it", "{path} 已损坏（{detail}）；请从备份恢复或删除它"),
            NoVenue { dir } => tr!(lang, "no venue is set up in {dir}: run `greenlight venue init` first", "{dir} 中没有场所配置：请先运行 `greenlight venue init`"),
            VenueExists { dir } => tr!(lang, "a venue is already set up in {dir}; refusing to overwrite it (its visitors' codes are bound to its id)", "{dir} 中已有场所配置；拒绝覆盖（访客的出示码与该场所编号绑定）"),
            BadRootHex => tr!(lang, "--root must be the root key's fingerprint (32 hexadecimal characters) or the key itself (64 hexadecimal characters, a 32-byte Ed25519 public key)", "--root 必须是根密钥的指纹（32 个十六进制字符）或根密钥本身（64 个十六进制字符，32 字节的 Ed25519 公钥）"),
            BadServerUrl { url } => tr!(lang, "{url} is not a server address (expected http://… or https://…)", "{url} 不是服务器地址（应为 http://… 或 https://…）"),
            BadProfile { name } => tr!(lang, "\"{name}\" is not a usable profile name (1 to 32 characters, no spaces or control characters)", "“{name}”不能用作档案名（1 到 32 个字符，不含空格或控制字符）"),
            InputTooLarge { max } => tr!(lang, "the input is too large (more than {max} bytes) to be a Greenlight code", "输入过大（超过 {max} 字节），不可能是 Greenlight 码"),
            NotText => tr!(lang, "the input is neither text nor a PNG image", "输入既不是文本也不是 PNG 图片"),
            NoQrCode => tr!(lang, "no readable QR code was found in the image", "图片中没有找到可读取的二维码"),
            ImageUnreadable { detail } => tr!(lang, "the image could not be read ({detail})", "无法读取图片（{detail}）"),
            QrWriteFailed { detail } => tr!(lang, "could not create the QR code image ({detail})", "无法生成二维码图片（{detail}）"),
            NotATicket => tr!(lang, "this is not an issuance ticket (a ticket is text starting with GLT1:)", "这不是签发凭单（凭单是以 GLT1: 开头的文本）"),
            TicketIsOtherKind { kind } => tr!(lang, "this is {kind}, not an issuance ticket", "这是{kind}，不是签发凭单"),
            NotAVenueCode => tr!(lang, "this is not a venue code (a venue code is text starting with GLV1:)", "这不是场所码（场所码是以 GLV1: 开头的文本）"),
            VenueCodeIsOtherKind { kind } => tr!(lang, "this is {kind}, not a venue code", "这是{kind}，不是场所码"),
            BadVenueCode { detail } => tr!(lang, "the venue code is damaged or invalid ({detail})", "场所码已损坏或无效（{detail}）"),
            NonStandardWindow { given } => tr!(lang, "window \"{given}\" is not allowed: choose one of 6h, 12h, 24h, 48h, 72h, 7d (168h)", "时间窗口“{given}”不被允许：请选择 6h、12h、24h、48h、72h、7d（168h）之一"),
            BadVenueName { detail } => tr!(lang, "the venue name is not usable ({detail}); use 1 to 64 bytes of text without control characters", "场所名称不可用（{detail}）；请使用 1 到 64 字节、不含控制字符的文本"),
            NotAnyCode => tr!(lang, "not a Greenlight code", "不是 Greenlight 码"),
            DamagedCode { kind, detail } => tr!(lang, "the {kind} is damaged: {detail}", "{kind}已损坏：{detail}"),
            CodeCutShort { kind } => tr!(lang, "the {kind} looks cut short — was it quoted with double quotes in a shell (they swallow every \"$…\" in it)? Use single quotes, or give - instead and paste it, or pass the file", "{kind}似乎被截短了——是否在 shell 中用了双引号（双引号会吞掉其中的“$…”）？请改用单引号，或改为传入 - 再粘贴，或直接传入文件"),
            CodeGarbled => tr!(lang, "it has characters, or a length, that no code has — was it changed while copying? In a shell, put it in single quotes; or pass the file", "其中的字符或长度不可能出现在码中——是否在复制时被改动？在 shell 中请用单引号括起来，或直接传入文件"),
            CodeTooLong => tr!(lang, "it is longer than any code of this kind", "长度超过了此类码的上限"),
            CodeNewerVersion { version } => tr!(lang, "it was made by a newer version of Greenlight (format {version}); update this tool", "它由更新版本的 Greenlight 生成（格式 {version}）；请更新本工具"),
            CodeInvalid { detail } => tr!(lang, "a field breaks the format ({detail})", "某个字段不符合格式"),
            TextEmpty => tr!(lang, "it is empty", "为空"),
            TextTooLong => tr!(lang, "it is too long", "过长"),
            TextNotUtf8 => tr!(lang, "it is not valid UTF-8 text", "不是有效的 UTF-8 文本"),
            TextControlCharacter => tr!(lang, "it contains a control character", "含有控制字符"),
            TextInvisibleCharacter => tr!(lang, "it contains an invisible character (such as a zero-width space)", "含有不可见字符（例如零宽空格）"),

            ServerUnreachable { url } => tr!(lang, "cannot reach the server at {url} (connection refused or no network)", "无法连接服务器 {url}（连接被拒绝或没有网络）"),
            ServerNotHttps { url } => tr!(lang, "the server at {url} does not speak https — try http:// (for a server on this machine) or check the address", "服务器 {url} 不支持 https——请改用 http://（本机上的服务器），或检查地址"),
            ServerTlsCertificate { url } => tr!(lang, "the server at {url} has an https certificate this computer does not trust (self-signed, expired or for another name); check the address", "服务器 {url} 的 https 证书不受本机信任（自签名、已过期或域名不符）；请检查地址"),
            ServerTimeout { url } => tr!(lang, "the server at {url} did not answer in time; try again later", "服务器 {url} 未能及时响应；请稍后重试"),
            ServerBadResponse { detail } => tr!(lang, "the server sent an answer this tool does not understand ({detail})", "服务器返回了无法识别的响应（{detail}）"),
            SrvBadRequest => srv(greenlight_api::ErrorCode::BadRequest, lang),
            SrvInvalidTicket => srv(greenlight_api::ErrorCode::InvalidTicket, lang),
            SrvTicketNotYetValid => srv(greenlight_api::ErrorCode::TicketNotYetValid, lang),
            SrvTicketExpired => srv(greenlight_api::ErrorCode::TicketExpired, lang),
            SrvQuotaExceeded => srv(greenlight_api::ErrorCode::QuotaExceeded, lang),
            SrvTicketTooLong => srv(greenlight_api::ErrorCode::TicketTooLong, lang),
            SrvTicketBusy => srv(greenlight_api::ErrorCode::TicketBusy, lang),
            SrvTicketSuperseded => srv(greenlight_api::ErrorCode::TicketSuperseded, lang),
            SrvSubjectRevoked => srv(greenlight_api::ErrorCode::SubjectRevoked, lang),
            SrvBadRegistration => srv(greenlight_api::ErrorCode::BadRegistration, lang),
            SrvUnknownSession => srv(greenlight_api::ErrorCode::UnknownSession, lang),
            SrvUnauthorized => srv(greenlight_api::ErrorCode::Unauthorized, lang),
            SrvNotFound => srv(greenlight_api::ErrorCode::NotFound, lang),
            SrvPayloadTooLarge => srv(greenlight_api::ErrorCode::PayloadTooLarge, lang),
            SrvRateLimited => srv(greenlight_api::ErrorCode::RateLimited, lang),
            SrvOverloaded => srv(greenlight_api::ErrorCode::Overloaded, lang),
            SrvTimeout => srv(greenlight_api::ErrorCode::Timeout, lang),
            SrvInternal => srv(greenlight_api::ErrorCode::Internal, lang),
            SrvKeyNotIssuing => srv(greenlight_api::ErrorCode::KeyNotIssuing, lang),
            SrvOther { status, code } => tr!(lang, "the server answered with an error (HTTP {status}, {code})", "服务器返回错误（HTTP {status}，{code}）"),

            RootMismatch { pinned, offered } => tr!(lang, "the server's root key (fingerprint {offered}) is not the pinned one ({pinned}); refusing — this may be an impostor server", "服务器的根密钥（指纹 {offered}）与已固定的根密钥（{pinned}）不一致；已拒绝——这可能是冒充的服务器"),
            KeyListInvalid { detail } => tr!(lang, "the issuer key list does not verify under the root key ({detail})", "签发方密钥列表无法用根密钥验证（{detail}）"),
            KeyListRollback { detail } => tr!(lang, "the new key list is not an append-only successor of the one held ({detail}); keeping the old one", "新的密钥列表不是现有列表的追加式后续版本（{detail}）；保留旧列表"),
            // --- witness messages (issue 10) ---
            KeyListNotWitnessed { detail } => tr!(lang, "the server's key list is not vouched for by the witnesses required here ({detail}); keeping the old one — the server may be showing you a list nobody else sees, or an outdated one", "服务器的密钥列表没有得到此处要求的见证方背书（{detail}）；保留旧列表——服务器可能向您展示了别人看不到的列表，或已过时的列表"),
            BadWitnessPolicy { detail } => tr!(lang, "the witness settings are not valid: {detail} (--witness takes a witness's public key, 64 hexadecimal characters; --witness-quorum at least 1 and at most the number of witnesses)", "见证方设置无效：{detail}（--witness 须为见证方公钥，64 个十六进制字符；--witness-quorum 至少为 1，且不超过见证方数量）"),
            HelpArgWitness => tr!(lang, "A witness whose cosignature key lists need (its public key, 64 hex characters; repeat for several)", "密钥列表须经其联署的见证方（其公钥，64 个十六进制字符；可重复指定多个）"),
            HelpArgWitnessQuorum => tr!(lang, "How many of the --witness keys must have cosigned each key list (default: all); stored, and required from then on", "每个密钥列表须有多少个 --witness 见证方联署（默认：全部）；会被保存，此后一直要求"),
            SyncWitnessed { count } => tr!(lang, "Cosigned by {count} of this venue's witnesses.", "已获本场所 {count} 个见证方联署。"),
            // --- end of witness messages ---
            IssuingKeyUnknown { key_id } => tr!(lang, "the server issues under key {key_id}, which is not in the signed key list", "服务器使用的签发密钥 {key_id} 不在已签名的密钥列表中"),
            IssuingKeyRevoked { key_id } => tr!(lang, "the server issues under key {key_id}, which the key list marks as revoked", "服务器使用的签发密钥 {key_id} 在密钥列表中已被吊销"),
            IssuingKeyNotIssuing { key_id } => tr!(lang, "the server issues under key {key_id} outside that key's published issuing period", "服务器在密钥 {key_id} 公布的签发期之外使用该密钥签发"),
            TooManyIssuingKeys { region, count } => tr!(lang, "region {region} publishes {count} keys issuing at the same time; the wallet refuses, because many parallel keys could sort residents into small groups", "地区 {region} 同时有 {count} 个签发中的密钥；钱包拒绝领取，因为多个并行密钥可能把居民分成可识别的小组"),
            TaggingTooManyInList { count, max } => tr!(lang, "the key list has {count} keys issuing at the same time (at most {max}); the wallet refuses, because many parallel keys could sort residents into small groups", "密钥列表中同时有 {count} 个签发中的密钥（最多 {max} 个）；钱包拒绝领取，因为多个并行密钥可能把居民分成可识别的小组"),
            TaggingShortPeriod { region, key_id, hours, min_days } => tr!(lang, "key {key_id} of region {region} issues for only {hours} h (at least {min_days} days are required); the wallet refuses, because its key id would reveal when a token was issued", "地区 {region} 的密钥 {key_id} 只签发 {hours} 小时（至少须 {min_days} 天）；钱包拒绝领取，因为密钥编号会暴露凭证的签发时间"),
            TaggingLookAlike { first, second } => tr!(lang, "the key list names two issuers that look alike ({first:?} and {second:?}); the wallet refuses, because look-alike issuers could sort residents into groups", "密钥列表中有两个看起来相同的签发机构（{first:?} 与 {second:?}）；钱包拒绝领取，因为相似的签发机构可能把居民分组"),
            TaggingUnreadable { name } => tr!(lang, "the key list names an issuer {name:?} with no letter or digit; the wallet refuses", "密钥列表中的签发机构 {name:?} 不含任何字母或数字；钱包拒绝领取"),
            FirstUseRefused { origin } => tr!(lang, "refusing to trust {origin} on first use: use https://, or pass --root FINGERPRINT (compare it with the authority's published fingerprint)", "拒绝在首次使用时信任 {origin}：请改用 https://，或传入 --root 指纹（请与主管部门公布的指纹核对）"),
            RegionChanged { profile, pinned, offered } => tr!(lang, "profile \"{profile}\" redeems in region {pinned}, but this server issues for region {offered}; refusing, because an issuer that moves residents between regions could tell them apart. If this person has really moved, run again with --new-region (or use another --profile)", "档案“{profile}”在地区 {pinned} 领取凭证，但该服务器签发的是地区 {offered} 的凭证；已拒绝，因为在地区之间转移居民的签发方可以借此区分他们。如果此人确实已迁居，请加上 --new-region 重新运行（或使用另一个 --profile）"),

            TicketAuthority => tr!(lang, "this ticket is not signed by the health authority whose tickets this server accepts: it is for another issuer, or damaged; nothing was redeemed", "该凭单不是由本服务器所接受的卫生部门签发的：它属于其他签发方，或已损坏；未领取任何凭证"),
            TicketExpired { not_after } => tr!(lang, "the ticket expired at {not_after}; ask the health authority for a new one", "该凭单已于 {not_after} 过期；请向卫生部门申请新凭单"),
            TicketNotYetValid { not_before } => tr!(lang, "the ticket is valid only from {not_before}", "该凭单自 {not_before} 起才生效"),
            AttributeMismatch { field } => {
                let field = match (field.as_str(), lang) {
                    ("status", Lang::Zh) => "健康状态",
                    ("travel", Lang::Zh) => "行程记录",
                    ("subject", Lang::Zh) => "主体代号",
                    ("key", Lang::Zh) => "签发密钥",
                    (_, Lang::Zh) => "属性",
                    ("status", Lang::En) => "status",
                    ("travel", Lang::En) => "travel history",
                    ("subject", Lang::En) => "subject",
                    ("key", Lang::En) => "issuer key",
                    (_, Lang::En) => "attribute",
                };
                tr!(lang, "the issuer certified a different {field} than the ticket states; tokens refused", "签发方认证的{field}与凭单不符；已拒收凭证")
            }
            TimestampSkew { token_hour, wallet_hour } => tr!(lang, "the issuer dated the tokens {token_hour}, more than 2 hours from this device's clock ({wallet_hour}); refused, since an odd time could single you out (check the clock)", "签发方给凭证标注的时间为 {token_hour}，与本设备时钟（{wallet_hour}）相差超过 2 小时；为防止被特殊时间标记追踪，已拒收（请检查时钟）"),
            IssuanceFailed { detail } => tr!(lang, "issuance failed: the issuer's answer did not verify ({detail}); nothing was stored", "签发失败：签发方的回应未通过验证（{detail}）；未保存任何内容"),

            UnknownProfile { profile, profiles } => tr!(lang, "there is no profile \"{profile}\" in this wallet (profiles: {profiles})", "此钱包中没有档案“{profile}”（现有档案：{profiles}）"),
            WalletEmpty => tr!(lang, "the wallet is empty: redeem a ticket first (`greenlight wallet redeem`)", "钱包为空：请先兑换凭单（`greenlight wallet redeem`）"),
            NoTokens { profile } => tr!(lang, "no tokens left in profile \"{profile}\": redeem a new ticket", "档案“{profile}”中已没有凭证：请兑换新的凭单"),
            NoneGreen { profile } => tr!(lang, "profile \"{profile}\" has no green tokens: a green code cannot be shown", "档案“{profile}”中没有绿色凭证：无法出示绿码"),
            AllTooOld { profile, window } => tr!(lang, "every green token in profile \"{profile}\" is older than this venue's {window}-hour window: redeem a new ticket", "档案“{profile}”中的绿色凭证都早于本场所要求的 {window} 小时时间窗口：请兑换新的凭单"),
            NoneAcceptedKey { profile } => tr!(lang, "the tokens in profile \"{profile}\" were issued under keys that are no longer accepted: redeem a new ticket", "档案“{profile}”中的凭证所用签发密钥已不再被接受：请兑换新的凭单"),
            TokensFromFuture { profile } => tr!(lang, "the tokens in profile \"{profile}\" are dated after this device's clock: check the clock", "档案“{profile}”中凭证的时间晚于本设备时钟：请检查时钟"),
            ProveFailed { detail } => tr!(lang, "the presentation could not be built ({detail})", "无法生成出示码（{detail}）"),

            StepFetchKeys { url } => tr!(lang, "fetching issuer keys from {url}", "正在从 {url} 获取签发方密钥"),
            StepRegister { n } => {
                let tokens = tokens_en(*n);
                tr!(lang, "requesting {n} {tokens}", "正在申请 {n} 个凭证")
            }
            StepChallenge => tr!(lang, "blinding the issuer's commitments", "正在对签发方承诺进行盲化"),
            StepVerify { n } => {
                let tokens = tokens_en(*n);
                tr!(lang, "verifying {n} {tokens}", "正在验证 {n} 个凭证")
            }
            StepStore => tr!(lang, "storing tokens", "正在保存凭证"),
            StepBatch { index, count } => tr!(lang, "batch {index} of {count}", "第 {index} 批，共 {count} 批"),
            StepWaiting { secs, code } => tr!(lang, "the server is busy ({code}); asking again in {secs} s", "服务器繁忙（{code}）；{secs} 秒后重试"),
            RedeemIncomplete { stored, asked, reason } => tr!(lang, "{reason}\ntokens of this ticket issued and stored in the wallet before that: {stored} of {asked}", "{reason}\n在此之前已签发并保存在钱包中的该凭单凭证：{stored} / {asked}"),
            RootPinnedFirstUse { fingerprint } => tr!(lang, "Pinned this server's root key on first use. Fingerprint: {fingerprint}\nCompare it with the fingerprint the health authority publishes.", "首次使用，已固定该服务器的根密钥。指纹：{fingerprint}\n请与卫生部门公布的指纹核对。"),
            RootPinnedExplicit { fingerprint } => tr!(lang, "Pinned the root key given with --root. Fingerprint: {fingerprint}", "已固定 --root 指定的根密钥。指纹：{fingerprint}"),
            RootMatches { fingerprint } => tr!(lang, "Root key matches the pinned one ({fingerprint}).", "根密钥与已固定的一致（{fingerprint}）。"),
            Redeemed { n, profile, status, total } => {
                let tokens = tokens_en(*n);
                tr!(lang, "Stored {n} new {status} {tokens} in profile \"{profile}\" ({total} in total).", "已在档案“{profile}”中保存 {n} 个新的{status}凭证（共 {total} 个）。")
            }
            NewProfile { profile } => tr!(lang, "Created profile \"{profile}\" with its own holder secret.", "已创建档案“{profile}”，并为其生成独立的持有人密钥。"),
            RegionPinned { profile, region, issuer } => tr!(lang, "Profile \"{profile}\" now redeems in region {region} ({issuer}); tickets for another region are refused unless you pass --new-region.", "档案“{profile}”现固定在地区 {region}（{issuer}）领取凭证；其他地区的凭单将被拒绝，除非加上 --new-region。"),
            RegionMoved { profile, from, region, issuer } => tr!(lang, "Profile \"{profile}\" moved from region {from} to {region} ({issuer}).", "档案“{profile}”已从地区 {from} 转到 {region}（{issuer}）。"),

            StatusWallet { dir } => tr!(lang, "Wallet: {dir}", "钱包：{dir}"),
            StatusRoot { fingerprint, sequence } => tr!(lang, "Root key fingerprint: {fingerprint} · key list version {sequence}", "根密钥指纹：{fingerprint} · 密钥列表版本 {sequence}"),
            StatusEmpty => tr!(lang, "The wallet is empty: redeem a ticket with `greenlight wallet redeem`.", "钱包为空：请用 `greenlight wallet redeem` 兑换凭单。"),
            StatusProfile { profile, total } => {
                let tokens = tokens_en(*total);
                tr!(lang, "Profile \"{profile}\": {total} {tokens}", "档案“{profile}”：{total} 个凭证")
            }
            StatusLine { count, status, age } => tr!(lang, "  {count} × {status}, issued {age} h ago", "  {count} 个{status}，{age} 小时前签发"),
            StatusNoTokens => tr!(lang, "  (no tokens)", "  （没有凭证）"),
            StatusUnknownProfile { profile, profiles } => tr!(lang, "There is no profile \"{profile}\" in this wallet (profiles: {profiles}).", "此钱包中没有档案“{profile}”（现有档案：{profiles}）。"),
            StatusName { status } => match (status.as_str(), lang) {
                ("green", Lang::En) => "green".to_owned(),
                ("yellow", Lang::En) => "yellow".to_owned(),
                ("red", Lang::En) => "red".to_owned(),
                ("green", Lang::Zh) => "绿码".to_owned(),
                ("yellow", Lang::Zh) => "黄码".to_owned(),
                ("red", Lang::Zh) => "红码".to_owned(),
                (other, Lang::En) => format!("unknown status ({other})"),
                (other, Lang::Zh) => format!("未知状态（{other}）"),
            },

            Presenting { venue, window } => tr!(lang, "Showing a green code for \"{venue}\" (issued within {window} h).", "正在为“{venue}”出示绿码（{window} 小时内签发）。"),
            PresentedLeft { left, profile } => tr!(lang, "One token used; {left} left in profile \"{profile}\". Each code can be shown only once.", "已使用一个凭证；档案“{profile}”还剩 {left} 个。每个码只能出示一次。"),
            QrWritten { path, version } => tr!(lang, "QR code (version {version}) written to {path}", "二维码（版本 {version}）已写入 {path}"),
            ShowThisCode => tr!(lang, "Show this code at the door:", "请在门口出示此码："),

            VenueCreated { name, window, dir } => tr!(lang, "Venue \"{name}\" created in {dir}: visitors must show green, issued within {window} h.", "已在 {dir} 创建场所“{name}”：访客须出示 {window} 小时内签发的绿码。"),
            VenueCodeIntro { name, window } => tr!(lang, "Venue code of \"{name}\" (green within {window} h); display it at the entrance:", "“{name}”的场所码（{window} 小时内绿码）；请张贴在入口处："),
            SyncUnchanged { sequence } => tr!(lang, "Key list is up to date (version {sequence}).", "密钥列表已是最新（版本 {sequence}）。"),
            SyncUpdated { old, new } => tr!(lang, "Key list updated from version {old} to {new}.", "密钥列表已从版本 {old} 更新到 {new}。"),
            SyncNewIssuer { region } => tr!(lang, "  new issuer: {region}", "  新增签发方：{region}"),
            SyncNewKey { region, key_id } => tr!(lang, "  new key {key_id} ({region})", "  新增密钥 {key_id}（{region}）"),
            SyncKeyRevoked { key_id } => tr!(lang, "  key {key_id} revoked: its tokens are no longer accepted", "  密钥 {key_id} 已吊销：其凭证不再被接受"),
            SyncKeyShortened { key_id } => tr!(lang, "  key {key_id}: validity shortened", "  密钥 {key_id}：有效期已缩短"),
            Accept => tr!(lang, "ACCEPT", "ACCEPT（通过）"),
            Reject { reason } => tr!(lang, "REJECT: {reason}", "REJECT（拒绝）：{reason}"),
            AcceptDetail { region } => tr!(lang, "green, issued within this venue's window (issuer: {region})", "绿码，在本场所时间窗口内签发（签发方：{region}）"),

            RejBadEncoding => tr!(lang, "damaged or incomplete code; ask the visitor to show it again", "码已损坏或不完整；请访客重新出示"),
            RejUnknownKey => tr!(lang, "issued under a key this venue does not accept (unknown, revoked, expired or not yet in use); the visitor needs new tokens — or run `venue sync`", "签发密钥不被本场所接受（未知、已吊销、已过期或尚未启用）；访客需要更新凭证——或运行 `venue sync`"),
            RejBadSignature => tr!(lang, "the issuer's signature is not valid: forged or altered code", "签发方签名无效：伪造或被篡改的码"),
            RejBadProof => tr!(lang, "the proof is not valid: not a green code, or altered", "证明无效：不是绿码，或已被篡改"),
            RejStale => tr!(lang, "not issued within this venue's window: the visitor needs fresh tokens", "不在本场所的时间窗口内签发：访客需要更新凭证"),
            RejWrongVenue => tr!(lang, "made for a different venue; ask the visitor to scan this venue's code", "这是为其他场所生成的码；请访客扫描本场所的场所码"),
            RejClockSkew => tr!(lang, "the phone's clock is too far from this venue's clock; ask the visitor to check the time and show a new code", "手机时钟与本场所时钟相差太大；请访客校准时间后重新出示"),
            RejNonStandardWindow => tr!(lang, "uses a non-standard time window", "使用了非标准的时间窗口"),
            RejWrongWindow => tr!(lang, "made for a different time window than this venue requires; ask the visitor to scan this venue's code", "时间窗口与本场所要求不符；请访客扫描本场所的场所码"),
            RejWrongPolicy => tr!(lang, "proves something other than what this venue requires", "所证明的内容不是本场所要求的"),
            RejReplayed => tr!(lang, "this code was already shown here; each code works once — ask for a new one", "此码已在本场所出示过；每个码只能使用一次——请重新生成"),
            RejKeyListMismatch => tr!(lang, "the visitor's wallet and this venue hold different issuer key lists: run `greenlight venue sync` if this venue has not synced today; otherwise the visitor's wallet must go online to update", "访客钱包与本场所持有的签发密钥列表不同：如果本场所今天还没有同步，请运行 `greenlight venue sync`；否则请访客的钱包联网更新"),
            RejNotGreenlight => tr!(lang, "not a Greenlight code", "不是 Greenlight 码"),
            RejWrongKind { kind } => tr!(lang, "this is {kind}, not a visitor's code", "这是{kind}，不是访客的出示码"),
            RejNoQr => tr!(lang, "no QR code found in the picture; scan again", "图片中没有找到二维码；请重新扫描"),
            RejUnreadableImage => tr!(lang, "the picture could not be read; scan again", "无法读取图片；请重新扫描"),
            RejTooLarge => tr!(lang, "far too large to be a visitor's code", "内容过大，不可能是访客出示码"),
            RejVersionRetired { version } => tr!(lang, "made by an outdated wallet (presentation version {version}), which this venue no longer accepts — the visitor must update their wallet", "由过时的钱包生成（出示码版本 {version}），本场所已不再接受——访客须更新钱包"),
            BadMinVersion { detail } => tr!(lang, "the minimum presentation version is not valid: {detail}", "最低出示码版本无效：{detail}"),
            HelpArgMinVersion => tr!(lang, "Refuse presentations of a lower wire version (2 retires version 1, which binds no key list; default 1)", "拒绝低于此线格式版本的出示码（2 表示停用版本 1——它不绑定密钥列表；默认 1）"),
            RejSeenFull => tr!(lang, "this venue's list of used codes is full; no new code can be recorded — ask the operator", "本场所的已用码列表已满，无法记录新的码——请联系管理员"),

            InsHeading { kind, bytes, chars } => tr!(lang, "{kind}: {bytes} bytes ({chars} characters as text)", "{kind}：{bytes} 字节（文本 {chars} 个字符）"),
            InsPresKeyId { key_id } => tr!(lang, "issuer key id     {key_id}\n    which issuer key signed the token: reveals the holder's issuing region (and the key's period)", "签发密钥编号      {key_id}\n    签发该凭证的密钥：会透露持有人的签发地区（以及该密钥的使用期）"),
            InsPresRegion { region } => tr!(lang, "    per the key list: issuer {region}", "    据密钥列表：签发方 {region}"),
            InsPresTimeSlot { hour, utc } => tr!(lang, "time slot         {hour} (hours since 1970 = {utc} UTC)\n    the holder's clock, to the hour; the same for everyone presenting in that hour", "时间段            {hour}（自 1970 年起的小时数 = UTC {utc}）\n    持有人设备的时钟，精确到小时；同一小时内出示的所有人都相同"),
            InsPresWindow { window } => tr!(lang, "window            {window} h\n    the venue's recency rule (a standard value); the issuance time itself stays hidden", "时间窗口          {window} 小时\n    场所的时效要求（标准值）；签发时间本身保持隐藏"),
            InsPresVenue { venue_id } => tr!(lang, "venue id          {venue_id}\n    the venue this was made for (copied from its venue code)", "场所编号          {venue_id}\n    生成此码所针对的场所（取自其场所码）"),
            InsPresPolicy { policy } => tr!(lang, "policy            {policy} (green and recent)\n    what is proven: status is green and issued within the window — nothing else", "规则              {policy}（绿码且在时效内）\n    所证明的内容：状态为绿且在时间窗口内签发——仅此而已"),
            InsPresZeta { zeta } => tr!(lang, "ζ                 {zeta}\n    blinded tag: random-looking, different for every token", "ζ                 {zeta}\n    盲化标签：看似随机，每个凭证都不同"),
            InsPresZeta1 { zeta1 } => tr!(lang, "ζ1 (token id)     {zeta1}\n    one-show token id: the venue remembers it to refuse a second use; it appears in no other code of this holder", "ζ1（凭证编号）    {zeta1}\n    一次性凭证编号：场所记住它以拒绝重复使用；不会出现在该持有人的其他任何码中"),
            InsPresSignatureRest => tr!(lang, "ρ ω σ1 σ2 δ μ     six scalars of the issuer's blind signature: random-looking", "ρ ω σ1 σ2 δ μ     签发方盲签名的六个标量：看似随机"),
            InsPresV { v } => tr!(lang, "V                 {v}\n    commitment to the issuance hour: hides it (random-looking)", "V                 {v}\n    对签发时间的承诺：将其隐藏（看似随机）"),
            InsPresProofs { sigma, range } => tr!(lang, "proofs            Σ-proof {sigma} bytes + range proof {range} bytes\n    zero-knowledge proofs: random-looking, reveal nothing beyond the statement", "证明              Σ 证明 {sigma} 字节 + 范围证明 {range} 字节\n    零知识证明：看似随机，除所证明的结论外不透露任何信息"),
            InsPresKeyList => tr!(lang, "key list          bound, not sent (wire version 2)\n    the proof verifies only under the key list the wallet holds: a venue tries its current and previous list, and learns only which", "密钥列表          已绑定、未发送（线路格式第 2 版）\n    证明只在钱包持有的密钥列表下有效：场所依次尝试其当前和上一版列表，只能得知是哪一版"),
            InsPresSummary => tr!(lang, "Not in this code: name, ID, the status colour other than \"green\", the exact issuance time, travel history, the subject handle, the holder secret. Two codes of one holder share nothing but the issuer key, window and (if shown in the same hour) time slot.", "此码不包含：姓名、证件号、除“绿码”之外的状态、确切签发时间、行程记录、主体代号、持有人密钥。同一持有人的两个码之间，除签发密钥、时间窗口以及（同一小时内出示时的）时间段外，没有任何共同之处。"),
            InsPresQr { version } => tr!(lang, "as a QR code (error correction M): version {version}", "作为二维码（纠错等级 M）：版本 {version}"),
            InsTicketId { id } => tr!(lang, "ticket id         {id} (random; the issuer counts tokens against it)", "凭单编号          {id}（随机；签发方据此计数已签发的凭证）"),
            InsTicketSubject { subject } => tr!(lang, "subject handle    {subject} (the authority's pseudonym for the person; goes into the tokens, never shown to venues)", "主体代号          {subject}（卫生部门给此人的化名；写入凭证，但从不向场所出示）"),
            InsTicketStatus { status } => tr!(lang, "status            {status}", "状态              {status}"),
            InsTicketTravel { travel } => tr!(lang, "travel            {travel}", "行程              {travel}"),
            InsTicketValidity { from, until } => tr!(lang, "valid             {from} – {until} UTC", "有效期            UTC {from} – {until}"),
            InsTicketTokens { tokens } => tr!(lang, "tokens            {tokens}", "凭证数量          {tokens}"),
            InsTicketAuthority { key_id } => tr!(lang, "authority key id  {key_id}", "卫生部门密钥编号  {key_id}"),
            InsTicketUnverified => tr!(lang, "(signature not checked here: only the issuer holds the authority's key)", "（此处未校验签名：只有签发方持有卫生部门的公钥）"),
            InsVenueId { venue_id } => tr!(lang, "venue id          {venue_id}", "场所编号          {venue_id}"),
            InsVenueName { name } => tr!(lang, "name              {name}", "名称              {name}"),
            InsVenueWindow { window } => tr!(lang, "window            {window} h", "时间窗口          {window} 小时"),
            InsVenueRequires { status } => tr!(lang, "requires          {status}, issued within the window", "要求              {status}，且在时间窗口内签发"),
            InsVenueNote => tr!(lang, "A venue code is public and carries nothing about any visitor.", "场所码是公开的，不含任何访客信息。"),
            InsSetupServer { server } => tr!(lang, "server            {server}\n    where the verifier fetches the issuer key list", "服务器            {server}\n    核验端从此处获取签发方密钥列表"),
            InsSetupRoot { fingerprint } => tr!(lang, "root fingerprint  {fingerprint}\n    the key list must be signed under this root", "根密钥指纹        {fingerprint}\n    密钥列表必须由此根密钥签名"),
            InsSetupNote => tr!(lang, "A set-up code makes a device this venue's verifier. It holds nothing secret and nothing about any visitor.", "设置码用于把一台设备设为本场所的核验端。其中不含任何秘密，也不含任何访客信息。"),
            InsKeyListSeq { sequence, issued_at } => tr!(lang, "version           {sequence}, signed {issued_at} UTC", "版本              {sequence}，签署于 UTC {issued_at}"),
            InsKeyListIssuer { region, name } => tr!(lang, "issuer {region}: {name}", "签发方 {region}：{name}"),
            InsKeyListKey { key_id, from, until, accept, revoked } => tr!(lang, "  key {key_id}: issues {from} – {until}, accepted until {accept}, revoked: {revoked}", "  密钥 {key_id}：签发期 {from} – {until}，接受至 {accept}，已吊销：{revoked}"),
            InsKeyListUnverified => tr!(lang, "(root signature not checked here: compare the root fingerprint out of band)", "（此处未校验根签名：请另行核对根密钥指纹）"),
            InsNone => tr!(lang, "(none)", "（无）"),
            Yes => tr!(lang, "yes", "是"),
            No => tr!(lang, "no", "否"),

            DemoTitle => tr!(lang, "Greenlight demo: issuer, wallet and venues in one process, on a temporary store.", "Greenlight 演示：签发方、钱包和场所在同一进程中运行，使用临时存储。"),
            DemoStep { n, title } => tr!(lang, "\n[{n}] {title}", "\n【第 {n} 步】{title}"),
            DemoS1Server => tr!(lang, "The issuer starts (embedded, loopback only)", "签发方启动（内嵌，仅本机回环地址）"),
            DemoServerAt { url } => tr!(lang, "    issuer listening at {url}", "    签发方监听于 {url}"),
            DemoS2Ticket => tr!(lang, "The health authority signs a green ticket for subject \"demo-green\"", "卫生部门为主体“demo-green”签发绿色凭单"),
            DemoTicketSigned { tokens, chars } => {
                let noun = tokens_en(*tokens);
                tr!(lang, "    ticket for {tokens} {noun} ({chars} characters of GLT1: text)", "    可换取 {tokens} 个凭证的凭单（GLT1: 文本 {chars} 个字符）")
            }
            DemoS3Redeem => tr!(lang, "The wallet redeems the ticket for a batch of tokens (two round trips)", "钱包用凭单批量换取凭证（两轮往返）"),
            DemoS4Venues => tr!(lang, "Two venues set up: \"Cafe A\" (24 h) and \"Library B\" (24 h)", "设立两个场所：“咖啡馆 A”（24 小时）和“图书馆 B”（24 小时）"),
            DemoVenueA => tr!(lang, "Cafe A", "咖啡馆 A"),
            DemoVenueB => tr!(lang, "Library B", "图书馆 B"),
            DemoS5Present => tr!(lang, "The wallet shows a green code at Cafe A", "钱包在咖啡馆 A 出示绿码"),
            DemoPresentation { chars, version } => tr!(lang, "    presentation: {chars} characters of GLP1: text, QR version {version} (error correction M)", "    出示码：GLP1: 文本 {chars} 个字符，二维码版本 {version}（纠错等级 M）"),
            DemoS6Replay => tr!(lang, "The same code is shown at Cafe A again (replay)", "在咖啡馆 A 再次出示同一个码（重放）"),
            DemoS7OtherVenue => tr!(lang, "A fresh code made for Cafe A is shown at Library B", "为咖啡馆 A 新生成的码被拿到图书馆 B 出示"),
            DemoS7Back => tr!(lang, "    …and the same code at Cafe A, where it belongs:", "    ……再在它所属的咖啡馆 A 出示："),
            DemoS8Red => tr!(lang, "A red ticket (subject \"demo-red\") is redeemed into profile \"red\"", "红色凭单（主体“demo-red”）被兑换到档案“red”"),
            DemoWalletRefused { reason } => tr!(lang, "    the wallet refuses to present: {reason}", "    钱包拒绝出示：{reason}"),
            DemoForced => tr!(lang, "    forcing it: take a red token out of the wallet, overwrite its status with green and build the proof directly with the circuits crate — the certified status inside the issuer's signature is still red, so the proof cannot hold:", "    强行尝试：从钱包取出一个红码凭证，把其状态改写为绿色，再直接用 circuits 库生成证明——签发方签名中认证的状态仍为红色，因此证明无法成立："),
            DemoS9Revoke => tr!(lang, "The authority revokes \"demo-green\"; a new ticket for it is redeemed", "卫生部门撤销“demo-green”；随后兑换该主体的新凭单"),
            DemoRedeemRefused { reason } => tr!(lang, "    redeem refused: {reason}", "    兑换被拒绝：{reason}"),
            DemoS10Appeal => tr!(lang, "Appeal granted: the revocation is lifted; tickets signed before it stay void, so the authority signs a new one, which redeems", "申诉成功：撤销被解除；此前签发的凭单仍然作废，卫生部门签发新凭单并成功兑换"),
            DemoExpected { what } => tr!(lang, "    expected: {what}", "    预期：{what}"),
            DemoOk => tr!(lang, "    ✓ as expected", "    ✓ 符合预期"),
            DemoFailed { step, detail } => tr!(lang, "demo step {step} did not behave as expected: {detail}", "演示第 {step} 步与预期不符：{detail}"),
            DemoAllPassed => tr!(lang, "\nAll steps behaved as expected.", "\n所有步骤均符合预期。"),
            DemoUnexpectedAccept => tr!(lang, "the venue accepted a code it must reject", "场所接受了本应拒绝的码"),
            DemoWrongReason { got } => tr!(lang, "rejected for the wrong reason: {got}", "拒绝理由不对：{got}"),

            UsageHeading => tr!(lang, "Usage:", "用法："),
            UsageMoreInfo => tr!(lang, "For more information, try '--help'.", "更多信息请使用 '--help'。"),
            UsageMissingArgs { args } => tr!(lang, "the following required arguments were not provided: {args}", "缺少必需的参数：{args}"),
            UsageUnknownArg { arg } => tr!(lang, "unexpected argument '{arg}' found", "无法识别的参数“{arg}”"),
            UsageSimilarArg { arg } => tr!(lang, "tip: a similar argument exists: '{arg}'", "提示：有一个相似的参数“{arg}”"),
            UsageSimilarSubcommand { name } => tr!(lang, "tip: a similar subcommand exists: '{name}'", "提示：有一个相似的子命令“{name}”"),
            UsageCodeSplit => tr!(lang, "tip: a Greenlight code contains spaces, so the shell split it; put it in single quotes ('GLT1:…'), or pass the file, or - and paste it", "提示：Greenlight 码中含有空格，因此被 shell 拆开了；请用单引号括起来（'GLT1:…'），或传入文件，或传入 - 再粘贴"),
            UsageInvalidValue { arg, value } => tr!(lang, "invalid value '{value}' for '{arg}'", "参数“{arg}”的值“{value}”无效"),
            UsagePossibleValues { values } => tr!(lang, "possible values: {values}", "可选值：{values}"),
            UsageUnknownSubcommand { name } => tr!(lang, "unrecognized subcommand '{name}'", "无法识别的子命令“{name}”"),
            UsageOther { detail } => tr!(lang, "invalid command line: {detail}", "命令行参数有误：{detail}"),

            HelpFlag => tr!(lang, "Print help", "显示帮助"),
            VersionFlag => tr!(lang, "Print version", "显示版本"),
            HelpSubcommand => tr!(lang, "Print this message or the help of the given subcommand(s)", "显示此帮助或指定子命令的帮助"),
            HelpHeadingCommands => tr!(lang, "Commands:", "命令："),
            HelpHeadingArguments => tr!(lang, "Arguments:", "参数："),
            HelpHeadingOptions => tr!(lang, "Options:", "选项："),
            HelpAbout => tr!(lang, "Greenlight: a private health-code wallet and venue verifier. Venues learn only \"green, issued recently\" — never who you are.", "Greenlight：保护隐私的健康码钱包与场所核验工具。场所只知道“绿码、近期签发”——不知道你是谁。"),
            HelpLang => tr!(lang, "Language of messages: en or zh (default: from the system locale)", "消息语言：en 或 zh（默认取自系统区域设置）"),
            HelpWallet => tr!(lang, "Resident's wallet: redeem tickets, show green codes", "居民钱包：兑换凭单、出示绿码"),
            HelpRedeem => tr!(lang, "Redeem an issuance ticket for a batch of one-show tokens", "用签发凭单换取一批一次性凭证"),
            HelpStatus => tr!(lang, "Show how many tokens each profile holds, by status and age (never secrets)", "显示每个档案的凭证数量，按状态和时长分类（不显示任何密钥）"),
            HelpPresent => tr!(lang, "Show a green code for a venue (uses up one token)", "为场所出示绿码（消耗一个凭证）"),
            HelpVenue => tr!(lang, "Venue tools: set up, show the venue code, verify visitors offline", "场所工具：设立场所、显示场所码、离线核验访客"),
            HelpInit => tr!(lang, "Set up a venue: pin the root key, fetch the key list, create the venue code", "设立场所：固定根密钥、获取密钥列表、生成场所码"),
            HelpCode => tr!(lang, "Print this venue's code (last line), optionally as a QR image", "打印本场所的场所码（最后一行），可另存为二维码图片"),
            HelpSync => tr!(lang, "Refresh the issuer key list (verified and append-only)", "更新签发方密钥列表（经验证且只可追加）"),
            HelpVerify => tr!(lang, "Check a visitor's code offline: exit 0 ACCEPT, 1 REJECT, 2 usage or I/O error", "离线核验访客的出示码：退出码 0 通过，1 拒绝，2 用法或读写错误"),
            HelpInspect => tr!(lang, "Show every field of a presentation, venue code, ticket or key list, and what it reveals", "显示出示码、场所码、凭单或密钥列表的每个字段及其透露的信息"),
            HelpDemo => tr!(lang, "Run the whole story in one process on a temporary store", "在临时存储上于单个进程中演示完整流程"),
            HelpArgServer => tr!(lang, "Issuer server URL, e.g. http://127.0.0.1:8080", "签发服务器地址，例如 http://127.0.0.1:8080"),
            HelpArgTicket => tr!(lang, "The ticket: GLT1:… text in single quotes (it contains spaces and $), a file holding it (the whole output of `greenlight-server ticket` will do; or a PNG of its QR code), or - to read it from standard input", "凭单：用单引号括起来的 GLT1:… 文本（其中含有空格和 $）、存有凭单的文件（可直接使用 `greenlight-server ticket` 的完整输出，或其二维码 PNG），或 - 表示从标准输入读取"),
            HelpArgWallet => tr!(lang, "Wallet directory (default: the user data directory's greenlight/wallet)", "钱包目录（默认：用户数据目录下的 greenlight/wallet）"),
            HelpArgProfile => tr!(lang, "Profile: whose tokens (e.g. self, father) — each has its own holder secret", "档案：谁的凭证（如 self、father）——每个档案有独立的持有人密钥"),
            HelpArgRoot => tr!(lang, "Pin this root key instead of trusting the server's on first use: its fingerprint (32 hex characters, as the authority publishes it) or the key (64 hex characters). Required for a plain http:// server that is not on this machine", "固定此根密钥，而非首次使用时信任服务器提供的：填写其指纹（32 个十六进制字符，即主管部门公布的）或密钥本身（64 个十六进制字符）。对不在本机上的 http:// 服务器必须提供"),
            HelpArgNewRegion => tr!(lang, "Allow this profile to redeem in another region than before (the person has moved); without it the wallet refuses, because an issuer could move residents between regions to tell them apart", "允许此档案在与以前不同的地区领取凭证（此人已迁居）；否则钱包会拒绝，因为签发方可能借地区转移来区分居民"),
            HelpArgVenueCode => tr!(lang, "The venue code: GLV1:… text, a file holding it (text such as the output of `greenlight venue code`, or a PNG photo of its QR code), or - for standard input", "场所码：GLV1:… 文本、存有场所码的文件（如 `greenlight venue code` 的输出，或其二维码照片 PNG），或 - 表示标准输入"),
            HelpArgQr => tr!(lang, "Also write the code as a QR image to this PNG file", "同时将此码以二维码图片写入该 PNG 文件"),
            HelpArgName => tr!(lang, "Venue name shown to visitors", "向访客显示的场所名称"),
            HelpArgWindow => tr!(lang, "How recent tokens must be: 6h, 12h, 24h, 48h, 72h or 7d", "凭证须在多长时间内签发：6h、12h、24h、48h、72h 或 7d"),
            HelpArgVenueDir => tr!(lang, "Venue directory (default: the user data directory's greenlight/venue)", "场所目录（默认：用户数据目录下的 greenlight/venue）"),
            HelpArgVerifyInput => tr!(lang, "The visitor's code: GLP1:… text, a file holding it (text, or a PNG with its QR code), or - for standard input", "访客的出示码：GLP1:… 文本、存有出示码的文件（文本或含二维码的 PNG），或 - 表示标准输入"),
            HelpArgBinary => tr!(lang, "Read the presentation as raw bytes (its binary encoding, not GLP1: text) from FILE", "从 FILE 读取出示码的原始字节（二进制编码，而非 GLP1: 文本）"),
            HelpArgNow => tr!(lang, "For testing and auditing: judge as if the venue's clock read TIME (RFC 3339, e.g. 2025-11-24T16:10:00Z, or Unix seconds); only the clock changes, the seen-set is checked and updated as usual", "仅用于测试和审计：按场所时钟为 TIME 时判定（RFC 3339，如 2025-11-24T16:10:00Z，或 Unix 秒数）；只改变时钟，已见集合照常检查和更新"),
            HelpArgInspectInput => tr!(lang, "Any Greenlight code as text, a file, a PNG with a QR code, or - for standard input", "任意 Greenlight 码：文本、文件、含二维码的 PNG，或 - 表示标准输入"),
            HelpExitCodes => tr!(lang, "Exit codes: 0 success/ACCEPT, 1 refused/REJECT, 2 usage, input or local I/O error, 3 server unreachable or failing.", "退出码：0 成功/通过，1 被拒绝/拒绝，2 用法、输入或本地读写错误，3 服务器无法连接或出错。"),
            HelpArgSetupQr => tr!(lang, "Also write the set-up code of the venue page (venue code, server, root fingerprint) as a QR image to this PNG file", "同时将场所核验页面的设置码（场所码、服务器、根密钥指纹）以二维码图片写入该 PNG 文件"),
            SetupQrWritten { path, page } => tr!(lang, "Set-up code for the venue page written to {path}: scan it on the venue's phone at {page}", "场所核验页面的设置码已写入 {path}：请在场所的手机上打开 {page} 并扫描它"),
            SetupQrNoServer => tr!(lang, "it names no \"server\", which a set-up code needs: run `venue init` again", "其中没有设置码所需的 \"server\"：请重新运行 `venue init`"),
            SetupQrBadServer { detail } => tr!(lang, "its \"server\" cannot go into a set-up code: {detail}", "其中的 \"server\" 无法写入设置码：{detail}"),
        }
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
    use greenlight_protocol::Kind;
    match (kind, lang) {
        (Kind::Ticket, Lang::En) => "issuance ticket".to_owned(),
        (Kind::Ticket, Lang::Zh) => "签发凭单".to_owned(),
        (Kind::KeyList, Lang::En) => "issuer key list".to_owned(),
        (Kind::KeyList, Lang::Zh) => "签发方密钥列表".to_owned(),
        (Kind::VenueCode, Lang::En) => "venue code".to_owned(),
        (Kind::VenueCode, Lang::Zh) => "场所码".to_owned(),
        (Kind::Presentation, Lang::En) => "presentation (visitor's code)".to_owned(),
        (Kind::Presentation, Lang::Zh) => "出示码".to_owned(),
        (Kind::VenueSetup, Lang::En) => "venue set-up code".to_owned(),
        (Kind::VenueSetup, Lang::Zh) => "场所设置码".to_owned(),
    }
}

/// The localized name of a kind as the complement of "this is …": with its article in
/// English ("an issuance ticket", "a venue code"); Chinese has none.
pub fn kind_with_article(kind: greenlight_protocol::Kind, lang: Lang) -> String {
    use greenlight_protocol::Kind;
    match (kind, lang) {
        (Kind::Ticket, Lang::En) => "an issuance ticket".to_owned(),
        (Kind::KeyList, Lang::En) => "an issuer key list".to_owned(),
        (Kind::VenueCode, Lang::En) => "a venue code".to_owned(),
        (Kind::Presentation, Lang::En) => "a presentation (visitor's code)".to_owned(),
        (Kind::VenueSetup, Lang::En) => "a venue set-up code".to_owned(),
        (kind, Lang::Zh) => kind_name(kind, Lang::Zh),
    }
}

/// Names joined as a list in `lang` ("a, b" / "a、b").
pub fn list(names: &[String], lang: Lang) -> String {
    names.join(match lang {
        Lang::En => ", ",
        Lang::Zh => "、",
    })
}

/// "token" or "tokens" after a count, in English (Chinese counts take no plural).
fn tokens_en(n: u64) -> &'static str {
    if n == 1 {
        "token"
    } else {
        "tokens"
    }
}
