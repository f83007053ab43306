# The `greenlight` command-line tool. Ids are the `Msg` variants of client/src/i18n.rs in
# kebab case. Keep ACCEPT, REJECT and the code prefixes (GLT1:, GLV1:, GLP1: …) ASCII in every
# language: scripts and door-side displays match on them.

error-line = 錯誤：{ $detail }
io = 無法讀寫 { $path }：{ $detail }
no-such-file = 沒有這個檔案：{ $path }
is-a-directory = { $path } 是資料夾，不是檔案
no-such-folder = 無法寫入 { $path }：資料夾 { $dir } 不存在
not-a-folder = 無法寫入 { $path }：{ $dir } 是檔案，不是資料夾
several-codes = 輸入中有 { $count } 個不同的 Greenlight 碼；請只傳入一個
io-not-found = 檔案或資料夾不存在
io-permission-denied = 沒有權限
io-already-exists = 已經存在
io-not-a-directory = 路徑中有一部分是檔案而不是資料夾
io-is-a-directory = 這是資料夾，不是檔案
io-disk-full = 磁碟已滿
io-read-only = 檔案系統是唯讀的
io-other = 系統錯誤：{ $detail }
corrupt = { $path } 已損壞（{ $detail }）；請從備份恢復或刪除它
no-venue = { $dir } 中沒有場所配置：請先執行 `greenlight venue init`
venue-exists = { $dir } 中已有場所配置；拒絕覆蓋（訪客的出示碼與該場所編號繫結）
bad-root-hex = --root 必須是根金鑰的指紋（32 個十六進位制字元）或根金鑰本身（64 個十六進位制字元，32 位元組的 Ed25519 公鑰）
bad-server-url = { $url } 不是伺服器地址（應為 http://… 或 https://…）
bad-profile = 「{ $name }」不能用作個人檔案名（1 到 32 個字元，不含空格或控制字元）
input-too-large = 輸入過大（超過 { $max } 位元組），不可能是 Greenlight 碼
not-text = 輸入既不是文字也不是 PNG 圖片
no-qr-code = 圖片中沒有找到可讀取的 QR 碼
image-unreadable = 無法讀取圖片（{ $detail }）
qr-write-failed = 無法產生 QR 碼圖片（{ $detail }）
not-a-ticket = 這不是簽發憑單（憑單是以 GLT1: 開頭的文字）
ticket-is-other-kind = 這是{ $kind }，不是簽發憑單
not-a-venue-code = 這不是場所碼（場所碼是以 GLV1: 開頭的文字）
venue-code-is-other-kind = 這是{ $kind }，不是場所碼
bad-venue-code = 場所碼已損壞或無效（{ $detail }）
non-standard-window = 時間窗口「{ $given }」不被允許：請選擇 6h、12h、24h、48h、72h、7d（168h）之一
bad-venue-name = 場所名稱不可用（{ $detail }）；請使用 1 到 64 位元組、不含控制字元的文字
not-any-code = 不是 Greenlight 碼
damaged-code = { $kind }已損壞：{ $detail }
code-cut-short = { $kind }似乎被截短了——是否在 shell 中用了雙引號（雙引號會吞掉其中的「$…」）？請改用單引號，或改為傳入 - 再貼上，或直接傳入檔案
code-garbled = 其中的字元或長度不可能出現在碼中——是否在複製時被改動？在 shell 中請用單引號括起來，或直接傳入檔案
code-too-long = 長度超過了此類碼的上限
code-newer-version = 它由更新版本的 Greenlight 產生（格式 { $version }）；請更新本工具
code-invalid = 某個欄位不符合格式（{ $detail }）
text-empty = 為空
text-too-long = 過長
text-not-utf8 = 不是有效的 UTF-8 文字
text-control-character = 含有控制字元
text-invisible-character = 含有不可見字元（例如零寬空格）
server-unreachable = 無法連線伺服器 { $url }（連線被拒絕或沒有網路）
server-not-https = 伺服器 { $url } 不支援 https——請改用 http://（本機上的伺服器），或檢查地址
server-tls-certificate = 伺服器 { $url } 的 https 證書不受本機信任（自簽名、已過期或域名不符）；請檢查地址
server-timeout = 伺服器 { $url } 未能及時回應；請稍後重試
server-bad-response = 伺服器返回了無法識別的回應（{ $detail }）
srv-other = 伺服器返回錯誤（HTTP { $status }，{ $code }）
root-mismatch = 伺服器的根金鑰（指紋 { $offered }）與已固定的根金鑰（{ $pinned }）不一致；已拒絕——這可能是冒充的伺服器
key-list-invalid = 簽發方金鑰清單無法用根金鑰驗證（{ $detail }）
key-list-rollback = 新的金鑰清單不是現有清單的追加式後續版本（{ $detail }）；保留舊清單
key-list-not-witnessed = 伺服器的金鑰清單沒有得到此處要求的見證方背書（{ $detail }）；保留舊清單——伺服器可能向您展示了別人看不到的清單，或已過時的清單
bad-witness-policy = 見證方設定無效：{ $detail }（--witness 須為見證方公鑰，64 個十六進位字元；--witness-quorum 至少為 1，且不超過見證方數量）
bad-min-version = 最低出示碼版本無效：{ $detail }
issuing-key-unknown = 伺服器使用的簽發金鑰 { $key_id } 不在已簽名的金鑰清單中
issuing-key-revoked = 伺服器使用的簽發金鑰 { $key_id } 在金鑰清單中已被撤銷
issuing-key-not-issuing = 伺服器在金鑰 { $key_id } 公佈的簽發期之外使用該金鑰簽發
too-many-issuing-keys = 地區 { $region } 同時有 { $count } 個簽發中的金鑰；錢包拒絕領取，因為多個並行金鑰可能把居民分成可識別的小組
tagging-too-many-in-list = 金鑰清單中同時有 { $count } 個簽發中的金鑰（最多 { $max } 個）；錢包拒絕領取，因為多個並行金鑰可能把居民分成可識別的小組
tagging-short-period = 地區 { $region } 的金鑰 { $key_id } 只簽發 { $hours } 小時（至少須 { $min_days } 天）；錢包拒絕領取，因為金鑰編號會暴露憑證的簽發時間
tagging-look-alike = 金鑰清單中有兩個看起來相同的簽發機構（{ $first } 與 { $second }）；錢包拒絕領取，因為相似的簽發機構可能把居民分組
tagging-unreadable = 金鑰清單中的簽發機構 { $name } 不含任何字母或數字；錢包拒絕領取
first-use-refused = 拒絕在首次使用時信任 { $origin }：請改用 https://，或傳入 --root 指紋（請與主管部門公佈的指紋核對）
region-changed = 個人檔案「{ $profile }」在地區 { $pinned } 領取憑證，但該伺服器簽發的是地區 { $offered } 的憑證；已拒絕，因為在地區之間轉移居民的簽發方可以藉此區分他們。如果此人確實已遷居，請加上 --new-region 重新執行（或使用另一個 --profile）
ticket-authority = 該憑單不是由本伺服器所接受的衛生部門簽發的：它屬於其他簽發方，或已損壞；未領取任何憑證
ticket-expired = 該憑單已於 { $not_after } 過期；請向衛生部門申請新憑單
ticket-not-yet-valid = 該憑單自 { $not_before } 起才生效
timestamp-skew = 簽發方給憑證標註的時間為 { $token_hour }，與本裝置時鐘（{ $wallet_hour }）相差超過 2 小時；為防止被特殊時間標記追蹤，已拒收（請檢查時鐘）
issuance-failed = 簽發失敗：簽發方的回應未通過驗證（{ $detail }）；未儲存任何內容
unknown-profile = 此錢包中沒有個人檔案「{ $profile }」（現有個人檔案：{ $profiles }）
wallet-empty = 錢包為空：請先兌換憑單（`greenlight wallet redeem`）
no-tokens = 個人檔案「{ $profile }」中已沒有憑證：請兌換新的憑單
none-green = 個人檔案「{ $profile }」中沒有綠色憑證：無法出示綠碼
all-too-old = 個人檔案「{ $profile }」中的綠色憑證都早於本場所要求的 { $window } 小時時間窗口：請兌換新的憑單
none-accepted-key = 個人檔案「{ $profile }」中的憑證所用簽發金鑰已不再被接受：請兌換新的憑單
tokens-from-future = 個人檔案「{ $profile }」中憑證的時間晚於本裝置時鐘：請檢查時鐘
prove-failed = 無法產生出示碼（{ $detail }）
step-fetch-keys = 正在從 { $url } 獲取簽發方金鑰
step-challenge = 正在對簽發方承諾進行盲化
step-store = 正在儲存憑證
step-batch = 第 { $index } 批，共 { $count } 批
step-waiting = 伺服器繁忙（{ $code }）；{ $secs } 秒後重試
redeem-incomplete = 
    { $reason }
    在此之前已簽發並儲存在錢包中的該憑單憑證：{ $stored } / { $asked }
