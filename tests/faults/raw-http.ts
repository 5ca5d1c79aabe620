// HTTP/1.1 spoken by hand over a socket, for requests no well-behaved client sends: a body
// shorter than its Content-Length, a connection cut in the middle of the body.
import { connect } from 'node:net';

export interface RawAnswer {
  /** The status of the answer, or null when the connection ended without one. */
  status: number | null;
  body: string;
  /** How the connection ended. */
  ending: 'closed' | 'reset' | 'timeout';
}

export interface RawRequest {
  port: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /**
   * wait: send everything and wait for the answer (the connection stays open both ways);
   * half-close: send everything, then end the sending side (FIN) and wait for the answer;
   * reset: send the body, then drop the connection abruptly without waiting.
   */
  then: 'wait' | 'half-close' | 'reset';
  timeoutMs?: number;
}

/** True once a whole answer (by Content-Length, or the last chunk) has arrived. */
function complete(received: Buffer): boolean {
  const end = received.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const head = received.subarray(0, end).toString('latin1');
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) return received.length - end - 4 >= Number(length[1]);
  return /\r\ntransfer-encoding:\s*chunked/i.test(head) && received.subarray(-5).toString('latin1') === '0\r\n\r\n';
}

/** The payload of a chunked body (sizes in hex, each chunk followed by CRLF, ending with 0). */
function dechunk(body: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = eol < 0 ? 0 : parseInt(body.slice(at, eol), 16);
    if (!size) return out;
    out += body.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

export function rawRequest(r: RawRequest): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(r.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (ending: RawAnswer['ending']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const [head, ...rest] = text.split('\r\n\r\n');
      const body = rest.join('\r\n\r\n');
      resolve({ status: status ? Number(status[1]) : null, body: /\r\ntransfer-encoding:\s*chunked/i.test(head) ? dechunk(body) : body, ending });
    };
    const timer = setTimeout(() => finish('timeout'), r.timeoutMs ?? 15_000);
    socket.on('data', (d) => {
      chunks.push(d);
      if (complete(Buffer.concat(chunks))) finish('closed');
    });
    socket.on('end', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('error', () => finish('reset'));
    socket.on('connect', () => {
      const head = [`${r.method} ${r.path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
      socket.write(head);
      socket.write(r.body, () => {
        if (r.then === 'half-close') socket.end();
        else if (r.then === 'reset') {
          // Give the server a moment to start on the body, then cut the connection.
          setTimeout(() => {
            socket.resetAndDestroy();
            finish('reset');
          }, 200);
        }
      });
    });
  });
}
