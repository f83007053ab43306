# The `greenlight` command-line tool. Ids are the `Msg` variants of client/src/i18n.rs in
# kebab case. Keep ACCEPT, REJECT and the code prefixes (GLT1:, GLV1:, GLP1: …) ASCII in every
# language: scripts and door-side displays match on them.

error-line = 错误：{ $detail }
io = 无法读写 { $path }：{ $detail }
no-such-file = 没有这个文件：{ $path }
is-a-directory = { $path } 是文件夹，不是文件
no-such-folder = 无法写入 { $path }：文件夹 { $dir } 不存在
not-a-folder = 无法写入 { $path }：{ $dir } 是文件，不是文件夹
several-codes = 输入中有 { $count } 个不同的 Greenlight 码；请只传入一个
io-not-found = 文件或文件夹不存在
io-permission-denied = 没有权限
io-already-exists = 已经存在
io-not-a-directory = 路径中有一部分是文件而不是文件夹
io-is-a-directory = 这是文件夹，不是文件
io-disk-full = 磁盘已满
io-read-only = 文件系统是只读的
io-other = 系统错误：{ $detail }
corrupt = { $path } 已损坏（{ $detail }）；请从备份恢复或删除它
no-venue = { $dir } 中没有场所配置：请先运行 `greenlight venue init`
venue-exists = { $dir } 中已有场所配置；拒绝覆盖（访客的出示码与该场所编号绑定）
bad-root-hex = --root 必须是根密钥的指纹（32 个十六进制字符）或根密钥本身（64 个十六进制字符，32 字节的 Ed25519 公钥）
bad-server-url = { $url } 不是服务器地址（应为 http://… 或 https://…）
bad-profile = “{ $name }”不能用作档案名（1 到 32 个字符，不含空格或控制字符）
input-too-large = 输入过大（超过 { $max } 字节），不可能是 Greenlight 码
not-text = 输入既不是文本也不是 PNG 图片
no-qr-code = 图片中没有找到可读取的二维码
image-unreadable = 无法读取图片（{ $detail }）
qr-write-failed = 无法生成二维码图片（{ $detail }）
not-a-ticket = 这不是签发凭单（凭单是以 GLT1: 开头的文本）
ticket-is-other-kind = 这是{ $kind }，不是签发凭单
not-a-venue-code = 这不是场所码（场所码是以 GLV1: 开头的文本）
venue-code-is-other-kind = 这是{ $kind }，不是场所码
bad-venue-code = 场所码已损坏或无效（{ $detail }）
non-standard-window = 时间窗口“{ $given }”不被允许：请选择 6h、12h、24h、48h、72h、7d（168h）之一
bad-venue-name = 场所名称不可用（{ $detail }）；请使用 1 到 64 字节、不含控制字符的文本
not-any-code = 不是 Greenlight 码
damaged-code = { $kind }已损坏：{ $detail }
code-cut-short = { $kind }似乎被截短了——是否在 shell 中用了双引号（双引号会吞掉其中的“$…”）？请改用单引号，或改为传入 - 再粘贴，或直接传入文件
code-garbled = 其中的字符或长度不可能出现在码中——是否在复制时被改动？在 shell 中请用单引号括起来，或直接传入文件
code-too-long = 长度超过了此类码的上限
code-newer-version = 它由更新版本的 Greenlight 生成（格式 { $version }）；请更新本工具
code-invalid = 某个字段不符合格式（{ $detail }）
text-empty = 为空
text-too-long = 过长
text-not-utf8 = 不是有效的 UTF-8 文本
text-control-character = 含有控制字符
text-invisible-character = 含有不可见字符（例如零宽空格）
server-unreachable = 无法连接服务器 { $url }（连接被拒绝或没有网络）
server-not-https = 服务器 { $url } 不支持 https——请改用 http://（本机上的服务器），或检查地址
server-tls-certificate = 服务器 { $url } 的 https 证书不受本机信任（自签名、已过期或域名不符）；请检查地址
server-timeout = 服务器 { $url } 未能及时响应；请稍后重试
server-bad-response = 服务器返回了无法识别的响应（{ $detail }）
srv-other = 服务器返回错误（HTTP { $status }，{ $code }）
root-mismatch = 服务器的根密钥（指纹 { $offered }）与已固定的根密钥（{ $pinned }）不一致；已拒绝——这可能是冒充的服务器
key-list-invalid = 签发方密钥列表无法用根密钥验证（{ $detail }）
key-list-rollback = 新的密钥列表不是现有列表的追加式后续版本（{ $detail }）；保留旧列表
key-list-not-witnessed = 服务器的密钥列表没有得到此处要求的见证方背书（{ $detail }）；保留旧列表——服务器可能向您展示了别人看不到的列表，或已过时的列表
bad-witness-policy = 见证方设置无效：{ $detail }（--witness 须为见证方公钥，64 个十六进制字符；--witness-quorum 至少为 1，且不超过见证方数量）
bad-min-version = 最低出示码版本无效：{ $detail }
issuing-key-unknown = 服务器使用的签发密钥 { $key_id } 不在已签名的密钥列表中
issuing-key-revoked = 服务器使用的签发密钥 { $key_id } 在密钥列表中已被吊销
issuing-key-not-issuing = 服务器在密钥 { $key_id } 公布的签发期之外使用该密钥签发
too-many-issuing-keys = 地区 { $region } 同时有 { $count } 个签发中的密钥；钱包拒绝领取，因为多个并行密钥可能把居民分成可识别的小组
tagging-too-many-in-list = 密钥列表中同时有 { $count } 个签发中的密钥（最多 { $max } 个）；钱包拒绝领取，因为多个并行密钥可能把居民分成可识别的小组
tagging-short-period = 地区 { $region } 的密钥 { $key_id } 只签发 { $hours } 小时（至少须 { $min_days } 天）；钱包拒绝领取，因为密钥编号会暴露凭证的签发时间
tagging-look-alike = 密钥列表中有两个看起来相同的签发机构（{ $first } 与 { $second }）；钱包拒绝领取，因为相似的签发机构可能把居民分组
tagging-unreadable = 密钥列表中的签发机构 { $name } 不含任何字母或数字；钱包拒绝领取
first-use-refused = 拒绝在首次使用时信任 { $origin }：请改用 https://，或传入 --root 指纹（请与主管部门公布的指纹核对）
region-changed = 档案“{ $profile }”在地区 { $pinned } 领取凭证，但该服务器签发的是地区 { $offered } 的凭证；已拒绝，因为在地区之间转移居民的签发方可以借此区分他们。如果此人确实已迁居，请加上 --new-region 重新运行（或使用另一个 --profile）
ticket-authority = 该凭单不是由本服务器所接受的卫生部门签发的：它属于其他签发方，或已损坏；未领取任何凭证
ticket-expired = 该凭单已于 { $not_after } 过期；请向卫生部门申请新凭单
ticket-not-yet-valid = 该凭单自 { $not_before } 起才生效
timestamp-skew = 签发方给凭证标注的时间为 { $token_hour }，与本设备时钟（{ $wallet_hour }）相差超过 2 小时；为防止被特殊时间标记追踪，已拒收（请检查时钟）
issuance-failed = 签发失败：签发方的回应未通过验证（{ $detail }）；未保存任何内容
unknown-profile = 此钱包中没有档案“{ $profile }”（现有档案：{ $profiles }）
wallet-empty = 钱包为空：请先兑换凭单（`greenlight wallet redeem`）
no-tokens = 档案“{ $profile }”中已没有凭证：请兑换新的凭单
none-green = 档案“{ $profile }”中没有绿色凭证：无法出示绿码
all-too-old = 档案“{ $profile }”中的绿色凭证都早于本场所要求的 { $window } 小时时间窗口：请兑换新的凭单
none-accepted-key = 档案“{ $profile }”中的凭证所用签发密钥已不再被接受：请兑换新的凭单
tokens-from-future = 档案“{ $profile }”中凭证的时间晚于本设备时钟：请检查时钟
prove-failed = 无法生成出示码（{ $detail }）
step-fetch-keys = 正在从 { $url } 获取签发方密钥
step-challenge = 正在对签发方承诺进行盲化
step-store = 正在保存凭证
step-batch = 第 { $index } 批，共 { $count } 批
step-waiting = 服务器繁忙（{ $code }）；{ $secs } 秒后重试
redeem-incomplete = 
    { $reason }
    在此之前已签发并保存在钱包中的该凭单凭证：{ $stored } / { $asked }
