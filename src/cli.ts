// `sro`: the command-line composition root. Parses arguments, loads configuration
// lazily (so --help works with a broken environment), maps errors to exit codes:
// 0 success, 1 invalid input (roster, configuration), 2 usage error, 3 operational failure.
// A reader that closes stdout early (`sro report | head`) ends the command quietly.
import { parseArgs } from 'node:util';
import type { Config } from './config.ts';
import type { LogLevel, Logger } from './shell/log.ts';
import { type Command, type CommandContext, InputError, UsageError } from './commands/command.ts';
import { commands } from './commands/index.ts';
import { commandHelp, mainHelp, usageLine } from './commands/help.ts';
import { stdoutFlushed } from './shell/stdout.ts';
import { packageVersion } from './shell/version.ts';
import { closest } from './shell/suggest.ts';
import { nameUnreachableService } from './shell/unreachable.ts';
import { escapeUnseen } from './shell/quote.ts';
import { plural } from './domain/plural.ts';

/** A usage error in words, with a "did you mean" for a mistyped option instead of Node's parser message. */
function usageMessage(e: Error & { code?: string }, command: Command): string {
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const given = /'(-[^']+)'/.exec(e.message)?.[1] ?? '';
    const flag = given.replace(/^-+/, '').split('=')[0] ?? '';
    const guess = closest(flag, Object.keys(command.options));
    return `unknown option ${given}${guess ? `; did you mean --${guess}?` : ''}`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return e.message.replace(/\. To specify a positional argument.*$/s, '');
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return `unexpected argument: ${/'([^']+)'/.exec(e.message)?.[1] ?? e.message}`;
  return e.message;
}

/** Thrown by ctx.stdout once stdout's reader is gone (EPIPE): the command unwinds, exit 0. */
class OutputClosed extends Error {}

// The first error stdout reported. Without a listener an EPIPE (`sro … | head`) would be an
// uncaught 'error' event: a stack trace on stderr and exit 1. stderr errors are dropped:
// there is nowhere left to report them.
let stdoutFailure: (Error & { code?: string }) | null = null;
let streamsWatched = false;
function watchOutputStreams(): void {
  if (streamsWatched) return;
  streamsWatched = true;
  process.stdout.on('error', (e: Error) => {
    stdoutFailure ??= e;
  });
  process.stderr.on('error', () => {});
}

/** stdout's error, as soon as the stream knows it (the 'error' event comes a tick later). */
function stdoutError(): (Error & { code?: string }) | null {
  return stdoutFailure ?? (process.stdout.errored as (Error & { code?: string }) | null) ?? null;
}

/** Writes to stdout; once stdout has failed, throws instead (OutputClosed for a closed pipe). */
function writeStdout(text: string): void {
  const failure = stdoutError();
  if (failure && failure.code !== 'EPIPE') throw failure;
  if (failure || process.stdout.destroyed) throw new OutputClosed('stdout closed');
  process.stdout.write(text);
}

/** Says what went wrong on stderr, in one line a person can act on, and returns the exit code. */
function failureExitCode(
  e: unknown,
  command: string,
  config: Config | undefined,
  debug: boolean,
  ConfigError: typeof import('./config.ts').ConfigError,
): number {
  const stderr = (s: string) => process.stderr.write(s);
  if (e instanceof OutputClosed) return 0;
  if (e instanceof UsageError) {
    stderr(`sro ${command}: ${e.message}\nRun 'sro ${command} --help' for details.\n`);
    return 2;
  }
  if (e instanceof ConfigError) {
    stderr(`sro: ${e.message}\n`);
    return 1;
  }
  if (e instanceof InputError) {
    stderr(`sro ${command}: ${e.message}\n`);
    return 1;
  }
  const err = e as Error & { code?: string };
  const unreachable = config ? nameUnreachableService(err, config) : null;
  if (unreachable) {
    stderr(`sro ${command}: ${unreachable}\n`);
    return 3;
  }
  stderr(`sro ${command}: ${escapeUnseen(`${err.code ? `${err.code}: ` : ''}${err.message}`)}\n`);
  if (debug && err.stack) stderr(`${err.stack}\n`);
  return 3;
}

