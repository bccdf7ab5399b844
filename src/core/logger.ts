import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear; credentials must never reach a log line. */
export const REDACTED_PATHS = [
  'accessToken', 'refreshToken', 'access_token', 'refresh_token', 'id_token', 'token', 'password', 'clientSecret',
  'client_secret', 'authorization', 'Authorization', 'apiKey', 'secret', 'code_verifier', 'codeVerifier',
  '*.accessToken', '*.refreshToken', '*.access_token', '*.refresh_token', '*.id_token', '*.token', '*.password',
  '*.clientSecret', '*.client_secret', '*.authorization', '*.Authorization', '*.apiKey', '*.secret',
  'headers.authorization', 'req.headers.authorization', 'req.headers.cookie', '*.headers.authorization',
];

export function createLogger(options: { level?: string; pretty?: boolean; destination?: DestinationStream } = {}): Logger {
  const base: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(base);
}