root-pinned-first-use = 
    首次使用，已固定该服务器的根密钥。指纹：{ $fingerprint }
    请与卫生部门公布的指纹核对。
root-pinned-explicit = 已固定 --root 指定的根密钥。指纹：{ $fingerprint }
root-matches = 根密钥与已固定的一致（{ $fingerprint }）。
new-profile = 已创建档案“{ $profile }”，并为其生成独立的持有人密钥。
region-pinned = 档案“{ $profile }”现固定在地区 { $region }（{ $issuer }）领取凭证；其他地区的凭单将被拒绝，除非加上 --new-region。
region-moved = 档案“{ $profile }”已从地区 { $from } 转到 { $region }（{ $issuer }）。
status-wallet = 钱包：{ $dir }
status-root = 根密钥指纹：{ $fingerprint } · 密钥列表版本 { $sequence }
status-empty = 钱包为空：请用 `greenlight wallet redeem` 兑换凭单。
status-line = { "  " }{ $count } 个{ $status }，{ $age } 小时前签发
status-no-tokens = { "  " }（没有凭证）
status-unknown-profile = 此钱包中没有档案“{ $profile }”（现有档案：{ $profiles }）。
presenting = 正在为“{ $venue }”出示绿码（{ $window } 小时内签发）。
presented-left = 已使用一个凭证；档案“{ $profile }”还剩 { $left } 个。每个码只能出示一次。
qr-written = 二维码（版本 { $version }）已写入 { $path }
show-this-code = 请在门口出示此码：
venue-created = 已在 { $dir } 创建场所“{ $name }”：访客须出示 { $window } 小时内签发的绿码。
venue-code-intro = “{ $name }”的场所码（{ $window } 小时内绿码）；请张贴在入口处：
sync-unchanged = 密钥列表已是最新（版本 { $sequence }）。
sync-updated = 密钥列表已从版本 { $old } 更新到 { $new }。
sync-new-issuer = { "  " }新增签发方：{ $region }
sync-new-key = { "  " }新增密钥 { $key_id }（{ $region }）
sync-key-revoked = { "  " }密钥 { $key_id } 已吊销：其凭证不再被接受
sync-key-shortened = { "  " }密钥 { $key_id }：有效期已缩短
sync-witnessed = 已获本场所 { $count } 个见证方联署。
accept = ACCEPT（通过）
reject = REJECT（拒绝）：{ $reason }
accept-detail = 绿码，在本场所时间窗口内签发（签发方：{ $region }）
rej-bad-encoding = 码已损坏或不完整；请访客重新出示
rej-unknown-key = 签发密钥不被本场所接受（未知、已吊销、已过期或尚未启用）；访客需要更新凭证——或运行 `venue sync`
rej-bad-signature = 签发方签名无效：伪造或被篡改的码
rej-bad-proof = 证明无效：不是绿码，或已被篡改
rej-stale = 不在本场所的时间窗口内签发：访客需要更新凭证
rej-wrong-venue = 这是为其他场所生成的码；请访客扫描本场所的场所码
rej-clock-skew = 手机时钟与本场所时钟相差太大；请访客校准时间后重新出示
rej-non-standard-window = 使用了非标准的时间窗口
rej-wrong-window = 时间窗口与本场所要求不符；请访客扫描本场所的场所码
rej-wrong-policy = 所证明的内容不是本场所要求的
rej-replayed = 此码已在本场所出示过；每个码只能使用一次——请重新生成
rej-key-list-mismatch = 访客钱包与本场所持有的签发密钥列表不同：如果本场所今天还没有同步，请运行 `greenlight venue sync`；否则请访客的钱包联网更新
rej-not-greenlight = 不是 Greenlight 码
rej-wrong-kind = 这是{ $kind }，不是访客的出示码
rej-no-qr = 图片中没有找到二维码；请重新扫描
rej-unreadable-image = 无法读取图片；请重新扫描
rej-too-large = 内容过大，不可能是访客出示码
rej-seen-full = 本场所的已用码列表已满，无法记录新的码——请联系管理员
rej-version-retired = 由过时的钱包生成（出示码版本 { $version }），本场所已不再接受——访客须更新钱包
ins-heading = { $kind }：{ $bytes } 字节（文本 { $chars } 个字符）
ins-pres-key-id = 
    签发密钥编号      { $key_id }
    { "    " }签发该凭证的密钥：会透露持有人的签发地区（以及该密钥的使用期）