root-pinned-first-use = 
    首次使用，已固定該伺服器的根金鑰。指紋：{ $fingerprint }
    請與衛生部門公佈的指紋核對。
root-pinned-explicit = 已固定 --root 指定的根金鑰。指紋：{ $fingerprint }
root-matches = 根金鑰與已固定的一致（{ $fingerprint }）。
new-profile = 已建立個人檔案「{ $profile }」，併為其產生獨立的持有人金鑰。
region-pinned = 個人檔案「{ $profile }」現固定在地區 { $region }（{ $issuer }）領取憑證；其他地區的憑單將被拒絕，除非加上 --new-region。
region-moved = 個人檔案「{ $profile }」已從地區 { $from } 轉到 { $region }（{ $issuer }）。
status-wallet = 錢包：{ $dir }
status-root = 根金鑰指紋：{ $fingerprint } · 金鑰清單版本 { $sequence }
status-empty = 錢包為空：請用 `greenlight wallet redeem` 兌換憑單。
status-line = { "  " }{ $count } 個{ $status }，{ $age } 小時前簽發
status-no-tokens = { "  " }（沒有憑證）
status-unknown-profile = 此錢包中沒有個人檔案「{ $profile }」（現有個人檔案：{ $profiles }）。
presenting = 正在為「{ $venue }」出示綠碼（{ $window } 小時內簽發）。
presented-left = 已使用一個憑證；個人檔案「{ $profile }」還剩 { $left } 個。每個碼只能出示一次。
qr-written = QR 碼（版本 { $version }）已寫入 { $path }
show-this-code = 請在門口出示此碼：
venue-created = 已在 { $dir } 建立場所「{ $name }」：訪客須出示 { $window } 小時內簽發的綠碼。
venue-code-intro = 「{ $name }」的場所碼（{ $window } 小時內綠碼）；請張貼在入口處：
sync-unchanged = 金鑰清單已是最新（版本 { $sequence }）。
sync-updated = 金鑰清單已從版本 { $old } 更新到 { $new }。
sync-new-issuer = { "  " }新增簽發方：{ $region }
sync-new-key = { "  " }新增金鑰 { $key_id }（{ $region }）
sync-key-revoked = { "  " }金鑰 { $key_id } 已撤銷：其憑證不再被接受
sync-key-shortened = { "  " }金鑰 { $key_id }：有效期已縮短
sync-witnessed = 已獲本場所 { $count } 個見證方聯署。
accept = ACCEPT（通過）
reject = REJECT（拒絕）：{ $reason }
accept-detail = 綠碼，在本場所時間窗口內簽發（簽發方：{ $region }）
rej-bad-encoding = 碼已損壞或不完整；請訪客重新出示
rej-unknown-key = 簽發金鑰不被本場所接受（未知、已撤銷、已過期或尚未啟用）；訪客需要更新憑證——或執行 `venue sync`
rej-bad-signature = 簽發方簽名無效：偽造或被篡改的碼
rej-bad-proof = 證明無效：不是綠碼，或已被篡改
rej-stale = 不在本場所的時間窗口內簽發：訪客需要更新憑證
rej-wrong-venue = 這是為其他場所產生的碼；請訪客掃描本場所的場所碼
rej-clock-skew = 手機時鐘與本場所時鐘相差太大；請訪客校準時間後重新出示
rej-non-standard-window = 使用了非標準的時間窗口
rej-wrong-window = 時間窗口與本場所要求不符；請訪客掃描本場所的場所碼
rej-wrong-policy = 所證明的內容不是本場所要求的
rej-replayed = 此碼已在本場所出示過；每個碼只能使用一次——請重新產生
rej-key-list-mismatch = 訪客錢包與本場所持有的簽發金鑰清單不同：如果本場所今天還沒有同步，請執行 `greenlight venue sync`；否則請訪客的錢包聯網更新
rej-not-greenlight = 不是 Greenlight 碼
rej-wrong-kind = 這是{ $kind }，不是訪客的出示碼
rej-no-qr = 圖片中沒有找到 QR 碼；請重新掃描
rej-unreadable-image = 無法讀取圖片；請重新掃描
rej-too-large = 內容過大，不可能是訪客出示碼
rej-seen-full = 本場所的已用碼清單已滿，無法記錄新的碼——請聯絡管理員
rej-version-retired = 由過時的錢包產生（出示碼版本 { $version }），本場所已不再接受——訪客須更新錢包
ins-heading = { $kind }：{ $bytes } 位元組（文字 { $chars } 個字元）
ins-pres-key-id = 
    簽發金鑰編號      { $key_id }
    { "    " }簽發該憑證的金鑰：會透露持有人的簽發地區（以及該金鑰的使用期）
