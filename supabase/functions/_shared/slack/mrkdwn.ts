// Messages are written in Markdown (the agent's answers, status and error lines) and converted
// to Slack's mrkdwn here (spec §5): **bold** → *bold*, *italic* → _italic_, ~~s~~ → ~s~,
// [text](url) → <url|text>, "# Heading" → *Heading*, list dashes → "* ", code kept verbatim.
// &, < and > are escaped everywhere (Slack reads them as control characters), except the
// ">" that starts a quote and the <…> of links this converter writes itself.

const FENCE = /^(\s*)(```|~~~)/;
// Private-use characters stand in for markers while the other rules run.
const BOLD = '\uE000';
const LINK_OPEN = '\uE001';
const LINK_CLOSE = '\uE002';
const LINK_SEP = '\uE003';

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function inline(text: string): string {
  const codes: string[] = [];
  // Inline code is kept as is (escaped only).
  let out = text.replace(/`([^`\n]+)`/g, (_, code: string) => {
    codes.push(`\`${escapeMrkdwn(code)}\``);
    return `\uE010${codes.length - 1}\uE011`;
  });
  const links: string[] = [];
  out = out.replace(
    /!?\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
    (_, label: string, url: string) => {
      links.push(url);
      return `${LINK_OPEN}${links.length - 1}${LINK_SEP}${label}${LINK_CLOSE}`;
    },
  );
  out = out.replace(/<(https?:\/\/[^>\s]+)>/g, (_, url: string) => {
    links.push(url);
    return `${LINK_OPEN}${links.length - 1}${LINK_SEP}${LINK_CLOSE}`;
  });
  out = escapeMrkdwn(out);
  // Bold-italic first, then bold, then italic; bold becomes a placeholder so the italic rule
  // does not read its asterisks.
  out = out.replace(/\*\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*\*/g, `${BOLD}_$1_${BOLD}`);
  out = out.replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, `${BOLD}$1${BOLD}`);
  out = out.replace(/(^|[^\w])__(?=\S)(.+?)(?<=\S)__(?!\w)/g, `$1${BOLD}$2${BOLD}`);
  out = out.replace(/(^|[^*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])/g, '$1_$2_');
  out = out.replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '~$1~');
  out = out.replaceAll(BOLD, '*');
  out = out.replace(
    new RegExp(`${LINK_OPEN}(\\d+)${LINK_SEP}([^${LINK_CLOSE}]*)${LINK_CLOSE}`, 'g'),
    (_, i: string, label: string) => {
      const url = escapeMrkdwn(links[Number(i)]).replace(/\|/g, '%7C');
      return label.trim() ? `<${url}|${label.trim()}>` : `<${url}>`;
    },
  );
  return out.replace(/\uE010(\d+)\uE011/g, (_, i: string) => codes[Number(i)]);
}

function line(text: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
  if (heading) {
    const title = inline(heading[1].replace(/\*\*|__/g, '')).replace(/^\*(.*)\*$/, '$1');
    return title ? `*${title}*` : '';
  }
  if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(text)) return '──────────';
  const item = /^(\s*)[-*+]\s+(.*)$/.exec(text);
  if (item) return `${item[1]}* ${inline(item[2])}`;
  const quote = /^(\s*)>\s?(.*)$/.exec(text);
  if (quote) return `${quote[1]}> ${inline(quote[2])}`;
  return inline(text);
}

/** Converts Markdown to Slack mrkdwn. */
export function markdownToMrkdwn(markdown: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const marker = FENCE.exec(raw);
    if (fence) {
      if (marker && marker[2] === fence) {
        out.push('```');
        fence = null;
      } else {
        out.push(escapeMrkdwn(raw));
      }
      continue;
    }
    if (marker) {
      // Slack has no language hints: "```ts" opens a plain block.
      fence = marker[2];
      out.push('```');
      continue;
    }
    out.push(line(raw));
  }
  if (fence) out.push('```');
  return out.join('\n');
}
