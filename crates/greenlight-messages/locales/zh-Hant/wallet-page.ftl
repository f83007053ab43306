# The wallet page (client/web/wallet): labels only; refusals and warnings are in wallet.ftl
# (formatted in wasm). Turned into a JS module by ftl2js when the page is built.

app_title = 綠燈錢包
loading = 錢包啟動中…
load_failed = 錢包無法啟動，請重新載入頁面。
no_wasm = 此瀏覽器已關閉 WebAssembly（例如 iOS 鎖定模式或加固的 Tor 設定）。錢包需要它來產生出示碼：請為本網站開啟，或改用其他瀏覽器。
choose_lang = 選擇語言
trust_title = 信任您的衛生部門
trust_help = 請將此指紋與衛生部門公佈的指紋核對。錢包只接受由其簽署的金鑰。
trust_matches = 與連結中的指紋一致。
trust_mismatch = 與連結中的指紋不一致。請勿繼續：這可能是冒充的伺服器。
trust_button = 指紋一致，信任它
fetching = 正在連線簽發方…
offline_first = 無法連線簽發方。請連網後設定錢包。
people = 錢包中的人
tokens_left = 剩餘 { $n } 個碼
newest_age = { $h ->
        [0] 最新的在本小時簽發
       *[other] 最新的已簽發 { $h } 小時
    }
usable = 6 小時場所：{ $a } · 24 小時場所：{ $b }
go_online_by = 請在 { $t } 前連網
show_code = 在場所出示我的碼
add_tokens = 用憑單領取出示碼
family = 家人代辦
whats_in = 我的二維碼裡有什麼？
redeem_title = 用憑單領取出示碼
ticket_label = 憑單（GLT1:…）
for_person = 領取人
redeem_button = 領取
scan_ticket = 掃描憑單二維碼
redeeming = 領取中：已儲存 { $a } / { $b } 個，逐一驗證…
redeemed = 已為 { $who } 儲存 { $n } 個碼。
venue_title = 出示您的碼
venue_label = 場所碼（GLV1:…）
scan_venue = 掃描場所二維碼
present_button = 出示我的碼
camera_denied = 未獲准使用相機：請改為貼上。
camera_unavailable = 此裝置沒有相機：請改為貼上。
status_green = 綠碼 · 一次性出示碼
valid_for = 僅限 { $a }–{ $b } 有效
at_venue = 場所：{ $v }
codes_left_after = 剩餘 { $n } 個
done = 完成
same_code_again = 這是頁面重新載入前的同一個碼（沒有使用新的碼）。
lost_show = 頁面關閉時正在產生一個碼。其一次性憑證已用掉但從未出示；沒有其他損失。
profiles_title = 家人代辦
profiles_help = 每個人都有自己的金鑰和出示碼，因此他們的到訪不會與您的關聯。
add_person = 新增家人
name_label = 名稱（不含空格）
rename = 改名
remove = 刪除
remove_confirm = 從本裝置刪除 { $n } 及其 { $c } 個碼？刪除後無法復原。
whats_in_title = 場所能從您的二維碼得知什麼
whats_in_none = 請先出示一個碼：此頁面將逐項列出其中的內容。
back = 返回
storage_refused = 此瀏覽器可能在空間不足時（或在 Safari 中 7 天未使用後）刪除錢包資料。請將應用程式加入主畫面以保留資料。
settings = 設定
root_fp = 信任的根金鑰指紋
key_list_seq = 金鑰清單版本
lang_button = 語言
wipe = 從本裝置刪除所有錢包資料
wipe_confirm = 從本裝置刪除所有碼和金鑰？刪除後無法復原。
offline = 離線：仍可出示碼。
reduced_motion_note = 即時
