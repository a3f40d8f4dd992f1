// One send-worker process for the send benchmark: the production runtime (createRuntime:
// BullMQ workers, pg pool, pooled SMTP transport) configured from the environment, without
// the cron scheduler or HTTP server. Prints "READY" once its queue workers are connected;
// closes gracefully on SIGTERM.
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/shell/log.ts';
import { createRuntime } from '../src/worker/runtime.ts';

const config = loadConfig();
const runtime = createRuntime(config, createLogger(config.logLevel), { work: true });
await Promise.all(runtime.workers.map((w) => w.waitUntilReady()));
process.stdout.write('READY\n');
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  runtime.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent died: do not linger.
process.stdin.on('end', stop);
process.stdin.resume();
