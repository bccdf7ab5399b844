import { AsyncLocalStorage } from 'node:async_hooks';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { pino, type Logger, type LoggerOptions, type DestinationStream, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Paths pino blanks out wherever they appear; credentials must never reach a log line. */
export const REDACTED_PATHS = [
  'accessToken', 'refreshToken', 'access_token', 'refresh_token', 'id_token', 'token', 'password', 'clientSecret',
  'client_secret', 'authorization', 'Authorization', 'apiKey', 'secret', 'code_verifier', 'codeVerifier',
  '*.accessToken', '*.refreshToken', '*.access_token', '*.refresh_token', '*.id_token', '*.token', '*.password',
  '*.clientSecret', '*.client_secret', '*.authorization', '*.Authorization', '*.apiKey', '*.secret',
  'headers.authorization', 'req.headers.authorization', 'req.headers.cookie', '*.headers.authorization',
];

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const INFO = 30;
/** Where a logger finds its "routine work" marker; children see it through pino's prototype chain. */
const ROUTINE = Symbol('switchboard.routineLogs');
type WithRoutine = Logger & { [ROUTINE]?: AsyncLocalStorage<true> };

export interface LoggerSettings {
  readonly level?: string;
  /** One coloured line per event (pino-pretty) instead of JSON. */
  readonly pretty?: boolean;
  /** Colours in pretty mode (default on). */
  readonly colorize?: boolean;
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerSettings = {}): Logger {
  const routine = new AsyncLocalStorage<true>();
  const base: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Lines written inside a recorded OpenTelemetry span (a run attempt, a tool call) name its trace,
    // so an operator can go from a log line to the trace; nothing is added when tracing is off.
    mixin() {
      const span = trace.getSpanContext(context.active());
      return span && trace.isSpanContextValid(span) && (span.traceFlags & TraceFlags.SAMPLED) ? { traceId: span.traceId } : {};
    },
    hooks: {
      logMethod(args, method, level) {
        // Routine work (see asRoutine) says at debug what it would say at info.
        if (level === INFO && routine.getStore()) {
          if (this.isLevelEnabled('debug')) this.debug(...(args as [object, string]));
          return;
        }
        // A child logger already carries its bindings (tenantId, runId, ...): a call that repeats one
        // would print the key twice in the same JSON object, which many log pipelines reject.
        const [first] = args;
        if (first && typeof first === 'object' && !(first instanceof Error)) {
          const bound = this.bindings();
          const repeated = Object.keys(first).filter((key) => key in bound);
          if (repeated.length > 0) {
            const rest: Record<string, unknown> = { ...(first as Record<string, unknown>) };
            for (const key of repeated) {
              // Same value: drop it. A different value stays visible under another name.
              if (rest[key] !== bound[key]) rest[`${key}InCall`] = rest[key];
              delete rest[key];
            }
            args[0] = rest;
          }
        }
        method.apply(this, args);
      },
    },
  };
  const stream = options.pretty
    ? pretty({ colorize: options.colorize ?? true, singleLine: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l', sync: true, ...(options.destination ? { destination: options.destination } : {}) })
    : options.destination;
  const logger: WithRoutine = stream ? pino(base, stream) : pino(base);
  logger[ROUTINE] = routine;
  return logger;
}

/**
 * Runs routine work (demo account linking at startup, for example) whose info lines are demoted to
 * debug, so the startup banner is not pushed off the first screen by twenty identical lines.
 */
export function asRoutine<T>(logger: Logger, work: () => Promise<T>): Promise<T> {
  const routine = (logger as WithRoutine)[ROUTINE];
  return routine ? routine.run(true, work) : work();
}

/** Pretty lines for people at a terminal (or LOG_PRETTY=true), JSON for machines (LOG_PRETTY=false or a pipe). */
export function wantsPrettyLogs(logPretty: string | undefined, stdoutIsTty: boolean): boolean {
  const value = logPretty?.trim().toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return stdoutIsTty;
}

/** LOG_LEVEL as pino knows it; anything else falls back to info (the env check reports it). */
export function logLevelOf(value: string | undefined): LevelWithSilent {
  return (value && LEVELS.includes(value) ? value : 'info') as LevelWithSilent;
}
