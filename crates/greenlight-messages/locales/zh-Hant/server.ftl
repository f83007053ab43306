# What a resident is told for each error code of the issuer (greenlight-api ErrorCode),
# as `server-code-` and the code with `-` for `_`. Read by the CLI and the web wallet.

server-code-bad-request = 伺服器無法理解該請求（本工具是否為最新版本？）
server-code-invalid-ticket = 伺服器認為該憑單無效（已損壞或並非衛生部門簽發）
server-code-ticket-not-yet-valid = 該憑單尚未生效；請稍後再試
server-code-ticket-expired = 該憑單已過期；請向衛生部門申請新憑單
server-code-ticket-too-long = 該憑單的有效期超過簽發方允許的上限（綠碼、黃碼憑單最長 14 天）；請向衛生部門申請新憑單
server-code-quota-exceeded = 該憑單可換取的憑證已全部領取
server-code-subject-revoked = 簽發方拒絕為此人簽發新憑證（健康狀態已被撤銷）；可向衛生部門申訴
server-code-ticket-superseded = 該憑單已被取代：衛生部門已為此人簽發了更新的健康狀態（或已撤銷、或已批准申訴）；請向衛生部門申請最新憑單
server-code-ticket-busy = 該憑單的另一次兌換仍在進行中（在本裝置或其他裝置上）；請稍候一分鐘再試
server-code-bad-registration = 簽發方認為錢包的請求格式有誤，已拒絕
server-code-unknown-session = 簽發會話已過期或已完成；請重新兌換憑單
server-code-unauthorized = 伺服器拒絕：管理員令牌缺失或錯誤
server-code-not-found = 該伺服器不提供此服務：該地址是否為 Greenlight 簽發伺服器？
server-code-method-not-allowed = 該伺服器不提供此服務：該地址是否為 Greenlight 簽發伺服器？
server-code-payload-too-large = 請求內容過大，伺服器拒絕接收
server-code-rate-limited = 請求過於頻繁；請稍等一分鐘後重試
server-code-overloaded = 伺服器繁忙；請稍後重試
server-code-timeout = 伺服器處理逾時；請稍後重試
server-code-key-not-issuing = 簽發方的金鑰已被撤銷或不在簽發期內；簽發方需啟用新金鑰後才能簽發
server-code-internal = 伺服器內部錯誤；請稍後重試