ins-pres-region = { "    " }據金鑰清單：簽發方 { $region }
ins-pres-time-slot = 
    時間段            { $hour }（自 1970 年起的小時數 = UTC { $utc }）
    { "    " }持有人裝置的時鐘，精確到小時；同一小時內出示的所有人都相同
ins-pres-window = 
    時間窗口          { $window } 小時
    { "    " }場所的時效要求（標準值）；簽發時間本身保持隱藏
ins-pres-venue = 
    場所編號          { $venue_id }
    { "    " }產生此碼所針對的場所（取自其場所碼）
ins-pres-policy = 
    規則              { $policy }（綠碼且在時效內）
    { "    " }所證明的內容：狀態為綠且在時間窗口內簽發——僅此而已
ins-pres-zeta = 
    ζ                 { $zeta }
    { "    " }盲化標籤：看似隨機，每個憑證都不同
ins-pres-zeta1 = 
    ζ1（憑證編號）    { $zeta1 }
    { "    " }一次性憑證編號：場所記住它以拒絕重複使用；不會出現在該持有人的其他任何碼中
ins-pres-signature-rest = ρ ω σ1 σ2 δ μ     簽發方盲簽名的六個標量：看似隨機
ins-pres-v = 
    V                 { $v }
    { "    " }對簽發時間的承諾：將其隱藏（看似隨機）
