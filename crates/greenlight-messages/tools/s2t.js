// One-off: Traditional Chinese (Taiwan phrases) from a Simplified .ftl file, with OpenCC
// (npm opencc-js, installed outside the repository: NODE_PATH=… node tools/s2t.js IN OUT).
// Only CJK text changes, so ids and variables stay as they are. The output is reviewed by
// hand; the fixes below are terms OpenCC leaves in their mainland form.
const fs = require('fs');
const OpenCC = require('opencc-js');
const convert = OpenCC.Converter({ from: 'cn', to: 'twp' });
const [, , input, output] = process.argv;
let text = fs.readFileSync(input, 'utf8');
// The CLI's "profile" (档案, one person's tokens): in Taiwan 檔案 is a computer file.
text = text.replace(/档案/g, '个人档案');
text = convert(text);
const fixes = [
  [/列表/g, '清單'],
  [/個人個人檔案/g, '個人檔案'],
  [/二維碼/g, 'QR 碼'],
  [/許可權/g, '權限'],
  [/視窗/g, '窗口'],
  [/隻讀/g, '唯讀'],
  [/攝像頭/g, '相機'],
  [/吊銷/g, '撤銷'],
  [/文本/g, '文字'],
  [/響應/g, '回應'],
  [/生成/g, '產生'],
  [/([\u4e00-\u9fff])QR 碼/g, '$1 QR 碼'],
  [/“/g, '「'],
  [/”/g, '」'],
];
for (const [from, to] of fixes) text = text.replace(from, to);
fs.writeFileSync(output, text);