ins-pres-region = { "    " }据密钥列表：签发方 { $region }
ins-pres-time-slot = 
    时间段            { $hour }（自 1970 年起的小时数 = UTC { $utc }）
    { "    " }持有人设备的时钟，精确到小时；同一小时内出示的所有人都相同
ins-pres-window = 
    时间窗口          { $window } 小时
    { "    " }场所的时效要求（标准值）；签发时间本身保持隐藏
ins-pres-venue = 
    场所编号          { $venue_id }
    { "    " }生成此码所针对的场所（取自其场所码）
ins-pres-policy = 
    规则              { $policy }（绿码且在时效内）
    { "    " }所证明的内容：状态为绿且在时间窗口内签发——仅此而已
ins-pres-zeta = 
    ζ                 { $zeta }
    { "    " }盲化标签：看似随机，每个凭证都不同
ins-pres-zeta1 = 
    ζ1（凭证编号）    { $zeta1 }
    { "    " }一次性凭证编号：场所记住它以拒绝重复使用；不会出现在该持有人的其他任何码中
ins-pres-signature-rest = ρ ω σ1 σ2 δ μ     签发方盲签名的六个标量：看似随机
ins-pres-v = 
    V                 { $v }
    { "    " }对签发时间的承诺：将其隐藏（看似随机）
