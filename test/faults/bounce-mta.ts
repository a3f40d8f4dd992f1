// The sending side of a bounce, as a mail server does it (RFC 5321 4.5.4.1): it delivers a
// DSN to `sro bounces` and, until it reads a 2xx answer to the message, keeps the message and
// tries again later: on a refused or dropped connection, on a 4xx, on a connection cut before
// the answer came. A raw SMTP client on a socket, so the test decides when bytes go out: the
// message in slow chunks (the receiver can be killed in the middle of DATA), or the
// connection dropped right after the final dot (the answer lost, the message maybe taken).
import net from 'node:net';
import { sleep } from './services.ts';

interface MtaAttempt {
  /** How the attempt ended: the reply code to the message, or what cut it short. */
  outcome: number | 'refused' | 'cut before the end of DATA' | 'cut after the final dot' | 'dropped';
  /** Bytes of the message written before it ended. */
  written: number;
}

export interface MtaDelivery {
  /** Every attempt, in order; the last one is 250 once delivered. */
  attempts: MtaAttempt[];
  /** Resolves once a 250 came back (rejects on a 5xx or the deadline). */
  done: Promise<void>;
  /** Bytes written of the current attempt's message (to kill the receiver mid-DATA). */
  writing(): number;
}

class Session {
  private buffer = '';
  private waiting: ((line: string | null) => void) | null = null;
  private closed = false;
  constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.flush();
    });
    const end = () => {
      this.closed = true;
      this.flush();
    };
    socket.on('close', end);
    socket.on('error', end);
  }
  private flush(): void {
    if (!this.waiting) return;
    // A reply's last line is `NNN text` (continuation lines are `NNN-text`).
    const m = /^(\d{3}) [^\n]*\n/m.exec(this.buffer);
    if (m) {
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const w = this.waiting;
      this.waiting = null;
      w(m[1]!);
    } else if (this.closed) {
      const w = this.waiting;
      this.waiting = null;
      w(null);
    }
  }
  /** The next reply's code, or null when the connection ended first. */
  reply(): Promise<string | null> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.flush();
    });
  }
  async command(line: string): Promise<string | null> {
    if (this.closed) return null;
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }
}

function connect(port: number): Promise<net.Socket | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => resolve(null));
  });
}

/**
 * Delivers `raw` (CRLF lines, no line starting with a dot) to `to` on 127.0.0.1:`port` with
 * the null sender, trying again every `retryMs` until 250. `chunks` and `chunkMs`: the
 * message goes out in that many pieces that far apart. `dropAfterDot`: the first attempt
 * closes the connection right after the final dot, without reading the answer.
 */
export function deliverLikeAnMta(
  port: number,
  to: string,
  raw: string,
  o: { chunks: number; chunkMs: number; retryMs: number; deadlineMs: number; dropAfterDot?: boolean },
): MtaDelivery {
  const attempts: MtaAttempt[] = [];
  let written = 0;
  const attempt = async (first: boolean): Promise<MtaAttempt> => {
    written = 0;
    const socket = await connect(port);
    if (!socket) return { outcome: 'refused', written };
    const s = new Session(socket);
    try {
      const steps = [null, 'HELO mta.relay.example', 'MAIL FROM:<>', `RCPT TO:<${to}>`, 'DATA'];
      for (const step of steps) {
        const code = step === null ? await s.reply() : await s.command(step);
        if (code === null) return { outcome: 'dropped', written };
        if (!/^[23]/.test(code)) return { outcome: Number(code), written };
      }
      const data = Buffer.from(raw.endsWith('\r\n') ? raw : `${raw}\r\n`);
      const size = Math.ceil(data.length / o.chunks);
      for (let i = 0; i < data.length; i += size) {
        if (socket.destroyed || !socket.writable) return { outcome: 'cut before the end of DATA', written };
        socket.write(data.subarray(i, i + size));
        written = Math.min(data.length, i + size);
        await sleep(o.chunkMs);
      }
      if (socket.destroyed || !socket.writable) return { outcome: 'cut before the end of DATA', written };
      socket.write('.\r\n');
      if (first && o.dropAfterDot) {
        // The answer is never read: for the sender the message is not delivered. (end(), not
        // destroy(): what was written still goes out before the connection closes.)
        await new Promise<void>((resolve) => socket.end(() => resolve()));
        return { outcome: 'cut after the final dot', written };
      }
      const code = await s.reply();
      if (code === null) return { outcome: 'dropped', written };
      await s.command('QUIT');
      return { outcome: Number(code), written };
    } finally {
      socket.destroy();
    }
  };
  const done = (async () => {
    const deadline = Date.now() + o.deadlineMs;
    for (let first = true; ; first = false) {
      const a = await attempt(first);
      attempts.push(a);
      if (a.outcome === 250) return;
      if (typeof a.outcome === 'number' && a.outcome >= 500)
        throw new Error(`the receiver refused the DSN for ${to} for good: ${a.outcome}`);
      if (Date.now() > deadline)
        throw new Error(`DSN for ${to} not delivered in ${o.deadlineMs} ms: ${JSON.stringify(attempts)}`);
      await sleep(o.retryMs);
    }
  })();
  // Observed by the test (Promise.all); never an unhandled rejection meanwhile.
  done.catch(() => undefined);
  return { attempts, done, writing: () => written };
}