ins-pres-proofs = 
    證明              Σ 證明 { $sigma } 位元組 + 範圍證明 { $range } 位元組
    { "    " }零知識證明：看似隨機，除所證明的結論外不透露任何資訊
ins-pres-key-list = 
    金鑰清單          已繫結、未傳送（線路格式第 2 版）
    { "    " }證明只在錢包持有的金鑰清單下有效：場所依次嘗試其當前和上一版清單，只能得知是哪一版
ins-pres-summary = 此碼不包含：姓名、證件號、除「綠碼」之外的狀態、確切簽發時間、行程記錄、主體代號、持有人金鑰。同一持有人的兩個碼之間，除簽發金鑰、時間窗口以及（同一小時內出示時的）時間段外，沒有任何共同之處。
ins-pres-qr = 作為 QR 碼（糾錯等級 M）：版本 { $version }
ins-ticket-id = 憑單編號          { $id }（隨機；簽發方據此計數已簽發的憑證）
ins-ticket-subject = 主體代號          { $subject }（衛生部門給此人的化名；寫入憑證，但從不向場所出示）
ins-ticket-status = 狀態              { $status }
ins-ticket-travel = 行程              { $travel }
ins-ticket-validity = 有效期            UTC { $from } – { $until }
ins-ticket-tokens = 憑證數量          { $tokens }
ins-ticket-authority = 衛生部門金鑰編號  { $key_id }
ins-ticket-unverified = （此處未校驗簽名：只有簽發方持有衛生部門的公鑰）
ins-venue-id = 場所編號          { $venue_id }
ins-venue-name = 名稱              { $name }
ins-venue-window = 時間窗口          { $window } 小時
ins-venue-requires = 要求              { $status }，且在時間窗口內簽發
ins-venue-note = 場所碼是公開的，不含任何訪客資訊。
ins-setup-server = 
    伺服器            { $server }
    { "    " }核驗端從此處獲取簽發方金鑰清單