ins-pres-proofs = 
    证明              Σ 证明 { $sigma } 字节 + 范围证明 { $range } 字节
    { "    " }零知识证明：看似随机，除所证明的结论外不透露任何信息
ins-pres-key-list = 
    密钥列表          已绑定、未发送（线路格式第 2 版）
    { "    " }证明只在钱包持有的密钥列表下有效：场所依次尝试其当前和上一版列表，只能得知是哪一版
ins-pres-summary = 此码不包含：姓名、证件号、除“绿码”之外的状态、确切签发时间、行程记录、主体代号、持有人密钥。同一持有人的两个码之间，除签发密钥、时间窗口以及（同一小时内出示时的）时间段外，没有任何共同之处。
ins-pres-qr = 作为二维码（纠错等级 M）：版本 { $version }
ins-ticket-id = 凭单编号          { $id }（随机；签发方据此计数已签发的凭证）
ins-ticket-subject = 主体代号          { $subject }（卫生部门给此人的化名；写入凭证，但从不向场所出示）
ins-ticket-status = 状态              { $status }
ins-ticket-travel = 行程              { $travel }
ins-ticket-validity = 有效期            UTC { $from } – { $until }
ins-ticket-tokens = 凭证数量          { $tokens }
ins-ticket-authority = 卫生部门密钥编号  { $key_id }
ins-ticket-unverified = （此处未校验签名：只有签发方持有卫生部门的公钥）
ins-venue-id = 场所编号          { $venue_id }
ins-venue-name = 名称              { $name }
ins-venue-window = 时间窗口          { $window } 小时
ins-venue-requires = 要求              { $status }，且在时间窗口内签发
ins-venue-note = 场所码是公开的，不含任何访客信息。
ins-setup-server = 
    服务器            { $server }
    { "    " }核验端从此处获取签发方密钥列表
ins-setup-root = 
    根密钥指纹        { $fingerprint }
    { "    " }密钥列表必须由此根密钥签名
