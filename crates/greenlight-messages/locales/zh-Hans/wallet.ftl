# The web wallet's refusals, warnings and "what the venue learns", formatted in its wasm
# module (client/web/wallet/wasm/src/messages.rs) with the small formatter.

wallet-no-token-empty = 此人已没有凭证：请兑换新的凭单
wallet-no-token-none-green = 此人的凭证中没有绿码
wallet-no-token-none-accepted-key = 此人的凭证所用的签发密钥已不再被接受：请兑换新的凭单
wallet-no-token-from-the-future = 所有凭证的时间都晚于本机时钟：手机时间偏慢——请设为自动校时
wallet-no-token-all-too-old = 所有凭证都早于该场所要求的 { $window_hours } 小时：请联网并兑换新的凭单
wallet-bad-profile = “{ $name }”不能用作名称（1 到 32 个字符，不含空格）
wallet-storage-damaged = 钱包中保存的数据已损坏
wallet-unknown-person = 钱包中没有名为“{ $profile }”的人
wallet-bad-ticket = 凭单已损坏
wallet-ticket-authority = 该凭单不是由本服务器所接受的卫生部门签发的：它属于其他签发方，或已损坏；未领取任何凭证
wallet-ticket-expired = 该凭单已过期；请向卫生部门申请新凭单
wallet-ticket-not-yet-valid = 该凭单尚未生效（或手机时间偏慢）
wallet-issuing-key = 服务器使用的签发密钥 { $key_id } 目前不被已签名的密钥列表允许；未领取任何凭证
wallet-tagging-risk = 该密钥列表可能把居民分成可识别的小组（签发密钥过多或相似）；钱包拒绝在其下领取
wallet-region-changed = “{ $profile }”在地区 { $pinned } 领取凭证，但该服务器签发的是地区 { $offered } 的凭证；已拒绝，因为在地区之间转移居民的签发方可以借此区分他们
wallet-timestamp-skew = 签发方时间与手机时钟相差数小时：请将手机时间设为自动后重试
wallet-issuer-answer-unverified = 签发方的响应未通过验证（认证内容与凭单不符，或有凭证无法验证）；未保存其中任何内容
wallet-prove-failed = 无法生成出示码（该凭证已用掉）；请重试
wallet-key-list-invalid = 签发方密钥列表无法验证；未作任何更改
wallet-root-mismatch = 服务器的根密钥（指纹 { $offered }）与本钱包信任的根密钥（{ $pinned }）不一致；已拒绝——这可能是冒充的服务器
wallet-key-list-rollback = 服务器的密钥列表比本钱包持有的旧（或改写了它）；保留现有列表
wallet-key-list-not-witnessed = 服务器的密钥列表没有得到足够多见证方的背书；保留现有列表
wallet-server-other = 服务器返回错误（HTTP { $status }，{ $other }）
wallet-stored-before = （此前已保存 { $stored } 个凭证）
wallet-bad-response = 服务器返回了本钱包无法识别的响应（页面是否为最新版本？）
wallet-wrong-kind = 这是{ $found }，不是{ $want }
wallet-not-a-code = 这不是{ $want }（不是 Greenlight 码）
wallet-damaged = { $kind }已损坏或不完整：请重新复制或扫描
wallet-not-set-up = 钱包尚未设置
wallet-profile-taken = 已有名为“{ $name }”的人
wallet-warn-empty = 没有凭证：请兑换凭单
wallet-warn-few-left = 仅剩 { $left } 个：请尽快兑换新凭单
wallet-warn-short-window-none = 已超过 6 小时场所（医院、养老院）的要求：请领取新凭证
wallet-warn-short-window-soon = 自 { $when } 起不再满足 6 小时场所的要求
wallet-warn-day-window-none = 已超过 24 小时场所的要求：外出前请领取新凭证
wallet-warn-day-window-soon = 自 { $when } 起不再满足 24 小时场所的要求：请在此之前联网
wallet-clock-ahead = 本机时钟比签发方快 { $minutes } 分钟。请将时间设为自动，否则场所可能拒绝您的出示码。
wallet-clock-behind = 本机时钟比签发方慢 { $minutes } 分钟。请将时间设为自动，否则场所可能拒绝您的出示码。

# 码的种类（“这是……”的宾语）。
wallet-kind-ticket = 签发凭单
wallet-kind-key-list = 签发方密钥列表
wallet-kind-venue-code = 场所码
wallet-kind-presentation = 出示码
wallet-kind-venue-setup = 场所设置码

# “我的二维码里有什么”：场所得知的内容，每项一行。
wallet-learns-status = 您的健康状态为绿码，且凭证在最近 { $window } 小时内签发——不含具体签发时间，也不含状态历史。
wallet-learns-issuer = 签发方：{ $issuer }（密钥 { $key_id }）。
wallet-learns-scope = 仅适用于本场所、本小时。
wallet-learns-token-id = 一次性编号（{ $token_id }…），场所借此拒绝重复使用同一码。您的下一个码编号不同。
wallet-learns-not-in-it = 不包含：姓名、证件号码、电话号码、行程记录，或任何能把两次到访联系起来的信息。