ins-setup-root = 
    根金鑰指紋        { $fingerprint }
    { "    " }金鑰清單必須由此根金鑰簽名
ins-setup-note = 設定碼用於把一臺裝置設為本場所的核驗端。其中不含任何秘密，也不含任何訪客資訊。
ins-key-list-seq = 版本              { $sequence }，簽署於 UTC { $issued_at }
ins-key-list-issuer = 簽發方 { $region }：{ $name }
ins-key-list-key = { "  " }金鑰 { $key_id }：簽發期 { $from } – { $until }，接受至 { $accept }，已撤銷：{ $revoked }
ins-key-list-unverified = （此處未校驗根簽名：請另行核對根金鑰指紋）
ins-none = （無）
yes = 是
no = 否
demo-title = Greenlight 演示：簽發方、錢包和場所在同一程序中執行，使用臨時儲存。
demo-step = { "\u000A" }【第 { $n } 步】{ $title }
demo-s1-server = 簽發方啟動（內嵌，僅本機迴環地址）
demo-server-at = { "    " }簽發方監聽於 { $url }
demo-s2-ticket = 衛生部門為主體「demo-green」簽發綠色憑單
demo-s3-redeem = 錢包用憑單批次換取憑證（兩輪往返）
demo-s4-venues = 設立兩個場所：「咖啡館 A」（24 小時）和「圖書館 B」（24 小時）
demo-venue-a = 咖啡館 A
demo-venue-b = 圖書館 B
demo-s5-present = 錢包在咖啡館 A 出示綠碼
demo-presentation = { "    " }出示碼：GLP1: 文字 { $chars } 個字元，QR 碼版本 { $version }（糾錯等級 M）
demo-s6-replay = 在咖啡館 A 再次出示同一個碼（重放）
demo-s7-other-venue = 為咖啡館 A 新產生的碼被拿到圖書館 B 出示
demo-s7-back = { "    " }……再在它所屬的咖啡館 A 出示：
demo-s8-red = 紅色憑單（主體「demo-red」）被兌換到個人檔案「red」
demo-wallet-refused = { "    " }錢包拒絕出示：{ $reason }
demo-forced = { "    " }強行嘗試：從錢包取出一個紅碼憑證，把其狀態改寫為綠色，再直接用 circuits 庫產生證明——簽發方簽名中認證的狀態仍為紅色，因此證明無法成立：
demo-s9-revoke = 衛生部門撤銷「demo-green」；隨後兌換該主體的新憑單
demo-redeem-refused = { "    " }兌換被拒絕：{ $reason }
demo-s10-appeal = 申訴成功：撤銷被解除；此前簽發的憑單仍然作廢，衛生部門簽發新憑單併成功兌換
demo-expected = { "    " }預期：{ $what }
demo-ok = { "    " }✓ 符合預期
demo-failed = 演示第 { $step } 步與預期不符：{ $detail }
demo-all-passed = { "\u000A" }所有步驟均符合預期。
demo-unexpected-accept = 場所接受了本應拒絕的碼
demo-wrong-reason = 拒絕理由不對：{ $got }
usage-heading = 用法：
usage-more-info = 更多資訊請使用 '--help'。
usage-missing-args = 缺少必需的引數：{ $args }
usage-unknown-arg = 無法識別的引數「{ $arg }」
usage-similar-arg = 提示：有一個相似的引數「{ $arg }」
usage-similar-subcommand = 提示：有一個相似的子命令「{ $name }」
usage-code-split = 提示：Greenlight 碼中含有空格，因此被 shell 拆開了；請用單引號括起來（'GLT1:…'），或傳入檔案，或傳入 - 再貼上
usage-invalid-value = 引數「{ $arg }」的值「{ $value }」無效
usage-possible-values = 可選值：{ $values }
usage-unknown-subcommand = 無法識別的子命令「{ $name }」
usage-other = 命令列引數有誤：{ $detail }
help-flag = 顯示幫助
version-flag = 顯示版本
help-subcommand = 顯示此幫助或指定子命令的幫助
help-heading-commands = 命令：
help-heading-arguments = 引數：
help-heading-options = 選項：
help-about = Greenlight：保護隱私的健康碼錢包與場所核驗工具。場所只知道「綠碼、近期簽發」——不知道你是誰。
help-lang = 訊息語言：en、zh（簡體中文）或 zh-Hant（繁體中文）（預設取自系統區域設定）
help-wallet = 居民錢包：兌換憑單、出示綠碼
help-redeem = 用簽發憑單換取一批一次性憑證
help-status = 顯示每個個人檔案的憑證數量，按狀態和時長分類（不顯示任何金鑰）
help-present = 為場所出示綠碼（消耗一個憑證）
help-venue = 場所工具：設立場所、顯示場所碼、離線核驗訪客
help-init = 設立場所：固定根金鑰、獲取金鑰清單、產生場所碼
help-code = 列印本場所的場所碼（最後一行），可另存為 QR 碼圖片
help-sync = 更新簽發方金鑰清單（經驗證且只可追加）
help-verify = 離線核驗訪客的出示碼：退出碼 0 通過，1 拒絕，2 用法或讀寫錯誤
help-inspect = 顯示出示碼、場所碼、憑單或金鑰清單的每個欄位及其透露的資訊
help-demo = 在臨時儲存上於單個程序中演示完整流程
help-arg-server = 簽發伺服器地址，例如 http://127.0.0.1:8080
help-arg-ticket = 憑單：用單引號括起來的 GLT1:… 文字（其中含有空格和 $）、存有憑單的檔案（可直接使用 `greenlight-server ticket` 的完整輸出，或其 QR 碼 PNG），或 - 表示從標準輸入讀取
help-arg-wallet = 錢包目錄（預設：使用者資料目錄下的 greenlight/wallet）
help-arg-profile = 個人檔案：誰的憑證（如 self、father）——每個個人檔案有獨立的持有人金鑰
help-arg-root = 固定此根金鑰，而非首次使用時信任伺服器提供的：填寫其指紋（32 個十六進位制字元，即主管部門公佈的）或金鑰本身（64 個十六進位制字元）。對不在本機上的 http:// 伺服器必須提供
help-arg-new-region = 允許此個人檔案在與以前不同的地區領取憑證（此人已遷居）；否則錢包會拒絕，因為簽發方可能借地區轉移來區分居民
help-arg-witness = 金鑰清單須經其聯署的見證方（其公鑰，64 個十六進位字元；可重複指定多個）
help-arg-witness-quorum = 每個金鑰清單須有多少個 --witness 見證方聯署（預設：全部）；會被儲存，此後一直要求
help-arg-min-version = 拒絕低於此線路格式版本的出示碼（2 表示停用版本 1——它不綁定金鑰清單；預設 1）
help-arg-venue-code = 場所碼：GLV1:… 文字、存有場所碼的檔案（如 `greenlight venue code` 的輸出，或其 QR 碼照片 PNG），或 - 表示標準輸入
help-arg-qr = 同時將此碼以 QR 碼圖片寫入該 PNG 檔案
help-arg-name = 向訪客顯示的場所名稱
help-arg-window = 憑證須在多長時間內簽發：6h、12h、24h、48h、72h 或 7d
help-arg-venue-dir = 場所目錄（預設：使用者資料目錄下的 greenlight/venue）
help-arg-verify-input = 訪客的出示碼：GLP1:… 文字、存有出示碼的檔案（文字或含 QR 碼的 PNG），或 - 表示標準輸入
help-arg-binary = 從 FILE 讀取出示碼的原始位元組（二進位制編碼，而非 GLP1: 文字）
help-arg-now = 僅用於測試和審計：按場所時鐘為 TIME 時判定（RFC 3339，如 2025-11-24T16:10:00Z，或 Unix 秒數）；只改變時鐘，已見集合照常檢查和更新
help-arg-inspect-input = 任意 Greenlight 碼：文字、檔案、含 QR 碼的 PNG，或 - 表示標準輸入
help-exit-codes = 退出碼：0 成功/通過，1 被拒絕/拒絕，2 用法、輸入或本地讀寫錯誤，3 伺服器無法連線或出錯。
help-arg-setup-qr = 同時將場所核驗頁面的設定碼（場所碼、伺服器、根金鑰指紋）以 QR 碼圖片寫入該 PNG 檔案
setup-qr-written = 場所核驗頁面的設定碼已寫入 { $path }：請在場所的手機上開啟 { $page } 並掃描它
setup-qr-no-server = 其中沒有設定碼所需的 "server"：請重新執行 `venue init`
setup-qr-bad-server = 其中的 "server" 無法寫入設定碼：{ $detail }