ins-setup-note = 设置码用于把一台设备设为本场所的核验端。其中不含任何秘密，也不含任何访客信息。
ins-key-list-seq = 版本              { $sequence }，签署于 UTC { $issued_at }
ins-key-list-issuer = 签发方 { $region }：{ $name }
ins-key-list-key = { "  " }密钥 { $key_id }：签发期 { $from } – { $until }，接受至 { $accept }，已吊销：{ $revoked }
ins-key-list-unverified = （此处未校验根签名：请另行核对根密钥指纹）
ins-none = （无）
yes = 是
no = 否
demo-title = Greenlight 演示：签发方、钱包和场所在同一进程中运行，使用临时存储。
demo-step = { "\u000A" }【第 { $n } 步】{ $title }
demo-s1-server = 签发方启动（内嵌，仅本机回环地址）
demo-server-at = { "    " }签发方监听于 { $url }
demo-s2-ticket = 卫生部门为主体“demo-green”签发绿色凭单
demo-s3-redeem = 钱包用凭单批量换取凭证（两轮往返）
demo-s4-venues = 设立两个场所：“咖啡馆 A”（24 小时）和“图书馆 B”（24 小时）
demo-venue-a = 咖啡馆 A
demo-venue-b = 图书馆 B
demo-s5-present = 钱包在咖啡馆 A 出示绿码
demo-presentation = { "    " }出示码：GLP1: 文本 { $chars } 个字符，二维码版本 { $version }（纠错等级 M）
demo-s6-replay = 在咖啡馆 A 再次出示同一个码（重放）
demo-s7-other-venue = 为咖啡馆 A 新生成的码被拿到图书馆 B 出示
demo-s7-back = { "    " }……再在它所属的咖啡馆 A 出示：
demo-s8-red = 红色凭单（主体“demo-red”）被兑换到档案“red”
demo-wallet-refused = { "    " }钱包拒绝出示：{ $reason }
demo-forced = { "    " }强行尝试：从钱包取出一个红码凭证，把其状态改写为绿色，再直接用 circuits 库生成证明——签发方签名中认证的状态仍为红色，因此证明无法成立：
demo-s9-revoke = 卫生部门撤销“demo-green”；随后兑换该主体的新凭单
demo-redeem-refused = { "    " }兑换被拒绝：{ $reason }
demo-s10-appeal = 申诉成功：撤销被解除；此前签发的凭单仍然作废，卫生部门签发新凭单并成功兑换
demo-expected = { "    " }预期：{ $what }
demo-ok = { "    " }✓ 符合预期
demo-failed = 演示第 { $step } 步与预期不符：{ $detail }
demo-all-passed = { "\u000A" }所有步骤均符合预期。
demo-unexpected-accept = 场所接受了本应拒绝的码
demo-wrong-reason = 拒绝理由不对：{ $got }
usage-heading = 用法：
usage-more-info = 更多信息请使用 '--help'。
usage-missing-args = 缺少必需的参数：{ $args }
usage-unknown-arg = 无法识别的参数“{ $arg }”
usage-similar-arg = 提示：有一个相似的参数“{ $arg }”
usage-similar-subcommand = 提示：有一个相似的子命令“{ $name }”
usage-code-split = 提示：Greenlight 码中含有空格，因此被 shell 拆开了；请用单引号括起来（'GLT1:…'），或传入文件，或传入 - 再粘贴
usage-invalid-value = 参数“{ $arg }”的值“{ $value }”无效
usage-possible-values = 可选值：{ $values }
usage-unknown-subcommand = 无法识别的子命令“{ $name }”
usage-other = 命令行参数有误：{ $detail }
help-flag = 显示帮助
version-flag = 显示版本
help-subcommand = 显示此帮助或指定子命令的帮助
help-heading-commands = 命令：
help-heading-arguments = 参数：
help-heading-options = 选项：
help-about = Greenlight：保护隐私的健康码钱包与场所核验工具。场所只知道“绿码、近期签发”——不知道你是谁。
help-lang = 消息语言：en、zh（简体中文）或 zh-Hant（繁体中文）（默认取自系统区域设置）
help-wallet = 居民钱包：兑换凭单、出示绿码
help-redeem = 用签发凭单换取一批一次性凭证
help-status = 显示每个档案的凭证数量，按状态和时长分类（不显示任何密钥）
help-present = 为场所出示绿码（消耗一个凭证）
help-venue = 场所工具：设立场所、显示场所码、离线核验访客
help-init = 设立场所：固定根密钥、获取密钥列表、生成场所码
help-code = 打印本场所的场所码（最后一行），可另存为二维码图片
help-sync = 更新签发方密钥列表（经验证且只可追加）
help-verify = 离线核验访客的出示码：退出码 0 通过，1 拒绝，2 用法或读写错误
help-inspect = 显示出示码、场所码、凭单或密钥列表的每个字段及其透露的信息
help-demo = 在临时存储上于单个进程中演示完整流程
help-arg-server = 签发服务器地址，例如 http://127.0.0.1:8080
help-arg-ticket = 凭单：用单引号括起来的 GLT1:… 文本（其中含有空格和 $）、存有凭单的文件（可直接使用 `greenlight-server ticket` 的完整输出，或其二维码 PNG），或 - 表示从标准输入读取
help-arg-wallet = 钱包目录（默认：用户数据目录下的 greenlight/wallet）
help-arg-profile = 档案：谁的凭证（如 self、father）——每个档案有独立的持有人密钥
help-arg-root = 固定此根密钥，而非首次使用时信任服务器提供的：填写其指纹（32 个十六进制字符，即主管部门公布的）或密钥本身（64 个十六进制字符）。对不在本机上的 http:// 服务器必须提供
help-arg-new-region = 允许此档案在与以前不同的地区领取凭证（此人已迁居）；否则钱包会拒绝，因为签发方可能借地区转移来区分居民
help-arg-witness = 密钥列表须经其联署的见证方（其公钥，64 个十六进制字符；可重复指定多个）
help-arg-witness-quorum = 每个密钥列表须有多少个 --witness 见证方联署（默认：全部）；会被保存，此后一直要求
help-arg-min-version = 拒绝低于此线格式版本的出示码（2 表示停用版本 1——它不绑定密钥列表；默认 1）
help-arg-venue-code = 场所码：GLV1:… 文本、存有场所码的文件（如 `greenlight venue code` 的输出，或其二维码照片 PNG），或 - 表示标准输入
help-arg-qr = 同时将此码以二维码图片写入该 PNG 文件
help-arg-name = 向访客显示的场所名称
help-arg-window = 凭证须在多长时间内签发：6h、12h、24h、48h、72h 或 7d
help-arg-venue-dir = 场所目录（默认：用户数据目录下的 greenlight/venue）
help-arg-verify-input = 访客的出示码：GLP1:… 文本、存有出示码的文件（文本或含二维码的 PNG），或 - 表示标准输入
help-arg-binary = 从 FILE 读取出示码的原始字节（二进制编码，而非 GLP1: 文本）
help-arg-now = 仅用于测试和审计：按场所时钟为 TIME 时判定（RFC 3339，如 2025-11-24T16:10:00Z，或 Unix 秒数）；只改变时钟，已见集合照常检查和更新
help-arg-inspect-input = 任意 Greenlight 码：文本、文件、含二维码的 PNG，或 - 表示标准输入
help-exit-codes = 退出码：0 成功/通过，1 被拒绝/拒绝，2 用法、输入或本地读写错误，3 服务器无法连接或出错。
help-arg-setup-qr = 同时将场所核验页面的设置码（场所码、服务器、根密钥指纹）以二维码图片写入该 PNG 文件
setup-qr-written = 场所核验页面的设置码已写入 { $path }：请在场所的手机上打开 { $page } 并扫描它
setup-qr-no-server = 其中没有设置码所需的 "server"：请重新运行 `venue init`
setup-qr-bad-server = 其中的 "server" 无法写入设置码：{ $detail }

