# What a resident is told for each error code of the issuer (greenlight-api ErrorCode),
# as `server-code-` and the code with `-` for `_`. Read by the CLI and the web wallet.

server-code-bad-request = 服务器无法理解该请求（本工具是否为最新版本？）
server-code-invalid-ticket = 服务器认为该凭单无效（已损坏或并非卫生部门签发）
server-code-ticket-not-yet-valid = 该凭单尚未生效；请稍后再试
server-code-ticket-expired = 该凭单已过期；请向卫生部门申请新凭单
server-code-ticket-too-long = 该凭单的有效期超过签发方允许的上限（绿码、黄码凭单最长 14 天）；请向卫生部门申请新凭单
server-code-quota-exceeded = 该凭单可换取的凭证已全部领取
server-code-subject-revoked = 签发方拒绝为此人签发新凭证（健康状态已被撤销）；可向卫生部门申诉
server-code-ticket-superseded = 该凭单已被取代：卫生部门已为此人签发了更新的健康状态（或已撤销、或已批准申诉）；请向卫生部门申请最新凭单
server-code-ticket-busy = 该凭单的另一次兑换仍在进行中（在本设备或其他设备上）；请稍候一分钟再试
server-code-bad-registration = 签发方认为钱包的请求格式有误，已拒绝
server-code-unknown-session = 签发会话已过期或已完成；请重新兑换凭单
server-code-unauthorized = 服务器拒绝：管理员令牌缺失或错误
server-code-not-found = 该服务器不提供此服务：该地址是否为 Greenlight 签发服务器？
server-code-method-not-allowed = 该服务器不提供此服务：该地址是否为 Greenlight 签发服务器？
server-code-payload-too-large = 请求内容过大，服务器拒绝接收
server-code-rate-limited = 请求过于频繁；请稍等一分钟后重试
server-code-overloaded = 服务器繁忙；请稍后重试
server-code-timeout = 服务器处理超时；请稍后重试
server-code-key-not-issuing = 签发方的密钥已被吊销或不在签发期内；签发方需启用新密钥后才能签发
server-code-internal = 服务器内部错误；请稍后重试