## Messages with choices (converted by hand)

attribute-mismatch = 簽發方認證的{ $field ->
        [status] 健康狀態
        [travel] 行程記錄
        [subject] 主體代號
        [key] 簽發金鑰
       *[other] 屬性
    }與憑單不符；已拒收憑證
step-register = 正在申請 { $n } 個憑證
step-verify = 正在驗證 { $n } 個憑證
redeemed = 已在個人檔案「{ $profile }」中儲存 { $n } 個新的{ $status }憑證（共 { $total } 個）。
status-profile = 個人檔案「{ $profile }」：{ $total } 個憑證
status-name = { $status ->
        [green] 綠碼
        [yellow] 黃碼
        [red] 紅碼
       *[other] 未知狀態（{ $status }）
    }
demo-ticket-signed = { "    " }可換取 { $tokens } 個憑證的憑單（GLT1: 文字 { $chars } 個字元）

## 碼的種類：名稱，以及「這是……」的賓語（中文相同）

kind-ticket = 簽發憑單
kind-key-list = 簽發方金鑰清單
kind-venue-code = 場所碼
kind-presentation = 出示碼
kind-venue-setup = 場所設定碼
kind-ticket-a = 簽發憑單
kind-key-list-a = 簽發方金鑰清單
kind-venue-code-a = 場所碼
kind-presentation-a = 出示碼
kind-venue-setup-a = 場所設定碼
# 清單各項之間。
list-separator = 、
