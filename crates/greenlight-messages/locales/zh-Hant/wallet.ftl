# The web wallet's refusals, warnings and "what the venue learns", formatted in its wasm
# module (client/web/wallet/wasm/src/messages.rs) with the small formatter.

wallet-no-token-empty = 此人已沒有憑證：請兌換新的憑單
wallet-no-token-none-green = 此人的憑證中沒有綠碼
wallet-no-token-none-accepted-key = 此人的憑證所用的簽發金鑰已不再被接受：請兌換新的憑單
wallet-no-token-from-the-future = 所有憑證的時間都晚於本機時鐘：手機時間偏慢——請設為自動校時
wallet-no-token-all-too-old = 所有憑證都早於該場所要求的 { $window_hours } 小時：請連網並兌換新的憑單
wallet-bad-profile = 「{ $name }」不能用作名稱（1 到 32 個字元，不含空格）
wallet-storage-damaged = 錢包中儲存的資料已損壞
wallet-unknown-person = 錢包中沒有名為「{ $profile }」的人
wallet-bad-ticket = 憑單已損壞
wallet-ticket-authority = 該憑單不是由本伺服器所接受的衛生部門簽發的：它屬於其他簽發方，或已損壞；未領取任何憑證
wallet-ticket-expired = 該憑單已過期；請向衛生部門申請新憑單
wallet-ticket-not-yet-valid = 該憑單尚未生效（或手機時間偏慢）
wallet-issuing-key = 伺服器使用的簽發金鑰 { $key_id } 目前不被已簽署的金鑰清單允許；未領取任何憑證
wallet-tagging-risk = 該金鑰清單可能把居民分成可識別的小組（簽發金鑰過多或相似）；錢包拒絕在其下領取
wallet-region-changed = 「{ $profile }」在地區 { $pinned } 領取憑證，但該伺服器簽發的是地區 { $offered } 的憑證；已拒絕，因為在地區之間轉移居民的簽發方可以藉此區分他們
wallet-timestamp-skew = 簽發方時間與手機時鐘相差數小時：請將手機時間設為自動後重試
wallet-issuer-answer-unverified = 簽發方的回應未通過驗證（認證內容與憑單不符，或有憑證無法驗證）；未儲存其中任何內容
wallet-prove-failed = 無法產生出示碼（該憑證已用掉）；請重試
wallet-key-list-invalid = 簽發方金鑰清單無法驗證；未作任何變更
wallet-root-mismatch = 伺服器的根金鑰（指紋 { $offered }）與本錢包信任的根金鑰（{ $pinned }）不一致；已拒絕——這可能是冒充的伺服器
wallet-key-list-rollback = 伺服器的金鑰清單比本錢包持有的舊（或改寫了它）；保留現有清單
wallet-key-list-not-witnessed = 伺服器的金鑰清單沒有得到足夠多見證方的背書；保留現有清單
wallet-server-other = 伺服器回傳錯誤（HTTP { $status }，{ $other }）
wallet-stored-before = （此前已儲存 { $stored } 個憑證）
wallet-bad-response = 伺服器回傳了本錢包無法識別的回應（頁面是否為最新版本？）
wallet-wrong-kind = 這是{ $found }，不是{ $want }
wallet-not-a-code = 這不是{ $want }（不是 Greenlight 碼）
wallet-damaged = { $kind }已損壞或不完整：請重新複製或掃描
wallet-not-set-up = 錢包尚未設定
wallet-profile-taken = 已有名為「{ $name }」的人
wallet-warn-empty = 沒有憑證：請兌換憑單
wallet-warn-few-left = 僅剩 { $left } 個：請盡快兌換新憑單
wallet-warn-short-window-none = 已超過 6 小時場所（醫院、安老院）的要求：請領取新憑證
wallet-warn-short-window-soon = 自 { $when } 起不再符合 6 小時場所的要求
wallet-warn-day-window-none = 已超過 24 小時場所的要求：外出前請領取新憑證
wallet-warn-day-window-soon = 自 { $when } 起不再符合 24 小時場所的要求：請在此之前連網
wallet-clock-ahead = 本機時鐘比簽發方快 { $minutes } 分鐘。請將時間設為自動，否則場所可能拒絕您的出示碼。
wallet-clock-behind = 本機時鐘比簽發方慢 { $minutes } 分鐘。請將時間設為自動，否則場所可能拒絕您的出示碼。

# 碼的種類（「這是……」的賓語）。
wallet-kind-ticket = 簽發憑單
wallet-kind-key-list = 簽發方金鑰清單
wallet-kind-venue-code = 場所碼
wallet-kind-presentation = 出示碼
wallet-kind-venue-setup = 場所設定碼

# 「我的二維碼裡有什麼」：場所得知的內容，每項一行。
wallet-learns-status = 您的健康狀態為綠碼，且憑證在最近 { $window } 小時內簽發——不含具體簽發時間，也不含狀態歷史。
wallet-learns-issuer = 簽發方：{ $issuer }（金鑰 { $key_id }）。
wallet-learns-scope = 僅適用於本場所、本小時。
wallet-learns-token-id = 一次性編號（{ $token_id }…），場所藉此拒絕重複使用同一碼。您的下一個碼編號不同。
wallet-learns-not-in-it = 不包含：姓名、證件號碼、電話號碼、行程紀錄，或任何能把兩次到訪聯繫起來的資訊。
