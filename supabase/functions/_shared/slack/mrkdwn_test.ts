import assert from 'node:assert/strict';
import { escapeMrkdwn, markdownToMrkdwn as md } from './mrkdwn.ts';

Deno.test("mrkdwn: bold, italic and strikethrough take Slack's markers", () => {
  assert.equal(md('**bold** and *italic* and ~~gone~~'), '*bold* and _italic_ and ~gone~');
  assert.equal(md('__bold__ and _italic_'), '*bold* and _italic_');
  assert.equal(md('***both***'), '*_both_*');
  assert.equal(md('**bold with *italic* inside**'), '*bold with _italic_ inside*');
});

Deno.test('mrkdwn: arithmetic and snake_case are not emphasis', () => {
  assert.equal(md('2*3*4 = 24'), '2*3*4 = 24');
  assert.equal(md('net_pre_vat and gross_amount'), 'net_pre_vat and gross_amount');
  assert.equal(md('a * b * c'), 'a * b * c');
});

Deno.test('mrkdwn: links become <url|text>, bare <url> stays a link', () => {
  assert.equal(
    md('see [the deck](https://x.test/a_b?c=1&d=2)'),
    'see <https://x.test/a_b?c=1&amp;d=2|the deck>',
  );
  assert.equal(md('![photo](https://x.test/p.png)'), '<https://x.test/p.png|photo>');
  assert.equal(md('<https://x.test/raw>'), '<https://x.test/raw>');
  assert.equal(md('[a|b](https://x.test/q|r)'), '<https://x.test/q%7Cr|a|b>');
});

Deno.test('mrkdwn: headings are bold lines, list dashes become "* "', () => {
  assert.equal(md('# Booking order'), '*Booking order*');
  assert.equal(md('### **Totals** ###'), '*Totals*');
  assert.equal(md('- one\n- **two**\n  - nested'), '* one\n* *two*\n  * nested');
  assert.equal(md('1. first\n2. second'), '1. first\n2. second');
  assert.equal(md('---'), '──────────');
});

Deno.test('mrkdwn: code is kept verbatim, fences lose their language', () => {
  assert.equal(md('run `**not bold**` now'), 'run `**not bold**` now');
  assert.equal(md('```ts\nconst a = **b**;\n```'), '```\nconst a = **b**;\n```');
  assert.equal(md('```\nunterminated *x*'), '```\nunterminated *x*\n```');
});

Deno.test('mrkdwn: &, < and > are escaped, a leading > stays a quote', () => {
  assert.equal(md('Tom & Jerry <script> 5 > 3'), 'Tom &amp; Jerry &lt;script&gt; 5 &gt; 3');
  assert.equal(md('> quoted **text**'), '> quoted *text*');
  assert.equal(md('`a<b`'), '`a&lt;b`');
  assert.equal(escapeMrkdwn('<@U123>'), '&lt;@U123&gt;');
});

Deno.test("mrkdwn: the platform's status and error lines", () => {
  assert.equal(md('⏳ _Please wait..._'), '⏳ _Please wait..._');
  assert.equal(md('❌ **Error:** the file is empty'), '❌ *Error:* the file is empty');
  assert.equal(md('Line one\r\nLine two'), 'Line one\nLine two');
});