## Messages with choices (converted by hand)

attribute-mismatch = 签发方认证的{ $field ->
        [status] 健康状态
        [travel] 行程记录
        [subject] 主体代号
        [key] 签发密钥
       *[other] 属性
    }与凭单不符；已拒收凭证
step-register = 正在申请 { $n } 个凭证
step-verify = 正在验证 { $n } 个凭证
redeemed = 已在档案“{ $profile }”中保存 { $n } 个新的{ $status }凭证（共 { $total } 个）。
status-profile = 档案“{ $profile }”：{ $total } 个凭证
status-name = { $status ->
        [green] 绿码
        [yellow] 黄码
        [red] 红码
       *[other] 未知状态（{ $status }）
    }
demo-ticket-signed = { "    " }可换取 { $tokens } 个凭证的凭单（GLT1: 文本 { $chars } 个字符）

## 码的种类：名称，以及“这是……”的宾语（中文相同）

kind-ticket = 签发凭单
kind-key-list = 签发方密钥列表
kind-venue-code = 场所码
kind-presentation = 出示码
kind-venue-setup = 场所设置码
kind-ticket-a = 签发凭单
kind-key-list-a = 签发方密钥列表
kind-venue-code-a = 场所码
kind-presentation-a = 出示码
kind-venue-setup-a = 场所设置码
# 列表各项之间。
list-separator = 、
