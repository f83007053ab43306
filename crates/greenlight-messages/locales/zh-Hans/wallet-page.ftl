# The wallet page (client/web/wallet): labels only; refusals and warnings are in wallet.ftl
# (formatted in wasm). Turned into a JS module by ftl2js when the page is built.

app_title = 绿灯钱包
loading = 钱包启动中…
load_failed = 钱包无法启动，请重新加载页面。
no_wasm = 此浏览器已关闭 WebAssembly（例如 iOS 锁定模式或加固的 Tor 设置）。钱包需要它来生成出示码：请为本网站开启，或改用其他浏览器。
choose_lang = 选择语言
trust_title = 信任您的卫生部门
trust_help = 请将此指纹与卫生部门公布的指纹核对。钱包只接受由其签名的密钥。
trust_matches = 与链接中的指纹一致。
trust_mismatch = 与链接中的指纹不一致。请勿继续：这可能是冒充的服务器。
trust_button = 指纹一致，信任它
fetching = 正在连接签发方…
offline_first = 无法连接签发方。请联网后设置钱包。
people = 钱包中的人
tokens_left = 剩余 { $n } 个码
newest_age = { $h ->
        [0] 最新的在本小时签发
       *[other] 最新的已签发 { $h } 小时
    }
usable = 6 小时场所：{ $a } · 24 小时场所：{ $b }
go_online_by = 请在 { $t } 前联网
show_code = 在场所出示我的码
add_tokens = 用凭单领取出示码
family = 家人代办
whats_in = 我的二维码里有什么？
redeem_title = 用凭单领取出示码
ticket_label = 凭单（GLT1:…）
for_person = 领取人
redeem_button = 领取
scan_ticket = 扫描凭单二维码
redeeming = 领取中：已保存 { $a } / { $b } 个，逐一验证…
redeemed = 已为 { $who } 保存 { $n } 个码。
venue_title = 出示您的码
venue_label = 场所码（GLV1:…）
scan_venue = 扫描场所二维码
present_button = 出示我的码
camera_denied = 未获准使用摄像头：请改为粘贴。
camera_unavailable = 此设备没有摄像头：请改为粘贴。
status_green = 绿码 · 一次性出示码
valid_for = 仅限 { $a }–{ $b } 有效
at_venue = 场所：{ $v }
codes_left_after = 剩余 { $n } 个
done = 完成
same_code_again = 这是页面重新加载前的同一个码（没有使用新的码）。
lost_show = 页面关闭时正在生成一个码。其一次性凭证已用掉但从未出示；没有其他损失。
profiles_title = 家人代办
profiles_help = 每个人都有自己的密钥和出示码，因此他们的到访不会与您的关联。
add_person = 添加家人
name_label = 名称（不含空格）
rename = 改名
remove = 删除
remove_confirm = 从本设备删除 { $n } 及其 { $c } 个码？删除后无法恢复。
whats_in_title = 场所能从您的二维码得知什么
whats_in_none = 请先出示一个码：此页面将逐项列出其中的内容。
back = 返回
storage_refused = 此浏览器可能在空间不足时（或在 Safari 中 7 天未使用后）删除钱包数据。请将应用添加到主屏幕以保留数据。
settings = 设置
root_fp = 信任的根密钥指纹
key_list_seq = 密钥列表版本
lang_button = 语言
wipe = 从本设备删除所有钱包数据
wipe_confirm = 从本设备删除所有码和密钥？删除后无法恢复。
offline = 离线：仍可出示码。
reduced_motion_note = 实时
