// A loopback SMTP receiver for the send benchmark, run as a child process so that parsing
// the SMTP conversation does not compete with the measured process's event loop. Accepts
// every message, discards the body, counts. Prints "PORT <n>" once listening; reports the
// count on stdout ("RECEIVED <n>") when asked with a line "COUNT" on stdin; exits on SIGTERM.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 10 * 2 ** 20,
  onData(stream, session, cb) {
    stream.on('data', () => {});
    stream.on('end', () => {
      received += session.envelope.rcptTo.length;
      cb();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  const port = (server as unknown as { server: { address(): AddressInfo } }).server.address().port;
  process.stdout.write(`PORT ${port}\n`);
});
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'COUNT') process.stdout.write(`RECEIVED ${received}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