/**
 * The first SIGTERM/SIGINT aborts `controller` (graceful shutdown, bounded by
 * SHUTDOWN_SECONDS, graphile/worker's forced exit: a service that is gone must not keep the
 * process from ending); a second forces exit at once.
 */
function signalHandler(
  log: Logger,
  controller: AbortController,
  shutdownSeconds: () => number,
): (sig: NodeJS.Signals) => void {
  let signals = 0;
  return (sig) => {
    signals += 1;
    if (signals === 1) {
      log.warn(`${sig} received: shutting down gracefully (send again to force)`);
      controller.abort();
      const seconds = shutdownSeconds();
      setTimeout(() => {
        log.error(`did not stop within SHUTDOWN_SECONDS=${seconds} of ${sig}: forcing exit`);
        process.exit(130);
      }, seconds * 1000).unref();
    } else {
      log.error(`${sig} received again: forcing exit`);
      process.exit(130);
    }
  };
}

export async function main(argv: string[], environment?: NodeJS.ProcessEnv): Promise<number> {
  watchOutputStreams();
  const [name, ...rest] = argv;
  const stderr = (s: string) => process.stderr.write(s);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? stderr : (s: string) => process.stdout.write(s))(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const spec = commands.find((c) => c.name === name);
  if (!spec) {
    const guess = closest(
      name,
      commands.map((c) => c.name),
    );
    stderr(
      `sro: unknown command ${JSON.stringify(name)}${guess ? `; did you mean 'sro ${guess}'?` : ''}\n\n${mainHelp()}`,
    );
    return 2;
  }
  const command = await spec.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(spec, command));
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    const [min, max] = command.positionals ?? [0, 0];
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(
        min === max && min === 0
          ? `takes no arguments, got ${parsed.positionals.join(' ')}`
          : `expects ${min === max ? plural(min, 'argument') : `${min}–${max} arguments`}`,
      );
    }
  } catch (e) {
    stderr(
      `sro ${spec.name}: ${usageMessage(e as Error & { code?: string }, command)}\n${usageLine(spec)}\nRun 'sro ${spec.name} --help' for details.\n`,
    );
    return 2;
  }

  let config: Config | undefined;
  // Loaded only for a command that runs: `sro --help` and `sro --version` need neither.
  const [{ ConfigError, loadConfig, processEnvironment }, { createLogger }] = await Promise.all([
    import('./config.ts'),
    import('./shell/log.ts'),
  ]);
  const env = environment ?? processEnvironment();
  const level = (env.LOG_LEVEL as LogLevel | undefined) ?? 'info';
  const log = createLogger(
    ['debug', 'info', 'warn', 'error'].includes(level) ? level : 'info',
    spec.name === 'worker' ? 'json' : 'text',
  );
  const controller = new AbortController();
  const onSignal = signalHandler(log, controller, () => config?.shutdownSeconds ?? 30);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const ctx: CommandContext = {
    values: parsed.values as CommandContext['values'],
    positionals: parsed.positionals,
    config: () => (config ??= loadConfig(env)),
    configWith: (overrides) => loadConfig({ ...env, ...overrides }),
    log,
    stdout: writeStdout,
    signal: controller.signal,
  };
  try {
    const code = await command.run(ctx);
    // A write that failed after the command's last one (disk full on a redirect) is a
    // failure; a reader that stopped reading (EPIPE) is not: the command's own code stands.
    await stdoutFlushed();
    const failure = stdoutError();
    if (failure && failure.code !== 'EPIPE') throw failure;
    return code;
  } catch (e) {
    return failureExitCode(e, spec.name, config, env.LOG_LEVEL === 'debug', ConfigError);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const isEntry = process.argv[1] !== undefined && /(?:^|[\\/])(?:cli\.[jt]s|sro(?:\.js)?)$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // The command is done. A client still reconnecting to a service that went away (ioredis
      // retries forever) must not keep the process alive: exit if it has not ended by itself.
      setTimeout(() => process.exit(code), 2000).unref();
    },
    (e: unknown) => {
      process.stderr.write(`sro: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
